"""Faults: nothing acknowledged is lost, nothing is written twice, nothing unsafe is resent.

- The sandbox CLI is killed with SIGKILL in the middle of a burst of creates, then started
  again on the same database: every application it answered 201 for is there, once.
- 8 threads x 200 mixed operations against one sandbox: every write lands exactly once and
  every read sees the thread's own latest write (the expected state is tracked per thread).
- The client against a closed port, a server too slow to answer, 429 (with ``Retry-After``)
  and 503: GET, PUT and DELETE are retried (waits go through an injected ``sleep``), a POST
  is never sent twice, and every give-up is a clear package error.
- The webhook server is down during a simulated call: the fallback path runs.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability_helpers import (
    FaultServer,
    SandboxProcess,
    Step,
    closed_port,
    http_client,
    key_pair,
    snapshot,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    ConnectError,
    NotFoundError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
)
from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET, Sandbox
from vonage_widgets.webhooks import WebhookServer

AUTH = (DEFAULT_API_KEY, DEFAULT_API_SECRET)
PUBLIC_PEM = key_pair().public_pem
NUMBER = "442079460000"


def _app(name: str) -> dict[str, Any]:
    return {"name": name, "keys": {"public_key": PUBLIC_PEM}}


# -- crash in the middle of writes -------------------------------------------------------------


def _burst(url: str, worker: int, acknowledged: dict[str, str], stop: threading.Event) -> None:
    """Create applications until the server dies; remember each one answered 201."""
    with http_client(url, AUTH) as http:
        for n in range(10_000):  # bounded; the kill ends it long before
            if stop.is_set():
                return
            name = f"burst-{worker}-{n}"
            try:
                response = http.post("/v2/applications", json=_app(name))
            except httpx.HTTPError:
                return  # the server is gone
            if response.status_code == 201:
                acknowledged[response.json()["id"]] = name


ENOUGH_CREATES = 10


def test_sigkill_during_creates_loses_no_acknowledged_application(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    acknowledged: dict[str, str] = {}
    stop = threading.Event()
    with SandboxProcess(db) as first:
        workers = [
            threading.Thread(target=_burst, args=(first.url, w, acknowledged, stop), daemon=True)
            for w in range(4)
        ]
        for worker in workers:
            worker.start()
        # Kill once enough creates were acknowledged to prove something, not after a fixed
        # time: a loaded machine (CI running stages side by side) acknowledges fewer per second.
        deadline = time.monotonic() + 20.0
        while len(acknowledged) < ENOUGH_CREATES and time.monotonic() < deadline:
            time.sleep(0.05)
        first.kill()  # SIGKILL: no shutdown code runs
        stop.set()
        for worker in workers:
            worker.join(15)
        assert not any(w.is_alive() for w in workers)
    assert len(acknowledged) >= ENOUGH_CREATES, "too few creates before the kill to prove anything"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with SandboxProcess(db) as second, http_client(second.url, AUTH) as http:
        stored = snapshot(http)
        ids = [app["id"] for app in stored]
        assert len(ids) == len(set(ids)), "an id appears twice"
        by_id = {app["id"]: app["name"] for app in stored}
        missing = {i: n for i, n in acknowledged.items() if by_id.get(i) != n}
        assert missing == {}, f"{len(missing)} acknowledged creates are gone"
        # At most the requests in flight at the kill were stored without an answer.
        assert len(stored) - len(acknowledged) <= 4
        # And the restarted sandbox takes writes again, with a fresh id.
        created = http.post("/v2/applications", json=_app("after the crash"))
        assert created.status_code == 201
        assert created.json()["id"] not in by_id


# -- many threads, one sandbox -------------------------------------------------------------------

THREADS = 8
OPERATIONS = 200


class _Worker:
    """One thread's operations and what it expects its own applications to be."""

    def __init__(self, url: str, number: int, shared_id: str) -> None:
        self.url = url
        self.number = number
        self.shared_id = shared_id
        self.random = random.Random(number)
        self.expected: dict[str, str] = {}  # id -> name, the thread's own applications
        self.shared_names: list[str] = []  # names this thread wrote to the shared application
        self.problems: list[str] = []

    def run(self) -> None:
        with http_client(self.url, AUTH) as http:
            for step in range(OPERATIONS):
                try:
                    self._one(http, step)
                except Exception as error:  # recorded, then the test fails with all of them
                    self.problems.append(f"step {step}: {type(error).__name__}: {error}")

    def _check(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)

    def _one(self, http: httpx.Client, step: int) -> None:
        kind = self.random.choices(
            ["create", "get", "update", "delete", "list", "shared"], [3, 3, 2, 1, 1, 1]
        )[0]
        owned = sorted(self.expected)
        if kind in ("get", "update", "delete") and not owned:
            kind = "create"
        name = f"t{self.number}-s{step}"
        if kind == "create":
            response = http.post("/v2/applications", json=_app(name))
            self._check(response.status_code == 201, f"create: {response.status_code}")
            self.expected[response.json()["id"]] = name
        elif kind == "get":
            app_id = self.random.choice(owned)
            response = http.get(f"/v2/applications/{app_id}")
            got = response.json().get("name")
            self._check(got == self.expected[app_id], f"get {app_id}: {got}")
        elif kind == "update":
            app_id = self.random.choice(owned)
            response = http.put(f"/v2/applications/{app_id}", json=_app(name))
            self._check(response.status_code == 200, f"update: {response.status_code}")
            self.expected[app_id] = name
        elif kind == "delete":
            app_id = self.random.choice(owned)
            response = http.delete(f"/v2/applications/{app_id}")
            self._check(response.status_code == 204, f"delete: {response.status_code}")
            del self.expected[app_id]
            again = http.get(f"/v2/applications/{app_id}")
            self._check(again.status_code == 404, f"deleted {app_id} still answers")
        elif kind == "list":
            response = http.get("/v2/applications", params={"page_size": 100})
            items = response.json()["_embedded"]["applications"]
            ids = [item["id"] for item in items]
            self._check(len(ids) == len(set(ids)), "a page lists an id twice")
        else:
            response = http.put(f"/v2/applications/{self.shared_id}", json=_app(name))
            self._check(response.status_code == 200, f"shared: {response.status_code}")
            self.shared_names.append(name)


def test_concurrent_mixed_operations_lose_and_duplicate_nothing() -> None:
    with Sandbox(seed=5) as sandbox, http_client(sandbox.url, AUTH) as http:
        shared = http.post("/v2/applications", json=_app("shared")).json()["id"]
        workers = [_Worker(sandbox.url, n, shared) for n in range(THREADS)]
        threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(t.is_alive() for t in threads), "a worker hung"
        assert [p for w in workers for p in w.problems] == []

        stored = snapshot(http)
        ids = [app["id"] for app in stored]
        assert len(ids) == len(set(ids))
        expected = {app_id: name for w in workers for app_id, name in w.expected.items()}
        actual = {app["id"]: app["name"] for app in stored if app["id"] != shared}
        assert actual == expected
        last_writes = {w.shared_names[-1] for w in workers if w.shared_names}
        final = http.get(f"/v2/applications/{shared}").json()["name"]
        assert final in last_writes  # one thread's last write won, whole
        assert time.monotonic() - started < 90


# -- the client facing faults -------------------------------------------------------------------


class _Sleeps:
    """An injected ``sleep`` that records each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture(scope="module")
def faults() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def _client(url: str, sleeps: _Sleeps, **options: Any) -> VonageClient:
    return VonageClient(
        "key", "secret", api_host=url, rest_host=url, sleep=sleeps, max_retries=3, **options
    )


_IDEMPOTENT = {
    "GET": lambda c: c.applications.get("app-1"),
    "PUT": lambda c: c.applications.update("app-1", {"name": "x"}),
    "DELETE": lambda c: c.applications.delete("app-1"),
}
_APP_BODY = {"id": "app-1", "name": "x"}


def test_connection_refused_retries_reads_and_never_resends_a_post() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    sleeps = _Sleeps()
    with _client(url, sleeps) as client:
        with pytest.raises(ConnectError) as read:
            client.applications.list()
        assert len(sleeps.waits) == 3
        assert "gave up after 3 retries" in str(read.value)
        sleeps.waits.clear()
        with pytest.raises(ConnectError) as write:
            client.applications.create({"name": "x"})
    assert sleeps.waits == []
    assert "never resent" in str(write.value)
    assert write.value.method == "POST"


@pytest.mark.serial  # a timing bound: not beside the other timed tests under xdist
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_read_timeout_is_a_clear_error_and_a_post_is_sent_once(
    faults: FaultServer, method: str
) -> None:
    faults.script(Step(body=_APP_BODY, delay=1.0))
    sleeps = _Sleeps()
    started = time.monotonic()
    client = _client(faults.url, sleeps, timeout=0.2)
    call = _IDEMPOTENT["GET"] if method == "GET" else lambda c: c.applications.create({"name": "x"})
    with client, pytest.raises(RequestTimeout) as err:
        call(client)
    assert time.monotonic() - started < 2.5
    assert "timed out after 0.2 s (read timeout)" in str(err.value)
    if method == "POST":
        assert faults.hits["POST /v2/applications"] == 1
        assert "never resent" in str(err.value)


@pytest.mark.parametrize("method", list(_IDEMPOTENT))
@pytest.mark.parametrize("status", [429, 503])
def test_idempotent_calls_retry_after_429_and_503(
    faults: FaultServer, method: str, status: int
) -> None:
    busy = Step(status=status, body={"title": "busy"}, headers={"Retry-After": "7"})
    done = Step(status=204) if method == "DELETE" else Step(body=_APP_BODY)
    faults.script(busy, busy, done)
    sleeps = _Sleeps()
    with _client(faults.url, sleeps) as client:
        _IDEMPOTENT[method](client)
    assert faults.hits[f"{method} /v2/applications/app-1"] == 3
    assert sleeps.waits == [7.0, 7.0]  # the server's Retry-After, honoured


@pytest.mark.parametrize("status", [429, 503])
def test_a_post_is_never_resent_after_429_or_503(faults: FaultServer, status: int) -> None:
    faults.script(Step(status=status, body={"title": "busy"}, headers={"Retry-After": "2"}))
    sleeps = _Sleeps()
    error_type = RateLimitedError if status == 429 else ServerError
    with _client(faults.url, sleeps) as client, pytest.raises(error_type) as caught:
        client.applications.create({"name": "x"})
    assert faults.hits["POST /v2/applications"] == 1
    assert sleeps.waits == []
    assert "not retried" in str(caught.value)
    if status == 429:
        assert caught.value.retry_after == 2.0  # type: ignore[attr-defined]


def test_retries_give_up_with_the_count_and_cap_long_waits(faults: FaultServer) -> None:
    faults.script(
        Step(status=429, body={"title": "Rate Limit Hit"}, headers={"Retry-After": "3600"})
    )
    sleeps = _Sleeps()
    client = _client(faults.url, sleeps, max_retry_after=5.0)
    with client, pytest.raises(RateLimitedError) as caught:
        client.applications.get("app-1")
    assert faults.hits["GET /v2/applications/app-1"] == 4  # one try and three retries
    assert sleeps.waits == [5.0, 5.0, 5.0]  # an hour asked, capped at max_retry_after
    assert "gave up after 3 retries" in str(caught.value)
    assert caught.value.retry_after == 3600.0


@pytest.mark.parametrize(
    "header",
    ["http-date", "garbage", "-5", "nan", "1e400", "none"],
)
def test_odd_retry_after_values_give_bounded_waits(faults: FaultServer, header: str) -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=4), usegmt=True)
    values = {"http-date": soon, "garbage": "soon", "-5": "-5", "nan": "nan", "1e400": "1e400"}
    headers = {"Retry-After": values[header]} if header in values else {}
    faults.script(Step(status=503, body={}, headers=headers), Step(body=_APP_BODY))
    sleeps = _Sleeps()
    with _client(faults.url, sleeps, max_retry_after=10.0) as client:
        assert client.applications.get("app-1").id == "app-1"
    assert len(sleeps.waits) == 1
    assert 0.0 <= sleeps.waits[0] <= 10.0


def test_other_errors_are_not_retried(faults: FaultServer) -> None:
    faults.script(Step(status=404, body={"title": "Not Found", "detail": "no such app"}))
    sleeps = _Sleeps()
    with _client(faults.url, sleeps) as client, pytest.raises(NotFoundError):
        client.applications.get("app-1")
    assert faults.hits["GET /v2/applications/app-1"] == 1
    assert sleeps.waits == []


# -- the webhook server is down during a call ------------------------------------------------------

FALLBACK = [{"action": "talk", "text": "the fallback answered"}]
_FAST = {"connect_timeout": 300, "socket_timeout": 1000}


def _call_with_server_down(fallback: FaultServer | None) -> tuple[Any, WebhookServer]:
    server = WebhookServer([{"action": "talk", "text": "never heard"}]).start()
    hooks = {
        "answer_url": {"address": server.answer_url, "http_method": "GET", **_FAST},
        "event_url": {"address": server.event_url, "http_method": "POST", **_FAST},
    }
    if fallback is not None:
        hooks["fallback_answer_url"] = {"address": fallback.url + "/fallback", **_FAST}
    server.stop()  # down: connections are refused from now on
    body = {**_app("server down"), "capabilities": {"voice": {"webhooks": hooks}}}
    with Sandbox(seed=9) as sandbox, http_client(sandbox.url, AUTH) as http:
        app_id = http.post("/v2/applications", json=body).json()["id"]
        form = {"country": "GB", "msisdn": NUMBER, "app_id": app_id}
        assert http.post("/number/update", data=form).json()["error-code"] == "200"
        return sandbox.simulate_call(NUMBER, hold_seconds=1), server


def test_a_call_falls_back_when_the_webhook_server_is_down(faults: FaultServer) -> None:
    faults.script(Step(body=FALLBACK), path="/fallback")
    trace, server = _call_with_server_down(faults)
    assert faults.count("/fallback") == 1
    assert trace.outcome == "completed"
    spoken = [s.detail or "" for s in trace.steps if s.kind == "action" and s.name == "talk"]
    assert any("the fallback answered" in text for text in spoken)
    answer_errors = [s.error for s in trace.steps if s.kind == "webhook" and s.name == "answer"]
    assert answer_errors
    assert all("refused" in (e or "").lower() for e in answer_errors)
    assert server.records == []  # it really was down


def test_a_call_without_fallback_ends_cleanly_when_the_server_is_down() -> None:
    trace, _ = _call_with_server_down(None)
    assert trace.outcome.startswith("failed")
