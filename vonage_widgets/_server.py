"""Run an ASGI app with uvicorn in a background thread, bound to loopback by default.

Used by the sandbox and the local webhook server. Works inside a running Jupyter kernel
(which already has an event loop on the main thread): the server gets its own loop in its
own thread, and signal handlers are left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
import threading
import time
from typing import Any

import uvicorn

__all__ = ["BackgroundServer"]


_uvicorn_log = logging.getLogger("uvicorn.error")  # where uvicorn logs its own shutdown


class _Server(uvicorn.Server):
    """uvicorn's server, stopping as soon as it is asked to.

    Two waits of uvicorn's are cut short, and behaviour is otherwise unchanged:

    - it checks for ``should_exit`` on a 0.1 s tick; :meth:`request_exit` also wakes the loop,
      so a stop starts at once;
    - its shutdown sleeps 0.1 s after asking connections to close, whatever their state.
      Here an idle keep-alive connection is aborted at once, since it has no request to
      finish (over TLS, the graceful close would wait for a close_notify that an idle client,
      such as a ``requests`` session in a notebook, never sends: that wait ran into the
      graceful-shutdown timeout and uvicorn logged ``ERROR: Cancel 0 running task(s),
      timeout graceful shutdown exceeded`` after 2 s). A connection with a request in flight
      still gets uvicorn's graceful path and its timeout.

    Every sandbox and webhook server stops this way: each used to take about 0.2 s to stop.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    def request_exit(self) -> None:
        """Ask the server to stop, from any thread, and wake its loop to do it now."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(wake.set)

    async def main_loop(self) -> None:
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):  # the tick (uvicorn's, every 0.1 s)
                await asyncio.wait_for(self._wake.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            cycle = getattr(connection, "cycle", None)
            transport = getattr(connection, "transport", None)
            if transport is not None and (cycle is None or cycle.response_complete):
                transport.abort()
            else:
                connection.shutdown()
        for _ in range(3):  # an abort reports the connection lost on a later loop iteration
            await asyncio.sleep(0)
        try:
            await asyncio.wait_for(
                self._wait_tasks_to_complete(), timeout=self.config.timeout_graceful_shutdown
            )
        except TimeoutError:
            _uvicorn_log.error(
                "Cancel %s running task(s), timeout graceful shutdown exceeded",
                len(self.server_state.tasks),
            )
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()


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
        self._server: _Server | None = None
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
            self._server.request_exit()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
