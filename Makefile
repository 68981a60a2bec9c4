# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB := out/demo.duckdb
# names and places on a sample of 400 records per source, so the demo shows sampled rates
DEMO_SAMPLE := 400

.PHONY: demo test lint typecheck check clean demo-data docs screenshots

$(STAMP): pyproject.toml requirements-ner.txt requirements-tokens.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-ner.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-tokens.txt
	touch $(STAMP)

## demo: install, audit the bundled example corpus, print the summary and where the dossier is.
## The demo corpus has planted problems, so the audit exits 1 (blocking findings); that is the point.
demo: $(STAMP)
	@mkdir -p out
	@$(BIN)/provenance audit examples/demo/manifest.yaml --db $(DEMO_DB) --pii-sample-size $(DEMO_SAMPLE); rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo; echo "Exit code $$rc (0 = no blocking findings, 1 = blocking findings: expected for the demo)."; \
	  echo "Dossier: $(DEMO_DB)  — try: $(BIN)/provenance sql --db $(DEMO_DB) \"SELECT article, severity, count(*) FROM findings GROUP BY ALL\""; \
	  run=$$($(BIN)/provenance sql --db $(DEMO_DB) "SELECT run_id FROM latest_run" --format csv | tail -n 1); \
	  rm -rf out/demo-dossier; $(BIN)/provenance export --db $(DEMO_DB) --run $$run --out out/demo-dossier >/dev/null && \
	  echo "Regulator bundle: out/demo-dossier/ (open dossier.html; check with: $(BIN)/provenance verify out/demo-dossier)"

## test: the whole suite (lint and type checks included), one pytest worker per core (tests are
## dealt out one at a time: grouping a module on one worker left its slowest module as a tail).
test: $(STAMP) lint typecheck
	$(BIN)/pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check provenance tests examples benchmarks
	$(BIN)/ruff format --check provenance tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## demo-data: regenerate the committed demo corpus (deterministic), then draw its review sheets
## with `provenance sample` and fill in the reviewers' verdicts (examples/demo_reviews.py).
demo-data: $(STAMP)
	$(BIN)/python examples/make_demo.py examples/demo
	$(BIN)/python examples/demo_reviews.py examples/demo

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

## docs: regenerate README's checks and finding-codes tables and dossier.sql's shard tables from their declarations.
docs: $(STAMP)
	$(BIN)/python -m provenance.docs --write

## screenshots: the demo dossier's charts in Chinese and English as examples/dossier-{zh,en}.png
## (needs Debian's chromium and fonts-noto-cjk; look at them after changing the dossier's look).
screenshots: $(STAMP)
	@mkdir -p out
	@$(BIN)/provenance audit examples/demo/manifest.yaml --db out/screenshots.duckdb --pii-sample-size $(DEMO_SAMPLE) >/dev/null; rc=$$?; \
	  if [ $$rc -gt 1 ]; then exit $$rc; fi
	$(BIN)/python examples/screenshots.py out/screenshots.duckdb
	@rm -f out/screenshots.duckdb
