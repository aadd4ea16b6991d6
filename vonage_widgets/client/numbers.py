"""The Numbers API on the rest host: owned numbers, number routing, search, buy [api-notes §2].

The owned-number listings take one set of filters, :class:`NumberFilters` (the query of
``GET /account/numbers``), as keyword arguments or as one object.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import httpx

from vonage_widgets.client._http import (
    HttpSession,
    NumbersHint,
    decode_json,
    display_url,
    json_object,
)
from vonage_widgets.client._paging import (
    MAX_PAGE_SIZE,
    ProgressCallback,
    gc_paused,
    range_problems,
    stream_pages,
)
from vonage_widgets.errors import FieldError, NumbersError, ValidationError
from vonage_widgets.models import (
    AvailableNumbersPage,
    NumbersPage,
    OwnedNumber,
    validate_country,
    validate_msisdn,
)

__all__ = ["FEATURE_SETS", "NUMBER_TYPES", "NumberFilterArgs", "NumberFilters", "NumbersApi"]

NUMBER_TYPES = ("landline", "mobile-lvn", "landline-toll-free")
"""Number types ``search`` accepts [api-notes §2.2]."""

FEATURE_SETS: dict[frozenset[str], str] = {
    frozenset(spelling.split(",")): spelling
    for spelling in ("SMS", "VOICE", "MMS", "SMS,VOICE", "SMS,MMS", "VOICE,MMS", "SMS,MMS,VOICE")
}
"""Feature combinations ``GET /number/search`` accepts, keyed by set, in the spec's spelling."""


class NumberFilterArgs(TypedDict, total=False):
    """The fields of :class:`NumberFilters` as keyword arguments of the listing methods."""

    country: str | None
    application_id: str | None
    has_application: bool | None
    pattern: str | None
    search_pattern: int | None
    size: int


@dataclass(frozen=True, slots=True)
class NumberFilters:
    """Which owned numbers to list: the query of ``GET /account/numbers`` [api-notes §2.2].

    ``country`` (ISO 3166-1 alpha-2), ``application_id`` (numbers linked to it),
    ``has_application`` (linked to any application or to none), ``pattern`` with
    ``search_pattern`` (0 = msisdn starts with ``pattern``, the default; 1 = contains;
    2 = ends with), ``size`` (numbers per page, at most :data:`MAX_PAGE_SIZE`). ``None``
    leaves a filter out. Checked when a page is requested (:meth:`params`), every problem
    reported at once.
    """

    country: str | None = None
    application_id: str | None = None
    has_application: bool | None = None
    pattern: str | None = None
    search_pattern: int | None = None
    size: int = MAX_PAGE_SIZE

    def params(self, index: int = 1) -> dict[str, str | int]:
        """The query parameters of page ``index``; a :class:`ValidationError` if any is wrong."""
        problems = range_problems("size", self.size, 1, MAX_PAGE_SIZE)
        problems += range_problems("index", index, 1, None)
        params: dict[str, str | int] = {"size": self.size, "index": index}
        if self.country is not None:
            code = _checked(validate_country, self.country, problems)
            if code is not None:
                params["country"] = code
        if self.application_id is not None:
            params["application_id"] = self.application_id
        if self.has_application is not None:
            # Lower-case words: the spec's boolean; the SDK's "True" is a quirk [api-notes §6.1].
            params["has_application"] = "true" if self.has_application else "false"
        _pattern_params(self.pattern, self.search_pattern, params, problems)
        if problems:
            raise ValidationError(problems, subject="number list request")
        return params


def _filters(filters: NumberFilters | None, filter_args: NumberFilterArgs) -> NumberFilters:
    """One :class:`NumberFilters` from a listing method's ``filters=`` or keyword arguments."""
    if filters is None:
        return NumberFilters(**filter_args)
    if filter_args:
        given = ", ".join(sorted(filter_args))
        raise TypeError(f"pass filters=NumberFilters(...) or filter arguments ({given}), not both")
    return filters


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
        *,
        filters: NumberFilters | None = None,
        index: int = 1,
        **filter_args: Unpack[NumberFilterArgs],
    ) -> NumbersPage:
        """One page (``index`` starts at 1) of the numbers this account owns [api-notes §2.2].

        Filter with keyword arguments (``application_id=...``, see :class:`NumberFilters`) or
        with ``filters=NumberFilters(...)``.
        """
        params = _filters(filters, filter_args).params(index)
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
        with gc_paused():
            data = json_object(response)
            _raise_for_error_code(data, response, _hint_for("list"), self._session)
            return NumbersPage.from_api(data)

    def iter(
        self, *, filters: NumberFilters | None = None, **filter_args: Unpack[NumberFilterArgs]
    ) -> Iterator[OwnedNumber]:
        """Every owned number matching the filters, page by page (``count > size * index``)."""
        wanted = _filters(filters, filter_args)
        index = 1
        while True:
            page = self.list(filters=wanted, index=index)
            yield from page.numbers
            if not page.numbers or page.count <= wanted.size * index:
                return
            index += 1

    def iter_all(
        self,
        progress: ProgressCallback | None = None,
        *,
        filters: NumberFilters | None = None,
        **filter_args: Unpack[NumberFilterArgs],
    ) -> Generator[OwnedNumber, None, None]:
        """Every owned number matching the filters, in order, later pages fetched while you
        read (see :meth:`ApplicationsApi.iter_all`)."""
        wanted = _filters(filters, filter_args)

        def first_page() -> tuple[builtins.list[OwnedNumber], int]:
            page = self._numbers_page(self._fetch_page(wanted.params(1)))
            return page.numbers, math.ceil(page.count / wanted.size) if page.numbers else 0

        return stream_pages(
            first_page,
            lambda index: self._fetch_page(wanted.params(index)),
            lambda response: self._numbers_page(response).numbers,
            progress,
        )

    def list_all(
        self,
        progress: ProgressCallback | None = None,
        *,
        filters: NumberFilters | None = None,
        **filter_args: Unpack[NumberFilterArgs],
    ) -> builtins.list[OwnedNumber]:
        """Every owned number matching the filters as one list, pages 2..n fetched concurrently."""
        numbers = self.iter_all(progress, filters=_filters(filters, filter_args))
        with gc_paused():
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
        problems = range_problems("size", size, 1, MAX_PAGE_SIZE)
        problems += range_problems("index", index, 1, None)
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
        data = json_object(response)
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
