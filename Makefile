# Two commands do all the set-up on a fresh machine:
#   make run    install, then serve the web app on the embedded defaults (SQLite, bundled sample)
#   make test   install what the tests need, then run them
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

run: install
	$(BIN)/detainerlaw demo

test: install-test
	@if [ -x scripts/ensure-browser.sh ]; then scripts/ensure-browser.sh; fi
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/pip install -q -e '.[bench]'
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

.PHONY: install install-test run test bench
