"""Bounded fuzzing beyond the schemathesis run of ``test_sandbox_contract.py``.

That run generates requests from the spec. These generate them from our own models and from
raw bytes, and compare the sandbox with an oracle:

- application bodies built from the models' fields, limits and enums (valid and broken):
  the sandbox accepts exactly what ``validate_application`` accepts, its 400 names the same
  fields with the same messages (form and API agree), what it stores reads back unchanged,
  and every response fits the current spec (``tests/oracles/specs/current/application.v2.json``);
- a state machine of create, get, update, delete and list against a model of the account;
- random ``Authorization`` headers, request bodies and list queries: never a 5xx;
- random answers to the client: only the package's errors come out.

Every run is bounded (``max_examples`` at most 50, no deadline, derandomized for CI).
"""

from __future__ import annotations

import base64
import copy
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from tests.conftest import load_json
from tests.reliability_helpers import http_client, key_pair, snapshot
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import ValidationError, VonageWidgetsError
from vonage_widgets.models import validate_application
from vonage_widgets.sandbox import Sandbox

PUBLIC_PEM = key_pair().public_pem
APPLICATIONS = "/v2/applications"
ITEM = "/v2/applications/{id}"
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def spec(oracles_dir: Path) -> dict[str, Any]:
    """The current Application API spec (the oracle for response shapes)."""
    loaded: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "application.v2.json")
    return loaded


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=17) as running:
        yield running


@pytest.fixture(scope="module")
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with http_client(sandbox.url, (sandbox.api_key, sandbox.api_secret)) as client:
        yield client


def _fits_spec(spec: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    """The status is documented for the operation and the body fits its schema."""
    responses = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (response.status_code, response.text[:300])
    if response.status_code == 204:
        return
    documented = responses[str(response.status_code)]
    if "$ref" in documented:
        node: Any = spec
        for part in documented["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        documented = node
    schema = documented["content"]["application/json"]["schema"]
    root = {**spec, "$ref": "#/x-under-test", "x-under-test": schema}
    jsonschema.Draft4Validator(root).validate(response.json())


# -- application bodies from the models ---------------------------------------------------------

_URLS = st.sampled_from(
    [
        "https://example.com/answer",
        "http://127.0.0.1:8000/webhooks/event",
        "https://xn--bcher-kva.example/hook?x=1#f",
        "ftp://example.com/a",
        "javascript:alert(1)",
        "/relative",
        "",
        "https://",
    ]
)
_METHODS = st.sampled_from(["GET", "POST", "PUT", "get"])
_TIMEOUTS = st.one_of(st.integers(-10, 12_000), st.sampled_from(["500", 500.5, True]))


def _webhook(with_timeouts: bool) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {"http_method": _METHODS}
    if with_timeouts:
        optional |= {"connect_timeout": _TIMEOUTS, "socket_timeout": _TIMEOUTS}
    return st.fixed_dictionaries({"address": _URLS}, optional=optional)


_VOICE = st.fixed_dictionaries(
    {},
    optional={
        "webhooks": st.fixed_dictionaries(
            {},
            optional={
                "answer_url": _webhook(True),
                "fallback_answer_url": _webhook(True),
                "event_url": _webhook(True),
            },
        ),
        "signed_callbacks": st.sampled_from([True, False, "true"]),
        "conversations_ttl": st.integers(-2, 9100),
        "leg_persistence_time": st.integers(-1, 40),
        "region": st.sampled_from(["eu-west", "na-east", "apac-australia", "mars", "EU-WEST"]),
    },
)
_MESSAGES = st.fixed_dictionaries(
    {},
    optional={
        "webhooks": st.fixed_dictionaries(
            {}, optional={"inbound_url": _webhook(False), "status_url": _webhook(False)}
        ),
        "version": st.sampled_from(["v1", "v0.1", "v2"]),
        "authenticate_inbound_media": st.booleans(),
    },
)
_UNKNOWN_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_CAPABILITIES = st.fixed_dictionaries(
    {},
    optional={
        "voice": _VOICE,
        "messages": _MESSAGES,
        "rtc": st.fixed_dictionaries(
            {}, optional={"webhooks": st.fixed_dictionaries({"event_url": _webhook(False)})}
        ),
        "verify": st.fixed_dictionaries(
            {}, optional={"webhooks": st.fixed_dictionaries({"status_url": _webhook(False)})}
        ),
        "vbc": st.just({}),
        "video": st.just(
            {"webhooks": {"archive_status": {"address": "https://e.example/v", "active": True}}}
        ),
        "future_product": st.dictionaries(
            st.text(min_size=1, max_size=6), _UNKNOWN_VALUES, max_size=3
        ),
    },
)
# Names the models accept: a visible character, no control or text-direction characters.
_VALID_NAMES = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=20,
).filter(lambda s: any(unicodedata.category(c)[0] not in "CZ" for c in s))
# Mostly valid names, so the rest of each body decides the verdict often enough.
_NAMES = st.one_of(
    _VALID_NAMES,
    _VALID_NAMES,
    _VALID_NAMES,
    st.text(min_size=1, max_size=30),
    st.sampled_from(["", "   ", "a" * 256, "📞 voice"]),
    st.integers(),
)
_KEYS = {"public_key": PUBLIC_PEM}
_ACCEPTED_EXAMPLES: list[dict[str, Any]] = [
    {"name": "plain", "keys": _KEYS},
    {"name": "📞 voice", "keys": _KEYS, "privacy": {"improve_ai": False}},
    {"name": "vbc", "keys": _KEYS, "capabilities": {"vbc": {}}},
    {"name": "future", "keys": _KEYS, "capabilities": {"future_product": {"a": [1, None]}}},
    {
        "name": "voice",
        "keys": _KEYS,
        "capabilities": {
            "voice": {"webhooks": {"answer_url": {"address": "https://example.com/answer"}}}
        },
    },
]


def _examples(bodies: list[dict[str, Any]]) -> Any:
    """Hypothesis ``@example`` for each body (stacked)."""

    def apply(test: Any) -> Any:
        for body in bodies:
            test = example(body=body)(test)
        return test

    return apply


BODIES = st.fixed_dictionaries(
    {"name": _NAMES, "keys": st.just({"public_key": PUBLIC_PEM})},
    optional={
        "capabilities": _CAPABILITIES,
        "privacy": st.fixed_dictionaries(
            {}, optional={"improve_ai": st.sampled_from([True, False, 1])}
        ),
        "x_extra_field": _UNKNOWN_VALUES,
    },
)


def _expected_document(body: dict[str, Any]) -> dict[str, Any]:
    """What a create should store: the model's request body plus the documented defaults."""
    document = validate_application(copy.deepcopy(body)).to_api()
    document.setdefault("capabilities", {})
    document.setdefault("privacy", {}).setdefault("improve_ai", True)
    return document


def test_sandbox_agrees_with_the_models_on_every_generated_body(
    http: httpx.Client, spec: dict[str, Any]
) -> None:
    seen = {"accepted": 0, "refused": 0}

    # Explicit examples make sure both verdicts are exercised whatever the generator draws.
    @BOUNDED
    @given(body=BODIES)
    @_examples(_ACCEPTED_EXAMPLES)
    def run(body: dict[str, Any]) -> None:
        try:
            validate_application(copy.deepcopy(body))
            model_errors = []
        except ValidationError as error:
            model_errors = error.errors
        response = http.post(APPLICATIONS, json=body)
        assert response.status_code < 500, response.text
        _fits_spec(spec, APPLICATIONS, "post", response)
        if model_errors:
            seen["refused"] += 1
            assert response.status_code == 400, (body, response.text)
            reasons = {(p["name"], p["reason"]) for p in response.json()["invalid_parameters"]}
            for error in model_errors:  # the same field, the same words as the form shows
                assert (error.path, error.message) in reasons, (error, reasons)
            return
        seen["accepted"] += 1
        assert response.status_code == 201, (body, response.text)
        app_id = response.json()["id"]
        fetched = http.get(f"{APPLICATIONS}/{app_id}")
        _fits_spec(spec, ITEM, "get", fetched)
        assert validate_application(fetched.json()).to_api() == _expected_document(body)
        assert http.delete(f"{APPLICATIONS}/{app_id}").status_code == 204

    run()
    # Both verdicts were exercised, or the comparison proved little.
    assert seen["accepted"] >= 5
    assert seen["refused"] >= 5


# -- a state machine against a model of the account ----------------------------------------------


class _AccountMachine(RuleBasedStateMachine):
    """Create, read, update, delete and list; the sandbox must match a dict of id -> name."""

    http: httpx.Client
    apps = Bundle("apps")

    def __init__(self) -> None:
        super().__init__()
        self.baseline = {app["id"] for app in snapshot(self.http)}
        self.model: dict[str, str] = {}

    @rule(target=apps, name=_VALID_NAMES)
    def create(self, name: str) -> str:
        response = self.http.post(
            APPLICATIONS, json={"name": name, "keys": {"public_key": PUBLIC_PEM}}
        )
        assert response.status_code == 201, response.text
        app_id: str = response.json()["id"]
        assert app_id not in self.model
        assert app_id not in self.baseline
        self.model[app_id] = name
        return app_id

    @rule(app_id=apps)
    def get(self, app_id: str) -> None:
        response = self.http.get(f"{APPLICATIONS}/{app_id}")
        if app_id in self.model:
            assert response.status_code == 200
            assert response.json()["name"] == self.model[app_id]
        else:
            assert response.status_code == 404

    @rule(app_id=apps, name=_VALID_NAMES)
    def update(self, app_id: str, name: str) -> None:
        response = self.http.put(f"{APPLICATIONS}/{app_id}", json={"name": name})
        if app_id in self.model:
            assert response.status_code == 200, response.text
            self.model[app_id] = name
            assert response.json()["keys"]["public_key"] == PUBLIC_PEM  # a PUT keeps the key
        else:
            assert response.status_code == 404

    @rule(app_id=apps)
    def delete(self, app_id: str) -> None:
        response = self.http.delete(f"{APPLICATIONS}/{app_id}")
        assert response.status_code == (204 if app_id in self.model else 404)
        self.model.pop(app_id, None)

    @rule(page_size=st.integers(1, 5))
    def list_pages(self, page_size: int) -> None:
        first = self.http.get(APPLICATIONS, params={"page_size": page_size}).json()
        assert first["total_items"] == len(self.baseline) + len(self.model)

    @invariant()
    def listing_matches_the_model(self) -> None:
        listed = {app["id"]: app["name"] for app in snapshot(self.http)}
        assert set(listed) == self.baseline | set(self.model)
        assert {i: listed[i] for i in self.model} == self.model


def test_create_read_update_delete_sequences_match_a_model(http: httpx.Client) -> None:
    _AccountMachine.http = http
    machine = _AccountMachine.TestCase
    machine.settings = settings(
        max_examples=10,
        stateful_step_count=15,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    machine().runTest()


# -- raw input: headers, bodies, queries ----------------------------------------------------------

_HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=60,
)
_AUTHORIZATIONS = st.one_of(
    _HEADER_TEXT,
    _HEADER_TEXT.map(lambda t: "Basic " + t),
    st.binary(max_size=40).map(lambda b: "Basic " + base64.b64encode(b).decode()),
    _HEADER_TEXT.map(lambda t: "Basic " + base64.b64encode(t.encode("latin-1")).decode()),
    st.text(max_size=20).map(
        lambda t: "Basic " + base64.b64encode(f"sandbox:{t}".encode()).decode()
    ),
)


def test_random_authorization_headers_never_get_in(sandbox: Sandbox) -> None:
    right = base64.b64encode(f"{sandbox.api_key}:{sandbox.api_secret}".encode()).decode()

    @BOUNDED
    @given(header=_AUTHORIZATIONS, route=st.sampled_from(["/v2/applications", "/account/numbers"]))
    def run(header: str, route: str) -> None:
        if right in header:
            return
        # h11 refuses to send a value with spaces at either end: send it trimmed, or none.
        headers = {"Authorization": header.strip().encode("latin-1")} if header.strip() else {}
        response = anonymous.get(route, headers=headers)
        assert response.status_code == 401, (header, response.status_code)

    with http_client(sandbox.url) as anonymous:
        run()


_JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers()
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_RAW_BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    _JSONISH.map(lambda v: httpx.Request("POST", "/", json=v).content),
    st.dictionaries(st.sampled_from(["name", "capabilities", "keys", "privacy"]), _JSONISH).map(
        lambda v: httpx.Request("POST", "/", json=v).content
    ),
)


def test_random_bodies_and_queries_never_get_a_server_error(
    http: httpx.Client, spec: dict[str, Any]
) -> None:
    before = len(snapshot(http))
    created: list[str] = []

    @BOUNDED
    @given(
        body=_RAW_BODIES,
        method=st.sampled_from(["POST", "PUT"]),
        query=st.dictionaries(st.sampled_from(["page", "page_size", "x"]), st.text(max_size=6)),
    )
    def run(body: bytes, method: str, query: dict[str, str]) -> None:
        path = APPLICATIONS if method == "POST" else f"{APPLICATIONS}/some-id"
        response = http.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code in (201, 400, 404), (body[:80], response.text[:300])
        if response.status_code == 201:
            created.append(response.json()["id"])
        listing = http.get(APPLICATIONS, params=query)
        assert listing.status_code in (200, 400), (query, listing.text[:300])
        _fits_spec(spec, APPLICATIONS, "get", listing)

    run()
    assert len(snapshot(http)) == before + len(created)  # only the 201s were stored


# -- the client facing random answers -------------------------------------------------------------


def test_random_answers_give_the_client_only_package_errors() -> None:
    @BOUNDED
    @given(
        status=st.sampled_from([200, 201, 204, 400, 401, 403, 404, 420, 500, 502]),
        body=st.one_of(
            _JSONISH.map(lambda v: httpx.Request("POST", "/", json=v).content),
            st.binary(max_size=100),
        ),
        call=st.sampled_from(["list", "get", "create", "update", "delete", "numbers", "link"]),
    )
    def run(status: int, body: bytes, call: str) -> None:
        def reply(_request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                status, content=body, headers={"Content-Type": "application/json"}
            )

        client = VonageClient("k", "s", transport=httpx.MockTransport(reply), max_retries=0)
        calls = {
            "list": lambda: client.applications.list(),
            "get": lambda: client.applications.get("x"),
            "create": lambda: client.applications.create({"name": "x"}),
            "update": lambda: client.applications.update("x", {"name": "x"}),
            "delete": lambda: client.applications.delete("x"),
            "numbers": lambda: client.numbers.list(),
            "link": lambda: client.numbers.link("442079460000", "a", country="GB"),
        }
        with client:
            try:
                calls[call]()
            except VonageWidgetsError:
                return

    run()
