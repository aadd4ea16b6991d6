"""The Numbers API of the sandbox: owned numbers, linking them to applications, buying more.

Every account starts with the same eight numbers (:data:`SEED_NUMBERS`) drawn from ranges
reserved for fiction and testing (Ofcom's 07700 900xxx and 020 7946 0xxx, the North American
555-01xx block, ARCEP's 06 39 98 and 01 99 00 blocks, and a Berlin drama block), so nothing
here can ring a real phone. Numbers belong to one API key; another key never sees them.

Decisions where Vonage's public material is silent [api-notes §2.3] (summed up in
``docs/architecture.md``):

* ``/number/update`` replaces the number's whole routing (``app_id``, ``moHttpUrl``,
  ``voiceCallbackType``/``Value``, ``voiceStatusCallback``, ``moSmppSysType``,
  ``messagesCallbackType``/``Value``): a field left out is cleared, as the Vonage CLI's
  "unlink" relies on. So sending only ``country`` and ``msisdn`` unlinks the number.
* Linking with ``app_id`` sets ``voiceCallbackType: app`` and ``voiceCallbackValue: <id>``
  in listings (as the recorded responses show) unless ``voiceCallbackType`` ``sip``/``tel``
  is given, which then wins for voice while ``app_id`` stays.
* Business failures answer **HTTP 420** ``{"error-code": "420", "error-code-label": ...}`` as
  the real API does [api-notes §2.3]; the label starts with the real API's ``method failed`` and
  says why (number not owned, unknown application, number not available...).
  Malformed requests (missing ``country``, ``size`` out of range...) answer HTTP 400 with
  ``error-code`` ``"400"`` and a label naming the parameter.
* ``moHttpUrl`` must be an ``http(s)`` URL or empty; unlike the real API the sandbox does not
  ``GET`` it first (the sandbox stays offline).
* Deleting an application unlinks every number linked to it (see :func:`unlink_application`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from vonage_widgets.errors import NumbersError, ValidationError
from vonage_widgets.models import OwnedNumber, validate_country, validate_msisdn
from vonage_widgets.sandbox.store import Store

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "ROUTING_FIELDS",
    "SEED_NUMBERS",
    "available_numbers",
    "buy_number",
    "cancel_number",
    "list_owned_numbers",
    "search_available_numbers",
    "success",
    "unlink_application",
    "update_number",
]

DEFAULT_PAGE_SIZE = 10
"""``size`` when omitted [api-notes §2.2]."""
MAX_PAGE_SIZE = 100
"""Largest ``size`` [api-notes §2.2]."""

ROUTING_FIELDS = OwnedNumber.ROUTING_FIELDS
"""What ``/number/update`` sets; everything else about a number is fixed (named in the models)."""

_TYPES = ("landline", "mobile-lvn", "landline-toll-free")
_FEATURES = ("SMS", "VOICE", "MMS")
_VOICE_CALLBACK_TYPES = ("sip", "tel", "app")


def _number(
    country: str,
    msisdn: str,
    type_: str,
    features: list[str],
    limitations: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    number: dict[str, Any] = {
        "country": country,
        "msisdn": msisdn,
        "type": type_,
        "features": features,
    }
    if limitations:
        number["limitations"] = limitations
    return number


SEED_NUMBERS: tuple[dict[str, Any], ...] = (
    _number("GB", "447700900000", "mobile-lvn", ["VOICE", "SMS"]),
    _number("GB", "447700900001", "mobile-lvn", ["SMS"]),
    _number("GB", "442079460000", "landline", ["VOICE"]),
    _number("US", "12025550100", "mobile-lvn", ["VOICE", "SMS", "MMS"]),
    _number("US", "12025550101", "landline", ["VOICE"]),
    _number("US", "18005550100", "landline-toll-free", ["VOICE", "SMS"]),
    _number("DE", "493023125000", "landline", ["VOICE"]),
    _number(
        "FR",
        "33639980000",
        "mobile-lvn",
        ["VOICE", "SMS"],
        [{"feature": "SMS", "type": "OUTBOUND", "reach": "INTERNATIONAL"}],
    ),
)
"""The numbers every account owns when it first calls the sandbox."""


def _catalogue() -> dict[str, list[dict[str, Any]]]:
    """Numbers on sale per country: fixed blocks next to the seeded ones, with prices."""

    def block(
        country: str, prefix: str, first: int, count: int, width: int, type_: str, features: str
    ) -> list[dict[str, Any]]:
        cost = {"landline": "0.90", "mobile-lvn": "1.25", "landline-toll-free": "2.50"}[type_]
        return [
            {
                **_number(country, f"{prefix}{n:0{width}d}", type_, features.split(",")),
                "cost": cost,
                "initialPrice": "0.00",
            }
            for n in range(first, first + count)
        ]

    seeds: dict[str, list[dict[str, Any]]] = {}
    for seed in SEED_NUMBERS:  # a cancelled starting number can be bought back
        price = {"cost": "1.25", "initialPrice": "0.00"}
        seeds.setdefault(seed["country"], []).append({**seed, **price})
    blocks = {
        "GB": block("GB", "447700900", 100, 20, 3, "mobile-lvn", "VOICE,SMS")
        + block("GB", "442079460", 100, 10, 3, "landline", "VOICE"),
        "US": block("US", "1202555", 110, 20, 4, "mobile-lvn", "VOICE,SMS,MMS")
        + block("US", "1800555", 110, 5, 4, "landline-toll-free", "VOICE,SMS"),
        "DE": block("DE", "493023125", 100, 10, 3, "landline", "VOICE"),
        "FR": block("FR", "3363998", 100, 10, 4, "mobile-lvn", "VOICE,SMS")
        + block("FR", "3319900", 100, 5, 4, "landline", "VOICE"),
    }
    return {country: seeds.get(country, []) + numbers for country, numbers in blocks.items()}


_CATALOGUE = _catalogue()


def available_numbers(country: str) -> list[dict[str, Any]]:
    """Every number on sale in ``country`` (owned or not), in a fixed order."""
    return [dict(n) for n in _CATALOGUE.get(country.upper(), [])]


# -- responses and failures --------------------------------------------------------------


def success() -> dict[str, str]:
    """The body of a successful update, buy or cancel [api-notes §2.3]."""
    return {"error-code": "200", "error-code-label": "success"}


def _bad_request(label: str) -> NumbersError:
    return NumbersError(400, "400", f"bad request: {label}")


def _method_failed(label: str) -> NumbersError:
    return NumbersError(420, "420", f"method failed: {label}")


# -- parameter parsing --------------------------------------------------------------------


def _checked(check: Callable[[str], str], value: str) -> str:
    """Run a models validator; its first problem becomes a 400 label ``"<field> <rule>"``."""
    try:
        return check(value)
    except ValidationError as error:
        first = error.errors[0]
        raise _bad_request(f"{first.path} {first.message}") from None


def _country(params: Mapping[str, str], *, required: bool) -> str | None:
    value = params.get("country", "").strip()
    if not value:
        if required:
            raise _bad_request("country is required (two-letter ISO 3166-1 code, e.g. GB)")
        return None
    return _checked(validate_country, value)


def _msisdn(params: Mapping[str, str]) -> str:
    value = params.get("msisdn", "").strip()
    if not value:
        raise _bad_request("msisdn is required (the number in E.164 form without '+')")
    return _checked(validate_msisdn, value)


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad_request(f"{name} must be an integer") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise _bad_request(f"{name} must be {bounds}")
    return value


def _bool(params: Mapping[str, str], name: str) -> bool | None:
    """``true``/``false`` in any case (the SDK sends Python's ``True``) [api-notes §6.1]."""
    raw = params.get(name, "").strip().lower()
    if not raw:
        return None
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise _bad_request(f"{name} must be true or false")


def _pattern_filter(params: Mapping[str, str]) -> Callable[[str], bool]:
    """``pattern`` with ``search_pattern`` 0 (starts with, default), 1 (contains), 2 (ends)."""
    pattern = params.get("pattern", "").strip().removeprefix("+")
    mode = _int(params, "search_pattern", 0, 0, 2)
    if not pattern:
        return lambda msisdn: True
    if mode == 0:
        return lambda msisdn: msisdn.startswith(pattern)
    if mode == 1:
        return lambda msisdn: pattern in msisdn
    return lambda msisdn: msisdn.endswith(pattern)


def _page(items: list[dict[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``{"count": total, "numbers": page}``; ``numbers`` left out when the page is empty."""
    size = _int(params, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    index = _int(params, "index", 1, 1, None)
    page = items[(index - 1) * size : index * size]
    body: dict[str, Any] = {"count": len(items)}
    if page:
        body["numbers"] = page
    return body


# -- operations ---------------------------------------------------------------------------


def _ensure_seeded(store: Store, account: str) -> None:
    store.seed_account(account, SEED_NUMBERS)


def list_owned_numbers(store: Store, account: str, params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /account/numbers``: filter, then page [api-notes §2.2]."""
    _ensure_seeded(store, account)
    country = _country(params, required=False)
    app_id = params.get("application_id", "").strip() or None
    has_app = _bool(params, "has_application")
    matches = _pattern_filter(params)
    _page([], params)  # reject a bad size/index even when nothing matches
    numbers = [
        n
        for n in store.list_numbers(account)
        if (country is None or n["country"] == country)
        and (app_id is None or n.get("app_id") == app_id)
        and (has_app is None or bool(n.get("app_id")) == has_app)
        and matches(n["msisdn"])
    ]
    return _page(numbers, params)


def update_number(
    store: Store,
    account: str,
    form: Mapping[str, str],
    application_exists: Callable[[str], bool],
) -> dict[str, str]:
    """``POST /number/update``: replace the number's routing; link it with ``app_id``."""
    country = _country(form, required=True)
    msisdn = _msisdn(form)
    given = {k: form[k].strip() for k in ROUTING_FIELDS if form.get(k, "").strip()}
    voice_type = given.get("voiceCallbackType")
    if voice_type is not None:
        if voice_type not in _VOICE_CALLBACK_TYPES:
            raise _bad_request("voiceCallbackType must be one of sip, tel, app")
        if "voiceCallbackValue" not in given:
            raise _bad_request("voiceCallbackType needs voiceCallbackValue")
        if voice_type == "app":  # deprecated spelling of app_id [api-notes §2.3]
            value = given["voiceCallbackValue"]
            if given.setdefault("app_id", value) != value:
                raise _bad_request(
                    "voiceCallbackType app names a different application than app_id"
                )
    elif "voiceCallbackValue" in given:
        raise _bad_request("voiceCallbackValue needs voiceCallbackType")
    mo_url = given.get("moHttpUrl")
    if mo_url is not None and not re.match(r"https?://[^\s/]+", mo_url):
        raise _bad_request("moHttpUrl must be an http:// or https:// URL (or empty to remove it)")
    _ensure_seeded(store, account)
    with store.write():
        number = store.get_number(account, msisdn)
        if number is None or number["country"] != country:
            raise _method_failed(
                f"this account does not own the number {msisdn} in country {country}; "
                "list your numbers with GET /account/numbers"
            )
        named = {given.get("app_id"), given.get("messagesCallbackValue")} - {None}
        for app_id in sorted(a for a in named if a is not None):
            if not application_exists(app_id):
                raise _method_failed(
                    f"application {app_id} does not exist in this account; "
                    "create it first or check the id"
                )
        store.put_number(account, _routed(number, given))
    return success()


def _routed(number: dict[str, Any], given: Mapping[str, str]) -> dict[str, Any]:
    """The number with its routing replaced by ``given`` (absent fields cleared)."""
    fixed = {k: v for k, v in number.items() if k not in ROUTING_FIELDS}
    routing = dict(given)
    app_id = routing.get("app_id")
    if app_id and "voiceCallbackType" not in routing:
        routing["voiceCallbackType"] = "app"
        routing["voiceCallbackValue"] = app_id
    ordered = {k: routing[k] for k in ROUTING_FIELDS if k in routing}
    # Keep the recorded responses' field order: fixed facts, then routing, app_id last.
    app = ordered.pop("app_id", None)
    result = {**fixed, **ordered}
    if app is not None:
        result["app_id"] = app
    return result


def unlink_application(store: Store, account: str, app_id: str) -> int:
    """Unlink every number linked to ``app_id`` (when it is deleted); returns how many.

    The real API's behaviour is undocumented; a number pointing at an application that no
    longer exists could never answer a call, so the sandbox clears the link and the voice
    and messages routing that named the application, and keeps everything else.
    """
    count = 0
    with store.write():
        for number in store.numbers_linked_to(account, app_id):
            kept = {
                k: v
                for k, v in number.items()
                if k != "app_id"
                and not (k in ("voiceCallbackType", "messagesCallbackType") and v == "app")
                and not (k in ("voiceCallbackValue", "messagesCallbackValue") and v == app_id)
            }
            store.put_number(account, kept)
            count += 1
    return count


def search_available_numbers(
    store: Store, account: str, params: Mapping[str, str]
) -> dict[str, Any]:
    """``GET /number/search``: numbers on sale in a country that the account does not own."""
    country = _country(params, required=True)
    assert country is not None
    type_ = params.get("type", "").strip()
    if type_ and type_ not in _TYPES:
        raise _bad_request(f"type must be one of {', '.join(_TYPES)}")
    features = {f.strip().upper() for f in params.get("features", "").split(",") if f.strip()}
    if not features <= set(_FEATURES):
        raise _bad_request("features must be a comma-separated list of SMS, VOICE, MMS")
    matches = _pattern_filter(params)
    _page([], params)
    _ensure_seeded(store, account)
    owned = {n["msisdn"] for n in store.list_numbers(account)}
    numbers = [
        n
        for n in available_numbers(country)
        if n["msisdn"] not in owned
        and (not type_ or n["type"] == type_)
        and features <= set(n["features"])
        and matches(n["msisdn"])
    ]
    return _page(numbers, params)


def _target_is_self(form: Mapping[str, str], account: str) -> None:
    target = form.get("target_api_key", "").strip()
    if target and target != account:
        raise _method_failed(
            "target_api_key names another account; the sandbox does not emulate subaccounts"
        )


def buy_number(store: Store, account: str, form: Mapping[str, str]) -> dict[str, str]:
    """``POST /number/buy``: take a number from the catalogue into the account."""
    country = _country(form, required=True)
    assert country is not None
    msisdn = _msisdn(form)
    _target_is_self(form, account)
    _ensure_seeded(store, account)
    offer = next((n for n in available_numbers(country) if n["msisdn"] == msisdn), None)
    with store.write():
        if store.get_number(account, msisdn) is not None:
            raise _method_failed(f"this account already owns the number {msisdn}")
        if offer is None:
            raise _method_failed(
                f"the number {msisdn} is not available in country {country}; "
                "find one with GET /number/search"
            )
        owned = {k: v for k, v in offer.items() if k not in ("cost", "initialPrice")}
        store.put_number(account, owned)
    return success()


def cancel_number(store: Store, account: str, form: Mapping[str, str]) -> dict[str, str]:
    """``POST /number/cancel``: give up an owned number (its links go with it)."""
    country = _country(form, required=True)
    msisdn = _msisdn(form)
    _target_is_self(form, account)
    _ensure_seeded(store, account)
    with store.write():
        number = store.get_number(account, msisdn)
        if number is None or number["country"] != country:
            raise _method_failed(
                f"this account does not own the number {msisdn} in country {country}"
            )
        store.remove_number(account, msisdn)
    return success()
