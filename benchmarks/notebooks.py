"""Item 6: how long the whole notebook suite takes under nbval (what ``make notebooks`` runs).

One ``pytest -p tests.notebooks_plugin -p nbval -p no:python --nbval --nbval-current-env notebooks``
in a subprocess, from the repository root; the plugin sets the environment itself (offline
sandbox, seed, throw-away folders). The baseline is the same command on as many trivial
notebooks (one ``1 + 1`` cell each): the fixed cost of starting a kernel per notebook, which
no change to the notebooks or the package can remove.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._measure import Scale
from benchmarks._report import Figure

__all__ = ["NOTEBOOKS_DIR", "nbval_seconds", "run", "write_trivial_notebooks"]

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
"""The tutorial notebooks."""

_TIMEOUT = 900.0
_BENCH = "notebooks"


def _trivial_notebook(index: int) -> dict[str, Any]:
    """nbformat 4.5 JSON: one code cell, ``1 + 1``, with its stored output ``2``."""
    result = {
        "output_type": "execute_result",
        "execution_count": 1,
        "data": {"text/plain": "2"},
        "metadata": {},
    }
    cell = {
        "cell_type": "code",
        "id": f"trivial-{index}",
        "execution_count": 1,
        "metadata": {},
        "source": "1 + 1",
        "outputs": [result],
    }
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return {
        "cells": [cell],
        "metadata": {"kernelspec": kernel},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_trivial_notebooks(folder: Path, count: int) -> list[Path]:
    """``count`` notebooks with one cell, ``1 + 1``, and its stored output ``2``."""
    paths = []
    for index in range(count):
        path = folder / f"trivial-{index:02d}.ipynb"
        path.write_text(json.dumps(_trivial_notebook(index), indent=1), encoding="utf-8")
        paths.append(path)
    return paths


def nbval_seconds(folder: Path) -> tuple[float, int, str]:
    """Run nbval on ``folder``: seconds, exit code, pytest's summary line."""
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",  # the project's settings (plugins named, not autoloaded), as `make notebooks` has
        str(NOTEBOOKS_DIR.parent / "pyproject.toml"),
        "-p",
        "tests.notebooks_plugin",
        "-p",
        "nbval",
        "-p",
        "no:python",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "-q",
        str(folder),
    ]
    start = time.perf_counter()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=NOTEBOOKS_DIR.parent,
        timeout=_TIMEOUT,
        check=False,
    )
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return seconds, done.returncode, lines[-1] if lines else done.stderr.strip()[-200:]


def run(scale: Scale, folder: Path | None = None) -> list[Figure]:
    """The suite's wall time against the same number of trivial notebooks."""
    folder = folder or NOTEBOOKS_DIR
    name = f"{_BENCH}: nbval, whole suite"
    if not scale.run_notebooks:
        return [Figure(name, None, "s", notes=f"skipped ({scale.name} run)")]
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        return [Figure(name, None, "s", notes=f"no notebooks in {folder}")]
    seconds, code, summary = nbval_seconds(folder)
    with tempfile.TemporaryDirectory(prefix="vonage-widgets-bench-nb-") as scratch:
        write_trivial_notebooks(Path(scratch), len(notebooks))
        floor, floor_code, floor_summary = nbval_seconds(Path(scratch))
    if floor_code != 0:
        raise RuntimeError(f"nbval failed on trivial notebooks: {floor_summary}")
    verdict = "passed" if code == 0 else f"FAILED (exit {code})"
    return [
        Figure(
            name,
            seconds,
            "s",
            baseline=floor,
            notes=f"{len(notebooks)} notebooks, {verdict}: {summary}; baseline: as many "
            "one-cell notebooks (kernel start-up)",
            extra={"notebooks": len(notebooks), "exit_code": code},
        )
    ]
