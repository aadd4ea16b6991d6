"""Property tests: generated valid documents round-trip losslessly; bad numbers are caught.

Documents are generated from the catalog (itself read from the models), with random unknown
capabilities and unknown fields at every level. The limits themselves are checked against the
official spec in ``test_models_spec.py``; the official SDK is the outside oracle here.
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vonage_application.responses import ApplicationData

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import (
    CAPABILITIES,
    NAME_MAX_LENGTH,
    PRIVACY_SETTINGS,
    Range,
    SettingSpec,
    WebhookSpec,
    validate_application,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Wire names the models give a meaning to, at any level: a generated "unknown" key must
# avoid them. Python-only names (``links``) are deliberately not here: they must stay unknown.
KNOWN_NAMES = frozenset(
    {"connection_timeout", "_links"}
    | {
        name
        for spec in CAPABILITIES
        for name in (
            spec.name,
            *(w.name for w in spec.webhooks),
            *(s.name for s in spec.settings),
        )
    }
    | {"webhooks", "address", "http_method", "connect_timeout", "socket_timeout"}
    | {"keys", "public_key", "private_key", "privacy", "improve_ai", "id", "name"}
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
unknown_keys = st.sampled_from(["links", "embedded", "x-new"]) | st.text(
    min_size=1, max_size=12
).filter(lambda k: k not in KNOWN_NAMES)
extras = st.dictionaries(unknown_keys, json_values, max_size=2)

hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){1,2}", fullmatch=True)
addresses = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
    st.sampled_from(["http", "https"]),
    hosts,
    st.sampled_from(["", ":8080", ":443"]),
    st.from_regex(r"(/[A-Za-z0-9_.~-]{0,8}){0,3}(\?[a-z]=[0-9]{1,3})?", fullmatch=True),
)


def _optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of ``fields``."""
    return st.fixed_dictionaries({}, optional=fields)


def _with_extras(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(lambda known, more: {**more, **known}, base, extras)


def _in_range(found: Range | None) -> st.SearchStrategy[int]:
    assert found is not None
    return st.integers(min_value=found.minimum, max_value=found.maximum)


def webhook_bodies(spec: WebhookSpec) -> st.SearchStrategy[dict[str, Any]]:
    """Valid bodies for one webhook, with random unknown fields."""
    optional: dict[str, st.SearchStrategy[Any]] = {"http_method": st.sampled_from(spec.methods)}
    for timeout in ("connect_timeout", "socket_timeout"):
        found = getattr(spec, timeout)
        if found is not None:
            optional[timeout] = _in_range(found)
    required = st.fixed_dictionaries({"address": addresses}, optional=optional)
    return _with_extras(required)


def setting_values(spec: SettingSpec) -> st.SearchStrategy[Any]:
    """Valid values for one setting, read from the catalog."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    if spec.kind == "int":
        return st.integers(min_value=spec.minimum, max_value=spec.maximum)
    return st.text(max_size=10)


def capability_bodies() -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the modelled capabilities plus unknown ones, all valid."""
    known: dict[str, st.SearchStrategy[Any]] = {}
    for spec in CAPABILITIES:
        fields = {s.name: setting_values(s) for s in spec.settings}
        if spec.webhooks:
            hooks = _with_extras(_optional({w.name: webhook_bodies(w) for w in spec.webhooks}))
            fields["webhooks"] = hooks
        known[spec.name] = _with_extras(_optional(fields))
    return _with_extras(_optional(known))


# Valid names: any text with a visible character and no control or text-direction characters
# (those are refused; tests/test_reliability_bad_input.py has the cases).
_NAME_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
names = st.text(_NAME_CHARS, min_size=1, max_size=NAME_MAX_LENGTH).filter(
    lambda s: any(unicodedata.category(c)[0] not in "CZ" for c in s)
)
application_bodies = _with_extras(
    st.fixed_dictionaries(
        {"name": names},
        optional={
            "id": st.uuids().map(str),
            "capabilities": capability_bodies(),
            "keys": _with_extras(_optional({"public_key": st.text(max_size=40)})),
            "privacy": _with_extras(
                _optional({s.name: setting_values(s) for s in PRIVACY_SETTINGS})
            ),
            "_links": st.fixed_dictionaries(
                {"self": st.fixed_dictionaries({"href": st.just("/v2/applications/x")})}
            ),
        },
    )
)


@SETTINGS
@given(application_bodies)
def test_valid_documents_round_trip_losslessly(body: dict[str, Any]) -> None:
    original = copy.deepcopy(body)
    app = validate_application(body)
    assert app.to_dict() == original
    request = {k: v for k, v in original.items() if k not in ("id", "_links")}
    assert app.to_api() == request
    assert validate_application(app.to_dict()).to_dict() == original
    assert body == original


@SETTINGS
@given(application_bodies, st.uuids().map(str))
def test_the_official_sdk_accepts_whatever_we_accept(body: dict[str, Any], app_id: str) -> None:
    written = validate_application(body).to_dict()
    parsed = ApplicationData.model_validate({**written, "id": app_id})
    assert parsed.name == body["name"]


# Every voice number (timeouts and settings) with its wire path and catalog range.
VOICE_NUMBERS: list[tuple[str, Range]] = [
    (f"capabilities.voice.webhooks.{w.name}.{timeout}", found)
    for w in CAPABILITIES[0].webhooks
    for timeout in ("connect_timeout", "socket_timeout")
    if (found := getattr(w, timeout)) is not None
] + [
    (f"capabilities.voice.{s.name}", Range(s.minimum, s.maximum, s.default, s.unit))
    for s in CAPABILITIES[0].settings
    if s.kind == "int" and s.minimum is not None and s.maximum is not None
]


def _place(path: str, value: Any) -> dict[str, Any]:
    """The smallest document with ``value`` at ``path`` (webhooks get an address)."""
    body: dict[str, Any] = {"name": "n"}
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target.setdefault(part, {})
    if "webhooks" in parents:
        target["address"] = "https://example.com/hook"
    target[last] = value
    return body


def test_the_voice_number_table_is_complete() -> None:
    assert len(VOICE_NUMBERS) == 8  # 3 webhooks x 2 timeouts + ttl + leg persistence


@SETTINGS
@given(st.sampled_from(VOICE_NUMBERS), st.data())
def test_out_of_range_numbers_are_rejected_at_their_path(
    target: tuple[str, Range], data: st.DataObject
) -> None:
    path, found = target
    bad = data.draw(
        st.integers(max_value=found.minimum - 1) | st.integers(min_value=found.maximum + 1)
    )
    unit = f" ({found.unit})" if found.unit else ""
    with pytest.raises(ValidationError) as caught:
        validate_application(_place(path, bad))
    assert caught.value.errors == [
        FieldError(path, f"must be between {found.minimum} and {found.maximum}{unit}")
    ]


@SETTINGS
@given(st.sampled_from(VOICE_NUMBERS), st.data())
def test_in_range_numbers_are_accepted(target: tuple[str, Range], data: st.DataObject) -> None:
    path, found = target
    good = data.draw(_in_range(found))
    body = _place(path, good)
    assert validate_application(body).to_api() == body


@SETTINGS
@given(st.sampled_from(VOICE_NUMBERS), st.sampled_from([True, False, "1000", 1000.0, [1000]]))
def test_non_integers_are_rejected_at_their_path(target: tuple[str, Range], bad: Any) -> None:
    path, _found = target
    with pytest.raises(ValidationError) as caught:
        validate_application(_place(path, bad))
    assert caught.value.errors == [FieldError(path, "must be a whole number")]
