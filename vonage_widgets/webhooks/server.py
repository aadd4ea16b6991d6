"""The local webhook server: serve the NCCO that answers calls, record every webhook.

A notebook starts it, points an application's voice webhooks at it (``webhooks_for``), makes
a call (the sandbox's call simulator, or Vonage through a tunnel) and reads what arrived as a
DataFrame. Decisions where Vonage's public material is silent are listed in :class:`WebhookServer`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vonage_widgets._server import BackgroundServer
from vonage_widgets.errors import FieldError, ValidationError, VonageWidgetsError
from vonage_widgets.models import Application
from vonage_widgets.redact import mask
from vonage_widgets.webhooks._http import (
    Outcome,
    decode_body,
    describe,
    ordered_query,
    original_type,
    problem,
)
from vonage_widgets.webhooks.answer import AnswerRequest
from vonage_widgets.webhooks.application import point_capability_webhooks, point_voice_webhooks
from vonage_widgets.webhooks.records import (
    RequestKind,
    RequestLog,
    WebhookRecord,
    all_events_frame,
    events_frame,
    messages_frame,
    requests_frame,
)
from vonage_widgets.webhooks.reply import is_ncco_value, ncco_problems, to_wire
from vonage_widgets.webhooks.signature import UNSIGNED, check_signature, is_invalid

__all__ = ["DEFAULT_NCCO", "EventHandler", "NccoFunction", "PayloadHandler", "WebhookServer"]

NccoFunction = Callable[[AnswerRequest], Any]
"""A function that answers one call: gets the request, returns an NCCO (list or builder)."""
EventHandler = Callable[[dict[str, Any]], Any]
"""Gets each event webhook's payload; returns an NCCO to reply with, or ``None``."""
PayloadHandler = Callable[[dict[str, Any]], Any]
"""Gets each inbound-message, message-status or RTC payload; what it returns is ignored
(the server answers 200); raising answers 500, which makes Vonage retry."""
_REPORT_KINDS = ("inbound", "status", "rtc")  # Messages and RTC webhooks: POST, reply 200

DEFAULT_NCCO: list[dict[str, Any]] = [
    {
        "action": "talk",
        "text": "Hello from the vonage widgets webhook server. No NCCO has been set yet.",
    }
]
"""Served when the server was started without an NCCO, so a test call still says something."""

_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_WEBHOOK_METHODS = ("GET", "POST")  # Vonage sends either, as configured [api-notes §3.2, §3.3]


class WebhookServer:
    """Answer, event and fallback webhooks for a voice application, on loopback by default;
    also the Messages webhooks (inbound messages, message statuses) and RTC events.

    ``on_inbound``, ``on_status`` and ``on_rtc`` get each such payload (a dict); the server
    answers them ``200`` with no body (what Vonage asks for), after checking the signature
    like every other webhook; a handler that raises answers 500 (Vonage retries 5xx).
    Their URLs: :attr:`inbound_url`, :attr:`status_url`, :attr:`rtc_url`; tables:
    :attr:`messages` and :attr:`all_events` (every capability in one table).

    ``ncco`` is what answers calls: a fixed NCCO (a list of action dicts or models, or an
    ``Ncco`` builder), or a function ``(AnswerRequest) -> NCCO`` called once per call.
    ``on_event`` gets each event webhook's payload (a dict) and may return an NCCO, which
    Vonage uses for events that expect one (``input`` results, ``notify``) [api-notes §3.3];
    returning ``None`` (or having no handler) answers ``204 No Content``.

    Every request is recorded (:attr:`requests`, :attr:`events`, :meth:`wait_for`), including
    ones to unknown paths and ones the server refuses; the newest ``max_records`` are kept.
    Answers: 200 with the NCCO; 204 for an event with no reply; 400 for a POST body that is
    not a JSON object; 401 for a refused signature; 404 for an unknown path; 405 for a method
    other than GET or POST; 500 (RFC 7807-style JSON) when the user's code fails.

    A real Vonage cannot reach ``127.0.0.1``: this server on loopback serves the sandbox's
    call simulator. To take real calls, expose the port with a tunnel and pass its address
    as ``public_url`` so :attr:`answer_url` and :meth:`webhooks_for` use it.

    Decisions:

    * ``validate=True``: a fixed NCCO is checked when set (``ValidationError`` at once); an
      NCCO from a function is checked per call and, if invalid, is **not** served: the reply
      is 500 with the field errors and the record says why, so Vonage (or the simulator)
      goes on to the fallback URL and the user sees the reason [api-notes §3.4].
    * An exception in ``ncco`` or ``on_event`` answers 500 and is recorded as
      ``"<Type>: <message>"`` (secrets redacted); the server keeps running.
    * Signed webhooks (``signature_secret`` set): a signature that does not verify
      (wrong secret, tampered payload, malformed token) is always answered 401; a request
      with no ``Authorization`` header is answered 401 when ``reject_unsigned`` (default)
      and served but recorded as ``"unsigned"`` otherwise, because Vonage may rarely send
      unsigned callbacks [api-notes §3.6]. Unknown paths are 404 whatever the signature.
    * A fallback request is handled like the request that failed: an answer
      (``original_request.type`` ``answer`` or absent) calls ``ncco``, an event calls
      ``on_event`` [api-notes §3.4].
    """

    def __init__(
        self,
        ncco: Any = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        signature_secret: str | SecretStr | None = None,
        answer_path: str = "/webhooks/answer",
        event_path: str = "/webhooks/event",
        fallback_path: str = "/webhooks/fallback",
        on_event: EventHandler | None = None,
        inbound_path: str = "/webhooks/inbound",
        status_path: str = "/webhooks/status",
        rtc_path: str = "/webhooks/rtc",
        on_inbound: PayloadHandler | None = None,
        on_status: PayloadHandler | None = None,
        on_rtc: PayloadHandler | None = None,
        validate: bool = True,
        reject_unsigned: bool = True,
        public_url: str | None = None,
        max_records: int = 10_000,
    ) -> None:
        self._paths = _check_paths(
            answer=answer_path,
            event=event_path,
            fallback=fallback_path,
            inbound=inbound_path,
            status=status_path,
            rtc=rtc_path,
        )
        self.answer_path = answer_path
        self.event_path = event_path
        self.fallback_path = fallback_path
        self.inbound_path = inbound_path
        self.status_path = status_path
        self.rtc_path = rtc_path
        self.on_inbound = on_inbound
        self.on_status = on_status
        self.on_rtc = on_rtc
        if isinstance(signature_secret, str):
            signature_secret = SecretStr(signature_secret)
        self._secret: SecretStr | None = signature_secret or None
        self.validate = validate
        self.reject_unsigned = reject_unsigned
        self.public_url = public_url.rstrip("/") if public_url else None
        self.on_event = on_event
        self._ncco: Any = DEFAULT_NCCO
        self.ncco = DEFAULT_NCCO if ncco is None else ncco
        self._log = RequestLog(max_records)
        app = Starlette(routes=[Route("/{path:path}", self._endpoint, methods=_ALL_METHODS)])
        self._server = BackgroundServer(app, host=host, port=port, name="webhook server")

    # ---------------------------------------------------------------- configuration

    @property
    def ncco(self) -> Any:
        """What answers calls: a copy of the fixed NCCO as JSON, or the user's function."""
        return self._ncco if callable(self._ncco) else copy.deepcopy(self._ncco)

    @ncco.setter
    def ncco(self, value: Any) -> None:
        """Replace the NCCO while running; a fixed one is converted and (if on) validated now."""
        if not is_ncco_value(value):
            self._ncco = value
            return
        wire = to_wire(value)
        if self.validate:
            problems = ncco_problems(wire)
            if problems:
                raise ValidationError(problems, subject="NCCO")
        self._ncco = wire

    @property
    def has_signature_secret(self) -> bool:
        """Whether signed webhooks are checked (the secret itself is never shown)."""
        return self._secret is not None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> WebhookServer:
        """Start serving in a background thread (returns at once when already running)."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving; records are kept."""
        self._server.stop()

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._server.running

    def __enter__(self) -> WebhookServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self._server.url if self._server.port else f"{self._server.host}:<not started>"
        return (
            f"WebhookServer(url={where!r}, running={self.running}, "
            f"signature_secret={mask(self._secret_value())!r}, "
            f"validate={self.validate}, requests={len(self._log)})"
        )

    __str__ = __repr__

    # ---------------------------------------------------------------- URLs

    @property
    def local_url(self) -> str:
        """Where the server listens, e.g. ``http://127.0.0.1:53123``."""
        if not self._server.port:
            raise VonageWidgetsError(
                "the webhook server has no port yet: call .start() first (or pass port=...)"
            )
        return self._server.url

    @property
    def url(self) -> str:
        """Base URL the webhooks use: ``public_url`` when given, else :attr:`local_url`."""
        return self.public_url or self.local_url

    @property
    def answer_url(self) -> str:
        """Full answer webhook URL."""
        return self.url + self.answer_path

    @property
    def event_url(self) -> str:
        """Full event webhook URL."""
        return self.url + self.event_path

    @property
    def fallback_url(self) -> str:
        """Full fallback answer webhook URL."""
        return self.url + self.fallback_path

    @property
    def inbound_url(self) -> str:
        """Full inbound-message webhook URL (messages ``inbound_url``)."""
        return self.url + self.inbound_path

    @property
    def status_url(self) -> str:
        """Full message-status webhook URL (messages ``status_url``)."""
        return self.url + self.status_path

    @property
    def rtc_url(self) -> str:
        """Full RTC event webhook URL (rtc ``event_url``)."""
        return self.url + self.rtc_path

    def messages_webhooks(self) -> dict[str, Any]:
        """``capabilities.messages.webhooks`` pointing at this server (both POST)."""
        return {
            "inbound_url": {"address": self.inbound_url, "http_method": "POST"},
            "status_url": {"address": self.status_url, "http_method": "POST"},
        }

    def rtc_webhooks(self) -> dict[str, Any]:
        """``capabilities.rtc.webhooks`` pointing at this server (POST)."""
        return {"event_url": {"address": self.rtc_url, "http_method": "POST"}}

    def messages_for(self, application: Application, *, rtc: bool = False) -> Application:
        """A copy of ``application`` whose messages ``inbound_url`` and ``status_url`` (and,
        with ``rtc=True``, rtc ``event_url``) point at this server; the capabilities are
        switched on when absent, everything else is kept. Save it with the client."""
        changed = point_capability_webhooks(
            application,
            "messages",
            {"inbound_url": self.inbound_url, "status_url": self.status_url},
        )
        if rtc:
            changed = point_capability_webhooks(changed, "rtc", {"event_url": self.rtc_url})
        return changed

    def webhooks_for(
        self,
        application: Application,
        *,
        answer_method: str | None = None,
        event_method: str | None = None,
        fallback_method: str | None = None,
    ) -> Application:
        """A copy of ``application`` whose voice webhooks point at this server.

        Only the three voice webhook addresses change (methods too, when given; otherwise the
        application's own method is kept, or answer GET / event POST / fallback GET for a new
        webhook). Timeouts, other voice settings, other capabilities and unknown fields are
        kept. ``signed_callbacks`` is not touched. The original is not modified.
        """
        return point_voice_webhooks(
            application,
            {
                "answer_url": (self.answer_url, answer_method),
                "event_url": (self.event_url, event_method),
                "fallback_answer_url": (self.fallback_url, fallback_method),
            },
        )

    # ---------------------------------------------------------------- what arrived

    @property
    def records(self) -> list[WebhookRecord]:
        """Every recorded request, oldest first (a copy)."""
        return self._log.snapshot()

    @property
    def requests(self) -> pd.DataFrame:
        """Every request as a row; columns ``records.REQUEST_COLUMNS`` even when empty."""
        return requests_frame(self._log.snapshot())

    @property
    def events(self) -> pd.DataFrame:
        """Event webhooks, payload flattened; ``status``, ``uuid``, ... columns first."""
        return events_frame(self._log.snapshot())

    @property
    def messages(self) -> pd.DataFrame:
        """Inbound messages and message statuses received (``tables.messages``)."""
        return messages_frame(self._log.snapshot())

    @property
    def all_events(self) -> pd.DataFrame:
        """Every webhook received, of every capability (voice, messages, rtc), one table."""
        return all_events_frame(self._log.snapshot())

    def clear(self) -> None:
        """Forget every recorded request."""
        self._log.clear()

    def wait_for(
        self,
        kind: RequestKind | None = "event",
        status: str | None = None,
        timeout: float = 5.0,
        **fields: Any,
    ) -> WebhookRecord:
        """The first recorded request of ``kind`` whose payload has ``status`` and ``fields``.

        Example: ``server.wait_for("event", status="completed", uuid=call_uuid)``. Looks at
        requests already recorded (call :meth:`clear` first to ignore them), then waits at
        most ``timeout`` seconds. ``kind=None`` matches any kind. Raises
        :class:`~vonage_widgets.errors.RequestTimeout` when nothing matches in time.
        """
        return self._log.wait_for(kind, status, timeout=timeout, fields=fields)

    # ---------------------------------------------------------------- serving

    async def _endpoint(self, request: Request) -> Response:
        received = datetime.now(UTC)
        method = request.method.upper()
        path = request.url.path
        kind: RequestKind = self._paths.get(path, "unknown")
        query = ordered_query(request)
        raw = await request.body()
        body, body_is_json = decode_body(raw)

        payload: dict[str, Any] = {}
        signed: bytes | Mapping[str, Any] | None
        if method == "GET":
            payload, signed = dict(query), query
        else:
            payload = body if isinstance(body, dict) else {}
            signed = raw if body_is_json else None
        secret = self._secret_value()
        signature = check_signature(request.headers.get("authorization"), secret, signed)

        try:
            outcome = self._refusal(kind, method, signature, body, body_is_json)
            if outcome is None:
                outcome = await self._serve(kind, payload)
        except Exception as exc:  # a bug in our own code must not kill the connection
            outcome = problem(500, "webhook server error", describe(exc, secret))

        self._log.add(
            WebhookRecord(
                time=received,
                kind=kind,
                method=method,
                path=path,
                query=query,
                body=body,
                signature=signature,
                response_status=outcome.status,
                response=outcome.content,
                error=outcome.error,
                payload=payload,
            )
        )
        if outcome.content is None:
            return Response(status_code=outcome.status, headers=outcome.headers)
        return Response(
            json.dumps(outcome.content, ensure_ascii=False),
            status_code=outcome.status,
            headers=outcome.headers,
            media_type="application/json",
        )

    def _refusal(
        self, kind: RequestKind, method: str, signature: str, body: Any, body_is_json: bool
    ) -> Outcome | None:
        """The error answer for a request this server will not serve, else ``None``."""
        if kind == "unknown":
            known = ", ".join(self._paths)
            return problem(404, "not found", f"no webhook here; this server answers {known}")
        if kind in _REPORT_KINDS and method != "POST":
            outcome = problem(405, "method not allowed", f"{kind} webhooks use POST")
            outcome.headers["Allow"] = "POST"
            return outcome
        if method not in _WEBHOOK_METHODS:
            outcome = problem(405, "method not allowed", f"{kind} webhooks use GET or POST")
            outcome.headers["Allow"] = ", ".join(_WEBHOOK_METHODS)
            return outcome
        if is_invalid(signature):
            return problem(401, "invalid signature", signature.removeprefix("invalid: "))
        if signature == UNSIGNED and self.reject_unsigned:
            return problem(
                401,
                "unsigned webhook",
                "no 'Authorization: Bearer <jwt>' header, and this server requires signed "
                "webhooks (reject_unsigned=True)",
            )
        if method == "POST" and body is not None and not (body_is_json and isinstance(body, dict)):
            return problem(400, "bad request", "a POST webhook body must be a JSON object")
        return None

    async def _serve(self, kind: RequestKind, payload: dict[str, Any]) -> Outcome:
        payload = copy.deepcopy(payload)  # what the user's code changes, the record keeps as sent
        if kind in _REPORT_KINDS:
            return await self._report(kind, payload)
        if kind == "event" or (kind == "fallback" and original_type(payload) == "event"):
            return await self._on_event(payload)
        return await self._answer(AnswerRequest.from_payload(payload))

    async def _answer(self, call: AnswerRequest) -> Outcome:
        source = self._ncco
        if not callable(source):
            return Outcome(200, copy.deepcopy(source))  # validated once, when it was set
        try:
            ncco = await run_in_threadpool(source, call)
        except Exception as exc:
            return self._raised("ncco", exc)
        return self._reply(ncco, "ncco")

    async def _on_event(self, payload: dict[str, Any]) -> Outcome:
        handler = self.on_event
        if handler is None:
            return Outcome(204)
        try:
            reply = await run_in_threadpool(handler, payload)
        except Exception as exc:
            return self._raised("on_event", exc)
        if reply is None:
            return Outcome(204)
        return self._reply(reply, "on_event")

    async def _report(self, kind: RequestKind, payload: dict[str, Any]) -> Outcome:
        """A Messages or RTC webhook: call its handler (if any) and answer 200."""
        handler = {"inbound": self.on_inbound, "status": self.on_status, "rtc": self.on_rtc}[kind]
        if handler is not None:
            try:
                await run_in_threadpool(handler, payload)
            except Exception as exc:
                return self._raised(f"on_{kind}", exc)
        return Outcome(200)

    def _reply(self, ncco: Any, origin: str) -> Outcome:
        """Serve what the user's function returned, unless it is not a valid NCCO."""
        try:
            wire = to_wire(ncco)  # fails here, with a clear record, rather than mid-response
        except (TypeError, ValueError) as exc:
            return self._raised(origin, exc, doing="returned something that is not an NCCO")
        if self.validate:
            problems = ncco_problems(wire)
            if problems:
                listed = "; ".join(str(p) for p in problems)
                detail = f"{origin} returned an invalid NCCO: {listed}"
                return problem(500, "invalid NCCO", detail, problems)
        return Outcome(200, wire)

    def _raised(self, origin: str, exc: Exception, *, doing: str = "raised") -> Outcome:
        return problem(500, f"{origin} {doing}", describe(exc, self._secret_value()))

    def _secret_value(self) -> str | None:
        return self._secret.get_secret_value() if self._secret else None


# -------------------------------------------------------------------- helpers


def _check_paths(**paths: str) -> dict[str, RequestKind]:
    """Map each path to its kind; paths must be absolute and distinct."""
    kinds: list[tuple[RequestKind, str]] = list(paths.items())  # type: ignore[arg-type]
    problems = [
        FieldError(f"{kind}_path", "must start with '/'")
        for kind, path in kinds
        if not path.startswith("/")
    ]
    by_path: dict[str, RequestKind] = {}
    for kind, path in kinds:
        if path in by_path:
            problems.append(FieldError(f"{kind}_path", f"must differ from {by_path[path]}_path"))
        else:
            by_path[path] = kind
    if problems:
        raise ValidationError(problems, subject="webhook paths")
    return by_path
