"""Run an ASGI app with uvicorn in a background thread, bound to loopback by default.

Used by the sandbox and the local webhook server. Works inside a running Jupyter kernel
(which already has an event loop on the main thread): the server gets its own loop in its
own thread, and signal handlers are left alone.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from typing import Any

import uvicorn

__all__ = ["BackgroundServer"]


class _Server(uvicorn.Server):
    """uvicorn's server, closing idle keep-alive connections at once when it stops.

    uvicorn closes an idle connection gracefully: over TLS that means sending close_notify
    and waiting for the client's, which an idle client (a ``requests`` session in a
    notebook) never sends. The wait then ran into the graceful-shutdown timeout, and uvicorn
    logged ``ERROR: Cancel 0 running task(s), timeout graceful shutdown exceeded`` after
    2 s. An idle connection has no request to finish, so it is aborted first; a connection
    with a request in flight still gets the graceful path and its timeout.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for connection in list(self.server_state.connections):
            cycle = getattr(connection, "cycle", None)
            transport = getattr(connection, "transport", None)
            if transport is not None and (cycle is None or cycle.response_complete):
                transport.abort()
        await super().shutdown(sockets)


class BackgroundServer:
    """Serve ``app`` on ``host:port`` (port 0 picks a free one) until :meth:`stop`."""

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
        name: str = "server",
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.ssl_certfile = ssl_certfile
        self.ssl_keyfile = ssl_keyfile
        self.name = name
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def scheme(self) -> str:
        return "https" if self.ssl_certfile else "http"

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:53123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        """Bind the socket (so the port is known at once), then serve in a daemon thread."""
        if self.running:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only when the
        # listening socket says it is TCP; without it every keep-alive reply waits ~40 ms
        # for Nagle's algorithm and delayed ACKs (measured by benchmarks/sandbox_load.py).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(1024)
        self.port = sock.getsockname()[1]
        self._socket = sock
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ssl_certfile=self.ssl_certfile,
            ssl_keyfile=self.ssl_keyfile,
            ssl_cert_reqs=ssl.CERT_NONE,
            timeout_keep_alive=30,
            # An idle keep-alive client (a notebook's client, a TLS session) must not hold
            # stop() hostage: after this grace period open connections are closed.
            timeout_graceful_shutdown=2,
        )
        server = _Server(config)
        # No signal handlers to switch off: uvicorn installs them only in the main thread,
        # and this server runs in its own (Ctrl-C stays with the notebook or the CLI).
        self._server = server
        self._thread = threading.Thread(
            target=lambda: asyncio.run(server.serve(sockets=[sock])),
            name=f"vonage-widgets-{self.name}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the {self.name} did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the server to finish open requests and exit; wait for its thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
