"""Chinese names and places (provisional: jieba's part-of-speech tags nr*/ns)."""

from __future__ import annotations

Span = tuple[int, int, str]


class ChineseNames:
    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        self._cut = jieba.posseg.cut

    def find(self, text: str) -> list[Span]:
        out: list[Span] = []
        pos = 0
        for w, flag in self._cut(text):
            if flag.startswith("nr"):
                out.append((pos, pos + len(w), "PERSON"))
            elif flag == "ns":
                out.append((pos, pos + len(w), "LOCATION"))
            pos += len(w)
        return out

    def find_many(self, texts: list[str]) -> list[list[Span]]:
        return [self.find(t) for t in texts]
