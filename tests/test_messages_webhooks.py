"""WebhookServer's Messages and RTC handlers: record, verify signatures, answer 200 (500 when
the user's handler raises, which the sandbox retries); the messages table and the one table
of every capability's webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.messages_helpers import CUSTOMER, SMS_NUMBER, create_app, jwt_client, sms
from tests.sandbox_helpers import key_pair
from vonage_widgets.keys import sign_webhook
from vonage_widgets.messaging.delivery import MAX_ATTEMPTS
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.tables.messages import ALL_EVENT_COLUMNS, MESSAGE_COLUMNS
from vonage_widgets.webhooks import WebhookServer


@pytest.fixture
def world() -> Iterator[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    server = WebhookServer(
        signature_secret=DEFAULT_SIGNATURE_SECRET,
        on_inbound=seen.append,
        on_rtc=seen.append,
    )
    with Sandbox() as sandbox, server as hooks:
        body = {
            "name": "hooks",
            "keys": {"public_key": key_pair().public_pem},
            "capabilities": {
                "messages": {"webhooks": hooks.messages_webhooks()},
                "rtc": {"webhooks": hooks.rtc_webhooks()},
            },
        }
        app_id = create_app(sandbox, body)
        yield {"sandbox": sandbox, "hooks": hooks, "app": app_id, "seen": seen}


def test_inbound_status_and_rtc_are_recorded_verified_and_tabled(world: dict[str, Any]) -> None:
    sandbox: Sandbox = world["sandbox"]
    hooks: WebhookServer = world["hooks"]
    sandbox.simulate_inbound_message(SMS_NUMBER, "Hi there", CUSTOMER)
    with jwt_client(sandbox, world["app"]) as http:
        uuid = http.post("/v1/messages", json=sms("Thanks")).json()["message_uuid"]
    sandbox.message_statuses(uuid)
    sandbox.simulate_rtc_event(world["app"], "member:joined")
    kinds = [r.kind for r in hooks.records]
    assert kinds == ["inbound", "status", "status", "rtc"]
    assert {r.signature for r in hooks.records} == {"verified"}
    assert {r.response_status for r in hooks.records} == {200}
    assert [p.get("text") or p.get("type") for p in world["seen"]] == ["Hi there", "member:joined"]
    table = hooks.messages
    assert list(table.columns) == list(MESSAGE_COLUMNS)
    assert list(table["status"]) == ["inbound", "submitted", "delivered"]
    assert list(table["text"].fillna("")) == ["Hi there", "", ""]
    everything = hooks.all_events
    assert list(everything.columns[: len(ALL_EVENT_COLUMNS)]) == list(ALL_EVENT_COLUMNS)
    assert list(everything["capability"]) == ["messages", "messages", "messages", "rtc"]
    assert list(everything["what"]) == ["inbound", "submitted", "delivered", "member:joined"]


def test_a_failing_status_handler_gets_retried(world: dict[str, Any]) -> None:
    hooks: WebhookServer = world["hooks"]

    def broken(payload: dict[str, Any]) -> None:
        raise RuntimeError("database down")

    hooks.on_status = broken
    sandbox: Sandbox = world["sandbox"]
    with jwt_client(sandbox, world["app"]) as http:
        uuid = http.post("/v1/messages", json=sms()).json()["message_uuid"]
    deliveries = sandbox.message_statuses(uuid)
    assert [len(d.attempts) for d in deliveries] == [MAX_ATTEMPTS, MAX_ATTEMPTS]
    assert not any(d.ok for d in deliveries)
    errors = {r.error for r in hooks.records if r.kind == "status"}
    assert len(errors) == 1
    assert "database down" in str(errors.pop())


def test_bad_signatures_wrong_methods_and_bodies_are_refused(world: dict[str, Any]) -> None:
    hooks: WebhookServer = world["hooks"]
    body = b'{"message_uuid":"x","status":"delivered"}'
    good = sign_webhook(body, DEFAULT_SIGNATURE_SECRET, api_key="k", application_id=None)
    wrong = sign_webhook(body, "another-secret", api_key="k", application_id=None)
    listed = b"[1]"
    signed_list = sign_webhook(listed, DEFAULT_SIGNATURE_SECRET, api_key="k", application_id=None)

    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    tampered = body.replace(b"delivered", b"read")
    with httpx.Client(trust_env=False) as http:
        answers = {
            "good": http.post(hooks.status_url, content=body, headers=auth(good)),
            "wrong secret": http.post(hooks.status_url, content=body, headers=auth(wrong)),
            "tampered": http.post(hooks.status_url, content=tampered, headers=auth(good)),
            "unsigned": http.post(hooks.inbound_url, content=body),
            "GET": http.get(hooks.rtc_url, headers=auth(good)),
            "not an object": http.post(hooks.status_url, content=listed, headers=auth(signed_list)),
        }
    assert {k: r.status_code for k, r in answers.items()} == {
        "good": 200,
        "wrong secret": 401,
        "tampered": 401,
        "unsigned": 401,
        "GET": 405,
        "not an object": 400,
    }
    assert all(r.status_code < 500 for r in answers.values())


def test_check_webhooks_probes_messages_and_rtc(world: dict[str, Any]) -> None:
    from vonage_widgets.checks import check_webhooks
    from vonage_widgets.models import Application

    hooks: WebhookServer = world["hooks"]
    body = {
        "id": world["app"],
        "name": "check",
        "capabilities": {
            "messages": {"webhooks": hooks.messages_webhooks()},
            "rtc": {"webhooks": {"event_url": {"address": hooks.url + "/nowhere"}}},
        },
    }
    unsigned = check_webhooks(Application.from_api(body))
    signed = check_webhooks(
        Application.from_api(body), signature_secret=DEFAULT_SIGNATURE_SECRET, api_key="k"
    )
    names = ["messages.inbound_url", "messages.status_url", "rtc.event_url"]
    assert list(unsigned["webhook"])[-3:] == names
    assert list(unsigned["status"])[-3:] == [401, 401, 404]  # signatures wanted; no /nowhere
    assert list(signed["status"])[-3:] == [200, 200, 404]
    assert list(signed["ok"])[-3:] == [True, True, False]
    assert [r.kind for r in hooks.records][-3:] == ["inbound", "status", "unknown"]
