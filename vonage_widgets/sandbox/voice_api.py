"""The Voice API's call subset on the sandbox's host, authenticated by application JWTs.

Routes [api-notes §3.5]: ``POST /v1/calls`` (create), ``GET /v1/calls`` (list, with the
``status``, ``date_start``, ``date_end``, ``conversation_uuid`` filters and
``page_size``/``record_index``/``order`` paging), ``GET /v1/calls/{uuid}`` and
``PUT /v1/calls/{uuid}`` (``hangup``, ``mute``, ``unmute``, ``earmuff``, ``unearmuff``,
``transfer`` to an NCCO or a URL). A sandbox-only ``GET /_sandbox/calls/{uuid}/trace``
(Basic auth with the account's API key and secret) returns the engine's trace of a call, for
the workbook's timeline.

Authentication is what Vonage does: every request carries ``Authorization: Bearer <jwt>``,
an RS256 token naming an application of one of the sandbox's accounts and signed with its
private key; the application's *stored* public key checks it
(:func:`vonage_widgets.keys.verify_application_jwt`, whose docstring lists the rules and the
``acl`` matching). Any refusal is ``401`` with the gateway's body
``{"type":"UNAUTHORIZED","error_title":"Unauthorized"}`` [messages-and-rtc.md 4.3]; the
sandbox adds an ``X-Sandbox-Auth-Error`` header saying which rule failed (never the token).
Rotating an application's key (``PUT /v2/applications`` with a new public key) makes every
token signed with the old key fail at once: keys are read from the store on each request.

Decisions where Vonage's public material is silent (summed up in ``docs/architecture.md``):

* **Scope**: calls belong to the account of the application whose token made them; any
  application of that account can read them. Another account's call is a 404. An application
  stored under an API key this sandbox does not serve is refused like an unknown one (401).
* **Validation errors** are RFC 7807 400 bodies with ``invalid_parameters`` naming each field
  (the Voice service's documented shape for invalid parameters [GO]); an unknown call is 404.
* **Modifying an ended call**: sandbox calls run to their end when created
  (:mod:`vonage_widgets.sandbox.voice_calls`), so every stored call has ended. ``hangup`` of an
  ended call is accepted (204, nothing changes: hanging up is idempotent); ``mute``,
  ``unmute``, ``earmuff``, ``unearmuff`` and ``transfer`` are validated in full (a transfer's
  NCCO or URL included), then refused with 400 saying the call has ended. Vonage's own answer
  for an ended call is not public.
* ``random_from_number: true`` uses the first number linked to the application; with none
  linked the call is refused (400 naming ``random_from_number``).
* **Records** live in the sandbox's SQLite file (table ``voice_calls``), one row per leg.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.keys import JwtRefused, VerifiedJwt, verify_application_jwt
from vonage_widgets.sandbox.basic_auth import basic_account, unauthorized
from vonage_widgets.sandbox.calls import CallSimulator
from vonage_widgets.sandbox.problems import bad_request, problem
from vonage_widgets.sandbox.store import Store
from vonage_widgets.sandbox.voice_calls import LegRecord
from vonage_widgets.voice.trace import CallTrace

__all__ = ["CALLS_API_PATH", "UNAUTHORIZED_BODY", "VoiceApi", "voice_routes"]

CALLS_API_PATH = "/v1/calls"
UNAUTHORIZED_BODY: dict[str, str] = {"type": "UNAUTHORIZED", "error_title": "Unauthorized"}
"""What Vonage's gateway answers for a bad bearer token [messages-and-rtc.md 4.3]."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS voice_calls (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    account           TEXT NOT NULL,
    uuid              TEXT NOT NULL UNIQUE,
    conversation_uuid TEXT NOT NULL,
    status            TEXT NOT NULL,
    start_time        TEXT NOT NULL,
    document          TEXT NOT NULL,
    trace             TEXT
);
CREATE INDEX IF NOT EXISTS voice_calls_by_account ON voice_calls (account, seq);
"""
_MAX_BODY = 1024 * 1024


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _record_body(leg: LegRecord) -> dict[str, Any]:
    body: dict[str, Any] = {
        "_links": {"self": {"href": f"{CALLS_API_PATH}/{leg.uuid}"}},
        "uuid": leg.uuid,
        "conversation_uuid": leg.conversation_uuid,
        "to": leg.to,
        "from": leg.from_,
        "status": leg.status,
        "direction": leg.direction,
    }
    for name in ("rate", "price", "duration", "start_time", "end_time", "network"):
        value = getattr(leg, name)
        if value is not None:
            body[name] = str(value)
    return body


class VoiceApi:
    """Request handlers for ``/v1/calls`` over one store and the call engine."""

    def __init__(self, simulator: CallSimulator) -> None:
        self.simulator = simulator
        self.store: Store = simulator.store
        self._ready = False
        self._lock = threading.Lock()

    # -- storage -----------------------------------------------------------------------

    def _table(self) -> None:
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                with self.store.write() as conn:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                self._ready = True

    def public_key_for(self, app_id: str) -> tuple[str, str] | None:
        """(account, public key PEM) of application ``app_id``, if an account here owns it."""
        # json_extract reads the key inside SQLite: no parse of the whole document per request.
        # One statement is its own snapshot: no BEGIN/COMMIT round (as Store.get_application).
        row = (
            self.store._connection()
            .execute(
                "SELECT account, json_extract(document, '$.keys.public_key') "
                "FROM applications WHERE id = ?",
                (app_id,),
            )
            .fetchone()
        )
        if row is None or row[0] not in self.simulator.accounts:
            return None
        pem = row[1]
        return (row[0], pem) if isinstance(pem, str) and pem else None

    def _save(self, account: str, legs: list[LegRecord], trace: CallTrace) -> None:
        self._table()
        with self.store.write() as conn:
            for index, leg in enumerate(legs):
                conn.execute(
                    "INSERT INTO voice_calls (account, uuid, conversation_uuid, status, "
                    "start_time, document, trace) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        account,
                        leg.uuid,
                        leg.conversation_uuid,
                        leg.status,
                        leg.start_time or trace.start_time,
                        _dumps(_record_body(leg)),
                        _dumps(trace.to_dict()) if index == 0 else None,
                    ),
                )

    def _get(self, account: str, uuid: str, column: str = "document") -> Any:
        self._table()
        with self.store.read() as conn:
            row = conn.execute(
                f"SELECT {column} FROM voice_calls WHERE account = ? AND uuid = ?",  # noqa: S608
                (account, uuid),
            ).fetchone()
        return None if row is None or row[0] is None else loads(row[0], subject="call record")

    def _list(self, account: str, query: Mapping[str, Any]) -> tuple[int, list[Any]]:
        self._table()
        where, args = ["account = ?"], [account]
        if query.get("status"):
            where.append("status = ?")
            args.append(query["status"])
        if query.get("conversation_uuid"):
            where.append("conversation_uuid = ?")
            args.append(query["conversation_uuid"])
        for name, op in (("date_start", ">="), ("date_end", "<=")):
            if query.get(name) is not None:
                where.append(f"start_time {op} ?")
                args.append(query[name])
        sql_where = " AND ".join(where)
        order = "DESC" if query.get("order") == "desc" else "ASC"
        with self.store.read() as conn:
            total = conn.execute(
                f"SELECT COUNT(*) FROM voice_calls WHERE {sql_where}",  # noqa: S608
                args,
            ).fetchone()[0]
            rows = conn.execute(
                f"SELECT document FROM voice_calls WHERE {sql_where} "  # noqa: S608
                f"ORDER BY seq {order} LIMIT ? OFFSET ?",
                [*args, query["page_size"], query["record_index"]],
            ).fetchall()
        return int(total), [loads(r[0], subject="call record") for r in rows]

    # -- auth --------------------------------------------------------------------------

    def authenticate(self, request: Request) -> tuple[str, VerifiedJwt]:
        """The account and verified token of a request; raises :class:`JwtRefused`."""
        accounts: dict[str, str] = {}

        def lookup(app_id: str) -> str | None:
            found = self.public_key_for(app_id)
            if found is None:
                return None
            accounts[app_id] = found[0]
            return found[1]

        verified = verify_application_jwt(
            request.headers.get("authorization"),
            lookup,
            path=request.url.path,
            method=request.method,
        )
        return accounts[verified.application_id], verified

    @staticmethod
    def refused(error: JwtRefused) -> Response:
        """The 401 Vonage's gateway answers, with the failed rule in a sandbox header."""
        return JSONResponse(
            UNAUTHORIZED_BODY,
            401,
            headers={
                "WWW-Authenticate": 'Bearer error="invalid_token"',
                "X-Sandbox-Auth-Error": f"{error.reason}: {error.detail}"[:300],
            },
        )

    # -- handlers ------------------------------------------------------------------------

    async def calls(self, request: Request) -> Response:
        """``GET`` (list) and ``POST`` (create) ``/v1/calls``."""
        try:
            account, token = await run_in_threadpool(self.authenticate, request)
        except JwtRefused as error:
            return self.refused(error)
        if request.method == "POST":
            return await self._create(request, account, token.application_id)
        return await self._list_calls(request, account)

    async def _body(self, request: Request, subject: str) -> object:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > _MAX_BODY:
                raise ValidationError(
                    [FieldError("", "the request body is larger than 1024 KB")], subject=subject
                )
        if not raw.strip():
            raise ValidationError([FieldError("", "the request body is empty")], subject=subject)
        try:
            return loads(raw, subject=subject)
        except ValidationError as error:
            raise ValidationError(
                [
                    FieldError("", f"the request body {e.message}") if not e.path else e
                    for e in error.errors
                ],
                subject=subject,
            ) from None

    async def _create(self, request: Request, account: str, app_id: str) -> Response:
        from vonage_widgets.models.voice import validate_create_call

        ids = self.simulator.ids
        try:
            data = await self._body(request, "call")
            call = validate_create_call(data)
            if call.ncco is not None:
                _require_valid_ncco(call.ncco, "ncco", "call")
        except ValidationError as error:
            return bad_request(error.errors, ids.instance())
        assert isinstance(data, dict)

        def place() -> tuple[CallTrace, list[LegRecord]]:
            from vonage_widgets.models import Application
            from vonage_widgets.sandbox.voice_calls import place_outbound

            stored = self.store.get_application(account, app_id)
            if stored is None:  # deleted between the token check and now
                raise JwtRefused("unknown-application", "the application no longer exists")
            if call.from_ is None and not self.store.numbers_linked_to(account, app_id):
                rule = (
                    f"is true, but no number is linked to application {app_id}: link one "
                    "(client.numbers.link) or give from"
                )
                raise ValidationError([FieldError("random_from_number", rule)], subject="call")
            application = Application.from_api({**stored.document, "id": stored.id})
            trace, legs = place_outbound(self.simulator, account, application, call, data)
            self._save(account, legs, trace)
            return trace, legs

        try:
            trace, _ = await run_in_threadpool(place)
        except JwtRefused as error:
            return self.refused(error)
        except ValidationError as error:
            return bad_request(error.errors, ids.instance())
        body = {
            "uuid": trace.uuid,
            "status": "started",
            "direction": "outbound",
            "conversation_uuid": trace.conversation_uuid,
        }
        return JSONResponse(body, 201)

    async def _list_calls(self, request: Request, account: str) -> Response:
        from vonage_widgets.models.voice import validate_call_filters

        try:
            filters = validate_call_filters(dict(request.query_params))
        except ValidationError as error:
            return bad_request(error.errors, self.simulator.ids.instance(), listing=True)
        query: dict[str, Any] = filters.model_dump()
        for name in ("date_start", "date_end"):
            value = query[name]
            if isinstance(value, datetime):
                query[name] = value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        total, calls = await run_in_threadpool(self._list, account, query)
        size, index = filters.page_size, filters.record_index

        def link(at: int) -> dict[str, str]:
            params = {k: v for k, v in request.query_params.items() if k != "record_index"}
            params.update(page_size=str(size), record_index=str(at), order=filters.order)
            return {"href": f"{CALLS_API_PATH}?{urlencode(params)}"}

        links: dict[str, Any] = {"self": link(index), "first": link(0)}
        last = max(0, (total - 1) // size * size)
        links["last"] = link(last)
        if index + size < total:
            links["next"] = link(index + size)
        if index > 0:
            links["prev"] = link(max(0, index - size))
        body = {
            "count": total,
            "page_size": size,
            "record_index": index,
            "_links": links,
            "_embedded": {"calls": calls},
        }
        return JSONResponse(body)

    async def call(self, request: Request) -> Response:
        """``GET`` and ``PUT`` ``/v1/calls/{uuid}``."""
        try:
            account, _ = await run_in_threadpool(self.authenticate, request)
        except JwtRefused as error:
            return self.refused(error)
        uuid: str = request.path_params["uuid"]
        ids = self.simulator.ids
        update = None
        if request.method == "PUT":
            from vonage_widgets.models.voice import validate_update_call

            try:
                update = validate_update_call(await self._body(request, "call update"))
                destination = update.destination
                if destination is not None and destination.ncco is not None:
                    _require_valid_ncco(destination.ncco, "destination.ncco", "call update")
            except ValidationError as error:
                return bad_request(error.errors, ids.instance())
        record = await run_in_threadpool(self._get, account, uuid)
        if record is None:
            shown = uuid if len(uuid) <= 100 else uuid[:100] + "..."
            return problem(
                404,
                "not-found",
                "Not Found",
                f"Call '{shown}' does not exist, or you do not have access",
                ids.instance(),
            )
        if update is None:
            return JSONResponse(record)
        if update.action == "hangup":
            return Response(status_code=204)
        return problem(
            400,
            "bad-request",
            "Bad Request",
            f"Call '{uuid}' has ended (status {record.get('status')}): only a call in "
            f"progress can be given the action {update.action!r}",
            ids.instance(),
            invalid_parameters=[FieldError("action", "the call is no longer in progress")],
        )

    async def trace(self, request: Request) -> Response:
        """``GET /_sandbox/calls/{uuid}/trace`` (Basic auth): the engine's trace of a call."""
        ids = self.simulator.ids
        account = basic_account(self.simulator.accounts, request.headers.get("authorization", ""))
        if account is None:
            return unauthorized(ids.instance())
        data = await run_in_threadpool(self._get, account, request.path_params["uuid"], "trace")
        if data is None:
            return problem(404, "not-found", "Not Found", "No trace for this call", ids.instance())
        return JSONResponse(data)


def voice_routes(simulator: CallSimulator) -> list[Route]:
    """The Voice API's routes, to add to the sandbox's app (``build_app(extra_routes=...)``)."""
    api = VoiceApi(simulator)
    return [
        Route(CALLS_API_PATH, api.calls, methods=["GET", "POST"]),
        Route(CALLS_API_PATH + "/{uuid}", api.call, methods=["GET", "PUT"]),
        Route("/_sandbox/calls/{uuid}/trace", api.trace, methods=["GET"]),
    ]


def _require_valid_ncco(ncco: list[Any], path: str, subject: str) -> None:
    """Raise ``ValidationError`` naming each faulty action's field under ``path``."""
    from vonage_widgets.models.ncco import check_ncco  # the NCCO models load on first use

    checked = check_ncco(ncco)
    if not checked.ok:
        raise ValidationError(
            [FieldError(f"{path}.{e.path}".rstrip("."), e.message) for e in checked.errors],
            subject=subject,
        )
