# Two entry points (see README): `make lab` starts the workbook, `make test` runs every test.
# Both create .venv themselves and install from the pinned set in constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test lint unit notebooks notebook-outputs docs screenshots ui bench format lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/vonage-widgets lab

test: $(STAMP)
	$(MAKE) --no-print-directory lint unit notebooks ui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vonage_widgets benchmarks
	$(BIN)/lint-imports --no-cache

# On every core (pytest-xdist), one worker per test module (tests/conftest.py); the ten
# slowest tests are listed at the end.
unit: $(STAMP)
	$(BIN)/pytest tests --ignore=tests/ui -n auto --dist loadgroup --durations=10

notebooks: $(STAMP)
	$(BIN)/pytest -p no:python --nbval --nbval-current-env notebooks

# Run every notebook as a user would (one shared sandbox, seed 2026) and store the outputs
# and widget state: what nbval compares and the docs site shows (tools/run_notebooks.py).
notebook-outputs: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

# The docs site (Sphinx + myst-nb) from the stored notebook outputs and the docstrings, offline:
# open docs/_build/html/index.html.
docs: $(STAMP)
	$(BIN)/sphinx-build -q -W -b html docs docs/_build/html

# The browser tests, keeping their screenshots of each notebook (1440x900) in docs/screenshots.
screenshots: $(STAMP)
	$(BIN)/pytest tests/ui --screenshots docs/screenshots

ui: $(STAMP)
	$(BIN)/pytest tests/ui

bench: $(STAMP)
	$(BIN)/python -m benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^vonage-widgets' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache \
		docs/_build docs/tutorials
