"""Outbound calls with an application's key: the Voice API's ``/v1/calls``, authenticated by JWT.

:class:`VoiceCalls` is a small client for the call subset (create, list, show, modify). It
signs a fresh RS256 application JWT for every request with the application's private key,
as the official SDK does [api-notes §4], so the same code works against the sandbox and the
real API (``https://api.nexmo.com`` unless ``VONAGE_API_HOST`` says otherwise). The last
token's claims are kept in :attr:`VoiceCalls.last_claims` for people to look at; the key and
the token never are.

:class:`PlacedCall` is what ``Workbook.call`` returns: the call record, the claims of the
token that created it and, against a sandbox, the engine's trace of the call (its timeline).
"""

from __future__ import annotations

import html
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from vonage_widgets.client.app_session import ApplicationSession, tls_verify
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.voice.trace import CallTrace

__all__ = ["PlacedCall", "VoiceCalls", "call_body", "fetch_trace"]

CALLS_PATH = "/v1/calls"


class VoiceCalls(ApplicationSession):
    """The Voice API's call operations as one application (JWT auth, fresh token per request).

    ``base_url``: the API host (a sandbox's URL, or ``https://api.nexmo.com``).
    ``private_key``: PEM text or the path of the key file; it is read once and never shown.
    ``verify``: TLS verification, or the path of a CA file (a TLS sandbox's ``ca_file``).
    """

    DEFAULT_TIMEOUT = 120.0

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /v1/calls``: ``{uuid, status, direction, conversation_uuid}``."""
        data: dict[str, Any] = self._request("POST", CALLS_PATH, json=body).json()
        return data

    def get(self, uuid: str) -> dict[str, Any]:
        """``GET /v1/calls/{uuid}``: the call record."""
        data: dict[str, Any] = self._request("GET", f"{CALLS_PATH}/{uuid}").json()
        return data

    def list(self, **filters: Any) -> dict[str, Any]:
        """``GET /v1/calls`` with ``status``, ``page_size``, ``record_index``, ``order``, ..."""
        params = {k: str(v) for k, v in filters.items() if v is not None}
        data: dict[str, Any] = self._request("GET", CALLS_PATH, params=params).json()
        return data

    def update(self, uuid: str, body: dict[str, Any]) -> None:
        """``PUT /v1/calls/{uuid}`` (``{"action": "hangup"}``, a transfer, ...)."""
        self._request("PUT", f"{CALLS_PATH}/{uuid}", json=body)

    def hangup(self, uuid: str) -> None:
        """End the call ``uuid``."""
        self.update(uuid, {"action": "hangup"})


def call_body(
    to: str | dict[str, Any],
    *,
    ncco: list[Any] | None = None,
    answer_url: str | None = None,
    from_: str | None = None,
    event_url: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ``POST /v1/calls`` body, checked by ``models.voice.validate_create_call``.

    ``to``: a phone number, or an endpoint object. ``ncco``: a list of action dicts or NCCO
    models (``Ncco`` builders too). ``from_``: the caller id; without it
    ``random_from_number: true`` (a number linked to the application). ``extra``: other
    fields of the body (``machine_detection``, ``event_method``, ...).
    """
    from vonage_widgets.models.voice import validate_create_call

    body: dict[str, Any] = {
        "to": [to if isinstance(to, dict) else {"type": "phone", "number": str(to).lstrip("+")}]
    }
    if from_ is not None:
        body["from"] = {"type": "phone", "number": str(from_).lstrip("+")}
    else:
        body["random_from_number"] = True
    if ncco is not None:
        body["ncco"] = _wire_ncco(ncco)
    if answer_url is not None:
        body["answer_url"] = [answer_url]
    if event_url is not None:
        body["event_url"] = [event_url]
    body.update(extra)
    validate_create_call(body)
    return body


def _wire_ncco(ncco: Any) -> list[Any]:
    if hasattr(ncco, "to_list"):
        ncco = ncco.to_list()
    if not isinstance(ncco, list):
        raise ValidationError([FieldError("ncco", "must be a list of actions")], subject="call")
    return [
        a.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if hasattr(a, "model_dump")
        else a
        for a in ncco
    ]


def fetch_trace(
    base_url: str,
    uuid: str,
    *,
    api_key: str,
    api_secret: str,
    verify: bool | str | Path | ssl.SSLContext = True,
) -> CallTrace | None:
    """The sandbox's trace of call ``uuid`` (``GET /_sandbox/calls/{uuid}/trace``), or None."""
    url = f"{base_url.rstrip('/')}/_sandbox/calls/{uuid}/trace"
    with httpx.Client(trust_env=False, verify=tls_verify(verify), timeout=60) as client:
        response = client.get(url, auth=(api_key, api_secret))
    if response.status_code != 200:
        return None
    return CallTrace.from_dict(response.json())


@dataclass(slots=True)
class PlacedCall:
    """An outbound call: its record, the claims of the JWT that made it, and its trace.

    ``trace`` is the sandbox engine's record of every step (None against the real API, which
    reports progress only through your event URL).
    """

    uuid: str
    record: dict[str, Any]
    claims: dict[str, Any]
    trace: CallTrace | None = None
    created: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """The call's status in its record (``completed`` once a sandbox call has run)."""
        return str(self.record.get("status", ""))

    def timeline(self) -> str:
        """The call's steps as text (sandbox), else a line with its status."""
        if self.trace is not None:
            return self.trace.timeline()
        return f"Call {self.uuid}: {self.status}"

    def __repr__(self) -> str:
        return (
            f"PlacedCall(uuid={self.uuid!r}, status={self.status!r}, "
            f"duration={self.record.get('duration')!r}, application_id="
            f"{self.claims.get('application_id')!r})"
        )

    def _repr_html_(self) -> str:
        head = html.escape(
            f"Outbound call {self.uuid} · {self.status} · duration "
            f"{self.record.get('duration', '?')} s",
            quote=False,
        )
        body = self.trace._repr_html_() if self.trace is not None else ""
        return f"<div><b>{head}</b>{body}</div>"
