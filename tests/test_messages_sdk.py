"""The official Vonage SDK, unmodified, sends SMS and WhatsApp texts to the sandbox's Messages
API over TLS, with the application's JWT and with Basic auth; the status webhooks arrive at a
loopback WebhookServer and their signatures verify."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from vonage import Auth, HttpClientOptions, Vonage
from vonage_http_client.errors import HttpRequestError
from vonage_messages import Sms, WhatsappText

from tests.messages_helpers import CUSTOMER, SMS_NUMBER, create_app
from tests.sandbox_helpers import key_pair
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.webhooks import WebhookServer


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    server = WebhookServer(signature_secret=DEFAULT_SIGNATURE_SECRET)
    with pytest.MonkeyPatch.context() as patch, Sandbox(tls=True) as sandbox, server as hooks:
        assert sandbox.ca_file is not None
        patch.setenv("REQUESTS_CA_BUNDLE", str(sandbox.ca_file))
        body = {
            "name": "sdk messages",
            "keys": {"public_key": key_pair().public_pem},
            "capabilities": {"messages": {"webhooks": hooks.messages_webhooks(), "version": "v1"}},
        }
        app_id = create_app(sandbox, body)
        yield {"sandbox": sandbox, "hooks": hooks, "app": app_id}


def _host(world: dict[str, Any]) -> HttpClientOptions:
    host = world["sandbox"].url.removeprefix("https://")
    return HttpClientOptions(api_host=host, rest_host=host)


def _jwt_sdk(world: dict[str, Any]) -> Vonage:
    private = key_pair().private_pem.get_secret_value()
    return Vonage(Auth(application_id=world["app"], private_key=private), _host(world))


def _basic_sdk(world: dict[str, Any], secret: str | None = None) -> Vonage:
    sandbox: Sandbox = world["sandbox"]
    return Vonage(
        Auth(api_key=sandbox.api_key, api_secret=secret or sandbox.api_secret), _host(world)
    )


def _statuses(world: dict[str, Any], uuid: str) -> list[dict[str, Any]]:
    world["sandbox"].message_statuses(uuid)  # every status posted
    hooks: WebhookServer = world["hooks"]
    return [
        r.payload
        for r in hooks.records
        if r.kind == "status" and r.payload.get("message_uuid") == uuid
    ]


def test_sdk_sends_sms_and_whatsapp_with_the_application_jwt(world: dict[str, Any]) -> None:
    vonage = _jwt_sdk(world)
    sms = vonage.messages.send(Sms(to=CUSTOMER, from_=SMS_NUMBER, text="Hello from the SDK"))
    whatsapp = vonage.messages.send(WhatsappText(to=CUSTOMER, from_=SMS_NUMBER, text="Hi"))
    assert [s["status"] for s in _statuses(world, sms.message_uuid)] == ["submitted", "delivered"]
    assert [s["status"] for s in _statuses(world, whatsapp.message_uuid)] == [
        "submitted",
        "delivered",
        "read",
    ]
    records = [r for r in world["hooks"].records if r.kind == "status"]
    assert records
    assert {r.signature for r in records} == {"verified"}
    assert {r.response_status for r in records} == {200}


def test_sdk_sends_with_basic_auth_and_webhook_url(world: dict[str, Any]) -> None:
    vonage = _basic_sdk(world)
    hooks: WebhookServer = world["hooks"]
    sms = vonage.messages.send(
        Sms(to=CUSTOMER, from_=SMS_NUMBER, text="Basic", webhook_url=hooks.status_url)
    )
    whatsapp = vonage.messages.send(
        WhatsappText(to=CUSTOMER, from_=SMS_NUMBER, text="Basic", webhook_url=hooks.status_url)
    )
    assert len(_statuses(world, sms.message_uuid)) == 2
    assert len(_statuses(world, whatsapp.message_uuid)) == 3
    deliveries = world["sandbox"].message_statuses(sms.message_uuid)
    assert all(d.ok and d.signed for d in deliveries)
    # The token verifies with the account's signature secret (checked here independently).
    record = next(
        r
        for r in hooks.records
        if r.kind == "status" and r.payload["message_uuid"] == sms.message_uuid
    )
    assert record.signature == "verified"


def test_sdk_with_a_wrong_secret_is_refused(world: dict[str, Any]) -> None:
    vonage = _basic_sdk(world, "not-the-secret")
    with pytest.raises(HttpRequestError) as caught:
        vonage.messages.send(Sms(to=CUSTOMER, from_=SMS_NUMBER, text="no"))
    assert caught.value.response.status_code == 401
    assert caught.value.response.json()["type"].endswith("#unathorized")
