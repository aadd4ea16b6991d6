"""One events table: a simulated call's events and a webhook server's follow the same rule."""

from __future__ import annotations

from datetime import UTC, datetime

from vonage_widgets.tables.events import event_row, events_table, records_table
from vonage_widgets.voice.trace import EVENT_COLUMNS as CALL_EVENT_COLUMNS
from vonage_widgets.voice.trace import CallTrace, PostedEvent
from vonage_widgets.webhooks.records import EVENT_COLUMNS as SERVER_EVENT_COLUMNS
from vonage_widgets.webhooks.records import WebhookRecord, events_frame


def test_own_columns_first_then_payload_fields_in_order_of_first_appearance() -> None:
    rows = [
        event_row({"at": 1.0, "url": "https://a.test/e"}, {"status": "ringing", "x": {"y": 1}}),
        event_row({"at": 2.0, "url": "https://a.test/e"}, {"url": "mine", "z": {}}),
    ]
    frame = events_table(rows, ("at", "status"))
    assert list(frame.columns) == ["at", "status", "url", "x.y", "payload.url", "z"]
    assert frame["payload.url"].tolist()[1] == "mine"  # never hides the record's own url
    assert frame["z"].tolist()[1] == {}


def test_both_event_tables_are_built_by_the_one_rule() -> None:
    payload = {"status": "answered", "uuid": "u1", "dtmf": {"digits": "12"}}
    trace = CallTrace(
        from_="447700900001",
        to="447700900000",
        uuid="u1",
        conversation_uuid="c1",
        api_key="sandbox",
        application_id="a1",
        posted_events=[PostedEvent(0.5, "caller", "input", "https://a.test/e", payload, 200)],
    )
    record = WebhookRecord(
        time=datetime(2026, 1, 1, tzinfo=UTC),
        kind="event",
        method="POST",
        path="/event",
        query={},
        body=payload,
        signature="unsigned",
        response_status=200,
        payload=payload,
    )
    call, server = trace.events, events_frame([record])
    assert list(call.columns) == [*CALL_EVENT_COLUMNS, "dtmf.digits"]
    assert list(server.columns) == [*SERVER_EVENT_COLUMNS, "dtmf.digits"]
    assert call["dtmf.digits"].tolist() == server["dtmf.digits"].tolist() == ["12"]


def test_empty_tables_keep_their_columns() -> None:
    assert list(events_table([], ("a", "b")).columns) == ["a", "b"]
    assert list(records_table([{"a": 1, "c": 3}], ("a", "b")).columns) == ["a", "b"]
