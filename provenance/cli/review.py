"""The review loop: ``provenance sample`` draws a review sample and writes the reviewers' sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from provenance.cli.app import DbOption, RunOption, app, err, fail, out
from provenance.cli.run import AllowRootOption
from provenance.errors import BadInput, ProvenanceError
from provenance.review.draw import STRATIFY, DrawSpec
from provenance.terminal import styled

#: TC260-003 §9.2a: the manual corpus sample; the same default per source (REGULATION.md SRC-02)
DEFAULT_N = 4000


@app.command()
def sample(
    db: DbOption,
    run: RunOption,
    out_path: Annotated[Path, typer.Option("--out", help="New sheet file: .csv, .xlsx or .jsonl.")],
    source: Annotated[
        str | None, typer.Option(help="Draw from this source only (SRC-03 review).")
    ] = None,
    dataset: Annotated[str | None, typer.Option(help="Draw from this dataset only.")] = None,
    corpus: Annotated[
        bool, typer.Option("--corpus", help="Draw from the whole corpus (CNT-02, CNT-03).")
    ] = False,
    n: Annotated[
        int | None,
        typer.Option(min=1, help=f"Items to draw (default {DEFAULT_N}: TC260-003 §9.2a)."),
    ] = None,
    share: Annotated[
        float | None,
        typer.Option(
            min=0.000001, max=1.0, help="Draw this share of the scope instead (0.10: §9.2b)."
        ),
    ] = None,
    seed: Annotated[
        int,
        typer.Option(
            min=-(2**63),
            max=2**63 - 1,
            help="Random seed (a 64-bit integer): the same seed, the same sheet.",
        ),
    ] = 0,
    stratify: Annotated[
        str | None, typer.Option(help="Strata: source, dataset, language or file.")
    ] = None,
    allocation: Annotated[
        str,
        typer.Option(help="proportional (to stratum size) or equal (the same per stratum)."),
    ] = "proportional",
    allow_root: AllowRootOption = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes masking the texts (default: usable cores, max 8)."),
    ] = None,
) -> None:
    """Draw a seeded random sample of a run's records and write the reviewers' sheet.

    The sheet has one row per record (masked text, source, file, line) and empty verdict,
    risk_code, reviewer and reviewed_at columns; its header block says what was drawn, when,
    with which seed, from how many records. The sample is recorded in the dossier (samples,
    sample_items); a reviewed sheet named in the manifest (safety_review.post_collection,
    content_filtering.manual_sample / technical_sample) is checked against it by the audit.
    """
    from provenance.executors.local import default_workers
    from provenance.review.sampler import sample as do_sample

    try:
        if not db.is_file():
            raise BadInput(f"{db} is not a dossier file (`provenance audit … --db {db}` makes one)")
        spec = _spec(source, dataset, corpus, n, share, seed, stratify, allocation)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = bar.add_task(what, total=total)
                bar.update(tasks[what], completed=done)

            drawn = do_sample(
                db,
                run,
                spec,
                out_path,
                progress,
                tuple(allow_root or ()),
                workers or default_workers(),
            )
    except ProvenanceError as exc:
        fail(exc)
    d = drawn.draw
    out.print(
        styled(
            ("sampled", "green"),
            f" {d.n:,} of {d.population:,} records of the {spec.label()} (seed {spec.seed}, "
            f"sample {d.sample_id}) → {drawn.sheet}",
        )
    )
    if spec.n is not None and spec.n > d.population:
        out.print(f"  --n {spec.n:,} is more than the {d.population:,} records: all of them drawn")
    if len(d.strata) > 1:
        for s in sorted(d.strata):
            out.print(f"  {drawn.labels.get(s, s)}: {d.quotas[s]:,} of {d.strata[s]:,}")
    out.print(
        "Reviewers fill verdict, risk_code, reviewer, reviewed_at; name the returned sheet in the "
        "manifest (a source's safety_review.post_collection, or content_filtering.manual_sample "
        "or technical_sample) and audit again."
    )


def _spec(
    source: str | None,
    dataset: str | None,
    corpus: bool,
    n: int | None,
    share: float | None,
    seed: int,
    stratify: str | None,
    allocation: str,
) -> DrawSpec:
    """The draw the options describe; exit 2 saying what is valid."""
    scopes = [x for x in (source and "source", dataset and "dataset", corpus and "corpus") if x]
    if len(scopes) != 1:
        raise BadInput("name exactly one of --source S, --dataset X or --corpus")
    if n is not None and share is not None:
        raise BadInput("give --n or --share, not both")
    if stratify is not None and stratify not in STRATIFY:
        raise BadInput(f"--stratify {stratify!r}: valid are {', '.join(STRATIFY)}")
    if allocation not in ("proportional", "equal"):
        raise BadInput(f"--allocation {allocation!r}: valid are proportional, equal")
    return DrawSpec(
        scope=scopes[0],  # type: ignore[arg-type]
        scope_id=source or dataset,
        seed=seed,
        n=n if n is not None or share is not None else DEFAULT_N,
        share=share,
        stratify=stratify,  # type: ignore[arg-type]
        allocation=allocation,  # type: ignore[arg-type]
    )
