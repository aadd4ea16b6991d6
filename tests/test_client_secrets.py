"""The API secret and the Basic token never show: not in reprs, errors, tracebacks or logs."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import httpx
import pytest

from tests.client_helpers import API_KEY, API_SECRET, BASIC, Recorder, Sleeps, json_reply
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import VonageWidgetsError

TOKEN = BASIC.removeprefix("Basic ")
ECHO = {
    "title": f"echo {API_SECRET}",
    "detail": BASIC,
    "invalid_parameters": [{"name": "api_secret", "reason": f"was {API_SECRET}"}],
}


def hostile(request: httpx.Request) -> httpx.Response:
    """A server that echoes the credentials back in every way it can."""
    path = request.url.path
    if path.endswith("/refuse"):
        raise httpx.ConnectError(f"refused while sending {request.headers['Authorization']}")
    if path.endswith("/slow"):
        raise httpx.ReadTimeout(f"slow {API_SECRET}")
    if path.endswith("/html"):
        return httpx.Response(502, text=f"<p>{API_SECRET} {BASIC}</p>")
    if path == "/number/update":
        return json_reply(200, {"error-code": "420", "error-code-label": f"no {API_SECRET}"})
    if path == "/account/numbers":
        return json_reply(420, {"error-code": "420", "error-code-label": API_SECRET})
    status = 429 if request.method == "GET" else 400
    return json_reply(status, ECHO, {"Retry-After": "0"})


Operation = Callable[[VonageClient], object]

OPERATIONS: list[Operation] = [
    lambda c: c.applications.list(),
    lambda c: c.applications.get("refuse"),
    lambda c: c.applications.get("slow"),
    lambda c: c.applications.get("html"),
    lambda c: c.applications.create({"name": "x"}),
    lambda c: c.applications.update("id", {"name": "x"}),
    lambda c: c.applications.delete("refuse"),
    lambda c: c.numbers.list(),
    lambda c: c.numbers.link("447700900000", "app", country="GB"),
    lambda c: c.numbers.unlink("447700900000"),
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_secret_in_errors_tracebacks_or_logs(
    operation: Operation, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    recorder = Recorder(router=hostile)
    with (
        VonageClient(
            API_KEY, API_SECRET, transport=recorder.transport, sleep=Sleeps(), max_retries=1
        ) as client,
        pytest.raises(VonageWidgetsError) as caught,
    ):
        operation(client)
    error = caught.value
    shown = "".join(traceback.format_exception(error)) + repr(error) + repr(vars(error))
    for secret in (API_SECRET, TOKEN):
        assert secret not in shown
        assert secret not in caplog.text


def test_client_repr_and_attributes_hide_the_secret() -> None:
    with VonageClient(API_KEY, API_SECRET) as client:
        texts = [repr(client), str(client), repr(vars(client)), repr(client.applications)]
        texts.append(repr(client.numbers))
    for text in texts:
        assert API_SECRET not in text
        assert TOKEN not in text
