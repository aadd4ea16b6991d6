"""``vonage-widgets apps``: list, show, create, update, delete against a loopback sandbox."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import httpx
import pytest

from tests import cli_helpers
from tests.cli_helpers import create_app, run
from vonage_widgets.keys import generate_key_pair, keys_match
from vonage_widgets.sandbox import Sandbox

home = cli_helpers.home
sandbox = cli_helpers.sandbox


def _api(box: Sandbox) -> httpx.Client:
    return httpx.Client(base_url=box.url, auth=(box.api_key, box.api_secret), timeout=30)


def test_create_saves_a_0600_key_matching_the_app_and_never_prints_it(
    sandbox: Sandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(
        capsys,
        "apps",
        "create",
        "--name",
        "Forwarder",
        "--voice-answer-url",
        "https://example.com/answer",
        "--voice-event-url",
        "https://example.com/event",
        "--voice-answer-method",
        "post",
        "--region",
        "eu-west",
        "--no-improve-ai",
    )
    assert result.code == 0, result.err
    assert f"sandbox at {sandbox.url}" in result.err  # the target is said on stderr
    line = next(x for x in result.out.splitlines() if x.startswith("Private key saved to "))
    key_file = Path(line.removeprefix("Private key saved to ").split(" (mode")[0])
    assert key_file.parent == home / "keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    pem = key_file.read_text()
    body_line = pem.splitlines()[5]  # a line from the middle of the key
    assert body_line not in result.text
    assert "PRIVATE KEY" not in result.text

    with _api(sandbox) as api:
        [app] = api.get("/v2/applications").json()["_embedded"]["applications"]
    assert keys_match(key_file, app["keys"]["public_key"])
    voice = app["capabilities"]["voice"]
    assert voice["webhooks"]["answer_url"] == {
        "address": "https://example.com/answer",
        "http_method": "POST",
    }
    assert voice["webhooks"]["event_url"]["http_method"] == "POST"  # the catalog default
    assert voice["region"] == "eu-west"
    assert app["privacy"] == {"improve_ai": False}
    assert app["id"] in result.out
    assert "answer_url" in result.out


def test_create_json_and_explicit_key_path_refuses_to_overwrite_without_force(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "keys" / "private.key"
    created = create_app(capsys, "json app", "--private-key-file", str(key))
    assert created["private_key_file"] == str(key.absolute())
    assert keys_match(key, created["application"]["keys"]["public_key"])
    assert '"private_key":' not in json.dumps(created)
    first = key.read_bytes()

    refused = run(capsys, "apps", "create", "--name", "again", "--private-key-file", str(key))
    assert refused.code == 1
    assert "already exists" in refused.err
    assert "--force" in refused.err
    assert key.read_bytes() == first  # untouched
    listed = run(capsys, "apps", "list", "--json").json
    assert [a["name"] for a in listed] == ["json app"]  # nothing was sent either

    forced = create_app(capsys, "again", "--private-key-file", str(key), "--force")
    assert key.read_bytes() != first
    assert keys_match(key, forced["application"]["keys"]["public_key"])


def test_create_with_own_public_key_saves_nothing(
    sandbox: Sandbox, tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = generate_key_pair()
    public = tmp_path / "public.pem"
    public.write_text(pair.public_pem)
    created = create_app(capsys, "own key", "--public-key-file", str(public))
    assert created["private_key_file"] is None
    assert created["application"]["keys"]["public_key"].strip() == pair.public_pem.strip()
    assert not list((home / "keys").glob("*.key"))

    both = run(
        capsys,
        "apps",
        "create",
        "--name",
        "x",
        "--public-key-file",
        str(public),
        "--private-key-file",
        str(tmp_path / "k.key"),
    )
    assert both.code == 2
    assert "--private-key-file" in both.err


def test_list_show_and_json_outputs(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    empty = run(capsys, "apps", "list")
    assert empty.code == 0
    assert "No applications yet" in empty.out
    one = create_app(capsys, "first", "--voice-answer-url", "https://example.com/a", "--vbc")
    create_app(capsys, "second", "--messages-inbound-url", "https://example.com/in")
    app_id = one["application"]["id"]

    listed = run(capsys, "apps", "list")
    assert listed.code == 0
    assert app_id in listed.out
    assert "voice, vbc" in listed.out
    assert "2 applications" in listed.out
    as_json = run(capsys, "apps", "list", "--json").json
    assert {a["name"] for a in as_json} == {"first", "second"}

    shown = run(capsys, "apps", "show", app_id)
    assert shown.code == 0
    assert "https://example.com/a" in shown.out
    assert "answer_url" in shown.out
    assert "Public key" in shown.out
    assert "sha256:" in shown.out
    detail = run(capsys, "apps", "show", app_id, "--json").json
    assert detail["id"] == app_id
    assert detail["capabilities"]["vbc"] == {}
    assert "private_key" not in detail["keys"]


def test_update_keeps_unknown_capabilities_and_reports_changes(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    video = {"storage": {"end_to_end_encryption": True}, "future_flag": [1, 2]}
    with _api(sandbox) as api:
        made = api.post(
            "/v2/applications",
            json={
                "name": "with video",
                "keys": {"public_key": generate_key_pair().public_pem},
                "capabilities": {
                    "voice": {
                        "webhooks": {
                            "answer_url": {"address": "https://example.com/a", "http_method": "GET"}
                        }
                    },
                    "video": video,
                },
            },
        ).json()
    app_id = made["id"]

    result = run(
        capsys,
        "apps",
        "update",
        app_id,
        "--voice-answer-socket-timeout",
        "3000",
        "--rtc-event-url",
        "https://example.com/rtc",
        "--json",
    )
    assert result.code == 0, result.err
    changed = {c["path"] for c in result.json["changes"]}
    assert "capabilities.voice.webhooks.answer_url.socket_timeout" in changed
    assert "capabilities.rtc.webhooks.event_url.address" in changed
    with _api(sandbox) as api:
        stored = api.get(f"/v2/applications/{app_id}").json()
    assert stored["capabilities"]["video"] == video  # unknown capability survived the PUT
    assert stored["capabilities"]["voice"]["webhooks"]["answer_url"]["socket_timeout"] == 3000
    assert stored["keys"]["public_key"] == made["keys"]["public_key"]

    removed = run(capsys, "apps", "update", app_id, "--no-rtc", "--name", "renamed")
    assert removed.code == 0, removed.err
    assert "name: 'with video' -> 'renamed'" in removed.out
    with _api(sandbox) as api:
        stored = api.get(f"/v2/applications/{app_id}").json()
    assert "rtc" not in stored["capabilities"]
    assert stored["capabilities"]["video"] == video

    same = run(capsys, "apps", "update", app_id, "--name", "renamed")
    assert same.code == 0
    assert "No changes" in same.err


def test_update_from_file_keeps_the_key_and_dry_run_sends_nothing(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = create_app(capsys, "filed", "--voice-answer-url", "https://example.com/a")
    app = created["application"]
    document = {
        "id": app["id"],
        "name": "filed v2",
        "capabilities": {
            "voice": {"webhooks": {"answer_url": {"address": "https://example.com/b"}}},
            "meetings": {"webhooks": {}},
        },
    }
    path = tmp_path / "app.json"
    path.write_text(json.dumps(document))

    dry = run(capsys, "apps", "update", app["id"], "--from-file", str(path), "--dry-run")
    assert dry.code == 0
    assert "Dry run" in dry.out
    assert "https://example.com/b" in dry.out
    assert run(capsys, "apps", "show", app["id"], "--json").json["name"] == "filed"

    applied = run(capsys, "apps", "update", app["id"], "--from-file", str(path), "--json")
    assert applied.code == 0, applied.err
    stored = run(capsys, "apps", "show", app["id"], "--json").json
    assert stored["name"] == "filed v2"
    assert stored["capabilities"]["meetings"] == {"webhooks": {}}
    assert stored["keys"]["public_key"] == app["keys"]["public_key"]  # file had no keys

    other = tmp_path / "other.json"
    other.write_text(json.dumps({**document, "id": "someone-else"}))
    wrong = run(capsys, "apps", "update", app["id"], "--from-file", str(other))
    assert wrong.code == 1
    assert "id: the file is for application someone-else" in wrong.err


def test_update_rotate_key_saves_a_new_matching_key(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = create_app(capsys, "rotating")
    old_file = Path(created["private_key_file"])
    new_file = tmp_path / "new.key"
    result = run(
        capsys,
        "apps",
        "update",
        created["application"]["id"],
        "--rotate-key",
        "--private-key-file",
        str(new_file),
        "--json",
    )
    assert result.code == 0, result.err
    public = result.json["application"]["keys"]["public_key"]
    assert keys_match(new_file, public)
    assert not keys_match(old_file, public)
    assert stat.S_IMODE(new_file.stat().st_mode) == 0o600
    assert "PRIVATE KEY" not in result.text


def test_invalid_flags_name_the_field_the_rule_and_the_flag(
    sandbox: Sandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(
        capsys,
        "apps",
        "create",
        "--name",
        "bad",
        "--voice-answer-url",
        "ftp:/nowhere",
        "--voice-answer-method",
        "PUT",
        "--voice-event-socket-timeout",
        "99",
    )
    assert result.code == 1
    err = result.err
    assert "Traceback" not in err
    assert "capabilities.voice.webhooks.answer_url.http_method: must be one of" in err
    assert "(set by --voice-answer-method)" in err
    assert "capabilities.voice.webhooks.event_url.socket_timeout: must be between 1000" in err
    assert "capabilities.voice.webhooks.answer_url.address:" in err
    assert not (home / "keys").exists() or not list((home / "keys").glob("*.key"))
    assert run(capsys, "apps", "list", "--json").json == []  # nothing was created

    no_name = run(capsys, "apps", "create", "--voice-answer-url", "https://example.com/a")
    assert no_name.code == 1
    assert "name: is required" in no_name.err

    conflict = run(
        capsys, "apps", "create", "--name", "x", "--no-voice", "--voice-answer-url", "https://a.b/c"
    )
    assert conflict.code == 1
    assert "--no-voice" in conflict.err

    nothing = run(capsys, "apps", "update", "some-id")
    assert nothing.code == 2
    assert "nothing to change" in nothing.err
    unknown_option = run(capsys, "apps", "create", "--name", "x", "--voice-answr-url", "u")
    assert unknown_option.code == 2


def test_missing_application_is_an_api_error_with_status(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "apps", "show", "no-such-app")
    assert result.code == 3
    assert "HTTP 404" in result.err
    assert "no-such-app" in result.err
    assert "Traceback" not in result.err
    assert run(capsys, "apps", "update", "no-such-app", "--name", "x").code == 3


def test_delete_without_yes_and_without_a_terminal_fails_clearly(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = create_app(capsys, "doomed")["application"]["id"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # not a tty, even with text in it
    refused = run(capsys, "apps", "delete", app_id)
    assert refused.code == 2
    assert "stdin is not a terminal" in refused.err
    assert "--yes" in refused.err
    assert len(run(capsys, "apps", "list", "--json").json) == 1

    deleted = run(capsys, "apps", "delete", app_id, "--yes", "--json")
    assert deleted.code == 0
    assert deleted.json == {"deleted": app_id, "name": "doomed"}
    assert run(capsys, "apps", "list", "--json").json == []
    assert run(capsys, "apps", "delete", app_id, "--yes").code == 3  # already gone: 404


def test_delete_asks_on_a_terminal(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_id = create_app(capsys, "maybe")["application"]["id"]
    monkeypatch.setattr("vonage_widgets.cli.apps.stdin_is_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    kept = run(capsys, "apps", "delete", app_id)
    assert kept.code == 1
    assert "cannot be undone" in kept.err
    assert "Nothing deleted" in kept.err
    assert len(run(capsys, "apps", "list", "--json").json) == 1

    monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))
    gone = run(capsys, "apps", "delete", app_id)
    assert gone.code == 0
    assert "Deleted application 'maybe'" in gone.out
    assert run(capsys, "apps", "list", "--json").json == []


def test_refused_create_removes_the_new_key_and_never_shows_the_secret(
    sandbox: Sandbox,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VONAGE_SANDBOX_API_KEY", "sandbox")
    monkeypatch.setenv("VONAGE_SANDBOX_API_SECRET", "wrong-secret-4711")
    result = run(capsys, "apps", "create", "--name", "refused")
    assert result.code == 3
    assert "HTTP 401" in result.err
    assert "wrong-secret-4711" not in result.text
    assert "was removed" in result.err
    assert not list((home / "keys").glob("*.key"))


def test_key_saved_by_the_cli_is_found_by_the_workbook(
    sandbox: Sandbox, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vonage_widgets.workbook import Workbook

    created = create_app(capsys, "shared")
    with Workbook(sandbox=sandbox.url) as wb:
        wb.use(created["application"]["id"])
        assert wb.key_path == Path(created["private_key_file"])
        assert wb.check_key().safe


def test_create_from_file_round_trips_show_json_and_refuses_private_keys(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = create_app(
        capsys, "template", "--voice-answer-url", "https://example.com/a", "--vbc"
    )["application"]
    path = tmp_path / "template.json"
    path.write_text(run(capsys, "apps", "show", original["id"], "--json").out)

    copied = run(capsys, "apps", "create", "--from-file", str(path), "--name", "copy", "--json")
    assert copied.code == 0, copied.err
    assert f"Ignoring the id {original['id']}" in copied.err
    app = copied.json["application"]
    assert app["id"] != original["id"]
    assert app["name"] == "copy"
    assert app["capabilities"] == original["capabilities"]
    assert copied.json["private_key_file"] is None  # the file's public key was used

    leaky = tmp_path / "leaky.json"
    leaky.write_text(
        json.dumps(
            {
                "name": "x",
                "keys": {"private_key": generate_key_pair().private_pem.get_secret_value()},
            }
        )
    )
    refused = run(capsys, "apps", "create", "--from-file", str(leaky))
    assert refused.code == 1
    assert "keys.private_key: must not be in a configuration file" in refused.err
    assert "PRIVATE KEY-----" not in refused.text
