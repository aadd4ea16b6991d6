"""The sandbox's Voice API authenticates like Vonage: RS256 application JWTs, checked with the
application's stored public key. Every bad token gets 401 and the gateway's body."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sandbox_helpers import ALICE, BOB, key_pair
from tests.voice_helpers import (
    CALLER,
    PHONE,
    TALK,
    bearer,
    claims,
    other_key_pair,
    token,
    voice_application,
)
from vonage_widgets.keys import JwtRefused, acl_allows, generate_key_pair, mint_jwt
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.voice_api import UNAUTHORIZED_BODY


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A sandbox serving ALICE only, over a database that also holds an app of BOB's,
    and ALICE's apps: a live one, a deleted one."""
    db = tmp_path_factory.mktemp("voice-auth") / "sandbox.sqlite3"
    with Sandbox(db=db, accounts=dict([ALICE, BOB])) as both:
        bobs = voice_application(both, key_pair(), account=BOB)
    with Sandbox(db=db, accounts=dict([ALICE])) as sandbox:
        app = voice_application(sandbox, key_pair(), account=ALICE)
        gone = voice_application(sandbox, key_pair(), account=ALICE)
        deleted = httpx.delete(f"{sandbox.url}/v2/applications/{gone['id']}", auth=ALICE)
        assert deleted.status_code == 204
        yield {"sandbox": sandbox, "app": app["id"], "gone": gone["id"], "bobs": bobs["id"]}


def _pem() -> str:
    return key_pair().private_pem


Header = Callable[[dict[str, Any]], dict[str, Any]]

BAD: dict[str, tuple[Header, str]] = {
    "no token": (lambda w: {}, "missing-token"),
    "basic credentials": (
        lambda w: {"Authorization": "Basic YWxpY2U6YWxpY2Utc2VjcmV0LTE="},
        "missing-token",
    ),
    "empty bearer": (lambda w: {"Authorization": "Bearer"}, "malformed"),
    "garbage": (lambda w: bearer("not-a-jwt"), "malformed"),
    "three dots of garbage": (lambda w: bearer("a.b.c"), "malformed"),
    "binary garbage": (
        lambda w: {"Authorization": "Bearer \xff\xfe.\xfd.x".encode("latin-1")},
        "malformed",
    ),
    "another key": (
        lambda w: bearer(token(claims(w["app"]), other_key_pair().private_pem)),
        "signature",
    ),
    "alg none": (lambda w: bearer(token(claims(w["app"]), alg="none")), "algorithm"),
    "HS256 keyed with the public key": (
        lambda w: bearer(
            token(claims(w["app"]), alg="HS256", secret=key_pair().public_pem.encode())
        ),
        "algorithm",
    ),
    "expired": (
        lambda w: bearer(
            token(claims(w["app"], iat=int(time.time()) - 1000, exp=int(time.time()) - 100), _pem())
        ),
        "expired",
    ),
    "expired by the 15-minute default (no exp)": (
        lambda w: bearer(token(claims(w["app"], iat=int(time.time()) - 1000, exp=None), _pem())),
        "expired",
    ),
    "not yet valid (nbf)": (
        lambda w: bearer(token(claims(w["app"], nbf=int(time.time()) + 600), _pem())),
        "not-yet-valid",
    ),
    "issued in the future": (
        lambda w: bearer(
            token(claims(w["app"], iat=int(time.time()) + 600, exp=int(time.time()) + 900), _pem())
        ),
        "not-yet-valid",
    ),
    "lifetime over 24 hours": (
        lambda w: bearer(token(claims(w["app"], exp=int(time.time()) + 90_000), _pem())),
        "lifetime",
    ),
    "no jti": (lambda w: bearer(token(claims(w["app"], jti=None), _pem())), "claims"),
    "no iat": (lambda w: bearer(token(claims(w["app"], iat=None), _pem())), "claims"),
    "no application_id": (
        lambda w: bearer(token(claims(w["app"], application_id=None), _pem())),
        "claims",
    ),
    "unknown application": (
        lambda w: bearer(token(claims("00000000-0000-4000-8000-000000000000"), _pem())),
        "unknown-application",
    ),
    "deleted application": (
        lambda w: bearer(token(claims(w["gone"]), _pem())),
        "unknown-application",
    ),
    "another account's application": (
        lambda w: bearer(token(claims(w["bobs"]), _pem())),
        "unknown-application",
    ),
    "acl without calls": (
        lambda w: bearer(token(claims(w["app"], acl={"paths": {"/*/users/**": {}}}), _pem())),
        "acl",
    ),
    "malformed acl": (
        lambda w: bearer(token(claims(w["app"], acl=["/*/calls/**"]), _pem())),
        "claims",
    ),
}

ROUTES = [
    ("GET", "/v1/calls", None),
    ("POST", "/v1/calls", {"to": [PHONE], "from": CALLER, "ncco": TALK}),
    ("GET", "/v1/calls/63f61863-4a51-4f6b-86e1-46edebcf9356", None),
    ("PUT", "/v1/calls/63f61863-4a51-4f6b-86e1-46edebcf9356", {"action": "hangup"}),
]


@pytest.mark.parametrize("case", list(BAD))
def test_bad_token_is_401_with_the_gateway_body(world: dict[str, Any], case: str) -> None:
    make, reason = BAD[case]
    sandbox: Sandbox = world["sandbox"]
    response = httpx.get(f"{sandbox.url}/v1/calls", headers=make(world), timeout=30)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-sandbox-auth-error"].startswith(reason + ":")
    assert "eyJ" not in response.headers["x-sandbox-auth-error"]  # never echoes the token


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("case", ["no token", "another key", "alg none", "expired"])
def test_every_route_refuses(
    world: dict[str, Any], method: str, path: str, body: Any, case: str
) -> None:
    make, reason = BAD[case]
    sandbox: Sandbox = world["sandbox"]
    response = httpx.request(method, sandbox.url + path, headers=make(world), json=body, timeout=30)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY
    assert response.headers["x-sandbox-auth-error"].startswith(reason + ":")


@pytest.mark.parametrize(
    "acl",
    [
        None,
        {"paths": {"/*/calls/**": {}}},
        {"paths": {"/v1/calls": {"methods": ["GET"]}}},
        {"paths": {"/**": {}}},
    ],
)
def test_valid_tokens_are_served(world: dict[str, Any], acl: dict[str, Any] | None) -> None:
    sandbox: Sandbox = world["sandbox"]
    jwt = mint_jwt(world["app"], key_pair().private_pem, acl=acl)
    response = httpx.get(f"{sandbox.url}/v1/calls", headers=bearer(jwt), timeout=30)
    assert response.status_code == 200, response.headers.get("x-sandbox-auth-error")
    assert response.json()["count"] >= 0


def test_acl_methods_narrow_a_path(world: dict[str, Any]) -> None:
    sandbox: Sandbox = world["sandbox"]
    jwt = mint_jwt(
        world["app"], key_pair().private_pem, acl={"paths": {"/v1/calls": {"methods": ["GET"]}}}
    )
    body = {"to": [PHONE], "from": CALLER, "ncco": TALK}
    response = httpx.post(f"{sandbox.url}/v1/calls", headers=bearer(jwt), json=body, timeout=30)
    assert response.status_code == 401
    assert response.headers["x-sandbox-auth-error"].startswith("acl:")


@pytest.mark.parametrize(
    ("pattern", "path", "allowed"),
    [
        ("/*/calls/**", "/v1/calls", True),
        ("/*/calls/**", "/v1/calls/abc", True),
        ("/*/calls/**", "/v1/calls/abc/talk", True),
        ("/*/users/**", "/v1/calls", False),
        ("/*/calls", "/v1/calls/abc", False),
        ("/v2/calls/**", "/v1/calls", False),
        ("/**", "/v1/calls/abc", True),
        ("/*/*", "/v1/calls", True),
    ],
)
def test_acl_path_matching(pattern: str, path: str, allowed: bool) -> None:
    assert acl_allows({"paths": {pattern: {}}}, path, "GET") is allowed


def test_malformed_acl_is_refused() -> None:
    with pytest.raises(JwtRefused) as caught:
        acl_allows({"paths": ["/*/calls/**"]}, "/v1/calls", "GET")
    assert caught.value.reason == "claims"


def test_rotating_the_key_makes_old_tokens_fail(tmp_path: Path) -> None:
    with Sandbox(db=tmp_path / "db.sqlite3") as sandbox:
        app = voice_application(sandbox, key_pair())
        old = mint_jwt(app["id"], key_pair().private_pem)
        url = f"{sandbox.url}/v1/calls"
        assert httpx.get(url, headers=bearer(old), timeout=30).status_code == 200
        new_pair = generate_key_pair()
        rotated = httpx.put(
            f"{sandbox.url}/v2/applications/{app['id']}",
            json={"name": app["name"], "keys": {"public_key": new_pair.public_pem}},
            auth=(sandbox.api_key, sandbox.api_secret),
            timeout=30,
        )
        assert rotated.status_code == 200, rotated.text
        refused = httpx.get(url, headers=bearer(old), timeout=30)
        assert refused.status_code == 401
        assert refused.headers["x-sandbox-auth-error"].startswith("signature:")
        fresh = mint_jwt(app["id"], new_pair.private_pem)
        assert httpx.get(url, headers=bearer(fresh), timeout=30).status_code == 200


def test_calls_of_another_account_are_not_found(tmp_path: Path) -> None:
    with Sandbox(db=tmp_path / "db.sqlite3", accounts=dict([ALICE, BOB])) as sandbox:
        alices = voice_application(sandbox, key_pair(), account=ALICE)
        bobs = voice_application(sandbox, other_key_pair(), account=BOB)
        alice = bearer(mint_jwt(alices["id"], key_pair().private_pem))
        bob = bearer(mint_jwt(bobs["id"], other_key_pair().private_pem))
        body = {"to": [PHONE], "from": CALLER, "ncco": TALK}
        created = httpx.post(f"{sandbox.url}/v1/calls", headers=alice, json=body, timeout=30)
        assert created.status_code == 201, created.text
        uuid = created.json()["uuid"]
        assert (
            httpx.get(f"{sandbox.url}/v1/calls/{uuid}", headers=alice, timeout=30).status_code
            == 200
        )
        assert (
            httpx.get(f"{sandbox.url}/v1/calls/{uuid}", headers=bob, timeout=30).status_code == 404
        )
        assert httpx.get(f"{sandbox.url}/v1/calls", headers=bob, timeout=30).json()["count"] == 0
