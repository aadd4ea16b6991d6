"""Figures and how they are shown: one printed table, optionally a JSON file.

A :class:`Figure` is one measured number with its unit and, where one exists, a baseline
measured in the same process and run (so the ratio compares like with like on this machine).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["COLUMNS", "Figure", "format_table", "write_json"]

COLUMNS = ("benchmark", "figure", "unit", "baseline", "ratio", "cores", "notes")
"""Columns of the printed table, in order."""


@dataclass(frozen=True)
class Figure:
    """One measured value.

    ``benchmark`` names what was measured, ``value`` is the figure in ``unit``. ``baseline``
    (same unit) is the comparison point measured in the same run; ``ratio`` is always
    ``value / baseline``, so for a rate above 1 means faster than the baseline and for a
    time above 1 means slower. ``notes`` says what the baseline is and anything a reader
    needs to trust the number; ``extra`` holds secondary numbers (percentiles, counts) for the
    JSON output.
    """

    benchmark: str
    value: float | None
    unit: str
    baseline: float | None = None
    notes: str = ""
    extra: Mapping[str, float | int | str] = field(default_factory=dict)
    cores: int = field(default_factory=lambda: os.cpu_count() or 1)

    @property
    def ratio(self) -> float | None:
        """``value / baseline``, or None when either is missing or the baseline is 0."""
        if self.value is None or self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    def is_well_formed(self) -> bool:
        """True when the figure can be printed and compared: a name, a unit, finite numbers."""
        numbers = [n for n in (self.value, self.baseline) if n is not None]
        return (
            bool(self.benchmark)
            and bool(self.unit)
            and all(isinstance(n, int | float) and math.isfinite(n) for n in numbers)
            and (self.value is not None or bool(self.notes))  # a missing value says why
        )

    def to_dict(self) -> dict[str, Any]:
        """The figure as JSON-ready data (ratio included)."""
        data = asdict(self)
        data["extra"] = dict(self.extra)
        data["ratio"] = self.ratio
        return data


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def format_table(figures: Iterable[Figure]) -> str:
    """A plain-text table, one row per figure, columns :data:`COLUMNS`."""
    rows = [
        (
            f.benchmark,
            _number(f.value),
            f.unit,
            _number(f.baseline),
            _ratio(f.ratio),
            str(f.cores),
            f.notes,
        )
        for f in figures
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(COLUMNS)
    ]
    right = {1, 3, 4, 5}  # numbers line up on the right

    def line(cells: Iterable[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return " | ".join(parts).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(COLUMNS), rule, *(line(r) for r in rows)])


def write_json(figures: Iterable[Figure], path: str | Path, meta: Mapping[str, Any]) -> Path:
    """Write ``{"meta": ..., "figures": [...]}`` to ``path`` and return it."""
    target = Path(path)
    payload = {"meta": dict(meta), "figures": [f.to_dict() for f in figures]}
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return target
