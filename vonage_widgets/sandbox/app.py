"""The sandbox's HTTP surface: Starlette routes for the Application API v2 and the Numbers API.

Both APIs share one host here (the official SDK is pointed at it with ``api_host`` and
``rest_host``). Request handling order for the Application API: wrong verb (405, with
``Allow``), credentials (401), ``Accept`` (406), ``Content-Type`` on POST/PUT (415), body
(400), then the resource (404). Bad input never yields a 5xx: every parse and validation
failure becomes a 4xx naming what was wrong. Blocking work (SQLite, RSA key generation) runs
in Starlette's thread pool.

Wire quirks of the official Python SDK this tolerates [api-notes §6.1]: a sticky
``Content-Type: application/json`` on GET/DELETE and on the Numbers API's form posts (form
bodies are always parsed as forms), ``has_application=True`` in Python's spelling, and a
create with no body at all.

Credentials: the Application API takes HTTP Basic only [api-notes §1.1]; the Numbers API
takes Basic or ``api_key``/``api_secret`` in the query (or form) [api-notes §2.1].
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

import pydantic_core
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, NumbersError, ValidationError
from vonage_widgets.sandbox import applications as apps
from vonage_widgets.sandbox import numbers
from vonage_widgets.sandbox.basic_auth import basic_credentials, check_secret, unauthorized
from vonage_widgets.sandbox.ids import IdFactory
from vonage_widgets.sandbox.problems import (
    NUMBERS_MEDIA_TYPE,
    Reply,
    bad_request,
    numbers_reply,
    problem,
)
from vonage_widgets.sandbox.store import Store

__all__ = ["MAX_BODY_BYTES", "JsonBody", "build_app"]

MAX_BODY_BYTES = 1024 * 1024
"""Largest request body read (an application body is a few KB)."""

_log = logging.getLogger("vonage_widgets.sandbox")
_JSON = "application/json"
_ACCEPTABLE = frozenset({"application/json", "application/*", "*/*"})


class JsonBody(JSONResponse):
    """A JSON response rendered by pydantic-core's encoder (Rust), not ``json.dumps``.

    The same compact UTF-8 JSON as Starlette's renderer for every body this module sends
    (``tests/test_sandbox_json_render.py``), in about a fifth of the time: rendering was a
    quarter of the sandbox's cost of a list page of 100 (benchmarks/listing.py). Bodies hold
    no NaN or infinity (request bodies refuse them), so Starlette's ``allow_nan=False`` has
    nothing to catch.
    """

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)


# -- small parsers ---------------------------------------------------------------------------


def _accepts_json(header: str | None) -> bool:
    """True when ``Accept`` is missing or admits application/json with q > 0."""
    if header is None or not header.strip():
        return True
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and media.lower() in _ACCEPTABLE:
            return True
    return False


_BOM = b"\xef\xbb\xbf"


def _parse_json(raw: bytes) -> object:
    """The body as a JSON value; raises ValidationError when it is not JSON.

    Decoded by :func:`vonage_widgets._json.loads` (nesting, number and surrogate rules).
    A problem of the body as a whole has path ``""`` and a reason starting "the request
    body"; a lone surrogate is reported at the path of its string. Unlike files, a body
    may not start with a byte order mark: JSON sent over a network must not [RFC 8259 8.1],
    and the sandbox is here to catch client mistakes.
    """

    def fail(reason: str) -> ValidationError:
        return ValidationError([FieldError("", reason)], subject="request body")

    if not raw.strip():
        raise fail("the request body is empty: send a JSON object with at least a name")
    if raw.startswith(_BOM):
        raise fail(
            "the request body is not valid JSON: it starts with a byte order mark (U+FEFF), "
            "which JSON sent over a network must not"
        )
    try:
        return loads(raw, subject="request body")
    except ValidationError as error:
        raise ValidationError(
            [
                FieldError("", f"the request body {e.message}") if not e.path else e
                for e in error.errors
            ],
            subject=error.subject,
        ) from None


def _form(raw: bytes) -> dict[str, str]:
    """A Numbers API body as a form, whatever ``Content-Type`` says (the SDK mislabels it)."""
    text = raw.decode("utf-8", "replace")
    if text.lstrip().startswith("{"):  # tolerate a JSON object of strings too
        try:
            data = loads(text, subject="form body")
        except ValidationError:
            data = None
        if isinstance(data, dict):
            return {str(k): "" if v is None else str(v) for k, v in data.items()}
    return dict(parse_qsl(text, keep_blank_values=True))


# -- the application ---------------------------------------------------------------------


class _Sandbox:
    """Request handlers bound to one store, one set of accounts and one id source."""

    def __init__(self, store: Store, accounts: Mapping[str, str], ids: IdFactory) -> None:
        self.store = store
        self.accounts = dict(accounts)
        self.ids = ids

    def _account(self, key: str, secret: str) -> str | None:
        return check_secret(self.accounts, key, secret)

    # -- Application API helpers -----------------------------------------------------

    def _unauthorized(self) -> Reply:
        return Reply(unauthorized(self.ids.instance()))

    def _app_account(self, request: Request) -> str:
        """Authenticate (Basic) and check ``Accept`` and, for POST/PUT, ``Content-Type``."""
        credentials = basic_credentials(request.headers.get("authorization", ""))
        account = self._account(*credentials) if credentials else None
        if account is None:
            raise self._unauthorized()
        if not _accepts_json(request.headers.get("accept")):
            raise Reply(
                problem(
                    406,
                    "accept-header",
                    "Invalid Accept header",
                    "Invalid Accept header provided. Must be one of the following: "
                    "'application/json'",
                    self.ids.instance(),
                )
            )
        if request.method in ("POST", "PUT"):
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media != _JSON:
                raise Reply(
                    problem(
                        415,
                        "content-type-header",
                        "Unsupported Content-Type header",
                        "Unsupported Content-Type header provided. Must be one of the "
                        "following: 'application/json'",
                        self.ids.instance(),
                    )
                )
        return account

    async def _document(self, request: Request) -> dict[str, Any]:
        raw = await _read_body(request, self.ids)
        try:
            data = _parse_json(raw)
            return await run_in_threadpool(apps.validated_document, data)
        except ValidationError as error:
            raise Reply(bad_request(error.errors, self.ids.instance())) from None

    def _not_found(self, app_id: str) -> Reply:
        shown = app_id if len(app_id) <= 100 else app_id[:100] + "..."
        return Reply(
            problem(
                404,
                "not-found",
                "Not Found",
                f"ID '{shown}' does not exist, or you do not have access",
                self.ids.instance(),
            )
        )

    # -- Application API handlers ----------------------------------------------------

    async def applications(self, request: Request) -> Response:
        """GET (list) and POST (create) ``/v2/applications``."""
        account = self._app_account(request)
        if request.method == "POST":
            return await self._create(request, account)
        try:
            page, page_size = apps.parse_page_params(request.query_params)
        except ValidationError as error:
            raise Reply(bad_request(error.errors, self.ids.instance(), listing=True)) from None
        offset = min((page - 1) * page_size, 2**62)  # SQLite OFFSET is a signed 64-bit int
        total, rows = await run_in_threadpool(
            self.store.list_applications, account, offset=offset, limit=page_size
        )
        items = [apps.application_body(row) for row in rows]
        return JsonBody(apps.list_body(page, page_size, total, items))

    async def _create(self, request: Request, account: str) -> Response:
        document = await self._document(request)

        def create() -> dict[str, Any]:
            created = apps.new_document(document)
            stored = self.store.create_application(account, created.document)
            return apps.application_body(stored, created.private_key)

        return JsonBody(await run_in_threadpool(create), 201)

    async def application(self, request: Request) -> Response:
        """GET, PUT and DELETE ``/v2/applications/{id}``."""
        account = self._app_account(request)
        app_id: str = request.path_params["id"]
        if request.method == "PUT":
            document = await self._document(request)

            def update() -> dict[str, Any] | None:
                with self.store.write():
                    current = self.store.get_application(account, app_id)
                    if current is None:
                        return None
                    merged = apps.merge_update(current.document, document)
                    stored = self.store.replace_application(account, app_id, merged)
                return None if stored is None else apps.application_body(stored)

            body = await run_in_threadpool(update)
        elif request.method == "DELETE":

            def delete() -> bool:
                with self.store.write():
                    if not self.store.delete_application(account, app_id):
                        return False
                    numbers.unlink_application(self.store, account, app_id)
                return True

            if await run_in_threadpool(delete):
                return Response(status_code=204)
            body = None
        else:
            stored = await run_in_threadpool(self.store.get_application, account, app_id)
            body = None if stored is None else apps.application_body(stored)
        if body is None:
            raise self._not_found(app_id)
        return JsonBody(body)

    # -- Numbers API -----------------------------------------------------------------

    def _numbers_account(self, request: Request, form: Mapping[str, str]) -> str:
        """Basic header, else ``api_key``/``api_secret`` in the query or form [api-notes §2.1]."""
        header = request.headers.get("authorization")
        if header:
            credentials = basic_credentials(header)
        else:
            params = {**form, **request.query_params}
            key, secret = params.get("api_key"), params.get("api_secret")
            credentials = (key, secret) if key is not None and secret is not None else None
        account = self._account(*credentials) if credentials else None
        if account is None:
            raise Reply(numbers_reply(401, "401", "authentication failed"))
        return account

    async def _numbers(
        self,
        request: Request,
        operation: Callable[[Store, str, Mapping[str, str]], dict[str, Any]],
    ) -> Response:
        form: dict[str, str] = {}
        if request.method == "POST":
            form = _form(await _read_body(request, self.ids, numbers_api=True))
        account = self._numbers_account(request, form)
        params = form if request.method == "POST" else dict(request.query_params)
        try:
            body = await run_in_threadpool(operation, self.store, account, params)
        except NumbersError as error:
            raise Reply(
                numbers_reply(error.status, error.error_code, error.error_code_label)
            ) from None
        return JsonBody(body, media_type=NUMBERS_MEDIA_TYPE)

    async def owned_numbers(self, request: Request) -> Response:
        """GET ``/account/numbers``."""
        return await self._numbers(request, numbers.list_owned_numbers)

    async def search_numbers(self, request: Request) -> Response:
        """GET ``/number/search``."""
        return await self._numbers(request, numbers.search_available_numbers)

    async def update_number(self, request: Request) -> Response:
        """POST ``/number/update``."""

        def update(store: Store, account: str, form: Mapping[str, str]) -> dict[str, Any]:
            def exists(app_id: str) -> bool:
                return store.get_application(account, app_id) is not None

            return numbers.update_number(store, account, form, exists)

        return await self._numbers(request, update)

    async def buy_number(self, request: Request) -> Response:
        """POST ``/number/buy``."""
        return await self._numbers(request, numbers.buy_number)

    async def cancel_number(self, request: Request) -> Response:
        """POST ``/number/cancel``."""
        return await self._numbers(request, numbers.cancel_number)

    # -- errors raised outside the handlers ----------------------------------------------

    def http_error(self, request: Request, exc: Exception) -> Response:
        """404 for unknown paths, 405 for wrong verbs, in each API's own error shape."""
        assert isinstance(exc, HTTPException)
        headers = dict(exc.headers or {})
        if "Allow" in headers:
            allowed = sorted({m.strip() for m in headers["Allow"].split(",")})
            headers["Allow"] = ", ".join(allowed)
        if not _is_application_api(request):
            label = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error")
            return numbers_reply(exc.status_code, str(exc.status_code), label, headers)
        instance = self.ids.instance()
        if exc.status_code == 405:
            return problem(
                405,
                "wrong-verb",
                "Request method not allowed",
                f"Request method '{request.method}' not supported",
                instance,
                headers=headers,
            )
        if exc.status_code == 404:
            return problem(
                404,
                "not-found",
                "Not Found",
                f"No such endpoint: {request.method} {request.url.path}",
                instance,
            )
        return problem(exc.status_code, "", str(exc.detail), str(exc.detail), instance)

    def server_error(self, request: Request, exc: Exception) -> Response:
        """A bug, never bad input: say so without details (they may hold request data)."""
        _log.error("sandbox error on %s %s: %s", request.method, request.url.path, type(exc))
        if not _is_application_api(request):
            return numbers_reply(500, "500", "internal error")
        return problem(
            500,
            "https://developer.vonage.com/api-errors",
            "Internal Server Error",
            "The sandbox failed to handle this request.",
            self.ids.instance(),
        )


def _is_application_api(request: Request) -> bool:
    return request.url.path == "/v2" or request.url.path.startswith("/v2/")


async def _read_body(request: Request, ids: IdFactory, *, numbers_api: bool = False) -> bytes:
    """The request body, refusing more than :data:`MAX_BODY_BYTES`."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            limit = f"the request body is larger than {MAX_BODY_BYTES // 1024} KB"
            if numbers_api:
                raise Reply(numbers_reply(413, "413", limit))
            raise Reply(problem(413, "", "Payload Too Large", limit, ids.instance()))
        chunks.append(chunk)
    return b"".join(chunks)


def _reply(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Reply)
    return exc.response


def build_app(
    store: Store,
    accounts: Mapping[str, str],
    ids: IdFactory,
    *,
    extra_routes: Sequence[BaseRoute] = (),
) -> ASGIApp:
    """The ASGI app of the sandbox.

    ``extra_routes`` lets later features (call simulation) share the host. Every
    connection, TLS included, is kept alive: ``Sandbox.stop()`` aborts idle keep-alive
    connections first (:mod:`vonage_widgets._server`), its graceful-shutdown timeout (2 s)
    bounds only requests still in flight, and a handshake per request would cost more than
    the listing it served.
    """
    sandbox = _Sandbox(store, accounts, ids)
    routes: list[BaseRoute] = [
        Route("/v2/applications", sandbox.applications, methods=["GET", "POST"]),
        Route("/v2/applications/{id}", sandbox.application, methods=["GET", "PUT", "DELETE"]),
        Route("/account/numbers", sandbox.owned_numbers, methods=["GET"]),
        Route("/number/search", sandbox.search_numbers, methods=["GET"]),
        Route("/number/update", sandbox.update_number, methods=["POST"]),
        Route("/number/buy", sandbox.buy_number, methods=["POST"]),
        Route("/number/cancel", sandbox.cancel_number, methods=["POST"]),
        *extra_routes,
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            Reply: _reply,
            HTTPException: sandbox.http_error,
            Exception: sandbox.server_error,
        },
    )
    # "/v2/applications/" must be a 404 like any unknown id, not a redirect.
    app.router.redirect_slashes = False
    return app
