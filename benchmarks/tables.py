"""Item 4b: the pandas tables for a large account, and the memory they take to build.

The applications are built once, untimed, as the client would return them; each table is
then built ``scale.table_repeats`` times (median reported). Memory is the peak resident
growth over building all three tables once, in a fresh interpreter (:func:`memory_child`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from benchmarks._data import applications
from benchmarks._measure import (
    Scale,
    median,
    peak_rss_growth,
    peak_rss_growth_in_child,
    time_each,
)
from benchmarks._report import Figure
from vonage_widgets.models import Application
from vonage_widgets.tables import audit, capabilities_table, webhooks_table

__all__ = ["TABLES", "memory_child", "run"]

TABLES: dict[str, Callable[[list[Application]], pd.DataFrame]] = {
    "capabilities_table": capabilities_table,
    "webhooks_table": webhooks_table,
    "audit": audit,
}
"""The tables measured, by function name."""

_BENCH = "tables"


def _builder(
    build: Callable[[list[Application]], pd.DataFrame], apps: list[Application]
) -> Callable[[int], pd.DataFrame]:
    return lambda _: build(apps)


def memory_child(count: str) -> dict[str, int | str]:
    """In a fresh interpreter: the peak RSS growth of building the three tables once.

    The applications are built first (outside the measured block), as a notebook holds them.
    """
    apps = applications(int(count))
    with peak_rss_growth() as memory:
        frames = [build(apps) for build in TABLES.values()]
    del frames
    return memory.to_dict()


def run(scale: Scale) -> list[Figure]:
    """Build each table for ``scale.apps`` applications; then their combined memory peak."""
    apps = applications(scale.apps)
    figures: list[Figure] = []
    for name, build in TABLES.items():
        rows = len(build(apps))  # warm-up and a sanity check
        if rows == 0:
            raise RuntimeError(f"{name} returned no rows for {len(apps)} applications")
        seconds = median(time_each(_builder(build, apps), scale.table_repeats))
        figures.append(
            Figure(
                f"{_BENCH}: {name}, {scale.apps:,} apps",
                seconds * 1000,
                "ms",
                notes=f"{rows:,} rows; {scale.apps / seconds:,.0f} apps/s; "
                f"median of {scale.table_repeats}",
                extra={"rows": rows, "apps_per_s": scale.apps / seconds},
            )
        )
    memory = peak_rss_growth_in_child(__name__, "memory_child", str(scale.apps))
    frames = [build(apps) for build in TABLES.values()]
    held = sum(int(frame.memory_usage(deep=True).sum()) for frame in frames) / 1024 / 1024
    figures.append(
        Figure(
            f"{_BENCH}: peak RSS growth, all three tables, {scale.apps:,} apps",
            memory.mib,
            "MiB",
            notes=f"the finished frames hold {held:.1f} MiB ({memory.method})",
            extra={"frames_mib": held},
        )
    )
    return figures
