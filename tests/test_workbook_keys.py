"""Workbook: private keys kept safe (0700 folder, 0600 files) and the form wired to it."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets.errors import BadRequestError, VonageWidgetsError
from vonage_widgets.keys import generate_key_pair, keys_match
from vonage_widgets.workbook import Workbook

ANSWER = "https://example.com/answer"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


@pytest.fixture
def wb(home: Path) -> Iterator[Workbook]:
    with Workbook() as workbook:
        yield workbook


def test_keys_dir_is_home_keys_with_mode_0700(home: Path) -> None:
    with Workbook() as workbook:
        assert workbook.home == home
        assert workbook.keys_dir == home / "keys"
        assert mode_of(workbook.keys_dir) == 0o700


def test_an_existing_open_keys_dir_is_closed_to_others(home: Path) -> None:
    (home / "keys").mkdir(parents=True)
    (home / "keys").chmod(0o755)
    with Workbook(home=home) as workbook:
        assert mode_of(workbook.keys_dir) == 0o700


def test_generated_key_is_saved_0600_before_create_and_matches(wb: Workbook) -> None:
    app = wb.create_application("keyed", answer_url=ANSWER)
    path = wb.key_path
    assert path is not None
    assert path.parent == wb.keys_dir
    assert mode_of(path) == 0o600
    assert app.keys is not None
    assert app.keys.public_key
    assert keys_match(path, app.keys.public_key)
    assert app.keys.private_key is None  # never kept in memory
    check = wb.check_key()
    assert check.safe
    assert check.mode == "0600"
    assert check.file == f"<home>/keys/{path.name}"


def test_a_key_generated_by_vonage_is_saved_0600_too(wb: Workbook) -> None:
    app = wb.create_application("server keys", answer_url=ANSWER, generate_keys=False)
    path = wb.key_path
    assert path is not None
    assert mode_of(path) == 0o600
    assert app.keys is not None
    assert app.keys.private_key is None
    assert keys_match(path, str(app.keys.public_key))


def test_a_given_public_key_makes_no_file(wb: Workbook) -> None:
    pair = generate_key_pair()
    app = wb.create_application("own key", answer_url=ANSWER, public_key=pair.public_pem)
    assert app.keys is not None
    assert app.keys.public_key == pair.public_pem
    assert list(wb.keys_dir.iterdir()) == []
    assert wb.key_path is None
    with pytest.raises(VonageWidgetsError, match="no private key for application 'own key'"):
        wb.check_key()


def test_a_refused_create_removes_its_unused_key(
    wb: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(body: object) -> object:
        raise BadRequestError(400, title="Bad Request")

    monkeypatch.setattr(wb.client.applications, "create", refuse)
    with pytest.raises(BadRequestError):
        wb.create_application("refused", answer_url=ANSWER)
    assert list(wb.keys_dir.iterdir()) == []


def test_key_path_is_found_again_by_a_new_workbook(home: Path) -> None:
    with Workbook(sandbox=None) as first:
        first.create_application("found", answer_url=ANSWER)
        saved = first.key_path
        app = first.application
    assert saved is not None
    assert app is not None
    with Workbook() as second:  # a different sandbox, same home: match by public key
        second.use(app)
        assert second.key_path == saved


def test_form_saves_become_the_current_application(wb: Workbook) -> None:
    form = wb.form()
    assert form.mode == "create"
    assert form.keys_dir == wb.keys_dir
    form.name_row.control.value = "from the form"
    form.sections["voice"].toggle.value = True
    form.rows["capabilities.voice.webhooks.answer_url.address"].control.value = ANSWER
    saved = form.save()
    assert wb.application is not None
    assert wb.application.id == saved.id
    path = wb.key_path
    assert path is not None
    assert mode_of(path) == 0o600
    assert form.key_path == path

    edit = wb.form("from the form")
    assert edit.mode == "edit"
    edit.rows[
        "capabilities.voice.webhooks.answer_url.address"
    ].control.value = "https://example.com/v2/answer"
    edit.save()
    current = wb.application
    assert current is not None
    assert current.id == saved.id
    hooks = current.capabilities.voice.webhooks  # type: ignore[union-attr]
    assert hooks.answer_url.address == "https://example.com/v2/answer"  # type: ignore[union-attr]
    assert wb.key_path == path  # the key was kept, not rotated


def test_form_with_an_unknown_name_is_refused(wb: Workbook) -> None:
    with pytest.raises(VonageWidgetsError, match="no application has the id or name 'nope'"):
        wb.form("nope")


def test_form_picker_lists_the_account_and_keeps_the_greeting(wb: Workbook) -> None:
    made = wb.create_application("listed", answer_url=ANSWER)
    form = wb.form()
    options = list(form.app_picker.options)
    assert len(options) == 2
    assert options[1][1] == made.id  # after the "(new application)" entry
    assert "New application" in form.status.value
    edit = wb.form(made)
    assert edit.app_picker.value == made.id
    assert "Loaded application" in edit.status.value or "Editing" in edit.status.value
