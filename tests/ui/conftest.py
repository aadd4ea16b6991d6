"""Harness for the real-browser tests: a sandbox, JupyterLab on copies of the notebooks, Chromium.

One session starts, in this order: a seeded sandbox on a temporary database (in this process),
JupyterLab through :func:`vonage_widgets.lab.plan_lab` (the command ``vonage-widgets lab``
runs, so the tests cover it) on a temporary copy of ``notebooks/`` whose kernels reach the
sandbox through ``VONAGE_WIDGETS_SANDBOX_URL``, and Debian's Chromium driven by Playwright
(never a downloaded browser). Every test gets a fresh browser page and a :class:`LabDriver` that
opens a notebook and runs it as a person would, through Lab's menus.

A failing test leaves a screenshot in ``test-artifacts/`` and names it (and the end of
JupyterLab's log) in its report.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright

from vonage_widgets.client import VonageClient
from vonage_widgets.lab import plan_lab, trust_notebooks
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.workbook import ENV_SANDBOX_DB, ENV_SEED, TARGET_VARIABLES

__all__ = [
    "CHROMIUM_FLAGS",
    "LabDriver",
    "LabServer",
    "Screenshots",
    "UiError",
    "find_chromium",
]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SEED = 2026
STARTUP_SECONDS = 60.0
STOP_SECONDS = 20.0
RUN_SECONDS = 60.0
STALLED_SECONDS = 5.0
ACTION_MS = 30_000
LOG_TAIL_LINES = 40

CHROMIUM_FLAGS = (
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no network: without these Chromium floods it with failed lookups.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""Flags for Debian's Chromium in a container with no network (no sandbox, no shm, no chatter)."""

# Credentials or another sandbox in the caller's environment must not leak into the kernels.
_FOREIGN_VARS = (*TARGET_VARIABLES, ENV_SANDBOX_DB, ENV_SEED)

# JupyterLab user settings: every cell stays in the DOM (Lab 4.2+ detaches off-screen cells by
# default, jupyterlab#15964). No news or update checks: plan_lab's overrides turn them off
# (what `make lab` does, so the tests check it).
_LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# Which code cells still have to run, and the first error any cell shows (read in the page).
_RUN_STATE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return {pending: -1, running: 0, error: null};
  let pending = 0, running = 0;
  for (const cell of panel.querySelectorAll('.jp-CodeCell')) {
    const source = cell.querySelector('.jp-InputArea-editor')?.textContent ?? '';
    const prompt = cell.querySelector('.jp-InputPrompt')?.textContent ?? '';
    if (prompt.includes('*')) running += 1;
    else if (source.trim() && !/\\[\\d+\\]/.test(prompt)) pending += 1;
  }
  const failed = [...panel.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .find(output => /Traceback/.test(output.textContent));
  const error = failed ? failed.textContent.slice(0, 3000) : null;
  return {pending, running, error};
}
"""


# Every output area of the open notebook that is wider than the space it has.
_OVERFLOWING_JS = """
() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')]
  .filter(el => el.scrollWidth > el.clientWidth + 2)
  .map(el => ({width: el.scrollWidth, room: el.clientWidth,
               text: el.textContent.trim().slice(0, 80)}))
"""


# Every visible button whose label does not fit (shown cut, with "…").
_CUT_BUTTONS_JS = """
() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea button.widget-button')]
  .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.textContent.trim())
"""


class UiError(AssertionError):
    """The page did not reach the state a step waits for (the message says which and why)."""


def find_chromium() -> str:
    """Debian's Chromium, or a failure telling how to install it (never a skip).

    The tests must run wherever ``make test`` runs; a skip would hide that they did not.
    """
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(
            "Chromium is not installed, so the real-browser tests cannot run in CI: "
            ".ci/run must install Debian's chromium (apt-get install -y chromium) before "
            "`make test`.",
            pytrace=False,
        )
    pytest.fail(
        "Chromium is not installed: the real-browser tests drive Debian's Chromium (Playwright "
        "never downloads a browser here). Install it with `apt-get update && apt-get install "
        "-y chromium`, then run `make ui` again.",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _fresh_copy(source: Path, target: Path) -> Path:
    """Copy the notebooks, with stored outputs and counts removed from each ``.ipynb``.

    A stored count would look like a cell that has run; a stored widget output would show as
    a stale "model not found" box beside the live one.
    """
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("conftest.py", "__pycache__", ".*")
    )
    for path in target.rglob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        notebook.get("metadata", {}).pop("widgets", None)
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return target


def _write_lab_settings(folder: Path) -> Path:
    for relative, values in _LAB_SETTINGS.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    return folder


def _log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class LabServer:
    """JupyterLab serving a temporary copy of the notebooks, and the sandbox it talks to."""

    url: str
    notebook_dir: Path
    sandbox: Sandbox
    process: subprocess.Popen[bytes]
    log_path: Path
    data_dir: Path

    def add_stored_notebook(self, name: str, as_name: str) -> Path:
        """Copy a notebook as stored in the repository (outputs, widget state) to the served
        folder, trusted as ``vonage-widgets lab`` trusts the notebooks it opens."""
        target = self.notebook_dir / as_name
        shutil.copy(REPO / "notebooks" / name, target)
        trust_notebooks([target], self.data_dir)
        return target

    def client(self) -> VonageClient:
        """A client on the sandbox, to check what the page did really happened (or set up)."""
        return VonageClient(
            self.sandbox.api_key,
            self.sandbox.api_secret,
            api_host=self.sandbox.url,
            rest_host=self.sandbox.url,
        )

    def reset_account(self) -> None:
        """Unlink every number and delete every application: each test starts on a fresh account.

        The notebooks create applications by name; a second run in the same account would
        leave two with the same name, which later notebooks rightly refuse to guess between.
        """
        client = self.client()
        for number in client.numbers.list_all():
            if number.linked_application_id:
                client.numbers.unlink(number.msisdn, number.country)
        for app in client.applications.list_all():
            if app.id:
                client.applications.delete(app.id)

    def log_tail(self) -> str:
        """The last lines JupyterLab wrote (server and kernel messages), for failure reports."""
        return _log_tail(self.log_path)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    """Poll ``/api/status`` until it answers, the process dies, or the time is up."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UiError(
                f"JupyterLab exited with code {process.returncode} while starting:\n"
                f"{_log_tail(log_path)}"
            )
        try:
            if httpx.get(f"{url}/api/status", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise UiError(
        f"JupyterLab did not answer within {STARTUP_SECONDS:.0f} s:\n{_log_tail(log_path)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (Lab shuts its kernels down), then SIGKILL to its process group; bounded."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_SECONDS)
    # Lab leads its own session (start_new_session): the group holds it and its kernels only.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A seeded sandbox and JupyterLab on fresh copies of the notebooks, for the session."""
    root = tmp_path_factory.mktemp("ui")
    notebooks = _fresh_copy(REPO / "notebooks", root / "notebooks")
    settings = _write_lab_settings(root / "lab-settings")
    home = root / "home"
    home.mkdir()
    sandbox = Sandbox(db=root / "sandbox.sqlite3", seed=SEED).start()
    try:
        yield from _serve_lab(root, notebooks, settings, home, sandbox)
    finally:
        sandbox.stop()


def _serve_lab(
    root: Path, notebooks: Path, settings: Path, home: Path, sandbox: Sandbox
) -> Iterator[LabServer]:
    """Run JupyterLab as ``vonage-widgets lab`` would, on a free port; stop it afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS}
    env.update(
        VONAGE_WIDGETS_SANDBOX_URL=sandbox.url,
        VONAGE_WIDGETS_HOME=str(home),
        # Jupyter's and IPython's own state in the temporary folder, not the user's.
        JUPYTER_CONFIG_DIR=str(root / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(root / "jupyter-runtime"),
        JUPYTER_DATA_DIR=str(root / "jupyter-data"),  # notebook signatures, not the user's
        IPYTHONDIR=str(root / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    port = _free_port()
    plan = plan_lab(
        notebooks,
        port=port,
        open_browser=False,
        token="",
        environ=env,
        extra_args=[
            "--ServerApp.disable_check_xsrf=True",
            "--ServerApp.password=",
            f"--LabApp.workspaces_dir={root / 'workspaces'}",
            f"--LabApp.user_settings_dir={settings}",
        ],
    )
    log_path = root / "jupyterlab.log"
    try:
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                plan.argv,
                env=plan.env,
                cwd=notebooks,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(url, process, log_path)
            yield LabServer(url, notebooks, sandbox, process, log_path, root / "jupyter-data")
        finally:
            _stop(process)
    finally:
        plan.cleanup()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver for the session."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once for the session."""
    executable = find_chromium()
    browser = playwright_driver.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS)
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def lab_page(chromium: Browser) -> Iterator[Page]:
    """A fresh page (its own context: no state shared between tests)."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(ACTION_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


class LabDriver:
    """Does in JupyterLab what a person does: open a notebook, run its cells, find outputs."""

    def __init__(self, page: Page, server: LabServer) -> None:
        self.page = page
        self.server = server

    @property
    def notebook(self) -> Locator:
        """The notebook panel on screen."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    @property
    def outputs(self) -> Locator:
        """Every output area of the open notebook (widgets and tables live here)."""
        return self.notebook.locator(".jp-OutputArea")

    def open(self, name: str) -> None:
        """Open ``name`` from the notebook folder, with a clean layout, and wait for its kernel."""
        if not (self.server.notebook_dir / name).is_file():
            raise UiError(f"notebook {name} is not in notebooks/")
        self.page.goto(f"{self.server.url}/lab/tree/{name}?reset")
        self.notebook.locator(".jp-Cell").first.wait_for(state="visible")
        # A notebook without kernel metadata asks which kernel: take the default (ours).
        dialog = self.page.locator(".jp-Dialog")
        self._kernel_idle.first.or_(dialog).first.wait_for(
            state="visible", timeout=RUN_SECONDS * 1000
        )
        if dialog.is_visible():
            dialog.locator("button.jp-mod-accept").click()
        self.wait_for_idle_kernel()

    @property
    def _kernel_idle(self) -> Locator:
        # The status bar ("Python 3 (ipykernel) | Idle"): the toolbar's execution indicator
        # already says "idle" while there is no kernel yet.
        return self.page.locator(".jp-StatusBar-TextItem").filter(
            has_text=re.compile(r"^(?!No Kernel).+\|\s*Idle\s*$")
        )

    def wait_for_idle_kernel(self) -> None:
        """Wait until the notebook's kernel is connected and idle."""
        self._kernel_idle.first.wait_for(state="visible", timeout=RUN_SECONDS * 1000)

    def run_all_cells(self) -> None:
        """Menu Run → Run All Cells, then wait until every code cell has run (or one failed)."""
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).click()
        self.wait_for_cells()

    def run_cell(self, cell: Locator) -> None:
        """Select a cell (click its prompt) and run it with Ctrl+Enter, as a person would."""
        prompt = cell.locator(".jp-InputPrompt")
        before = prompt.inner_text()
        prompt.click()
        self.page.keyboard.press("Control+Enter")
        deadline = time.monotonic() + RUN_SECONDS
        while time.monotonic() < deadline:
            text = prompt.inner_text()
            if text != before and re.search(r"\[\d+\]", text):
                self.wait_for_cells()
                return
            self.page.wait_for_timeout(100)
        raise UiError(f"the cell did not run within {RUN_SECONDS:.0f} s (prompt {before!r})")

    def code_cell(self, containing: str) -> Locator:
        """The code cell whose source contains ``containing`` (exactly one)."""
        cells = self.notebook.locator(".jp-CodeCell").filter(
            has=self.page.locator(".jp-InputArea-editor", has_text=containing)
        )
        count = cells.count()
        if count != 1:
            raise UiError(f"expected one code cell containing {containing!r}, found {count}")
        return cells

    def assert_fits_the_column(self) -> None:
        """No output wider than the notebook column, no visible button with a cut label."""
        overflowing = self.page.evaluate(_OVERFLOWING_JS)
        if overflowing:
            raise UiError(f"outputs wider than the notebook column: {overflowing}")
        cut = self.page.evaluate(_CUT_BUTTONS_JS)
        if cut:
            raise UiError(f"buttons whose label is cut: {cut}")

    def wait_for_cells(self) -> None:
        """Wait until no code cell is queued or running; fail at once when one shows an error.

        Lab stops a run at a failing cell: the cells after it stay unrun, nothing runs, and
        the failing cell's traceback is reported.
        """
        deadline = time.monotonic() + RUN_SECONDS
        stalled_since: float | None = None
        state: dict[str, Any] = {}
        while time.monotonic() < deadline:
            state = self.page.evaluate(_RUN_STATE_JS)
            if state.get("error"):
                raise UiError(f"a cell failed:\n{state['error']}")
            pending, running = state.get("pending"), state.get("running")
            if pending == 0 and running == 0:
                self.wait_for_idle_kernel()
                return
            if running == 0:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > STALLED_SECONDS:
                    raise UiError(f"cells stopped running before the end: {state}")
            else:
                stalled_since = None
            self.page.wait_for_timeout(200)
        raise UiError(f"cells still not run after {RUN_SECONDS:.0f} s: {state}")


def _shut_down_kernels(server: LabServer) -> None:
    """End every notebook session, so the next test starts on a fresh kernel."""
    sessions = httpx.get(f"{server.url}/api/sessions", timeout=10.0).json()
    for session in sessions:
        httpx.delete(f"{server.url}/api/sessions/{session['id']}", timeout=30.0)


@pytest.fixture
def lab(lab_page: Page, lab_server: LabServer) -> Iterator[LabDriver]:
    """JupyterLab in the browser on a fresh sandbox account; its kernels end with the test."""
    lab_server.reset_account()
    yield LabDriver(lab_page, lab_server)
    lab_page.close()  # first: a closing page could otherwise start a kernel again
    _shut_down_kernels(lab_server)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        default=None,
        metavar="DIR",
        help="keep the browser tests' screenshots (1440x900 PNG) in DIR "
        "(`make screenshots`: docs/screenshots); default: pytest's temporary folder",
    )


@dataclass
class Screenshots:
    """Where the tests' screenshots of the notebooks go (PNG, the visible page)."""

    folder: Path

    def take(self, page: Page, name: str) -> Path:
        """Save the page as ``<folder>/<name>.png`` and return the file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.png"
        page.screenshot(path=str(path), timeout=10_000)
        if path.stat().st_size < 1000:
            raise UiError(f"the screenshot {path} is empty")
        return path


@pytest.fixture(scope="session")
def screenshots(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Screenshots:
    """The screenshot folder: ``--screenshots DIR`` or a temporary one."""
    chosen = request.config.getoption("--screenshots")
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")
    return Screenshots(folder)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On a failure, save a screenshot of the page and name it (and Lab's log) in the report."""
    report = yield
    if report.failed and call.when in ("setup", "call"):
        funcargs = getattr(item, "funcargs", {})
        page = funcargs.get("lab_page")
        if isinstance(page, Page) and not page.is_closed():
            ARTIFACTS.mkdir(exist_ok=True)
            safe = re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:]
            shot = ARTIFACTS / f"{safe}-{call.when}.png"
            try:
                page.screenshot(path=str(shot), full_page=True, timeout=10_000)
                report.sections.append(("UI screenshot", f"saved to {shot}"))
            except Exception as error:  # the test's own failure matters more than this
                report.sections.append(("UI screenshot", f"could not be taken: {error}"))
        server = funcargs.get("lab_server") or getattr(funcargs.get("lab"), "server", None)
        if isinstance(server, LabServer):
            report.sections.append(("JupyterLab log (last lines)", server.log_tail()))
    return report
