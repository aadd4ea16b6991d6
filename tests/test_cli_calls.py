"""``vonage-widgets calls``: create, list, show and hang up Voice API calls as an application."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli_helpers import home, run, sandbox
from tests.sandbox_helpers import key_pair
from tests.voice_helpers import voice_application
from vonage_widgets.keys import generate_key_pair, save_private_key
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.webhooks import WebhookServer

__all__ = ["home", "sandbox"]  # fixtures used here


@pytest.fixture
def app(sandbox: Sandbox, tmp_path: Path) -> dict[str, Any]:
    """A voice application on the sandbox, and its private key saved 0600."""
    created = voice_application(sandbox, key_pair())
    key_file = save_private_key(key_pair().private_pem, tmp_path / "app.key")
    return {"id": created["id"], "key": str(key_file)}


def _as(app: dict[str, Any]) -> tuple[str, ...]:
    return ("--app-id", app["id"], "--private-key-file", app["key"])


def test_create_show_list_hangup(
    capsys: pytest.CaptureFixture[str], app: dict[str, Any], sandbox: Sandbox
) -> None:
    with WebhookServer(reject_unsigned=False) as hooks:
        made = run(
            capsys,
            "calls", "create", *_as(app), "--to", "447700900456", "--from", "447700900000",
            "--talk", "Your order has shipped", "--event-url", hooks.event_url, "--json",
        )  # fmt: skip
        statuses = [r.payload["status"] for r in hooks.records if r.kind == "event"]
    assert made.code == 0, made.err
    record = made.json
    assert record["status"] == "completed"
    assert record["to"] == {"type": "phone", "number": "447700900456"}
    assert statuses == ["started", "ringing", "answered", "completed"]
    uuid = record["uuid"]

    shown = run(capsys, "calls", "show", *_as(app), uuid)
    assert shown.code == 0
    assert "uuid" in shown.out
    assert uuid in shown.out
    assert "447700900456 (phone)" in shown.out

    listed = run(capsys, "calls", "list", *_as(app), "--status", "completed", "--json")
    assert listed.code == 0
    assert [c["uuid"] for c in listed.json["_embedded"]["calls"]] == [uuid]
    text = run(capsys, "calls", "list", *_as(app))
    assert "1 of 1 call" in text.out

    hung = run(capsys, "calls", "hangup", *_as(app), uuid)
    assert hung.code == 0
    assert f"Hung up {uuid}" in hung.out
    assert "PRIVATE KEY" not in made.text + shown.text + listed.text + hung.text


def test_create_from_an_ncco_file(
    capsys: pytest.CaptureFixture[str], app: dict[str, Any], sandbox: Sandbox, tmp_path: Path
) -> None:
    ncco = tmp_path / "answer.json"
    ncco.write_text(json.dumps([{"action": "talk", "text": "From a file"}]))
    argv = ("calls", "create", *_as(app), "--to", "447700900456", "--ncco", str(ncco), "--json")
    refused = run(capsys, *argv)  # no --from: random_from_number, but no number is linked
    assert refused.code != 0
    assert "random_from_number" in refused.err
    linked = httpx.post(
        f"{sandbox.url}/number/update",
        data={"country": "GB", "msisdn": "447700900000", "app_id": app["id"]},
        auth=(sandbox.api_key, sandbox.api_secret),
        timeout=30,
    )
    assert linked.status_code == 200, linked.text
    made = run(capsys, *argv)
    assert made.code == 0, made.err
    assert made.json["from"] == {"type": "phone", "number": "447700900000"}


def test_a_key_that_is_not_the_applications_is_refused(
    capsys: pytest.CaptureFixture[str], app: dict[str, Any], tmp_path: Path
) -> None:
    other = save_private_key(generate_key_pair().private_pem, tmp_path / "other.key")
    refused = run(capsys, "calls", "list", "--app-id", app["id"], "--private-key-file", str(other))
    assert refused.code != 0
    assert "401" in refused.err
    assert "signature" in refused.err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--to", "12", "--talk", "hi"), "to.0.number"),
        (("--to", "447700900456"), "one of the arguments"),
        (
            ("--to", "447700900456", "--talk", "hi", "--answer-url", "https://e.com/a"),
            "not allowed",
        ),
    ],
)
def test_bad_create_arguments(
    capsys: pytest.CaptureFixture[str], app: dict[str, Any], argv: tuple[str, ...], expected: str
) -> None:
    result = run(capsys, "calls", "create", *_as(app), *argv)
    assert result.code != 0
    assert expected in result.err


def test_missing_app_id_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], sandbox: Sandbox, tmp_path: Path
) -> None:
    result = run(capsys, "calls", "list", "--private-key-file", str(tmp_path / "x.key"))
    assert result.code == 2
    assert "--app-id" in result.err


def test_help_documents_every_subcommand(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    result = run(capsys, "calls", "--help")
    assert result.code == 0
    for word in ("create", "list", "show", "hangup", "JWT", "private key"):
        assert word in result.out
