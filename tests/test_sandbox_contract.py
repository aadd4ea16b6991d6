"""Sandbox responses against the official specs (the oracles in tests/oracles/specs/current).

Two checks: every kind of response validates against its operation's response schema
(jsonschema), and a bounded schemathesis run over the Application API operations finds no
5xx and no response that breaks the spec. Schemathesis's ``positive_data_acceptance`` check
is left out on purpose: the sandbox is stricter than the spec's schema where Vonage is
(webhook addresses must be URLs, a public key must be a real key, page_size at most 100).
``negative_data_rejection`` runs, except that a body whose only violations are ``null``
values is accepted by design (see :func:`_only_nulls_accepted`).
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import load_json
from tests.sandbox_helpers import client, sandbox, voice_app
from vonage_widgets.sandbox import Sandbox

__all__ = ["sandbox"]  # fixture used here

APPLICATIONS = "/v2/applications"
ITEM = "/v2/applications/{id}"


@pytest.fixture(scope="module")
def application_spec(oracles_dir: Path) -> dict[str, Any]:
    spec: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "application.v2.json")
    return spec


@pytest.fixture(scope="module")
def numbers_spec(oracles_dir: Path) -> dict[str, Any]:
    spec: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "numbers.json")
    return spec


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _response_schema(spec: dict[str, Any], path: str, method: str, status: int) -> Any:
    response = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:  # a shared response under components/responses
        response = _resolve(spec, response["$ref"])
    return response["content"]["application/json"]["schema"]


def _validate(spec: dict[str, Any], schema: Any, body: Any) -> None:
    """Validate ``body`` against ``schema``, resolving ``#/components/...`` in ``spec``."""
    root = {**spec, "$ref": "#/x-under-test", "x-under-test": schema}
    jsonschema.Draft4Validator(root).validate(body)


def check(spec: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    """The response's status is documented for the operation and its body fits the schema."""
    assert str(response.status_code) in spec["paths"][path][method]["responses"], response.text
    assert response.headers["content-type"].startswith("application/json")
    _validate(spec, _response_schema(spec, path, method, response.status_code), response.json())


RICH_CAPABILITIES: dict[str, Any] = {
    "voice": {
        "webhooks": {
            "answer_url": {
                "address": "https://example.com/answer",
                "http_method": "POST",
                "connect_timeout": 500,
                "socket_timeout": 3000,
            },
            "fallback_answer_url": {"address": "https://example.com/fallback"},
            "event_url": {"address": "https://example.com/event", "socket_timeout": 10000},
        },
        "signed_callbacks": True,
        "conversations_ttl": 9000,
        "leg_persistence_time": 31,
        "region": "apac-australia",
    },
    "rtc": {"webhooks": {"event_url": {"address": "https://example.com/rtc"}}},
    "messages": {
        "version": "v1",
        "webhooks": {"inbound_url": {"address": "https://example.com/in", "http_method": "POST"}},
        "authenticate_inbound_media": True,
    },
    "verify": {"webhooks": {"status_url": {"address": "https://example.com/verify"}}},
    "vbc": {},
    "network_apis": {"network_application_id": "n-1", "redirect_uri": "https://example.com/r"},
    "meetings": {
        "webhooks": {"room_changed": {"address": "https://e.com/m", "http_method": "POST"}}
    },
    "video": {
        "webhooks": {"archive_status": {"address": "https://e.com/v", "active": True}},
        "storage": {"cloud_storage": False},
    },
}


def test_every_response_kind_matches_the_application_spec(
    sandbox: Sandbox, application_spec: dict[str, Any]
) -> None:
    spec = application_spec
    body = {"name": "rich", "capabilities": RICH_CAPABILITIES, "privacy": {"improve_ai": False}}
    with client(sandbox) as http:
        check(spec, APPLICATIONS, "get", http.get(APPLICATIONS))  # empty account
        created = http.post(APPLICATIONS, json=body)
        assert created.status_code == 201
        check(spec, APPLICATIONS, "post", created)
        app_id = created.json()["id"]
        item = f"{APPLICATIONS}/{app_id}"
        check(spec, APPLICATIONS, "post", http.post(APPLICATIONS, json=voice_app()))
        check(spec, APPLICATIONS, "get", http.get(APPLICATIONS, params={"page_size": 1}))
        check(spec, ITEM, "get", http.get(item))
        check(spec, ITEM, "put", http.put(item, json={**body, "name": "renamed"}))
        errors = {
            ("post", 400): http.post(APPLICATIONS, json={"name": 1, "privacy": []}),
            ("get", 400): http.get(APPLICATIONS, params={"page_size": 0}),
            ("get", 406): http.get(APPLICATIONS, headers={"accept": "text/html"}),
            ("post", 415): http.post(APPLICATIONS, content=b"{}"),
            ("get", 405): http.request("PATCH", APPLICATIONS),
        }
        for (method, status), response in errors.items():
            assert response.status_code == status
            check(spec, APPLICATIONS, method, response)
        check(spec, ITEM, "get", http.get(f"{APPLICATIONS}/unknown"))  # 404
        check(spec, ITEM, "put", http.put(item, json={"name": ""}))  # 400
        check(spec, ITEM, "get", httpx.get(sandbox.url + item))  # 401
        deleted = http.delete(item)
        assert deleted.status_code == 204
        assert "204" in spec["paths"][ITEM]["delete"]["responses"]
        assert deleted.content == b""


def test_the_schema_check_itself_can_fail(application_spec: dict[str, Any]) -> None:
    schema = _response_schema(application_spec, APPLICATIONS, "get", 200)
    with pytest.raises(jsonschema.ValidationError):
        _validate(application_spec, schema, {"page": "1", "_embedded": {"applications": []}})
    item = _response_schema(application_spec, ITEM, "get", 200)
    with pytest.raises(jsonschema.ValidationError):
        _validate(application_spec, item, {"id": "x", "capabilities": {"voice": {"region": "x"}}})


def test_numbers_responses_match_the_numbers_spec(
    sandbox: Sandbox, numbers_spec: dict[str, Any]
) -> None:
    def validate(name: str, body: Any) -> None:
        schema = {"$ref": f"#/components/schemas/{name}"}
        jsonschema.Draft4Validator({**numbers_spec, **schema}).validate(body)

    with client(sandbox) as http:
        app_id = http.post(APPLICATIONS, json=voice_app()).json()["id"]
        form = {"country": "GB", "msisdn": "447700900000", "app_id": app_id}
        validate("response", http.post("/number/update", data=form).json())
        validate("inbound-numbers", http.get("/account/numbers").json())
        validate("inbound-numbers", http.get("/account/numbers", params={"index": 9}).json())
        validate("available-numbers", http.get("/number/search", params={"country": "US"}).json())
        validate("response420", http.post("/number/buy", data=form).json())
        validate("account-unauthorized", httpx.get(sandbox.url + "/account/numbers").json())
    with pytest.raises(jsonschema.ValidationError):
        validate("inbound-numbers", {"count": "8"})


# -- schemathesis ----------------------------------------------------------------------------

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
MAX_EXAMPLES = 50


@pytest.fixture(scope="module")
def fuzzed_sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=2024) as running:
        yield running


def _only_nulls_accepted(failure: BaseException) -> bool:
    """True for "schema-violating request accepted" when every violation is a ``null``.

    ``null`` on a known field reads as "absent" (the models' documented rule, and what a
    Jackson-based server like Vonage's does), so such a body is accepted on purpose and the
    null is never stored or echoed (the response checks still run on it).
    """
    if not isinstance(failure, AcceptedNegativeData):
        return False
    violations = [line for line in failure.message.splitlines() if "violates" in line]
    return bool(violations) and all("became null)" in line for line in violations)


def _fuzz(
    operation: Any,
    sandbox: Sandbox,
    mode: GenerationMode,
    failures: list[str],
    **fixed: Any,
) -> None:
    auth = "Basic " + base64.b64encode(f"{sandbox.api_key}:{sandbox.api_secret}".encode()).decode()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode, headers={"Authorization": auth}, **fixed)
    )
    def run(case: Any) -> None:
        response = case.call(base_url=sandbox.url, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseException as error:  # schemathesis raises an exception group
            if isinstance(error, KeyboardInterrupt):
                raise
            found = getattr(error, "exceptions", (error,))
            if not all(_only_nulls_accepted(failure) for failure in found):
                failures.append(f"{operation.label} ({mode.value}): {error}"[:3000])

    run()


def test_schemathesis_finds_no_server_error_and_no_spec_violation(
    fuzzed_sandbox: Sandbox, application_spec: dict[str, Any]
) -> None:
    schema = schemathesis.openapi.from_dict(copy.deepcopy(application_spec))
    schema = schema.include(path_regex=r"^/v2/applications")
    # Unknown query parameters are ignored (as most APIs do), not rejected; auth is fixed.
    schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    operations = {op.label: op for op in (r.ok() for r in schema.get_all_operations())}
    assert set(operations) == {
        "GET /v2/applications",
        "POST /v2/applications",
        "GET /v2/applications/{id}",
        "PUT /v2/applications/{id}",
        "DELETE /v2/applications/{id}",
    }
    failures: list[str] = []
    for label in ("GET /v2/applications", "POST /v2/applications", "PUT /v2/applications/{id}"):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operations[label], fuzzed_sandbox, mode, failures)
    for label in ("GET /v2/applications/{id}", "DELETE /v2/applications/{id}"):
        _fuzz(operations[label], fuzzed_sandbox, GenerationMode.POSITIVE, failures)
    # Then on a real application, so 200 bodies of get and update are fuzzed too.
    with client(fuzzed_sandbox) as http:
        created = http.post(APPLICATIONS, json={**voice_app(), "capabilities": RICH_CAPABILITIES})
        assert created.status_code == 201
        real = {"id": created.json()["id"]}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _fuzz(
            operations["PUT /v2/applications/{id}"],
            fuzzed_sandbox,
            mode,
            failures,
            path_parameters=real,
        )
    for label in ("GET /v2/applications/{id}", "DELETE /v2/applications/{id}"):
        positive = GenerationMode.POSITIVE
        _fuzz(operations[label], fuzzed_sandbox, positive, failures, path_parameters=real)
    assert failures == [], "\n\n".join(failures[:5])
