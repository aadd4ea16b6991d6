"""Bounded fuzzing of the sandbox's Voice API: any header or body gets a 4xx (or a success),
never a 5xx; bad tokens always get the gateway's 401 body."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.json_strategies import json_values
from tests.sandbox_helpers import key_pair
from tests.voice_helpers import CALLER, PHONE, bearer, voice_application
from vonage_widgets.keys import mint_jwt
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.voice_api import UNAUTHORIZED_BODY

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    with Sandbox() as sandbox:
        app = voice_application(sandbox, key_pair())
        with httpx.Client(base_url=sandbox.url, timeout=60) as http:
            yield {"sandbox": sandbox, "app": app["id"], "http": http}


_SEGMENT = st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="))
_HEADERS = st.one_of(
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=80).map(
        lambda t: t or "x"
    ),
    st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=60).map(
        lambda t: "Bearer " + t
    ),
    st.tuples(_SEGMENT, _SEGMENT, _SEGMENT).map(lambda p: "Bearer " + ".".join(p)),
    st.dictionaries(st.text(max_size=8), json_values, max_size=4).map(
        lambda claims: (
            "Bearer "
            + ".".join(
                base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")
                for part in ({"alg": "RS256", "typ": "JWT"}, claims)
            )
            + ".c2ln"
        )
    ),
)


@BOUNDED
@given(header=_HEADERS, path=st.sampled_from(["/v1/calls", "/v1/calls/abc"]))
def test_any_authorization_header_is_a_clean_401(
    world: dict[str, Any], header: str, path: str
) -> None:
    header = header.strip() or "x"  # HTTP forbids leading/trailing spaces in a header value
    response = world["http"].get(path, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED_BODY


_BODIES = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"to": st.just([PHONE]), "from": st.just(CALLER)},
        optional={
            "ncco": json_values,
            "answer_url": json_values,
            "event_url": json_values,
            "machine_detection": json_values,
            "length_timer": json_values,
            "advanced_machine_detection": json_values,
        },
    ),
)


@BOUNDED
@given(body=_BODIES, method=st.sampled_from(["POST", "PUT"]))
def test_any_body_is_never_a_server_error(world: dict[str, Any], body: Any, method: str) -> None:
    token = mint_jwt(world["app"], key_pair().private_pem)
    path = "/v1/calls" if method == "POST" else "/v1/calls/00000000-0000-4000-8000-000000000000"
    response = world["http"].request(method, path, json=body, headers=bearer(token))
    assert response.status_code < 500, response.text
    if response.status_code == 400:
        assert response.json()["invalid_parameters"]
