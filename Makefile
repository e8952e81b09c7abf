# Quick start:  make run   (set up, build the demo database, open the dashboard)
#               make test  (set up, run every test, browser tests included)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := data/demo/workforce.duckdb
DEMO_KEY := data/demo/pseudonym.key

.PHONY: run test setup demo chromium bench lint

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

setup: $(BIN)/activate

# Debian's chromium renders chart images (kaleido) and drives the browser tests (playwright).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is needed for image export and browser tests: sudo apt-get install -y chromium"; exit 1; fi; }

$(DEMO_DB): | setup
	$(BIN)/python -m pipelines demo --out data/demo/extracts --db $(DEMO_DB) --key $(DEMO_KEY)

demo: $(DEMO_DB)

# DfE's published files ship in data/dfe/ (data/dfe/README.md); the demo's own "published" return goes in
# after them. Importing files already imported changes nothing, so every `make run` may do it.
run: setup $(DEMO_DB)
	$(BIN)/python -m pipelines benchmarks import data/dfe/*.csv $$(ls data/demo/published_return.csv 2>/dev/null) --db $(DEMO_DB) || echo "DfE benchmarks not imported (see docs/BENCHMARKS.md)"
	$(BIN)/python -m pipelines census import data/demo/census/*.xml --db $(DEMO_DB) --key $(DEMO_KEY) || echo "Census returns not imported (see docs/CENSUS.md)"
	$(BIN)/python -m dashboard.serve

test: setup chromium
	$(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python -m pipelines bench --scale large --out docs/benchmark-latest.json

lint: setup
	$(BIN)/ruff check .
