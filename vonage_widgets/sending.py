"""Messages with an application's key, and simulated inbound messages and RTC events.

:class:`MessagesClient` sends ``POST /v1/messages`` with a fresh RS256 application JWT per
request (as the official SDK does), so the same code works against the sandbox and the real
API. :class:`SentMessage` is what ``Workbook.send_message`` returns: the message UUID, the
body sent, the token's claims (never the key) and, on a sandbox, the status webhooks the
sandbox posted (:attr:`SentMessage.statuses`, a table).

:func:`sandbox_request` drives the sandbox-only routes (``/_sandbox/messages/inbound``,
``/_sandbox/rtc/events``, ``/_sandbox/messages/{uuid}``) with the account's Basic auth;
:class:`WebhookDelivery` shows what one such webhook did.
"""

from __future__ import annotations

import html
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from vonage_widgets.client.app_session import ApplicationSession, raise_for_api, tls_verify
from vonage_widgets.errors import FieldError, ValidationError

__all__ = [
    "MESSAGES_PATH",
    "MessagesClient",
    "SentMessage",
    "WebhookDelivery",
    "message_body",
    "sandbox_request",
]

MESSAGES_PATH = "/v1/messages"


class MessagesClient(ApplicationSession):
    """``POST /v1/messages`` as one application (JWT auth, a fresh token per request).

    ``base_url``: the API host (a sandbox's URL, or ``https://api.nexmo.com``).
    ``private_key``: PEM text or the key file's path; read once, never shown.
    ``verify``: TLS verification, or the path of a CA file (a TLS sandbox's ``ca_file``).
    """

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send one message; returns ``{"message_uuid": ...}``. Raises ``ApiError`` (422 with
        ``invalid_parameters`` naming each field, 401, ...)."""
        data: dict[str, Any] = self._request("POST", MESSAGES_PATH, json=body).json()
        return data


def message_body(
    to: str,
    text: str | None = None,
    *,
    from_: str,
    channel: str = "sms",
    image_url: str | None = None,
    caption: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """A ``POST /v1/messages`` body: a text, or an image with ``image_url`` (MMS, WhatsApp).

    ``options`` are added as they are (``client_ref``, ``webhook_url``, ``webhook_version``,
    ``ttl``, ...); the API checks them (limits in :mod:`vonage_widgets.models.messages`).
    """
    if (text is None) == (image_url is None):
        raise ValidationError(
            [FieldError("text", "give either text or image_url")], subject="message"
        )
    body: dict[str, Any] = {"channel": channel, "to": to, "from": from_}
    if text is not None:
        body.update(message_type="text", text=text)
    else:
        image: dict[str, Any] = {"url": image_url}
        if caption is not None:
            image["caption"] = caption
        body.update(message_type="image", image=image)
    body.update(options)
    return body


@dataclass(slots=True)
class WebhookDelivery:
    """One webhook the sandbox posted: kind, event, URL, outcome and payload."""

    kind: str
    event: str
    url: str
    ok: bool
    outcome: str
    signed: bool
    attempts: int
    status: int | None
    payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WebhookDelivery:
        """Read a delivery record of the sandbox (``Delivery.to_dict()``)."""
        attempts = data.get("attempts") or []
        return cls(
            kind=str(data.get("kind", "")),
            event=str(data.get("event", "")),
            url=str(data.get("url", "")),
            ok=bool(data.get("ok")),
            outcome=str(data.get("outcome", "")),
            signed=bool(data.get("signed")),
            attempts=len(attempts),
            status=attempts[-1].get("status") if attempts else None,
            payload=dict(data.get("payload") or {}),
        )

    def __repr__(self) -> str:
        how = "signed" if self.signed else "unsigned"
        code = f"HTTP {self.status}" if self.status is not None else "no answer"
        return (
            f"{self.kind} {self.event!r} -> {self.url or '(nowhere)'}: {self.outcome} "
            f"({code}, {how}, {self.attempts} attempt{'s' if self.attempts != 1 else ''})"
        )

    def _repr_html_(self) -> str:
        return f"<code>{html.escape(repr(self))}</code>"


@dataclass(slots=True)
class SentMessage:
    """A message sent with ``Workbook.send_message``: its UUID, what was sent, the JWT's
    claims and (on a sandbox) the status webhooks posted for it."""

    message_uuid: str
    body: dict[str, Any]
    claims: dict[str, Any]
    deliveries: list[WebhookDelivery] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The last status posted (``""`` before any, or with the real API)."""
        return self.deliveries[-1].event if self.deliveries else ""

    @property
    def statuses(self) -> pd.DataFrame:
        """The status webhooks: ``status``, ``url``, ``outcome``, ``signed``, ``attempts``."""
        from vonage_widgets.tables.events import records_table

        return records_table(
            [
                {
                    "status": d.event,
                    "url": d.url,
                    "outcome": d.outcome,
                    "signed": d.signed,
                    "attempts": d.attempts,
                    "http_status": d.status,
                }
                for d in self.deliveries
            ],
            ("status", "url", "outcome", "signed", "attempts", "http_status"),
        )

    def __repr__(self) -> str:
        path = " -> ".join(d.event for d in self.deliveries) or "no status yet"
        return f"SentMessage({self.body.get('channel')} to {self.body.get('to')}: {path})"

    def _repr_html_(self) -> str:
        return f"<code>{html.escape(repr(self))}</code>"


def sandbox_request(
    base_url: str,
    method: str,
    path: str,
    *,
    api_key: str,
    api_secret: str,
    body: dict[str, Any] | None = None,
    verify: bool | str | Path | ssl.SSLContext = True,
    timeout: float = 60.0,
) -> Any:
    """Call a sandbox-only route with Basic auth; returns the JSON reply. A refusal raises
    ``ApiError`` (400 names each field in ``invalid_parameters``)."""
    url = base_url.rstrip("/") + path
    with httpx.Client(trust_env=False, verify=tls_verify(verify), timeout=timeout) as http:
        response = http.request(method, url, json=body, auth=(api_key, api_secret))
    raise_for_api(response, method, url)
    return response.json()
