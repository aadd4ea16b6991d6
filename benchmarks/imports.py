"""Item 3: how long importing the package takes, against importing its dependencies alone.

Each measurement is a fresh interpreter timing one ``import`` with ``time.perf_counter``
inside the child (interpreter start-up excluded), median of ``scale.import_runs``; target
and baseline runs alternate so drift on the machine hits both alike.

The baseline of a module is the exact set of third-party modules that importing it loaded
(found from ``sys.modules`` in a first child), imported alone in a fresh interpreter: what
the import would cost if our own code took no time. ``vonage_widgets`` itself loads no
third-party module (heavy parts load when first used), so its figure has no baseline; the
submodules a notebook really imports (models, client, widgets, workbook) carry the ratio,
with the brief's target of at most 1.2x, judged on the medians. The notes also give the ratio
of each side's fastest run, which a busy machine disturbs least (imports do fixed work).

Both sides load bytecode. The dependencies were installed from wheels, so pip compiled them
at install time; our package is an editable install, and where ``PYTHONDONTWRITEBYTECODE``
is set every fresh interpreter would otherwise compile our sources again, a cost no user
installing the wheel pays. So :func:`compile_package` first writes our bytecode into
the package's ordinary ``__pycache__`` folders (git-ignored), which Python reads even with
``PYTHONDONTWRITEBYTECODE`` set, exactly as a wheel install's. With ``scale.import_cold``
each module gets a second, "cold" row as well: the same measurement with our bytecode
ignored (our sources compiled in every child, the dependencies still precompiled on both
sides), so that cost is reported rather than hidden.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks._measure import Scale, median
from benchmarks._report import Figure

__all__ = [
    "RATIO_TARGET",
    "compile_package",
    "import_seconds",
    "loaded_modules",
    "run",
    "third_party",
]

RATIO_TARGET = 1.2
"""Import time may be at most this multiple of the dependencies' own import time."""

_REPO = Path(__file__).resolve().parent.parent
_PACKAGE = _REPO / "vonage_widgets"
_TIMEOUT = 120.0

# Runs in the child: import the named modules (argv[3:]) and report the seconds it took and
# every module then loaded that was not loaded before. With argv[2] == "cold", no bytecode is
# read for files under argv[3] (our package): the path finder asks ``cache_from_source`` where
# a module's bytecode lives, and a NotImplementedError there means "compile the source".
_CHILD = """
import importlib, json, sys, time
mode, cold, package, names = sys.argv[1], sys.argv[2] == "cold", sys.argv[3], sys.argv[4:]
if cold:
    import _frozen_importlib_external as external
    cached = external.cache_from_source
    def no_bytecode_for_ours(path, *args, **kwargs):
        if path.startswith(package):
            raise NotImplementedError
        return cached(path, *args, **kwargs)
    external.cache_from_source = no_bytecode_for_ours
before = set(sys.modules)
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


def compile_package() -> None:
    """Write our package's bytecode to its ``__pycache__``, as installing a wheel does.

    Files already compiled and unchanged are skipped; a file that fails to compile is left
    to fail the import that needs it, where the error is reported.
    """
    compileall.compile_dir(_PACKAGE, quiet=1)


def _child(mode: str, names: Sequence[str], *, cold: bool = False) -> dict[str, object]:
    package = os.path.join(_PACKAGE, "")  # a prefix of every file of ours, not of a sibling
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, "cold" if cold else "warm", package, *names],
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


def import_seconds(mode: str, names: Sequence[str], *, cold: bool = False) -> float:
    """Seconds a fresh interpreter takes to import ``names`` (``mode`` "target" or "baseline").

    ``cold``: without our package's bytecode (its sources compiled on import).
    """
    seconds = _child(mode, names, cold=cold)["seconds"]
    assert isinstance(seconds, float)
    return seconds


def _measure(
    target: str, deps: Sequence[str], runs: int, *, cold: bool
) -> tuple[list[float], list[float]]:
    """Seconds of ``runs`` imports of ``target`` and of its ``deps`` alone, alternating."""
    if deps:
        import_seconds("baseline", deps, cold=cold)  # warm-up, not counted
    ours: list[float] = []
    alone: list[float] = []
    for _ in range(runs):
        ours.append(import_seconds("target", [target], cold=cold))
        if deps:
            alone.append(import_seconds("baseline", deps, cold=cold))
    return ours, alone


def _figure(
    target: str, deps: Sequence[str], ours: list[float], alone: list[float], *, cold: bool
) -> Figure:
    tops = sorted({name.partition(".")[0] for name in deps})
    extra: dict[str, float | int | str] = {
        "third_party_modules": len(deps),
        "packages": ",".join(tops),
        "cold": int(cold),
        "best_ms": min(ours) * 1000,
    }
    if not alone:
        notes = "loads no third-party module (heavy parts load when first used)"
    else:
        ratio = median(ours) / median(alone)
        # The best run of each side as well: imports do fixed work, so the fastest run is the
        # one least disturbed by the rest of the machine (a steadier ratio on a busy one).
        extra["best_ratio"] = min(ours) / min(alone)
        verdict = "meets" if ratio <= RATIO_TARGET else "MISSES"
        shown = ", ".join(tops[:6]) + (f" +{len(tops) - 6}" if len(tops) > 6 else "")
        notes = (
            f"baseline: its {len(deps)} third-party modules alone ({shown}); "
            f"{verdict} target <= {RATIO_TARGET}x (best run vs best run: "
            f"{extra['best_ratio']:.2f}x)"
        )
    if cold:
        bytecode = "cold: our sources compiled in each child, dependencies' bytecode as installed"
    else:
        bytecode = "bytecode on both sides (ours compiled first, as a wheel install does)"
    return Figure(
        f"import {target}" + (" (cold)" if cold else ""),
        median(ours) * 1000,
        "ms",
        baseline=median(alone) * 1000 if alone else None,
        notes=f"{notes}; {bytecode}; median of {len(ours)} fresh interpreters",
        extra=extra,
    )


def run(scale: Scale) -> list[Figure]:
    """One figure per module in ``scale.import_targets`` (milliseconds, median).

    With ``scale.import_cold``, one more figure per module after them: the same without our
    bytecode (names end in "(cold)").
    """
    compile_package()
    found: list[tuple[str, list[str]]] = []
    figures: list[Figure] = []
    for target in scale.import_targets:
        deps = third_party(loaded_modules(target))  # also warms the operating system's caches
        found.append((target, deps))
        ours, alone = _measure(target, deps, scale.import_runs, cold=False)
        figures.append(_figure(target, deps, ours, alone, cold=False))
    if scale.import_cold:
        for target, deps in found:
            ours, alone = _measure(target, deps, scale.import_runs, cold=True)
            figures.append(_figure(target, deps, ours, alone, cold=True))
    return figures
