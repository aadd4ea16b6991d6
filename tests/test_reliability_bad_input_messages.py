"""Bad input to the Messages surfaces is refused with a named error, never a 5xx.

Table-driven, like ``test_reliability_bad_input.py``:

- ``POST /v1/messages`` bodies sent raw: 422 with the Messages API's problem body whose
  ``invalid_parameters`` names the field and a phrase of the rule; the sandbox still serves;
- the sandbox-only inbound and RTC routes: 400 naming the field;
- webhook replies: a status URL that answers junk (3xx, 4xx, 5xx, HTML, a huge body, a
  dropped connection) gives a delivery record naming the failure, and the API keeps
  answering 202.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any, NamedTuple

import httpx
import pytest

from tests.calls_helpers import ClosingServer, ScriptedServer
from tests.messages_helpers import CUSTOMER, SMS_NUMBER, create_app, jwt_client, messages_body
from tests.reliability_helpers import problem_fields
from vonage_widgets.messaging.delivery import MAX_ATTEMPTS
from vonage_widgets.sandbox import Sandbox


class Case(NamedTuple):
    """One invalid body: the field the error must name and a phrase of its rule."""

    id: str
    data: Any
    field: str
    rule: str


def _sms(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "sms",
        "message_type": "text",
        "to": CUSTOMER,
        "from": SMS_NUMBER,
        "text": "hi",
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key.rstrip("_"), None)
        else:
            body[key.rstrip("_")] = value
    return body


MESSAGE_CASES = [
    Case("not an object", [1, 2], "", "JSON object"),
    Case("no channel", _sms(channel=None), "channel", "is required"),
    Case("channel a number", _sms(channel=5), "channel", "must be one of"),
    Case("email channel", _sms(channel="email"), "channel", "does not serve"),
    Case("no message_type", _sms(message_type=None), "message_type", "is required"),
    Case("message_type a list", _sms(message_type=["text"]), "message_type", "must be one of"),
    Case("no to", _sms(to=None), "to", "E.164"),
    Case("to a number", _sms(to=447700900555), "to", "E.164"),
    Case("to with letters", _sms(to="4477009abc55"), "to", "E.164"),
    Case("to too long", _sms(to="1234567890123456"), "to", "E.164"),
    Case("no from", _sms(from_=None), "from", "E.164"),
    Case("from with symbols", _sms(from_="ACME!"), "from", "alphanumeric"),
    Case("client_ref a number", _sms(client_ref=7), "client_ref", "100 characters"),
    Case("no text", _sms(text=None), "text", "is required"),
    Case("text an object", _sms(text={"a": 1}), "text", "non-empty string"),
    Case("text 3201", _sms(text="é" * 3201), "text", "at most 3200"),
    Case("ttl a string", _sms(ttl="600"), "ttl", "whole number"),
    Case("ttl a bool", _sms(ttl=True), "ttl", "whole number"),
    Case("ttl too big", _sms(ttl=604801), "ttl", "from 20 to 604800"),
    Case("webhook_url relative", _sms(webhook_url="/status"), "webhook_url", "http"),
    Case("webhook_url huge", _sms(webhook_url="https://x/" + "a" * 2000), "webhook_url", "2000"),
    Case("webhook_version", _sms(webhook_version=1), "webhook_version", "v0.1 or v1"),
    Case("trusted_recipient", _sms(trusted_recipient="yes"), "trusted_recipient", "true or false"),
    Case("sms options", _sms(sms="unicode"), "sms", "object"),
    Case("encoding", _sms(sms={"encoding_type": "utf8"}), "sms.encoding_type", "text, unicode"),
    Case("unknown field", _sms(priority="high"), "priority", "not a field"),
    Case(
        "image not object",
        _sms(channel="mms", message_type="image", text=None, image="https://x/a.png"),
        "image",
        "object with url",
    ),
    Case(
        "image no url",
        _sms(channel="whatsapp", message_type="image", text=None, image={"caption": "c"}),
        "image.url",
        "is required",
    ),
    Case(
        "image extra field",
        _sms(
            channel="whatsapp",
            message_type="image",
            text=None,
            image={"url": "https://x/a.png", "size": 1},
        ),
        "image.size",
        "not a field",
    ),
    Case(
        "empty caption",
        _sms(
            channel="whatsapp",
            message_type="image",
            text=None,
            image={"url": "https://x/a.png", "caption": ""},
        ),
        "image.caption",
        "non-empty",
    ),
    Case("whatsapp options", _sms(channel="whatsapp", whatsapp=[1]), "whatsapp", "object"),
    Case("messenger to empty", _sms(channel="messenger", to="", from_="p"), "to", "1-50"),
    Case("viber from long", _sms(channel="viber_service", from_="v" * 51), "from", "1-50"),
]


@pytest.fixture(scope="module")
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


@pytest.fixture(scope="module")
def world(hooks: ScriptedServer) -> Iterator[dict[str, Any]]:
    with Sandbox() as sandbox:
        app_id = create_app(sandbox, messages_body(hooks.url("")))
        yield {"sandbox": sandbox, "app": app_id}


def test_the_table_is_large_enough() -> None:
    assert len(MESSAGE_CASES) >= 30
    assert len({c.id for c in MESSAGE_CASES}) == len(MESSAGE_CASES)


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=lambda c: c.id)
def test_bad_message_body_gets_422_naming_field_and_rule(
    world: dict[str, Any], hooks: ScriptedServer, case: Case
) -> None:
    before = len(hooks.seen)
    with jwt_client(world["sandbox"], world["app"]) as http:
        response = http.post("/v1/messages", json=case.data)
    assert response.status_code == 422, response.text
    fields = problem_fields(response)
    assert case.field in fields, fields
    assert any(case.rule in reason for reason in fields[case.field]), fields
    assert "/api-errors/messages#" in response.json()["type"]
    assert len(hooks.seen) == before  # nothing was posted for a refused message


@pytest.mark.parametrize(
    "raw",
    [b"", b"   ", b"{", b"null", b'"text"', b"\xff", b'{"a":1}' * 3, b"[" * 200 + b"]" * 200],
)
def test_bad_json_is_a_named_422(world: dict[str, Any], raw: bytes) -> None:
    with jwt_client(world["sandbox"], world["app"]) as http:
        response = http.post(
            "/v1/messages", content=raw, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"].endswith(("#invalid-json", "#1150")), body
    assert body["detail"]


def test_a_body_over_one_megabyte_is_refused(world: dict[str, Any]) -> None:
    with jwt_client(world["sandbox"], world["app"]) as http:
        response = http.post(
            "/v1/messages", content=b'{"text":"' + b"x" * (1024 * 1024 + 10) + b'"}'
        )
    assert response.status_code == 422
    assert "1024 KB" in response.json()["detail"]


def _basic(sandbox: Sandbox) -> dict[str, str]:
    raw = f"{sandbox.api_key}:{sandbox.api_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


SANDBOX_CASES = [
    ("/_sandbox/messages/inbound", {"to": SMS_NUMBER}, "text"),
    ("/_sandbox/messages/inbound", {"to": 5, "text": "x"}, "to"),
    ("/_sandbox/messages/inbound", {"to": SMS_NUMBER, "text": "x", "from": "abc"}, "from"),
    ("/_sandbox/messages/inbound", {"to": SMS_NUMBER, "text": "x", "channel": "rcs"}, "channel"),
    ("/_sandbox/messages/inbound", {"to": SMS_NUMBER, "text": "x" * 3201}, "text"),
    ("/_sandbox/messages/inbound", {"to": "447700900999", "text": "x"}, "to"),
    ("/_sandbox/messages/inbound", [1], ""),
    ("/_sandbox/rtc/events", {"type": "member:joined"}, "application_id"),
    ("/_sandbox/rtc/events", {"application_id": "nope", "type": "bogus"}, "type"),
    ("/_sandbox/rtc/events", {"application_id": "nope", "body": [1]}, "body"),
    ("/_sandbox/rtc/events", {"application_id": "nope", "conversation_id": "X"}, "conversation_id"),
    ("/_sandbox/rtc/events", {"application_id": "nope"}, "application_id"),
]


@pytest.mark.parametrize(("path", "body", "field"), SANDBOX_CASES)
def test_bad_simulation_request_names_the_field(
    world: dict[str, Any], path: str, body: Any, field: str
) -> None:
    sandbox: Sandbox = world["sandbox"]
    response = httpx.post(sandbox.url + path, json=body, headers=_basic(sandbox))
    assert response.status_code == 400, response.text
    assert field in problem_fields(response)


# -- webhook replies -------------------------------------------------------------------------

REPLIES: list[tuple[str, Any, int, str]] = [
    ("redirect", ("status", 302), 1, "HTTP 302"),
    ("not found", ("status", 404), 1, "HTTP 404"),
    ("gone", ("status", 410), 1, "HTTP 410"),
    ("server error", ("status", 500), MAX_ATTEMPTS, "HTTP 500"),
    ("throttled", ("status", 429), MAX_ATTEMPTS, "HTTP 429"),
    ("html 200", ("text", "<html>ok</html>", "text/html"), 1, ""),
    ("junk json 200", ("text", "{not json", "application/json"), 1, ""),
    ("huge 200", ("text", "x" * (3 * 1024 * 1024), "text/plain"), 1, "larger than"),
]


@pytest.mark.parametrize(("behaviour", "attempts", "error"), [r[1:] for r in REPLIES],
                         ids=[r[0] for r in REPLIES])  # fmt: skip
def test_junk_webhook_replies_are_recorded_and_named(
    world: dict[str, Any], hooks: ScriptedServer, behaviour: Any, attempts: int, error: str
) -> None:
    path = f"/junk-{abs(hash(str(behaviour)))}"
    hooks.script(path, behaviour)
    sandbox: Sandbox = world["sandbox"]
    with jwt_client(sandbox, world["app"]) as http:
        response = http.post(
            "/v1/messages",
            json=_sms(webhook_url=hooks.url(path)),
        )
    assert response.status_code == 202
    deliveries = sandbox.message_statuses(response.json()["message_uuid"])
    assert [len(d.attempts) for d in deliveries] == [attempts, attempts]
    if error:
        assert all(error in d.outcome for d in deliveries), [d.outcome for d in deliveries]
    else:
        assert all(d.ok for d in deliveries)  # a 2xx is accepted whatever the body


def test_a_dropped_connection_is_retried_then_named(world: dict[str, Any]) -> None:
    sandbox: Sandbox = world["sandbox"]
    with ClosingServer() as closing, jwt_client(sandbox, world["app"]) as http:
        response = http.post("/v1/messages", json=_sms(webhook_url=closing.url))
        deliveries = sandbox.message_statuses(response.json()["message_uuid"])
    assert [len(d.attempts) for d in deliveries] == [MAX_ATTEMPTS, MAX_ATTEMPTS]
    assert all(d.outcome == "failed: Connection closed." for d in deliveries)


def test_the_sandbox_still_serves_after_everything(world: dict[str, Any]) -> None:
    with jwt_client(world["sandbox"], world["app"]) as http:
        response = http.post("/v1/messages", json=_sms())
    assert response.status_code == 202
