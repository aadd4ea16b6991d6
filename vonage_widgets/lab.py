"""Start the workbook: JupyterLab on the tutorial notebooks, with the sandbox unless credentials.

``vonage-widgets lab`` (and ``make lab``) call :func:`run_lab`. The sandbox runs in this
process on 127.0.0.1; every notebook kernel finds it through ``VONAGE_WIDGETS_SANDBOX_URL``,
so all notebooks share one account and its state. JupyterLab opens the first notebook
(``01-…``) rather than the Launcher; its news feed, news pop-up and update checks are off (they
would reach the internet). Ctrl-C stops JupyterLab, then the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from vonage_widgets.tutorials import copy_tutorials, packaged_tutorials, user_tutorials_dir

__all__ = [
    "LabPlan",
    "default_notebook_dir",
    "first_notebook",
    "plan_lab",
    "prepare_notebook_dir",
    "run_lab",
    "trust_notebooks",
]

_CREDENTIAL_VARS = ("VONAGE_API_KEY", "VONAGE_API_SECRET")


def default_notebook_dir() -> Path:
    """Where JupyterLab opens: the repository's ``notebooks/`` in a checkout; for an installed
    package, the user's working copies of its tutorials (``<VONAGE_WIDGETS_HOME>/tutorials``,
    see :mod:`vonage_widgets.tutorials`); else the current folder."""
    checkout = Path(__file__).resolve().parents[1] / "notebooks"
    if checkout.is_dir():
        return checkout
    if packaged_tutorials() is not None:
        return user_tutorials_dir()
    return Path.cwd()


def prepare_notebook_dir(notebook_dir: Path | None = None) -> Path:
    """The folder to open; for an installed package, first copy its tutorials there (only
    missing or unedited ones: a user's edited copy is never overwritten) and say so."""
    if notebook_dir is not None:
        return notebook_dir
    folder = default_notebook_dir()
    source = packaged_tutorials()
    if source is not None and folder == user_tutorials_dir():
        print(copy_tutorials(source, folder).summary(), flush=True)
    return folder


# JupyterLab settings overrides: no "receive Jupyter news?" pop-up, no update check.
_LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def first_notebook(folder: Path) -> str | None:
    """The notebook a newcomer starts with: the first numbered one (``01-…``), else the first."""
    numbered = sorted(p.name for p in folder.glob("[0-9]*.ipynb"))
    every = sorted(p.name for p in folder.glob("*.ipynb"))
    names = numbered or every
    return names[0] if names else None


def _lab_config(folder: Path) -> Path:
    """A config file for JupyterLab, in a temporary folder of its own (with the overrides).

    It turns off the network chatter (news feed, update checks, and the pop-up asking about
    news) and opens the first notebook instead of the Launcher.
    """
    workdir = Path(tempfile.mkdtemp(prefix="vonage-widgets-lab-"))
    settings = workdir / "settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(json.dumps(_LAB_OVERRIDES), encoding="utf-8")
    lab: dict[str, object] = {
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        "app_settings_dir": str(settings),
    }
    first = first_notebook(folder)
    if first is not None:
        lab["default_url"] = f"/lab/tree/{quote(first)}"
    path = workdir / "config.json"
    path.write_text(json.dumps({"LabApp": lab}), encoding="utf-8")
    return path


def trust_notebooks(paths: Sequence[Path], data_dir: Path | None = None) -> list[Path]:
    """Sign notebooks as trusted, as ``jupyter trust`` does; returns the signed files.

    Jupyter renders the stored outputs of a notebook it has not signed as plain text only
    (no widgets, no styled tables): the tutorials would open showing a form's repr instead
    of the form. ``vonage-widgets lab`` trusts the tutorial notebooks it opens, which it
    ships. ``data_dir`` is Jupyter's data folder holding the signatures (default: the usual
    one, ``JUPYTER_DATA_DIR`` or the user's).
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    # nbformat has no type hints: its calls are untyped.
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    folder = {"data_dir": str(data_dir)} if data_dir else {}
    notary = NotebookNotary(**folder)  # type: ignore[no-untyped-call]
    signed: list[Path] = []
    try:
        for path in paths:
            notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
            if not notary.check_signature(notebook):  # type: ignore[no-untyped-call]
                notary.sign(notebook)  # type: ignore[no-untyped-call]
            signed.append(path)
    finally:
        notary.store.close()
    return signed


@dataclass
class LabPlan:
    """What :func:`run_lab` will run: the JupyterLab command line and its environment."""

    argv: list[str]
    env: dict[str, str]
    use_sandbox: bool
    notebook_dir: Path
    config_file: Path
    extra: dict[str, str] = field(default_factory=dict)

    def cleanup(self) -> None:
        """Remove the temporary folder holding the config file and the settings overrides."""
        shutil.rmtree(self.config_file.parent, ignore_errors=True)


def plan_lab(
    notebook_dir: Path | None = None,
    *,
    port: int = 8888,
    open_browser: bool = True,
    token: str | None = None,
    environ: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> LabPlan:
    """Work out the JupyterLab command and environment, without starting anything."""
    env = dict(os.environ if environ is None else environ)
    folder = (notebook_dir or default_notebook_dir()).resolve()
    use_sandbox = not all(env.get(name) for name in _CREDENTIAL_VARS)
    config = _lab_config(folder)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--config={config}",
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if token is not None:
        argv.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")
    argv.extend(extra_args)
    return LabPlan(argv, env, use_sandbox, folder, config)


def run_lab(
    notebook_dir: Path | None = None,
    *,
    port: int = 8888,
    open_browser: bool = True,
    extra_args: Sequence[str] = (),
) -> int:
    """Start the sandbox (unless credentials are set) and JupyterLab; block until Ctrl-C."""
    folder = prepare_notebook_dir(notebook_dir)
    plan = plan_lab(folder, port=port, open_browser=open_browser, extra_args=extra_args)
    trust_notebooks(sorted(plan.notebook_dir.glob("*.ipynb")))
    sandbox = None
    if plan.use_sandbox:
        from vonage_widgets.workbook import start_shared_sandbox

        sandbox = start_shared_sandbox()
        plan.env["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox.url
        print(
            f"Sandbox: {sandbox.url} (offline; state in {sandbox.target_description})", flush=True
        )
    else:
        print("Using the real Vonage API with VONAGE_API_KEY (secret not shown).", flush=True)
    print(
        f"JupyterLab on {plan.notebook_dir}, port {port}: open the URL with the token "
        "that JupyterLab prints below. Ctrl-C stops JupyterLab and the sandbox.",
        flush=True,
    )
    # Its own session: the terminal's Ctrl-C reaches only us, and we stop JupyterLab with
    # SIGTERM (a clean shutdown) instead of its interactive "Shutdown? (y/[n])" prompt.
    process = subprocess.Popen(plan.argv, env=plan.env, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        return 0
    finally:
        if sandbox is not None:
            sandbox.stop()
        plan.cleanup()
        print("Stopped.", flush=True)
