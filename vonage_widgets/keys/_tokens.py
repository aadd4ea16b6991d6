"""Token plumbing shared by application JWTs and signed webhooks (private to the package).

One PyJWS per algorithm, so a token signed one way is never accepted the other way; time
claims, ``Bearer`` prefixes and compact JSON payloads handled once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jwt import PyJWS
from jwt.algorithms import HMACAlgorithm

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError

__all__ = [
    "HS256",
    "RS256",
    "claims_from",
    "encode_token",
    "strip_bearer",
    "time_problems",
    "unix_seconds",
]


class _AccountSecretHMAC(HMACAlgorithm):
    """HS256 without PyJWT's short-key warning.

    The signature secret is chosen by Vonage per account; the receiver cannot lengthen it, so
    warning on every webhook would only add noise to notebooks.
    """

    def check_key_length(self, key: bytes) -> str | None:
        return None


def _make_jws(algorithm: str) -> PyJWS:
    jws = PyJWS(algorithms=[algorithm])
    if algorithm == "HS256":
        jws.unregister_algorithm("HS256")
        jws.register_algorithm("HS256", _AccountSecretHMAC(HMACAlgorithm.SHA256))
    return jws


_PAYLOAD = "payload"  # the path of a token's payload in decoding errors

RS256 = _make_jws("RS256")
HS256 = _make_jws("HS256")


def unix_seconds(value: float | datetime | None, name: str) -> int:
    if value is None:
        return int(time.time())
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(
                [FieldError(name, "must be a timezone-aware datetime (or Unix seconds)")],
                subject="JWT options",
            )
        return int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            [FieldError(name, "must be Unix seconds or a timezone-aware datetime")],
            subject="JWT options",
        )
    return int(value)


def strip_bearer(token: object) -> str:
    if isinstance(token, bytes | bytearray):
        token = bytes(token).decode("ascii", "replace")
    if not isinstance(token, str):
        return ""
    token = token.strip()
    scheme, _, rest = token.partition(" ")
    if scheme.lower() == "bearer":
        token = rest.strip()
    return token


def encode_token(claims: Mapping[str, Any], key: Any, jws: PyJWS, algorithm: str) -> str:
    payload = json.dumps(claims, separators=(",", ":")).encode("utf-8")
    return jws.encode(payload, key, algorithm=algorithm, headers={"alg": algorithm, "typ": "JWT"})


def claims_from(payload: bytes) -> dict[str, Any]:
    """A token's claims; ValueError (one line naming the rule, never the token) if not JSON.

    Decoded by :func:`vonage_widgets._json.loads`: deep nesting, huge numbers, ``NaN`` and
    lone surrogates are refused too. The error is a plain ``ValueError`` with one line, so
    each caller wraps it in its own type (``ValidationError`` on ``token`` for application
    JWTs, ``WebhookSignatureError`` for signed webhooks).
    """
    try:
        claims = loads(payload, subject="token payload", path=_PAYLOAD)
    except ValidationError as error:
        first = error.errors[0]
        if first.path == _PAYLOAD:
            raise ValueError(f"the token's payload {first.message}") from None
        claim = first.path.removeprefix(_PAYLOAD + ".")
        raise ValueError(f"the token's claim {claim!r} {first.message}") from None
    if not isinstance(claims, dict):
        raise ValueError("the token's payload is not a JSON object")
    return claims


def time_problems(
    claims: Mapping[str, Any], now: int, *, leeway: float, max_age: float | None
) -> list[FieldError]:
    """Check ``exp``, ``nbf`` and (with ``max_age``) ``iat``: one FieldError per broken rule."""
    problems: list[FieldError] = []
    for name in ("exp", "nbf", "iat"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(FieldError(name, "must be a number (Unix seconds)"))
    if problems:
        return problems
    exp, nbf, iat = claims.get("exp"), claims.get("nbf"), claims.get("iat")
    if exp is not None and now > exp + leeway:
        problems.append(FieldError("exp", f"the token expired {int(now - exp)} s ago"))
    if nbf is not None and now < nbf - leeway:
        problems.append(FieldError("nbf", f"the token is not valid for another {int(nbf - now)} s"))
    if max_age is not None:
        if iat is None:
            problems.append(FieldError("iat", "is missing, so the token's age cannot be checked"))
        elif now - iat > max_age + leeway:
            problems.append(
                FieldError("iat", f"the token is {int(now - iat)} s old; at most {max_age} allowed")
            )
    return problems
