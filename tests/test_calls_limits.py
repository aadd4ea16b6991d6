"""Bounded calls (runaway NCCOs stop with a clear outcome) and calls that cannot be placed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.calls_helpers import NUMBER, TALK, ScriptedServer, link_app, voice_app
from vonage_widgets.errors import BadRequestError, ValidationError, VonageWidgetsError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import CallLimits
from vonage_widgets.sandbox.calls_route import CALLS_PATH, simulate_call_remote


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=3) as running:
        yield running


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


def _served(sandbox: Sandbox, hooks: ScriptedServer, ncco: list[dict[str, Any]]) -> None:
    hooks.script("/answer", ("ncco", ncco))
    link_app(sandbox, voice_app(hooks.url("/answer"), hooks.url("/event")))


# -- limits ---------------------------------------------------------------------------------


def test_an_ncco_that_keeps_replacing_itself_is_stopped(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    loop = [{"action": "notify", "payload": {"again": True}, "eventUrl": [hooks.url("/loop")]}]
    hooks.script("/loop", ("ncco", loop))
    _served(sandbox, hooks, loop)
    started = time.monotonic()
    trace = sandbox.simulate_call(NUMBER, limits=CallLimits(max_replacements=5))
    assert time.monotonic() - started < 10
    assert trace.outcome == (
        "failed: more than 5 NCCO replacements (an NCCO that keeps replacing itself?)"
    )
    assert hooks.hits["/loop"] == 6
    assert trace.statuses()[-1] == "completed"  # the call is still closed properly
    assert trace.posted_events[-1].payload["disconnected_by"] == "platform"


def test_default_replacement_limit_applies(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    loop = [{"action": "notify", "payload": {}, "eventUrl": [hooks.url("/loop")]}]
    hooks.script("/loop", ("ncco", loop))
    _served(sandbox, hooks, loop)
    trace = sandbox.simulate_call(NUMBER)
    assert trace.outcome.startswith("failed: more than 20 NCCO replacements")
    assert hooks.hits["/loop"] == 21


def test_action_limit(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, [{"action": "wait", "timeout": 1}] * 10)
    trace = sandbox.simulate_call(NUMBER, limits=CallLimits(max_actions=4))
    assert trace.outcome == "failed: more than 4 NCCO actions were run"
    assert trace.duration == 4


def test_simulated_time_limit(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, [{"action": "wait", "timeout": 7200}])
    started = time.monotonic()
    trace = sandbox.simulate_call(NUMBER, limits=CallLimits(max_call_seconds=60))
    assert time.monotonic() - started < 5  # simulated: nothing really waited
    assert trace.outcome == "failed: the call reached the simulator's limit of 60 simulated seconds"
    assert trace.duration == 60


def test_real_time_limit(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    hooks.script("/slow", ("sleep", 0.3, ("status", 204)))
    ncco = [
        {"action": "notify", "payload": {}, "eventUrl": [hooks.url("/slow")]},
    ] * 20
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, limits=CallLimits(max_wall_seconds=0.5))
    assert trace.outcome.startswith("failed: the simulation ran longer than 0.5 real seconds")
    assert hooks.hits["/slow"] < 5


def test_endless_talk_ends_when_the_caller_hangs_up(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    _served(sandbox, hooks, [{"action": "talk", "text": "Hold music", "loop": 0}])
    trace = sandbox.simulate_call(NUMBER, hold_seconds=90)
    assert trace.outcome == "completed"
    assert trace.duration == 90
    assert trace.posted_events[-1].payload["disconnected_by"] == "user"


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CallLimits(max_actions=0, max_wall_seconds=-1)
    assert caught.value.paths == ["max_actions", "max_wall_seconds"]


# -- calls that cannot be placed ------------------------------------------------------------


def test_number_not_owned(sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        sandbox.simulate_call("447700900999")
    assert caught.value.paths == ["to"]
    assert "does not own 447700900999" in caught.value.errors[0].message


def test_number_not_linked(sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError, match="is not linked to an application"):
        sandbox.simulate_call(NUMBER)


def test_number_without_voice(sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError, match=r"features are SMS \(no VOICE\)"):
        sandbox.simulate_call("447700900001")


def test_application_without_voice(sandbox: Sandbox) -> None:
    body = voice_app("https://example.com/answer")
    body["capabilities"] = {"messages": {"version": "v1"}}
    link_app(sandbox, body)
    with pytest.raises(ValidationError, match="has no voice capability"):
        sandbox.simulate_call(NUMBER)


def test_bad_arguments_are_all_reported(sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        sandbox.simulate_call(
            "+44 not a number",
            "0",
            api_key="nobody",
            dtmf=["1", "x"],
            speech=[3],  # type: ignore[list-item]
            hold_seconds=-1,
        )
    assert caught.value.paths == ["api_key", "to", "from", "dtmf.1", "speech", "hold_seconds"]


def test_a_stopped_sandbox_cannot_take_calls() -> None:
    with pytest.raises(VonageWidgetsError, match="not running"):
        Sandbox().simulate_call(NUMBER)


# -- over HTTP ------------------------------------------------------------------------------


def test_http_route_places_the_call(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, [{"action": "input", "type": ["dtmf"]}])
    trace = simulate_call_remote(
        sandbox.url,
        NUMBER,
        "447700900555",
        api_key=sandbox.api_key,
        api_secret=sandbox.api_secret,
        dtmf=["42"],
        limits={"max_actions": 10},
    )
    assert trace.outcome == "completed"
    assert trace.from_ == "447700900555"
    (event,) = [e.payload for e in trace.posted_events if e.event == "input"]
    assert event["dtmf"] == {"digits": "42", "timed_out": True}
    assert hooks.hits["/answer"] == 1


def test_http_route_refuses_bad_credentials_and_bodies(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as client:
        assert client.post(CALLS_PATH, json={"to": NUMBER}).status_code == 401
        wrong = client.post(CALLS_PATH, json={"to": NUMBER}, auth=("sandbox", "nope"))
        assert wrong.status_code == 401
        auth = (sandbox.api_key, sandbox.api_secret)
        bad = client.post(CALLS_PATH, json={"color": "red", "limits": {"x": 1}}, auth=auth)
        assert bad.status_code == 400
        names = [p["name"] for p in bad.json()["invalid_parameters"]]
        assert names == ["color", "to", "limits"]
        not_json = client.post(CALLS_PATH, content=b"[1]", auth=auth)
        assert not_json.status_code == 400
        assert client.get(CALLS_PATH, auth=auth).status_code == 405
    with pytest.raises(BadRequestError) as caught:
        simulate_call_remote(
            sandbox.url, NUMBER, api_key=sandbox.api_key, api_secret=sandbox.api_secret
        )
    assert caught.value.status == 400
    assert "is not linked" in str(caught.value.invalid_parameters)


def test_http_route_over_tls() -> None:
    with Sandbox(tls=True) as sandbox, ScriptedServer() as hooks:
        _served(sandbox, hooks, TALK)
        trace = simulate_call_remote(
            sandbox.url,
            NUMBER,
            api_key=sandbox.api_key,
            api_secret=sandbox.api_secret,
            verify=str(sandbox.ca_file),
        )
    assert trace.outcome == "completed"
