"""Start the workbook: JupyterLab on the tutorial notebooks, with the sandbox unless credentials.

``vonage-widgets lab`` (and ``make lab``) call :func:`run_lab`. The sandbox runs in this
process on 127.0.0.1; every notebook kernel finds it through ``VONAGE_WIDGETS_SANDBOX_URL``,
so all notebooks share one account and its state. JupyterLab's news feed and update checks
are off (they would reach the internet). Ctrl-C stops JupyterLab, then the sandbox.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vonage_widgets.tutorials import copy_tutorials, packaged_tutorials, user_tutorials_dir

__all__ = ["LabPlan", "default_notebook_dir", "plan_lab", "prepare_notebook_dir", "run_lab"]

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


def _lab_config() -> Path:
    """A config file turning off JupyterLab's network chatter (news feed, update checks)."""
    config = {
        "LabApp": {
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        }
    }
    fd, path = tempfile.mkstemp(prefix="vonage-widgets-lab-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        json.dump(config, handle)
    return Path(path)


@dataclass
class LabPlan:
    """What :func:`run_lab` will run: the JupyterLab command line and its environment."""

    argv: list[str]
    env: dict[str, str]
    use_sandbox: bool
    notebook_dir: Path
    config_file: Path
    extra: dict[str, str] = field(default_factory=dict)


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
    config = _lab_config()
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
    sandbox = None
    if plan.use_sandbox:
        from vonage_widgets.workbook import start_shared_sandbox

        sandbox = start_shared_sandbox()
        plan.env["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox.url
        print(f"Sandbox: {sandbox.url} (offline; state in {sandbox.db_description})", flush=True)
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
        plan.config_file.unlink(missing_ok=True)
        print("Stopped.", flush=True)
