"""Shared bits for the webhook server tests: sample payloads and a started-server helper."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from vonage_widgets.webhooks import WebhookServer

TALK_NCCO: list[dict[str, Any]] = [{"action": "talk", "text": "Hello from the test"}]

ANSWER_QUERY: dict[str, str] = {
    "to": "442079460000",
    "from": "447700900000",
    "conversation_uuid": "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    "uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    "region_url": "https://api-eu-3.vonage.com",
}

ANSWER_BODY: dict[str, Any] = {
    "to": "442079460000",
    "from": "447700900000",
    "uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    "conversation_uuid": "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    "endpoint_type": "phone",
    "region_url": "https://api-eu-3.vonage.com",
    "custom_data": {"customer": "42"},
    "SipHeader_X-UserId": "1938ND9",
}


def event(status: str, **extra: Any) -> dict[str, Any]:
    """A call-status event body like Vonage's [api-notes §3.3]."""
    return {
        "from": "447700900000",
        "to": "442079460000",
        "uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "conversation_uuid": "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "status": status,
        "direction": "inbound",
        "timestamp": "2020-01-01T12:00:00.000Z",
        **extra,
    }


@contextmanager
def serving(server: WebhookServer) -> Iterator[httpx.Client]:
    """Start ``server`` and give an HTTP client bound to it; stop both afterwards."""
    with server, httpx.Client(base_url=server.local_url, timeout=5.0) as client:
        yield client
