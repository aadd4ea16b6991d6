"""The Workbook: where a notebook starts. Credentials or sandbox, a client, the current app.

``Workbook()`` picks what to talk to, in the order the contract fixes, and says which in its
repr (never the secret):

1. ``VONAGE_API_KEY`` and ``VONAGE_API_SECRET`` set (or ``api_key``/``api_secret`` given):
   the real Vonage API, hosts from ``VONAGE_API_HOST`` / ``VONAGE_REST_HOST``.
2. else ``VONAGE_WIDGETS_SANDBOX_URL``: the sandbox ``vonage-widgets lab`` started and shares
   with every notebook's kernel, with the sandbox's default credentials.
3. else an embedded sandbox in this process: database from ``VONAGE_WIDGETS_SANDBOX_DB``
   (``:temp:`` = a fresh temporary one; unset = ``<home>/sandbox.sqlite3``), seed from
   ``VONAGE_WIDGETS_SEED``.

``<home>`` is ``VONAGE_WIDGETS_HOME`` or the platform's user data folder; private keys live in
``<home>/keys`` (mode 0700, each key file 0600). The workbook keeps the "current" application
(:attr:`Workbook.application`) so that one notebook can create it and the next can resume
from it by name (:meth:`Workbook.use`, :meth:`Workbook.ensure_application`); a notebook run
again starts over with :meth:`Workbook.delete_applications` (in a sandbox; a real account is
never changed unasked).
"""

from __future__ import annotations

import contextlib
import copy
import html
import os
import stat
import types
import warnings
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import SecretStr

from vonage_widgets._paths import ENV_HOME, default_home
from vonage_widgets.appconfig import apply_application_file, export_application
from vonage_widgets.appwrite import (
    keep_returned_key,
    new_key_pair,
    object_at,
    place_webhooks,
    returned_key_file,
    send,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    FieldError,
    KeyHandlingError,
    NotFoundError,
    UnsavedKeyError,
    ValidationError,
    VonageWidgetsError,
)
from vonage_widgets.keys import (
    fingerprint,
    key_file_name,
    keys_match,
    public_key_pem,
)
from vonage_widgets.models import Application, validate_application
from vonage_widgets.sandbox import (
    DEFAULT_API_KEY,
    DEFAULT_API_SECRET,
    DEFAULT_CALLER,
    DEFAULT_DB_NAME,
    DEFAULT_SIGNATURE_SECRET,
    CallTrace,
    Sandbox,
    simulate_call_remote,
)
from vonage_widgets.sandbox.latency import describe_latency, latency_from_env

if TYPE_CHECKING:
    from vonage_widgets.calling import PlacedCall
    from vonage_widgets.sending import SentMessage, WebhookDelivery
    from vonage_widgets.widgets import ApplicationForm

__all__ = [
    "ENV_HOME",
    "ENV_SANDBOX_DB",
    "ENV_SANDBOX_URL",
    "ENV_SEED",
    "TARGET_VARIABLES",
    "TEMPORARY_DB",
    "KeyCheck",
    "Mode",
    "Workbook",
    "WorkbookSandbox",
    "default_home",
    "start_shared_sandbox",
]

ENV_SANDBOX_DB = "VONAGE_WIDGETS_SANDBOX_DB"
"""The sandbox database: :data:`TEMPORARY_DB`, a path, or unset for ``<home>/sandbox.sqlite3``."""
ENV_SEED = "VONAGE_WIDGETS_SEED"
"""A whole number: the sandbox's ids and clock become reproducible."""
ENV_SANDBOX_URL = "VONAGE_WIDGETS_SANDBOX_URL"
"""A sandbox already running (``vonage-widgets lab`` sets it for every kernel)."""
TEMPORARY_DB = ":temp:"
"""The :data:`ENV_SANDBOX_DB` value for a fresh temporary database per sandbox."""

_CREDENTIALS = ("VONAGE_API_KEY", "VONAGE_API_SECRET")
TARGET_VARIABLES = (
    *_CREDENTIALS,
    "VONAGE_API_HOST",
    "VONAGE_REST_HOST",
    "VONAGE_APPLICATION_ID",
    "VONAGE_PRIVATE_KEY_PATH",
    "VONAGE_SIGNATURE_SECRET",
    ENV_SANDBOX_URL,
)
"""Every environment variable that chooses what a workbook talks to or signs with: without
them it starts its own offline sandbox. Tools that run the tutorials clear them, so nothing
from the caller's shell reaches the kernels."""
_LISTED_APPLICATIONS = 20  # an error message lists at most this many; then "and N more"

Mode = Literal["sandbox", "vonage"]
"""What a workbook talks to: a local sandbox (offline) or the real Vonage API."""


def _seed_from(env: Mapping[str, str]) -> int | None:
    raw = env.get(ENV_SEED, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            [FieldError(ENV_SEED, f"must be a whole number, like 2026 (it is {raw!r})")],
            subject="environment",
        ) from None


def _sandbox_db(env: Mapping[str, str], home: Path) -> Path | None:
    """Where the sandbox keeps its state; ``None`` means a fresh temporary database."""
    raw = env.get(ENV_SANDBOX_DB, "").strip()
    if raw == TEMPORARY_DB:
        return None
    return Path(raw).expanduser() if raw else home / DEFAULT_DB_NAME


def _shown_path(path: Path, home: Path | None = None) -> str:
    """A path for people: ``<home>/...`` inside the workbook home, ``~/...`` inside $HOME."""
    resolved = path.expanduser().absolute()
    for base, label in ((home, "<home>"), (Path.home(), "~")):
        if base is None:
            continue
        try:
            return f"{label}/{resolved.relative_to(base.expanduser().absolute()).as_posix()}"
        except ValueError:
            continue
    return str(resolved)


class WorkbookSandbox(Sandbox):
    """A :class:`~vonage_widgets.sandbox.Sandbox` that can say where its state lives."""

    @property
    def db_description(self) -> str:
        """``"a temporary database"`` or the database file (``~`` for the home folder)."""
        if self.db is None:
            return "a temporary database"
        return _shown_path(self.db_path)

    @property
    def target_description(self) -> str:
        """Where its state lives, and its simulated latency when it has one."""
        if not self.latency:
            return self.db_description
        return f"{self.db_description}; {describe_latency(self.latency)}"


def start_shared_sandbox(
    *,
    home: str | os.PathLike[str] | None = None,
    seed: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> WorkbookSandbox:
    """Start the sandbox ``vonage-widgets lab`` shares with every notebook kernel.

    Its database follows the same rules as an embedded one (``VONAGE_WIDGETS_SANDBOX_DB``,
    else ``<home>/sandbox.sqlite3``, so state survives restarts); its seed comes from
    ``seed`` or ``VONAGE_WIDGETS_SEED``. Returns it started; stop it with ``.stop()``.
    """
    env = os.environ if environ is None else environ
    folder = Path(home).expanduser() if home is not None else default_home(env)
    sandbox = WorkbookSandbox(
        db=_sandbox_db(env, folder),
        seed=seed if seed is not None else _seed_from(env),
        latency=latency_from_env(env),
    )
    sandbox.start()
    return sandbox


def _private_folder(folder: Path) -> Path:
    """Create ``folder`` (and parents) and make it 0700: it holds private keys."""
    folder.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) != 0o700:
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask; an old folder may be 0755
    return folder


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """Where the current application's private key is, and whether it is kept safely.

    ``file`` is shown relative to the workbook home (``<home>/keys/...``); ``mode`` is the
    file's permission bits as ``"0600"``; ``matches`` says whether it is the private half of
    the application's public key. The key itself is never read into this object.
    """

    file: str
    mode: str
    matches: bool

    @property
    def safe(self) -> bool:
        """True when only its owner can read the file and it matches the public key."""
        return self.mode == "0600" and self.matches


class Workbook:
    """The facade a notebook starts with: what to talk to, a client, the current application.

    See the module docstring for how it chooses between the real Vonage API and a sandbox.
    ``sandbox`` forces the choice: a :class:`~vonage_widgets.sandbox.Sandbox` object (started
    if needed, never stopped by the workbook), a sandbox URL, ``True`` (a sandbox even when
    credentials are set) or ``False`` (the real API; credentials required). ``seed`` and
    ``home`` override ``VONAGE_WIDGETS_SEED`` and ``VONAGE_WIDGETS_HOME``. Close it with
    :meth:`close` or use it as a context manager; an embedded sandbox stops with it.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        sandbox: Sandbox | str | bool | None = None,
        seed: int | None = None,
        home: str | os.PathLike[str] | None = None,
    ) -> None:
        env = os.environ
        self.home: Path = Path(home).expanduser() if home is not None else default_home(env)
        """Root folder of this workbook's files."""
        self.keys_dir: Path = _private_folder(self.home / "keys")
        """Where private keys are saved (mode 0700; each key file 0600)."""
        self.application: Application | None = None
        """The current application: set by create, use, ensure, apply and form saves."""
        self.sandbox: Sandbox | None = None
        """The sandbox object when this process holds one (embedded or given), else None."""
        self._origin = ""
        self._key_files: dict[str, Path] = {}  # public key fingerprint -> private key file
        self.unsaved_key: SecretStr | None = None
        """A one-time private key from Vonage not saved yet (see :meth:`retry_save_key`)."""
        self._unsaved: UnsavedKeyError | None = None  # keeps it, and saves it on retry
        self._closed = False
        self._stop_sandbox: weakref.finalize[Any, Any] | None = None
        self._remote_sandbox: tuple[str, str, str] | None = None
        self._forms: weakref.WeakSet[ApplicationForm] = weakref.WeakSet()  # for their pickers

        use_vonage = sandbox is False or (
            sandbox is None and (bool(api_key or api_secret) or _credentials_set(env))
        )
        self.mode: Mode = "vonage" if use_vonage else "sandbox"
        """``"sandbox"`` (offline, local) or ``"vonage"`` (the real API)."""
        if use_vonage:
            self.client = VonageClient(api_key, api_secret)
            self._origin = "live"
            return
        self.client = self._sandbox_client(sandbox, api_key, api_secret, seed, env)

    # -- choosing the sandbox ---------------------------------------------------------------

    def _sandbox_client(
        self,
        sandbox: Sandbox | str | bool | None,
        api_key: str | None,
        api_secret: str | None,
        seed: int | None,
        env: Mapping[str, str],
    ) -> VonageClient:
        if isinstance(sandbox, Sandbox):
            self.sandbox = sandbox.start()
            self._origin = "offline"
            if sandbox.latency:
                self._origin += f", {describe_latency(sandbox.latency)}"
            key = api_key or sandbox.api_key
            secret = api_secret or sandbox.api_secret
            return _client_for(sandbox.url, key, secret, sandbox.ca_file)
        url = sandbox if isinstance(sandbox, str) else env.get(ENV_SANDBOX_URL, "").strip()
        key = api_key or DEFAULT_API_KEY
        secret = api_secret or DEFAULT_API_SECRET
        if url:
            given = isinstance(sandbox, str)
            self._origin = "offline" if given else "offline, shared by vonage-widgets lab"
            # Kept for simulate_call's own request to that sandbox; never shown.
            self._remote_sandbox = (url, key, secret)
            return _client_for(url, key, secret, None)
        embedded = WorkbookSandbox(
            db=_sandbox_db(env, self.home),
            seed=seed if seed is not None else _seed_from(env),
            latency=latency_from_env(env),
        )
        embedded.start()
        self.sandbox = embedded
        # Re-running ``wb = Workbook()`` drops the old workbook without close(): stop its
        # sandbox (and delete a temporary database) when it is collected or at exit.
        self._stop_sandbox = weakref.finalize(self, embedded.close)
        self._origin = f"offline, in this kernel, {embedded.target_description}"
        try:
            return _client_for(embedded.url, embedded.api_key, embedded.api_secret, None)
        except BaseException:
            embedded.close()
            raise

    # -- showing what it uses ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL of the Application API this workbook calls."""
        return self.client.api_host

    def _parts(self) -> list[str]:
        what = "sandbox" if self.mode == "sandbox" else "Vonage API"
        parts = [f"{what} at {self.url} ({self._origin})", f"key {self.client.api_key}"]
        app = self.application
        if app is not None:
            parts.append(f"application {app.name!r} ({app.id})")
        return parts

    def __repr__(self) -> str:
        return " · ".join(["Workbook", *self._parts()])

    def _repr_html_(self) -> str:
        first, *rest = (html.escape(part, quote=False) for part in self._parts())
        what, _, where = first.partition(" at ")
        colour = "#137333" if self.mode == "sandbox" else "#b06000"
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 2px 8px">'
            f"<b>Workbook</b> · <b>{what}</b> at {where} · {' · '.join(rest)}</div>"
        )

    # -- simulated calls ---------------------------------------------------------------------

    @property
    def signature_secret(self) -> str | None:
        """The secret that signs this workbook's voice webhooks (for a WebhookServer to check).

        The embedded sandbox's own; for a sandbox in another process, its documented default;
        with the real API, ``VONAGE_SIGNATURE_SECRET`` (from the Dashboard) or None.
        """
        if self.sandbox is not None:
            return self.sandbox.signature_secret
        if self.mode == "sandbox":
            return DEFAULT_SIGNATURE_SECRET
        return os.environ.get("VONAGE_SIGNATURE_SECRET") or None

    def simulate_call(self, to: str, from_: str = DEFAULT_CALLER, **options: Any) -> CallTrace:
        """Place a simulated inbound call to ``to`` (a linked number) and return its trace.

        The sandbox does what Vonage does: it requests the application's answer URL, runs
        the NCCO and posts the events [api-notes §3]. ``options`` are
        :meth:`Sandbox.simulate_call`'s: ``dtmf``, ``speech``, ``answer_callee``, ...
        Works with a sandbox in this kernel and with the one ``vonage-widgets lab`` shares.
        """
        if self.sandbox is not None:
            return self.sandbox.simulate_call(to, from_, api_key=self.client.api_key, **options)
        if self._remote_sandbox is not None:
            url, key, secret = self._remote_sandbox
            return simulate_call_remote(url, to, from_, api_key=key, api_secret=secret, **options)
        rule = "simulated calls need the sandbox; with the real API, call the number from a phone"
        raise ValidationError([FieldError("", rule)], subject="simulated call")

    def call(
        self,
        to: str,
        ncco: Any = None,
        *,
        from_: str | None = None,
        answer_url: str | None = None,
        event_url: str | None = None,
        **options: Any,
    ) -> PlacedCall:
        """Make an outbound call as the current application, authenticated by its saved key.

        Sends ``POST /v1/calls`` with a fresh RS256 JWT signed by the private key in
        :attr:`key_path`, then reads the call back. Give ``ncco`` (actions, or an ``Ncco``)
        or ``answer_url``. Without ``from_`` the call uses ``random_from_number`` (a number
        linked to the application). Returns a :class:`~vonage_widgets.calling.PlacedCall`:
        the record, the JWT's claims (never the key) and, on a sandbox, the call's trace.
        """
        from vonage_widgets.calling import PlacedCall, VoiceCalls, call_body, fetch_trace

        app = self._current()
        key = self.key_path
        if key is None:
            self.check_key()  # raises, saying where the key was looked for
        assert key is not None
        body = call_body(
            to, ncco=ncco, answer_url=answer_url, from_=from_, event_url=event_url, **options
        )
        verify: Any = True
        if self.sandbox is not None and self.sandbox.ca_file is not None:
            verify = self.sandbox.ca_file
        with VoiceCalls(self.url, str(app.id), key, verify=verify) as calls:
            created = calls.create(body)
            claims = dict(calls.last_claims)
            record = calls.get(created["uuid"])
        trace = None
        if self.sandbox is not None:
            trace = fetch_trace(
                self.url,
                created["uuid"],
                api_key=self.sandbox.api_key,
                api_secret=self.sandbox.api_secret,
                verify=verify,
            )
        elif self._remote_sandbox is not None:
            url, api_key, secret = self._remote_sandbox
            trace = fetch_trace(url, created["uuid"], api_key=api_key, api_secret=secret)
        return PlacedCall(created["uuid"], record, claims, trace, created)

    # -- messages and rtc ------------------------------------------------------------------

    def _sandbox_access(self, subject: str) -> tuple[str, str, str, Any]:
        """(url, api key, api secret, TLS verify) of the sandbox, or a ValidationError."""
        if self.sandbox is not None:
            verify: Any = self.sandbox.ca_file or True
            return self.url, self.client.api_key, self.sandbox.api_secret, verify
        if self._remote_sandbox is not None:
            url, key, secret = self._remote_sandbox
            return url, key, secret, True
        rule = f"{subject}s need the sandbox; with the real API, use a real phone or client"
        raise ValidationError([FieldError("", rule)], subject=subject)

    def simulate_inbound_message(
        self, to: str, text: str, *, from_: str = DEFAULT_CALLER, channel: str = "sms"
    ) -> WebhookDelivery:
        """Have the sandbox receive a message sent to number ``to`` (sms, mms or whatsapp).

        The sandbox posts it to the ``inbound_url`` of the application ``to`` is linked to,
        signed, in the application's ``capabilities.messages.version`` format. A number the
        account does not own, one not linked, or an application without messages is refused
        with an error naming ``to``. Returns what happened to the webhook.
        """
        from vonage_widgets.sending import WebhookDelivery, sandbox_request

        url, key, secret, verify = self._sandbox_access("simulated message")
        body = {"to": to, "text": text, "from": from_, "channel": channel}
        data = sandbox_request(
            url, "POST", "/_sandbox/messages/inbound", api_key=key, api_secret=secret,
            body=body, verify=verify,
        )  # fmt: skip
        return WebhookDelivery.from_dict(data)

    def simulate_rtc_event(
        self,
        type: str = "member:joined",
        *,
        body: dict[str, Any] | None = None,
        conversation_id: str | None = None,
    ) -> WebhookDelivery:
        """Have the sandbox post a Conversation-style event to the current application's
        rtc ``event_url`` (``member:joined``, ``message``, ``custom:...``, ...)."""
        from vonage_widgets.sending import WebhookDelivery, sandbox_request

        app = self._current()
        url, key, secret, verify = self._sandbox_access("simulated RTC event")
        request: dict[str, Any] = {"application_id": str(app.id), "type": type}
        if body is not None:
            request["body"] = body
        if conversation_id is not None:
            request["conversation_id"] = conversation_id
        data = sandbox_request(
            url, "POST", "/_sandbox/rtc/events", api_key=key, api_secret=secret,
            body=request, verify=verify,
        )  # fmt: skip
        return WebhookDelivery.from_dict(data)

    def send_message(
        self, to: str, text: str | None = None, *, from_: str, channel: str = "sms", **options: Any
    ) -> SentMessage:
        """Send a message as the current application, authenticated by its saved key.

        ``POST /v1/messages`` with a fresh RS256 JWT; ``text``, or ``image_url`` (and
        ``caption``) for an image on mms/whatsapp; ``options`` such as ``client_ref``,
        ``webhook_url``, ``webhook_version``. On a sandbox, waits until the status webhooks
        (submitted, delivered, read, ...) have been posted and returns them with the message.
        """
        from vonage_widgets.sending import (
            MessagesClient,
            SentMessage,
            WebhookDelivery,
            message_body,
            sandbox_request,
        )

        app = self._current()
        key = self.key_path
        if key is None:
            self.check_key()  # raises, saying where the key was looked for
        assert key is not None
        body = message_body(to, text, from_=from_, channel=channel, **options)
        verify: Any = True
        if self.sandbox is not None and self.sandbox.ca_file is not None:
            verify = self.sandbox.ca_file
        with MessagesClient(self.url, str(app.id), key, verify=verify) as messages:
            sent = messages.send(body)
            claims = dict(messages.last_claims)
        message = SentMessage(str(sent["message_uuid"]), body, claims)
        if self.mode == "sandbox":
            url, api_key, secret, verify = self._sandbox_access("message status")
            data = sandbox_request(
                url, "GET", f"/_sandbox/messages/{message.message_uuid}",
                api_key=api_key, api_secret=secret, verify=verify,
            )  # fmt: skip
            message.deliveries = [WebhookDelivery.from_dict(d) for d in data["deliveries"]]
        return message

    def display_path(self, path: str | os.PathLike[str]) -> str:
        """``path`` for people and saved notebooks: ``<home>/...`` inside the workbook home."""
        return _shown_path(Path(path), self.home)

    # -- applications -----------------------------------------------------------------------

    def applications(self) -> list[Application]:
        """Every application of the account, in the API's order.

        For a table of a large account, ``capabilities_table(wb.client.applications
        .iter_all())`` streams the pages instead of holding every application at once.
        """
        return self.client.applications.list_all()

    def use(self, id_or_name: str | Application) -> Application:
        """Make an application current, found by id or by name; returns it.

        A name shared by several applications is refused with their ids (pass one); a name
        or id that matches nothing is refused with a list of what exists.
        """
        if isinstance(id_or_name, Application):
            self.application = id_or_name
            return id_or_name
        # Streamed: only the matches and what an error message shows are kept, so looking
        # one application up in a large account never holds them all.
        lookup = _Lookup(id_or_name)
        for app in self.client.applications.iter_all():
            lookup.see(app)
        found = lookup.by_id or lookup.by_name
        if not found:
            raise ValidationError(
                [FieldError("id_or_name", lookup.not_found())],
                subject="application lookup",
            )
        self.application = _only(found, id_or_name)
        return self.application

    def ensure_application(self, name: str, **settings: Any) -> Application:
        """The application called ``name``: the existing one, else a new one made with
        ``settings`` (the arguments of :meth:`create_application`). It becomes current.

        Lets a notebook run on its own: it resumes from an earlier notebook's application
        when there is one. An existing application is used as it is (``settings`` are then
        ignored); several with that name are refused with their ids.
        """
        matches = _named(self.client.applications.iter_all(), name)
        if not matches:
            return self.create_application(name, **settings)
        self.application = _only(matches, name)
        return self.application

    def delete_applications(self, *names: str, confirm: bool = False) -> list[Application]:
        """Delete every application called one of ``names``; returns those deleted.

        For running a notebook again against a sandbox that keeps its state: names can
        repeat, so a second run would otherwise make a second application of each name, and
        finding one by name (:meth:`use`, :meth:`ensure_application`) would then need its id.
        In a sandbox they are deleted at once (the sandbox unlinks their numbers). A real
        Vonage account is never changed unasked: there, finding any of them without
        ``confirm=True`` raises a ValidationError that lists them by name and id, and deletes
        nothing; deleting cannot be undone [api-notes §1.1]. Their private key files stay in
        :attr:`keys_dir` (a key may serve another application made from an exported file).
        """
        wanted = set(names)
        found = [
            app for app in self.client.applications.iter_all() if app.name in wanted and app.id
        ]
        if found and self.mode == "vonage" and not confirm:
            raise ValidationError(
                [FieldError("confirm", _real_account_rule(found))],
                subject="application deletion",
            )
        for app in found:
            app_id = str(app.id)  # listed applications have ids (filtered above)
            # Deleted meanwhile (another kernel, the Dashboard): gone either way.
            with contextlib.suppress(NotFoundError):
                self.client.applications.delete(app_id)
            if self.application is not None and self.application.id == app_id:
                self.application = None
        if found:
            self._refresh_forms()
        return found

    def create_application(
        self,
        name: str,
        *,
        answer_url: str | Mapping[str, Any] | None = None,
        event_url: str | Mapping[str, Any] | None = None,
        fallback_answer_url: str | Mapping[str, Any] | None = None,
        capabilities: Mapping[str, Any] | None = None,
        privacy: Mapping[str, Any] | None = None,
        public_key: str | os.PathLike[str] | None = None,
        generate_keys: bool = True,
    ) -> Application:
        """Create an application in code; it becomes current and is returned.

        ``answer_url``, ``event_url`` and ``fallback_answer_url`` (an address, or a whole
        webhook object) switch on voice with those webhooks; ``capabilities`` and ``privacy``
        are API objects (wire names), merged with them. Keys: ``public_key`` (PEM text or a
        file) is used as given; otherwise ``generate_keys=True`` makes a pair here and saves
        the private key in :attr:`keys_dir` (mode 0600) *before* the request, so it cannot be
        lost; with ``generate_keys=False`` Vonage makes the pair and its one-time private key
        is saved the same way. The key file is then :attr:`key_path`. If saving that
        one-time key fails, the application still becomes current, the key is kept in
        :attr:`unsaved_key` and :class:`~vonage_widgets.errors.UnsavedKeyError` says to
        call :meth:`retry_save_key`.
        """
        body = _create_body(name, answer_url, event_url, fallback_answer_url, capabilities, privacy)
        validate_application(body)  # every problem at once, before a key is made or sent
        key_file: Path | None = None
        if public_key is not None:
            body["keys"] = {"public_key": public_key_pem(public_key)}
        elif generate_keys:
            public, key_file = new_key_pair(lambda pair: self._key_file(name, pair.public_pem))
            body["keys"] = {"public_key": public}
        created = send(lambda: self.client.applications.create(body), key_file)
        returned = keep_returned_key(
            created,
            lambda app: returned_key_file(self.keys_dir, app),
            kept_in="in wb.unsaved_key (never shown): call wb.retry_save_key(path)",
        )
        clean = returned.application
        self.application = clean  # it exists at Vonage now, whatever happens to the key
        self._refresh_forms()
        if returned.unsaved is not None:
            self._unsaved = returned.unsaved
            self.unsaved_key = returned.unsaved.private_key
            raise returned.unsaved from None
        key_file = returned.key_file or key_file
        if key_file is not None:
            self._remember_key_file(clean, key_file)
        return clean

    def retry_save_key(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save :attr:`unsaved_key` (a one-time key whose save failed); returns the file.

        ``path`` is a file or a folder (default: the file that could not be written). The
        file is 0600 and becomes the application's :attr:`key_path`; raises
        KeyHandlingError (the key still kept) when it cannot be saved either.
        """
        unsaved = self._unsaved
        if unsaved is None or unsaved.private_key is None:
            raise KeyHandlingError("there is no unsaved private key to save")
        saved = unsaved.retry_save(path)
        self._remember_key_file(unsaved.application, saved)
        self._unsaved = self.unsaved_key = None
        return saved

    def _remember_key_file(self, app: Application, key_file: Path) -> None:
        if app.keys is not None and app.keys.public_key:
            self._key_files[fingerprint(app.keys.public_key)] = key_file

    def _key_file(self, name: str, public_pem: str | None, private: Any = None) -> Path:
        pem = public_pem if public_pem is not None else public_key_pem(private)
        return self.keys_dir / key_file_name(name, pem)

    # -- keys -------------------------------------------------------------------------------

    @property
    def key_path(self) -> Path | None:
        """The private key file in :attr:`keys_dir` of the current application, if any.

        Found by matching the application's public key, so it also works for applications
        made by the form, by an earlier notebook or in an earlier session.
        """
        app = self.application
        public = app.keys.public_key if app is not None and app.keys is not None else None
        return self.find_private_key(public) if public else None

    def find_private_key(self, public_key: str) -> Path | None:
        """The file in :attr:`keys_dir` holding the private half of ``public_key``, or None."""
        try:
            wanted = fingerprint(public_key)
        except VonageWidgetsError:
            return None
        known = self._key_files.get(wanted)
        if known is not None and known.is_file():
            return known
        for candidate in sorted(self.keys_dir.glob("*.key")):
            try:
                if keys_match(candidate, public_key):
                    self._key_files[wanted] = candidate
                    return candidate
            except VonageWidgetsError:
                continue  # not a key we can read: not ours to judge here
        return None

    def check_key(self) -> KeyCheck:
        """Where the current application's private key is, its file mode, and whether it
        matches; raises when there is no current application or no key file for it."""
        app = self._current()
        path = self.key_path
        if path is None:
            raise VonageWidgetsError(
                f"no private key for application {app.name!r} in {self.display_path(self.keys_dir)}"
                ": it was made elsewhere, or its key file was moved"
            )
        mode = f"{stat.S_IMODE(path.stat().st_mode):04o}"
        public = app.keys.public_key if app.keys is not None else None
        matches = keys_match(path, public) if public else False
        return KeyCheck(self.display_path(path), mode, matches)

    # -- form and files ---------------------------------------------------------------------

    def form(self, application: Application | str | None = None) -> ApplicationForm:
        """An :class:`~vonage_widgets.widgets.ApplicationForm` wired to this workbook.

        No argument: an empty form that creates an application. An application, id or name
        (see :meth:`use`): the form edits it. Keys go to :attr:`keys_dir`; every save (and
        every application picked in the form) becomes :attr:`application`.
        """
        from vonage_widgets.widgets import ApplicationForm

        target = self.use(application) if isinstance(application, str) else application
        form = ApplicationForm(
            self.client, keys_dir=self.keys_dir, application=target, path_label=self.display_path
        )
        form.observe(self._follow_form, names="application")
        self._forms.add(form)
        # Fill the picker with the account's applications, keeping the form's own greeting
        # ("New application ..." / "Loaded ...") rather than the listing's "Found N".
        greeting = form.status.value
        try:
            form.refresh_applications()
        except VonageWidgetsError:
            return form  # the status already says why the list could not be read
        form.status.value = greeting
        return form

    def _follow_form(self, change: Mapping[str, Any]) -> None:
        app = change.get("new")
        if isinstance(app, Application) and app.id:
            self.application = app
            owner = change.get("owner")
            others = [form for form in self._forms if form is not owner]
            if any(app.id not in _picker_ids(form) for form in others):
                self._refresh_forms()  # a form created one: the others list it too
            old = change.get("old")
            if isinstance(old, Application) and old.id == app.id and old != app:
                for form in others:  # a form saved it: the others editing it follow
                    form.follow_saved(app)

    def _refresh_forms(self) -> None:
        """After a change to the account's applications: every live form's picker lists them."""
        forms = list(self._forms)
        if not forms:
            return
        try:
            apps = self.client.applications.list_all()
        except VonageWidgetsError:
            return  # the lists stay as they were; each form's Refresh button says why
        for form in forms:
            form.show_applications(apps)

    def export(
        self, path: str | os.PathLike[str] | None = None, *, include_keys: bool = True
    ) -> dict[str, Any]:
        """The current application as JSON-ready data, also written to ``path`` if given.

        See :func:`~vonage_widgets.appconfig.export_application` (never a private key).
        """
        return export_application(self._current(), path, include_keys=include_keys)

    def apply(self, path: str | os.PathLike[str]) -> Application:
        """Make the account match an application file (update or create); it becomes current.

        See :func:`~vonage_widgets.appconfig.apply_application_file`; a private key Vonage
        returns is saved in :attr:`keys_dir`.
        """
        result = apply_application_file(self.client, path, keys_dir=self.keys_dir)
        self.application = Application.from_api(result.to_dict())
        self._refresh_forms()
        for form in list(self._forms):  # forms editing it show the applied version
            form.follow_saved(self.application)
        return self.application

    def _current(self) -> Application:
        if self.application is None:
            raise VonageWidgetsError(
                "no current application: pick one with wb.use('name or id'), "
                "wb.ensure_application('name'), or create one"
            )
        return self.application

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the client and stop an embedded sandbox (its temporary database goes too)."""
        if self._closed:
            return
        self._closed = True
        self.client.close()
        if self._stop_sandbox is not None:
            self._stop_sandbox()  # runs embedded.close() once, whoever gets there first

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.close()


# -- helpers ----------------------------------------------------------------------------------


def _credentials_set(env: Mapping[str, str]) -> bool:
    present = [name for name in _CREDENTIALS if env.get(name)]
    if len(present) == 1:
        missing = next(name for name in _CREDENTIALS if name not in present)
        warnings.warn(
            f"{present[0]} is set but {missing} is not: using the sandbox. Set both to use "
            "the real Vonage API.",
            stacklevel=3,
        )
    return len(present) == len(_CREDENTIALS)


def _client_for(url: str, key: str, secret: str, ca_file: str | None) -> VonageClient:
    verify: bool | str = ca_file if ca_file else True
    return VonageClient(key, secret, api_host=url, rest_host=url, verify=verify)


def _named(apps: Iterable[Application], name: str) -> list[Application]:
    return [app for app in apps if app.name == name]


def _only(matches: list[Application], wanted: str) -> Application:
    if len(matches) == 1:
        return matches[0]
    ids = ", ".join(str(app.id) for app in matches)
    message = (
        f"{len(matches)} applications are named {wanted!r} ({ids}): "
        "pass the id of the one you mean, e.g. wb.use('<id>')"
    )
    raise ValidationError([FieldError("name", message)], subject="application lookup")


class _Lookup:
    """One pass over a listing for :meth:`Workbook.use`: the matches by id and by name, and
    just enough of the rest (the first few, a count, a near miss) to explain a miss."""

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted
        self.by_id: list[Application] = []
        self.by_name: list[Application] = []
        self._shown: list[str] = []
        self._count = 0
        self._close: str | None = None
        self._folded = wanted.strip().casefold()

    def see(self, app: Application) -> None:
        """Take one application of the listing into account."""
        self._count += 1
        if app.id == self.wanted:
            self.by_id.append(app)
        if app.name == self.wanted:
            self.by_name.append(app)
        if len(self._shown) < _LISTED_APPLICATIONS:
            self._shown.append(f"{app.name!r} ({app.id})")
        if self._close is None and app.name.strip().casefold() == self._folded:
            self._close = app.name

    def not_found(self) -> str:
        """Why nothing matched: what the account has, and a near miss if there is one."""
        wanted = self.wanted
        if not self._count:
            return (
                f"no application has the id or name {wanted!r}: the account has none yet "
                "(create one with wb.form() or wb.create_application(name))"
            )
        more = self._count - _LISTED_APPLICATIONS
        tail = f" and {more} more" if more > 0 else ""
        hint = f" Did you mean {self._close!r}?" if self._close is not None else ""
        shown = ", ".join(self._shown)
        return (
            f"no application has the id or name {wanted!r}; the account has: {shown}{tail}.{hint}"
        )


def _real_account_rule(found: list[Application]) -> str:
    shown = ", ".join(f"{app.name!r} ({app.id})" for app in found[:_LISTED_APPLICATIONS])
    more = len(found) - _LISTED_APPLICATIONS
    tail = f" and {more} more" if more > 0 else ""
    return (
        f"must be True to delete applications of a real Vonage account; it has {shown}{tail}. "
        "Nothing was deleted. Delete them in the Dashboard or with "
        "wb.delete_applications(..., confirm=True), or keep using them: wb.use('<id>') "
        "picks one"
    )


def _webhook(value: str | Mapping[str, Any]) -> dict[str, Any]:
    return {"address": value} if isinstance(value, str) else dict(value)


def _create_body(
    name: str,
    answer_url: str | Mapping[str, Any] | None,
    event_url: str | Mapping[str, Any] | None,
    fallback_answer_url: str | Mapping[str, Any] | None,
    capabilities: Mapping[str, Any] | None,
    privacy: Mapping[str, Any] | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    caps: dict[str, Any] = copy.deepcopy(dict(capabilities)) if capabilities else {}
    hooks = {
        key: _webhook(value)
        for key, value in (
            ("answer_url", answer_url),
            ("fallback_answer_url", fallback_answer_url),
            ("event_url", event_url),
        )
        if value is not None
    }
    if hooks:
        # Merged into what ``capabilities`` says; a value of the wrong type is left for
        # validate_application to report by its path rather than silently replaced.
        voice = object_at(caps, ("voice",))
        place_webhooks(voice, hooks)
    if caps:
        body["capabilities"] = caps
    if privacy is not None:
        body["privacy"] = dict(privacy)
    return body


def _picker_ids(form: ApplicationForm) -> set[str]:
    return {str(value) for _, value in form.app_picker.options if value}
