"""Small HTTP helpers for the webhook server: reading requests, shaping error answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.redact import redact

__all__ = ["Outcome", "decode_body", "describe", "ordered_query", "original_type", "problem"]


@dataclass(slots=True)
class Outcome:
    """How the server answers one request, and what to record about it."""

    status: int
    content: Any = None  # JSON to send; None means an empty body
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def problem(status: int, title: str, detail: str, errors: Sequence[FieldError] = ()) -> Outcome:
    """An RFC 7807-shaped error answer, like the Vonage APIs this package talks to."""
    body: dict[str, Any] = {"title": title, "detail": detail}
    if errors:
        body["invalid_parameters"] = [{"name": e.path, "reason": e.message} for e in errors]
    return Outcome(status, body, error=f"{title}: {detail}")


def ordered_query(request: Request) -> dict[str, str]:
    """Query parameters in the order sent (Vonage hashes them in that order [api-notes §3.6]).

    A repeated name keeps its first position and its last value, as a mapping can hold one.
    """
    query: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        query[key] = value
    return query


def decode_body(raw: bytes) -> tuple[Any, bool]:
    """``(JSON value, True)``; ``(text, False)`` when not JSON; ``(None, False)`` when empty.

    "Not JSON" includes what :func:`vonage_widgets._json.loads` refuses (nested too deep, a
    huge integer, a lone surrogate, not UTF-8): the server then answers a POST with 400 and
    records it, like any other body that is not a JSON object.
    """
    if not raw.strip():
        return None, False
    try:
        return loads(raw, subject="webhook body"), True
    except ValidationError:
        return raw.decode("utf-8", "replace"), False


def original_type(payload: Mapping[str, Any]) -> str:
    """``original_request.type`` of a fallback request: ``"answer"`` unless it says ``event``.

    It is an object in a POST body; in a GET query it can only be text, read as JSON.
    """
    original = payload.get("original_request")
    if isinstance(original, str):
        try:
            original = loads(original, subject="original_request", path="original_request")
        except ValidationError:
            return "answer"
    if isinstance(original, Mapping) and original.get("type") == "event":
        return "event"
    return "answer"


def describe(exc: BaseException, secret: str | None) -> str:
    """``"<Type>: <message>"`` with the secret (and any private key) redacted."""
    return redact(f"{type(exc).__name__}: {exc}", secret)
