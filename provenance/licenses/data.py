"""Licence rule data: aliases and categories loaded from TOML files a compliance officer edits.

Both files are validated when loaded: an alias must resolve to a valid SPDX id, a known
``LicenseRef-…`` (one that a category rule matches) or a valid expression; a category rule must
name a defined category and known flags. Problems are collected and raised together.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, Licensing, get_spdx_licensing

from provenance.errors import BadInput, Problem
from provenance.licenses.catalogue import DpiCatalogue, load_dpi_catalogue
from provenance.licenses.names import fold, name_index
from provenance.resources import schema_file

FLAGS = (
    "commercial_use",
    "attribution_required",
    "share_alike",
    "no_derivatives",
    "forbids_competing_models",
)
COMMERCIAL = ("allowed", "not allowed", "unclear")


@dataclass(frozen=True)
class Terms:
    """What a licence lets a trainer do."""

    category: str
    rank: int
    commercial_use: str
    attribution_required: bool
    share_alike: bool
    no_derivatives: bool
    forbids_competing_models: bool = False


@dataclass
class Rule:
    pattern: re.Pattern[str]
    category: str
    flags: dict[str, Any]


@dataclass
class LicenseData:
    """Aliases, explicit unknowns, ambiguous families, categories and rules."""

    aliases: dict[str, str] = field(default_factory=dict)
    folded_aliases: dict[str, str] = field(default_factory=dict)  # names.fold(alias) → target
    compact_aliases: dict[str, str] = field(default_factory=dict)  # the same without spaces
    unknown: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, str | None, tuple[str, ...]]] = field(default_factory=dict)
    phrases: list[tuple[re.Pattern[str], str, str]] = field(default_factory=list)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    scancode: dict[str, str] = field(default_factory=dict)  # ScanCode category → ours
    dpi: DpiCatalogue = field(default_factory=DpiCatalogue)  # DPI's classes (last rule)
    _terms: dict[str, Terms | None] = field(default_factory=dict)

    def terms(self, license_id: str) -> Terms | None:
        """Terms of one SPDX id or LicenseRef: the first category rule that matches, else the
        category ScanCode's index gives the licence (None when neither covers it)."""
        if license_id in self._terms:
            return self._terms[license_id]
        found: Terms | None = None
        for rule in self.rules:
            if rule.pattern.search(license_id):
                found = self.category_terms(rule.category, rule.flags)
                break
        else:
            sc = name_index().scancode_category.get(license_id)
            if sc and self.scancode.get(sc) in self.categories:
                found = self.category_terms(self.scancode[sc])
        self._terms[license_id] = found
        return found

    def category_terms(self, category: str, overrides: dict[str, Any] | None = None) -> Terms:
        """Default terms of a category, with flag overrides."""
        c = {**self.categories[category], **(overrides or {})}
        return Terms(
            category=category,
            rank=int(c["rank"]),
            commercial_use=str(c["commercial_use"]),
            attribution_required=bool(c["attribution_required"]),
            share_alike=bool(c["share_alike"]),
            no_derivatives=bool(c["no_derivatives"]),
            forbids_competing_models=bool(c.get("forbids_competing_models", False)),
        )

    def label(self, category: str, lang: str) -> str:
        """Category name in ``en`` or ``zh``."""
        return str(self.categories[category].get(lang, category))


_SPACES = re.compile(r"[\s_]+")
_THE = re.compile(r"^the ")
_LICENSE_END = re.compile(r"\s*(licen[cs]e|许可证|许可协议|协议)$")


def norm_key(text: str) -> str:
    """Key for alias lookups: NFKC, lower case, spaces folded, edge punctuation removed."""
    t = unicodedata.normalize("NFKC", text).lower()
    return _SPACES.sub(" ", t).strip(" \t.;:,'\"`")


def key_variants(text: str) -> list[str]:
    """The normalised key and its forms without a leading "the" or a trailing "license"."""
    k = norm_key(text)
    out = [k]
    short = _LICENSE_END.sub("", _THE.sub("", k)).strip()
    if short and short != k:
        out.append(short)
    return out


@cache
def spdx() -> Licensing:
    """The SPDX licensing index bundled with license-expression (offline)."""
    return get_spdx_licensing()


def load_license_data(
    categories: Path | None = None, aliases: list[Path] | None = None
) -> LicenseData:
    """Load categories and aliases (bundled files first, then any extra alias files)."""
    data = LicenseData()
    problems: list[Problem] = []
    cat_path = categories or schema_file("licenses/categories.toml")
    doc = _toml(cat_path)
    for name, spec in doc.get("category", {}).items():
        missing = [f for f in ("rank", *FLAGS[:4]) if f not in spec]
        if missing or spec.get("commercial_use") not in COMMERCIAL:
            problems.append(
                Problem(
                    str(cat_path),
                    f"category.{name}",
                    f"needs rank and {', '.join(FLAGS[:4])}; commercial_use one of {COMMERCIAL}",
                )
            )
        data.categories[name] = spec
    if "unknown" not in data.categories:
        problems.append(
            Problem(str(cat_path), "category", "a category named 'unknown' is required")
        )
    for i, rule in enumerate(doc.get("rule", [])):
        extra = set(rule) - {"match", "category", *FLAGS}
        if rule.get("category") not in data.categories or extra:
            problems.append(
                Problem(
                    str(cat_path),
                    f"rule[{i}]",
                    f"category must be one of {sorted(data.categories)}; unknown keys {sorted(extra)}",
                )
            )
            continue
        try:
            pattern = re.compile(rule["match"])
        except (re.error, KeyError) as exc:
            problems.append(
                Problem(str(cat_path), f"rule[{i}].match", f"not a regular expression: {exc}")
            )
            continue
        flags = {k: v for k, v in rule.items() if k in FLAGS}
        data.rules.append(Rule(pattern, rule["category"], flags))
    for sc_cat, ours in doc.get("scancode", {}).items():
        if ours not in data.categories:
            problems.append(Problem(str(cat_path), f"scancode.{sc_cat}", "not a known category"))
        data.scancode[sc_cat] = ours
    for path in [schema_file("licenses/aliases.toml"), *(aliases or [])]:
        adoc = _toml(path)
        for alias, target in adoc.get("aliases", {}).items():
            if not _valid_target(data, target):
                problems.append(
                    Problem(
                        str(path),
                        f"aliases.{alias!r}",
                        f"{target!r} is not a valid SPDX id or expression, nor a LicenseRef a category rule covers",
                    )
                )
                continue
            data.aliases[norm_key(alias)] = target
            data.folded_aliases.setdefault(fold(alias), target)
            data.compact_aliases.setdefault(fold(alias).replace(" ", ""), target)
        for alias, reason in adoc.get("unknown", {}).items():
            data.unknown[norm_key(alias)] = str(reason)
        for alias, spec in adoc.get("ambiguous", {}).items():
            cands = spec.get("candidates", []) if isinstance(spec, dict) else None
            if (
                not isinstance(spec, dict)
                or spec.get("category", "unknown") not in data.categories
                or not isinstance(cands, list)
                or not all(isinstance(c, str) and _valid_target(data, c) for c in cands)
            ):
                problems.append(
                    Problem(
                        str(path),
                        f"ambiguous.{alias!r}",
                        "needs a reason, and a known category or valid candidate ids",
                    )
                )
                continue
            data.ambiguous[norm_key(alias)] = (
                str(spec.get("reason", "")),
                spec.get("category"),
                tuple(cands),
            )
        for i, spec in enumerate(adoc.get("phrase", [])):
            try:
                pattern = re.compile(spec["match"])
            except (re.error, KeyError, TypeError) as exc:
                problems.append(Problem(str(path), f"phrase[{i}].match", f"not a regex: {exc}"))
                continue
            if not _valid_target(data, spec.get("license")):
                problems.append(
                    Problem(str(path), f"phrase[{i}].license", "not a valid id or LicenseRef")
                )
                continue
            data.phrases.append((pattern, spec["license"], str(spec.get("note", "phrase table"))))
    if problems:
        raise BadInput(f"licence rule data has {len(problems)} problem(s)", problems)
    data.dpi = load_dpi_catalogue()
    return data


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"licence data file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"licence data file {path} is not valid TOML: {exc}") from None


def _valid_target(data: LicenseData, target: object) -> bool:
    if not isinstance(target, str) or not target:
        return False
    if target.startswith("LicenseRef-"):
        return data.terms(target) is not None
    if target in name_index().ids:
        return True
    try:
        parsed = spdx().parse(target, validate=False)
    except ExpressionError:
        return False
    keys = spdx().license_keys(parsed)
    return all(
        (k.startswith("LicenseRef-") and data.terms(k) is not None) or not spdx().validate(k).errors
        for k in keys
    )
