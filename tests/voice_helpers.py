"""Helpers for the Voice API tests: tokens made by hand, apps with loopback webhooks.

Tokens are built here from their parts (header, claims, signature) so a test can make every
kind of bad token a client could send, including ones PyJWT refuses to make (HS256 keyed
with a PEM public key).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import ssl
import time
import uuid
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from vonage_widgets.keys import KeyPair, generate_key_pair
from vonage_widgets.sandbox import Sandbox

PHONE = {"type": "phone", "number": "447700900000"}
CALLER = {"type": "phone", "number": "447700900001"}
TALK = [{"action": "talk", "text": "Hello from the sandbox"}]


@functools.cache
def other_key_pair() -> KeyPair:
    """A second RSA pair, never stored on any application."""
    return generate_key_pair()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims(app_id: str, **changes: Any) -> dict[str, Any]:
    """Valid claims for ``app_id`` (what the official SDK sends); ``None`` drops a claim."""
    now = int(time.time())
    base: dict[str, Any] = {"application_id": app_id, "iat": now, "jti": str(uuid.uuid4())}
    base["exp"] = now + 900
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def token(
    payload: dict[str, Any],
    private_pem: Any = None,
    *,
    alg: str = "RS256",
    secret: bytes = b"",
) -> str:
    """A compact JWT: RS256 with ``private_pem``, HS256 with ``secret``, or ``alg: none``."""
    head = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signing_input = f"{head}.{body}".encode()
    if alg == "RS256":
        assert private_pem is not None
        pem = getattr(private_pem, "get_secret_value", lambda: private_pem)()
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "HS256":
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    else:
        signature = b""
    return f"{head}.{body}.{_b64(signature)}"


NOWHERE = "http://127.0.0.1:9/webhooks"
"""A loopback URL nothing answers (the discard port): for tests that place no call."""


def voice_application(
    sandbox: Sandbox,
    pair: KeyPair,
    answer_url: str = NOWHERE + "/answer",
    event_url: str = NOWHERE + "/event",
    account: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Create an application holding ``pair``'s public key, with these voice webhooks."""
    auth = account or (sandbox.api_key, sandbox.api_secret)
    body = {
        "name": "voice api app",
        "keys": {"public_key": pair.public_pem},
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {"address": answer_url, "http_method": "GET"},
                    "event_url": {"address": event_url, "http_method": "POST"},
                }
            }
        },
    }
    verify: Any = ssl.create_default_context(cafile=sandbox.ca_file) if sandbox.ca_file else True
    response = httpx.post(
        sandbox.url + "/v2/applications", json=body, auth=auth, timeout=30, verify=verify
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def bearer(value: str) -> dict[str, str]:
    """An Authorization header for ``value``."""
    return {"Authorization": f"Bearer {value}"}
