"""Helpers for the reliability and security tests (``tests/test_reliability_*.py``).

Fake but real-looking secrets, a leak detector, raw HTTP against a sandbox, the sandbox CLI
as a killable subprocess, a scripted fault server for the client, listening-address checks
and a notebook runner that captures the kernel's stderr. Everything binds or connects to
127.0.0.1 only, and every wait is bounded.

Run as ``python -m tests.reliability_helpers SRC DST`` it executes the notebook ``SRC`` into
``DST`` (used by the secrets test, one subprocess per notebook, so kernels run in parallel
and each kernel's stderr can be captured).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vonage_widgets._server import BackgroundServer
from vonage_widgets.keys import KeyPair, generate_key_pair
from vonage_widgets.sandbox import DEFAULT_API_SECRET

__all__ = [
    "FAKE_API_KEY",
    "FAKE_API_SECRET",
    "FAKE_SIGNATURE_SECRET",
    "PEM_BODY",
    "PYTHON",
    "REPO",
    "FaultServer",
    "SandboxProcess",
    "Step",
    "basic_token",
    "closed_port",
    "http_client",
    "key_pair",
    "leaks",
    "listening_addresses",
    "problem_fields",
    "snapshot",
]

REPO = Path(__file__).resolve().parents[1]
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").is_dir() else sys.executable
"""The project's interpreter (the CLI and notebook subprocesses run with it)."""

FAKE_API_KEY = "a1b2c3d4"
FAKE_API_SECRET = "Zq8vN2xK4mW7pR1tYb3c"
"""Shaped like a real Vonage API secret, so a leak is not hidden by a too-short value."""
FAKE_SIGNATURE_SECRET = "sig-9f3KqZ7wL2xV8nB4mT6h"
"""A fake webhook signature secret (never used by the package unless passed in)."""

PEM_BODY = re.compile(r"-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----\s*(?:\\n|\s)*[A-Za-z0-9+/=]{16,}")
"""A private key block that carries key material (not just the words of a message)."""


@functools.cache
def key_pair() -> KeyPair:
    """One RSA pair for every reliability test (generating pairs is slow)."""
    return generate_key_pair()


def basic_token(key: str, secret: str) -> str:
    """The value after ``Basic `` that a client sends for ``key``/``secret``."""
    return base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


def leaks(text: str, *secrets: str) -> list[str]:
    """What ``text`` gives away: private key material, any of ``secrets``, their Basic tokens.

    Returns a short description of each leak (empty when the text is clean). The sandbox's
    documented secret is always looked for, with the key ``sandbox``.
    """
    found: list[str] = []
    if PEM_BODY.search(text):
        found.append("private key material")
    lines = list(key_pair().private_pem.get_secret_value().splitlines()[1:-1])
    if any(line in text for line in lines):
        found.append("a line of the test key pair's private key")
    for secret in (*secrets, DEFAULT_API_SECRET):
        if secret and secret in text:
            found.append(f"the secret {secret[:3]}...")
    for key, secret in (("sandbox", DEFAULT_API_SECRET), (FAKE_API_KEY, FAKE_API_SECRET)):
        if basic_token(key, secret) in text:
            found.append(f"the Basic token of {key}")
    return found


# -- raw HTTP against a sandbox ----------------------------------------------------------------


def http_client(base_url: str, auth: tuple[str, str] | None = None) -> httpx.Client:
    """An httpx client for a loopback server, one connection per request.

    Keep-alive requests to a uvicorn server on loopback take ~40 ms each here (a delayed-ACK
    stall) against ~2 ms on a fresh connection, so the many-request tests open a new one.
    """
    return httpx.Client(
        base_url=base_url,
        auth=auth,
        timeout=30.0,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


def problem_fields(response: httpx.Response) -> dict[str, list[str]]:
    """Check an RFC 7807 error body; return ``invalid_parameters`` as name -> reasons."""
    assert response.headers["content-type"].startswith("application/"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    for member in ("type", "title", "detail", "instance"):
        assert isinstance(body.get(member), str), (member, body)
        assert body[member], (member, body)
    found: dict[str, list[str]] = {}
    for item in body.get("invalid_parameters", []):
        assert set(item) == {"name", "reason"}, item
        found.setdefault(item["name"], []).append(item["reason"])
    return found


def snapshot(client: httpx.Client) -> list[dict[str, Any]]:
    """Every application of the client's account, in order, as returned (all pages)."""
    items: list[dict[str, Any]] = []
    page = 1
    while page <= 1000:  # bounded: 100 000 applications is far beyond any test
        response = client.get("/v2/applications", params={"page_size": 100, "page": page})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["_embedded"]["applications"]
        if page >= body["total_pages"]:
            return items
        page += 1
    raise AssertionError("more than 1000 pages of applications")


# -- listening sockets ------------------------------------------------------------------------


def _decode_address(hex_address: str) -> str:
    host, _ = hex_address.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a TCP socket listening on ``port`` (Linux ``/proc/net``)."""
    found: set[str] = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            parts = line.split()
            local, state = parts[1], parts[3]
            if state == "0A" and int(local.split(":")[1], 16) == port:  # 0A = LISTEN
                found.add(_decode_address(local))
    return found


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- the sandbox CLI as a subprocess -----------------------------------------------------------

_URL_LINE = re.compile(r"Vonage sandbox running at (http\S+)")


class SandboxProcess:
    """``vonage-widgets sandbox --port 0 --db DB`` in a subprocess, killable at any moment.

    ``env`` adds environment variables (every other ``VONAGE_*`` variable is removed). All
    it prints (stdout and stderr) is kept in :attr:`output`.
    """

    def __init__(
        self,
        db: Path,
        *extra: str,
        env: Mapping[str, str] | None = None,
        launcher: Sequence[str] = (PYTHON, "-m", "vonage_widgets.cli"),
    ) -> None:
        self.db = db
        self.extra = extra
        self.env = dict(env or {})
        self.launcher = tuple(launcher)  # what runs ``vonage-widgets`` (a wrapper may log more)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""
        self._lines: list[str] = []
        self._reader: threading.Thread | None = None

    @property
    def output(self) -> str:
        """Everything the process printed so far."""
        return "".join(self._lines)

    def start(self, timeout: float = 30.0) -> SandboxProcess:
        """Start it and wait (bounded) for the line with its URL."""
        command = [*self.launcher, "sandbox", "--port", "0"]
        command += ["--db", str(self.db), *self.extra]
        env = {k: v for k, v in os.environ.items() if not k.startswith("VONAGE_")}
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**env, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        found = threading.Event()
        stream = self.process.stdout
        assert stream is not None

        def read_all() -> None:
            for line in stream:
                self._lines.append(line)
                match = _URL_LINE.search(line)
                if match and not self.url:
                    self.url = match.group(1)
                    found.set()

        self._reader = threading.Thread(target=read_all, daemon=True)
        self._reader.start()
        if not found.wait(timeout):
            self.kill()
            raise AssertionError(f"the sandbox CLI did not start in {timeout} s: {self.output}")
        return self

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.url.rsplit(":", 1)[1])

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an out-of-memory kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)
        if self._reader is not None:
            self._reader.join(5)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, as ``vonage-widgets lab`` stops it: it stops cleanly and closes its database
        (SIGKILL if it has not stopped within ``timeout`` seconds)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._reader is not None:
            self._reader.join(5)

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()


# -- a scripted server for client fault tests ------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One scripted answer, after ``delay`` seconds: a JSON ``body`` with ``status`` and
    ``headers``, or ``raw`` bytes served as ``content_type`` (for bodies that are not JSON)."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    raw: bytes | None = None
    content_type: str = "application/json"


_ANY_PATH = "*"


@dataclass
class FaultServer:
    """Answers requests with scripted :class:`Step` lists, per path (the last step repeats).

    Paths without a script use the ``"*"`` script, else answer 204. Counts requests per
    ``"METHOD /path"`` in :attr:`hits`; serves on 127.0.0.1 through the package's
    :class:`~vonage_widgets._server.BackgroundServer`.
    """

    scripts: dict[str, list[Step]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        methods = ["GET", "POST", "PUT", "DELETE"]
        app = Starlette(routes=[Route("/{path:path}", self._answer, methods=methods)])
        self._server = BackgroundServer(app, name="fault server")
        self._lock = threading.Lock()
        self._served: Counter[str] = Counter()

    @property
    def url(self) -> str:
        """Base URL."""
        return self._server.url

    def script(self, *steps: Step, path: str = _ANY_PATH) -> FaultServer:
        """Answer requests to ``path`` (default: any path) with ``steps``; resets the counts."""
        with self._lock:
            self.scripts[path] = list(steps)
            self._served.clear()
            self.hits.clear()
        return self

    def count(self, path: str) -> int:
        """Requests ``path`` received, whatever the method."""
        return sum(n for key, n in self.hits.items() if key.split(" ", 1)[1] == path)

    async def _answer(self, request: Request) -> Response:
        await request.body()
        path = request.url.path
        with self._lock:
            self.hits[f"{request.method} {path}"] += 1
            key = path if path in self.scripts else _ANY_PATH
            steps = self.scripts.get(key) or [Step(status=204)]
            step = steps[min(self._served[key], len(steps) - 1)]
            self._served[key] += 1
        if step.delay:
            await asyncio.sleep(step.delay)
        headers = dict(step.headers)
        if step.raw is not None:
            return Response(step.raw, step.status, headers=headers, media_type=step.content_type)
        if step.body is None and step.status == 204:
            return Response(status_code=204, headers=headers)
        return JSONResponse(step.body if step.body is not None else {}, step.status, headers)

    def __enter__(self) -> FaultServer:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()
