"""The models' fast paths decide exactly as the slow rules they stand in for.

Parsing a listing reads thousands of applications, so the models skip work where they can:
a regex for the usual webhook address, no null pre-pass on models whose fields all accept
``None``, validators built on first use, the NCCO, numbers and catalog modules loaded on first
use. Each shortcut is checked here against the rule it replaces.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

import vonage_widgets.models
from tests.fresh_python import fresh_python, fresh_python_race
from vonage_widgets.models import application, validate_application
from vonage_widgets.models._wire import OptionalWireModel, WireModel, built, drop_known_nulls

REPO = Path(__file__).resolve().parent.parent
LAZY_MODULES = ("catalog", "extra_capabilities", "ncco", "numbers", "problem")


def _accepts(check: Any, value: str) -> bool:
    try:
        check(value)
    except PydanticCustomError:
        return False
    return True


# -- application names -----------------------------------------------------------------------


def _name_rule(value: str) -> str | None:
    """The name rule written plainly, without the printable-ASCII shortcut: the error type."""
    if not value.strip():
        return "blank_name"
    if any(
        ord(c) < 0x20
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in value
    ):
        return "name_characters"
    if all(unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp") or c.isspace() for c in value):
        return "blank_name"
    return None


name_like = st.text(
    st.sampled_from([" ", "a", "~", "\t", "\x00", "\x85", "\u200b", "\u202e", "\u3000", "é"])
    | st.characters(),
    max_size=8,
)


@settings(max_examples=800, deadline=None)
@given(name_like)
def test_the_name_check_decides_like_the_plain_rule(name: str) -> None:
    verdict: str | None = None
    try:
        application._check_name(name)
    except PydanticCustomError as error:
        verdict = error.type
    assert verdict == _name_rule(name)


# -- webhook addresses -----------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.from_regex(application._PLAIN_HTTP_URL, fullmatch=True))
def test_every_address_the_fast_path_takes_passes_the_full_rule(address: str) -> None:
    assert _accepts(application._check_address_fully, address)


url_like = st.builds(
    "".join,
    st.lists(
        st.sampled_from(["http", "https", "HTTP", "ftp", "://", ":", "/", "?", "#", "@", "[", "]"])
        | st.sampled_from(["a", "example.com", "8080", "99999", "-", ".", "%20", "é", " ", "\x00"])
        | st.text(max_size=3),
        max_size=8,
    ),
)


@settings(max_examples=600, deadline=None)
@given(url_like | st.text(max_size=40))
def test_the_address_check_decides_like_the_full_rule(address: str) -> None:
    fast = _accepts(application._check_address, address)
    assert fast == _accepts(application._check_address_fully, address)


def test_the_space_regex_is_the_old_per_character_rule() -> None:
    # The old loop: any(c.isspace() or ord(c) < 32 for c in value), for every code point.
    pattern = application._SPACE_OR_CONTROL
    differ = [
        code
        for code in range(sys.maxunicode + 1)
        if bool(pattern.search(chr(code))) != (chr(code).isspace() or code < 32)
    ]
    assert differ == []


# -- null on a known field -------------------------------------------------------------------

WEBHOOK = {"address": "https://example.com/a", "http_method": None, "socket_timeout": None}
WITH_NULLS: dict[str, Any] = {
    "name": "n",
    "id": None,
    "keys": {"public_key": None, "private_key": None},
    "privacy": {"improve_ai": None},
    "capabilities": {
        "voice": {
            "webhooks": {"answer_url": WEBHOOK, "event_url": None, "fallback_answer_url": None},
            "signed_callbacks": None,
            "region": None,
        },
        "messages": {"webhooks": None, "version": None},
        "rtc": None,
        "verify": {"webhooks": {"status_url": None}, "version": None},
        "vbc": None,
    },
    "_links": None,
}
WITHOUT_NULLS: dict[str, Any] = {
    "name": "n",
    "keys": {},
    "privacy": {},
    "capabilities": {
        "voice": {"webhooks": {"answer_url": {"address": "https://example.com/a"}}},
        "messages": {},
        "verify": {"webhooks": {}},
    },
}


def test_null_on_a_known_field_reads_as_absent_at_every_level() -> None:
    app = validate_application(WITH_NULLS)
    assert app.to_api() == WITHOUT_NULLS
    assert app == validate_application(WITHOUT_NULLS)
    assert app.capabilities is not None
    assert app.capabilities.voice is not None
    assert app.capabilities.voice.effective("signed_callbacks") is True  # the API default


def test_only_models_with_a_field_that_refuses_null_run_the_null_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    original = drop_known_nulls

    def counting(model: type[Any], data: Any) -> Any:
        seen.append(model.__name__)
        return original(model, data)

    monkeypatch.setattr(application, "drop_known_nulls", counting)
    monkeypatch.setattr(vonage_widgets.models._wire, "drop_known_nulls", counting)
    validate_application(WITH_NULLS)
    # Application (name) and the one webhook present (address); no capability container.
    assert sorted(seen) == ["AnswerWebhook", "Application"]


def test_a_model_whose_field_refuses_null_cannot_skip_the_null_pass() -> None:
    with pytest.raises(TypeError, match="refuse null"):

        class _Broken(OptionalWireModel):
            required: str

    class _Fine(WireModel):  # WireModel runs the pass, so a required field is fine
        required: str

    assert _Fine.model_validate({"required": "x"}).required == "x"


# -- first use, imports ----------------------------------------------------------------------


def test_importing_the_models_loads_only_the_application_models() -> None:
    loaded = fresh_python(
        "import json, sys\n"
        "import vonage_widgets.models\n"
        f"names = {list(LAZY_MODULES)!r}\n"
        "print(json.dumps([n for n in names if 'vonage_widgets.models.' + n in sys.modules]))"
    )
    assert loaded == []


def test_every_public_name_resolves_to_its_submodule_object() -> None:
    models = vonage_widgets.models
    assert len(models.__all__) == len(set(models.__all__))
    for name in models.__all__:
        value = getattr(models, name)
        assert value is not None, name
    from vonage_widgets.models import Ncco, check_ncco, ncco  # the names the brief keeps

    assert Ncco is ncco.Ncco
    assert check_ncco is ncco.check_ncco
    assert models.ncco is ncco
    for module in LAZY_MODULES:
        assert getattr(models, module).__name__ == f"vonage_widgets.models.{module}"
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = models.no_such_name


def test_the_first_uses_from_many_threads_at_once_all_judge_right() -> None:
    verdicts = fresh_python_race(
        "from vonage_widgets.errors import ValidationError\n"
        "from vonage_widgets.models import ApplicationPage, validate_application\n"
        "hook = {'address': 'https://e.com/a'}\n"
        "app = {'name': 'x', 'capabilities': {'voice': {'webhooks': {'answer_url': hook}}}}\n"
        "page = {'page': 1, 'page_size': 1, 'total_items': 1, 'total_pages': 1,\n"
        "        '_embedded': {'applications': [app]}}\n"
        "def task(k):\n"
        "    if k % 2:\n"
        "        return ApplicationPage.from_api(page).applications[0].name\n"
        "    try:\n"
        "        validate_application({'name': 5})\n"
        "    except ValidationError as error:\n"
        "        return error.errors[0].path\n"
        "    return 'accepted'"
    )
    assert verdicts == ["name"] * 4 + ["x"] * 4


def test_a_model_built_on_first_use_is_built_once() -> None:
    page = built(vonage_widgets.models.ApplicationPage)
    assert page.__pydantic_complete__
    validator = page.__pydantic_validator__
    assert built(page).__pydantic_validator__ is validator
