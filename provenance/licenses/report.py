"""Confusion by rule for ``provenance licenses classify --csv … --report``.

For every normaliser rule: how many strings it decided and its outcomes; with an expected
column (SPDX id, ``ambiguous`` or ``unknown`` per row) also how many it got right, how many it
got wrong (a different id, or an id where none was expected) and how many it missed. A
``dpi_class`` column, when present, is compared with each verdict's DPI class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from provenance.licenses import LicenseVerdict

NO_ID = ("ambiguous", "unknown", "empty")


@dataclass
class _Row:
    n: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: int = 0
    wrong: int = 0
    missed: int = 0


@dataclass
class RuleReport:
    """Accumulates verdicts (and expectations) and renders the confusion table."""

    rules: dict[str, _Row] = field(default_factory=lambda: defaultdict(_Row))
    with_id: int = 0
    with_id_correct: int = 0
    dpi_total: int = 0
    dpi_agree: int = 0
    has_expected: bool = False

    def add(self, v: LicenseVerdict, expected: str | None, dpi: str | None) -> None:
        """Count one verdict; ``expected`` / ``dpi`` None when the CSV has no such column."""
        row = self.rules[v.rule]
        row.n += 1
        row.outcomes[v.outcome] += 1
        if dpi:
            self.dpi_total += 1
            self.dpi_agree += v.dpi_class == dpi
        if expected is None:
            return
        self.has_expected = True
        got = v.spdx if v.outcome == "matched" and v.spdx else v.outcome
        exp = expected.strip() or "unknown"
        if exp not in NO_ID:
            self.with_id += 1
            self.with_id_correct += got == exp
        if got == exp or (exp == "unknown" and got == "empty"):
            row.correct += 1
        elif got in NO_ID:
            row.missed += 1
        else:
            row.wrong += 1

    def render(self) -> str:
        """Plain-text table (stable for scripts and RESULTS.md)."""
        head = f"{'rule':<14}{'n':>6}{'matched':>9}{'ambig.':>8}{'unknown':>9}"
        if self.has_expected:
            head += f"{'correct':>9}{'wrong':>7}{'missed':>8}"
        lines = [head, "-" * len(head)]
        order = sorted(self.rules.items(), key=lambda kv: -kv[1].n)
        for name, r in order:
            line = (
                f"{name:<14}{r.n:>6}{r.outcomes['matched']:>9}{r.outcomes['ambiguous']:>8}"
                f"{r.outcomes['unknown'] + r.outcomes['empty']:>9}"
            )
            if self.has_expected:
                line += f"{r.correct:>9}{r.wrong:>7}{r.missed:>8}"
            lines.append(line)
        total = sum(r.n for r in self.rules.values())
        lines.append(f"{'total':<14}{total:>6}")
        if self.has_expected and self.with_id:
            acc = self.with_id_correct / self.with_id
            lines.append(
                f"exact-id accuracy: {acc:.3f} ({self.with_id_correct}/{self.with_id} strings with an id)"
            )
            wrong = sum(r.wrong for r in self.rules.values())
            lines.append(f"wrong answers (an id where another or none was expected): {wrong}")
        if self.dpi_total:
            lines.append(
                f"DPI class agreement: {self.dpi_agree / self.dpi_total:.3f} "
                f"({self.dpi_agree}/{self.dpi_total})"
            )
        return "\n".join(lines) + "\n"
