"""Checking an application JWT the way a Vonage API does before it serves a request.

:func:`verify_application_jwt` is what the sandbox's Voice API runs on every request: the
bearer token must be RS256, name an application (``application_id``) whose stored public
key verifies its signature, carry ``iat`` and ``jti``, be within its ``nbf``/``exp`` window
and, when it has an ``acl``, allow the request's path and method. The claims are listed in
[api-notes §4].

Every refusal is a :class:`JwtRefused` with a ``reason`` (a short code: ``missing-token``,
``malformed``, ``algorithm``, ``unknown-application``, ``signature``, ``claims``,
``expired``, ``not-yet-valid``, ``lifetime``, ``acl``) and a one-line ``detail`` that never
quotes the token or a key.

Decisions where Vonage's public material is silent (summed up in ``docs/architecture.md``):

* **Algorithm**: only ``RS256``. ``none``, ``HS256`` (whatever key it was made with, the
  stored public key included) and every other ``alg`` are refused before any key is used.
* **Lifetime**: ``exp`` absent means ``iat`` + 15 minutes (Vonage's documented default);
  ``exp`` more than 24 hours after ``iat`` is refused (the documented maximum). ``iat`` more
  than ``leeway`` seconds in the future is refused (a token cannot be issued later).
* **jti**: must be a non-empty string. Reuse is *not* refused: Vonage documents tokens as
  valid until ``exp`` (Client SDK logins reuse one token for hours), so a replay check
  would refuse what Vonage accepts.
* **acl path matching** (Vonage documents the patterns, not the algorithm): the request path
  and each pattern are split on ``/``; ``*`` matches exactly one segment (the API version in
  ``/*/calls/**``), ``**`` matches zero or more segments, anything else matches the segment
  literally. So ``/*/calls/**`` allows ``/v1/calls`` and ``/v1/calls/<uuid>``, while
  ``/*/users/**`` does not allow ``/v1/calls``. A pattern's value may hold ``"methods"``
  (a list of HTTP verbs) to narrow it; anything else in the value is ignored. An ``acl``
  that is not ``{"paths": {pattern: object, ...}}`` is refused as malformed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import PyJWTError

from vonage_widgets.errors import VonageWidgetsError
from vonage_widgets.keys._jwt import JWT_TTL_DEFAULT, JWT_TTL_MAX
from vonage_widgets.keys._pem import load_public_key
from vonage_widgets.keys._tokens import claims_from, strip_bearer

__all__ = ["JwtRefused", "VerifiedJwt", "acl_allows", "verify_application_jwt"]

PublicKeyLookup = Callable[[str], str | None]
"""Given an ``application_id``, the PEM of its public key, or None when no such application."""


class JwtRefused(VonageWidgetsError):
    """A bearer token that does not authenticate a request; ``reason`` says which rule failed."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"JWT refused ({reason}): {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class VerifiedJwt:
    """A token that passed: its application and its claims."""

    application_id: str
    claims: dict[str, Any]


_RSA_SHA256 = RSAAlgorithm(RSAAlgorithm.SHA256)
_KEYS: OrderedDict[str, rsa.RSAPublicKey] = OrderedDict()
_KEYS_LOCK = threading.Lock()
_KEYS_MAX = 256


def _public_key(pem: str) -> rsa.RSAPublicKey:
    """The parsed key for ``pem``, cached by its digest (a rotated key gets a new entry)."""
    digest = hashlib.sha256(pem.encode("utf-8")).hexdigest()
    with _KEYS_LOCK:
        key = _KEYS.get(digest)
        if key is not None:
            _KEYS.move_to_end(digest)
            return key
    key = load_public_key(pem)
    with _KEYS_LOCK:
        _KEYS[digest] = key
        while len(_KEYS) > _KEYS_MAX:
            _KEYS.popitem(last=False)
    return key


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def _b64decode(segment: str) -> bytes:
    if not _BASE64URL.fullmatch(segment):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _segments_of(token: str) -> tuple[dict[str, Any], bytes, bytes]:
    """Header, payload bytes and signature of a compact JWS; ValueError when it is not one.

    Parsed here rather than by PyJWS, whose base64url check walks the text character by
    character in Python (half the cost of verifying a token)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("a JWT has three segments")
    header = json.loads(_b64decode(parts[0]))
    if not isinstance(header, dict):
        raise ValueError("the JWT header is not an object")
    return header, _b64decode(parts[1]), _b64decode(parts[2])


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _match(pattern: list[str], path: list[str]) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    return (head == "*" or head == path[0]) and _match(rest, path[1:])


def acl_allows(acl: object, path: str, method: str) -> bool:
    """True when ``acl`` (a token's ``acl`` claim) allows ``method`` on ``path``.

    Raises :class:`JwtRefused` (``claims``) when ``acl`` is not ``{"paths": {...}}``. See the
    module docstring for the matching rules.
    """
    paths = acl.get("paths") if isinstance(acl, Mapping) else None
    if not isinstance(paths, Mapping) or not all(
        isinstance(k, str) and isinstance(v, Mapping) for k, v in paths.items()
    ):
        raise JwtRefused("claims", 'the acl claim must be {"paths": {"/pattern": {...}}}')
    wanted = _segments(path)
    for pattern, rules in paths.items():
        if len(pattern) > 1000 or pattern.count("**") > 8 or not _match(_segments(pattern), wanted):
            continue
        methods = rules.get("methods")
        if methods is None or (
            isinstance(methods, list) and method.upper() in {str(m).upper() for m in methods}
        ):
            return True
    return False


def verify_application_jwt(
    authorization: str | None,
    public_key_for: PublicKeyLookup,
    *,
    path: str,
    method: str,
    now: float | None = None,
    leeway: float = 0,
) -> VerifiedJwt:
    """Check an ``Authorization: Bearer <jwt>`` header; return the application and claims.

    ``public_key_for`` maps an ``application_id`` to its stored public key PEM (None for an
    unknown, deleted or foreign application). ``path`` and ``method`` are the request's, for
    the ``acl`` claim. Raises :class:`JwtRefused` naming the rule that failed.
    """
    header = (authorization or "").strip()
    scheme, _, _ = header.partition(" ")
    if not header:
        raise JwtRefused("missing-token", "no Authorization header: send 'Bearer <jwt>'")
    if scheme.lower() != "bearer":
        raise JwtRefused("missing-token", "the Authorization header must be 'Bearer <jwt>'")
    token = strip_bearer(header)
    if not token or len(token) > 16_384:
        raise JwtRefused("malformed", "the bearer token is empty or too long")
    try:
        jose, payload, signature = _segments_of(token)
        alg = jose.get("alg")
        claims = claims_from(payload)
    except (ValueError, TypeError, UnicodeDecodeError):
        raise JwtRefused("malformed", "the bearer token is not a JWT") from None
    if alg != "RS256":
        raise JwtRefused(
            "algorithm", f"alg {str(alg)[:20]!r} is refused: application JWTs are RS256"
        )
    app_id = claims.get("application_id")
    if not isinstance(app_id, str) or not app_id or len(app_id) > 200:
        raise JwtRefused("claims", "the application_id claim is missing or not a string")
    pem = public_key_for(app_id)
    if pem is None:
        raise JwtRefused(
            "unknown-application",
            "the token's application_id names no application of this account",
        )
    try:
        key = _public_key(pem)
        verified = _RSA_SHA256.verify(token.rpartition(".")[0].encode("ascii"), key, signature)
    except (PyJWTError, ValueError, VonageWidgetsError):
        raise JwtRefused(
            "signature", "the token cannot be verified with the application's key"
        ) from None
    if not verified:
        raise JwtRefused("signature", "the signature does not match the application's public key")
    _check_claims(claims, time.time() if now is None else now, leeway)
    if "acl" in claims and not acl_allows(claims["acl"], path, method):
        raise JwtRefused("acl", f"the token's acl does not allow {method.upper()} {path[:200]}")
    return VerifiedJwt(app_id, claims)


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JwtRefused("claims", f"the {name} claim must be a number (Unix seconds)")
    return float(value)


def _check_claims(claims: Mapping[str, Any], now: float, leeway: float) -> None:
    iat = _number(claims, "iat")
    exp = _number(claims, "exp")
    nbf = _number(claims, "nbf")
    jti = claims.get("jti")
    if iat is None:
        raise JwtRefused("claims", "the iat claim is required")
    if not isinstance(jti, str) or not jti:
        raise JwtRefused("claims", "the jti claim is required (a unique string)")
    if iat > now + leeway:
        raise JwtRefused("not-yet-valid", f"the token is issued {int(iat - now)} s in the future")
    if nbf is not None and now < nbf - leeway:
        raise JwtRefused("not-yet-valid", f"the token is not valid for another {int(nbf - now)} s")
    if exp is None:
        exp = iat + JWT_TTL_DEFAULT
    elif exp - iat > JWT_TTL_MAX:
        raise JwtRefused("lifetime", "exp is more than 24 hours after iat (the longest allowed)")
    if now > exp + leeway:
        raise JwtRefused("expired", f"the token expired {int(now - exp)} s ago")
