# Two commands on a fresh machine: `make demo` runs the main job, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	cd examples/hello-function && ../../$(BIN)/stackwright validate && ../../$(BIN)/stackwright synth --out ../../build/demo/template.json && ../../$(BIN)/stackwright plugins

lint: $(STAMP)
	$(BIN)/ruff check core builtin_plugins providers tests examples benchmarks docs .ci
	$(BIN)/python .ci/typecheck.py

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint unit

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
