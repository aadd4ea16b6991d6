# Two entry points (see README): `make lab` starts the workbook, `make test` runs every test.
# Both create .venv themselves and install from the pinned set in constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test chromium lint unit notebooks wheel notebook-outputs docs screenshots ui bench format lock clean

# Each test stage runs with its own temporary folder (TMPDIR, and Jupyter's, IPython's,
# Chromium's (XDG) and npm's folders inside it), removed when the stage ends, pass or fail:
# tests leave nothing in /tmp or $HOME, even what a killed kernel or browser cannot clean up.
PRIVATE_TMP = tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/vonage-widgets-$@.XXXXXX") \
	&& trap 'rm -rf "$$tmp"' EXIT INT TERM \
	&& export TMPDIR="$$tmp" JUPYTER_DATA_DIR="$$tmp/jupyter-data" IPYTHONDIR="$$tmp/ipython" \
	XDG_CONFIG_HOME="$$tmp/config" XDG_CACHE_HOME="$$tmp/cache" npm_config_cache="$$tmp/npm" &&

# Our own bytecode, written before a stage as pip writes an installed wheel's: the stages start
# many fresh interpreters (kernels, CLI runs, xdist workers), and where PYTHONDONTWRITEBYTECODE
# is set each of them would otherwise compile the package's sources again.
BYTECODE = $(BIN)/python -m compileall -q -j 0 vonage_widgets benchmarks >/dev/null &&

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@# jsonschema imports rfc3987-syntax when it is installed (jupyter-events asks for it), and
	@# that import builds an Earley parser: 1.7-2.2 s in every process that reads a notebook
	@# (nbformat), JupyterLab and each test worker included. Only the "iri" formats use it.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/vonage-widgets lab

test: chromium $(STAMP)
	$(MAKE) --no-print-directory lint unit notebooks wheel ui

# The browser tests drive Debian's Chromium: install it when missing (as root, with apt-get),
# else stop at once with the command to run, before any other stage spends its time.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Chromium is missing (the real-browser tests need it): installing it with apt-get."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: the real-browser tests need it. Install it, then run make test again:" >&2; \
	    echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2; \
	    exit 1; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy vonage_widgets benchmarks
	$(BIN)/lint-imports --no-cache

# Under pytest-xdist, one module at a time per worker (tests/conftest.py), one worker more than
# there are cores: the tests often wait on kernels, servers and timers, and a third worker on
# two cores took the stage from 144 to 131 s. The ten slowest tests are listed at the end.
UNIT_WORKERS ?= $(shell expr $$(nproc 2>/dev/null || echo 1) + 1)
unit: $(STAMP)
	$(BYTECODE) $(PRIVATE_TMP) $(BIN)/pytest tests --ignore=tests/ui --ignore=tests/wheel -n $(UNIT_WORKERS) --dist loadscope --durations=10

notebooks: $(STAMP)
	$(BYTECODE) $(PRIVATE_TMP) $(BIN)/python -m pytest -p tests.notebooks_plugin -p nbval -p no:python --nbval --nbval-current-env notebooks

# Builds the wheel, installs it in a fresh venv and runs the installed tutorials under nbval.
wheel: $(STAMP)
	$(PRIVATE_TMP) $(BIN)/pytest tests/wheel

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
	$(BYTECODE) $(PRIVATE_TMP) $(BIN)/pytest tests/ui

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
