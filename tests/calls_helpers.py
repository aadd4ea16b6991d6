"""Helpers for the call simulation and webhook check tests: scripted webhook servers on
127.0.0.1 (including ones that time out or hang up) and a sandbox with a linked number."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vonage_widgets._server import BackgroundServer
from vonage_widgets.keys import generate_key_pair
from vonage_widgets.sandbox import Sandbox

NUMBER = "442079460000"
"""A seeded sandbox number with the VOICE feature."""
TALK = [{"action": "talk", "text": "Hello"}]
FAST = {"connect_timeout": 300, "socket_timeout": 1000}
"""The models' minimum timeouts (ms), so failing webhooks fail fast."""

_PUBLIC_KEY = generate_key_pair().public_pem


@dataclass
class Seen:
    """One request a scripted server received."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        """The body as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


# A behaviour: ("ncco", list) | ("status", code) | ("json", value) | ("text", body, type)
# | ("empty",) | ("sleep", seconds[, behaviour]). The last behaviour of a path repeats.
Behaviour = tuple[Any, ...]


@dataclass
class ScriptedServer:
    """A webhook server whose answers are scripted per path; counts and records requests.

    Unscripted paths answer 204 (an event with no reply).
    """

    scripts: dict[str, list[Behaviour]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        app = Starlette(
            routes=[Route("/{path:path}", self._handle, methods=["GET", "POST", "PUT"])]
        )
        self._server = BackgroundServer(app, name="scripted webhooks")

    def script(self, path: str, *behaviours: Behaviour) -> ScriptedServer:
        """Answer requests to ``path`` with ``behaviours`` in turn (the last one repeats)."""
        self.scripts[path] = list(behaviours)
        return self

    def url(self, path: str) -> str:
        """Full URL of ``path`` on this server."""
        return self._server.url + path

    def requests_to(self, path: str) -> list[Seen]:
        """The requests ``path`` received, in order."""
        return [s for s in self.seen if s.path == path]

    async def _handle(self, request: Request) -> Response:
        path = request.url.path
        self.hits[path] += 1
        self.seen.append(
            Seen(
                request.method,
                path,
                list(request.query_params.multi_items()),
                await request.body(),
                dict(request.headers),
            )
        )
        script = self.scripts.get(path) or [("status", 204)]
        return await self._answer(script[min(self.hits[path], len(script)) - 1])

    async def _answer(self, behaviour: Behaviour) -> Response:
        kind = behaviour[0]
        if kind == "sleep":  # ("sleep", seconds[, then]): answer late (an NCCO by default)
            await asyncio.sleep(behaviour[1])
            return await self._answer(behaviour[2] if len(behaviour) > 2 else ("ncco", TALK))
        if kind == "ncco" or kind == "json":
            return Response(json.dumps(behaviour[1]), media_type="application/json")
        if kind == "text":
            return Response(behaviour[1], media_type=behaviour[2])
        if kind == "empty":
            return Response(status_code=200)
        return Response(status_code=behaviour[1])

    def __enter__(self) -> ScriptedServer:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()


class ClosingServer:
    """Accepts each connection, reads the request and hangs up without answering."""

    def __init__(self) -> None:
        self.accepted = 0
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/answer"
        """The URL to point a webhook at."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            with conn:
                conn.settimeout(1.0)
                with suppress(OSError):
                    conn.recv(65536)

    def __enter__(self) -> ClosingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)
        self._socket.close()


@contextmanager
def unconnectable_url() -> Iterator[str]:
    """A loopback URL whose TCP connect hangs (a listener with a full backlog), so a client
    hits its connect timeout instead of being refused."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}/answer"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def hook(address: str, method: str | None = None, **timeouts: int) -> dict[str, Any]:
    """A voice webhook object with the fast timeouts unless others are given."""
    data: dict[str, Any] = {"address": address, **FAST, **timeouts}
    if method is not None:
        data["http_method"] = method
    return data


def voice_app(
    answer: str,
    event: str | None = None,
    fallback: str | None = None,
    *,
    answer_method: str = "GET",
    event_method: str = "POST",
    fallback_method: str = "GET",
    **voice: Any,
) -> dict[str, Any]:
    """An application body with a voice capability pointing at the given URLs."""
    webhooks: dict[str, Any] = {"answer_url": hook(answer, answer_method)}
    if event is not None:
        webhooks["event_url"] = hook(event, event_method)
    if fallback is not None:
        webhooks["fallback_answer_url"] = hook(fallback, fallback_method)
    return {
        "name": "call test",
        "keys": {"public_key": _PUBLIC_KEY},
        "capabilities": {"voice": {"webhooks": webhooks, **voice}},
    }


def link_app(
    sandbox: Sandbox,
    body: dict[str, Any],
    number: str = NUMBER,
    account: tuple[str, str] | None = None,
) -> str:
    """Create the application in the sandbox, link ``number`` to it, return its id."""
    auth = account or (sandbox.api_key, sandbox.api_secret)
    # verify=False for plain http: building a CA context costs ~0.1 s per client.
    verify: Any = ssl.create_default_context(cafile=sandbox.ca_file) if sandbox.ca_file else False
    with httpx.Client(base_url=sandbox.url, auth=auth, trust_env=False, verify=verify) as client:
        created = client.post("/v2/applications", json=body)
        assert created.status_code == 201, created.text
        app_id = str(created.json()["id"])
        country = "GB" if number.startswith("44") else "US"
        linked = client.post(
            "/number/update", data={"country": country, "msisdn": number, "app_id": app_id}
        )
        assert linked.json()["error-code"] == "200", linked.text
    return app_id
