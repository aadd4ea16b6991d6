"""The answer webhook request, typed: what Vonage tells the NCCO function about a call.

Vonage sends the same fields as a query string (``GET``, the default) or as a JSON body
(``POST``) [api-notes §3.2]; :meth:`AnswerRequest.from_payload` accepts either, so a user's NCCO
function never cares which method the application uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vonage_widgets._json import loads
from vonage_widgets.errors import ValidationError

__all__ = ["SIP_HEADER_PREFIX", "AnswerRequest"]

# Custom SIP headers (X-...) and User-to-User arrive as ``SipHeader_<name>`` [api-notes §3.2].
SIP_HEADER_PREFIX = "SipHeader_"


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """One answer (or fallback) webhook request, as the NCCO function receives it.

    ``from_`` is the caller's number (``from`` on the wire); ``from_user`` is set instead for
    Client SDK calls [api-notes §3.2]. ``sip_headers`` maps forwarded SIP header names
    (without the ``SipHeader_`` prefix, e.g. ``"X-UserId"``) to their values. ``raw`` is the
    request exactly as received (query parameters or JSON body), so nothing is lost.
    """

    to: str | None = None
    from_: str | None = None
    from_user: str | None = None
    uuid: str | None = None
    conversation_uuid: str | None = None
    endpoint_type: str | None = None
    region_url: str | None = None
    custom_data: dict[str, Any] | str | None = None
    sip_headers: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AnswerRequest:
        """Build from GET query parameters or a POST JSON body (both are flat mappings).

        ``custom_data`` is an object in a POST body; how Vonage encodes it in a GET query is
        not documented [api-notes §3.2], so a query value that parses as a JSON
        object is decoded and anything else is kept as the string it arrived as (including
        what :func:`vonage_widgets._json.loads` refuses: nesting deeper than 100 levels,
        huge numbers, ``NaN``, lone surrogates).
        """
        raw = dict(payload)
        return cls(
            to=_text(raw.get("to")),
            from_=_text(raw.get("from")),
            from_user=_text(raw.get("from_user")),
            uuid=_text(raw.get("uuid")),
            conversation_uuid=_text(raw.get("conversation_uuid")),
            endpoint_type=_text(raw.get("endpoint_type")),
            region_url=_text(raw.get("region_url")),
            custom_data=_custom_data(raw.get("custom_data")),
            sip_headers={
                key[len(SIP_HEADER_PREFIX) :]: str(value)
                for key, value in raw.items()
                if key.startswith(SIP_HEADER_PREFIX)
            },
            raw=raw,
        )


def _text(value: Any) -> str | None:
    """Numbers may arrive as JSON numbers in a POST body; the model always holds strings."""
    return None if value is None else str(value)


def _custom_data(value: Any) -> dict[str, Any] | str | None:
    if value is None or isinstance(value, dict):
        return value
    text = str(value)
    try:  # refuses deep nesting, huge numbers, NaN and lone surrogates as well as non-JSON
        decoded = loads(text, subject="answer webhook", path="custom_data")
    except ValidationError:
        return text
    return decoded if isinstance(decoded, dict) else text
