"""Loading and scoring the public NER development sets in ``../shared/eval/ner/``.

Each set becomes a list of documents: the text as a record would hold it and the gold spans
(start, end, label) with label ``PERSON`` or ``LOCATION``:

* People's Daily (``char TAG``): one sentence a document, characters joined; PER -> PERSON,
  LOC -> LOCATION.
* Weibo (``char<TAB>TAG``, the last character of each token a segmentation digit): one post a
  document; PER.NAM -> PERSON, LOC.NAM and GPE.NAM -> LOCATION. Nominal mentions (PER.NOM,
  e.g. 老师) are not names: a prediction overlapping one is left out of precision (neither right
  nor wrong), as is a LOCATION prediction overlapping LOC.NOM.
* CoNLL-2003 (``token POS chunk TAG``): one ``-DOCSTART-`` article a document, tokens joined
  with spaces and sentences with newlines (a record holds a whole article); PER -> PERSON,
  LOC -> LOCATION.

Scoring (issue 11): a gold span is found when a predicted span of the same label overlaps it;
a predicted span is right when it overlaps a gold span of the same label. ORG and MISC gold
spans are not scored, but a PERSON prediction on them is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ner"
LABELS = ("PERSON", "LOCATION")
Span = tuple[int, int, str]


@dataclass
class Doc:
    text: str
    gold: list[Span]
    neutral: list[Span] = field(default_factory=list)  # spans predictions may overlap freely


def _bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        head, _, rest = tag.partition("-")
        if start >= 0 and (head != "I" or rest != kind):
            spans.append((start, i, kind))
            start = -1
        if head in ("B", "S") or (head == "I" and start < 0):
            start, kind = i, rest
    return spans


_PD = {"PER": "PERSON", "LOC": "LOCATION"}
_WEIBO = {"PER.NAM": "PERSON", "LOC.NAM": "LOCATION", "GPE.NAM": "LOCATION"}
_WEIBO_NEUTRAL = {"PER.NOM": "PERSON", "LOC.NOM": "LOCATION", "GPE.NOM": "LOCATION"}


def _char_docs(
    path: Path, sep: str | None, strip_digit: bool, table: dict[str, str], neutral: dict[str, str]
) -> list[Doc]:
    docs: list[Doc] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            text = "".join(chars)
            gold, neut = [], []
            for a, b, kind in _bio_spans(tags):
                if kind in table:
                    gold.append((a, b, table[kind]))
                elif kind in neutral:
                    neut.append((a, b, neutral[kind]))
                else:
                    gold.append((a, b, kind))  # ORG etc.: unscored, but a wrong label there counts
            docs.append(Doc(text, gold, neut))
        chars.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        ch, tag = line.rsplit(sep, 1) if sep else line.split()
        if strip_digit and len(ch) > 1:
            ch = ch[0]
        chars.append(ch)
        tags.append(tag)
    flush()
    return docs


def _conll_docs(path: Path) -> list[Doc]:
    docs: list[Doc] = []
    sentences: list[list[tuple[str, str]]] = [[]]

    def flush() -> None:
        text_parts: list[str] = []
        gold: list[Span] = []
        pos = 0
        for sent in (s for s in sentences if s):
            offsets = []
            for tok, _tag in sent:
                offsets.append((pos, pos + len(tok)))
                text_parts.append(tok)
                pos += len(tok)
                text_parts.append(" ")
                pos += 1
            text_parts[-1] = "\n"
            for a, b, kind in _bio_spans([t for _, t in sent]):
                label = {"PER": "PERSON", "LOC": "LOCATION"}.get(kind, kind)
                gold.append((offsets[a][0], offsets[b - 1][1], label))
        if text_parts:
            docs.append(Doc("".join(text_parts).rstrip("\n"), gold))
        sentences.clear()
        sentences.append([])

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
        elif not line.strip():
            sentences.append([])
        else:
            parts = line.split()
            sentences[-1].append((parts[0], parts[-1]))
    flush()
    return docs


def load(name: str, directory: Path = EVAL_DIR) -> list[Doc]:
    """``peoples_daily``, ``weibo`` or ``conll``."""
    if name == "peoples_daily":
        return _char_docs(directory / "peoples_daily.dev.bio", None, False, _PD, {})
    if name == "weibo":
        return _char_docs(directory / "weibo.dev.bio", "\t", True, _WEIBO, _WEIBO_NEUTRAL)
    if name == "conll":
        return _conll_docs(directory / "conll2003.valid.txt")
    raise ValueError(f"unknown set {name!r}: peoples_daily, weibo or conll")


SETS = {"peoples_daily": "zh", "weibo": "zh", "conll": "en"}


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else float("nan")

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else float("nan")

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.right += other.right


def _overlaps(a: int, b: int, c: int, d: int) -> bool:
    return a < d and c < b


def score(docs: Iterable[Doc], predict: Callable[[str], Iterable[Span]]) -> dict[str, Score]:
    """Recall and precision per label, a span counting when it overlaps (see module doc)."""
    out = {label: Score() for label in LABELS}
    for doc in docs:
        pred = [p for p in predict(doc.text) if p[2] in LABELS]
        for label in LABELS:
            s = out[label]
            gold = [g for g in doc.gold if g[2] == label]
            mine = [p for p in pred if p[2] == label]
            s.gold += len(gold)
            s.found += sum(any(_overlaps(g[0], g[1], p[0], p[1]) for p in mine) for g in gold)
            for p in mine:
                if any(_overlaps(g[0], g[1], p[0], p[1]) for g in gold):
                    s.right += 1
                    s.predicted += 1
                elif not any(
                    n[2] == label and _overlaps(n[0], n[1], p[0], p[1]) for n in doc.neutral
                ):
                    s.predicted += 1
    return out
