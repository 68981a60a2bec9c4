"""Terminal output for the CLI: the shard progress bar and the end-of-run summary (rich)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from provenance.executors import ShardResult
from provenance.findings import SEVERITIES
from provenance.runner import RunResult
from provenance.terminal import cell, styled

_STYLE = {"blocker": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


class RichProgress:
    """A progress bar over shards, drawn on stderr so stdout stays parseable."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "shards · {task.fields[records]:,} records · {task.fields[errors]} unreadable"
            ),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task: Any = None
        self.records = 0
        self.errors = 0

    def phase(self, text: str) -> None:
        self.console.print(styled((f"· {text}", "dim")))

    def start(self, total: int, done: int) -> None:
        if done:
            self.console.print(
                styled((f"· resuming: {done} of {total} shards already committed", "dim"))
            )
        self.bar.start()
        self.task = self.bar.add_task("scanning", total=total, completed=done, records=0, errors=0)

    def advance(self, result: ShardResult) -> None:
        self.records += result.stats.records
        self.errors += result.status == "error"
        self.bar.update(self.task, advance=1, records=self.records, errors=self.errors)

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()
            self.task = None


def print_summary(console: Console, result: RunResult) -> None:
    """Findings by article and severity, the blocking ones in both languages, and where to look."""
    counts: Counter[tuple[str, str]] = Counter((f.article, f.severity) for f in result.findings)
    articles = sorted({a for a, _ in counts})
    table = Table(title=f"Findings of run {result.run_id} · 审计发现", show_lines=False)
    table.add_column("Article 条款")
    for sev in reversed(SEVERITIES):
        table.add_column(sev, justify="right", style=_STYLE[sev])
    for art in articles:
        table.add_row(
            cell(f"Art. {art}"), *[cell(counts.get((art, s), "")) for s in reversed(SEVERITIES)]
        )
    console.print(table)
    blocking = result.blocking
    if blocking:
        console.print(
            styled(
                (f"{len(blocking)} blocking finding(s)", "bold red"),
                f" (severity ≥ {result.fail_on}) · 阻断性发现：",
            )
        )
        for f in blocking[:15]:
            console.print(
                styled(
                    "  ", (f"{f.severity:>7}", _STYLE[f.severity]), f" {f.check_id} {f.message_en}"
                )
            )
            console.print(styled(f"          {' ' * len(f.check_id)} {f.message_zh}"))
        if len(blocking) > 15:
            console.print(
                styled(
                    f"  … and {len(blocking) - 15} more: SELECT * FROM findings WHERE run_id = '{result.run_id}'"
                )
            )
    console.print(
        styled(
            f"Files {result.files} ({result.unreadable_files} unreadable) · shards {result.shards_total}"
            + (f" ({result.shards_resumed} resumed)" if result.shards_resumed else "")
        )
    )
    if result.profile_line:  # where the time went (runs.profile)
        console.print(styled((result.profile_line, "dim")))
    verdict = "PASS — no blocking findings" if result.exit_code == 0 else "FAIL — blocking findings"
    console.print(styled((verdict, "bold"), f" · exit code {result.exit_code}"))
    console.print(styled("Dossier: ", (str(result.db_path), "bold"), f" (run {result.run_id})"))
