"""The sandbox's Messages API: POST /v1/messages with JWT or Basic auth, the spec's limits as
422 bodies naming the field, and status webhooks posted in the background (signed, retried on
429/5xx, in the application's format); simulated inbound messages and RTC events."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from tests.calls_helpers import ScriptedServer
from tests.conftest import load_json
from tests.messages_helpers import (
    CUSTOMER,
    SMS_NUMBER,
    create_app,
    jwt_client,
    messages_body,
    sms,
)
from vonage_widgets.errors import ValidationError
from vonage_widgets.keys import verify_signed_webhook
from vonage_widgets.messaging.delivery import MAX_ATTEMPTS
from vonage_widgets.models.messages import TEXT_LIMITS
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET


@pytest.fixture(scope="module")
def spec(oracles_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "messages.json")
    return data


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def _basic(sandbox: Sandbox) -> dict[str, str]:
    raw = f"{sandbox.api_key}:{sandbox.api_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def _send(sandbox: Sandbox, app_id: str, body: Any) -> httpx.Response:
    with jwt_client(sandbox, app_id) as http:
        return http.post("/v1/messages", json=body)


def _statuses(sandbox: Sandbox, response: httpx.Response) -> list[Any]:
    assert response.status_code == 202, response.text
    return sandbox.message_statuses(response.json()["message_uuid"])


def _schema_check(spec: dict[str, Any], ref: str, body: Any) -> None:
    jsonschema.Draft4Validator({**spec, "$ref": ref}).validate(body)


ACCEPTED = "#/components/responses/MessageAcceptedResponse/content/application~1json/schema"


def test_jwt_sms_gets_202_and_signed_statuses(
    sandbox: Sandbox, hooks: ScriptedServer, spec: dict[str, Any]
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    response = _send(sandbox, app_id, sms(client_ref="order-1"))
    assert response.headers["x-request-id"]
    _schema_check(spec, ACCEPTED, response.json())
    uuid = response.json()["message_uuid"]
    deliveries = _statuses(sandbox, response)
    assert [d.event for d in deliveries] == ["submitted", "delivered"]
    assert all(d.ok and d.signed for d in deliveries)
    seen = hooks.requests_to("/status")
    assert [s.json["status"] for s in seen] == ["submitted", "delivered"]
    for request in seen:
        body = request.json
        assert body["message_uuid"] == uuid
        assert body["channel"] == "sms"
        assert body["client_ref"] == "order-1"
        assert (body["to"], body["from"]) == (CUSTOMER, SMS_NUMBER)
        _schema_check(spec, "#/components/schemas/messageStatusSMS", body)
        claims = verify_signed_webhook(
            request.headers["authorization"], DEFAULT_SIGNATURE_SECRET, payload=request.body
        )
        assert claims["application_id"] == app_id
        assert claims["api_key"] == sandbox.api_key


def test_whatsapp_and_viber_and_messenger_report_read(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    bodies = [
        {"channel": "whatsapp", "message_type": "text", "to": CUSTOMER, "from": SMS_NUMBER,
         "text": "Hi"},
        {"channel": "whatsapp", "message_type": "image", "to": CUSTOMER, "from": SMS_NUMBER,
         "image": {"url": "https://example.com/cat.jpg", "caption": "A cat"}},
        {"channel": "viber_service", "message_type": "text", "to": CUSTOMER, "from": "Shop",
         "text": "Hi"},
        {"channel": "messenger", "message_type": "text", "to": "1234567", "from": "9876543",
         "text": "Hi"},
    ]  # fmt: skip
    for body in bodies:
        deliveries = _statuses(sandbox, _send(sandbox, app_id, body))
        assert [d.event for d in deliveries] == ["submitted", "delivered", "read"], body
    mms = {"channel": "mms", "message_type": "image", "to": CUSTOMER, "from": SMS_NUMBER,
           "image": {"url": "https://example.com/cat.png"}}  # fmt: skip
    assert [d.event for d in _statuses(sandbox, _send(sandbox, app_id, mms))] == [
        "submitted",
        "delivered",
    ]


def test_webhook_url_and_version_override_the_application(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url(""), version="v1"), number=None)
    body = sms(webhook_url=hooks.url("/mine"), webhook_version="v0.1")
    _statuses(sandbox, _send(sandbox, app_id, body))
    assert hooks.requests_to("/status") == []
    posted = [s.json for s in hooks.requests_to("/mine")]
    assert [p["status"] for p in posted] == ["submitted", "delivered"]
    assert posted[0]["to"] == {"type": "sms", "number": CUSTOMER}
    assert "channel" not in posted[0]


def test_application_version_v01_shapes_statuses(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url(""), version="v0.1"), number=None)
    _statuses(sandbox, _send(sandbox, app_id, sms(to="990123456789")))
    posted = [s.json for s in hooks.requests_to("/status")]
    assert [p["status"] for p in posted] == ["submitted", "undeliverable"]
    assert posted[1]["error"] == {"code": 1300, "reason": posted[1]["error"]["reason"]}


def test_rejected_recipient_gets_one_rejected_status(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    deliveries = _statuses(sandbox, _send(sandbox, app_id, sms(to="999123456789")))
    assert [d.event for d in deliveries] == ["rejected"]
    error = hooks.requests_to("/status")[0].json["error"]
    assert error["type"].endswith("#1170")
    assert error["title"] == "1170"


def test_basic_auth_statuses_need_webhook_url(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    with httpx.Client(base_url=sandbox.url, headers=_basic(sandbox), trust_env=False) as http:
        without = http.post("/v1/messages", json=sms())
        with_url = http.post("/v1/messages", json=sms(webhook_url=hooks.url("/basic")))
    none = _statuses(sandbox, without)
    assert [d.outcome for d in none] == [
        "not sent: sent with Basic auth and no webhook_url: no status URL applies"
    ] * 2
    assert all(d.ok for d in _statuses(sandbox, with_url))
    request = hooks.requests_to("/basic")[0]
    claims = verify_signed_webhook(
        request.headers["authorization"], DEFAULT_SIGNATURE_SECRET, payload=request.body
    )
    assert "application_id" not in claims


@pytest.mark.parametrize(
    ("script", "attempts", "ok"),
    [
        ([("status", 500), ("status", 429), ("status", 200)], 3, True),
        ([("status", 503)], MAX_ATTEMPTS, False),
        ([("status", 404)], 1, False),
        ([("status", 301)], 1, False),
    ],
)
def test_status_retries_on_429_and_5xx_only(
    sandbox: Sandbox, hooks: ScriptedServer, script: list[Any], attempts: int, ok: bool
) -> None:
    hooks.script("/status", *script)
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    first = _statuses(sandbox, _send(sandbox, app_id, sms()))[0]
    assert len(first.attempts) == attempts
    assert first.ok is ok


def test_202_comes_before_the_statuses(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    hooks.script("/status", ("sleep", 1.0, ("status", 200)))
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    response = _send(sandbox, app_id, sms())
    assert response.status_code == 202
    uuid = response.json()["message_uuid"]
    assert sandbox._messages is not None
    assert sandbox._messages.dispatcher.pending(uuid)
    assert [d.ok for d in sandbox.message_statuses(uuid)] == [True, True]


# -- refusals -------------------------------------------------------------------------------


def test_bad_credentials_get_the_spec_401(sandbox: Sandbox) -> None:
    bad = base64.b64encode(f"{sandbox.api_key}:wrong".encode()).decode()
    for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic " + bad}):
        response = httpx.post(sandbox.url + "/v1/messages", json=sms(), headers=headers)
        assert response.status_code == 401
        assert response.json()["type"].endswith("#unathorized")
        assert response.headers["content-type"].startswith("application/problem+json")


def test_application_without_messages_is_unprovisioned(sandbox: Sandbox) -> None:
    from tests.sandbox_helpers import voice_app

    app_id = create_app(sandbox, voice_app(), number=None)
    response = _send(sandbox, app_id, sms())
    assert response.status_code == 401
    assert response.json()["type"].endswith("#unprovisioned")


def _long(n: int) -> str:
    return "x" * n


BAD_BODIES: list[tuple[str, dict[str, Any], str, str]] = [
    ("unknown channel", sms(channel="fax"), "1100", "channel"),
    ("rcs not served", sms(channel="rcs"), "1100", "channel"),
    ("sms video", sms(message_type="video"), "1140", "message_type"),
    ("to with plus", sms(to="+447700900555"), "1160", "to"),
    ("to too short", sms(to="12345"), "1160", "to"),
    ("from too long alnum", sms(**{"from": "ABCDEFGHIJKL"}), "1120", "from"),
    ("client_ref 101", sms(client_ref=_long(101)), "1060", "client_ref"),
    ("sms text 3201", sms(text=_long(TEXT_LIMITS["sms"] + 1)), "1150", "text"),  # type: ignore[operator]
    ("empty text", sms(text=""), "1150", "text"),
    ("unknown field", sms(colour="red"), "1150", "colour"),
    ("ttl too small", sms(ttl=19), "1150", "ttl"),
    ("bad webhook_version", sms(webhook_version="v2"), "1150", "webhook_version"),
    ("bad webhook_url", sms(webhook_url="ftp://x"), "1150", "webhook_url"),
    ("failover", sms(failover=[]), "1150", "failover"),
    (
        "whatsapp text 4097",
        sms(channel="whatsapp", text=_long(4097)),
        "1150",
        "text",
    ),
    (
        "messenger text 641",
        {
            "channel": "messenger",
            "message_type": "text",
            "to": "1",
            "from": "2",
            "text": _long(641),
        },
        "1150",
        "text",
    ),
    (
        "viber text 1001",
        {
            "channel": "viber_service",
            "message_type": "text",
            "to": CUSTOMER,
            "from": "S",
            "text": _long(1001),
        },
        "1150",
        "text",
    ),
    (
        "caption 3001",
        {
            "channel": "whatsapp",
            "message_type": "image",
            "to": CUSTOMER,
            "from": SMS_NUMBER,
            "image": {"url": "https://example.com/a.jpg", "caption": _long(3001)},
        },
        "1150",
        "image.caption",
    ),
    (
        "mms image not an image",
        {
            "channel": "mms",
            "message_type": "image",
            "to": CUSTOMER,
            "from": SMS_NUMBER,
            "image": {"url": "https://example.com/a.txt"},
        },
        "1150",
        "image.url",
    ),
    (
        "messenger id too long",
        {
            "channel": "messenger",
            "message_type": "text",
            "to": _long(51),
            "from": "2",
            "text": "hi",
        },
        "1160",
        "to",
    ),
]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [pytest.param(b, c, f, id=name) for name, b, c, f in BAD_BODIES],
)
def test_bad_bodies_get_422_naming_the_field(
    sandbox: Sandbox, hooks: ScriptedServer, body: dict[str, Any], code: str, field: str
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    response = _send(sandbox, app_id, body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith(f"/api-errors/messages#{code}")
    assert field in [p["name"] for p in problem["invalid_parameters"]]
    assert problem["title"]
    assert problem["instance"]
    assert hooks.seen == []


@pytest.mark.parametrize("raw", [b"", b"{", b"[1,", b"\xff\xfe", b'{"a": NaN}'])
def test_invalid_json_is_422(sandbox: Sandbox, hooks: ScriptedServer, raw: bytes) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    with jwt_client(sandbox, app_id) as http:
        response = http.post(
            "/v1/messages", content=raw, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["type"].endswith("#invalid-json")


# -- inbound and rtc ------------------------------------------------------------------------


def test_simulated_inbound_sms_reaches_the_inbound_url(
    sandbox: Sandbox, hooks: ScriptedServer, spec: dict[str, Any]
) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")))
    delivery = sandbox.simulate_inbound_message(SMS_NUMBER, "hello there", CUSTOMER)
    assert delivery.ok
    assert delivery.signed
    request = hooks.requests_to("/inbound")[0]
    body = request.json
    assert (body["to"], body["from"], body["text"]) == (SMS_NUMBER, CUSTOMER, "hello there")
    assert body["sms"]["keyword"] == "HELLO"
    _schema_check(spec, "#/components/schemas/inboundMessageSMS", body)
    claims = verify_signed_webhook(
        request.headers["authorization"], DEFAULT_SIGNATURE_SECRET, payload=request.body
    )
    assert claims["application_id"] == app_id


def test_inbound_over_http_and_its_refusals(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    create_app(sandbox, messages_body(hooks.url("")))
    with httpx.Client(base_url=sandbox.url, headers=_basic(sandbox), trust_env=False) as http:
        ok = http.post("/_sandbox/messages/inbound", json={"to": SMS_NUMBER, "text": "hi"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["ok"] is True
        unknown = http.post("/_sandbox/messages/inbound", json={"to": SMS_NUMBER, "x": 1})
        assert unknown.status_code == 400
        names = [p["name"] for p in unknown.json()["invalid_parameters"]]
        assert names == ["x"]
        not_owned = http.post(
            "/_sandbox/messages/inbound", json={"to": "447700900999", "text": "hi"}
        )
        assert not_owned.status_code == 400
    anonymous = httpx.post(sandbox.url + "/_sandbox/messages/inbound", json={"to": SMS_NUMBER})
    assert anonymous.status_code == 401


def test_inbound_to_unlinked_number_or_app_without_messages_is_refused(
    sandbox: Sandbox,
) -> None:
    from tests.sandbox_helpers import voice_app

    with pytest.raises(ValidationError, match="not linked") as unlinked:
        sandbox.simulate_inbound_message("447700900000", "hi")
    assert unlinked.value.errors[0].path == "to"
    with pytest.raises(ValidationError, match="does not own"):
        sandbox.simulate_inbound_message("447700900999", "hi")
    with pytest.raises(ValidationError, match="its features are VOICE"):
        sandbox.simulate_inbound_message("442079460000", "hi")
    create_app(sandbox, voice_app(), number="12025550100")
    with pytest.raises(ValidationError, match="no messages capability"):
        sandbox.simulate_inbound_message("12025550100", "hi")
    with pytest.raises(ValidationError, match="channel"):
        sandbox.simulate_inbound_message("12025550100", "hi", channel="fax")


def test_rtc_event_reaches_the_rtc_event_url(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url(""), rtc=True), number=None)
    first = sandbox.simulate_rtc_event(app_id)
    assert first.ok
    assert first.signed
    conversation = first.payload["conversation_id"]
    second = sandbox.simulate_rtc_event(
        app_id, "custom:ping", body={"n": 1}, conversation_id=conversation
    )
    posted = [s.json for s in hooks.requests_to("/rtc")]
    assert [p["type"] for p in posted] == ["member:joined", "custom:ping"]
    assert [p["id"] for p in posted] == [1, 2]
    assert posted[0]["body"]["member_id"].startswith("MEM-")
    assert posted[1]["body"] == {"n": 1}
    assert second.payload["application_id"] == app_id
    unsigned = create_app(
        sandbox, messages_body(hooks.url(""), rtc=True, signed_rtc=False), number=None
    )
    assert sandbox.simulate_rtc_event(unsigned).signed is False
    with pytest.raises(ValidationError, match="rtc event_url"):
        sandbox.simulate_rtc_event(create_app(sandbox, messages_body(hooks.url("")), None))
    with pytest.raises(ValidationError, match="type"):
        sandbox.simulate_rtc_event(app_id, "nope")


def test_status_bodies_keep_the_documented_fields(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    app_id = create_app(sandbox, messages_body(hooks.url("")), number=None)
    _statuses(sandbox, _send(sandbox, app_id, sms()))
    for request in hooks.requests_to("/status"):
        body = json.loads(request.body)
        assert {"message_uuid", "to", "from", "timestamp", "status", "channel"} <= set(body)


def test_inbound_follows_the_application_version_v01(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    create_app(sandbox, messages_body(hooks.url(""), version="v0.1"), number="12025550100")
    delivery = sandbox.simulate_inbound_message("12025550100", "hi", CUSTOMER, channel="mms")
    assert delivery.ok
    body = hooks.requests_to("/inbound")[-1].json
    assert body["to"] == {"type": "mms", "number": "12025550100"}
    assert body["message"]["content"] == {"type": "text", "text": "hi"}
    assert "channel" not in body
