"""Test doubles for the client: a recording ``httpx.MockTransport`` and canned responses."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

API_KEY = "abc12345"
API_SECRET = "s3cr3t-Sekret-9876"
BASIC = "Basic " + base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Recorder:
    """Answers requests from a script (in order) or a router, and records every request.

    Safe to call from several threads (``list_all`` fetches pages concurrently).
    """

    def __init__(
        self, *script: Reply, router: Callable[[httpx.Request], httpx.Response] | None = None
    ) -> None:
        self.requests: list[httpx.Request] = []
        self._script = list(script)
        self._router = router
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self._lock:
            self.requests.append(request)
            item: Reply | None = self._script.pop(0) if self._script else None
        if item is None:
            if self._router is None:
                raise AssertionError(f"unexpected request {request.method} {request.url}")
            return self._router(request)
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return item
        return item(request)

    @property
    def transport(self) -> httpx.MockTransport:
        """The transport to hand to the client."""
        return httpx.MockTransport(self)

    @property
    def last(self) -> httpx.Request:
        """The most recent request."""
        assert self.requests, "no request was sent"
        return self.requests[-1]


class Sleeps(list[float]):
    """A stand-in for ``time.sleep`` that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """A JSON response."""
    return httpx.Response(status, json=body, headers=headers)


def example(oracles_dir: Path, relative: str) -> Any:
    """A recorded SDK response from ``tests/oracles/specs/examples``."""
    return json.loads((oracles_dir / "specs" / "examples" / relative).read_text(encoding="utf-8"))


def query(request: httpx.Request) -> dict[str, str]:
    """The request's query parameters as a plain dict."""
    return dict(request.url.params.multi_items())


def form(request: httpx.Request) -> dict[str, str]:
    """A form-encoded request body as a plain dict (every field once)."""
    pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
    assert len({k for k, _ in pairs}) == len(pairs), f"repeated form fields: {pairs}"
    return dict(pairs)
