"""Licence normalisation and classification (Art. 7(2): no IP infringement).

``classify("CC BY-NC-SA 4.0")`` → a :class:`LicenseVerdict` with the SPDX expression, the
category, and what it means for training: commercial use, attribution, share-alike,
no-derivatives, and whether the terms forbid training competing models.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import AND, OR, LicenseSymbol, LicenseWithExceptionSymbol

from provenance.licenses.catalogue import USE_TERMS, DpiEntry
from provenance.licenses.data import LicenseData, Terms, load_license_data, spdx
from provenance.licenses.expression import (
    OPERATORS,
    ExpressionSyntaxError,
    Op,
    Part,
    has_operators,
    render,
    split_expression,
)
from provenance.licenses.expression import leaves as expression_leaves
from provenance.licenses.expression import parse as parse_expression
from provenance.licenses.names import data_versions as _name_data_versions
from provenance.licenses.names import name_index
from provenance.licenses.normalize import Leaf, resolve_leaf, resolve_strict
from provenance.licenses.prose import parenthetical, resolve_text
from provenance.licenses.verdict import (
    DPI_CLASSES,
    LicenseVerdict,
    _combine,
    _term_values,
    dpi_class,
)

__all__ = [
    "DPI_CLASSES",
    "LicenseIndex",
    "LicenseVerdict",
    "classify",
    "data_versions",
    "default_index",
    "dpi_class",
]

MAX_CHARS = 2000  # longer strings are licence texts or prose, never a name or an expression


class LicenseIndex:
    """Classifier over one set of rule data; results are cached per input string."""

    def __init__(self, data: LicenseData) -> None:
        self.data = data
        self._cache: dict[str, LicenseVerdict] = {}

    def classify(self, text: str | None) -> LicenseVerdict:
        """Classify a licence string (cached: corpora repeat the same strings)."""
        key = text or ""
        hit = self._cache.get(key)
        if hit is None:
            hit = self._classify(key)
            if len(self._cache) < 200_000:
                self._cache[key] = hit
        return hit

    def _verdict(
        self,
        text: str,
        outcome: str,
        spdx_expr: str | None,
        terms: Terms,
        confidence: float,
        reason: str,
        rule: str = "unknown",
        candidates: tuple[str, ...] = (),
    ) -> LicenseVerdict:
        return LicenseVerdict(
            input=text,
            outcome=outcome,
            spdx=spdx_expr,
            **_term_values(terms),
            confidence=confidence,
            reason=reason,
            rule=rule,
            candidates=candidates,
            dpi_class=dpi_class(terms.category, terms.commercial_use),
        )

    def _unknown(self, text: str, outcome: str, reason: str, rule: str) -> LicenseVerdict:
        terms = self.data.category_terms("unknown")
        return self._verdict(text, outcome, None, terms, 0.0, reason, rule)

    def _shared(self, cands: tuple[str, ...]) -> Terms:
        """What every candidate of an ambiguous string allows: their category when they all
        share one, else 'unknown' with the commercial use they share (if they share it)."""
        parts = [self._expr_terms(c) for c in cands]
        unknown = self.data.category_terms("unknown")
        if not parts or any(p.category == "unknown" for p in parts):
            return unknown
        if len({p.category for p in parts}) == 1:
            return max(parts, key=lambda p: (p.share_alike, p.attribution_required))
        uses = {p.commercial_use for p in parts}
        return replace(unknown, commercial_use=uses.pop() if len(uses) == 1 else "unclear")

    def verdict_terms(self, v: LicenseVerdict) -> Terms:
        """The terms a verdict stands for: its expression's, or for an ambiguous string what
        all its candidates share."""
        if v.spdx is not None:
            return self._expr_terms(v.spdx)
        if v.candidates:
            return self._shared(v.candidates)
        # the verdict's own terms (the DPI catalogue sets commercial use)
        return Terms(**_term_values(v))

    def _leaf_terms(self, leaf: Leaf) -> Terms:
        if leaf.spdx is None:
            if leaf.candidates:
                return self._shared(leaf.candidates)
            return self.data.category_terms(leaf.category or "unknown")
        return self._expr_terms(leaf.spdx)

    def _expr_terms(self, expr: str) -> Terms:
        if " " not in expr:  # one id: no parse needed
            return self.data.terms(expr) or self.data.category_terms("unknown")
        return self._tree_terms(spdx().parse(expr, validate=False))

    def _tree_terms(self, node: Any) -> Terms:
        if isinstance(node, LicenseWithExceptionSymbol):
            return self._tree_terms(node.license_symbol)
        if isinstance(node, LicenseSymbol):
            terms = self.data.terms(node.key)
            return terms or self.data.category_terms("unknown")
        op = "AND" if isinstance(node, AND) else "OR" if isinstance(node, OR) else None
        if op is None:
            return self.data.category_terms("unknown")
        return _combine(op, [self._tree_terms(a) for a in node.args])

    def _classify(self, text: str) -> LicenseVerdict:
        v = self._classify_rules(text)
        # the last rule: DPI's catalogue, only where nothing decided — an explicit "not a
        # licence" of our own table ("various": list the licences) is a decision and stands
        if v.outcome == "unknown" and v.rule != "table":
            entry = self.data.dpi.lookup(text)
            if entry is not None:
                return self._dpi_verdict(v, entry)
        return v

    def _dpi_verdict(self, v: LicenseVerdict, entry: DpiEntry) -> LicenseVerdict:
        """Still unknown (no SPDX id, no terms we can read), with DPI's class as its use."""
        category, use = USE_TERMS[entry.use]
        flags: dict[str, Any] = {"commercial_use": use}
        if entry.attribution is not None:
            flags["attribution_required"] = entry.attribution
        if entry.share_alike is not None:
            flags["share_alike"] = entry.share_alike
        terms = self.data.category_terms(category, flags)
        filed = f", filed under {entry.filed_under!r}," if entry.filed_under else ""
        reason = (
            f"{v.reason}; the Data Provenance Initiative's licence catalogue classes "
            f"{entry.name[:80]!r}{filed} as {entry.use} ({dpi_class(category, use)})"
        )
        return self._verdict(v.input, "unknown", None, terms, 0.4, reason, "dpi-catalogue")

    def _classify_rules(self, text: str) -> LicenseVerdict:
        if not text.strip():
            return self._unknown(text, "empty", "no licence given", "empty")
        if len(text) > MAX_CHARS:  # no licence name is this long: read the start as prose
            leaf = resolve_text(self.data, text[:MAX_CHARS])
            note = f" (only the first {MAX_CHARS:,} characters read)"
            return self._leaf_verdict(text, replace(leaf, reason=leaf.reason + note))
        # a whole-string reading wins over reading the string as an expression: "The MIT
        # License (MIT)" is a name, and "BSD 3-clause "New" or "Revised"" is not an OR
        whole = resolve_strict(self.data, text) or parenthetical(self.data, text)
        if whole is None and has_operators(text):
            expr = self._classify_expression(text)
            if expr is not None:
                return expr
        return self._leaf_verdict(text, whole or resolve_text(self.data, text))

    def _leaf_verdict(self, text: str, leaf: Leaf) -> LicenseVerdict:
        if leaf.outcome == "unknown":
            return self._unknown(text, "unknown", leaf.reason, leaf.rule)
        terms = self._leaf_terms(leaf)
        if leaf.outcome == "ambiguous":
            return self._verdict(
                text, "ambiguous", None, terms, 0.5, leaf.reason, leaf.rule, leaf.candidates
            )
        reason = (
            leaf.reason
            if terms.category != "unknown"
            else f"{leaf.reason}; not in the category table"
        )
        return self._verdict(text, "matched", leaf.spdx, terms, leaf.confidence, reason, leaf.rule)

    def _classify_expression(self, text: str) -> LicenseVerdict | None:
        """An SPDX-style expression; None when no part names a licence (then the whole string
        is read as a sentence instead)."""
        tokens: list[str | Part] = []
        unknown_parts: list[str] = []
        resolved = 0
        raw = split_expression(text)
        for i, tok in enumerate(raw):
            if tok in OPERATORS:
                if tok != "WITH":
                    tokens.append(tok)
                continue
            if i and raw[i - 1] == "WITH":  # an exception: only an id SPDX knows (any case)
                exc = name_index().exceptions.get(tok.strip().lower())
                last = tokens[-1] if tokens else None
                if exc is None or not isinstance(last, Part):
                    unknown_parts.append(f"{tok!r} is not an SPDX licence exception")
                else:
                    tokens[-1] = Part(last.leaf, exc)
                continue
            leaf = resolve_leaf(self.data, tok)
            if leaf.outcome == "unknown":
                unknown_parts.append(f"part {tok!r}: {leaf.reason}")
                tokens.append(Part(leaf))  # keeps the syntax checkable
                continue
            resolved += 1
            tokens.append(Part(leaf))
        if unknown_parts:
            # no part names a licence: a sentence, read as a whole; some parts do: an expression
            # with an unreadable part, which must not be dropped
            if not resolved:
                return None
            return self._unknown(text, "unknown", "; ".join(unknown_parts), "expression")
        try:
            tree = parse_expression(tokens)
        except ExpressionSyntaxError as exc:
            return self._unknown(
                text, "unknown", f"not a valid licence expression: {exc}", "expression"
            )
        parts = expression_leaves(tree)
        terms = self._node_terms(tree)
        if any(leaf.outcome == "ambiguous" for leaf in parts):
            reasons = "; ".join(leaf.reason for leaf in parts if leaf.outcome == "ambiguous")
            cands = tuple(c for leaf in parts for c in leaf.candidates)
            return self._verdict(text, "ambiguous", None, terms, 0.5, reasons, "expression", cands)
        confidence = min(leaf.confidence for leaf in parts)
        expr = render(tree, lambda leaf: leaf.spdx or "")
        return self._verdict(
            text, "matched", expr, terms, confidence, "licence expression", "expression"
        )

    def _node_terms(self, node: Part | Op) -> Terms:
        if isinstance(node, Part):
            return self._leaf_terms(node.leaf)
        return _combine(node.op, [self._node_terms(a) for a in node.args])


def data_versions() -> dict[str, str]:
    """Versions of the licence data in use (stored with each run so a dossier can show them):
    the SPDX list, ScanCode's index, license-expression and the DPI catalogue's commit."""
    return {**_name_data_versions(), "dpi_catalogue": default_index().data.dpi.commit[:12]}


@cache
def default_index() -> LicenseIndex:
    """The classifier over the bundled rule data."""
    return LicenseIndex(load_license_data())


def index_with(aliases: list[Path]) -> LicenseIndex:
    """A classifier over the bundled data plus extra alias files."""
    return LicenseIndex(load_license_data(aliases=aliases)) if aliases else default_index()


def classify(text: str | None) -> LicenseVerdict:
    """Classify a licence string with the bundled rule data (DESIGN section 4)."""
    return default_index().classify(text)
