"""Item 3: how long importing the package takes, against importing its dependencies alone.

Each measurement is a fresh interpreter timing one ``import`` with ``time.perf_counter``
inside the child (interpreter start-up excluded), median of ``scale.import_runs``; target
and baseline runs alternate so drift on the machine hits both alike.

The baseline of a module is the exact set of third-party modules that importing it loaded
(found from ``sys.modules`` in a first child), imported alone in a fresh interpreter: what
the import would cost if our own code took no time. ``vonage_widgets`` itself loads no
third-party module (heavy parts load when first used), so its figure has no baseline; the
submodules a notebook really imports (models, client, sandbox, tables, widgets, workbook)
carry the ratio, with the brief's target of at most 1.2x.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks._measure import Scale, median
from benchmarks._report import Figure

__all__ = ["RATIO_TARGET", "import_seconds", "loaded_modules", "run", "third_party"]

RATIO_TARGET = 1.2
"""Import time may be at most this multiple of the dependencies' own import time."""

_REPO = Path(__file__).resolve().parent.parent
_TIMEOUT = 120.0

# Runs in the child: import the named modules (argv[2:]) and report the seconds it took and
# every module then loaded that was not loaded before.
_CHILD = """
import importlib, json, sys, time
before = set(sys.modules)
mode, names = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
for name in names:
    try:
        importlib.import_module(name)
    except BaseException:  # a submodule that cannot load on its own: its parents still count
        if mode == "target":
            raise
seconds = time.perf_counter() - start
loaded = sorted(set(sys.modules) - before) if mode == "target" else []
print(json.dumps({"seconds": seconds, "loaded": loaded}))
"""


def _child(mode: str, names: Sequence[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, *names],
        capture_output=True,
        text=True,
        cwd=_REPO,
        timeout=_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing {names[:3]} failed:\n{done.stderr[-2000:]}")
    data: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return data


def loaded_modules(target: str) -> list[str]:
    """Every module a fresh interpreter loads to import ``target``."""
    loaded = _child("target", [target])["loaded"]
    assert isinstance(loaded, list)
    return [str(name) for name in loaded]


def third_party(modules: Sequence[str]) -> list[str]:
    """The modules in ``modules`` that belong to neither the standard library nor us."""
    ours = {"vonage_widgets", "benchmarks", "__main__"}
    return [
        name
        for name in modules
        if (top := name.partition(".")[0]) not in sys.stdlib_module_names
        and top not in ours
        and not top.startswith("_")
    ]


def import_seconds(mode: str, names: Sequence[str]) -> float:
    """Seconds a fresh interpreter takes to import ``names`` (``mode`` "target" or "baseline")."""
    seconds = _child(mode, names)["seconds"]
    assert isinstance(seconds, float)
    return seconds


def _measure(target: str, runs: int) -> tuple[float, float | None, list[str]]:
    deps = third_party(loaded_modules(target))  # also warms the bytecode caches
    if deps:
        import_seconds("baseline", deps)  # warm-up, not counted
    ours: list[float] = []
    alone: list[float] = []
    for _ in range(runs):
        ours.append(import_seconds("target", [target]))
        if deps:
            alone.append(import_seconds("baseline", deps))
    return median(ours), (median(alone) if alone else None), deps


def run(scale: Scale) -> list[Figure]:
    """One figure per module in ``scale.import_targets`` (milliseconds, median)."""
    figures: list[Figure] = []
    for target in scale.import_targets:
        ours, alone, deps = _measure(target, scale.import_runs)
        tops = sorted({name.partition(".")[0] for name in deps})
        if alone is None:
            notes = "loads no third-party module (heavy parts load when first used)"
        else:
            ratio = ours / alone
            verdict = "meets" if ratio <= RATIO_TARGET else "MISSES"
            shown = ", ".join(tops[:6]) + (f" +{len(tops) - 6}" if len(tops) > 6 else "")
            notes = (
                f"baseline: its {len(deps)} third-party modules alone ({shown}); "
                f"{verdict} target <= {RATIO_TARGET}x"
            )
        figures.append(
            Figure(
                f"import {target}",
                ours * 1000,
                "ms",
                baseline=None if alone is None else alone * 1000,
                notes=f"{notes}; median of {scale.import_runs} fresh interpreters",
                extra={"third_party_modules": len(deps), "packages": ",".join(tops)},
            )
        )
    return figures
