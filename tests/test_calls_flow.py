"""Simulated calls end to end: answer requests, the NCCO actions and the events they send."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.calls_helpers import NUMBER, TALK, ScriptedServer, link_app, voice_app
from vonage_widgets.errors import WebhookSignatureError
from vonage_widgets.keys import payload_hash, verify_signed_webhook
from vonage_widgets.models import forward_to_phone, ivr_menu
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.voice.trace import CallTrace
from vonage_widgets.webhooks import WebhookServer

DESTINATION = "447700900001"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=11) as running:
        yield running


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


def _served(sandbox: Sandbox, hooks: ScriptedServer, ncco: list[Any], **voice: Any) -> str:
    hooks.script("/answer", ("ncco", ncco))
    return link_app(sandbox, voice_app(hooks.url("/answer"), hooks.url("/event"), **voice))


def _events(hooks: ScriptedServer) -> list[dict[str, Any]]:
    return [r.json for r in hooks.requests_to("/event")]


# -- the answer request ---------------------------------------------------------------------


def test_answer_get_carries_the_documented_parameters_in_order(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    _served(sandbox, hooks, TALK, region="na-west")
    trace = sandbox.simulate_call(NUMBER, "447700900555")
    request = hooks.requests_to("/answer")[0]
    assert request.method == "GET"
    assert [k for k, _ in request.query] == [
        "to",
        "from",
        "uuid",
        "conversation_uuid",
        "endpoint_type",
        "region_url",
    ]
    query = dict(request.query)
    assert query["to"] == NUMBER
    assert query["from"] == "447700900555"
    assert query["uuid"] == trace.uuid
    assert query["conversation_uuid"] == trace.conversation_uuid
    assert query["conversation_uuid"].startswith("CON-")
    assert query["endpoint_type"] == "phone"
    assert query["region_url"] == "https://api-us-4.vonage.com"


def test_answer_post_sends_a_json_body(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, TALK, answer_method="POST")
    sandbox.simulate_call(NUMBER)
    request = hooks.requests_to("/answer")[0]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.json["endpoint_type"] == "phone"
    assert request.json["region_url"] == "https://api-eu-3.vonage.com"
    assert request.query == []


# -- the forward call -----------------------------------------------------------------------


def test_forwarded_call_event_sequence(sandbox: Sandbox) -> None:
    ncco = forward_to_phone(DESTINATION, NUMBER)
    with WebhookServer(ncco) as server:
        body = voice_app(server.answer_url, server.event_url, server.fallback_url)
        app_id = link_app(sandbox, body)
        trace = sandbox.simulate_call(NUMBER, hold_seconds=12)
        received = server.events
    assert trace.outcome == "completed"
    assert trace.application_id == app_id
    assert trace.statuses("caller") == ["started", "ringing", "answered", "completed"]
    assert trace.statuses("callee") == ["started", "ringing", "answered", "completed"]
    assert list(received["status"]) == [
        "started",
        "ringing",
        "answered",
        "started",
        "ringing",
        "answered",
        "completed",
        "completed",
    ]
    callee = received[received["to"] == DESTINATION]
    assert set(callee["direction"]) == {"outbound"}
    assert set(callee["from"]) == {NUMBER}
    caller_done = trace.posted_events[-1].payload
    callee_done = trace.posted_events[-2].payload
    assert callee_done["duration"] == "12"
    assert caller_done["disconnected_by"] == "platform"
    assert int(caller_done["duration"]) == round(trace.duration)
    assert callee_done["uuid"] != caller_done["uuid"]
    assert callee_done["conversation_uuid"] == caller_done["conversation_uuid"]
    stamps = [e.payload["timestamp"] for e in trace.posted_events]
    assert stamps == sorted(stamps)


def test_connect_unanswered_sends_timeout_events_and_carries_on(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    ncco = [
        {
            "action": "connect",
            "timeout": 20,
            "endpoint": [{"type": "phone", "number": DESTINATION}],
        },
        {"action": "talk", "text": "Nobody answered"},
    ]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, answer_callee=False)
    assert trace.statuses("callee") == ["started", "ringing", "timeout", "unanswered"]
    unanswered = next(e for e in _events(hooks) if e.get("status") == "unanswered")
    assert unanswered["detail"] == "timeout"
    assert any("Nobody answered" in s.detail for s in trace.steps)
    assert trace.duration == pytest.approx(20 + 1.1)


def test_synchronous_connect_event_can_replace_the_ncco(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    ncco = [
        {
            "action": "connect",
            "eventType": "synchronous",
            "eventUrl": [hooks.url("/connect-events")],
            "endpoint": [{"type": "phone", "number": DESTINATION}],
        },
        {"action": "talk", "text": "never spoken"},
    ]
    voicemail = [{"action": "talk", "text": "Leave a message"}]
    hooks.script(
        "/connect-events",
        ("status", 204),  # started
        ("status", 204),  # ringing
        ("status", 204),  # timeout
        ("ncco", voicemail),  # unanswered
    )
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, answer_callee=False)
    spoken = " ".join(s.detail for s in trace.steps if s.name == "talk")
    assert "Leave a message" in spoken
    assert "never spoken" not in spoken
    assert hooks.hits["/connect-events"] == 4
    assert [s.name for s in trace.steps if s.kind == "ncco"] == ["ncco", "ncco replaced"]


# -- input, notify, record ------------------------------------------------------------------


def test_ivr_dtmf_posts_the_digits_and_runs_the_reply(sandbox: Sandbox) -> None:
    choices = {"1": "sales", "2": "support"}

    def on_event(event: dict[str, Any]) -> list[dict[str, Any]] | None:
        digits = (event.get("dtmf") or {}).get("digits")
        if digits is None:
            return None
        return [{"action": "talk", "text": f"Connecting you to {choices.get(digits, 'nobody')}"}]

    with WebhookServer(on_event=on_event) as server:
        server.ncco = ivr_menu("Welcome.", choices, server.event_url)
        link_app(sandbox, voice_app(server.answer_url, server.event_url))
        trace = sandbox.simulate_call(NUMBER, dtmf="2")
    assert trace.outcome == "completed"
    talks = [s.detail for s in trace.steps if s.name == "talk"]
    assert "bargeIn" in talks[0]
    assert "Connecting you to support" in talks[1]
    (input_event,) = [e for e in trace.posted_events if e.event == "input"]
    assert input_event.payload["dtmf"] == {"digits": "2", "timed_out": False}
    assert input_event.payload["uuid"] == trace.uuid
    assert input_event.response_status == 200


def test_dtmf_stops_at_max_digits_or_hash_and_times_out_otherwise(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    ncco = [
        {"action": "input", "type": ["dtmf"], "dtmf": {"maxDigits": 2}},
        {"action": "input", "type": ["dtmf"], "dtmf": {"submitOnHash": True}},
        {"action": "input", "type": ["dtmf"], "dtmf": {"timeOut": 5}},
        {"action": "input", "type": ["dtmf"]},
    ]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, dtmf=["123", "45#6", "7"])
    results = [e.payload["dtmf"] for e in trace.posted_events if e.event == "input"]
    assert results == [
        {"digits": "12", "timed_out": False},
        {"digits": "45", "timed_out": False},
        {"digits": "7", "timed_out": True},
        {"digits": "", "timed_out": True},
    ]
    # 1 s + 1 s + (0.5 s + 5 s) + 3 s of simulated input time
    assert trace.duration == pytest.approx(10.5)


def test_speech_input_is_recognised(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    ncco = [{"action": "input", "type": ["speech"], "speech": {"saveAudio": True}}]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, speech="sales please")
    (event,) = [e.payload for e in trace.posted_events if e.event == "input"]
    assert event["speech"]["results"] == [{"confidence": "0.95", "text": "sales please"}]
    assert event["speech"]["timeout_reason"] == "end_on_silence_timeout"
    assert event["speech"]["recording_url"].startswith("https://api.nexmo.com/v1/files/")
    assert "dtmf" not in event


def test_notify_reply_replaces_the_rest(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    ncco = [
        {"action": "notify", "payload": {"step": "menu"}, "eventUrl": [hooks.url("/notify")]},
        {"action": "talk", "text": "original ending"},
    ]
    hooks.script("/notify", ("ncco", [{"action": "talk", "text": "new ending"}]))
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER)
    assert hooks.requests_to("/notify")[0].json == {"step": "menu"}
    talks = [s.detail for s in trace.steps if s.name == "talk"]
    assert len(talks) == 1
    assert "new ending" in talks[0]


def test_notify_without_an_ncco_reply_continues(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    ncco = [
        {"action": "notify", "payload": {"n": 1}, "eventUrl": [hooks.url("/notify")]},
        {"action": "talk", "text": "original ending"},
    ]
    hooks.script("/notify", ("json", {"ok": True}))
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER)
    assert any("original ending" in s.detail for s in trace.steps)
    assert any(s.name == "reply ignored" for s in trace.steps)


def test_record_events_carry_a_recording(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    ncco = [
        {"action": "record", "format": "wav"},  # runs until the call ends
        {"action": "record", "endOnSilence": 3, "eventUrl": [hooks.url("/rec")]},
        {"action": "wait", "timeout": 2},
    ]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER)
    blocking = hooks.requests_to("/rec")[0].json
    assert blocking["recording_url"] == (
        "https://api.nexmo.com/v1/files/" + blocking["recording_uuid"]
    )
    assert blocking["size"] == 8 * 4000  # 5 s of speech + 3 s of silence, mp3
    events = _events(hooks)
    assert events[-1]["status"] == "completed"
    whole = events[-2]  # the call-long recording is reported when the call ends
    assert whole["size"] == 10 * 16000
    assert whole["start_time"] < whole["end_time"]
    assert trace.duration == pytest.approx(10)


def test_stream_wait_transfer(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    ncco = [
        {"action": "stream", "streamUrl": ["https://example.com/a.mp3"], "loop": 2},
        {"action": "wait", "timeout": 0.01},
        {"action": "transfer", "conversationId": "CON-target"},
    ]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER)
    (transfer,) = [e.payload for e in trace.posted_events if e.event == "transfer"]
    assert transfer["conversation_uuid_to"] == "CON-target"
    assert transfer["conversation_uuid_from"] == trace.conversation_uuid
    assert trace.duration == pytest.approx(10.1)  # 2 x 5 s stream + wait clamped to 0.1 s
    assert trace.outcome == "completed"


def test_conversation_keeps_the_caller_until_they_hang_up(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    ncco = [
        {"action": "conversation", "name": "room"},
        {"action": "talk", "text": "after the conversation"},
    ]
    _served(sandbox, hooks, ncco)
    trace = sandbox.simulate_call(NUMBER, hold_seconds=42)
    assert trace.duration == 42
    assert not any("after the conversation" in s.detail for s in trace.steps)
    assert trace.posted_events[-1].payload["disconnected_by"] == "user"


# -- signed webhooks ------------------------------------------------------------------------


def test_signed_webhooks_verify_with_the_payload_hash(
    sandbox: Sandbox, hooks: ScriptedServer
) -> None:
    app_id = _served(sandbox, hooks, TALK)
    sandbox.simulate_call(NUMBER)
    for request in hooks.seen:
        token = request.headers["authorization"]
        payload: Any = request.body if request.method == "POST" else dict(request.query)
        claims = verify_signed_webhook(token, DEFAULT_SIGNATURE_SECRET, payload=payload)
        assert claims["application_id"] == app_id
        assert claims["api_key"] == sandbox.api_key
        assert claims["iss"] == "Vonage"
        assert claims["payload_hash"] == payload_hash(payload)
    answer = hooks.requests_to("/answer")[0]
    with pytest.raises(WebhookSignatureError):
        verify_signed_webhook(answer.headers["authorization"], "another-secret")
    tampered = {**dict(answer.query), "from": "1"}
    with pytest.raises(WebhookSignatureError):
        verify_signed_webhook(
            answer.headers["authorization"], DEFAULT_SIGNATURE_SECRET, payload=tampered
        )


def test_signed_callbacks_false_sends_no_signature(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, TALK, signed_callbacks=False)
    trace = sandbox.simulate_call(NUMBER)
    assert not trace.signed
    assert all("authorization" not in r.headers for r in hooks.seen)


def test_each_account_signs_with_its_own_secret(hooks: ScriptedServer) -> None:
    accounts = {"alice": "alice-secret", "bob": "bob-secret"}
    secrets = {"bob": "bobs-signature-secret"}
    with Sandbox(accounts=accounts, signature_secret=secrets) as sandbox:
        hooks.script("/answer", ("ncco", TALK))
        body = voice_app(hooks.url("/answer"), hooks.url("/event"))
        link_app(sandbox, body, account=("bob", "bob-secret"))
        sandbox.simulate_call(NUMBER, api_key="bob")
        assert sandbox.signature_secrets == {
            "alice": DEFAULT_SIGNATURE_SECRET,
            "bob": "bobs-signature-secret",
        }
        assert "bobs-signature-secret" not in repr(sandbox)
    answer = hooks.requests_to("/answer")[0]
    claims = verify_signed_webhook(answer.headers["authorization"], "bobs-signature-secret")
    assert claims["api_key"] == "bob"


def test_with_a_webhook_server_checking_signatures(sandbox: Sandbox) -> None:
    with WebhookServer(TALK, signature_secret=sandbox.signature_secret) as server:
        link_app(sandbox, voice_app(server.answer_url, server.event_url))
        trace = sandbox.simulate_call(NUMBER)
        signatures = set(server.requests["signature"])
    assert trace.outcome == "completed"
    assert signatures == {"verified"}


# -- the trace ------------------------------------------------------------------------------


def test_trace_views_and_round_trip(sandbox: Sandbox, hooks: ScriptedServer) -> None:
    _served(sandbox, hooks, TALK)
    trace = sandbox.simulate_call(NUMBER)
    frame = trace.dataframe
    assert list(frame.columns)[:6] == ["step", "at", "leg", "kind", "name", "detail"]
    assert list(frame["step"]) == list(range(1, len(trace.steps) + 1))
    webhooks = trace.webhooks
    assert set(webhooks["kind"]) == {"webhook"}
    assert (webhooks["latency_ms"] >= 0).all()
    assert list(trace.events["status"]) == ["started", "ringing", "answered", "completed"]
    timeline = trace.timeline()
    assert "ms" not in timeline  # latencies vary from run to run: never in the text views
    assert timeline.splitlines()[0].endswith("completed, 0.5 s")
    assert "outcome='completed'" in repr(trace)
    assert "completed" in trace._repr_html_()
    data = json.loads(json.dumps(trace.to_dict()))
    again = CallTrace.from_dict(data)
    assert again.timeline() == timeline
    assert again.events.equals(trace.events)
    assert DEFAULT_SIGNATURE_SECRET not in json.dumps(data)


def test_same_seed_same_call(hooks: ScriptedServer) -> None:
    timelines = []
    for _ in range(2):
        with Sandbox(seed=99) as sandbox:
            _served(sandbox, hooks, TALK)
            trace = sandbox.simulate_call(NUMBER)
            timelines.append(trace.timeline().replace(hooks.url(""), "URL"))
    assert timelines[0] == timelines[1]
