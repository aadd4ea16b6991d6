"""The retry and fallback rules of reference 3.4, one failure at a time, over real HTTP.

Each case counts the requests every URL received and checks how the call ended.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.calls_helpers import (
    NUMBER,
    TALK,
    ClosingServer,
    ScriptedServer,
    link_app,
    unconnectable_url,
    voice_app,
)
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.voice.trace import CallTrace

FALLBACK_NCCO = [{"action": "talk", "text": "Sorry, our main line is busy."}]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=7) as running:
        yield running


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


def _call(sandbox: Sandbox, hooks: ScriptedServer, *, fallback: bool = True) -> CallTrace:
    body = voice_app(
        hooks.url("/answer"),
        hooks.url("/event"),
        hooks.url("/fallback") if fallback else None,
    )
    link_app(sandbox, body)
    return sandbox.simulate_call(NUMBER)


def _spoken(trace: CallTrace) -> list[str]:
    return [s.detail for s in trace.steps if s.kind == "action" and s.name == "talk"]


@pytest.mark.parametrize("status", [429, 503, 504])
def test_retryable_status_gets_one_more_attempt(
    sandbox: Sandbox, hooks: ScriptedServer, status: int
) -> None:
    hooks.script("/answer", ("status", status), ("ncco", TALK))
    trace = _call(sandbox, hooks)
    assert hooks.hits["/answer"] == 2
    assert hooks.hits["/fallback"] == 0
    assert trace.outcome == "completed"
    assert [s.attempt for s in trace.attempts(hooks.url("/answer"))] == [1, 2]


@pytest.mark.parametrize("status", [401, 404, 500])
def test_other_status_is_not_retried_but_falls_back(
    sandbox: Sandbox, hooks: ScriptedServer, status: int
) -> None:
    hooks.script("/answer", ("status", status)).script("/fallback", ("ncco", FALLBACK_NCCO))
    trace = _call(sandbox, hooks)
    assert hooks.hits["/answer"] == 1
    assert hooks.hits["/fallback"] == 1
    assert trace.outcome == "completed"
    assert any("main line is busy" in text for text in _spoken(trace))
    request = hooks.requests_to("/fallback")[0]
    query = dict(request.query)
    assert query["reason"] == f"HTTP {status}."
    assert query["to"] == NUMBER
    assert query["original_request"] == ('{"url":"' + hooks.url("/answer") + '","type":"answer"}')


def test_retryable_twice_then_fallback(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("status", 503)).script("/fallback", ("ncco", FALLBACK_NCCO))
    trace = _call(sandbox, hooks)
    assert (hooks.hits["/answer"], hooks.hits["/fallback"]) == (2, 1)
    assert trace.outcome == "completed"


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (("text", "[{not json", "application/json"), "Invalid JSON"),
        (("text", '[{"action": "talk", "text": "Hi"}]', "text/html"), "Wrong content type"),
        (("ncco", [{"action": "talk"}]), "Invalid NCCO: 0.text: is required"),
        (("ncco", {"action": "talk", "text": "not in a list"}), "Invalid NCCO"),
        (("empty",), "Empty response"),
    ],
)
def test_bad_answer_bodies_are_not_retried(
    sandbox: Sandbox, hooks: ScriptedServer, behaviour: tuple[object, ...], reason: str
) -> None:
    hooks.script("/answer", behaviour).script("/fallback", ("ncco", FALLBACK_NCCO))
    trace = _call(sandbox, hooks)
    assert hooks.hits["/answer"] == 1
    assert hooks.hits["/fallback"] == 1
    assert dict(hooks.requests_to("/fallback")[0].query)["reason"].startswith(reason)
    assert trace.outcome == "completed"


def test_read_timeout_is_retried_then_falls_back(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("sleep", 1.3)).script("/fallback", ("ncco", FALLBACK_NCCO))
    trace = _call(sandbox, hooks)
    answer_steps = trace.attempts(hooks.url("/answer"))
    assert [s.error for s in answer_steps] == ["Read timed out after 1000 ms."] * 2
    assert hooks.hits["/fallback"] == 1
    assert trace.outcome == "completed"
    # the caller waited the two socket timeouts in simulated time
    assert trace.steps[-1].at >= 2.0


def test_connect_timeout_is_retried_then_falls_back(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/fallback", ("ncco", FALLBACK_NCCO))
    with unconnectable_url() as hanging:
        body = voice_app(hanging, hooks.url("/event"), hooks.url("/fallback"))
        link_app(sandbox, body)
        trace = sandbox.simulate_call(NUMBER)
    errors = [s.error for s in trace.attempts(hanging)]
    assert errors == ["Connection timed out after 300 ms."] * 2
    assert hooks.hits["/fallback"] == 1
    assert trace.outcome == "completed"


def test_closed_connection_is_retried_then_falls_back(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/fallback", ("ncco", FALLBACK_NCCO))
    with ClosingServer() as closing:
        link_app(sandbox, voice_app(closing.url, hooks.url("/event"), hooks.url("/fallback")))
        trace = sandbox.simulate_call(NUMBER)
        assert closing.accepted == 2
    assert [s.error for s in trace.attempts(closing.url)] == ["Connection closed."] * 2
    assert dict(hooks.requests_to("/fallback")[0].query)["reason"] == "Connection closed."
    assert trace.outcome == "completed"


def test_fallback_retried_once_then_the_call_ends(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    hooks.script("/answer", ("status", 504)).script("/fallback", ("status", 503))
    trace = _call(sandbox, hooks)
    assert (hooks.hits["/answer"], hooks.hits["/fallback"]) == (2, 2)
    assert trace.outcome.startswith("failed: no NCCO could be fetched: HTTP 504.")
    assert "Fallback: HTTP 503." in trace.outcome
    assert not trace.answered


def test_fallback_failing_ends_the_call_with_error_and_completed_events(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/answer", ("status", 500)).script("/fallback", ("ncco", [{"action": "x"}]))
    trace = _call(sandbox, hooks)
    assert (hooks.hits["/answer"], hooks.hits["/fallback"]) == (1, 1)
    events = [r.json for r in hooks.requests_to("/event")]
    assert [e.get("status") for e in events] == ["started", "ringing", None, "completed"]
    error = events[2]
    assert error["reason"].startswith("HTTP 500.")
    assert set(error) == {"reason", "conversation_uuid", "timestamp"}
    completed = events[3]
    assert completed["duration"] == "0"
    assert completed["disconnected_by"] == "platform"
    assert trace.outcome.startswith("failed:")
    assert "answered" not in trace.statuses()


def test_without_fallback_one_failure_ends_the_call(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/answer", ("status", 500))
    trace = _call(sandbox, hooks, fallback=False)
    assert hooks.hits["/answer"] == 1
    assert trace.outcome == "failed: no NCCO could be fetched: HTTP 500."
    assert trace.statuses() == ["started", "ringing", "completed"]


def _ivr(hooks: ScriptedServer) -> list[dict[str, object]]:
    return [
        {"action": "input", "type": ["dtmf"], "eventUrl": [hooks.url("/ivr")]},
        {"action": "talk", "text": "Still here"},
    ]


def test_event_expecting_an_ncco_falls_back_with_type_event(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/answer", ("ncco", _ivr(hooks)))
    hooks.script("/ivr", ("status", 500))
    hooks.script("/fallback", ("ncco", FALLBACK_NCCO))
    trace = _call(sandbox, hooks)
    assert hooks.hits["/ivr"] == 1
    fallback = hooks.requests_to("/fallback")[0]
    original = dict(fallback.query)["original_request"]
    assert original == '{"url":"' + hooks.url("/ivr") + '","type":"event"}'
    assert dict(fallback.query)["dtmf"] == '{"digits":"","timed_out":true}'
    spoken = _spoken(trace)
    assert any("main line is busy" in t for t in spoken)
    assert not any("Still here" in t for t in spoken)  # the fallback's NCCO replaced it


def test_event_and_fallback_failing_lets_the_call_carry_on(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/answer", ("ncco", _ivr(hooks)))
    hooks.script("/ivr", ("status", 503))
    hooks.script("/fallback", ("status", 500))
    trace = _call(sandbox, hooks)
    assert (hooks.hits["/ivr"], hooks.hits["/fallback"]) == (2, 1)
    assert any("Still here" in t for t in _spoken(trace))
    assert trace.outcome == "completed"


def test_plain_events_are_retried_but_never_fall_back(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    hooks.script("/answer", ("ncco", TALK)).script("/event", ("status", 503))
    trace = _call(sandbox, hooks)
    # started, ringing, answered, completed: two attempts each
    assert hooks.hits["/event"] == 8
    assert hooks.hits["/fallback"] == 0
    assert trace.outcome == "completed"
