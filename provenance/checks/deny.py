"""SRC-04: sources on a deny list (rejected or blacklisted sources) are absent from the corpus.

Deny lists are plain text files a compliance officer edits: one entry per line, ``#`` starts a
comment. ``domain:example.com`` matches that host and its subdomains; ``dataset:books3`` matches
a dataset, source or upstream id; a bare entry is a domain if it contains a dot, else an id.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from provenance.checks.base import Check, CheckContext
from provenance.errors import BadInput, Problem
from provenance.findings import FindingCode
from provenance.resources import data_dir

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$")
_ID = re.compile(r"^[^\s:]{1,200}$")

ID_HIT = FindingCode(
    "deny_listed_id",
    "SRC-04",
    "7(1)",
    "blocker",
    en="{what} '{name}' is on deny list '{list}' (entry '{entry}'); rejected sources must not be used",
    zh="{what_zh}“{name}”在黑名单“{list}”中（条目“{entry}”）；被拒绝的来源不得使用",
)
HOST_HIT = FindingCode(
    "deny_listed_domain",
    "SRC-04",
    "7(1)",
    "blocker",
    en="source '{source}' holds {count} collected URL(s) from deny-listed domain '{entry}' (list '{list}')",
    zh="来源“{source}”含 {count} 条来自黑名单域名“{entry}”（黑名单“{list}”）的采集网址",
)
_WHAT_ZH = {
    "source": "来源",
    "dataset": "数据集",
    "upstream dataset": "上游数据集",
    "source URL": "来源网址",
}


class DenySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lists: list[str] = ["deny_list.txt"]


def host_of(url: str) -> str | None:
    """Lower-case host of a URL, or None if it has none."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def host_matches(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


class DenyList(Check):
    """Match source ids, dataset ids, upstream ids and collected hosts against deny lists."""

    name: ClassVar[str] = "deny_list"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-04",)
    codes: ClassVar[tuple[FindingCode, ...]] = (
        ID_HIT,
        HOST_HIT,
    )
    Settings: ClassVar[type[BaseModel]] = DenySettings

    def prepare(self, pipeline_dir: Path) -> None:
        self.domains: list[tuple[str, str]] = []  # (domain, list name)
        self.ids: list[tuple[str, str]] = []
        problems: list[Problem] = []
        for name in self.settings.lists:  # type: ignore[attr-defined]
            path = next(
                (d / name for d in (pipeline_dir, data_dir("schemas")) if (d / name).is_file()),
                None,
            )
            if path is None:
                raise BadInput(
                    f"deny list {name!r} not found in {pipeline_dir} or the bundled schemas/"
                )
            for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                entry = raw.split("#", 1)[0].strip().lower()
                if not entry:
                    continue
                kind, _, value = entry.partition(":") if ":" in entry else ("", "", entry)
                kind = kind or ("domain" if "." in value and "/" not in value else "dataset")
                if kind == "domain" and _DOMAIN.match(value):
                    self.domains.append((value, path.name))
                elif kind == "dataset" and _ID.match(value):
                    self.ids.append((value, path.name))
                else:
                    problems.append(
                        Problem(
                            str(path),
                            "",
                            f"invalid entry {raw.strip()!r}; write "
                            "'domain:example.com', 'dataset:some-id', or a bare domain or id",
                            lineno,
                            "invalid_entry",
                        )
                    )
        if problems:
            raise BadInput(f"deny list has {len(problems)} invalid entr(ies)", problems)

    def _id_hit(self, name: str) -> tuple[str, str] | None:
        low = name.lower()
        tail = low.rsplit("/", 1)[-1].removeprefix("hf:")
        return next(((e, lst) for e, lst in self.ids if e in (low, tail)), None)

    def _listed(
        self, ctx: CheckContext, source_id: str, what: str, name: str, entry: str, list_name: str
    ) -> None:
        ctx.find(
            ID_HIT,
            ("source", source_id),
            {"entry": entry, "list": list_name, "matched": name},
            key=name,
            what=what,
            what_zh=_WHAT_ZH[what],
            name=name,
            entry=entry,
            list=list_name,
        )

    def check(self, ctx: CheckContext) -> None:
        for ds, src in ctx.lm.manifest.sources():
            candidates = [("source", src.id), ("dataset", ds.id)] + [
                ("upstream dataset", u) for u in src.upstream
            ]
            for what, name in candidates:
                if hit := self._id_hit(name):
                    self._listed(ctx, src.id, what, name, *hit)
            if src.url and (host := host_of(src.url)):
                for dom, lst in self.domains:
                    if host_matches(host, dom):
                        self._listed(ctx, src.id, "source URL", src.url, dom, lst)
            if src.collection and src.collection.log:
                rows, _, _ = ctx.records(src.collection.log)
                counts: dict[tuple[str, str], int] = {}
                for r in rows:
                    host = host_of(str(r.get("url") or ""))
                    for dom, lst in self.domains if host else ():
                        if host and host_matches(host, dom):
                            counts[(dom, lst)] = counts.get((dom, lst), 0) + 1
                for (dom, lst), n in sorted(counts.items()):
                    ctx.find(
                        HOST_HIT,
                        ("source", src.id),
                        {"entry": dom, "list": lst, "urls": n},
                        key=dom,
                        source=src.id,
                        count=n,
                        entry=dom,
                        list=lst,
                    )
