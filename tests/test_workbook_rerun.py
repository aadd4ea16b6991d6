"""Workbook.delete_applications: a notebook run again starts over, never on a real account unasked.

The tutorial notebooks run against a sandbox that keeps its state between runs. Notebook 1
deletes what an earlier run made before creating it again; on a real Vonage account the same
call deletes nothing unless ``confirm=True``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets.errors import ValidationError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.workbook import Workbook

ANSWER = "https://example.com/answer"
VOICE_SMS = "447700900000"  # a number every sandbox account owns (sandbox seed)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


@pytest.fixture
def wb(home: Path) -> Iterator[Workbook]:
    with Workbook() as workbook:
        yield workbook


def _names(wb: Workbook) -> list[str]:
    return sorted(app.name for app in wb.applications())


def test_in_a_sandbox_every_application_of_those_names_goes(wb: Workbook) -> None:
    first = wb.create_application("tutorial", answer_url=ANSWER)
    wb.create_application("tutorial", answer_url=ANSWER)  # names can repeat
    wb.create_application("in code")
    kept = wb.create_application("mine")
    assert first.id is not None
    wb.client.numbers.link(VOICE_SMS, first.id)
    key_files = sorted(wb.keys_dir.iterdir())

    deleted = wb.delete_applications("tutorial", "in code", "never made")

    assert sorted(app.name for app in deleted) == ["in code", "tutorial", "tutorial"]
    assert _names(wb) == ["mine"]
    assert wb.client.numbers.find(VOICE_SMS).app_id is None  # free for the next run
    assert wb.application is not None
    assert wb.application.id == kept.id  # the current one was not deleted: kept
    assert sorted(wb.keys_dir.iterdir()) == key_files  # key files are never deleted
    assert wb.delete_applications("tutorial", "in code") == []  # nothing left: no error


def test_the_current_application_is_forgotten_when_deleted(wb: Workbook) -> None:
    wb.create_application("tutorial", answer_url=ANSWER)
    assert wb.delete_applications("tutorial")
    assert wb.application is None
    assert "application" not in repr(wb)
    again = wb.ensure_application("tutorial", answer_url=ANSWER)  # a run again: one, new
    assert _names(wb) == ["tutorial"]
    assert wb.use("tutorial").id == again.id


def test_an_application_deleted_meanwhile_counts_as_deleted(
    wb: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = wb.create_application("tutorial")
    delete = wb.client.applications.delete

    def deleted_by_someone_else_first(app_id: str) -> None:
        delete(app_id)  # another kernel, or the Dashboard
        delete(app_id)  # ours: 404 Not Found

    monkeypatch.setattr(wb.client.applications, "delete", deleted_by_someone_else_first)
    assert [app.id for app in wb.delete_applications("tutorial")] == [made.id]
    assert _names(wb) == []


def test_a_real_account_is_never_changed_unasked(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sandbox standing in for api.nexmo.com: with credentials the workbook is in real mode.
    with Sandbox() as stand_in:
        monkeypatch.setenv("VONAGE_API_HOST", stand_in.url)
        monkeypatch.setenv("VONAGE_REST_HOST", stand_in.url)
        with Workbook(api_key=stand_in.api_key, api_secret=stand_in.api_secret) as real:
            assert real.mode == "vonage"
            assert real.delete_applications("tutorial") == []  # a first run: nothing to say
            made = real.client.applications.create({"name": "tutorial"})

            with pytest.raises(ValidationError) as caught:
                real.delete_applications("tutorial", "in code")

            assert caught.value.paths == ["confirm"]
            message = caught.value.errors[0].message
            assert message.startswith("must be True to delete applications of a real Vonage")
            assert f"'tutorial' ({made.id})" in message
            assert "Nothing was deleted" in message
            assert stand_in.api_secret not in str(caught.value)
            assert _names(real) == ["tutorial"]

            assert [app.id for app in real.delete_applications("tutorial", confirm=True)] == [
                made.id
            ]
            assert _names(real) == []
