"""Application JWTs (RS256) in vonage_widgets.keys, checked against PyJWT and vonage_jwt."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jwt
import pytest
import vonage_jwt
from cryptography.hazmat.primitives import serialization
from pydantic import SecretStr

from vonage_widgets.errors import KeyHandlingError, ValidationError
from vonage_widgets.keys import (
    JWT_TTL_DEFAULT,
    JWT_TTL_MAX,
    JWT_TTL_MIN,
    KeyPair,
    _pem,
    client_sdk_acl,
    decode_jwt,
    generate_key_pair,
    mint_jwt,
)

APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"


@pytest.fixture(scope="module")
def pair() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="module")
def other_pair() -> KeyPair:
    return generate_key_pair()


def pyjwt_verify(token: str | bytes, public_pem: str) -> dict[str, Any]:
    """[api-notes §4], enforced by PyJWT: RS256 only, signature, exp and iat present."""
    return jwt.decode(
        token,
        public_pem,
        algorithms=["RS256"],
        options={"require": ["exp", "iat", "jti", "application_id"]},
    )


def official_token(pair: KeyPair, options: dict[str, Any] | None = None) -> bytes:
    client = vonage_jwt.JwtClient(APP_ID, pair.private_pem.get_secret_value())
    return client.generate_application_jwt(options)


# ---------------------------------------------------------------------------------------------
# mint_jwt: claims and header per [api-notes §4]
# ---------------------------------------------------------------------------------------------


def test_minted_token_has_the_reference_header_and_claims(pair: KeyPair) -> None:
    before = int(time.time())
    token = mint_jwt(APP_ID, pair.private_pem)
    after = int(time.time())
    assert isinstance(token, str)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT"}
    claims = pyjwt_verify(token, pair.public_pem)
    assert set(claims) == {"application_id", "iat", "jti", "exp"}
    assert claims["application_id"] == APP_ID
    assert before <= claims["iat"] <= after
    assert isinstance(claims["iat"], int)
    assert claims["exp"] == claims["iat"] + 900 == claims["iat"] + JWT_TTL_DEFAULT
    assert uuid.UUID(claims["jti"]).version == 4


def test_minted_claims_match_what_the_official_package_emits(pair: KeyPair) -> None:
    ours = jwt.decode(mint_jwt(APP_ID, pair), options={"verify_signature": False})
    theirs = jwt.decode(official_token(pair), options={"verify_signature": False})
    assert set(ours) == set(theirs)
    assert ours["application_id"] == theirs["application_id"]
    assert ours["exp"] - ours["iat"] == theirs["exp"] - theirs["iat"] == 900
    assert jwt.get_unverified_header(mint_jwt(APP_ID, pair)) == jwt.get_unverified_header(
        official_token(pair)
    )


def test_every_token_gets_a_fresh_jti(pair: KeyPair) -> None:
    jtis = {decode_jwt(mint_jwt(APP_ID, pair))["jti"] for _ in range(5)}
    assert len(jtis) == 5


def test_now_ttl_and_optional_claims(pair: KeyPair) -> None:
    acl = client_sdk_acl()
    token = mint_jwt(
        APP_ID,
        pair,
        ttl=3600,
        now=1_735_689_600,
        nbf=1_735_689_500,
        sub="alice",
        acl=acl,
        jti="fixed-id",
        extra_claims={"custom": [1, "two"]},
    )
    claims = decode_jwt(token)  # unverified: the fixed time is long past
    assert claims == {
        "custom": [1, "two"],
        "application_id": APP_ID,
        "iat": 1_735_689_600,
        "jti": "fixed-id",
        "exp": 1_735_689_600 + 3600,
        "nbf": 1_735_689_500,
        "sub": "alice",
        "acl": acl,
    }
    assert "/*/users/**" in claims["acl"]["paths"]
    assert len(claims["acl"]["paths"]) == 10


def test_client_sdk_acl_is_a_fresh_copy_each_time() -> None:
    first = client_sdk_acl()
    first["paths"].clear()
    assert len(client_sdk_acl()["paths"]) == 10


def test_now_accepts_an_aware_datetime(pair: KeyPair) -> None:
    moment = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    claims = decode_jwt(mint_jwt(APP_ID, pair, now=moment))
    assert claims["iat"] == 1_735_689_600


def test_naive_datetime_is_refused(pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        mint_jwt(APP_ID, pair, now=dt.datetime(2025, 1, 1))  # deliberately naive
    assert caught.value.paths == ["now"]


@pytest.mark.parametrize("ttl", [JWT_TTL_MIN, 31, 900, JWT_TTL_MAX - 1, JWT_TTL_MAX])
def test_ttl_within_the_vonage_range_is_accepted(ttl: int, pair: KeyPair) -> None:
    claims = pyjwt_verify(mint_jwt(APP_ID, pair, ttl=ttl), pair.public_pem)
    assert claims["exp"] - claims["iat"] == ttl


@pytest.mark.parametrize("ttl", [29, 0, -1, 86_401, 10**9, True, 900.0, "900", None])
def test_ttl_outside_the_range_is_a_validation_error_naming_ttl(ttl: object, pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        mint_jwt(APP_ID, pair, ttl=ttl)  # type: ignore[arg-type]
    assert caught.value.paths == ["ttl"]
    assert "ttl" in str(caught.value)


def test_ttl_message_names_the_rule(pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        mint_jwt(APP_ID, pair, ttl=10)
    assert caught.value.for_path("ttl") == [
        "must be between 30 and 86400 seconds (30 s to 24 hours), got 10"
    ]


def test_all_bad_options_are_reported_together(pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        mint_jwt(
            "",
            pair,
            ttl=5,
            sub=7,  # type: ignore[arg-type]
            acl=["x"],  # type: ignore[arg-type]
            jti="",
            extra_claims={"exp": 1, "application_id": "x", "ok": object()},
        )
    assert caught.value.paths == [
        "application_id",
        "ttl",
        "sub",
        "acl",
        "extra_claims",
        "jti",
        "extra_claims.application_id",
        "extra_claims.exp",
    ]


def test_mint_needs_a_private_key(pair: KeyPair) -> None:
    with pytest.raises(KeyHandlingError, match="PUBLIC key"):
        mint_jwt(APP_ID, pair.public_pem)


def test_mint_error_never_shows_the_private_key(pair: KeyPair) -> None:
    broken = SecretStr(pair.private_pem.get_secret_value()[:-40])
    with pytest.raises(KeyHandlingError) as caught:
        mint_jwt(APP_ID, broken)
    body = pair.private_pem.get_secret_value().splitlines()[3]
    assert body not in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Interoperability with vonage_jwt (oracle) and PyJWT
# ---------------------------------------------------------------------------------------------


def test_official_tokens_verify_with_decode_jwt(pair: KeyPair) -> None:
    token = official_token(pair)
    assert isinstance(token, bytes)
    claims = decode_jwt(token, pair.public_pem)
    assert claims["application_id"] == APP_ID
    assert claims["exp"] - claims["iat"] == 900
    assert decode_jwt(b"Bearer " + token, pair)["jti"] == claims["jti"]


def test_official_tokens_with_client_sdk_claims_verify(pair: KeyPair) -> None:
    token = official_token(pair, {"sub": "alice", "acl": client_sdk_acl(), "nbf": 1})
    claims = decode_jwt(token, pair.public_pem)
    assert claims["sub"] == "alice"
    assert claims["acl"] == client_sdk_acl()


def test_official_tokens_from_another_key_are_rejected(pair: KeyPair, other_pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_jwt(official_token(other_pair), pair.public_pem)
    assert caught.value.paths == ["signature"]


def test_vonage_jwt_has_no_rs256_verifier_so_pyjwt_is_the_second_opinion() -> None:
    # If the official package ever grows one, this test tells us to use it as the oracle.
    # Its only verifier, verify_signature, is HS256 (signed webhooks).
    assert set(vonage_jwt.__all__) == {
        "JwtClient",
        "VonageJwtError",
        "VonageVerifyJwtError",
        "verify_signature",
    }
    assert [name for name in dir(vonage_jwt.JwtClient) if not name.startswith("_")] == [
        "generate_application_jwt"
    ]


def test_our_tokens_verify_with_pyjwt_under_the_reference_rules(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair.private_pem, sub="bob", acl=client_sdk_acl())
    claims = pyjwt_verify(token, pair.public_pem)
    assert claims["sub"] == "bob"
    with pytest.raises(jwt.InvalidSignatureError):
        pyjwt_verify(token, generate_key_pair().public_pem)


def test_our_expired_tokens_are_rejected_by_pyjwt_too(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair, ttl=30, now=time.time() - 120)
    with pytest.raises(jwt.ExpiredSignatureError):
        pyjwt_verify(token, pair.public_pem)


def test_we_read_what_pyjwt_writes(pair: KeyPair) -> None:
    now = int(time.time())
    token = jwt.encode(
        {"application_id": APP_ID, "iat": now, "exp": now + 60, "jti": "x"},
        pair.private_pem.get_secret_value(),
        algorithm="RS256",
    )
    assert decode_jwt(token, pair.public_pem)["jti"] == "x"


# ---------------------------------------------------------------------------------------------
# decode_jwt failures
# ---------------------------------------------------------------------------------------------


def test_decode_accepts_the_private_key_in_place_of_the_public_one(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair)
    assert decode_jwt(token, pair.private_pem)["application_id"] == APP_ID


def test_decode_rejects_a_signature_from_another_key(pair: KeyPair, other_pair: KeyPair) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_jwt(mint_jwt(APP_ID, other_pair), pair.public_pem)
    assert caught.value.paths == ["signature"]
    assert caught.value.subject == "JWT"


def test_decode_rejects_an_expired_token(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair, ttl=30, now=time.time() - 100)
    with pytest.raises(ValidationError) as caught:
        decode_jwt(token, pair.public_pem)
    assert caught.value.paths == ["exp"]
    assert "expired" in str(caught.value)


def test_decode_leeway_and_now(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair, ttl=30, now=1_000_000)
    assert decode_jwt(token, pair, now=1_000_035, leeway=10)["iat"] == 1_000_000
    assert decode_jwt(token, pair, now=1_000_010)["iat"] == 1_000_000
    with pytest.raises(ValidationError):
        decode_jwt(token, pair, now=1_000_031)


def test_decode_rejects_a_token_not_yet_valid(pair: KeyPair) -> None:
    token = mint_jwt(APP_ID, pair, nbf=time.time() + 600)
    with pytest.raises(ValidationError) as caught:
        decode_jwt(token, pair.public_pem)
    assert caught.value.paths == ["nbf"]


def test_decode_rejects_other_algorithms(pair: KeyPair) -> None:
    hs256 = jwt.encode({"application_id": APP_ID}, "x" * 32, algorithm="HS256")
    unsigned = jwt.encode({"application_id": APP_ID}, None, algorithm="none")
    for token in (hs256, unsigned):
        with pytest.raises(ValidationError) as caught:
            decode_jwt(token, pair.public_pem)
        assert caught.value.paths == ["alg"]


def test_decode_rejects_a_tampered_payload(pair: KeyPair) -> None:
    header, _, signature = mint_jwt(APP_ID, pair).split(".")
    forged_claims = jwt.encode({"application_id": "someone-else"}, "k" * 32).split(".")[1]
    with pytest.raises(ValidationError) as caught:
        decode_jwt(f"{header}.{forged_claims}.{signature}", pair.public_pem)
    assert caught.value.paths == ["signature"]


@pytest.mark.parametrize("token", ["", "   ", "Bearer ", "abc", "a.b.c", "a.b", b"\xff\xfe"])
def test_decode_rejects_malformed_tokens(token: str | bytes, pair: KeyPair) -> None:
    for key in (pair.public_pem, None):
        with pytest.raises(ValidationError) as caught:
            decode_jwt(token, key)
        assert caught.value.paths == ["token"]


def test_decode_without_a_key_reads_claims_unverified(pair: KeyPair, other_pair: KeyPair) -> None:
    expired = mint_jwt(APP_ID, other_pair, ttl=30, now=1)
    assert decode_jwt(expired)["application_id"] == APP_ID
    assert decode_jwt("Bearer " + expired)["exp"] == 31


def test_decode_with_a_bad_key_is_a_key_error(pair: KeyPair) -> None:
    with pytest.raises(KeyHandlingError):
        decode_jwt(mint_jwt(APP_ID, pair), "-----BEGIN PUBLIC KEY-----\nAAAA\n")


# ---------------------------------------------------------------------------------------------
# The parsed-key cache: a PEM is parsed once, not on every token
# ---------------------------------------------------------------------------------------------


def _count_pem_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every PEM block cryptography is asked to parse (the ~90 ms step), by digest
    (a failing assertion must not print even a throwaway private key)."""
    calls: list[str] = []
    real = serialization.load_pem_private_key

    def counting(data: bytes, *args: Any, **kwargs: Any) -> Any:
        calls.append(hashlib.sha256(data).hexdigest()[:12])
        return real(data, *args, **kwargs)

    monkeypatch.setattr(serialization, "load_pem_private_key", counting)  # what _pem calls
    return calls


def test_a_second_mint_with_the_same_pem_does_not_parse_it_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fresh = generate_key_pair()  # never minted with before, so not cached yet
    calls = _count_pem_parses(monkeypatch)
    pem = fresh.private_pem.get_secret_value()
    first = mint_jwt(APP_ID, pem, now=1_700_000_000, jti="one")
    assert len(calls) == 1
    # The same key as text again, as a SecretStr, with CRLF line ends, and from a file.
    key_file = tmp_path / "app.key"
    key_file.write_text(pem)
    again = [
        mint_jwt(APP_ID, pem, now=1_700_000_000, jti="one"),
        mint_jwt(APP_ID, fresh.private_pem, now=1_700_000_000, jti="one"),
        mint_jwt(APP_ID, pem.replace("\n", "\r\n"), now=1_700_000_000, jti="one"),
        mint_jwt(APP_ID, key_file, now=1_700_000_000, jti="one"),
    ]
    assert len(calls) == 1  # parsed once in all
    assert again == [first] * 4  # RS256 (PKCS#1 v1.5) is deterministic: same key, same token
    assert decode_jwt(first, fresh.public_pem, now=1_700_000_001)["jti"] == "one"


def test_different_keys_give_different_signatures_through_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, two = generate_key_pair(), generate_key_pair()
    calls = _count_pem_parses(monkeypatch)
    claims: dict[str, Any] = {"now": 1_700_000_000, "jti": "same-claims"}
    tokens = {}
    for _ in range(2):  # the second round is served from the cache
        for name, pair in (("one", one), ("two", two)):
            tokens[name] = mint_jwt(APP_ID, pair.private_pem.get_secret_value(), **claims)
    assert len(calls) == 2  # each key parsed once
    assert tokens["one"] != tokens["two"]
    assert tokens["one"].split(".")[:2] == tokens["two"].split(".")[:2]  # same header, claims
    assert decode_jwt(tokens["one"], one.public_pem, now=1_700_000_001)["jti"] == "same-claims"
    assert decode_jwt(tokens["two"], two.public_pem, now=1_700_000_001)["jti"] == "same-claims"
    with pytest.raises(ValidationError) as caught:
        decode_jwt(tokens["one"], two.public_pem, now=1_700_000_001)
    assert caught.value.errors[0].path == "signature"


def test_the_cache_keeps_digests_not_pem_text_and_forgets_the_oldest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = _pem._ParsedKeyCache(2)
    monkeypatch.setattr(_pem, "_PARSED_PRIVATE_KEYS", cache)
    pairs = [generate_key_pair() for _ in range(3)]
    calls = _count_pem_parses(monkeypatch)
    for pair in pairs:
        mint_jwt(APP_ID, pair)
    assert len(cache) == 2  # bounded: the first key was dropped
    for digest in cache._keys:
        assert isinstance(digest, bytes)
        assert len(digest) == 32  # a SHA-256 digest only, never the PEM text
    mint_jwt(APP_ID, pairs[2])
    assert len(calls) == 3  # most recent: still cached
    mint_jwt(APP_ID, pairs[0])
    assert len(calls) == 4  # least recent: parsed again


def test_a_bad_key_is_explained_again_on_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    truncated = generate_key_pair().private_pem.get_secret_value()[:-60]
    for _ in range(2):  # errors are never cached: each call explains the problem
        with pytest.raises(KeyHandlingError, match="truncated"):
            mint_jwt(APP_ID, truncated)


def test_the_cache_is_safe_from_many_threads() -> None:
    pair = generate_key_pair()
    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = list(pool.map(lambda i: mint_jwt(APP_ID, pair, jti=f"t{i}"), range(32)))
    for i, token in enumerate(tokens):
        assert decode_jwt(token, pair.public_pem)["jti"] == f"t{i}"
