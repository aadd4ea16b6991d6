"""``python -m benchmarks``: run the benchmarks and print one table of figures.

Exit status 0 when every benchmark ran, 1 when any failed (its row says why; the others
still run). Figures are never compared against thresholds here: read them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
import traceback
from collections.abc import Sequence
from typing import Any

from benchmarks import BENCHMARKS, load
from benchmarks._measure import Scale
from benchmarks._report import Figure, format_table, write_json

__all__ = ["main"]

# Their work happens in subprocesses, which cProfile cannot see into.
_NOT_PROFILABLE = frozenset({"imports", "notebooks"})


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of vonage-widgets, printed as one table of figures.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, no notebooks: about a minute"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only these ({', '.join(BENCHMARKS)})",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="afterwards, run benchmark NAME (or 'slowest') again under cProfile and print "
        "its top functions",
    )
    parser.add_argument(
        "--profile-lines", type=int, default=30, metavar="N", help="functions to list (30)"
    )
    return parser.parse_args(argv)


def _run_one(name: str, scale: Scale) -> tuple[list[Figure], float]:
    start = time.perf_counter()
    try:
        figures = load(name)(scale)
    except Exception as error:  # report and carry on: one broken benchmark hides no others
        traceback.print_exc(file=sys.stderr)
        figures = [Figure(name, None, "-", notes=f"ERROR: {type(error).__name__}: {error}")]
    return figures, time.perf_counter() - start


def profile(name: str, scale: Scale, lines: int) -> str:
    """Run benchmark ``name`` under cProfile; its top functions by cumulative and own time."""
    profiler = cProfile.Profile()
    profiler.runcall(load(name), scale)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"== cProfile of '{name}' ({scale.name}), by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(lines)
    out.write(f"== cProfile of '{name}' ({scale.name}), by own time ==\n")
    stats.sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; print the table (and the profile); return the exit code."""
    args = _arguments(argv)
    scale = Scale.quick() if args.quick else Scale.full()
    names = args.only or list(BENCHMARKS)
    meta: dict[str, Any] = {
        "scale": scale.name,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "load_average_start": _load(),
    }
    print(
        f"vonage-widgets benchmarks ({scale.name}): python {meta['python']}, "
        f"{meta['cores']} cores, load average {meta['load_average_start']}",
        flush=True,
    )
    figures: list[Figure] = []
    durations: dict[str, float] = {}
    started = time.perf_counter()
    for name in names:
        print(f"  running {name} ...", end="", flush=True)
        found, seconds = _run_one(name, scale)
        figures += found
        durations[name] = seconds
        print(f" {seconds:.1f} s", flush=True)
    meta["seconds"] = {**durations, "total": time.perf_counter() - started}
    meta["load_average_end"] = _load()
    print()
    print(format_table(figures))
    print(
        f"\ntotal {meta['seconds']['total']:.0f} s; load average at the end "
        f"{meta['load_average_end']}; ratio = figure / baseline (rates: >1 is faster; "
        "times and memory: >1 is slower or bigger)"
    )
    if args.json:
        print(f"figures written to {write_json(figures, args.json, meta)}")
    if args.profile:
        target = args.profile
        if target == "slowest":
            candidates = {n: s for n, s in durations.items() if n not in _NOT_PROFILABLE}
            target = max(candidates, key=candidates.__getitem__) if candidates else ""
        if target not in BENCHMARKS or target in _NOT_PROFILABLE:
            print(f"cannot profile {args.profile!r} (subprocess or unknown benchmark)")
        else:
            print()
            print(profile(target, scale, args.profile_lines))
    failed = any(f.notes.startswith("ERROR:") for f in figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
