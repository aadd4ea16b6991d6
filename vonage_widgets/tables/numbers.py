"""The account's numbers as a table, with the application each one is linked to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from vonage_widgets.tables._common import TEXT, UNKNOWN_APPLICATION, sort_rows, typed_frame

if TYPE_CHECKING:
    from vonage_widgets.models.application import Application
    from vonage_widgets.models.numbers import OwnedNumber

__all__ = ["NUMBER_COLUMNS", "linked_application_id", "numbers_table"]

NUMBER_COLUMNS: Mapping[str, str] = {
    "msisdn": TEXT,
    "country": TEXT,
    "type": TEXT,
    "features": TEXT,
    "application_id": TEXT,
    "application": TEXT,
    "voice_callback": TEXT,
}
"""The columns of :func:`numbers_table` and their dtypes."""


def linked_application_id(number: OwnedNumber) -> str | None:
    """The id of the application ``number`` is linked to, or ``None``.

    Kept for existing imports: the rule lives in :attr:`OwnedNumber.linked_application_id`.
    """
    return number.linked_application_id


def _voice_callback(number: OwnedNumber, linked: str | None) -> str | None:
    """Where inbound calls go: ``app`` (the linked application), ``tel: ...`` or ``sip: ...``."""
    kind, value = number.voiceCallbackType, number.voiceCallbackValue
    if not kind:
        return None
    if not value or (kind == "app" and value == linked):
        return kind  # the id is already in application_id
    return f"{kind}: {value}"


def numbers_table(
    numbers: Iterable[OwnedNumber], apps: Iterable[Application] | None = None
) -> pd.DataFrame:
    """One row per number: where it is, what it can do, and what it is linked to.

    Columns: see :data:`NUMBER_COLUMNS`; ``features`` is comma-joined and sorted
    (``"SMS, VOICE"``). ``application`` is the linked application's name when ``apps``
    includes it, ``"(unknown application)"`` when ``apps`` is given and does not, and missing
    when no ``apps`` were passed or the number is not linked. Sorted by msisdn, then country.
    """
    names: dict[str, str] | None = None
    if apps is not None:
        names = {app.id: app.name for app in apps if app.id is not None}
    rows: list[tuple[Any, ...]] = []
    for number in numbers:
        linked = number.linked_application_id
        name = None
        if linked is not None and names is not None:
            name = names.get(linked, UNKNOWN_APPLICATION)
        rows.append(
            (
                number.msisdn,
                number.country,
                number.type,
                ", ".join(sorted(number.features or ())),
                linked,
                name,
                _voice_callback(number, linked),
            )
        )
    return sort_rows(typed_frame(rows, NUMBER_COLUMNS), ["msisdn", "country"])
