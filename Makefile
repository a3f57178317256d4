# Two commands on a fresh machine: `make demo` runs the main job, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit checkov docs reference clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# checkov, which tests/test_security.py runs over every compiled template, in its own environment (its
# dependencies clash with ours). Pinned: a newer checkov brings new checks, and each of their findings is
# a decision to make (fix it, or allow-list it with its reason).
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

$(CHECKOV):
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $(CHECKOV)

checkov: $(CHECKOV)

# The main job: deploy examples/quickstart to the embedded engine, show it, change the code, deploy the
# change, and delete everything. Works on a machine with no AWS account.
DEMO := build/demo/quickstart
SW := ../../../$(BIN)/stackwright
# The built-ins only, whatever other plugins the environment has installed.
demo: export STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD = 1
demo: $(STAMP)
	rm -rf build/demo && mkdir -p build/demo && cp -r examples/quickstart $(DEMO)
	cd $(DEMO) && $(SW) deploy --local
	cd $(DEMO) && $(SW) info --local
	printf '\n# a one-line code change\n' >> $(DEMO)/src/processor.py
	cd $(DEMO) && $(SW) deploy --local
	cd $(DEMO) && $(SW) delete --local --yes
	$(BIN)/stackwright local stop

lint: $(STAMP)
	$(BIN)/ruff check core builtin_plugins providers tests examples benchmarks docs .ci
	$(BIN)/python .ci/typecheck.py

# The examples' plugins and the providers are installed while the tests run (they must change no other
# test's outcome), then removed, so the environment's own `stackwright` is left with the built-ins only.
EXAMPLE_PLUGINS := -e examples/custom-resource-type -e examples/naming-override \
	-e providers/mongodb-atlas -e providers/upstash
EXAMPLE_DISTRIBUTIONS := acme-stackwright-types acme-naming stackwright-mongodb-atlas stackwright-upstash
unit: $(STAMP) $(CHECKOV)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation $(EXAMPLE_PLUGINS)
	$(BIN)/python -m pytest; status=$$?; \
		$(BIN)/python -m pip uninstall --quiet --yes $(EXAMPLE_DISTRIBUTIONS); exit $$status

# The documentation site, every warning an error (broken links and anchors, pages left out of the nav).
# The reference pages it includes are generated; tests/test_docs.py fails when one is stale.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Regenerate every generated reference page (hooks, API, CLI, config properties, resource types).
reference: $(STAMP)
	STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python docs/hookref.py
	STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python docs/clireference.py
	STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python docs/configref.py
	STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python docs/typesref.py
	STACKWRIGHT_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python docs/supportref.py

test: lint docs unit

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) build dist .pytest_cache .mypy_cache .ruff_cache
