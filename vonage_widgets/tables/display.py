"""Show a table in a notebook: compact HTML for people, plain text for nbval and terminals.

:func:`styled` wraps any DataFrame. Its HTML (a pandas ``Styler``) fits a notebook column:
booleans as ✓ or blank, missing values blank, severities in colour, UUID columns in a short
form with the whole id as hover text, headers that wrap at ``_``, a change preview's
``before``/``after`` in red and green. Its ``repr`` is the frame's text without the row
numbers and with missing values blank, so a notebook's ``text/plain`` output is the same on
every run (no memory addresses, no random ids) and nbval can compare it.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

__all__ = [
    "DEFAULT_MAX_ROWS",
    "SEVERITY_COLOURS",
    "SHORT_ID_LENGTH",
    "StyledTable",
    "short_id",
    "styled",
]

SEVERITY_COLOURS: Mapping[str, str] = {
    "error": "background-color: #fde2e1; color: #8a1c14; font-weight: 600",
    "warning": "background-color: #fff4d6; color: #7a5200",
    "info": "background-color: #e6f0fb; color: #1f4f82",
}
"""CSS for each value of a ``severity`` column."""

_TABLE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 0.85em;"},
    {
        "selector": "th",
        "props": "text-align: left; padding: 2px 8px; border-bottom: 1px solid #999;",
    },
    {"selector": "td", "props": "text-align: left; padding: 2px 8px; vertical-align: top;"},
    {
        "selector": "tbody tr:nth-child(even)",
        "props": "background-color: rgba(127, 127, 127, 0.07);",
    },
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: 600;"},
    {"selector": "td.vw-id", "props": "white-space: nowrap; font-family: monospace;"},
    {"selector": "td.vw-before", "props": "background-color: #fde2e1; color: #8a1c14;"},
    {"selector": "td.vw-after", "props": "background-color: #e3f4e6; color: #14532d;"},
]
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHORT_ID_LENGTH = 8
"""How many leading characters of a UUID a table shows (the full id is its hover text)."""
# Styler scopes its CSS by a table id; a counter keeps ids unique on a page and the same on
# every run of a notebook (the default is random).
_TABLE_IDS = itertools.count(1)


def _is_id_column(name: object, column: pd.Series) -> bool:
    """An ``id``/``uuid`` column whose values are all UUIDs (or missing)."""
    label = str(name).lower()
    if not (label in {"id", "uuid"} or label.endswith(("_id", "_uuid", ".uuid"))):
        return False
    present = column.dropna()
    return bool(len(present)) and all(isinstance(v, str) and _UUID.match(v) for v in present)


def short_id(value: object) -> str:
    """HTML for one id cell: its first characters, the whole id as hover text (``title``)."""
    if not isinstance(value, str) or not value:
        return ""
    full = html.escape(value)
    return f'<span title="{full}">{html.escape(value[:SHORT_ID_LENGTH])}…</span>'


def _header(name: object) -> str:
    """A column header that may wrap after each ``_`` or ``.`` (no cut or overlong headers)."""
    text = html.escape(str(name))
    return re.sub(r"([_.])", r"\1<wbr>", text)


def _tick(value: object) -> str:
    """✓ for true, blank for false or missing (numpy booleans are not ``True``, so no ``is``)."""
    return "" if value is pd.NA or value is None else ("✓" if value else "")


DEFAULT_MAX_ROWS = 1000
"""Rows :func:`styled` shows before it cuts the display short (the data is never cut)."""


class StyledTable:
    """A DataFrame with a readable face. ``data`` is the frame, unchanged and complete.

    Tables up to ``max_rows`` rows show in full; longer ones show their first ``max_rows``
    rows and say how many more there are (a 40,000-row audit would freeze the browser).
    The row index is not shown: the package's tables number rows 0..n, which says nothing.
    """

    def __init__(
        self,
        data: pd.DataFrame,
        caption: str | None = None,
        *,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> None:
        self.data = data
        self.caption = caption
        self.max_rows = max_rows

    def _shown(self) -> tuple[pd.DataFrame, str | None]:
        """The rows to display, and a note on the rows left out (``None`` when none are)."""
        total = len(self.data)
        if self.max_rows is None or total <= self.max_rows:
            return self.data, None
        hidden = total - self.max_rows
        note = f"... {hidden:,} more rows not shown ({total:,} in all; the full table is .data)"
        return self.data.head(self.max_rows), note

    @property
    def styler(self) -> Styler:
        """The pandas Styler that renders the HTML (built afresh on each access).

        Styles go by column and by CSS class, never cell by cell, so a long table does not
        carry one CSS rule per cell.
        """
        frame, note = self._shown()
        caption = " — ".join(part for part in (self.caption, note) if part) or None
        styler = Styler(
            frame, uuid=f"vw{next(_TABLE_IDS)}", cell_ids=False, na_rep="", caption=caption
        )
        styler.hide(axis="index").set_table_styles(_TABLE_STYLES)
        # Text comes from API bodies: escape it, so an odd name cannot inject markup.
        styler.format(na_rep="", escape="html")
        # Unknown capability names are API data too: _header escapes them.
        styler.format_index(_header, axis=1)
        classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
        ids = [c for c in frame.columns if _is_id_column(c, frame[c])]
        if ids:
            styler.format(short_id, subset=ids)  # escapes the id itself
            for column in ids:
                classes[column] = "vw-id"
        if {"before", "after"} <= set(frame.columns):  # a change preview: old and new apart
            classes["before"] = "vw-before"
            classes["after"] = "vw-after"
        ticks = [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
        if ticks:
            styler.format(_tick, subset=ticks, escape="html")
            centred = [{"selector": "td", "props": "text-align: center;"}]
            styler.set_table_styles(dict.fromkeys(ticks, centred), overwrite=False)
        if "severity" in frame.columns:
            classes["severity"] = "vw-" + frame["severity"].astype(str)
            styler.set_table_styles(
                [
                    {"selector": f"td.vw-{name}", "props": css}
                    for name, css in SEVERITY_COLOURS.items()
                ],
                overwrite=False,
            )
        if (classes != "").any(axis=None):
            styler.set_td_classes(classes)
        return styler

    def _repr_html_(self) -> str:
        return str(self.styler.to_html())

    def __repr__(self) -> str:
        frame, note = self._shown()
        text = _plain(frame)
        return text if note is None else f"{text}\n{note}"


def _plain(frame: pd.DataFrame) -> str:
    """The text form: no row numbers, missing values blank (never ``NaN`` or ``None``)."""
    missing = [c for c in frame.columns if frame[c].isna().any()]
    if missing:  # only those columns turn to text: the others keep their alignment
        frame = frame.copy()
        for column in missing:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    return str(frame.to_string(index=False))


def styled(
    df: pd.DataFrame, caption: str | None = None, *, max_rows: int | None = DEFAULT_MAX_ROWS
) -> StyledTable:
    """``df`` for display: compact HTML in a notebook, ``df.to_string()`` as plain text.

    HTML: booleans as ✓ or blank, missing values blank, a ``severity`` column coloured,
    text escaped, ids short (whole on hover). Plain text (``repr``): ``df.to_string()``
    without the index and with missing values blank, the same on every run. Longer than
    ``max_rows`` (``None``: no limit), both show the first ``max_rows`` rows and a line
    saying how many were left out.
    """
    return StyledTable(df, caption, max_rows=max_rows)
