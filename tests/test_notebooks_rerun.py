"""The tutorial notebooks run again and again, in any order, against one persistent sandbox.

``vonage-widgets lab`` starts one sandbox whose state survives between runs and points every
kernel at it (``VONAGE_WIDGETS_SANDBOX_URL``). nbval cannot see what happens there: each of its
runs starts from a fresh temporary database. So here one sandbox (a real ``vonage-widgets
sandbox`` process with a database file) serves every notebook twice in a row, executed into
temporary copies (the stored notebooks are never written), and no cell may raise. The first
pass runs them backwards (notebook 4 on an empty sandbox, notebook 1 after the others have
linked a number), the second forwards (notebook 1 right after itself, then 2 to 4 after it).
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.workbook_helpers import OUR_VARIABLES
from vonage_widgets.client import VonageClient
from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("0*.ipynb"))
ORDERS = (tuple(reversed(NOTEBOOKS)), tuple(NOTEBOOKS))  # two runs of every notebook
CELL_TIMEOUT = 120  # seconds; a cell here takes well under one
START_TIMEOUT = 30  # seconds for the sandbox to print its address
TUTORIAL_APPLICATIONS = ("My first voice app", "Voice app in code")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in kernel tracebacks


@pytest.fixture
def shared_sandbox(tmp_path: Path) -> Iterator[str]:
    """A ``vonage-widgets sandbox`` process with a database file, as ``lab`` runs it; its URL."""
    env = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "vonage_widgets.cli", "sandbox", "--port", "0"]
    command += ["--db", str(tmp_path / "shared.sqlite3"), "--seed", "1"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        first = lines.get(timeout=START_TIMEOUT)
        assert first.startswith("Vonage sandbox running at http://127.0.0.1:"), first
        yield first.rsplit(" ", 1)[-1].strip()
    finally:
        process.terminate()  # SIGTERM: it stops cleanly and closes its database
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _execute(path: Path, workdir: Path, run: int) -> nbformat.NotebookNode:
    """Run a copy of the notebook at ``path`` in a fresh kernel; the executed copy."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"run {run} of {path.name}: a cell raised:\n{_ANSI.sub('', str(error))}")
    nbformat.write(notebook, workdir / f"run{run}-{path.name}")
    return notebook


def _text(notebook: nbformat.NotebookNode, marker: str) -> str:
    """The text outputs (stream and text/plain) of the first code cell holding ``marker``."""
    cell = next(c for c in notebook.cells if c.cell_type == "code" and marker in c.source)
    parts: list[str] = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_every_notebook_runs_twice_against_one_persistent_sandbox(
    shared_sandbox: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in OUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", shared_sandbox)
    monkeypatch.setenv("VONAGE_WIDGETS_HOME", str(tmp_path / "home"))
    stored = {path: path.read_bytes() for path in NOTEBOOKS}
    assert [path.name[:2] for path in NOTEBOOKS] == ["01", "02", "03", "04", "05"]

    executed: dict[tuple[int, str], nbformat.NotebookNode] = {}
    for run, order in enumerate(ORDERS, start=1):
        workdir = tmp_path / f"run{run}"
        workdir.mkdir()
        for path in order:
            notebook = executed[run, path.name[:2]] = _execute(path, workdir, run)
            # Every kernel used the shared sandbox, not one of its own.
            assert "shared by vonage-widgets lab" in _text(notebook, "Workbook()"), path.name

    # Notebook 1 found what its previous run made, and started over.
    started_over = _text(executed[2, "01"], "delete_applications(")
    assert all(repr(name) in started_over for name in TUTORIAL_APPLICATIONS), started_over

    with VonageClient(
        DEFAULT_API_KEY, DEFAULT_API_SECRET, api_host=shared_sandbox, rest_host=shared_sandbox
    ) as client:
        names = [app.name for app in client.applications.list_all()]
        linked = [n for n in client.numbers.list_all() if n.app_id]
    # No second copy of what notebook 1 makes, whatever ran before it.
    for name in TUTORIAL_APPLICATIONS:
        assert names.count(name) == 1, names
    assert linked, "notebooks 3 and 4 link a number"
    assert {path: path.read_bytes() for path in NOTEBOOKS} == stored  # never overwritten
