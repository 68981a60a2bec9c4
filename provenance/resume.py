"""Opening a run: a new one, or an interrupted one resumed under exactly the same inputs.

A resumed run keeps the shards it committed, so everything that shaped those shards' results
must be what it was: the manifest, the pipeline's settings, every file a pipeline step or the
manifest's keyword library points to (by SHA-256), the tool and scanner versions, the tokenizer
(name, package versions, vocabulary SHA-256), the licence data and the PII key (by
fingerprint). All of it is recorded with the run (``runs.config``, key ``inputs``) and a resume
that finds any of it changed is refused, naming what changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from provenance import __version__, tokens
from provenance.errors import BadInput
from provenance.manifest import LoadedManifest
from provenance.manifest.rows import algorithm_texts, declared, manifest_rows
from provenance.pii.ner import ENGINE_VERSION
from provenance.pii.protect import key_fingerprint
from provenance.pipeline import Pipeline
from provenance.plan import Plan
from provenance.resources import data_dir
from provenance.scanners import SCANNERS, shard_tables
from provenance.store import Store

#: run settings that may differ on resume (they change how, not what, is computed)
FREE = ("workers", "executor")
#: settings of [reduce] that bound resources, not results: a run that ran out of memory resumes
#: with a larger memory_mib
FREE_REDUCE = ("memory_mib",)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _locate(text: str, pipeline_dir: Path) -> Path | None:
    """A setting's file: absolute as given, else beside the pipeline or in schemas/."""
    path = Path(text)
    bases = [path] if path.is_absolute() else [pipeline_dir / path, data_dir("schemas") / path]
    return next((b for b in bases if b.is_file()), None)


def step_files(pipe: Pipeline) -> dict[str, str]:
    """SHA-256 of every file a pipeline step's settings name (pattern files, deny lists, the
    licence policy and alias files …), found where the steps look: as given, beside the
    pipeline, or in the bundled schemas/. Keyed ``checks.NAME.SETTING`` / ``scanners.…``."""
    out: dict[str, str] = {}
    config = pipe.config()
    for kind in ("checks", "scanners"):
        for step, settings in config[kind].items():
            for setting, value in settings.items():
                for text in _strings(value):
                    found = _locate(text, pipe.path.parent)
                    if found is not None:
                        out[f"{kind}.{step}.{setting}:{text}"] = _sha256(found)
    return out


def run_inputs(lm: LoadedManifest, pipe: Pipeline, pii_key: bytes) -> dict[str, Any]:
    """Fingerprints of everything besides the manifest and settings that shapes results."""
    files = step_files(pipe)
    cf = lm.manifest.content_filtering
    if cf and cf.keyword_library:
        library = lm.base_dir / cf.keyword_library
        files["keyword library:" + cf.keyword_library] = (
            _sha256(library) if library.is_file() else "missing"
        )
    out = {
        "tool_version": __version__,
        "scanners": {s.name: SCANNERS[s.name].version for s in pipe.scanners},
        "files": files,
        "pii_key": key_fingerprint(pii_key),
        "ner_engines": ENGINE_VERSION,
    }
    for s in pipe.scanners:
        if s.name == "corpus_stats":  # the tokenizer counting `tokens`: name, versions, SHA-256
            tok = tokens.load(s.settings["tokenizer"])
            out["tokenizer"] = tok.describe(s.settings["token_sample"])
    return out


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two ``inputs`` records, in words."""
    out = []
    if old.get("tool_version") != new["tool_version"]:
        out.append(f"provenance version {old.get('tool_version')} → {new['tool_version']}")
    for name in sorted(set(old.get("scanners", {})) | set(new["scanners"])):
        a, b = old.get("scanners", {}).get(name), new["scanners"].get(name)
        if a != b:
            out.append(f"scanner {name} version {a} → {b}")
    for name in sorted(set(old.get("files", {})) | set(new["files"])):
        a, b = old.get("files", {}).get(name), new["files"].get(name)
        if a != b:
            out.append(f"{name} (sha256 {str(a)[:12]} → {str(b)[:12]})")
    if old.get("tokenizer") != new.get("tokenizer"):
        a, b = (x.get("label") if x else None for x in (old.get("tokenizer"), new.get("tokenizer")))
        out.append(f"tokenizer {a} → {b}")
    if old.get("ner_engines", new["ner_engines"]) != new["ner_engines"]:
        out.append(f"name-search engines {old.get('ner_engines')} → {new['ner_engines']}")
    if old.get("pii_key") != new["pii_key"]:
        out.append(
            f"the PII key (fingerprint {old.get('pii_key')} → {new['pii_key']}; "
            "set PROVENANCE_PII_KEY or PROVENANCE_PII_KEY_FILE to the key the run started with)"
        )
    return out


def _bound(config: dict[str, Any]) -> dict[str, Any]:
    """A run's config without the settings a resume may change (:data:`FREE`)."""
    out = {k: v for k, v in config.items() if k not in FREE}
    if isinstance(out.get("reduce"), dict):
        out["reduce"] = {k: v for k, v in out["reduce"].items() if k not in FREE_REDUCE}
    return out


def check_resumable(run: dict[str, Any], lm: LoadedManifest, config: dict[str, Any]) -> None:
    """Refuse (BadInput, exit 2) to resume ``run`` when anything that shaped it changed."""
    rid = run["run_id"]
    if run["status"] == "complete":
        raise BadInput(f"run {rid} is already complete; start a new audit instead")
    if run["manifest_sha256"] != lm.sha256:
        raise BadInput(f"manifest {lm.path} changed since run {rid} started; start a new audit")
    stored = _bound(run["config"])
    wanted = _bound(json.loads(json.dumps(config, default=str)))
    changed = _changed(stored.pop("inputs", {}), wanted.pop("inputs"))
    if stored != wanted:
        keys = sorted(k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k))
        changed.insert(0, f"pipeline settings ({', '.join(keys)})")
    if changed:
        raise BadInput(
            f"cannot resume run {rid}: its inputs changed since it started: "
            + "; ".join(changed)
            + ". Results made under different inputs would be mixed: start a new audit"
        )


def open_run(
    store: Store,
    lm: LoadedManifest,
    pipe: Pipeline,
    plan: Plan,
    config: dict[str, Any],
    resume: str | None,
    run_id: str,
) -> str:
    """Create run ``run_id``, or reopen run ``resume`` after :func:`check_resumable`."""
    rows = manifest_rows(lm, plan)
    if resume is None:
        store.begin_run(
            {
                "run_id": run_id,
                "tool_version": __version__,
                "pipeline": pipe.name,
                "config": json.dumps(config, sort_keys=True, default=str),
                "manifest_path": str(lm.path),
                "manifest_sha256": lm.sha256,
                "provider": lm.manifest.provider.name,
                "service": lm.manifest.service.name,
                "intended_use": lm.manifest.service.intended_use,
                **algorithm_texts(lm),
                "declared": declared(lm),
                "shards_total": len(plan.shards),
            },
            rows,
        )
        return run_id
    run = store.run(resume)
    if run is None:
        raise BadInput(
            f"no run {resume!r} in {store.path}; `provenance runs --db {store.path}` lists them"
        )
    check_resumable(run, lm, config)
    # Files whose size or mtime changed are re-read: their staged results are dropped.
    _, old = store.query("SELECT file_id, bytes, mtime_ns FROM files WHERE run_id = ?", [resume])
    before = {r[0]: (r[1], r[2]) for r in old}
    now = {f.file_id: (f.bytes, f.mtime_ns) for f in plan.files}
    changed = [fid for fid, v in before.items() if now.get(fid) != v]
    store.forget_shards(resume, changed, shard_tables())
    store.reopen_run(resume, rows)
    return resume
