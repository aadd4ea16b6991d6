"""The webhook server over real HTTP on 127.0.0.1: answers, events, errors, records."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tests.webhooks_helpers import ANSWER_BODY, ANSWER_QUERY, TALK_NCCO, event, serving
from vonage_widgets.errors import RequestTimeout, ValidationError, VonageWidgetsError
from vonage_widgets.models.ncco import Ncco, Talk
from vonage_widgets.webhooks import (
    DEFAULT_NCCO,
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    AnswerRequest,
    WebhookServer,
)

# The second action breaks the "eventUrl is always an array" rule [api-notes §5.1].
INVALID_NCCO: list[dict[str, Any]] = [
    {"action": "talk", "text": "Enter your PIN"},
    {"action": "input", "type": ["dtmf"], "eventUrl": "https://example.com/ivr"},
]


# ------------------------------------------------------------------ answering


def test_fixed_ncco_is_served_for_get_and_post_answers() -> None:
    with serving(WebhookServer(TALK_NCCO)) as http:
        got = http.get("/webhooks/answer", params=ANSWER_QUERY)
        posted = http.post("/webhooks/answer", json=ANSWER_BODY)

    for response in (got, posted):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == TALK_NCCO


def test_builders_and_action_models_are_served_as_plain_json() -> None:
    menu = Ncco().talk("Press 1").input(["dtmf"], eventUrl=["https://example.com/ivr"])
    expected = [
        {"action": "talk", "text": "Press 1"},
        {"action": "input", "type": ["dtmf"], "eventUrl": ["https://example.com/ivr"]},
    ]
    with serving(WebhookServer(menu)) as http:
        fixed = http.get("/webhooks/answer").json()
    with serving(WebhookServer(lambda call: [Talk(text="model"), {"action": "wait"}])) as http:
        mixed = http.get("/webhooks/answer").json()
    assert fixed == expected
    assert mixed == [{"action": "talk", "text": "model"}, {"action": "wait"}]


def test_no_ncco_serves_the_default_talk() -> None:
    with serving(WebhookServer()) as http:
        response = http.get("/webhooks/answer", params=ANSWER_QUERY)
    assert response.json() == DEFAULT_NCCO


def test_callable_ncco_receives_the_parsed_answer_request_from_get_and_post() -> None:
    seen: list[AnswerRequest] = []

    def answer(call: AnswerRequest) -> list[dict[str, Any]]:
        seen.append(call)
        return [{"action": "talk", "text": f"You called {call.to} from {call.from_}"}]

    with serving(WebhookServer(answer)) as http:
        got = http.get("/webhooks/answer", params=ANSWER_QUERY)
        posted = http.post("/webhooks/answer", json=ANSWER_BODY)

    assert got.json() == [{"action": "talk", "text": "You called 442079460000 from 447700900000"}]
    assert posted.status_code == 200
    from_get, from_post = seen
    assert from_get.uuid == ANSWER_QUERY["uuid"]
    assert from_get.region_url == "https://api-eu-3.vonage.com"
    assert from_get.raw == ANSWER_QUERY
    assert from_post.conversation_uuid == ANSWER_BODY["conversation_uuid"]
    assert from_post.endpoint_type == "phone"
    assert from_post.custom_data == {"customer": "42"}
    assert from_post.sip_headers == {"X-UserId": "1938ND9"}


def test_answer_request_decodes_json_custom_data_from_a_query_string() -> None:
    call = AnswerRequest.from_payload({"from_user": "JaneDoe", "custom_data": '{"k": "v"}'})
    assert call.custom_data == {"k": "v"}
    assert call.from_user == "JaneDoe"
    assert call.from_ is None
    assert AnswerRequest.from_payload({"custom_data": "plain"}).custom_data == "plain"


def test_invalid_ncco_from_the_callable_is_not_served() -> None:
    with serving(WebhookServer(lambda call: INVALID_NCCO)) as http:
        response = http.get("/webhooks/answer", params=ANSWER_QUERY)
    assert response.status_code == 500
    body = response.json()
    assert "1.eventUrl" in [p["name"] for p in body["invalid_parameters"]]
    assert body["title"] == "invalid NCCO"


def test_invalid_ncco_is_recorded_with_the_field_path() -> None:
    server = WebhookServer(lambda call: INVALID_NCCO)
    with serving(server) as http:
        http.get("/webhooks/answer", params=ANSWER_QUERY)
    (record,) = server.records
    assert record.kind == "answer"
    assert record.response_status == 500
    assert record.error is not None
    assert "1.eventUrl" in record.error


def test_validate_false_serves_the_ncco_as_returned() -> None:
    with serving(WebhookServer(lambda call: INVALID_NCCO, validate=False)) as http:
        response = http.get("/webhooks/answer", params=ANSWER_QUERY)
    assert response.status_code == 200
    assert response.json() == INVALID_NCCO


def test_an_invalid_fixed_ncco_is_refused_when_set() -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookServer(INVALID_NCCO)
    assert "1.eventUrl" in caught.value.paths


def test_exception_in_the_callable_answers_500_and_the_server_keeps_going() -> None:
    calls: list[str] = []

    def flaky(call: AnswerRequest) -> list[dict[str, Any]]:
        calls.append(call.uuid or "")
        if len(calls) == 1:
            raise KeyError("no route for this number")
        return TALK_NCCO

    server = WebhookServer(flaky)
    with serving(server) as http:
        first = http.get("/webhooks/answer", params=ANSWER_QUERY)
        second = http.get("/webhooks/answer", params=ANSWER_QUERY)

    assert first.status_code == 500
    assert "KeyError" in first.json()["detail"]
    assert second.status_code == 200
    assert second.json() == TALK_NCCO
    failed, served = server.records
    assert failed.response_status == 500
    assert failed.error is not None
    assert "KeyError" in failed.error
    assert "no route for this number" in failed.error
    assert served.response_status == 200
    assert served.error is None


def test_a_non_json_return_value_is_a_recorded_500() -> None:
    server = WebhookServer(lambda call: [{"action": "talk", "text": object()}])
    with serving(server) as http:
        response = http.get("/webhooks/answer")
    assert response.status_code == 500
    assert "TypeError" in (server.records[0].error or "")


def test_the_ncco_can_be_replaced_while_running() -> None:
    server = WebhookServer(TALK_NCCO)
    with serving(server) as http:
        server.ncco = [{"action": "talk", "text": "changed"}]
        response = http.get("/webhooks/answer")
    assert response.json() == [{"action": "talk", "text": "changed"}]


# ------------------------------------------------------------------ events and fallback


def test_events_are_recorded_and_flattened() -> None:
    server = WebhookServer(TALK_NCCO)
    with serving(server) as http:
        statuses = [
            http.post("/webhooks/event", json=event("started")).status_code,
            http.post(
                "/webhooks/event",
                json=event("input", dtmf={"digits": "1234", "timed_out": True}),
            ).status_code,
            http.get("/webhooks/event", params=event("completed", duration="2")).status_code,
        ]

    assert statuses == [204, 204, 204]
    frame = server.events
    assert list(frame.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert list(frame["status"]) == ["started", "input", "completed"]
    assert list(frame["uuid"]) == ["aaaaaaaa-bbbb-cccc-dddd-0123456789ab"] * 3
    assert frame.loc[1, "dtmf.digits"] == "1234"
    assert bool(frame.loc[1, "dtmf.timed_out"]) is True
    assert frame.loc[2, "duration"] == "2"
    assert list(frame["timestamp"].unique()) == ["2020-01-01T12:00:00.000Z"]


def test_machine_detection_events_fill_uuid_from_call_uuid() -> None:
    server = WebhookServer()
    body = {"call_uuid": "leg-1", "status": "human", "conversation_uuid": "CON-1"}
    with serving(server) as http:
        http.post("/webhooks/event", json=body)
    assert server.events.loc[0, "uuid"] == "leg-1"


def test_on_event_reply_ncco_is_returned() -> None:
    menu = [{"action": "talk", "text": "You pressed one"}]

    def on_event(payload: dict[str, Any]) -> list[dict[str, Any]] | None:
        if payload.get("dtmf", {}).get("digits") == "1":
            return menu
        return None

    server = WebhookServer(TALK_NCCO, on_event=on_event)
    with serving(server) as http:
        reply = http.post("/webhooks/event", json=event("input", dtmf={"digits": "1"}))
        nothing = http.post("/webhooks/event", json=event("answered"))

    assert reply.status_code == 200
    assert reply.json() == menu
    assert nothing.status_code == 204
    assert nothing.content == b""
    assert server.records[0].response == menu


def test_on_event_exception_and_invalid_reply_are_recorded_500s() -> None:
    def on_event(payload: dict[str, Any]) -> Any:
        if payload["status"] == "boom":
            raise RuntimeError("handler failed")
        return INVALID_NCCO

    server = WebhookServer(on_event=on_event)
    with serving(server) as http:
        raised = http.post("/webhooks/event", json=event("boom"))
        invalid = http.post("/webhooks/event", json=event("input"))
    assert raised.status_code == 500
    assert invalid.status_code == 500
    assert "RuntimeError: handler failed" in (server.records[0].error or "")
    assert "1.eventUrl" in (server.records[1].error or "")


def test_fallback_for_a_failed_answer_calls_the_ncco_function() -> None:
    seen: list[AnswerRequest] = []

    def answer(call: AnswerRequest) -> list[dict[str, Any]]:
        seen.append(call)
        return TALK_NCCO

    server = WebhookServer(answer)
    body = {
        **ANSWER_BODY,
        "reason": "Connection closed.",
        "original_request": {"url": "https://example.com/webhooks/answer", "type": "answer"},
    }
    with serving(server) as http:
        response = http.post("/webhooks/fallback", json=body)
    assert response.json() == TALK_NCCO
    assert seen[0].raw["reason"] == "Connection closed."
    assert server.records[0].kind == "fallback"


def test_fallback_for_a_failed_event_calls_on_event() -> None:
    menu = [{"action": "talk", "text": "fallback menu"}]
    server = WebhookServer(TALK_NCCO, on_event=lambda payload: menu)
    body = {**event("input"), "original_request": {"url": "x", "type": "event"}}
    with serving(server) as http:
        response = http.post("/webhooks/fallback", json=body)
    assert response.json() == menu


# ------------------------------------------------------------------ records


def test_every_request_is_recorded_including_unknown_paths() -> None:
    server = WebhookServer(TALK_NCCO)
    with serving(server) as http:
        http.get("/webhooks/answer", params=ANSWER_QUERY)
        http.post("/webhooks/event", json=event("completed"))
        missing = http.post("/somewhere/else?x=1", json={"a": 1})
        wrong_method = http.put("/webhooks/event", json={})
        not_json = http.post(
            "/webhooks/event", content=b"not json", headers={"content-type": "text/plain"}
        )

    assert missing.status_code == 404
    assert wrong_method.status_code == 405
    assert not_json.status_code == 400
    frame = server.requests
    assert list(frame.columns) == list(REQUEST_COLUMNS)
    assert list(frame["kind"]) == ["answer", "event", "unknown", "event", "event"]
    assert list(frame["method"]) == ["GET", "POST", "POST", "PUT", "POST"]
    assert list(frame["response_status"]) == [200, 204, 404, 405, 400]
    assert frame.loc[0, "query"] == ANSWER_QUERY
    assert frame.loc[1, "body"] == event("completed")
    assert frame.loc[2, "path"] == "/somewhere/else"
    assert frame.loc[2, "query"] == {"x": "1"}
    assert frame.loc[4, "body"] == "not json"
    assert set(frame["signature"]) == {"not checked"}
    assert frame.loc[0, "time"].tzinfo is not None


def test_empty_tables_keep_their_columns() -> None:
    server = WebhookServer()
    assert list(server.requests.columns) == list(REQUEST_COLUMNS)
    assert list(server.events.columns) == list(EVENT_COLUMNS)
    assert server.requests.empty
    assert server.events.empty


def test_clear_forgets_records() -> None:
    server = WebhookServer()
    with serving(server) as http:
        http.post("/webhooks/event", json=event("started"))
        server.clear()
        http.post("/webhooks/event", json=event("completed"))
    assert list(server.events["status"]) == ["completed"]


def test_wait_for_returns_an_event_that_arrives_later() -> None:
    server = WebhookServer()
    with serving(server) as http:

        def send_later() -> None:
            time.sleep(0.2)
            http.post("/webhooks/event", json=event("ringing"))
            http.post("/webhooks/event", json=event("completed", duration="3"))

        sender = threading.Thread(target=send_later)
        started = time.monotonic()
        sender.start()
        record = server.wait_for("event", status="completed", timeout=5.0)
        elapsed = time.monotonic() - started
        sender.join(5.0)

    assert record.payload["status"] == "completed"
    assert record.payload["duration"] == "3"
    assert 0.1 < elapsed < 5.0


def test_wait_for_matches_extra_fields_and_times_out_clearly() -> None:
    server = WebhookServer()
    with serving(server) as http:
        http.post("/webhooks/event", json=event("completed", uuid="other-leg"))
        started = time.monotonic()
        with pytest.raises(RequestTimeout) as caught:
            server.wait_for("event", status="completed", timeout=0.3, uuid="my-leg")
        elapsed = time.monotonic() - started
        found = server.wait_for("event", status="completed", timeout=0.3, uuid="other-leg")

    assert 0.25 < elapsed < 3.0
    assert "status='completed'" in str(caught.value)
    assert "uuid='my-leg'" in str(caught.value)
    assert "event completed" in str(caught.value)  # what did arrive
    assert found.payload["uuid"] == "other-leg"


# ------------------------------------------------------------------ configuration


def test_urls_follow_the_paths_and_public_url() -> None:
    server = WebhookServer(answer_path="/a", event_path="/e", fallback_path="/f")
    with server:
        assert server.answer_url == server.local_url + "/a"
        assert server.event_url.startswith("http://127.0.0.1:")
        assert server.fallback_url.endswith("/f")
    tunnelled = WebhookServer(public_url="https://abc.example.ngrok.app/")
    assert tunnelled.answer_url == "https://abc.example.ngrok.app/webhooks/answer"


def test_custom_paths_route_requests() -> None:
    server = WebhookServer(TALK_NCCO, answer_path="/voice/answer", event_path="/voice/event")
    with serving(server) as http:
        assert http.get("/voice/answer").json() == TALK_NCCO
        assert http.get("/webhooks/answer").status_code == 404


def test_duplicate_or_relative_paths_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookServer(answer_path="/same", event_path="/same", fallback_path="relative")
    assert set(caught.value.paths) == {"event_path", "fallback_path"}


def test_url_before_start_explains_what_to_do() -> None:
    with pytest.raises(VonageWidgetsError, match=r"\.start\(\)"):
        _ = WebhookServer().answer_url


def test_server_can_be_restarted_and_keeps_records() -> None:
    server = WebhookServer(TALK_NCCO)
    with serving(server) as http:
        http.get("/webhooks/answer")
    assert not server.running
    with serving(server) as http:
        assert http.get("/webhooks/answer").status_code == 200
    assert len(server.records) == 2
