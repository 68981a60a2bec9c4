"""The EU training-content summary as rows of the HTML dossier, in the template's order.

The summary (:mod:`provenance.dossier.eu`) is JSON in English, as the AI Office publishes it;
the dossier shows it in the reader's language: every key and every generated phrase has a label
in :mod:`provenance.vocabulary` (domains ``eu_field`` and ``eu_text``), and user data and ids
are shown as given, marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup, escape

from provenance.vocabulary import LABELS

Label = Callable[[str, object], str]
#: keys whose values are labelled from another vocabulary domain
VALUE_DOMAIN = {
    "content_types": "content_type",
    "modality": "modality",
    "content_type": "content_type",
}
KEY_DOMAIN = {"modalities": "modality", "robots_verdicts": "robots_verdict"}


def _value(key: str, value: Any, label: Label, langs: tuple[str, ...]) -> Markup:
    """One leaf value: generated phrases and enum values labelled, the rest shown as given."""
    if isinstance(value, bool):
        zh, en = ("是", "yes") if value else ("否", "no")
        return Markup(escape(" / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in langs)))
    if isinstance(value, int | float):
        return Markup(f"{100 * value:.1f}%" if key.endswith("share") else f"{value:,}")
    if isinstance(value, list):
        return Markup(", ").join(_item(key, x, label, langs) for x in value) or Markup("—")
    text = str(value)
    if key in VALUE_DOMAIN:
        return Markup(escape(label(VALUE_DOMAIN[key], text)))
    if text in LABELS["eu_text"] or text in LABELS["eu_size_bin"]:
        domain = "eu_text" if text in LABELS["eu_text"] else "eu_size_bin"
        return Markup(escape(label(domain, text)))
    return Markup('<span class="v">{}</span>').format(text)


def _item(key: str, item: Any, label: Label, langs: tuple[str, ...]) -> Markup:
    """One element of a list: a dataset, a domain, or a plain value."""
    if isinstance(item, dict):
        name = item.get("name") or item.get("domain") or item.get("source_id")
        out = Markup('<span class="v">{}</span>').format(name)
        if "share" in item:
            out += Markup(f" ({100 * float(item['share']):.1f}%)")
        if "bytes" in item:
            out += Markup(f" ({int(item['bytes']):,})")
        return out
    return _value(key, item, label, langs)


def eu_rows(
    summary: Any, label: Label, langs: tuple[str, ...]
) -> Iterator[tuple[int, str, Markup]]:
    """(depth, field label, value) rows; a section has an empty value."""

    def walk(node: dict[str, Any], depth: int, domain: str) -> Iterator[tuple[int, str, Markup]]:
        for key, value in node.items():
            name = label(domain, key)
            if isinstance(value, dict) and not (value and "name" in value and depth > 1):
                yield depth, name, Markup("")
                yield from walk(value, depth + 1, KEY_DOMAIN.get(key, "eu_field"))
            elif isinstance(value, dict):  # a contact: name and how to reach it
                parts = [value.get("name"), value.get("contact")]
                yield (
                    depth,
                    name,
                    Markup("; ").join(
                        Markup('<span class="v">{}</span>').format(p) for p in parts if p
                    ),
                )
            else:
                yield depth, name, _value(key, value, label, langs)

    yield from walk(summary, 0, "eu_field")
