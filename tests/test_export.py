"""Regulator export: bundle, integrity, no personal information, escaping, run diff, Chromium render."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from provenance import audit
from provenance.dossier.browser import FLAGS, chromium
from provenance.dossier.export import export, verify
from tests.conftest import Corpus, cli

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def demo(demo_dossier: tuple[Path, str]) -> tuple[Path, str]:
    return demo_dossier


@pytest.fixture(scope="module")
def bundle(demo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "out"
    export(demo[0], demo[1], out)
    return out


def planted_values() -> set[str]:
    """Every identifier planted in the demo corpus (read from the raw data files)."""
    import gzip

    import zstandard

    text = ""
    for p in (ROOT / "examples/demo/data").rglob("*"):
        if not p.is_file():
            continue
        raw = p.read_bytes()
        if p.suffix == ".gz":
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError):
                continue
        elif p.suffix == ".zst":
            raw = zstandard.ZstdDecompressor().stream_reader(raw).read()
        elif p.suffix == ".parquet":
            raw = str(pq.read_table(p).to_pylist()).encode()
        text += raw.decode("utf-8", "replace")
    values = set(re.findall(r"1[3-9]\d{9}", text))
    values |= set(re.findall(r"[\w.+-]+@example\.(?:cn|com)", text))
    values |= set(re.findall(r"\d{17}[\dX]", text))
    values |= set(re.findall(r"62\d{14}", text))
    return values | planted_names(text)


def planted_names(text: str) -> set[str]:
    """The free-text names examples/make_demo.py writes (issue 11), those present in the data."""
    sys.path.insert(0, str(ROOT / "examples"))
    import make_demo

    zh = {s + g for s in make_demo.ZH_SURNAMES for g in make_demo.ZH_GIVEN}
    en = {f"{f} {last}" for f in make_demo.EN_FIRST for last in make_demo.EN_LAST}
    return {n for n in zh | en if n in text}


def test_bundle_contents_and_views(bundle: Path, demo: tuple[Path, str]) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"dossier.html", "dossier.json", "eu_summary.json", "RUN.json", "SHA256SUMS"} <= names
    for table in (
        "findings",
        "sources",
        "pii_hits",
        "article7",
        "tc260_self_assessment",
        "filing_figures",
    ):
        assert f"tables/{table}.csv" in names and f"tables/{table}.parquet" in names
    listed = [line.split("  ", 1)[1] for line in (bundle / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(names - {"SHA256SUMS"})
    run = json.loads((bundle / "RUN.json").read_text())
    assert run["run_id"] == demo[1] and len(run["manifest_sha256"]) == 64
    data = json.loads((bundle / "dossier.json").read_text())
    assert [a["item"] for a in data["article7"]] == ["7(1)", "7(2)", "7(3)", "7(4)", "7(5)"]
    assert all(c["reason_en"] for c in data["tc260"] if c["status"] != "conforms")
    assert {"Chinese text", "English text"} <= {f["category"] for f in data["filing_figures"]}
    general = data["eu_summary"]["1_general_information"]
    assert (
        general["1_3_modalities_and_size"]["modalities"]["text"]["size_bin"]
        == "less than 1 billion tokens"
    )
    assert data["eu_summary"]["2_list_of_data_sources"]["2_3_crawled_and_scraped"]["top_domains"]
    con = duckdb.connect(str(demo[0]), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM article19").fetchone() == (6,)
    finally:
        con.close()


def test_verify_names_the_altered_file(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    assert verify(copy) == []
    res = cli("verify", str(copy))
    assert res.returncode == 0 and "intact" in res.stdout
    target = copy / "tables" / "findings.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one byte
    target.write_bytes(bytes(data))
    res = cli("verify", str(copy))
    assert res.returncode == 1 and "altered: tables/findings.parquet" in res.stderr
    (copy / "extra.txt").write_text("x")
    (copy / "dossier.json").unlink()
    problems = verify(copy)
    assert "missing: dossier.json" in problems and "not listed: extra.txt" in problems


def test_no_planted_personal_value_in_any_exported_file(bundle: Path) -> None:
    values = planted_values()
    assert len(values) > 100  # the demo plants mobiles, e-mails, ID numbers and cards
    assert len(planted_names(" ".join(values))) > 50  # and names in free text
    for p in bundle.rglob("*"):
        if not p.is_file():
            continue
        if p.suffix == ".parquet":
            content = pq.read_table(p).to_pylist().__repr__()
        else:
            content = p.read_bytes().decode("utf-8", "replace")
        leaked = [v for v in values if v in content]
        assert not leaked, (p.name, leaked[:3])


def test_hostile_manifest_strings_are_escaped(corpus: Corpus, tmp_path: Path) -> None:
    corpus.manifest["provider"]["name"] = '<script>alert("x")</script> & "Quotes" \'Ltd\''
    corpus.source("open")["name"] = "<img src=x onerror=alert(1)>"
    corpus.manifest["service"]["algorithm_description"] = "</p><script>document.write(1)</script>"
    db = tmp_path / "d.duckdb"
    result = audit(corpus.write(), db, workers=1)
    out = tmp_path / "out"
    export(db, result.run_id, out, formats=("html",))
    html = (out / "dossier.html").read_text()
    assert "<script>" not in html and "<img src=x" not in html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        or "&lt;script&gt;alert(&quot;x&quot;)" in html
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_export_refuses_incomplete_runs_and_unknown_options(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    from provenance.errors import BadInput

    with pytest.raises(BadInput, match="no run"):
        export(demo[0], "nope", tmp_path / "a")
    with pytest.raises(BadInput, match="unknown format"):
        export(demo[0], demo[1], tmp_path / "b", formats=("pdf",))
    res = cli(
        "export",
        "--db",
        str(demo[0]),
        "--run",
        demo[1],
        "--out",
        str(tmp_path / "c"),
        "--lang",
        "zh",
        "--format",
        "html",
    )
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "c" / "dossier.html").read_text()
    assert "第七条" in html and "Article 7: training-data processing" not in html


def test_diff_between_runs(corpus: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    first = audit(corpus.write(), db, workers=1)
    corpus.source("open")["license"] = "CC BY-NC 4.0"
    (corpus.root / "data/extra").mkdir()
    (corpus.root / "data/extra/x.txt").write_text("another line\n")
    corpus.add_source(
        {
            "id": "extra",
            "source_type": "synthetic",
            "origin": {"region": "domestic"},
            "files": [{"root": "corpus", "glob": "extra/*.txt"}],
        }
    )
    second = audit(corpus.write(), db, workers=1)
    res = cli("diff", "--db", str(db), first.run_id, second.run_id, "--format", "json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["sources_added"] == ["extra"] and d["sources_removed"] == []
    assert (
        d["licence_changes"][0]["source_id"] == "open"
        and d["licence_changes"][0]["after"] == "CC-BY-NC-4.0"
    )
    opened = {f["check_id"] for f in d["findings_opened"]}
    assert {"SRC-05", "EU-07"} <= opened
    table = cli("diff", "--db", str(db), first.run_id, second.run_id)
    assert "findings opened" in table.stdout


def test_dossier_renders_offline_in_headless_chromium(bundle: Path, tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail(
                "chromium is not installed: .ci/run installs Debian's chromium and fonts-noto-cjk"
            )
        pytest.skip("chromium not installed on this machine")
    flags = [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    url = (bundle / "dossier.html").as_uri()

    def requests(page: str, log: Path) -> list[tuple[str, str]]:
        """(url, traffic annotation) of every HTTP(S) request in Chromium's net log."""
        subprocess.run(
            [
                browser,
                *flags,
                f"--log-net-log={log}",
                "--window-size=1200,1600",
                f"--screenshot={tmp_path / 'shot.png'}",
                page,
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
        raw = log.read_text(errors="replace")
        found = re.findall(
            r'\{[^{}]*"traffic_annotation":(\d+),"url":"(https?://[^"]+)"[^{}]*\}', raw
        )
        return [(u, a) for a, u in found]

    # Chromium itself phones home (update checks) whatever the page does; a canary page with one
    # loopback image tells which traffic annotation page sub-resources carry.
    canary = tmp_path / "canary.html"
    canary.write_text('<html><body><img src="http://127.0.0.1:9/canary.png"></body></html>')
    page_annotations = {
        a for u, a in requests(canary.as_uri(), tmp_path / "canary.json") if "127.0.0.1:9" in u
    }
    assert page_annotations, "could not identify page requests in the net log"
    loaded = [u for u, a in requests(url, tmp_path / "net.json") if a in page_annotations]
    assert loaded == [], f"the dossier loaded {loaded}"
    shot = tmp_path / "shot.png"
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "第七条 训练数据处理活动" in dom and "Article 7: training-data processing" in dom
    assert "TC260-003 安全要求自评估" in dom and "Personal information" in dom
    # the screenshot is not blank: many distinct grey levels
    from PIL import Image

    img = Image.open(shot).convert("L")
    assert sum(1 for count in img.histogram() if count) > 20
