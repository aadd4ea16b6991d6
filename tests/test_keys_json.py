"""Token payloads and webhook bodies are decoded by ``_json.loads``: every refusal names the
rule, keeps each function's own error type, and never shows the secret or the token."""

from __future__ import annotations

import base64
import traceback

import pytest
from jwt.api_jws import PyJWS

from vonage_widgets.errors import ValidationError, WebhookSignatureError
from vonage_widgets.keys import (
    decode_jwt,
    generate_key_pair,
    payload_hash,
    sign_webhook,
    verify_signed_webhook,
)
from vonage_widgets.webhooks.signature import check_signature

SECRET = "s3cr3t-Signature-Value-0123456789abcdef"
DEEP = b"[" * 100_000 + b"]" * 100_000
HINT = "(pass a JSON body, or the query parameters as a mapping)"


def _segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _hs256(payload: bytes) -> str:
    """A correctly signed HS256 token whose payload segment is ``payload``, verbatim."""
    return PyJWS(algorithms=["HS256"]).encode(payload, SECRET.encode(), algorithm="HS256")


def _unsigned(payload: bytes) -> str:
    """An RS256-shaped token with ``payload`` verbatim and a dummy signature."""
    header = _segment(b'{"alg":"RS256","typ":"JWT"}')
    return f"{header}.{_segment(payload)}.{_segment(b'x')}"


def _shown(error: BaseException) -> str:
    return str(error) + "".join(traceback.format_exception(error))


# -- payload_hash ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path", "rule"),
    [
        (b"{not json", "payload", "is not valid JSON: Expecting property name enclosed in"),
        (b'{"a": NaN}', "payload", "is not valid JSON: NaN is not a JSON number"),
        (b'{"a": 1e400}', "payload", "is not valid JSON: the number 1e400 is too large"),
        (DEEP, "payload", "is nested too deeply: arrays and objects may nest at most 100 levels"),
        (b'{"a": "\\ud800"}', "payload.a", "must be valid Unicode text (no lone surrogates"),
        ('{"a": "\ud800"}', "payload.a", "must be valid Unicode text (no lone surrogates"),
    ],
    ids=["syntax", "NaN", "1e400", "deep", "escaped surrogate", "surrogate in str"],
)
def test_payload_hash_refuses_bad_json_naming_the_rule(
    body: bytes | str, path: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        payload_hash(body)
    assert caught.value.paths == [path]
    (message,) = caught.value.for_path(path)
    assert message.startswith(rule)
    if path == "payload":
        assert message.endswith(HINT)


def test_payload_hash_refuses_a_lone_surrogate_in_a_mapping() -> None:
    with pytest.raises(ValidationError) as caught:
        payload_hash({"to": "1", "text": "\udfff"})
    assert caught.value.paths == ["payload.text"]


def test_a_body_with_a_lone_surrogate_fails_verification_with_a_reason() -> None:
    token = sign_webhook({"a": 1}, SECRET, api_key="k", application_id="app")
    status = check_signature(f"Bearer {token}", SECRET, b'{"a": "\\ud800"}')
    assert status.startswith("invalid: webhook payload is invalid")
    assert "payload.a: must be valid Unicode text" in status


# -- signed webhook tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"iat": NaN}', "the token's payload is not valid JSON: NaN is not a JSON number"),
        (b'{"x": ' + DEEP + b"}", "the token's payload is nested too deeply"),
        (b'{"jti": "\\udfff"}', "the token's claim 'jti' must be valid Unicode text"),
        (b'{"iat": ' + b"1" * 4301 + b"}", "the token's payload is not valid JSON: an integer"),
        (b"[1]", "the token's payload is not a JSON object"),
    ],
    ids=["NaN", "deep", "surrogate", "4301 digits", "array"],
)
def test_a_signed_token_with_a_bad_payload_is_a_webhook_signature_error(
    payload: bytes, reason: str
) -> None:
    token = _hs256(payload)
    with pytest.raises(WebhookSignatureError) as caught:
        verify_signed_webhook(token, SECRET)
    assert str(caught.value).startswith(f"malformed webhook token: {reason}")
    shown = _shown(caught.value)
    assert SECRET not in shown
    assert token not in shown
    assert "\n" not in str(caught.value)  # one line: it lands in a table cell and a 401 body


# -- application JWTs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"exp": Infinity}', "the token's payload is not valid JSON: Infinity is not a JSON"),
        (b'{"acl": ' + DEEP + b"}", "the token's payload is nested too deeply"),
        (b'{"sub": "\\ud800"}', "the token's claim 'sub' must be valid Unicode text"),
    ],
    ids=["Infinity", "deep", "surrogate"],
)
def test_decode_jwt_refuses_a_bad_payload_on_token(payload: bytes, reason: str) -> None:
    token = _unsigned(payload)
    with pytest.raises(ValidationError) as caught:
        decode_jwt(token)
    assert caught.value.paths == ["token"]
    (message,) = caught.value.for_path("token")
    assert message.startswith(f"is malformed: {reason}")
    assert token not in _shown(caught.value)


def test_decode_jwt_checks_a_signed_payload_the_same_way() -> None:
    pair = generate_key_pair()
    private = pair.private_pem.get_secret_value()
    token = PyJWS(algorithms=["RS256"]).encode(b'{"a": ' + DEEP + b"}", private, "RS256")
    with pytest.raises(ValidationError) as caught:
        decode_jwt(token, pair.public_pem)
    (message,) = caught.value.for_path("token")
    assert message.startswith("is malformed: the token's payload is nested too deeply")
    assert "PRIVATE KEY" not in _shown(caught.value)
