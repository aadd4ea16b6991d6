"""The :class:`Sandbox`: the emulator served on loopback from a background thread.

It runs inside a Jupyter kernel as well as in a plain script or the CLI, because the server
has its own thread and event loop (``vonage_widgets._server.BackgroundServer``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vonage_widgets._paths import default_home
from vonage_widgets._server import BackgroundServer
from vonage_widgets.errors import FieldError, ValidationError, VonageWidgetsError
from vonage_widgets.redact import mask
from vonage_widgets.sandbox.app import build_app
from vonage_widgets.sandbox.calls import (
    DEFAULT_CALLER,
    DEFAULT_SIGNATURE_SECRET,
    CallLimits,
    CallSimulator,
    CallTrace,
)
from vonage_widgets.sandbox.calls_route import call_routes
from vonage_widgets.sandbox.ids import Clock, IdFactory
from vonage_widgets.sandbox.latency import LatencyMiddleware, checked_latency
from vonage_widgets.sandbox.messages_api import MessagesApi, messages_routes
from vonage_widgets.sandbox.store import Store
from vonage_widgets.sandbox.tempdirs import temporary_folder
from vonage_widgets.sandbox.tls import ensure_tls_files
from vonage_widgets.sandbox.voice_api import voice_routes

if TYPE_CHECKING:
    from vonage_widgets.messaging.delivery import Delivery

__all__ = ["DEFAULT_API_KEY", "DEFAULT_API_SECRET", "DEFAULT_DB_NAME", "Sandbox"]

DEFAULT_API_KEY = "sandbox"
"""API key of the sandbox's built-in account (documented, not a secret)."""
DEFAULT_API_SECRET = "sandbox-secret"  # noqa: S105 - a documented, public, local-only value
"""API secret of the built-in account. Public on purpose: the sandbox only listens on
loopback and holds no real data."""
DEFAULT_DB_NAME = "sandbox.sqlite3"
"""File name of the shared database under :func:`vonage_widgets._paths.default_home`."""

_TLS_FOLDER = "sandbox-tls"


def _checked_accounts(accounts: Mapping[str, str] | None) -> dict[str, str]:
    if accounts is None:
        return {DEFAULT_API_KEY: DEFAULT_API_SECRET}
    problems = []
    if not accounts:
        problems.append(FieldError("accounts", "must name at least one api_key"))
    for key, secret in accounts.items():
        if not isinstance(key, str) or not key or ":" in key:
            problems.append(
                FieldError("accounts", "each api_key must be a non-empty string without ':'")
            )
        if not isinstance(secret, str) or not secret:
            problems.append(
                FieldError(f"accounts.{key}", "the api_secret must be a non-empty string")
            )
    if problems:
        raise ValidationError(problems, subject="sandbox accounts")
    return dict(accounts)


def _signature_secrets(
    given: str | Mapping[str, str] | None, accounts: Mapping[str, str]
) -> dict[str, str]:
    """Each account's webhook signature secret (see ``Sandbox(signature_secret=...)``)."""
    if given is None or isinstance(given, str):
        secret = given or DEFAULT_SIGNATURE_SECRET
        return dict.fromkeys(accounts, secret)
    problems = [
        FieldError(f"signature_secret.{key}", "must be a non-empty string")
        for key, value in given.items()
        if not isinstance(value, str) or not value
    ]
    problems += [
        FieldError(f"signature_secret.{key}", "is not one of the sandbox's accounts")
        for key in given
        if key not in accounts
    ]
    if problems:
        raise ValidationError(problems, subject="sandbox signature secrets")
    return {key: given.get(key, DEFAULT_SIGNATURE_SECRET) for key in accounts}


class Sandbox:
    """A local emulator of the Application API v2 and the Numbers API on one loopback host.

    ``db``: ``None`` for a temporary database (kept for this object's life, across
    stop/start), ``"default"`` for a file shared by every session
    (``VONAGE_WIDGETS_HOME``, else the user data folder), or a path. ``accounts`` maps API keys
    to secrets; by default one account, :data:`DEFAULT_API_KEY` / :data:`DEFAULT_API_SECRET`.
    ``seed`` makes ids and timestamps reproducible. ``tls=True`` serves HTTPS with a local
    CA (:attr:`ca_file`), which the official Vonage SDK needs (it always uses https).
    ``signature_secret`` signs the webhooks of simulated calls (:meth:`simulate_call`): one
    string for every account, or a mapping per API key; default
    :data:`~vonage_widgets.sandbox.calls.DEFAULT_SIGNATURE_SECRET`.
    ``latency`` (milliseconds, default 0) makes every request wait that long before it is
    answered, like a network round trip, without holding a worker or the event loop
    (:mod:`vonage_widgets.sandbox.latency`).

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | Path | None = None,
        accounts: Mapping[str, str] | None = None,
        seed: int | str | None = None,
        tls: bool = False,
        signature_secret: str | Mapping[str, str] | None = None,
        latency: float = 0,
    ) -> None:
        self.host = host
        self.port = port
        self.db = db
        self.seed = seed
        self.tls = tls
        self.latency = checked_latency(latency)
        self._accounts = _checked_accounts(accounts)
        self._signature_secrets = _signature_secrets(signature_secret, self._accounts)
        self._calls: CallSimulator | None = None
        self._messages: MessagesApi | None = None
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        self._server: BackgroundServer | None = None
        self._store: Store | None = None
        self._ca_file: Path | None = None

    # -- where things live -------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        """The SQLite file (for ``db=None``, inside a temporary folder made on first use)."""
        if self.db is None:
            if self._tempdir is None:
                self._tempdir = temporary_folder()
            return Path(self._tempdir.name) / DEFAULT_DB_NAME
        if str(self.db) == "default":
            return default_home() / DEFAULT_DB_NAME
        return Path(self.db).expanduser()

    # -- lifecycle -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._server is not None and self._server.running

    def start(self) -> Sandbox:
        """Open the database and serve; returns ``self``. Starting twice is harmless."""
        if self.running:
            return self
        path = self.db_path
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = IdFactory(self.seed)
        store = Store(path, ids=ids, clock=Clock(fixed=self.seed is not None))
        certfile = keyfile = None
        messages: MessagesApi | None = None
        try:
            if self.tls:
                files = ensure_tls_files(path.parent / _TLS_FOLDER, hosts=(self.host,))
                self._ca_file = files.ca_file
                certfile, keyfile = str(files.cert_file), str(files.key_file)
            calls = CallSimulator(store, self._accounts, self._signature_secrets, ids)
            messages = MessagesApi(calls)
            app = build_app(
                store,
                self._accounts,
                ids,
                extra_routes=[
                    *call_routes(calls),
                    *voice_routes(calls),
                    *messages_routes(messages),
                ],
            )
            if self.latency:
                app = LatencyMiddleware(app, self.latency)
            server = BackgroundServer(
                app,
                host=self.host,
                port=self.port,
                ssl_certfile=certfile,
                ssl_keyfile=keyfile,
                name="sandbox",
            )
            server.start()
        except BaseException:
            if messages is not None:
                messages.close()
            store.close()
            raise
        self._store, self._server, self._calls = store, server, calls
        self._messages = messages
        return self

    def stop(self) -> None:
        """Stop serving and close the database (its file keeps the state)."""
        server, store, messages = self._server, self._store, self._messages
        self._server = self._store = self._calls = self._messages = None
        if server is not None:
            server.stop()
        if messages is not None:
            messages.close()
        if store is not None:
            store.close()

    def close(self) -> None:
        """Stop, and delete the temporary database if there is one."""
        self.stop()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what a client needs ---------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL, e.g. ``https://127.0.0.1:53123`` (both APIs live on it)."""
        if self._server is None:
            raise VonageWidgetsError("the sandbox is not running: call start() first")
        return self._server.url

    @property
    def api_key(self) -> str:
        """The first account's API key."""
        return next(iter(self._accounts))

    @property
    def api_secret(self) -> str:
        """The first account's API secret (masked in the repr)."""
        return self._accounts[self.api_key]

    @property
    def accounts(self) -> dict[str, str]:
        """A copy of every account: API key to secret."""
        return dict(self._accounts)

    @property
    def signature_secret(self) -> str:
        """The first account's signature secret, for checking signed webhooks (not a real
        secret: public on purpose, like :attr:`api_secret`)."""
        return self._signature_secrets[self.api_key]

    @property
    def signature_secrets(self) -> dict[str, str]:
        """A copy of every account's signature secret: API key to secret."""
        return dict(self._signature_secrets)

    # -- simulated calls -------------------------------------------------------------

    def simulate_call(
        self,
        to: str,
        from_: str = DEFAULT_CALLER,
        *,
        api_key: str | None = None,
        dtmf: str | Sequence[str] | None = None,
        speech: str | Sequence[str] | None = None,
        answer_callee: bool = True,
        hold_seconds: float = 30.0,
        limits: CallLimits | None = None,
    ) -> CallTrace:
        """Place a simulated inbound call to the number ``to`` and return its trace.

        The sandbox does what Vonage does: it requests the linked application's answer URL
        (then its fallback URL), runs the NCCO and posts events to the event URL. See
        :meth:`vonage_widgets.sandbox.calls.CallSimulator.simulate` for the arguments;
        ``POST /_sandbox/calls`` does the same over HTTP.
        """
        if self._calls is None:
            raise VonageWidgetsError("the sandbox is not running: call start() first")
        return self._calls.simulate(
            to,
            from_,
            api_key=api_key,
            dtmf=dtmf,
            speech=speech,
            answer_callee=answer_callee,
            hold_seconds=hold_seconds,
            limits=limits,
        )

    # -- messages and rtc ------------------------------------------------------------

    def _messages_api(self) -> MessagesApi:
        if self._messages is None:
            raise VonageWidgetsError("the sandbox is not running: call start() first")
        return self._messages

    def simulate_inbound_message(
        self,
        to: str,
        text: str,
        from_: str = DEFAULT_CALLER,
        *,
        channel: str = "sms",
        api_key: str | None = None,
    ) -> Delivery:
        """Post an inbound message sent to number ``to`` to its application's ``inbound_url``.

        The number must be one of the account's, linked to an application that has the
        messages capability with an ``inbound_url``; otherwise a ValidationError says which
        (naming ``to``). The payload has the application's ``capabilities.messages.version``
        format and is signed with the account's signature secret. Returns the
        :class:`~vonage_widgets.messaging.delivery.Delivery` (attempts, outcome).
        ``POST /_sandbox/messages/inbound`` does the same over HTTP.
        """
        account = api_key if api_key is not None else self.api_key
        return self._messages_api().inbound(account, to, text, from_, channel)  # type: ignore[no-any-return]

    def simulate_rtc_event(
        self,
        application_id: str,
        type: str = "member:joined",
        *,
        body: dict[str, Any] | None = None,
        conversation_id: str | None = None,
        api_key: str | None = None,
    ) -> Delivery:
        """Post a Conversation-style event to the application's rtc ``event_url``.

        See :mod:`vonage_widgets.sandbox.messages_api` for the envelope assumed (no public
        schema exists). ``POST /_sandbox/rtc/events`` does the same over HTTP.
        """
        account = api_key if api_key is not None else self.api_key
        return self._messages_api().rtc_event(  # type: ignore[no-any-return]
            account, application_id, type, body, conversation_id
        )

    def message_statuses(self, message_uuid: str, *, timeout: float = 30.0) -> list[Delivery]:
        """The status webhooks of a message sent with ``POST /v1/messages``, once posted
        (waits for pending ones, up to ``timeout`` seconds)."""
        return self._messages_api().dispatcher.wait(message_uuid, timeout)

    @property
    def ca_file(self) -> str | None:
        """Path of the CA certificate to trust (``tls=True`` and started), else None."""
        return None if self._ca_file is None or not self.tls else str(self._ca_file)

    def __repr__(self) -> str:
        where = self._server.url if self._server is not None else "stopped"
        if self.latency:
            where += f", latency={self.latency:g} ms"
        return (
            f"Sandbox({where}, api_key={self.api_key!r}, api_secret={mask(self.api_secret)!r}, "
            f"db={str(self.db_path) if self.db is not None else '<temporary>'!r})"
        )
