"""Helpers for the Messages and RTC tests: an application with messages (and rtc) webhooks
pointing at a scripted loopback server, linked to an SMS number."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from tests.sandbox_helpers import key_pair
from vonage_widgets.keys import mint_jwt
from vonage_widgets.sandbox import Sandbox

SMS_NUMBER = "447700900001"
"""A seeded sandbox number with the SMS feature only."""
CUSTOMER = "447700900555"
"""A recipient the sandbox delivers to."""


def messages_body(
    base: str, *, version: str = "v1", rtc: bool = False, signed_rtc: bool | None = None
) -> dict[str, Any]:
    """An application body with messages webhooks at ``base`` + /inbound and /status."""
    capabilities: dict[str, Any] = {
        "messages": {
            "webhooks": {
                "inbound_url": {"address": base + "/inbound", "http_method": "POST"},
                "status_url": {"address": base + "/status", "http_method": "POST"},
            },
            "version": version,
        }
    }
    if rtc:
        capabilities["rtc"] = {
            "webhooks": {"event_url": {"address": base + "/rtc", "http_method": "POST"}}
        }
        if signed_rtc is not None:
            capabilities["rtc"]["signed_callbacks"] = signed_rtc
    return {
        "name": "messages app",
        "keys": {"public_key": key_pair().public_pem},
        "capabilities": capabilities,
    }


def create_app(sandbox: Sandbox, body: dict[str, Any], number: str | None = SMS_NUMBER) -> str:
    """Create the application (and link ``number`` to it); returns its id."""
    verify: Any = ssl.create_default_context(cafile=sandbox.ca_file) if sandbox.ca_file else False
    auth = (sandbox.api_key, sandbox.api_secret)
    with httpx.Client(base_url=sandbox.url, auth=auth, trust_env=False, verify=verify) as client:
        created = client.post("/v2/applications", json=body)
        assert created.status_code == 201, created.text
        app_id = str(created.json()["id"])
        if number is not None:
            linked = client.post(
                "/number/update",
                data={
                    "country": "GB" if number.startswith("44") else "US",
                    "msisdn": number,
                    "app_id": app_id,
                },
            )
            assert linked.json()["error-code"] == "200", linked.text
    return app_id


def jwt_client(sandbox: Sandbox, app_id: str) -> httpx.Client:
    """A client sending the application's JWT (a fresh one per client)."""
    token = mint_jwt(app_id, key_pair().private_pem)
    return httpx.Client(
        base_url=sandbox.url,
        headers={"Authorization": f"Bearer {token}"},
        trust_env=False,
        timeout=30,
    )


def sms(text: str = "Hello", to: str = CUSTOMER, **extra: Any) -> dict[str, Any]:
    """An SMS text body."""
    return {
        "channel": "sms",
        "message_type": "text",
        "to": to,
        "from": SMS_NUMBER,
        "text": text,
        **extra,
    }
