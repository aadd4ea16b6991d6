"""The Messages webhook dispatcher: retry rule, bounded doubling backoff, order, waiting."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.calls_helpers import ScriptedServer
from vonage_widgets.messaging.delivery import (
    BACKOFF_SECONDS,
    MAX_ATTEMPTS,
    Job,
    WebhookDispatcher,
)


@pytest.fixture
def hooks() -> Iterator[ScriptedServer]:
    with ScriptedServer() as server:
        yield server


def test_backoff_doubles_and_is_bounded(hooks: ScriptedServer) -> None:
    waits: list[float] = []
    hooks.script("/s", ("status", 503))
    dispatcher = WebhookDispatcher(sleep=waits.append)
    try:
        dispatcher.submit("m1", [Job("status", "m1", "submitted", hooks.url("/s"), {"a": 1})])
        [delivery] = dispatcher.wait("m1")
    finally:
        dispatcher.close()
    assert len(delivery.attempts) == MAX_ATTEMPTS
    assert waits == list(BACKOFF_SECONDS)
    assert all(b == 2 * a for a, b in itertools.pairwise(BACKOFF_SECONDS))
    assert delivery.outcome == "failed: HTTP 503."


def test_jobs_of_a_message_are_posted_in_order_and_close_finishes_them(
    hooks: ScriptedServer,
) -> None:
    dispatcher = WebhookDispatcher(sleep=lambda _: None)
    jobs = [Job("status", "m", s, hooks.url("/o"), {"status": s}) for s in ("a", "b", "c")]
    dispatcher.submit("m", jobs)
    dispatcher.submit("n", [Job("status", "n", "x", None, {}, note="nowhere")])
    dispatcher.close()  # waits for the queue
    assert [s.json["status"] for s in hooks.requests_to("/o")] == ["a", "b", "c"]
    assert [d.outcome for d in dispatcher.wait("n", 0)] == ["not sent: nowhere"]
    with pytest.raises(RuntimeError, match="closed"):
        dispatcher.submit("z", [])


def test_deliver_now_records_under_its_key(hooks: ScriptedServer) -> None:
    dispatcher = WebhookDispatcher()
    try:
        delivery = dispatcher.deliver_now(Job("inbound", "k", "inbound", hooks.url("/i"), {}))
        assert delivery.ok
        assert delivery.signed is False
        assert dispatcher.wait("k", 0) == [delivery]
        assert not dispatcher.pending("k")
    finally:
        dispatcher.close()
