# Two entry points (see README): `make lab` starts the workbook, `make test` runs every test.
# Both create .venv themselves and install from the pinned set in constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test lint unit notebooks notebook-outputs ui bench format lock clean

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

unit: $(STAMP)
	$(BIN)/pytest tests --ignore=tests/ui

notebooks: $(STAMP)
	$(BIN)/pytest -p no:python --nbval --nbval-current-env notebooks

# Run every notebook as a user would (one shared sandbox, seed 2026) and store the outputs
# and widget state: what nbval compares and the docs site shows (tools/run_notebooks.py).
notebook-outputs: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

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
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
