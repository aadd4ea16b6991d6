"""How much work each benchmark does (:class:`Scale`) and the small tools that time it.

Every loop here runs a fixed number of times (never "as many as fit in N seconds"), so a run
does the same work on a fast and a slow machine and the figures stay comparable.
"""

from __future__ import annotations

import gc
import json
import math
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MIB",
    "MemoryPeak",
    "Scale",
    "interleaved_rates",
    "median",
    "peak_rss_growth",
    "peak_rss_growth_in_child",
    "peak_rss_growth_in_children",
    "percentile",
    "time_each",
    "time_once",
]

MIB = 1024 * 1024

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass(frozen=True)
class Scale:
    """Sizes and repeat counts for one run: :meth:`full` (default), :meth:`quick`, :meth:`smoke`."""

    name: str
    apps: int
    """Applications listed and tabled (items 1 and 4)."""
    page_size: int
    """Page size of the list benchmarks (the API's maximum, 100, except in smoke runs)."""
    requests: int
    """Requests per operation and concurrency level in the sandbox load test."""
    list_requests: int
    """Requests for the "list a page" operation (each moves a whole page)."""
    generated_key_requests: int
    """Creates with a sandbox-generated key pair (RSA generation costs ~50-200 ms each)."""
    load_apps: int
    """Applications in the sandbox during the load test (ids to get and update)."""
    concurrency: tuple[int, ...]
    """Concurrent clients in the load test."""
    import_runs: int
    """Fresh interpreters per import measurement (the median is reported)."""
    import_targets: tuple[str, ...]
    """Modules whose import time is measured."""
    form_builds: int
    keystrokes: int
    table_repeats: int
    jwt_tokens: int
    ncco_checks: int
    run_notebooks: bool
    listing_runs: int = 1
    """End-to-end list runs per client: the best is reported, except with the sandbox in its
    own process, where clients take turns for this many rounds and medians are reported."""
    listing_latencies: tuple[float, ...] = (0.0, 20.0)
    """Simulated round trips (ms, ``vonage-widgets sandbox --latency``) of the own-process
    listing rounds; 0 is always run first."""
    latency_runs: int = 1
    """Rounds taken in turn at each non-zero latency (the SDK's loop then waits ``pages x
    latency``, so fewer rounds than ``listing_runs`` keep the run short)."""
    import_cold: bool = False
    """Also time each import without our bytecode ("cold": our sources compiled each time)."""

    @classmethod
    def full(cls) -> Scale:
        """The default run: the brief's sizes, about 5 minutes on 2 busy cores."""
        return cls(
            name="full",
            apps=10_000,
            page_size=100,
            requests=300,
            list_requests=60,
            generated_key_requests=8,
            load_apps=1_000,
            concurrency=(1, 4),
            import_runs=5,
            import_targets=(
                "vonage_widgets",
                "vonage_widgets.models",
                "vonage_widgets.client",
                "vonage_widgets.widgets",
                "vonage_widgets.workbook",
            ),
            form_builds=15,
            keystrokes=200,
            table_repeats=3,
            jwt_tokens=60,
            ncco_checks=2_000,
            run_notebooks=True,
            listing_runs=7,
            listing_latencies=(0.0, 20.0, 80.0),
            latency_runs=5,
            import_cold=True,
        )

    @classmethod
    def quick(cls) -> Scale:
        """A smoke run of every benchmark but the notebooks, about a minute."""
        return cls(
            name="quick",
            apps=1_000,
            page_size=100,
            requests=40,
            list_requests=10,
            generated_key_requests=2,
            load_apps=200,
            concurrency=(1, 4),
            import_runs=3,
            import_targets=("vonage_widgets", "vonage_widgets.models"),
            form_builds=3,
            keystrokes=30,
            table_repeats=1,
            jwt_tokens=10,
            ncco_checks=200,
            run_notebooks=False,
            listing_latencies=(0.0, 80.0),
            latency_runs=3,
        )

    @classmethod
    def smoke(cls) -> Scale:
        """Tiny sizes for the test suite: proves each benchmark runs, says nothing about speed."""
        return cls(
            name="smoke",
            apps=25,
            page_size=10,
            requests=4,
            list_requests=2,
            generated_key_requests=1,
            load_apps=12,
            concurrency=(1, 2),
            import_runs=1,
            import_targets=("vonage_widgets", "vonage_widgets.models"),
            form_builds=1,
            keystrokes=2,
            table_repeats=1,
            jwt_tokens=2,
            ncco_checks=2,
            run_notebooks=True,
        )


def time_once(action: Callable[[], object]) -> float:
    """Seconds one call of ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def time_each(action: Callable[[int], object], count: int) -> list[float]:
    """Seconds each of ``count`` calls ``action(i)`` takes, in call order."""
    durations: list[float] = []
    clock = time.perf_counter
    for i in range(count):
        start = clock()
        action(i)
        durations.append(clock() - start)
    return durations


def interleaved_rates(
    actions: Mapping[str, Callable[[int], object]], count: int, rounds: int = 10
) -> dict[str, float]:
    """Calls per second of each action, ``count`` calls each, run in alternating rounds.

    Alternating (a round of each in turn, ``rounds`` times) spreads any drift of the machine's
    speed over every contender instead of favouring whichever ran first.
    """
    rounds = max(1, min(rounds, count))
    sizes = [count // rounds + (r < count % rounds) for r in range(rounds)]
    totals = dict.fromkeys(actions, 0.0)
    clock = time.perf_counter
    done = 0
    for size in sizes:
        for name, action in actions.items():
            start = clock()
            for i in range(done, done + size):
                action(i)
            totals[name] += clock() - start
        done += size
    return {name: count / seconds for name, seconds in totals.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank rule (an observed value)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    """The median (kept here so every module reports the same statistic)."""
    return statistics.median(values)


def _status_kib(name: str) -> int | None:
    try:
        match = re.search(rf"^{name}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


@dataclass
class MemoryPeak:
    """Peak resident memory growth over a block, in bytes (see :func:`peak_rss_growth`)."""

    growth: int = 0
    method: str = ""

    @property
    def mib(self) -> float:
        """The growth in MiB."""
        return self.growth / MIB

    def to_dict(self) -> dict[str, int | str]:
        """JSON-ready form (what a child process prints)."""
        return {"growth": self.growth, "method": self.method}


@contextmanager
def peak_rss_growth() -> Iterator[MemoryPeak]:
    """Measure how far the process's resident set rose above its size at the start.

    On Linux the kernel's high-water mark is reset first (``/proc/self/clear_refs``), so the
    peak belongs to this block alone. Elsewhere it falls back to ``ru_maxrss``, the peak since
    the process started, which can only under-report a block that stays below an earlier peak.
    The whole process counts: an in-process sandbox's memory is included.
    """
    gc.collect()
    result = MemoryPeak()
    try:
        _CLEAR_REFS.write_text("5")
        before = _status_kib("VmRSS")
        method = "VmHWM after clear_refs"
    except OSError:
        before = None
        method = "ru_maxrss"
    if before is None:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        method = "ru_maxrss"
    try:
        yield result
    finally:
        if method == "ru_maxrss":
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        else:
            peak = _status_kib("VmHWM") or before
        result.growth = max(0, peak - before) * 1024
        result.method = method


_CHILD = """
import importlib, json, sys
module, function, args = sys.argv[1], sys.argv[2], sys.argv[3:]
print(json.dumps(getattr(importlib.import_module(module), function)(*args)))
"""
_REPO = Path(__file__).resolve().parent.parent


def peak_rss_growth_in_children(
    calls: Sequence[tuple[str, str, Sequence[str]]], timeout: float = 600.0
) -> list[MemoryPeak]:
    """Call each ``(module, function, args)`` in its own fresh interpreter, all at once.

    Each function returns a :class:`MemoryPeak` dict. A fresh process, because in a
    long-lived one the allocator reuses memory freed by earlier work and a second build of
    the same data shows almost no growth. They run side by side: a peak is per process, so
    sharing the cores changes only how long they take, not what they measure.
    """
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, module, function, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=_REPO,
        )
        for module, function, args in calls
    ]
    peaks: list[MemoryPeak] = []
    try:
        for child, (module, function, _) in zip(children, calls, strict=True):
            out, err = child.communicate(timeout=timeout)
            if child.returncode != 0:
                raise RuntimeError(f"{module}.{function} failed in a child:\n{err[-2000:]}")
            data = json.loads(out.strip().splitlines()[-1])
            method = f"{data['method']}, fresh process"
            peaks.append(MemoryPeak(growth=int(data["growth"]), method=method))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return peaks


def peak_rss_growth_in_child(module: str, function: str, *args: str) -> MemoryPeak:
    """:func:`peak_rss_growth_in_children` for one call."""
    return peak_rss_growth_in_children([(module, function, args)])[0]
