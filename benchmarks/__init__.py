"""Benchmarks of vonage-widgets: speed and memory as figures, never as timed test assertions.

Run everything with ``python -m benchmarks`` (``make bench``); ``--quick`` for a one-minute
smoke run, ``--only NAME ...`` for some, ``--json FILE`` to keep the figures, ``--profile
NAME`` (or ``slowest``) for a cProfile listing. Each topic is one module with a
``run(scale) -> list[Figure]`` function; :data:`BENCHMARKS` names them in run order.
Ratios compare against a baseline measured in the same process and run wherever possible,
so they carry over between machines better than the raw figures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from benchmarks._measure import Scale
from benchmarks._report import Figure, format_table

__all__ = ["BENCHMARKS", "Figure", "Scale", "format_table", "load"]

BENCHMARKS: dict[str, str] = {
    "listing": "benchmarks.listing",
    "sandbox": "benchmarks.sandbox_load",
    "imports": "benchmarks.imports",
    "form": "benchmarks.form",
    "tables": "benchmarks.tables",
    "jwt": "benchmarks.jwt_minting",
    "voice": "benchmarks.voice_api",
    "ncco": "benchmarks.ncco_validation",
    "notebooks": "benchmarks.notebooks",
}
"""Benchmark name -> module, in run order (the notebook suite, the heaviest, last)."""


def load(name: str) -> Callable[[Scale], list[Figure]]:
    """The ``run`` function of benchmark ``name`` (its module is imported only now)."""
    module = importlib.import_module(BENCHMARKS[name])
    run: Callable[[Scale], list[Figure]] = module.run
    return run
