"""nbval set-up, loaded with ``pytest -p tests.notebooks_plugin`` by ``make notebooks``.

The notebooks run offline, deterministically, against a fresh sandbox. Environment variables
set here are inherited by every notebook kernel nbval starts, so the package itself picks the
sandbox (no credentials), a fixed seed and throw-away folders. Everything a run writes (the
key pairs of the tutorials, the sandbox databases, Jupyter's and IPython's own files, any
temporary file of a kernel) goes into one private folder, removed when the run ends: nbval
kills its kernels, so their own exit handlers never run. Volatile text (ports, temporary
paths) is normalised before stored and fresh outputs are compared.

It lives in ``tests/`` rather than beside the notebooks so it is neither picked up by a
user's own pytest run in ``notebooks/`` nor shipped in the wheel with the tutorials.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

_SANITIZE = {
    r"127\.0\.0\.1:\d+": "127.0.0.1:PORT",
    r"localhost:\d+": "localhost:PORT",
    r"/(?:tmp|var/folders)/[^\s'\"<>)]*": "/TMP/PATH",
    r"\d+(?:\.\d+)? ?(?:ms|s) elapsed": "N elapsed",
}


_RUN_FOLDER = pytest.StashKey[Path]()
_SANDBOX = pytest.StashKey[Any]()


def pytest_configure(config: pytest.Config) -> None:
    from vonage_widgets.workbook import TARGET_VARIABLES

    for name in TARGET_VARIABLES:  # credentials or another sandbox must not reach the kernels
        os.environ.pop(name, None)
    run = Path(tempfile.mkdtemp(prefix="vonage-widgets-nbval-"))
    config.stash[_RUN_FOLDER] = run
    folders = {
        "VONAGE_WIDGETS_HOME": run / "home",  # the tutorials' key pairs
        "JUPYTER_DATA_DIR": run / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": run / "jupyter-runtime",
        "IPYTHONDIR": run / "ipython",
        "TMPDIR": run / "tmp",  # the kernels' sandbox folders, whatever else they make
    }
    for name, folder in folders.items():
        folder.mkdir()
        os.environ[name] = str(folder)
    os.environ["VONAGE_WIDGETS_SANDBOX_DB"] = ":temp:"
    os.environ["VONAGE_WIDGETS_SEED"] = "2026"
    # As `make lab` (and tools/run_notebooks.py, which stores the outputs): one sandbox on a
    # fresh database with a fixed seed, shared by the notebooks run in order.
    from vonage_widgets.workbook import WorkbookSandbox

    sandbox = WorkbookSandbox(db=None, seed=2026).start()
    config.stash[_SANDBOX] = sandbox
    os.environ["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox.url


def pytest_unconfigure(config: pytest.Config) -> None:
    sandbox = config.stash.get(_SANDBOX, None)
    if sandbox is not None:
        sandbox.close()  # stops it and removes its temporary database folder
    run = config.stash.get(_RUN_FOLDER, None)
    if run is not None:
        shutil.rmtree(run, ignore_errors=True)


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        parent = getattr(item, "parent", None)
        patterns = getattr(parent, "sanitize_patterns", None)
        if patterns is not None:
            patterns.update(_SANITIZE)
