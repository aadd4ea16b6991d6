"""Workbook lookups by name stream the listing: they never hold every application at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets.client import ApplicationsApi
from vonage_widgets.errors import ValidationError
from vonage_widgets.workbook import Workbook

ANSWER = "https://example.com/answer"


@pytest.fixture
def wb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workbook]:
    isolate(monkeypatch, tmp_path)
    with Workbook() as workbook:
        yield workbook


@pytest.fixture
def no_list_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any ``list_all`` call fail: lookups must stream with ``iter_all``."""

    def refuse(self: ApplicationsApi, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("a lookup materialised the whole listing")

    monkeypatch.setattr(ApplicationsApi, "list_all", refuse)


def test_use_ensure_and_delete_stream_the_listing(wb: Workbook, no_list_all: None) -> None:
    made = wb.ensure_application("streamed", answer_url=ANSWER)
    assert wb.ensure_application("streamed").id == made.id
    assert wb.use("streamed").id == made.id
    assert wb.use(str(made.id)).name == "streamed"
    assert [app.id for app in wb.delete_applications("streamed")] == [made.id]
    with pytest.raises(ValidationError, match="the account has none yet"):
        wb.use("streamed")


def test_a_miss_in_a_large_account_shows_the_first_twenty_and_a_count(
    wb: Workbook, no_list_all: None
) -> None:
    names = [f"app {n:02d}" for n in range(23)]
    for name in names:
        wb.create_application(name, answer_url=ANSWER)
    wb.create_application("Forward Calls", answer_url=ANSWER)
    with pytest.raises(ValidationError) as caught:
        wb.use("forward calls")
    message = caught.value.errors[0].message
    assert caught.value.paths == ["id_or_name"]
    for name in names[:20]:
        assert f"'{name}' (" in message
    for name in names[20:]:
        assert f"'{name}'" not in message
    assert "and 4 more." in message  # 24 applications, 20 shown
    assert "Did you mean 'Forward Calls'?" in message  # found past the twenty shown
