"""nbval set-up: the notebooks run offline, deterministically, against a fresh sandbox.

Environment variables set here are inherited by every notebook kernel nbval starts, so the
package itself picks the sandbox (no credentials), a fixed seed and throw-away folders.
Volatile text (ports, temporary paths) is normalised before stored and fresh outputs are
compared.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import pytest

_SANITIZE = {
    r"127\.0\.0\.1:\d+": "127.0.0.1:PORT",
    r"localhost:\d+": "localhost:PORT",
    r"/(?:tmp|var/folders)/[^\s'\"<>)]*": "/TMP/PATH",
    r"\d+(?:\.\d+)? ?(?:ms|s) elapsed": "N elapsed",
}


_SANDBOX = pytest.StashKey[Any]()
_HOME = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    for name in (
        "VONAGE_API_KEY",
        "VONAGE_API_SECRET",
        "VONAGE_APPLICATION_ID",
        "VONAGE_PRIVATE_KEY_PATH",
        "VONAGE_SIGNATURE_SECRET",
        "VONAGE_API_HOST",
        "VONAGE_REST_HOST",
        "VONAGE_WIDGETS_SANDBOX_URL",
    ):
        os.environ.pop(name, None)
    home = tempfile.mkdtemp(prefix="vonage-widgets-nbval-")
    config.stash[_HOME] = home
    os.environ["VONAGE_WIDGETS_SANDBOX_DB"] = ":temp:"
    os.environ["VONAGE_WIDGETS_SEED"] = "2026"
    os.environ["VONAGE_WIDGETS_HOME"] = home
    # As `make lab` (and tools/run_notebooks.py, which stores the outputs): one sandbox on a
    # fresh database with a fixed seed, shared by the notebooks run in order.
    from vonage_widgets.workbook import WorkbookSandbox

    sandbox = WorkbookSandbox(db=None, seed=2026).start()
    config.stash[_SANDBOX] = sandbox
    os.environ["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox.url


def pytest_unconfigure(config: pytest.Config) -> None:
    sandbox = config.stash.get(_SANDBOX, None)
    if sandbox is not None:
        sandbox.stop()
    home = config.stash.get(_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        parent = getattr(item, "parent", None)
        patterns = getattr(parent, "sanitize_patterns", None)
        if patterns is not None:
            patterns.update(_SANITIZE)
