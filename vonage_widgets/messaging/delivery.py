"""Posting Messages and RTC webhooks: retries on 429/5xx with bounded backoff, in order.

A :class:`WebhookDispatcher` owns one background thread. :meth:`WebhookDispatcher.submit`
queues the webhooks of one message (its statuses, in order) and returns at once, so the
Messages API answers ``202`` before any status is posted; :meth:`WebhookDispatcher.wait`
blocks until that message's webhooks are done (tests and notebooks wait on it, never on a
timer). :meth:`WebhookDispatcher.deliver_now` posts one webhook in the caller's thread
(simulated inbound messages and RTC events, whose caller wants the outcome).

Each request is made by :func:`vonage_widgets.voice.http.send` (no redirects, bounded reply,
signed with the account's signature secret when a signer is given).

Decisions where the public material is silent or disagrees [api-notes §8.3]:

* **Retried**: HTTP 429 and every 5xx ("Customer webhooks that respond with HTTP 429 or 5xx
  responses will be attempted again"), and a server that could not be reached (refused,
  connect or read timeout, connection closed). Other statuses (4xx, 3xx) and 2xx are final.
* **Bounded**: at most :data:`MAX_ATTEMPTS` attempts per webhook, waiting
  :data:`BACKOFF_SECONDS` between them (doubling, like Vonage's schedule that starts at
  about 5 s, compressed so a notebook sees the outcome in under a second). A webhook that
  still fails is recorded as failed and the next status of the message is still posted
  (Vonage retries each event on its own).
* **Timeouts**: connect 3 s, response 15 s (the older support article's figures [api-notes §8.3]).
* **Order**: the statuses of one message are posted one after the other, in order.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from vonage_widgets.voice.http import Attempt, Signer, WebhookTarget, new_client, send

__all__ = [
    "BACKOFF_SECONDS",
    "CONNECT_TIMEOUT_MS",
    "MAX_ATTEMPTS",
    "SOCKET_TIMEOUT_MS",
    "Delivery",
    "Job",
    "WebhookDispatcher",
    "is_retryable",
]

MAX_ATTEMPTS = 4
"""Attempts per webhook: the first and up to three retries."""
BACKOFF_SECONDS = (0.05, 0.1, 0.2)
"""Waits before the 2nd, 3rd and 4th attempts (doubling)."""
CONNECT_TIMEOUT_MS = 3000
SOCKET_TIMEOUT_MS = 15000
_KEPT = 2000  # deliveries remembered (oldest forgotten first)
_CLOSE_WAIT = 5.0  # seconds close() waits for queued webhooks before leaving them
_UNREACHABLE = frozenset({"connect_timeout", "read_timeout", "refused", "closed"})


def is_retryable(attempt: Attempt) -> bool:
    """Whether Vonage posts the webhook again after ``attempt`` (429, 5xx, unreachable)."""
    if attempt.failure in _UNREACHABLE:
        return True
    status = attempt.status or 0
    return attempt.failure == "http_status" and (status == 429 or 500 <= status <= 599)


@dataclass(slots=True)
class Delivery:
    """One webhook posted (or not) and every attempt made for it.

    ``kind``: ``status``, ``inbound`` or ``rtc``; ``key``: the message UUID (or the RTC
    event's conversation); ``event``: the status or event type; ``url``: where it went
    (empty when there was nowhere to post: then ``note`` says why).
    """

    kind: str
    key: str
    event: str
    url: str
    payload: dict[str, Any]
    attempts: list[Attempt] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        """True when the last attempt got a 2xx."""
        return bool(self.attempts) and self.attempts[-1].ok

    @property
    def signed(self) -> bool:
        """True when the requests carried a signed-webhook JWT."""
        return any(a.signed for a in self.attempts)

    @property
    def outcome(self) -> str:
        """``ok``, ``not sent: <why>`` or ``failed: <last error>``, in words."""
        if not self.attempts:
            return f"not sent: {self.note}" if self.note else "not sent"
        last = self.attempts[-1]
        return "ok" if last.ok else f"failed: {last.error}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (for the sandbox's HTTP routes and tables)."""
        return {
            "kind": self.kind,
            "key": self.key,
            "event": self.event,
            "url": self.url,
            "payload": self.payload,
            "signed": self.signed,
            "ok": self.ok,
            "outcome": self.outcome,
            "attempts": [
                {
                    "attempt": a.attempt,
                    "status": a.status,
                    "failure": a.failure,
                    "error": a.error,
                    "latency_ms": a.latency_ms,
                }
                for a in self.attempts
            ],
        }


@dataclass(frozen=True, slots=True)
class Job:
    """One webhook to post: where, what, signed how (``signer`` None: unsigned)."""

    kind: str
    key: str
    event: str
    url: str | None
    payload: Mapping[str, Any]
    signer: Signer | None = None
    note: str = ""


class WebhookDispatcher:
    """Posts webhooks in a background thread (:meth:`submit`) or at once (:meth:`deliver_now`).

    ``sleep`` waits between attempts (tests may pass a recorder). Close it when done.
    """

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self._sleep = sleep
        self._queue: queue.Queue[tuple[str, list[Job]] | None] = queue.Queue()
        self._done: OrderedDict[str, list[Delivery]] = OrderedDict()
        self._pending: dict[str, int] = {}
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._client: httpx.Client | None = None
        self._closed = False

    # -- posting -----------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client()
        return self._client

    def _run(self, job: Job, client: httpx.Client) -> Delivery:
        delivery = Delivery(job.kind, job.key, job.event, job.url or "", dict(job.payload))
        if not job.url:
            delivery.note = job.note or "no webhook URL"
            return delivery
        target = WebhookTarget(job.url, "POST", CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS)
        for number in range(1, MAX_ATTEMPTS + 1):
            attempt = send(
                client, target, job.payload, expect="nothing", signer=job.signer, attempt=number
            )
            delivery.attempts.append(attempt)
            if attempt.ok or not is_retryable(attempt) or number == MAX_ATTEMPTS:
                break
            self._sleep(BACKOFF_SECONDS[number - 1])
        return delivery

    def deliver_now(self, job: Job) -> Delivery:
        """Post one webhook in this thread (with the retries) and record it under its key."""
        with new_client() as client:
            delivery = self._run(job, client)
        with self._cond:
            self._remember(job.key, [delivery])
            self._cond.notify_all()
        return delivery

    def submit(self, key: str, jobs: list[Job]) -> None:
        """Queue ``jobs`` (one message's webhooks, in order) and return at once."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the webhook dispatcher is closed")
            self._pending[key] = self._pending.get(key, 0) + 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._worker, name="messages-webhooks", daemon=True
                )
                self._thread.start()
        self._queue.put((key, jobs))

    def _worker(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            key, jobs = item
            try:
                results = [self._run(job, self._http()) for job in jobs]
            except Exception as error:  # never let one bad job stop the thread
                results = [
                    Delivery(j.kind, j.key, j.event, j.url or "", dict(j.payload), note=str(error))
                    for j in jobs
                ]
            with self._cond:
                self._remember(key, results)
                self._pending[key] -= 1
                if not self._pending[key]:
                    del self._pending[key]
                self._cond.notify_all()

    def _remember(self, key: str, results: list[Delivery]) -> None:
        self._done.setdefault(key, []).extend(results)
        self._done.move_to_end(key)
        while len(self._done) > _KEPT:
            self._done.popitem(last=False)

    # -- reading -----------------------------------------------------------------------

    def wait(self, key: str, timeout: float = 30.0) -> list[Delivery]:
        """The deliveries of ``key`` once none is pending (or when ``timeout`` passes)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while key in self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return list(self._done.get(key, []))

    def pending(self, key: str) -> bool:
        """True while some webhooks of ``key`` are still queued or being posted."""
        with self._cond:
            return key in self._pending

    def close(self) -> None:
        """Finish the queued webhooks (waiting at most 5 s: a hanging webhook server must not
        hold up the sandbox's shutdown), stop the thread, close the HTTP client."""
        with self._cond:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=_CLOSE_WAIT)
            if thread.is_alive():
                return  # a daemon thread still posting: it ends with the process
        if self._client is not None:
            self._client.close()
            self._client = None
