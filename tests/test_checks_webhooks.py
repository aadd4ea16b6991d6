"""check_webhooks against real servers on 127.0.0.1 (no sandbox involved)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls_helpers import TALK, ClosingServer, ScriptedServer, hook, unconnectable_url
from vonage_widgets.checks import CHECK_COLUMNS, check_webhooks
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import Application
from vonage_widgets.webhooks import WebhookServer


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


def _app(answer: str, event: str | None = None, fallback: str | None = None) -> dict[str, Any]:
    webhooks: dict[str, Any] = {"answer_url": hook(answer, "GET")}
    if event:
        webhooks["event_url"] = hook(event, "POST")
    if fallback:
        webhooks["fallback_answer_url"] = hook(fallback, "POST")
    return {"name": "checked", "capabilities": {"voice": {"webhooks": webhooks}}}


def test_a_working_webhook_server_passes() -> None:
    with WebhookServer(TALK) as server:
        app = server.webhooks_for(Application.from_api({"name": "x"}))
        table = check_webhooks(app)
        seen = server.requests
    assert list(table.columns) == list(CHECK_COLUMNS)
    assert list(table["webhook"]) == ["answer_url", "event_url", "fallback_answer_url"]
    assert list(table["ok"]) == [True, True, True]
    assert list(table["status"]) == [200, 204, 200]
    assert list(table["valid_ncco"]) == [True, None, True]
    assert list(table["json"]) == [True, False, True]
    assert list(table["connect_timeout"]) == [1000, 1000, 1000]  # the API defaults
    assert list(table["socket_timeout"]) == [5000, 10000, 5000]
    assert (table["latency_ms"] > 0).all()
    # the server saw one request per webhook, shaped as Vonage sends them
    assert list(seen["kind"]) == ["answer", "event", "fallback"]
    assert seen["query"][0]["to"] == "442079460000"
    assert seen["body"][1]["status"] == "started"
    assert seen["query"][2]["original_request"].endswith('"type":"answer"}')


def test_invalid_ncco_is_reported_with_field_errors(hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("ncco", [{"action": "talk", "text": "Hi", "bargeIn": True}]))
    table = check_webhooks(_app(hooks.url("/answer"), hooks.url("/event")))
    answer = table.iloc[0]
    assert not answer["ok"]
    assert answer["valid_ncco"] is False
    assert answer["errors"]
    assert isinstance(answer["errors"][0], FieldError)
    assert answer["errors"][0].path == "0.bargeIn"
    assert answer["problem"].startswith("Invalid NCCO: 0.bargeIn")


def test_wrong_content_type_and_http_errors(hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("text", '[{"action":"talk","text":"Hi"}]', "text/plain"))
    hooks.script("/event", ("status", 503))
    hooks.script("/fallback", ("status", 404))
    table = check_webhooks(
        _app(hooks.url("/answer"), hooks.url("/event"), hooks.url("/fallback"))
    ).set_index("webhook")
    assert not table.loc["answer_url", "json"]
    assert table.loc["answer_url", "content_type"] == "text/plain"
    assert table.loc["answer_url", "problem"].startswith("Wrong content type text/plain")
    assert table.loc["event_url", "status"] == 503
    assert (
        table.loc["event_url", "problem"] == "HTTP 503. Vonage retries once, then drops the event."
    )
    assert table.loc["fallback_answer_url", "problem"] == "HTTP 404."
    assert table.loc["fallback_answer_url", "valid_ncco"] is None
    assert not table["ok"].any()
    assert hooks.hits == {"/answer": 1, "/event": 1, "/fallback": 1}  # one request each


def test_slow_answer_misses_its_socket_timeout(hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("sleep", 1.2))
    table = check_webhooks(_app(hooks.url("/answer"), hooks.url("/event")))
    answer = table.iloc[0]
    assert not answer["answered"]
    assert not answer["within_timeouts"]
    assert answer["problem"] == (
        "Read timed out after 1000 ms. Vonage retries once, then uses the fallback URL."
    )


def test_timeout_overrides_change_the_verdict(hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("sleep", 1.1))
    app = _app(hooks.url("/answer"), hooks.url("/event"))
    relaxed = check_webhooks(app, timeout_overrides={"answer_url": {"socket_timeout": 3000}})
    assert relaxed.iloc[0]["ok"]
    assert relaxed.iloc[0]["socket_timeout"] == 3000
    assert relaxed.iloc[0]["within_timeouts"]


def test_unreachable_and_hanging_servers() -> None:
    with ClosingServer() as closing, unconnectable_url() as hanging:
        table = check_webhooks(_app(closing.url, hanging))
    answer, event, fallback = (table.iloc[i] for i in range(3))
    assert answer["problem"].startswith("Connection closed.")
    assert not answer["answered"]
    assert event["problem"].startswith("Connection timed out after 300 ms.")
    assert not event["within_timeouts"]
    assert fallback["ok"]
    assert fallback["problem"] == "not set (optional)"


def test_missing_required_webhooks_are_not_ok() -> None:
    table = check_webhooks({"name": "no voice"})
    assert list(table["ok"]) == [False, False, True]
    assert list(table["problem"])[:2] == ["not set: Vonage needs it"] * 2


def test_a_status_beside_an_unset_webhook_reads_as_a_whole_number() -> None:
    with WebhookServer(TALK) as server:
        app = server.webhooks_for(Application.from_api({"name": "x"}))
        hooks = app.capabilities.voice.webhooks
        hooks.fallback_answer_url = None  # an unset row: no status, no timeouts
        table = check_webhooks(app)
    assert str(table["status"].dtype) == "Int64"
    assert table["status"].iloc[0] == 200
    assert table["status"].isna().iloc[2]
    assert "200.0" not in table.to_string()
    assert str(table["socket_timeout"].dtype) == "Int64"


def test_signed_checks_pass_a_server_that_requires_signatures() -> None:
    with WebhookServer(TALK, signature_secret="s3cret-signing") as server:
        app = server.webhooks_for(Application.from_api({"name": "x"}))
        unsigned = check_webhooks(app)
        signed = check_webhooks(app, signature_secret="s3cret-signing", api_key="abc")
    assert list(unsigned["status"]) == [401, 401, 401]
    assert list(signed["ok"]) == [True, True, True]


def test_bad_overrides_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_webhooks(
            {"name": "x"},
            timeout_overrides={"answer": {"socket_timeout": 1}, "event_url": {"socket": -1}},
        )
    assert caught.value.paths == ["timeout_overrides.answer", "timeout_overrides.event_url.socket"]
