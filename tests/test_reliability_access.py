"""Access: no credentials, no access; one account never sees or touches another's data.

- Wrong credentials of every kind get 401 on every Application API and Numbers API route,
  in each API's own error shape, and change nothing.
- Two accounts on one sandbox: one cannot get, update, delete or list the other's
  applications, cannot link a number to the other's application, and its number changes
  never show in the other's account.
- The sandbox (in-process and from the CLI) and the webhook server listen on 127.0.0.1 only
  by default.
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability_helpers import (
    SandboxProcess,
    http_client,
    key_pair,
    listening_addresses,
    problem_fields,
    snapshot,
)
from vonage_widgets.errors import ValidationError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.webhooks import WebhookServer

ALICE = ("alice", "alice-Zq8vN2xK4mW7")
BOB = ("bob", "bob-Lp3sR9tQ1vX5")
NUMBER = "442079460000"
"""Every account starts owning this number (its own copy)."""
PUBLIC_PEM = key_pair().public_pem


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()


WRONG_CREDENTIALS: dict[str, dict[str, str]] = {
    "no header": {},
    "wrong secret": {"Authorization": _basic("alice:alice-wrong")},
    "unknown key": {"Authorization": _basic("mallory:alice-Zq8vN2xK4mW7")},
    "other account's secret": {"Authorization": _basic("alice:bob-Lp3sR9tQ1vX5")},
    "empty secret": {"Authorization": _basic("alice:")},
    "no colon": {"Authorization": _basic("alice")},
    "secret with trailing space": {"Authorization": _basic("alice:alice-Zq8vN2xK4mW7 ")},
    "key in other case": {"Authorization": _basic("ALICE:alice-Zq8vN2xK4mW7")},
    "bearer scheme": {"Authorization": "Bearer alice-Zq8vN2xK4mW7"},
    "not base64": {"Authorization": "Basic !!!notbase64!!!"},
    "not UTF-8": {"Authorization": "Basic " + base64.b64encode(b"alice:\xff\xfe").decode()},
    "empty": {"Authorization": ""},
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(accounts=dict([ALICE, BOB]), seed=3) as running:
        yield running


@pytest.fixture(scope="module")
def alice(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with http_client(sandbox.url, ALICE) as client:
        yield client


@pytest.fixture(scope="module")
def bob(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with http_client(sandbox.url, BOB) as client:
        yield client


@pytest.fixture(scope="module")
def alice_app(alice: httpx.Client) -> dict[str, Any]:
    created = alice.post(
        "/v2/applications", json={"name": "alice's app", "keys": {"public_key": PUBLIC_PEM}}
    )
    assert created.status_code == 201
    body: dict[str, Any] = created.json()
    linked = alice.post(
        "/number/update", data={"country": "GB", "msisdn": NUMBER, "app_id": body["id"]}
    )
    assert linked.json()["error-code"] == "200"
    return body


def _application_routes(app_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    body = {"name": "taken over", "keys": {"public_key": PUBLIC_PEM}}
    return [
        ("GET", "/v2/applications", None),
        ("POST", "/v2/applications", body),
        ("GET", f"/v2/applications/{app_id}", None),
        ("PUT", f"/v2/applications/{app_id}", body),
        ("DELETE", f"/v2/applications/{app_id}", None),
    ]


_NUMBERS_ROUTES: list[tuple[str, str, dict[str, str] | None]] = [
    ("GET", "/account/numbers", None),
    ("GET", "/number/search?country=GB", None),
    ("POST", "/number/update", {"country": "GB", "msisdn": NUMBER}),
    ("POST", "/number/buy", {"country": "GB", "msisdn": "442079460999"}),
    ("POST", "/number/cancel", {"country": "GB", "msisdn": NUMBER}),
]


@pytest.mark.parametrize("credentials", list(WRONG_CREDENTIALS))
def test_wrong_credentials_get_401_on_every_application_route(
    sandbox: Sandbox, alice: httpx.Client, alice_app: dict[str, Any], credentials: str
) -> None:
    before = snapshot(alice)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        for method, path, body in _application_routes(alice_app["id"]):
            response = anonymous.request(
                method, path, json=body, headers=WRONG_CREDENTIALS[credentials]
            )
            assert response.status_code == 401, (method, path, response.text)
            problem_fields(response)
            assert response.json()["type"].endswith("#unauthorized")
            assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert snapshot(alice) == before


@pytest.mark.parametrize("credentials", list(WRONG_CREDENTIALS))
def test_wrong_credentials_get_401_on_every_numbers_route(
    sandbox: Sandbox, alice: httpx.Client, alice_app: dict[str, Any], credentials: str
) -> None:
    before = alice.get("/account/numbers", params={"size": 100}).json()
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        for method, path, form in _NUMBERS_ROUTES:
            response = anonymous.request(
                method, path, data=form, headers=WRONG_CREDENTIALS[credentials]
            )
            assert response.status_code == 401, (method, path, response.text)
            assert response.json() == {
                "error-code": "401",
                "error-code-label": "authentication failed",
            }
    assert alice.get("/account/numbers", params={"size": 100}).json() == before


def test_wrong_query_credentials_get_401_on_the_numbers_api(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        for params in (
            {"api_key": "alice", "api_secret": "wrong"},
            {"api_key": "alice"},
            {"api_key": "mallory", "api_secret": ALICE[1]},
        ):
            response = anonymous.get("/account/numbers", params=params)
            assert response.status_code == 401


def test_query_credentials_do_not_open_the_application_api(sandbox: Sandbox) -> None:
    # The Application API takes HTTP Basic only [api-notes §1.1].
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        params = {"api_key": ALICE[0], "api_secret": ALICE[1]}
        assert anonymous.get("/v2/applications", params=params).status_code == 401


def test_another_account_cannot_read_change_or_delete_an_application(
    alice: httpx.Client, bob: httpx.Client, alice_app: dict[str, Any]
) -> None:
    path = f"/v2/applications/{alice_app['id']}"
    before = alice.get(path).json()
    attempts = [
        bob.get(path),
        bob.put(path, json={"name": "bob was here", "keys": {"public_key": PUBLIC_PEM}}),
        bob.delete(path),
    ]
    for response in attempts:
        assert response.status_code == 404, response.text  # not 403: existence is not revealed
        assert response.json()["detail"].endswith("does not exist, or you do not have access")
    assert alice.get(path).json() == before
    assert alice_app["id"] not in {app["id"] for app in snapshot(bob)}


def test_listings_show_only_the_account_s_own_applications(
    alice: httpx.Client, bob: httpx.Client, alice_app: dict[str, Any]
) -> None:
    bobs = bob.post(
        "/v2/applications", json={"name": "bob's app", "keys": {"public_key": PUBLIC_PEM}}
    )
    assert bobs.status_code == 201
    alice_ids = {app["id"] for app in snapshot(alice)}
    bob_ids = {app["id"] for app in snapshot(bob)}
    assert alice_app["id"] in alice_ids
    assert bobs.json()["id"] in bob_ids
    assert alice_ids.isdisjoint(bob_ids)


def test_a_number_cannot_be_linked_to_another_account_s_application(
    alice: httpx.Client, bob: httpx.Client, alice_app: dict[str, Any]
) -> None:
    form = {"country": "GB", "msisdn": NUMBER, "app_id": alice_app["id"]}
    response = bob.post("/number/update", data=form)
    assert response.status_code == 420
    assert "does not exist in this account" in response.json()["error-code-label"]
    mine = bob.get("/account/numbers", params={"pattern": NUMBER}).json()["numbers"][0]
    assert mine.get("app_id") != alice_app["id"]


def test_number_changes_stay_in_their_account(
    alice: httpx.Client, bob: httpx.Client, alice_app: dict[str, Any]
) -> None:
    alice_before = alice.get("/account/numbers", params={"size": 100}).json()
    # Bob unlinks his copy of the number and buys one: Alice's account does not change.
    assert bob.post("/number/update", data={"country": "GB", "msisdn": NUMBER}).status_code == 200
    found = bob.get("/number/search", params={"country": "GB", "size": 1}).json()
    bought = found["numbers"][0]["msisdn"]
    assert bob.post("/number/buy", data={"country": "GB", "msisdn": bought}).status_code == 200
    assert alice.get("/account/numbers", params={"size": 100}).json() == alice_before
    # And Alice cannot give up the number Bob bought.
    refused = alice.post("/number/cancel", data={"country": "GB", "msisdn": bought})
    assert refused.status_code == 420
    assert bought in {
        n["msisdn"] for n in bob.get("/account/numbers", params={"size": 100}).json()["numbers"]
    }
    linked = alice.get("/account/numbers", params={"application_id": alice_app["id"]}).json()
    assert [n["msisdn"] for n in linked["numbers"]] == [NUMBER]


def test_a_simulated_call_to_another_account_s_number_is_refused(
    sandbox: Sandbox, alice_app: dict[str, Any]
) -> None:
    # Bob's copy of the number is not linked to Alice's application, whatever Alice did.
    with pytest.raises(ValidationError, match="not linked to an application") as caught:
        sandbox.simulate_call(NUMBER, api_key=BOB[0])
    assert alice_app["id"] not in str(caught.value)


# -- where servers listen -------------------------------------------------------------------------


def test_the_sandbox_listens_on_loopback_only_by_default() -> None:
    with Sandbox() as running:
        port = int(running.url.rsplit(":", 1)[1])
        assert running.url.startswith("http://127.0.0.1:")
        assert listening_addresses(port) == {"127.0.0.1"}


def test_the_webhook_server_listens_on_loopback_only_by_default() -> None:
    with WebhookServer() as server:
        port = int(server.local_url.rsplit(":", 1)[1])
        assert server.local_url.startswith("http://127.0.0.1:")
        assert listening_addresses(port) == {"127.0.0.1"}


def test_the_sandbox_cli_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    with SandboxProcess(tmp_path / "cli.sqlite3") as process:
        assert process.url.startswith("http://127.0.0.1:")
        assert listening_addresses(process.port) == {"127.0.0.1"}


def test_the_listening_check_can_see_a_wildcard_bind() -> None:
    # The check above would catch a server bound to every interface.
    with socket.socket() as wildcard:
        wildcard.bind(("0.0.0.0", 0))
        wildcard.listen(1)
        assert listening_addresses(wildcard.getsockname()[1]) == {"0.0.0.0"}
