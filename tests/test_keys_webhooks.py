"""Signed webhooks (HS256) in vonage_widgets.keys, checked against vonage_jwt and PyJWT."""

from __future__ import annotations

import hashlib
import json
import time
import traceback
import uuid
import warnings
from typing import Any

import jwt
import pytest
import vonage_jwt
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from vonage_widgets.errors import ValidationError, WebhookSignatureError
from vonage_widgets.keys import (
    generate_key_pair,
    payload_hash,
    sign_webhook,
    verify_signed_webhook,
)

SECRET = "s3cr3t-Signature-Value-0123456789abcdef"  # 39 bytes: no PyJWT short-key warning
OTHER_SECRET = "another-account-signature-secret-xyz"
API_KEY = "a1b2c3d"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
BODY = (
    b'{"from":"447700900000","to":"447700900001","uuid":"63f61863",'
    b'"conversation_uuid":"CON-f972836a","region_url":"https://api-eu-3.vonage.com"}'
)

# The recorded token and secret from the official SDK's own verify test
# (Vonage/vonage-python-sdk jwt/tests/test_verify_jwt.py): an outside oracle for HS256.
SDK_TOKEN = (
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJPbmxpbmUgSldUIEJ1aWxkZXIiLCJpYXQiOjE2OTc2Mz"
    "Q2ODAsImV4cCI6MzMyNTQ1NDA4MjgsImF1ZCI6IiIsInN1YiI6IiJ9.88vJc3I2HhuqEDixHXVhc9R30tA6U_HQHZTC29y"
    "6CGM"
)
SDK_SECRET = "qwertyuiopasdfghjklzxcvbnm123456"


def signed(payload: Any = BODY, secret: str = SECRET, **kwargs: Any) -> str:
    return sign_webhook(payload, secret, api_key=API_KEY, application_id=APP_ID, **kwargs)


def hand_made(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    """A token built by PyJWT directly, for claim sets sign_webhook never makes."""
    return jwt.encode(claims, secret, algorithm=algorithm)


def rejection(token: object, secret: str = SECRET, **kwargs: Any) -> WebhookSignatureError:
    with pytest.raises(WebhookSignatureError) as caught:
        verify_signed_webhook(token, secret, **kwargs)  # type: ignore[arg-type]
    shown = str(caught.value) + "".join(traceback.format_exception(caught.value))
    assert secret not in shown, "the secret must never appear in an error"
    return caught.value


# ---------------------------------------------------------------------------------------------
# payload_hash [api-notes §3.6]
# ---------------------------------------------------------------------------------------------


def test_a_compact_json_body_hashes_to_the_digest_of_its_bytes() -> None:
    assert payload_hash(BODY) == hashlib.sha256(BODY).hexdigest()
    assert payload_hash(BODY.decode()) == hashlib.sha256(BODY).hexdigest()


def test_whitespace_in_the_body_does_not_change_the_hash() -> None:
    pretty = json.dumps(json.loads(BODY), indent=2)
    assert payload_hash(pretty) == hashlib.sha256(BODY).hexdigest()


def test_key_order_is_kept() -> None:
    assert payload_hash(b'{"a":1,"b":2}') == hashlib.sha256(b'{"a":1,"b":2}').hexdigest()
    assert payload_hash(b'{"b":2,"a":1}') == hashlib.sha256(b'{"b":2,"a":1}').hexdigest()
    assert payload_hash(b'{"a":1,"b":2}') != payload_hash(b'{"b":2,"a":1}')


def test_query_parameters_hash_in_the_given_order() -> None:
    params = {"to": "447700900001", "from": "447700900000", "uuid": "63f61863"}
    expected = b'{"to":"447700900001","from":"447700900000","uuid":"63f61863"}'
    assert payload_hash(params) == hashlib.sha256(expected).hexdigest()
    assert payload_hash(dict(reversed(params.items()))) != payload_hash(params)


def test_non_ascii_is_hashed_as_utf8_not_as_escapes() -> None:
    body = '{"name":"Zoë","city":"Zürich"}'
    assert payload_hash(body) == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert payload_hash(body.encode()) == payload_hash(json.loads(body))
    escaped = '{"name":"Zo\\u00eb","city":"Z\\u00fcrich"}'
    assert payload_hash(escaped) == payload_hash(body)


def test_a_parsed_list_is_serialised_the_same_way() -> None:
    assert payload_hash([1, "a", {"b": None}]) == hashlib.sha256(b'[1,"a",{"b":null}]').hexdigest()


@pytest.mark.parametrize("body", [b"", b"from=1&to=2", "not json", b"\xff"])
def test_a_body_that_is_not_json_is_a_validation_error(body: bytes | str) -> None:
    with pytest.raises(ValidationError) as caught:
        payload_hash(body)
    assert caught.value.paths == ["payload"]


def test_a_value_json_cannot_hold_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        payload_hash({"when": object()})
    assert caught.value.paths == ["payload"]


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
json_objects = st.dictionaries(
    st.text(max_size=10),
    st.recursive(
        json_scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(json_objects, st.sampled_from([None, 1, 2, 4]))
def test_any_json_object_hashes_to_its_compact_utf8_form(
    data: dict[str, Any], indent: int | None
) -> None:
    compact = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    expected = hashlib.sha256(compact).hexdigest()
    assert payload_hash(data) == expected
    assert payload_hash(json.dumps(data, indent=indent)) == expected
    assert payload_hash(json.dumps(data, indent=indent).encode()) == expected


# ---------------------------------------------------------------------------------------------
# sign_webhook: what the sandbox sends [api-notes §3.6]
# ---------------------------------------------------------------------------------------------


def test_signed_token_has_the_documented_header_and_claims() -> None:
    before = int(time.time())
    token = signed()
    after = int(time.time())
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # PyJWT as a second opinion
    assert set(claims) == {"iat", "jti", "iss", "payload_hash", "api_key", "application_id"}
    assert before <= claims["iat"] <= after
    assert uuid.UUID(claims["jti"]).version == 4
    assert claims["iss"] == "Vonage"
    assert claims["payload_hash"] == hashlib.sha256(BODY).hexdigest()
    assert claims["api_key"] == API_KEY
    assert claims["application_id"] == APP_ID


def test_sign_accepts_now_and_secret_forms() -> None:
    for secret in (SECRET, SECRET.encode(), SecretStr(SECRET)):
        token = sign_webhook(
            BODY, secret, api_key=API_KEY, application_id=APP_ID, now=1_587_494_962
        )
        assert jwt.decode(token, SECRET, algorithms=["HS256"])["iat"] == 1_587_494_962


def test_sign_refuses_an_empty_secret() -> None:
    with pytest.raises(ValidationError) as caught:
        signed(secret="")
    assert caught.value.paths == ["signature_secret"]


def test_the_official_verifier_accepts_our_tokens_and_rejects_the_wrong_secret() -> None:
    token = signed()
    assert vonage_jwt.verify_signature(token, SECRET) is True
    assert vonage_jwt.verify_signature(token, OTHER_SECRET) is False


@settings(max_examples=40, deadline=None)
@given(
    secret=st.text(min_size=32, max_size=64).filter(lambda s: "-----BEGIN" not in s),
    payload=json_objects,
)
def test_we_and_the_official_verifier_agree(secret: str, payload: dict[str, Any]) -> None:
    token = signed(payload, secret=secret)
    assert vonage_jwt.verify_signature(token, secret) is True
    assert verify_signed_webhook(token, secret, payload=payload)["iss"] == "Vonage"
    wrong = secret + "x"
    assert vonage_jwt.verify_signature(token, wrong) is False
    rejection(token, wrong)


def test_short_secrets_work_without_warnings() -> None:
    # Vonage picks the secret; PyJWT's short-HMAC-key warning would only be noise for receivers.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        token = signed(secret="short")
        assert verify_signed_webhook(token, "short", payload=BODY)["api_key"] == API_KEY


# ---------------------------------------------------------------------------------------------
# verify_signed_webhook
# ---------------------------------------------------------------------------------------------


def test_a_correct_token_and_payload_verify() -> None:
    token = signed()
    for presented in (token, f"Bearer {token}", f"bearer  {token} ", token.encode()):
        claims = verify_signed_webhook(presented, SECRET, payload=BODY, max_age=60)
        assert claims["application_id"] == APP_ID
        assert claims["payload_hash"] == hashlib.sha256(BODY).hexdigest()


def test_a_get_webhook_verifies_with_its_query_parameters() -> None:
    params = {"from": "447700900000", "to": "447700900001", "uuid": "63f61863"}
    token = signed(params)
    assert verify_signed_webhook(token, SecretStr(SECRET), payload=params)["iss"] == "Vonage"


def test_the_official_sdk_test_token_verifies_with_its_secret() -> None:
    claims = verify_signed_webhook(SDK_TOKEN, SDK_SECRET)
    assert claims["iss"] == "Online JWT Builder"
    assert claims["iat"] == 1_697_634_680
    assert vonage_jwt.verify_signature(SDK_TOKEN, SDK_SECRET) is True
    message = str(rejection(SDK_TOKEN, "asdf-wrong-secret"))
    assert "does not match" in message


def test_a_tampered_payload_is_rejected() -> None:
    token = signed()
    tampered = BODY.replace(b"447700900001", b"447700900999")
    error = rejection(token, payload=tampered)
    assert "payload does not match" in str(error)
    assert str(error) == str(rejection(token, payload={"to": "447700900001"}))


def test_the_payload_is_only_checked_when_given() -> None:
    assert verify_signed_webhook(signed(), SECRET)["api_key"] == API_KEY


def test_a_wrong_secret_is_rejected() -> None:
    error = rejection(signed(), OTHER_SECRET)
    assert "not signed with this signature secret" in str(error)
    assert OTHER_SECRET not in str(error)


def test_a_tampered_token_is_rejected() -> None:
    header, _, signature = signed().split(".")
    forged = jwt.encode({"iss": "Vonage", "api_key": "evil"}, "k" * 32).split(".")[1]
    assert "does not match" in str(rejection(f"{header}.{forged}.{signature}"))


def test_an_expired_token_is_rejected() -> None:
    now = int(time.time())
    token = hand_made({"iat": now - 600, "exp": now - 300, "iss": "Vonage"})
    error = rejection(token)
    assert "exp: the token expired" in str(error)
    assert verify_signed_webhook(token, SECRET, now=now - 400)["iss"] == "Vonage"
    assert verify_signed_webhook(token, SECRET, leeway=301)["iss"] == "Vonage"


def test_a_token_not_yet_valid_is_rejected() -> None:
    token = hand_made({"iat": int(time.time()), "nbf": int(time.time()) + 600})
    assert "nbf: the token is not valid for another" in str(rejection(token))


def test_max_age_bounds_the_age_of_tokens_without_exp() -> None:
    token = signed(now=time.time() - 120)
    assert verify_signed_webhook(token, SECRET)["iss"] == "Vonage"  # no exp, no max_age
    assert verify_signed_webhook(token, SECRET, max_age=300)["iss"] == "Vonage"
    error = rejection(token, max_age=60)
    assert "iat: the token is 12" in str(error)
    assert "at most 60" in str(error)


def test_max_age_needs_an_iat() -> None:
    token = hand_made({"iss": "Vonage", "payload_hash": payload_hash(BODY)})
    assert verify_signed_webhook(token, SECRET, payload=BODY)["iss"] == "Vonage"
    assert "iat: is missing" in str(rejection(token, max_age=60))


def test_time_claims_must_be_numbers() -> None:
    token = hand_made({"iat": "yesterday", "exp": "later"})
    message = str(rejection(token))
    assert "exp: must be a number" in message
    assert "iat: must be a number" in message


def test_a_payload_check_needs_the_payload_hash_claim() -> None:
    token = hand_made({"iat": int(time.time()), "iss": "Vonage"})
    assert "no payload_hash claim" in str(rejection(token, payload=BODY))


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (None, "no token"),
        ("", "no token"),
        ("Bearer ", "no token"),
        ("abc", "malformed webhook token"),
        ("a.b.c", "malformed webhook token"),
        ("Basic dXNlcjpwYXNz", "malformed webhook token"),
        (b"\xff\xfe.\x00.x", "malformed webhook token"),
        (12345, "no token"),
    ],
)
def test_malformed_tokens_are_rejected(token: object, expected: str) -> None:
    assert expected in str(rejection(token))


def test_a_payload_that_is_not_a_json_object_is_rejected() -> None:
    token = jwt.api_jws.encode(b"[1,2]", SECRET, algorithm="HS256")
    assert "malformed webhook token" in str(rejection(token))


def test_other_algorithms_are_rejected() -> None:
    pair = generate_key_pair()
    rs256 = jwt.encode({"iss": "Vonage"}, pair.private_pem.get_secret_value(), algorithm="RS256")
    unsigned = jwt.encode({"iss": "Vonage"}, None, algorithm="none")
    hs512 = jwt.encode({"iss": "Vonage"}, SECRET * 2, algorithm="HS512")
    for token in (rs256, unsigned, hs512):
        assert "signed webhooks use HS256" in str(rejection(token))


def test_verify_refuses_an_empty_secret() -> None:
    with pytest.raises(ValidationError) as caught:
        verify_signed_webhook(signed(), SecretStr(""))
    assert caught.value.paths == ["signature_secret"]


def test_no_rejection_message_ever_shows_the_secret() -> None:
    now = int(time.time())
    tokens = [
        signed(),  # checked with the wrong payload
        hand_made({"exp": now - 10}),
        hand_made({"nbf": now + 100}),
        "garbage",
    ]
    for token in tokens:
        rejection(token, payload={"x": SECRET})
        rejection(token, OTHER_SECRET)
