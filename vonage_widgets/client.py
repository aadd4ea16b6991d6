"""A small, typed client for the Vonage Application API v2 and the Numbers API.

One :class:`VonageClient` holds the credentials and one keep-alive connection pool; its two
attributes group the calls: ``client.applications`` (:class:`ApplicationsApi`, api host) and
``client.numbers`` (:class:`NumbersApi`, rest host). Pass ``transport=httpx.MockTransport(...)``
to test without a network, or point the hosts at the local sandbox.

Requests and answers are the package's models (:mod:`vonage_widgets.models`); failures are
the package's errors (:mod:`vonage_widgets.errors`). Retry rules live in
:mod:`vonage_widgets._http`. Tags such as [api-notes §1.3] name sections of
``docs/api-notes.md``.
"""

from __future__ import annotations

import builtins
import gc
import math
import os
import platform
import ssl
import threading
import time
import types
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from vonage_widgets import __version__
from vonage_widgets._http import (
    HttpSession,
    NumbersHint,
    RetryPolicy,
    decode_json,
    display_url,
    normalize_base_url,
)
from vonage_widgets.errors import ApiError, FieldError, NumbersError, ValidationError
from vonage_widgets.models import (
    Application,
    ApplicationPage,
    AvailableNumbersPage,
    NumbersPage,
    OwnedNumber,
    validate_application,
    validate_country,
    validate_msisdn,
)
from vonage_widgets.redact import mask

__all__ = [
    "DEFAULT_API_HOST",
    "DEFAULT_REST_HOST",
    "FEATURE_SETS",
    "MAX_PAGE_SIZE",
    "NUMBER_TYPES",
    "PAGE_WINDOW",
    "PAGE_WORKERS",
    "ApplicationsApi",
    "NumbersApi",
    "ProgressCallback",
    "VonageClient",
]

DEFAULT_API_HOST = "https://api.nexmo.com"
"""Application API host [api-notes §1.1]."""

DEFAULT_REST_HOST = "https://rest.nexmo.com"
"""Numbers API host [api-notes §2.1]."""

MAX_PAGE_SIZE = 100
"""Largest page of both list calls: ``page_size`` [api-notes §1.3], ``size`` [api-notes §2.2]."""

NUMBER_TYPES = ("landline", "mobile-lvn", "landline-toll-free")
"""Number types ``search`` accepts [api-notes §2.2]."""

FEATURE_SETS: dict[frozenset[str], str] = {
    frozenset(spelling.split(",")): spelling
    for spelling in ("SMS", "VOICE", "MMS", "SMS,VOICE", "SMS,MMS", "VOICE,MMS", "SMS,MMS,VOICE")
}
"""Feature combinations ``GET /number/search`` accepts, keyed by set, in the spec's spelling."""

PAGE_WORKERS = 4
"""Threads fetching pages 2..n in ``list_all``/``iter_all``: enough to hide a real API's
latency, gentle on rate limits. The reading thread parses the pages, in order."""

PAGE_WINDOW = 2 * PAGE_WORKERS
"""Pages ``iter_all`` requests ahead of the one being read: keeps every worker busy while
bounding what waits in memory (that many raw page bodies, ~90 KB each at 100 per page)."""

ProgressCallback = Callable[[int, int], None]
"""``progress(done_pages, total_pages)``, called from the calling thread after each page."""

_T = TypeVar("_T")


class VonageClient:
    """Credentials, hosts and one connection pool for the Vonage REST APIs used here.

    Arguments left out are read from the environment: ``VONAGE_API_KEY``,
    ``VONAGE_API_SECRET``, ``VONAGE_API_HOST``, ``VONAGE_REST_HOST``. Hosts are full URLs
    (``http://127.0.0.1:8000`` for the sandbox); a bare host name gets ``https://``.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests). ``verify`` is
    ``True``, ``False``, a CA bundle path (the sandbox's ``ca_file``) or an ``SSLContext``.
    ``max_retries=0`` disables retries; ``max_retry_after`` caps how long a server's
    ``Retry-After`` may make a call wait; ``sleep`` is the function used to wait between
    retries (tests pass a recorder). ``user_agent`` replaces the default
    ``vonage-widgets/<version> python/<version> httpx/<version>``.
    Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        api_host: str | None = None,
        rest_host: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        verify: bool | str | Path | ssl.SSLContext = True,
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_after: float = 30.0,
    ) -> None:
        key = api_key or os.environ.get("VONAGE_API_KEY") or ""
        secret = api_secret or os.environ.get("VONAGE_API_SECRET") or ""
        _check_settings(key, secret, timeout, max_retries)
        self._api_key = key
        self._masked_secret = mask(secret)
        self._api_host = _host_setting(api_host, "VONAGE_API_HOST", DEFAULT_API_HOST, "api_host")
        self._rest_host = _host_setting(
            rest_host, "VONAGE_REST_HOST", DEFAULT_REST_HOST, "rest_host"
        )
        self._session = HttpSession(
            api_key=key,
            api_secret=secret,
            timeout=timeout,
            retry=RetryPolicy(max_retries=max_retries, max_retry_after=max_retry_after),
            transport=transport,
            verify=verify,
            user_agent=user_agent or _default_user_agent(),
            sleep=sleep,
        )
        self.applications = ApplicationsApi(self._session, self._api_host)
        """Application API v2: list, get, create, update, delete."""
        self.numbers = NumbersApi(self._session, self._rest_host)
        """Numbers API: owned numbers, link and unlink."""

    @property
    def api_key(self) -> str:
        """The API key (not a secret: it is shown in the Dashboard and in URLs of old APIs)."""
        return self._api_key

    @property
    def api_host(self) -> str:
        """Base URL of the Application API."""
        return self._api_host

    @property
    def rest_host(self) -> str:
        """Base URL of the Numbers API."""
        return self._rest_host

    @property
    def sleep(self) -> Callable[[float], None]:
        """The function that waits between retries (replace it in tests)."""
        return self._session.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], None]) -> None:
        self._session.sleep = value

    @property
    def closed(self) -> bool:
        """True once the connection pool is closed."""
        return self._session.closed

    def close(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        self._session.close()

    def __enter__(self) -> VonageClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"VonageClient(api_key={self._api_key!r}, api_secret={self._masked_secret!r}, "
            f"api_host={self._api_host!r}, rest_host={self._rest_host!r})"
        )


class ApplicationsApi:
    """The Application API v2 (``/v2/applications`` on the api host) [api-notes §1.1]."""

    def __init__(self, session: HttpSession, base_url: str) -> None:
        self._session = session
        self._url = f"{base_url}/v2/applications"

    def list(self, page: int = 1, page_size: int = MAX_PAGE_SIZE) -> ApplicationPage:
        """One page of the account's applications (``page`` starts at 1)."""
        return _application_page(self._fetch_page(page, page_size))

    def _fetch_page(self, page: int, page_size: int) -> httpx.Response:
        """The raw answer for one list page (checked arguments, retries, API errors)."""
        problems = _range_problems("page_size", page_size, 1, MAX_PAGE_SIZE)
        problems += _range_problems("page", page, 1, None)
        if problems:
            raise ValidationError(problems, subject="application list request")
        params = {"page_size": page_size, "page": page}
        return self._session.request("GET", self._url, params=params)

    def iter(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Application]:
        """Every application, one page at a time, in the API's order.

        Stops at ``total_pages`` or at the first empty page, so an empty account (reported
        as ``total_pages`` 0, or as page 1 of 0, the quirk of [api-notes §1.3]) yields nothing.
        """
        page_number = 1
        while True:
            page = self.list(page_number, page_size)
            yield from page.applications
            if not page.applications or page_number >= page.total_pages:
                return
            page_number += 1

    def iter_all(
        self, page_size: int = MAX_PAGE_SIZE, progress: ProgressCallback | None = None
    ) -> Generator[Application, None, None]:
        """Every application, in the API's order, with later pages fetched while you read.

        As fast as :meth:`list_all` and as light as :meth:`iter`: pages 2..n are fetched
        concurrently (:data:`PAGE_WORKERS` threads, at most :data:`PAGE_WINDOW` pages
        ahead), yet yielded in order and dropped once read, so
        ``capabilities_table(client.applications.iter_all())`` never holds every model.
        Stopping early (``break``, or ``close()`` on the generator) cancels the pages not
        yet requested. ``progress`` is called in the reading thread as each page is reached.
        """

        def first_page() -> tuple[builtins.list[Application], int]:
            page = self.list(1, page_size)
            return page.applications, page.total_pages if page.applications else 0

        # Returned, not re-yielded: one generator fewer for each of 10,000 items. Nothing
        # is sent before the first item is asked for.
        return _stream_pages(
            first_page,
            lambda number: self._fetch_page(number, page_size),
            lambda response: _application_page(response).applications,
            progress,
        )

    def list_all(
        self, page_size: int = MAX_PAGE_SIZE, progress: ProgressCallback | None = None
    ) -> builtins.list[Application]:
        """Every application as one list, in the API's order.

        Page 1 says how many pages there are; the rest are fetched concurrently by
        :data:`PAGE_WORKERS` threads sharing the client's connection pool. To build a table
        of a large account without holding every model, use :meth:`iter_all`.
        """
        with _gc_paused():
            return builtins.list(self.iter_all(page_size, progress))

    def get(self, application_id: str) -> Application:
        """One application by id (never carries a private key: Vonage shows it only once)."""
        return Application.from_api(self._get_json(self._item_url(application_id)))

    def create(self, app: Application | Mapping[str, Any]) -> Application:
        """Create an application; checked locally first, so bad input never reaches the network.

        When the request has no public key Vonage generates a pair and the answer carries
        ``keys.private_key`` (shown this once only, [api-notes §1.6]): save it with
        :func:`vonage_widgets.keys.save_private_key`.
        """
        body = _application_body(app)
        response = self._session.request("POST", self._url, json_body=body)
        return Application.from_api(_json_object(response))

    def update(self, application_id: str, app: Application | Mapping[str, Any]) -> Application:
        """Replace an application with ``app`` (PUT of the full document, [api-notes §1.7]).

        ``to_api()`` keeps capabilities and fields the models do not know, so they survive.
        """
        url = self._item_url(application_id)
        response = self._session.request("PUT", url, json_body=_application_body(app))
        return Application.from_api(_json_object(response))

    def delete(self, application_id: str) -> None:
        """Delete an application. This cannot be undone [api-notes §1.1]."""
        self._session.request("DELETE", self._item_url(application_id))

    def _item_url(self, application_id: str) -> str:
        if not isinstance(application_id, str) or not application_id.strip():
            raise ValidationError(
                [FieldError("id", "must be a non-empty application id")], subject="application id"
            )
        return f"{self._url}/{quote(application_id.strip(), safe='')}"

    def _get_json(self, url: str, params: Mapping[str, str | int] | None = None) -> Any:
        return _json_object(self._session.request("GET", url, params=params))


class NumbersApi:
    """The Numbers API on the rest host: owned numbers and number routing [api-notes §2].

    GETs send query parameters; POSTs send ``application/x-www-form-urlencoded`` forms.
    Vonage reports refusals as ``{"error-code", "error-code-label"}``, with HTTP 200 or 420;
    both become :class:`NumbersError` with a hint a person can act on.
    """

    def __init__(self, session: HttpSession, base_url: str) -> None:
        self._session = session
        self._base = base_url

    def list(
        self,
        country: str | None = None,
        application_id: str | None = None,
        has_application: bool | None = None,
        pattern: str | None = None,
        search_pattern: int | None = None,
        size: int = MAX_PAGE_SIZE,
        index: int = 1,
    ) -> NumbersPage:
        """One page of the numbers this account owns, optionally filtered [api-notes §2.2].

        ``search_pattern``: 0 = msisdn starts with ``pattern``, 1 = contains, 2 = ends with.
        """
        params = _number_filters(
            country, application_id, has_application, pattern, search_pattern, size, index
        )
        return self._numbers_page(self._fetch_page(params))

    def _fetch_page(self, params: Mapping[str, str | int]) -> httpx.Response:
        """The raw answer for one page of owned numbers (retries, HTTP errors)."""
        return self._session.request(
            "GET", f"{self._base}/account/numbers", params=params, numbers_hint=_hint_for("list")
        )

    def _numbers_page(self, response: httpx.Response) -> NumbersPage:
        """Read a page of owned numbers; an ``error-code`` in a 200 answer raises.

        The collector is paused while the page is read, as for application pages.
        """
        with _gc_paused():
            data = _json_object(response)
            _raise_for_error_code(data, response, _hint_for("list"), self._session)
            return NumbersPage.from_api(data)

    def iter(
        self,
        *,
        country: str | None = None,
        application_id: str | None = None,
        has_application: bool | None = None,
        pattern: str | None = None,
        search_pattern: int | None = None,
        size: int = MAX_PAGE_SIZE,
    ) -> Iterator[OwnedNumber]:
        """Every owned number matching the filters, page by page (``count > size * index``)."""
        index = 1
        while True:
            page = self.list(
                country, application_id, has_application, pattern, search_pattern, size, index
            )
            yield from page.numbers
            if not page.numbers or page.count <= size * index:
                return
            index += 1

    def iter_all(
        self,
        progress: ProgressCallback | None = None,
        *,
        country: str | None = None,
        application_id: str | None = None,
        has_application: bool | None = None,
        pattern: str | None = None,
        search_pattern: int | None = None,
        size: int = MAX_PAGE_SIZE,
    ) -> Generator[OwnedNumber, None, None]:
        """Every owned number matching the filters, in order, later pages fetched while you
        read (see :meth:`ApplicationsApi.iter_all`)."""

        def filters(index: int) -> dict[str, str | int]:
            return _number_filters(
                country, application_id, has_application, pattern, search_pattern, size, index
            )

        def first_page() -> tuple[builtins.list[OwnedNumber], int]:
            page = self._numbers_page(self._fetch_page(filters(1)))
            return page.numbers, math.ceil(page.count / size) if page.numbers else 0

        return _stream_pages(
            first_page,
            lambda index: self._fetch_page(filters(index)),
            lambda response: self._numbers_page(response).numbers,
            progress,
        )

    def list_all(
        self,
        progress: ProgressCallback | None = None,
        *,
        country: str | None = None,
        application_id: str | None = None,
        has_application: bool | None = None,
        pattern: str | None = None,
        search_pattern: int | None = None,
        size: int = MAX_PAGE_SIZE,
    ) -> builtins.list[OwnedNumber]:
        """Every owned number matching the filters as one list, pages 2..n fetched concurrently."""
        numbers = self.iter_all(
            progress,
            country=country,
            application_id=application_id,
            has_application=has_application,
            pattern=pattern,
            search_pattern=search_pattern,
            size=size,
        )
        with _gc_paused():
            return builtins.list(numbers)

    def find(self, msisdn: str) -> OwnedNumber:
        """The owned number ``msisdn``; a :class:`ValidationError` on ``msisdn`` if not owned."""
        wanted = validate_msisdn(msisdn)
        for number in self.iter(pattern=wanted, search_pattern=0):
            if number.msisdn == wanted:
                return number
        raise ValidationError(
            [
                FieldError(
                    "msisdn",
                    f"this account does not own {wanted}: "
                    "client.numbers.list() shows the numbers it owns",
                )
            ],
            subject="number",
        )

    def link(self, msisdn: str, app_id: str, country: str | None = None) -> None:
        """Route a number's inbound calls and messages to application ``app_id`` [api-notes §2.3].

        The number is looked up among the owned numbers first: that catches a number this
        account does not own before anything changes, and gives the settings to keep
        (:meth:`OwnedNumber.routing_form`), since ``/number/update`` replaces the routing as a
        whole. A ``country`` that differs from the number's own is refused.
        """
        problems = []
        if not isinstance(app_id, str) or not app_id.strip():
            problems.append(FieldError("app_id", "must be a non-empty application id"))
        owned, where = self._owned(msisdn, country, problems)
        routing = owned.routing_form(app_id=app_id.strip())
        self._update({"country": where, "msisdn": owned.msisdn, **routing}, "link")

    def unlink(self, msisdn: str, country: str | None = None) -> None:
        """Remove a number's link to any application, keeping its other settings.

        Like :meth:`link`, it looks the number up and re-sends what it had (``moHttpUrl``,
        ``voiceStatusCallback``, ``moSmppSysType``, a ``sip``/``tel`` voice callback) without
        ``app_id``: ``/number/update`` replaces the routing as a whole ([api-notes §2.3], the CLI's
        unlink), so a bare ``country`` + ``msisdn`` would clear those too.
        """
        owned, where = self._owned(msisdn, country, [])
        self._update({"country": where, "msisdn": owned.msisdn, **owned.routing_form()}, "unlink")

    def update(self, msisdn: str, country: str | None = None, **routing: str) -> None:
        """Set a number's routing to exactly ``routing`` (``/number/update``, [api-notes §2.3]).

        The API replaces the routing as a whole: a field left out is cleared. To change one
        setting and keep the others, start from the number's own
        ``client.numbers.find(msisdn).routing_form(...)`` (what :meth:`link` and
        :meth:`unlink` do). Field names are the wire names (:attr:`OwnedNumber.ROUTING_FIELDS`,
        e.g. ``moHttpUrl=""`` removes the inbound SMS webhook); ``voiceCallbackType`` and
        ``voiceCallbackValue`` go together. Without ``country`` the number is looked up.
        """
        problems = _routing_problems(routing)
        number, where = self._locate(msisdn, country, problems)
        operation = "link" if "app_id" in routing else "update"
        self._update({"country": where, "msisdn": number, **routing}, operation)

    def search(
        self,
        country: str,
        *,
        type: str | None = None,
        pattern: str | None = None,
        search_pattern: int | None = None,
        features: str | Sequence[str] | None = None,
        size: int = 10,
        index: int = 1,
    ) -> AvailableNumbersPage:
        """Numbers available to buy in ``country`` (``GET /number/search``, [api-notes §2.3]).

        ``features`` is ``"SMS"``, ``"VOICE"``, ``"MMS"`` or a combination such as
        ``["SMS", "VOICE"]``; ``type`` is ``landline``, ``mobile-lvn`` or ``landline-toll-free``.
        """
        problems = _range_problems("size", size, 1, MAX_PAGE_SIZE)
        problems += _range_problems("index", index, 1, None)
        params: dict[str, str | int] = {"size": size, "index": index}
        code = _checked(validate_country, country, problems)
        if code is not None:
            params["country"] = code
        if type is not None:
            if type not in NUMBER_TYPES:
                problems.append(FieldError("type", f"must be one of: {', '.join(NUMBER_TYPES)}"))
            else:
                params["type"] = type
        if features is not None:
            wanted = _features(features)
            if wanted is None:
                allowed = ", ".join(FEATURE_SETS.values())
                problems.append(FieldError("features", f"must be one of: {allowed}"))
            else:
                params["features"] = wanted
        _pattern_params(pattern, search_pattern, params, problems)
        if problems:
            raise ValidationError(problems, subject="number search request")
        hint = _hint_for("search")
        url = f"{self._base}/number/search"
        response = self._session.request("GET", url, params=params, numbers_hint=hint)
        data = _json_object(response)
        _raise_for_error_code(data, response, hint, self._session)
        return AvailableNumbersPage.from_api(data)

    def buy(self, country: str, msisdn: str) -> None:
        """Buy an available number (``POST /number/buy``; this costs money on a real account)."""
        number, where = self._checked_pair(msisdn, country, [])
        self._post("/number/buy", {"country": where, "msisdn": number}, "buy")

    def cancel(self, country: str, msisdn: str) -> None:
        """Give up an owned number (``POST /number/cancel``)."""
        number, where = self._checked_pair(msisdn, country, [])
        self._post("/number/cancel", {"country": where, "msisdn": number}, "cancel")

    def _checked_pair(
        self, msisdn: str, country: str, problems: builtins.list[FieldError]
    ) -> tuple[str, str]:
        number = _checked(validate_msisdn, msisdn, problems)
        code = _checked(validate_country, country, problems)
        if problems or number is None or code is None:
            raise ValidationError(problems, subject="number")
        return number, code

    def _locate(
        self, msisdn: str, country: str | None, problems: builtins.list[FieldError]
    ) -> tuple[str, str]:
        """The checked ``(msisdn, country)``; the country from the owned number when not given."""
        if country is not None:
            return self._checked_pair(msisdn, country, problems)
        number = _checked(validate_msisdn, msisdn, problems)
        if problems or number is None:
            raise ValidationError(problems, subject="number")
        owned = self.find(number)
        if owned.country is None:
            rule = f"Vonage did not report the country of {number}: pass country='GB' (say)"
            raise ValidationError([FieldError("country", rule)], subject="number")
        return owned.msisdn, owned.country

    def _owned(
        self, msisdn: str, country: str | None, problems: builtins.list[FieldError]
    ) -> tuple[OwnedNumber, str]:
        """The owned number as listed now, and its country (checked against ``country``)."""
        number = _checked(validate_msisdn, msisdn, problems)
        code = None if country is None else _checked(validate_country, country, problems)
        if problems or number is None:
            raise ValidationError(problems, subject="number")
        owned = self.find(number)
        if code is not None and owned.country not in (None, code):
            rule = f"{owned.msisdn} is a {owned.country} number, not {code}: fix it or leave it out"
            raise ValidationError([FieldError("country", rule)], subject="number")
        where = owned.country or code
        if where is None:
            rule = f"Vonage did not report the country of {number}: pass country='GB' (say)"
            raise ValidationError([FieldError("country", rule)], subject="number")
        return owned, where

    def _update(self, form: Mapping[str, str], operation: str) -> None:
        self._post("/number/update", form, operation)

    def _post(self, path: str, form: Mapping[str, str], operation: str) -> None:
        hint = _hint_for(operation, form.get("msisdn"), form.get("app_id"))
        response = self._session.request(
            "POST", f"{self._base}{path}", form=form, numbers_hint=hint
        )
        _raise_for_error_code(decode_json(response), response, hint, self._session)


# -- helpers -------------------------------------------------------------------------------


def _check_settings(key: str, secret: str, timeout: float, max_retries: int) -> None:
    problems = []
    if not key:
        problems.append(FieldError("api_key", "missing: pass api_key=... or set VONAGE_API_KEY"))
    if not secret:
        problems.append(
            FieldError("api_secret", "missing: pass api_secret=... or set VONAGE_API_SECRET")
        )
    if problems:
        raise ValidationError(
            problems,
            subject="Vonage credentials (VONAGE_API_KEY and VONAGE_API_SECRET)",
        )
    if not timeout or timeout <= 0:
        problems.append(FieldError("timeout", "must be more than 0 seconds"))
    if not isinstance(max_retries, int) or max_retries < 0:
        problems.append(FieldError("max_retries", "must be a whole number, 0 or more"))
    if problems:
        raise ValidationError(problems, subject="client settings")


def _host_setting(value: str | None, env_name: str, default: str, setting: str) -> str:
    """Argument, then environment variable, then default; errors name where the value came from."""
    if value:
        return normalize_base_url(value, setting)
    from_env = os.environ.get(env_name)
    if from_env:
        return normalize_base_url(from_env, env_name)
    return default


def _default_user_agent() -> str:
    return (
        f"vonage-widgets/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
    )


def _range_problems(name: str, value: object, low: int, high: int | None) -> list[FieldError]:
    rule = f"must be between {low} and {high}" if high is not None else f"must be {low} or more"
    if isinstance(value, bool) or not isinstance(value, int):
        return [FieldError(name, f"must be a whole number ({rule})")]
    if value < low or (high is not None and value > high):
        return [FieldError(name, rule)]
    return []


def _application_body(app: Application | Mapping[str, Any]) -> dict[str, Any]:
    """The POST/PUT body, validated: both a model and a mapping go through one check."""
    candidate = app.to_api() if isinstance(app, Application) else app
    _refuse_private_public_key(candidate)
    body = validate_application(candidate).to_api()
    _refuse_private_public_key(body)  # after normalisation too: the body is what is sent
    return body


_PRIVATE_AS_PUBLIC = (
    "is a private key: send only the public key (-----BEGIN PUBLIC KEY-----); "
    "a private key must never leave your machine, so nothing was sent"
)


def _refuse_private_public_key(data: object) -> None:
    """Refuse, before anything is sent, a private key given as ``keys.public_key``.

    Vonage only needs the public half [api-notes §1.6]; a private key in the request would
    cross the network and be stored by the server. The message never shows the key.
    """
    keys = data.get("keys") if isinstance(data, Mapping) else None
    text = keys.get("public_key") if isinstance(keys, Mapping) else None
    if isinstance(text, str | bytes) and _looks_private(text):
        raise ValidationError(
            [FieldError("keys.public_key", _PRIVATE_AS_PUBLIC)], subject="application"
        )


def _looks_private(text: str | bytes) -> bool:
    raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return "PRIVATE KEY" in raw.upper()


def _application_page(response: httpx.Response) -> ApplicationPage:
    """Read a ``GET /v2/applications`` answer (raises ValidationError / ApiError).

    The collector is paused while one page is decoded and modelled (a few milliseconds):
    a page of 100 makes ~5,000 objects that all live until the page is read, so collecting
    on the way only moves them up the generations, and that cost ~20% of streaming a large
    account into a table (benchmarks/listing.py). See :func:`_gc_paused`.
    """
    with _gc_paused():
        return ApplicationPage.from_api(_json_object(response))


def _json_object(response: httpx.Response) -> dict[str, Any]:
    body = decode_json(response)
    if isinstance(body, dict):
        return body
    request = response.request
    raise ApiError(
        response.status_code,
        title="Unexpected response",
        detail="expected a JSON object in the response body",
        method=request.method,
        url=display_url(request.url),
    )


def _number_filters(
    country: str | None,
    application_id: str | None,
    has_application: bool | None,
    pattern: str | None,
    search_pattern: int | None,
    size: int,
    index: int,
) -> dict[str, str | int]:
    """Query parameters for ``GET /account/numbers``, all problems reported together."""
    problems = _range_problems("size", size, 1, MAX_PAGE_SIZE)
    problems += _range_problems("index", index, 1, None)
    params: dict[str, str | int] = {"size": size, "index": index}
    if country is not None:
        code = _checked(validate_country, country, problems)
        if code is not None:
            params["country"] = code
    if application_id is not None:
        params["application_id"] = application_id
    if has_application is not None:
        # Lower-case words: the spec's boolean; the SDK's "True" is a quirk [api-notes §6.1].
        params["has_application"] = "true" if has_application else "false"
    _pattern_params(pattern, search_pattern, params, problems)
    if problems:
        raise ValidationError(problems, subject="number list request")
    return params


def _pattern_params(
    pattern: str | None,
    search_pattern: int | None,
    params: dict[str, str | int],
    problems: builtins.list[FieldError],
) -> None:
    """``pattern`` alone means "starts with" (the API's default); ``search_pattern`` needs it."""
    if search_pattern is not None:
        if search_pattern not in (0, 1, 2) or isinstance(search_pattern, bool):
            problems.append(
                FieldError(
                    "search_pattern", "must be 0 (starts with), 1 (contains) or 2 (ends with)"
                )
            )
        elif not pattern:
            problems.append(FieldError("pattern", "is required when search_pattern is given"))
        else:
            params["search_pattern"] = search_pattern
    if pattern:
        params["pattern"] = pattern


def _checked(
    check: Callable[[object], str], value: object, problems: builtins.list[FieldError]
) -> str | None:
    """Run one of the models' checks, collecting its problems instead of raising at once."""
    try:
        return check(value)
    except ValidationError as exc:
        problems.extend(exc.errors)
        return None


def _routing_problems(routing: Mapping[str, object]) -> builtins.list[FieldError]:
    """What is wrong with the routing fields given to ``NumbersApi.update``."""
    problems: builtins.list[FieldError] = []
    for name, value in routing.items():
        if name not in OwnedNumber.ROUTING_FIELDS:
            known = ", ".join(OwnedNumber.ROUTING_FIELDS)
            problems.append(FieldError(name, f"is not a /number/update field; known: {known}"))
        elif not isinstance(value, str):
            problems.append(FieldError(name, "must be a string"))
    if "app_id" in routing and isinstance(routing["app_id"], str) and not routing["app_id"].strip():
        problems.append(FieldError("app_id", "must be a non-empty application id"))
    # The Python SDK refuses one without the other; Vonage needs both to forward a call.
    paired = ("voiceCallbackType", "voiceCallbackValue")
    given = [name for name in paired if name in routing]
    if len(given) == 1:
        other = paired[1 - paired.index(given[0])]
        problems.append(FieldError(other, f"is required with {given[0]}"))
    return problems


def _features(value: str | Sequence[str]) -> str | None:
    """The API's spelling of a feature set (``"SMS,VOICE"``), or None if not allowed."""
    items = value.split(",") if isinstance(value, str) else builtins.list(value)
    wanted = frozenset(item.strip().upper() for item in items if isinstance(item, str))
    return FEATURE_SETS.get(wanted)


_HINTS: dict[str, str] = {
    "list": "check the filters; client.numbers.list() with none shows every owned number",
    "link": (
        "check that this account owns {msisdn} with client.numbers.list() and that the "
        "application exists with client.applications.get({app_id!r})"
    ),
    "unlink": "check the msisdn with client.numbers.list()",
    "update": "check the msisdn with client.numbers.list() and the routing fields sent",
    "search": "check the country code and the filters",
    "buy": "check that {msisdn} is available for this country and the account has credit",
    "cancel": "check the msisdn with client.numbers.list()",
}


def _hint_for(operation: str, msisdn: str | None = None, app_id: str | None = None) -> NumbersHint:
    """A hint builder for Numbers errors of one operation."""

    def hint(code: str, label: str) -> str:
        if code == "401":
            return "check VONAGE_API_KEY and VONAGE_API_SECRET (or api_key= / api_secret=)"
        return _HINTS[operation].format(msisdn=msisdn or "the number", app_id=app_id or "")

    return hint


def _raise_for_error_code(
    body: Any, response: httpx.Response, hint: NumbersHint, session: HttpSession
) -> None:
    """Vonage reports some Numbers failures as HTTP 200 with an ``error-code`` other than 200."""
    if not isinstance(body, Mapping) or "error-code" not in body:
        return
    code = str(body.get("error-code"))
    if code == "200":
        return
    code = session.scrub(code)
    label = session.scrub(str(body.get("error-code-label", "")))
    request = response.request
    raise NumbersError(
        response.status_code,
        code,
        label,
        hint=hint(code, label),
        method=request.method,
        url=display_url(request.url),
    )


class _GcPause:
    """Counts the pauses running, so nested and concurrent ones pause the collector once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.resume = False


_GC_PAUSE = _GcPause()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a listing builds objects that live on.

    Why: the collector re-scans every live object each time the tracked heap has grown by a
    quarter. Building 10,000 applications (~20 tracked objects each) in a kernel already
    holding pandas and friends set off 4-5 full collections, ~40% of ``list_all``'s time
    (benchmarks/listing.py), and none of what is built is garbage. Paused, the heap is
    scanned once afterwards, as usual. Used only around work whose duration this module
    controls: the whole of ``list_all``, and the decoding of one list page (so ``iter_all``,
    which hands control to the caller between items, pauses only while it reads a page).
    Pauses nest and may overlap across threads: the collector is switched back on only if
    it was on, once the last one ends; reference counting frees everything else meanwhile.
    """
    with _GC_PAUSE.lock:
        if _GC_PAUSE.active == 0:
            _GC_PAUSE.resume = gc.isenabled()
            gc.disable()
        _GC_PAUSE.active += 1
    try:
        yield
    finally:
        with _GC_PAUSE.lock:
            _GC_PAUSE.active -= 1
            if _GC_PAUSE.active == 0 and _GC_PAUSE.resume:
                gc.enable()


def _stream_pages(
    first_page: Callable[[], tuple[builtins.list[_T], int]],
    fetch: Callable[[int], httpx.Response],
    read: Callable[[httpx.Response], builtins.list[_T]],
    progress: ProgressCallback | None,
) -> Generator[_T, None, None]:
    """Page 1's items, then pages 2..n fetched concurrently and yielded in page order.

    ``first_page()`` returns page 1's items and how many pages there are. ``fetch(n)``
    runs on the worker threads and only transfers page ``n``; ``read`` decodes and
    validates it in the reading thread. Parsing holds the GIL, so doing it in the workers
    would not make it faster, only keep several pages' JSON trees alive at once; here one
    page is parsed at a time while the workers keep the connection busy.

    At most :data:`PAGE_WINDOW` pages are requested ahead of the page being read, and each
    page is dropped once read, so memory stays bounded however large the account.
    ``progress`` runs in the reading thread, so a widget can update safely. A failed
    request stops the iteration as soon as it is seen (not when its page is reached):
    pages not yet started are cancelled, the few in flight are waited for, so no request
    outlives the iteration, and the error is raised.
    """
    items, total_pages = first_page()
    total = max(total_pages, 1)
    if total_pages <= 1:
        if progress is not None:
            progress(1, total)
        yield from items
        return
    pending: dict[int, Future[httpx.Response]] = {}
    pool = ThreadPoolExecutor(max_workers=PAGE_WORKERS, thread_name_prefix="vonage-page")
    try:
        requested = 1
        for number in range(1, total_pages + 1):
            # Keep the window full before reading, so workers fetch while this page is used.
            while requested < min(number + PAGE_WINDOW, total_pages):
                requested += 1
                pending[requested] = pool.submit(fetch, requested)
            if number > 1:
                items = read(_fetched(pending, number))
                del pending[number]  # its response (the raw body) can go
            if progress is not None:
                progress(number, total)
            yield from items
            items = []  # the page's models can be freed while the next one is awaited
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetched(pending: Mapping[int, Future[httpx.Response]], number: int) -> httpx.Response:
    """Page ``number``'s response once fetched; raises at once if any pending page failed."""
    wanted = pending[number]
    while not wanted.done():
        for future in pending.values():
            if future.done() and not future.cancelled() and future.exception() is not None:
                return future.result()  # raises that page's error
        wait([f for f in pending.values() if not f.done()], return_when=FIRST_COMPLETED)
    return wanted.result()
