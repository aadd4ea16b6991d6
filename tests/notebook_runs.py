"""Every tutorial notebook, run twice against one shared sandbox, once per test session.

Two test modules read these runs: ``test_notebooks_rerun`` (no cell raises, in any order, on a
sandbox whose state persists) and ``test_reliability_secrets`` (no secret in any output, saved
widget state, kernel log or sandbox log). Running notebooks is the slowest thing the unit
tests do, so the two share one set of runs, built by the session fixture ``notebook_runs``
(``tests/conftest.py``); under pytest-xdist both modules share one worker (``SHARED_WORKER``
in ``tests/conftest.py``), which runs the notebooks once for both.

The runs are what ``vonage-widgets lab`` gives a user: one ``vonage-widgets sandbox`` process
with a database file serves every kernel (``VONAGE_WIDGETS_SANDBOX_URL``), and one home folder
holds the keys. The first pass runs the notebooks backwards (notebook 5 on an empty sandbox,
notebook 1 after the others have linked a number), the second forwards (notebook 1 right after
itself, then 2 to 5 after it). Each run executes a temporary copy (the stored notebooks are
never written) in a fresh kernel, with DEBUG logging on (:data:`LOGGING_CELL`), the widget
state stored as a save would store it, the kernel's own stderr kept, and a fake signature
secret in the environment. The sandbox process logs at DEBUG too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.reliability_helpers import FAKE_SIGNATURE_SECRET, PYTHON, REPO, SandboxProcess

__all__ = [
    "LOGGING_CELL",
    "NOTEBOOKS",
    "SANDBOX_BANNER_SECRET",
    "NotebookRun",
    "NotebookRuns",
    "run_every_notebook_twice",
]

NOTEBOOKS = tuple(sorted((REPO / "notebooks").glob("0*.ipynb")))
ORDERS = (tuple(reversed(NOTEBOOKS)), NOTEBOOKS)  # the two passes
CELL_TIMEOUT = 120  # seconds; a cell here takes well under one
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in kernel tracebacks

LOGGING_CELL = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.DEBUG, force=True, handlers=[\n"
    "    logging.StreamHandler(sys.stderr), logging.StreamHandler(sys.__stderr__)])\n"
    "logging.getLogger('vonage_widgets').setLevel(logging.DEBUG)\n"
    "logging.getLogger('vonage_widgets').debug('DEBUG logging on in this kernel')"
)
"""Put first in each executed copy: every log record reaches the notebook's output (what the
user sees and saves) and the kernel's own stderr (what the terminal running Lab shows)."""

_SANDBOX_WITH_DEBUG_LOGS = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
    "from vonage_widgets.cli import main\n"
    "sys.exit(main(sys.argv[1:]))"
)

SANDBOX_BANNER_SECRET = "  API secret:  sandbox-secret (the documented default)"
"""The one line of the sandbox's output that shows a secret, by design: the public default."""


@dataclass(frozen=True)
class NotebookRun:
    """One notebook executed once: which pass, the executed copy, the kernel's stderr."""

    run: int
    source: Path
    path: Path
    notebook: nbformat.NotebookNode
    stderr: str
    error: str | None
    """The text of the cell error that stopped the run, or None when every cell ran."""

    def text(self, marker: str) -> str:
        """The text outputs (stream and text/plain) of the first code cell holding ``marker``."""
        cell = next(c for c in self.notebook.cells if c.cell_type == "code" and marker in c.source)
        parts: list[str] = []
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
        return "".join(parts)


@dataclass(frozen=True)
class NotebookRuns:
    """Both passes over every notebook, the shared home folder and the shared sandbox."""

    runs: tuple[NotebookRun, ...]
    home: Path
    sandbox: SandboxProcess
    stored: dict[Path, bytes]
    """The stored notebooks' bytes, read before the first run."""

    def of(self, source: Path) -> list[NotebookRun]:
        """Both runs of one notebook, first pass first."""
        return [run for run in self.runs if run.source == source]

    def get(self, run: int, prefix: str) -> NotebookRun:
        """The run of pass ``run`` of the notebook whose name starts with ``prefix``."""
        return next(r for r in self.runs if r.run == run and r.source.name.startswith(prefix))

    @property
    def sandbox_log(self) -> str:
        """All the sandbox printed so far, but the banner line showing the public default."""
        lines = self.sandbox.output.splitlines()
        return "\n".join(line for line in lines if line != SANDBOX_BANNER_SECRET)


def _kernel_environment(sandbox_url: str, home: Path) -> dict[str, str]:
    """A user's environment under Lab: no Vonage credentials, the shared sandbox's URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VONAGE_")}
    env["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox_url
    env["VONAGE_WIDGETS_HOME"] = str(home)
    env["VONAGE_SIGNATURE_SECRET"] = FAKE_SIGNATURE_SECRET  # must never be shown either
    return env


def _execute(source: Path, target: Path, env: dict[str, str], run: int) -> NotebookRun:
    """Run a copy of ``source`` in a fresh kernel and write it to ``target``."""
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(LOGGING_CELL))
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(target.parent)}},
    )
    stderr_file = target.with_suffix(".stderr.txt")
    error = None
    with stderr_file.open("w", encoding="utf-8") as stderr:
        try:
            client.execute(env=env, stderr=stderr)  # both reach the kernel's process
        except CellExecutionError as raised:
            error = _ANSI.sub("", str(raised))
    nbformat.write(notebook, target)
    text = stderr_file.read_text(encoding="utf-8", errors="replace")
    return NotebookRun(run, source, target, notebook, text, error)


@contextmanager
def run_every_notebook_twice(folder: Path) -> Iterator[NotebookRuns]:
    """Start the shared sandbox, run both passes, and stop the sandbox when done with."""
    stored = {path: path.read_bytes() for path in NOTEBOOKS}
    home = folder / "home"
    launcher = (PYTHON, "-c", _SANDBOX_WITH_DEBUG_LOGS)
    sandbox = SandboxProcess(folder / "shared.sqlite3", "--seed", "1", launcher=launcher)
    sandbox.start()
    try:
        env = _kernel_environment(sandbox.url, home)
        runs: list[NotebookRun] = []
        for number, order in enumerate(ORDERS, start=1):
            workdir = folder / f"run{number}"
            workdir.mkdir()
            for source in order:
                runs.append(_execute(source, workdir / source.name, env, number))
        yield NotebookRuns(tuple(runs), home, sandbox, stored)
    finally:
        sandbox.stop()
