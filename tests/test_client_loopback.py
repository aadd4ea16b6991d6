"""The client over a real socket on 127.0.0.1: keep-alive, form bodies, timeouts, refusals."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.client_helpers import API_KEY, API_SECRET, BASIC, Sleeps
from vonage_widgets._server import BackgroundServer
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import ConnectError, RequestTimeout

Seen = list[dict[str, Any]]


def make_app(seen: Seen) -> Starlette:
    async def applications(request: Request) -> JSONResponse:
        seen.append({"port": request.client.port if request.client else None, **request.headers})
        page = int(request.query_params["page"])
        return JSONResponse(
            {
                "page": page,
                "page_size": 1,
                "total_items": 3,
                "total_pages": 3,
                "_embedded": {"applications": [{"id": f"id-{page}", "name": f"app {page}"}]},
            }
        )

    async def update(request: Request) -> JSONResponse:
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        seen.append({"form": dict(form), **request.headers})
        return JSONResponse({"error-code": "200", "error-code-label": "success"})

    async def slow(request: Request) -> JSONResponse:
        await asyncio.sleep(1)
        return JSONResponse({"id": "late", "name": "late"})

    return Starlette(
        routes=[
            Route("/v2/applications", applications),
            Route("/v2/applications/slow", slow),
            Route("/number/update", update, methods=["POST"]),
        ]
    )


@pytest.fixture
def server() -> Iterator[tuple[BackgroundServer, Seen]]:
    seen: Seen = []
    with BackgroundServer(make_app(seen), name="client-test") as running:
        yield running, seen


def test_pages_share_one_keep_alive_connection(server: tuple[BackgroundServer, Seen]) -> None:
    running, seen = server
    with VonageClient(API_KEY, API_SECRET, api_host=running.url, rest_host=running.url) as client:
        ids = [a.id for a in client.applications.iter(page_size=1)]
    assert ids == ["id-1", "id-2", "id-3"]
    assert len({request["port"] for request in seen}) == 1
    assert {request["authorization"] for request in seen} == {BASIC}


def test_form_post_reaches_a_real_server(server: tuple[BackgroundServer, Seen]) -> None:
    running, seen = server
    with VonageClient(API_KEY, API_SECRET, api_host=running.url, rest_host=running.url) as client:
        client.numbers.update("447700900000", "GB", app_id="app-1")  # link() looks up first
    (request,) = seen
    assert request["form"] == {"country": "GB", "msisdn": "447700900000", "app_id": "app-1"}
    assert request["content-type"] == "application/x-www-form-urlencoded"


def test_read_timeout_is_reported(server: tuple[BackgroundServer, Seen]) -> None:
    running, _ = server
    with (
        VonageClient(API_KEY, API_SECRET, api_host=running.url, timeout=0.2) as client,
        pytest.raises(RequestTimeout) as caught,
    ):
        client.applications.get("slow")
    assert str(caught.value) == (
        f"GET {running.url}/v2/applications/slow timed out after 0.2 s (read timeout)"
    )


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    url = f"http://127.0.0.1:{port}"
    with (
        VonageClient(API_KEY, API_SECRET, api_host=url, sleep=sleeps, max_retries=2) as client,
        pytest.raises(ConnectError) as caught,
    ):
        client.applications.list()
    assert sleeps == [0.2, 0.4]
    assert caught.value.url == f"{url}/v2/applications?page_size=100&page=1"
    assert str(caught.value).startswith(f"GET {url}/v2/applications?page_size=100&page=1 failed")
    assert API_SECRET not in str(caught.value)
