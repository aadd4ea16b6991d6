"""Regenerate the tutorial notebooks' stored outputs, as a user's own run would show them.

``make notebook-outputs`` runs this. It does what ``make lab`` does for a person: one shared
sandbox (the fixed seed ``2026``, a fresh database, port 8800), every notebook run in order in
its own kernel against it, so ids and numbers carry over from one notebook to the next exactly
as in a session. nbval (``make notebooks``) runs them the same way, so the stored outputs are
its reference.

Each notebook is saved with its outputs, its execution counts and the widget state (the
``application/vnd.jupyter.widget-state+json`` metadata), so a saved form renders as a widget
without a kernel (in JupyterLab and on the docs site). Execution timings are dropped. The
webhook server's port (the system picks one) is stored as 8900. The key files go to a
throw-away home, shown as ``<home>``; no credential of the real API is
passed on. Nothing here reaches beyond 127.0.0.1.

Usage: ``python tools/run_notebooks.py [NOTEBOOK ...]`` (default: every notebook, in order).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PORT = 8800
WEBHOOK_PORT = 8900
SEED = 2026


_STATE = "application/vnd.jupyter.widget-state+json"
_VIEW = "application/vnd.jupyter.widget-view+json"
_REF = re.compile(r"IPY_MODEL_([0-9a-f]+)")


def _shown_models(nb: nbformat.NotebookNode) -> set[str]:
    """The model ids of the widgets the outputs display."""
    return {
        str(output["data"][_VIEW]["model_id"])
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if _VIEW in output.get("data", {})
    }


def _keep_shown_widgets(nb: nbformat.NotebookNode) -> None:
    """Widget state only for what is displayed and what it refers to (not demo widgets)."""
    saved = nb.metadata.get("widgets", {}).get(_STATE)
    if not saved:
        return
    models = saved["state"]
    keep: set[str] = set()
    todo = [m for m in _shown_models(nb) if m in models]
    while todo:
        model = todo.pop()
        if model in keep:
            continue
        keep.add(model)
        text = json.dumps(models[model]["state"])
        todo += [ref for ref in _REF.findall(text) if ref in models and ref not in keep]
    defaults = _widget_defaults()
    for model in keep:
        state = models[model]["state"]
        known = defaults.get(models[model]["model_name"], {})
        # A trait at its default says nothing: the widget manager fills it in on load (as
        # JupyterLab's own "save widget state" does); the model's name and module stay in the
        # entry itself.
        for key in [k for k in state if k in known]:
            if state[key] == known[key]:
                del state[key]
    saved["state"] = {m: models[m] for m in models if m in keep}


def _widget_defaults() -> dict[str, dict[str, Any]]:
    """Each ipywidgets model's default state, by model name (from the classes themselves)."""
    import ipywidgets as ipw

    found: dict[str, dict[str, Any]] = {}
    for name in dir(ipw):
        cls = getattr(ipw, name)
        if not (isinstance(cls, type) and issubclass(cls, ipw.Widget)):
            continue
        model = cls.class_traits().get("_model_name")
        model_name = model.default_value if model is not None else None
        if not isinstance(model_name, str) or model_name in found:
            continue
        try:
            widget = cls()
        except Exception:  # noqa: S112 - abstract bases and widgets that need arguments
            continue
        found[model_name] = json.loads(json.dumps(widget.get_state(), default=str))
        widget.close()
    return found


def _stable_ports(nb: nbformat.NotebookNode, sandbox_port: int) -> None:
    """Ports the system picked (the webhook server's) are stored as ``WEBHOOK_PORT``.

    They change on every run; a fixed number keeps the stored text the same from run to run
    (nbval replaces every loopback port with a placeholder before comparing anyway).
    """
    ports = re.compile(r"(127\.0\.0\.1|localhost):(\d+)")

    def fix(match: re.Match[str]) -> str:
        port = int(match.group(2))
        return match.group(0) if port == sandbox_port else f"{match.group(1)}:{WEBHOOK_PORT}"

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return ports.sub(fix, value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = nbformat.from_dict(walk(cell.outputs))
    widgets = nb.metadata.get("widgets")
    if widgets:
        nb.metadata["widgets"] = nbformat.from_dict(walk(widgets))


def _clean(nb: nbformat.NotebookNode) -> None:
    """Keep outputs, counts and shown widgets' state; drop timings and per-run metadata."""
    _keep_shown_widgets(nb)
    _stable_ports(nb, PORT)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)


def run(paths: list[Path]) -> None:
    from vonage_widgets.workbook import TARGET_VARIABLES, WorkbookSandbox

    for name in TARGET_VARIABLES:
        os.environ.pop(name, None)
    home = Path(tempfile.mkdtemp(prefix="vonage-widgets-outputs-"))
    sandbox = WorkbookSandbox(port=PORT, db=None, seed=SEED)
    try:
        sandbox.start()
        os.environ["VONAGE_WIDGETS_SANDBOX_URL"] = sandbox.url
        os.environ["VONAGE_WIDGETS_HOME"] = str(home)
        os.environ["VONAGE_WIDGETS_SEED"] = str(SEED)
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                resources={"metadata": {"path": str(NOTEBOOKS)}},
                store_widget_state=True,
                record_timing=False,
            )
            client.execute()
            _clean(nb)
            nbformat.write(nb, path)
            print(f"ran {path.name}", flush=True)
    finally:
        sandbox.stop()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    run(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
