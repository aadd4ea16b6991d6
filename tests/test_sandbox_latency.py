"""The sandbox's simulated round trip (``latency``) and its prompt stop with idle clients.

The two timing checks here are functional, with generous bounds: a delay of L is at least L,
and N requests waiting side by side take far less than N x L. Speed itself is measured by
``benchmarks/listing.py``, not asserted.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import requests

from tests.workbook_helpers import isolate
from vonage_widgets.cli import main
from vonage_widgets.errors import ValidationError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.latency import (
    ENV_SANDBOX_LATENCY,
    MAX_LATENCY_MS,
    checked_latency,
    latency_from_env,
)
from vonage_widgets.workbook import Workbook, start_shared_sandbox

LATENCY_MS = 200
CONCURRENT = 12


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[Sandbox]:
    with Sandbox(latency=LATENCY_MS) as sandbox:
        yield sandbox


def _timed_get(sandbox: Sandbox, path: str = "/v2/applications") -> float:
    with httpx.Client(auth=(sandbox.api_key, sandbox.api_secret)) as client:
        started = time.monotonic()
        response = client.get(sandbox.url + path)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    return elapsed


@pytest.mark.serial
def test_each_request_waits_at_least_the_latency(slow_sandbox: Sandbox) -> None:
    assert slow_sandbox.latency == LATENCY_MS
    assert "latency=200 ms" in repr(slow_sandbox)
    for path in ("/v2/applications", "/account/numbers"):
        assert _timed_get(slow_sandbox, path) >= LATENCY_MS / 1000


def test_no_latency_by_default() -> None:
    with Sandbox() as sandbox:
        assert sandbox.latency == 0
        assert "latency" not in repr(sandbox)


@pytest.mark.serial
def test_concurrent_requests_wait_side_by_side(slow_sandbox: Sandbox) -> None:
    # Serially these would take CONCURRENT x 0.2 s = 2.4 s; waiting side by side about
    # 0.2 s. The bound is half the serial time, generous for a loaded machine.
    with httpx.Client(
        auth=(slow_sandbox.api_key, slow_sandbox.api_secret),
        limits=httpx.Limits(max_connections=CONCURRENT),
    ) as client:

        def get(_: int) -> int:
            return client.get(slow_sandbox.url + "/v2/applications").status_code

        with ThreadPoolExecutor(CONCURRENT) as pool:
            started = time.monotonic()
            statuses = list(pool.map(get, range(CONCURRENT)))
            elapsed = time.monotonic() - started
    assert statuses == [200] * CONCURRENT
    assert elapsed >= LATENCY_MS / 1000
    assert elapsed < CONCURRENT * LATENCY_MS / 1000 / 2


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-1, "from 0 to 10000"),
        (MAX_LATENCY_MS + 1, "from 0 to 10000"),
        (math.nan, "from 0 to 10000"),
        (math.inf, "from 0 to 10000"),
        (True, "not a boolean"),
        ("fast", "'fast'"),
        ([80], "it is a list"),
    ],
)
def test_bad_latency_is_refused_naming_the_field_and_rule(value: object, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Sandbox(latency=value)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "latency" in message
    assert "milliseconds" in message
    assert words in message


def test_latency_reads_numbers_from_text_and_the_environment() -> None:
    assert checked_latency("12.5") == 12.5
    assert checked_latency(0) == 0.0
    assert latency_from_env({}) == 0.0
    assert latency_from_env({ENV_SANDBOX_LATENCY: " "}) == 0.0
    assert latency_from_env({ENV_SANDBOX_LATENCY: "80"}) == 80.0
    with pytest.raises(ValidationError, match=ENV_SANDBOX_LATENCY):
        latency_from_env({ENV_SANDBOX_LATENCY: "80ms"})


def test_workbook_and_lab_sandboxes_take_the_latency_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = isolate(monkeypatch, tmp_path)
    monkeypatch.setenv(ENV_SANDBOX_LATENCY, "20")
    with Workbook() as workbook:
        assert workbook.sandbox is not None
        assert workbook.sandbox.latency == 20
        assert "20 ms simulated latency" in repr(workbook)
    shared = start_shared_sandbox(home=home)
    try:
        assert shared.latency == 20
        assert shared.target_description.endswith("; 20 ms simulated latency")
    finally:
        shared.close()
    monkeypatch.setenv(ENV_SANDBOX_LATENCY, "-5")
    with pytest.raises(ValidationError, match=ENV_SANDBOX_LATENCY):
        Workbook()


def test_cli_refuses_a_bad_latency(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_SANDBOX_LATENCY, raising=False)
    assert main(["sandbox", "--db", "temp", "--latency", "soon"]) == 2
    err = capsys.readouterr().err
    assert "--latency" in err
    assert "milliseconds" in err
    monkeypatch.setenv(ENV_SANDBOX_LATENCY, "nan")
    assert main(["sandbox", "--db", "temp"]) == 2
    assert ENV_SANDBOX_LATENCY in capsys.readouterr().err


# -- stopping with an idle keep-alive client ------------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.serial
@pytest.mark.parametrize("tls", [True, False], ids=["https", "http"])
def test_stop_with_an_idle_keep_alive_client_is_prompt_and_logs_no_error(tls: bool) -> None:
    sandbox = Sandbox(tls=tls).start()
    records = _Records()
    # uvicorn configures its loggers when the server starts: listen after that.
    uvicorn_logger = logging.getLogger("uvicorn.error")
    uvicorn_logger.addHandler(records)
    session = requests.Session()  # the official SDK's transport, kept alive and idle
    try:
        response = session.get(
            sandbox.url + "/v2/applications",
            auth=(sandbox.api_key, sandbox.api_secret),
            verify=sandbox.ca_file or True,
        )
        assert response.status_code == 200
        started = time.monotonic()
        sandbox.stop()
        took = time.monotonic() - started
    finally:
        uvicorn_logger.removeHandler(records)
        session.close()
        sandbox.close()
    errors = [record.getMessage() for record in records.records if record.levelno >= 30]
    assert errors == []
    # Before the fix, the idle TLS connection held stop() for the whole 2 s grace period.
    assert took < 1.5
