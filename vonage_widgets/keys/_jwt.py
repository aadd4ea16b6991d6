"""Application JWTs (RS256) for Vonage APIs, interchangeable with ``vonage_jwt`` [api-notes §4].

[api-notes §4]: what the claims mean, the lifetime Vonage accepts, and the
``acl`` a Client SDK login token carries.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jwt.exceptions import InvalidAlgorithmError, InvalidSignatureError, PyJWTError

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.keys._pem import (
    PrivateKeySource,
    PublicKeySource,
    load_private_key,
    load_public_key,
)
from vonage_widgets.keys._tokens import (
    RS256,
    claims_from,
    encode_token,
    strip_bearer,
    time_problems,
    unix_seconds,
)

__all__ = [
    "JWT_TTL_DEFAULT",
    "JWT_TTL_MAX",
    "JWT_TTL_MIN",
    "client_sdk_acl",
    "decode_jwt",
    "mint_jwt",
]

JWT_TTL_DEFAULT = 900
"""Default application-JWT lifetime in seconds: 15 minutes, as Vonage's SDKs use [api-notes §4]."""
JWT_TTL_MIN = 30
"""Shortest application-JWT lifetime Vonage accepts, in seconds [api-notes §4]."""
JWT_TTL_MAX = 86_400
"""Longest application-JWT lifetime Vonage accepts, in seconds: 24 hours [api-notes §4]."""

_CLIENT_SDK_ACL_PATHS = (
    "/*/users/**",
    "/*/conversations/**",
    "/*/sessions/**",
    "/*/devices/**",
    "/*/image/**",
    "/*/media/**",
    "/*/applications/**",
    "/*/push/**",
    "/*/knocking/**",
    "/*/legs/**",
)


def client_sdk_acl() -> dict[str, Any]:
    """A fresh copy of the full ``acl`` claim a Client SDK login token carries [api-notes §4]."""
    return {"paths": {path: {} for path in _CLIENT_SDK_ACL_PATHS}}


_RESERVED_JWT_CLAIMS = ("application_id", "iat", "exp", "jti", "nbf", "sub", "acl")


def _is_json(value: Mapping[str, Any]) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def mint_jwt(
    application_id: str,
    private_key: PrivateKeySource,
    *,
    ttl: int = JWT_TTL_DEFAULT,
    now: float | datetime | None = None,
    nbf: float | datetime | None = None,
    sub: str | None = None,
    acl: Mapping[str, Any] | None = None,
    jti: str | None = None,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """Make an RS256 application JWT for Vonage APIs (Voice REST, Client SDK logins).

    Claims follow [api-notes §4] and what the official SDK emits:
    ``application_id``, ``iat`` (``now``, default the current time), ``jti`` (a fresh UUID4
    unless given), ``exp = iat + ttl`` and, when given, ``nbf``, ``sub`` (Client SDK user name)
    and ``acl`` (e.g. :func:`client_sdk_acl`). ``ttl`` must be 30 to 86400 seconds, the range
    Vonage accepts. ``extra_claims`` are added as they are but may not replace the named claims
    (use the arguments). Header ``{"alg": "RS256", "typ": "JWT"}``. Send it as
    ``Authorization: Bearer <jwt>``.

    Minting many tokens from the same PEM text or file is cheap: the parsed key is cached
    by the SHA-256 digest of its PEM (see :func:`load_private_key`), so only the first
    token pays the ~90 ms parse.
    """
    problems: list[FieldError] = []
    if not isinstance(application_id, str) or not application_id.strip():
        problems.append(FieldError("application_id", "must be a non-empty string"))
    if isinstance(ttl, bool) or not isinstance(ttl, int):
        problems.append(FieldError("ttl", "must be a whole number of seconds"))
    elif not JWT_TTL_MIN <= ttl <= JWT_TTL_MAX:
        problems.append(
            FieldError(
                "ttl",
                f"must be between {JWT_TTL_MIN} and {JWT_TTL_MAX} seconds "
                f"(30 s to 24 hours), got {ttl}",
            )
        )
    if sub is not None and not isinstance(sub, str):
        problems.append(FieldError("sub", "must be a string (the Client SDK user name)"))
    if acl is not None and not isinstance(acl, Mapping):
        problems.append(FieldError("acl", 'must be an object such as {"paths": {...}}'))
    for name, value in (("acl", acl), ("extra_claims", extra_claims)):
        if isinstance(value, Mapping) and not _is_json(value):
            problems.append(FieldError(name, "must hold only JSON values (str, number, list, ...)"))
    if jti is not None and (not isinstance(jti, str) or not jti):
        problems.append(FieldError("jti", "must be a non-empty string"))
    for name in sorted(set(extra_claims or {}) & set(_RESERVED_JWT_CLAIMS)):
        problems.append(
            FieldError(f"extra_claims.{name}", f"set it with the {name!r} argument instead")
        )
    if problems:
        raise ValidationError(problems, subject="JWT options")

    key = load_private_key(private_key)
    iat = unix_seconds(now, "now")
    claims: dict[str, Any] = dict(extra_claims or {})
    claims.update(application_id=application_id, iat=iat, jti=jti or str(uuid.uuid4()))
    claims["exp"] = iat + ttl
    if nbf is not None:
        claims["nbf"] = unix_seconds(nbf, "nbf")
    if sub is not None:
        claims["sub"] = sub
    if acl is not None:
        # A deep copy (later edits to acl do not leak). json.loads reads only the text
        # json.dumps just made from the caller's own value: nothing from outside.
        claims["acl"] = json.loads(json.dumps(acl))
    return encode_token(claims, key, RS256, "RS256")


def decode_jwt(
    token: str | bytes,
    public_key: PublicKeySource | None = None,
    *,
    now: float | datetime | None = None,
    leeway: float = 0,
) -> dict[str, Any]:
    """Read an application JWT's claims; verify it when a key is given.

    With ``public_key`` (or the private key, whose public half is used): checks the RS256
    signature (no other algorithm is accepted), ``exp`` and ``nbf`` at ``now`` (default the
    current time) give or take ``leeway`` seconds. Without a key the token is decoded
    **unverified**, for inspection only: never trust claims read that way. Accepts
    ``Bearer <jwt>`` and the ``bytes`` that ``vonage_jwt`` returns. Raises
    :class:`ValidationError` (subject ``JWT``) naming what failed: ``token`` (malformed),
    ``alg``, ``signature``, ``exp``, ``nbf``.
    """
    text = strip_bearer(token)
    if not text:
        raise ValidationError([FieldError("token", "is empty")], subject="JWT")
    if public_key is None:
        try:
            decoded = RS256.decode_complete(text, options={"verify_signature": False})
            return claims_from(decoded["payload"])
        except (PyJWTError, ValueError) as error:
            raise ValidationError(
                [FieldError("token", f"is malformed: {error}")], subject="JWT"
            ) from None
    key = load_public_key(public_key)
    try:
        decoded = RS256.decode_complete(text, key, algorithms=["RS256"])
        claims = claims_from(decoded["payload"])
    except InvalidSignatureError:
        raise ValidationError(
            [FieldError("signature", "does not match this public key")], subject="JWT"
        ) from None
    except InvalidAlgorithmError:
        raise ValidationError(
            [FieldError("alg", "must be RS256, the only algorithm Vonage application JWTs use")],
            subject="JWT",
        ) from None
    except (PyJWTError, ValueError) as error:
        raise ValidationError(
            [FieldError("token", f"is malformed: {error}")], subject="JWT"
        ) from None
    problems = time_problems(claims, unix_seconds(now, "now"), leeway=leeway, max_age=None)
    if problems:
        raise ValidationError(problems, subject="JWT")
    return claims
