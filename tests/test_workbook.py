"""Workbook: which backend it picks, what it shows, and finding applications by id or name."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets.errors import ValidationError
from vonage_widgets.sandbox import DEFAULT_API_SECRET, Sandbox
from vonage_widgets.workbook import Workbook, WorkbookSandbox, start_shared_sandbox

ANSWER = "https://example.com/answer"


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return isolate(monkeypatch, tmp_path)


@pytest.fixture
def wb(home: Path) -> Iterator[Workbook]:
    with Workbook() as workbook:
        yield workbook


# -- choosing what to talk to ------------------------------------------------------------------


def test_credentials_select_the_real_api_with_hosts_from_the_environment(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", "abc123")
    monkeypatch.setenv("VONAGE_API_SECRET", "s3cr3t-value-42")
    monkeypatch.setenv("VONAGE_API_HOST", "http://127.0.0.1:9")
    monkeypatch.setenv("VONAGE_REST_HOST", "http://127.0.0.1:10")
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", "http://127.0.0.1:11")  # credentials win
    with Workbook() as workbook:
        assert workbook.mode == "vonage"
        assert workbook.sandbox is None
        assert workbook.url == "http://127.0.0.1:9"
        assert workbook.client.rest_host == "http://127.0.0.1:10"
        shown = repr(workbook) + workbook._repr_html_()
        assert "Vonage API at http://127.0.0.1:9" in shown
        assert "key abc123" in shown
        assert "s3cr3t-value-42" not in shown


def test_explicit_credentials_select_the_real_api(home: Path) -> None:
    with Workbook(api_key="k1", api_secret="secret-given-here") as workbook:
        assert workbook.mode == "vonage"
        assert workbook.client.api_key == "k1"
        assert "secret-given-here" not in repr(workbook) + workbook._repr_html_()


def test_sandbox_url_from_lab_is_used_with_default_credentials(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox() as shared:
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", shared.url)
        with Workbook() as first, Workbook() as second:
            assert first.mode == second.mode == "sandbox"
            assert first.sandbox is None  # nothing started in this process
            assert first.url == shared.url
            assert "shared by vonage-widgets lab" in repr(first)
            made = first.create_application("shared app", answer_url=ANSWER)
            assert [app.id for app in second.applications()] == [made.id]
        assert shared.running  # the workbooks never stop a sandbox they did not start
        monkeypatch.delenv("VONAGE_WIDGETS_SANDBOX_URL")
        with Workbook(sandbox=shared.url) as given:
            assert given.url == shared.url
            assert given.sandbox is None
            assert f"sandbox at {shared.url} (offline)" in repr(given)
            assert [app.name for app in given.applications()] == ["shared app"]


def test_embedded_sandbox_by_default_and_stopped_on_close(home: Path) -> None:
    workbook = Workbook()
    try:
        assert workbook.mode == "sandbox"
        assert isinstance(workbook.sandbox, WorkbookSandbox)
        assert workbook.sandbox.running
        assert workbook.url == workbook.sandbox.url
        assert workbook.url.startswith("http://127.0.0.1:")
        text = repr(workbook)
        assert text.startswith(f"Workbook · sandbox at {workbook.url} (offline, in this kernel")
        assert "a temporary database" in text
        assert "key sandbox" in text
    finally:
        workbook.close()
    assert not workbook.sandbox.running
    assert workbook.client.closed
    workbook.close()  # twice is harmless


def test_a_dropped_workbook_stops_its_sandbox(home: Path) -> None:
    workbook = Workbook()
    embedded = workbook.sandbox
    assert embedded is not None
    assert embedded.running
    del workbook
    gc.collect()
    assert not embedded.running


def test_one_credential_alone_warns_and_keeps_the_sandbox(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", "abc123")
    with pytest.warns(UserWarning, match="VONAGE_API_SECRET is not"), Workbook() as workbook:
        assert workbook.mode == "sandbox"


def test_forcing_the_real_api_without_credentials_names_what_is_missing(home: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Workbook(sandbox=False)
    assert caught.value.paths == ["api_key", "api_secret"]


def test_forcing_a_sandbox_object_even_with_credentials(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", "abc123")
    monkeypatch.setenv("VONAGE_API_SECRET", "s3cr3t-value-42")
    with Sandbox() as given:
        with Workbook(sandbox=given) as workbook:
            assert workbook.mode == "sandbox"
            assert workbook.sandbox is given
            assert workbook.client.api_key == "sandbox"
            assert workbook.applications() == []
        assert given.running


def test_default_database_lives_in_home_and_survives_a_restart(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VONAGE_WIDGETS_SANDBOX_DB")
    with Workbook() as first:
        made = first.create_application("kept", answer_url=ANSWER)
        assert "<home>" not in repr(first)  # the db is shown under ~ or in full, never hidden
    assert (home / "sandbox.sqlite3").is_file()
    with Workbook() as second:
        assert second.use("kept").id == made.id


def test_seed_from_the_environment_gives_the_same_ids(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VONAGE_WIDGETS_SEED", "2026")
    with Workbook() as first, Workbook() as second:
        assert first.sandbox is not None
        assert second.sandbox is not None
        assert first.sandbox.db_path != second.sandbox.db_path  # :temp: is fresh each time
        a = first.create_application("same", answer_url=ANSWER)
        b = second.create_application("same", answer_url=ANSWER)
        assert a.id == b.id
    with Workbook(seed=1) as other:
        assert other.create_application("same", answer_url=ANSWER).id != a.id


def test_a_bad_seed_names_the_variable(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VONAGE_WIDGETS_SEED", "twenty")
    with pytest.raises(ValidationError) as caught:
        Workbook()
    assert caught.value.paths == ["VONAGE_WIDGETS_SEED"]


def test_start_shared_sandbox_follows_the_database_rules(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_DB", str(tmp_path / "lab.sqlite3"))
    shared = start_shared_sandbox()
    try:
        assert shared.running
        assert shared.db_path == tmp_path / "lab.sqlite3"
        assert shared.db_description.endswith("lab.sqlite3")
    finally:
        shared.close()
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_DB", ":temp:")
    temporary = start_shared_sandbox()
    try:
        assert temporary.db_description == "a temporary database"
    finally:
        temporary.close()
    monkeypatch.delenv("VONAGE_WIDGETS_SANDBOX_DB")
    default = start_shared_sandbox()
    try:
        assert default.db_path == home / "sandbox.sqlite3"
    finally:
        default.close()


# -- showing it --------------------------------------------------------------------------------


def test_repr_names_the_current_application_and_never_the_secret(wb: Workbook) -> None:
    assert "application" not in repr(wb)
    app = wb.create_application("shown", answer_url=ANSWER)
    for text in (repr(wb), wb._repr_html_(), str(wb)):
        assert f"application 'shown' ({app.id})" in text
        assert DEFAULT_API_SECRET not in text
        assert "PRIVATE KEY" not in text
    assert "<b>sandbox</b>" in wb._repr_html_()


def test_html_escapes_application_names(wb: Workbook) -> None:
    wb.create_application("<script>x</script>", answer_url=ANSWER)
    assert "<script>" not in wb._repr_html_()
    assert "&lt;script&gt;" in wb._repr_html_()


# -- finding applications ----------------------------------------------------------------------


def test_use_by_id_and_by_name(wb: Workbook) -> None:
    first = wb.create_application("first", answer_url=ANSWER)
    second = wb.create_application("second", answer_url=ANSWER)
    assert wb.application == second
    assert wb.use("first").id == first.id
    assert wb.application is not None
    assert wb.application.id == first.id
    assert wb.use(str(second.id)).name == "second"
    assert [app.id for app in wb.applications()] == [first.id, second.id]


def test_use_with_a_shared_name_asks_for_the_id(wb: Workbook) -> None:
    one = wb.create_application("twin", answer_url=ANSWER)
    two = wb.create_application("twin", answer_url=ANSWER)
    with pytest.raises(ValidationError) as caught:
        wb.use("twin")
    assert caught.value.paths == ["name"]
    message = caught.value.errors[0].message
    assert "2 applications are named 'twin'" in message
    assert str(one.id) in message
    assert str(two.id) in message
    assert "pass the id" in message
    assert wb.use(str(two.id)).id == two.id  # the id still works


def test_use_of_a_missing_name_lists_what_exists(wb: Workbook) -> None:
    with pytest.raises(ValidationError) as caught:
        wb.use("ghost")
    assert "the account has none yet" in str(caught.value)
    made = wb.create_application("Forward calls", answer_url=ANSWER)
    with pytest.raises(ValidationError) as caught:
        wb.use("forward calls")
    assert caught.value.paths == ["id_or_name"]
    message = caught.value.errors[0].message
    assert f"'Forward calls' ({made.id})" in message
    assert "Did you mean 'Forward calls'?" in message


def test_ensure_application_creates_once_then_resumes(wb: Workbook) -> None:
    made = wb.ensure_application("tutorial", answer_url=ANSWER)
    again = wb.ensure_application("tutorial", answer_url="https://example.org/other")
    assert again.id == made.id
    assert len(wb.applications()) == 1
    hooks = again.capabilities.voice.webhooks  # type: ignore[union-attr]
    assert hooks.answer_url.address == ANSWER  # type: ignore[union-attr]
    wb.create_application("tutorial")
    with pytest.raises(ValidationError, match="2 applications are named 'tutorial'"):
        wb.ensure_application("tutorial")


def test_a_new_workbook_resumes_by_name_on_a_shared_sandbox(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox() as shared:
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", shared.url)
        with Workbook() as first:
            made = first.create_application("notebook one", answer_url=ANSWER)
        with Workbook() as second:
            assert second.ensure_application("notebook one").id == made.id
            assert second.key_path is not None  # the key saved by the first one is found


def test_create_application_merges_shortcuts_into_capabilities(wb: Workbook) -> None:
    app = wb.create_application(
        "merged",
        answer_url={"address": ANSWER, "http_method": "POST"},
        event_url="https://example.com/event",
        capabilities={"voice": {"region": "eu-west"}, "video": {"storage": {"x": True}}},
        privacy={"improve_ai": False},
    )
    body = app.to_api()
    voice = body["capabilities"]["voice"]
    assert voice["region"] == "eu-west"
    assert voice["webhooks"]["answer_url"] == {"address": ANSWER, "http_method": "POST"}
    assert voice["webhooks"]["event_url"] == {"address": "https://example.com/event"}
    assert body["capabilities"]["video"] == {"storage": {"x": True}}
    assert body["privacy"] == {"improve_ai": False}


def test_invalid_settings_are_refused_before_a_key_is_made(wb: Workbook) -> None:
    with pytest.raises(ValidationError) as caught:
        wb.create_application("bad", answer_url={"address": "not a url", "socket_timeout": 99999})
    assert caught.value.paths == [
        "capabilities.voice.webhooks.answer_url.address",
        "capabilities.voice.webhooks.answer_url.socket_timeout",
    ]
    assert list(wb.keys_dir.iterdir()) == []
    assert wb.applications() == []


def test_no_current_application_is_a_clear_error(wb: Workbook) -> None:
    with pytest.raises(Exception, match=r"no current application: pick one with wb\.use"):
        wb.export()
