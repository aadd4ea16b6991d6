"""The builder's inputs: which keys each card shows, and that ranges and choices come from
the models and match [api-notes §5]."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco import (
    ACTIONS,
    ENDPOINT_TYPES,
    WEBSOCKET_CONTENT_TYPES,
    Dtmf,
    Speech,
    field_bounds,
)
from vonage_widgets.widgets._ncco_cards import get_path, route, set_path
from vonage_widgets.widgets._ncco_fields import MISSING, RangeText, describe_field
from vonage_widgets.widgets.ncco_builder import NccoBuilder

# The keys the brief asks each card to offer (an outside list, not read from the widget).
EXPECTED_FIELDS: dict[str, set[str]] = {
    "talk": {"text", "language", "bargeIn", "loop", "level", "style", "premium"},
    "stream": {"streamUrl", "bargeIn", "loop", "level"},
    "record": {
        "format",
        "split",
        "channels",
        "endOnSilence",
        "endOnKey",
        "timeOut",
        "beepStart",
        "eventUrl",
    },
    "conversation": {"name", "startOnEnter", "endOnExit", "record", "mute", "musicOnHoldUrl"},
    "notify": {"payload", "eventUrl"},
    "wait": {"timeout"},
    "transfer": {"conversationId"},
}

# (action, field path): (minimum, maximum) as [api-notes §5] states them; None = no upper limit.
REFERENCE_RANGES: dict[tuple[str, str], tuple[float, float | None]] = {
    ("record", "channels"): (1, 32),
    ("record", "endOnSilence"): (3, 10),
    ("record", "timeOut"): (3, 7200),
    ("connect", "timeout"): (1, 120),
    ("connect", "limit"): (1, 7200),
    ("talk", "level"): (-1, 1),
    ("talk", "loop"): (0, None),
    ("stream", "level"): (-1, 1),
    ("stream", "loop"): (0, None),
    ("input", "dtmf.timeOut"): (0, 10),
    ("input", "dtmf.maxDigits"): (1, 20),
    ("input", "speech.endOnSilence"): (0.4, 10),
    ("input", "speech.startTimeout"): (1, 60),
    ("input", "speech.maxDuration"): (1, 60),
    ("input", "speech.sensitivity"): (0, 100),
    ("wait", "timeout"): (0.1, 7200),
}


def card_for(action: str):  # type: ignore[no-untyped-def]
    builder = NccoBuilder()
    builder.add(action)
    return builder, builder.cards[0]


@pytest.mark.parametrize("action", sorted(EXPECTED_FIELDS))
def test_each_card_shows_its_main_keys(action: str) -> None:
    _, card = card_for(action)
    assert set(card.fields) == EXPECTED_FIELDS[action]


def test_input_card_keys() -> None:
    _, card = card_for("input")
    keys = set(card.fields)
    assert {"type", "eventUrl", "dtmf.maxDigits", "dtmf.timeOut", "dtmf.submitOnHash"} <= keys
    assert {"speech.language", "speech.context", "speech.endOnSilence"} <= keys


@pytest.mark.parametrize(
    ("endpoint", "keys"),
    [
        ("phone", {"number"}),
        ("app", {"user"}),
        ("websocket", {"uri", "content-type"}),
        ("sip", {"uri", "user", "domain"}),
        ("vbc", {"extension"}),
    ],
)
def test_connect_card_keys_per_endpoint_type(endpoint: str, keys: set[str]) -> None:
    _, card = card_for("connect")
    assert {"from", "randomFromNumber", "timeout", "limit", "eventUrl"} <= set(card.fields)
    card.endpoint_type.control.value = endpoint
    shown = {p.removeprefix("endpoint.0.") for p in card.fields if p.startswith("endpoint.0.")}
    assert keys <= shown
    assert "type" in shown


@pytest.mark.parametrize(("action", "path"), sorted(REFERENCE_RANGES))
def test_number_boxes_carry_the_reference_ranges(action: str, path: str) -> None:
    _, card = card_for(action)
    control = card.fields[path].control
    assert isinstance(control, RangeText)
    low, high = REFERENCE_RANGES[(action, path)]
    assert (control.min, control.max) == (low, high)
    assert f"{low:g}" in control.placeholder


@pytest.mark.parametrize(
    ("model", "key", "path"),
    [(ACTIONS["connect"], "timeout", "timeout"), (Dtmf, "maxDigits", "dtmf.maxDigits")],
)
def test_ranges_are_read_from_the_models(model: type, key: str, path: str) -> None:
    bounds = field_bounds(model, key)
    assert bounds is not None
    assert describe_field(model, key).bounds == bounds


def test_dtmf_and_speech_defaults_are_the_models(monkeypatch: pytest.MonkeyPatch) -> None:
    _, card = card_for("input")
    assert "default 4" in card.fields["dtmf.maxDigits"].control.placeholder
    assert "default 10" in card.fields["speech.startTimeout"].control.placeholder
    assert describe_field(Speech, "sensitivity").bounds == field_bounds(Speech, "sensitivity")


@pytest.mark.parametrize(
    ("action", "path", "choices"),
    [
        ("record", "format", ("mp3", "wav", "ogg")),
        ("record", "split", ("conversation",)),
        ("talk", "bargeIn", (True, False)),
        ("conversation", "startOnEnter", (True, False)),
    ],
)
def test_dropdowns_offer_the_reference_values(action: str, path: str, choices: tuple) -> None:
    _, card = card_for(action)
    editor = card.fields[path]
    assert isinstance(editor.control, ipw.Dropdown)
    assert editor.choices == choices  # type: ignore[attr-defined]


def test_endpoint_choices_come_from_the_models() -> None:
    _, card = card_for("connect")
    assert card.endpoint_type.choices == tuple(ENDPOINT_TYPES)
    card.endpoint_type.control.value = "websocket"
    content_type = card.fields["endpoint.0.content-type"]
    assert content_type.choices == WEBSOCKET_CONTENT_TYPES  # type: ignore[attr-defined]
    assert {"audio/l16;rate=8000", "audio/l16;rate=16000"} <= set(WEBSOCKET_CONTENT_TYPES)


def test_input_type_offers_dtmf_and_speech() -> None:
    _, card = card_for("input")
    control = card.fields["type"].control
    assert isinstance(control, ipw.SelectMultiple)
    assert tuple(control.options) == ("dtmf", "speech")


def test_talk_language_suggests_the_tts_languages() -> None:
    _, card = card_for("talk")
    control = card.fields["language"].control
    assert isinstance(control, ipw.Combobox)
    assert {"en-GB", "en-US", "cy-GB"} <= set(control.options)


def test_url_list_keys_are_text_areas() -> None:
    for action in ("record", "connect", "input", "notify", "stream", "conversation"):
        _, card = card_for(action)
        for path, editor in card.fields.items():
            if path in ("eventUrl", "streamUrl", "musicOnHoldUrl"):
                assert isinstance(editor.control, ipw.Textarea), (action, path)


def test_required_keys_are_marked() -> None:
    _, card = card_for("talk")
    assert "*" in card.fields["text"].widget.children[0].value
    assert "*" not in card.fields["language"].widget.children[0].value


# -- the path helpers --------------------------------------------------------------------------


def test_set_path_creates_and_prunes_objects() -> None:
    doc: dict = {"action": "input", "type": ["dtmf"]}
    set_path(doc, "dtmf.maxDigits", 1)
    assert doc == {"action": "input", "type": ["dtmf"], "dtmf": {"maxDigits": 1}}
    set_path(doc, "dtmf.maxDigits", MISSING)
    assert doc == {"action": "input", "type": ["dtmf"]}
    set_path(doc, "speech.language", MISSING)  # nothing to remove: nothing created
    assert doc == {"action": "input", "type": ["dtmf"]}
    connect: dict = {"action": "connect"}
    set_path(connect, "endpoint.0.type", "phone")
    assert connect == {"action": "connect", "endpoint": [{"type": "phone"}]}
    assert get_path(connect, "endpoint.0.type") == "phone"
    assert get_path(connect, "endpoint.1.type") is MISSING


def test_set_path_keeps_one_spelling() -> None:
    doc = {"action": "transfer", "conversation_id": "CON-1"}
    assert get_path(doc, "conversationId", ["conversation_id"]) == "CON-1"
    set_path(doc, "conversationId", "CON-2", ["conversation_id"])
    assert doc == {"action": "transfer", "conversationId": "CON-2"}


def test_route_sends_problems_to_the_longest_known_prefix() -> None:
    routed, general = route(
        [
            FieldError("eventUrl.1", "must be a URL"),
            FieldError("text", "is required"),
            FieldError("transcription.language", "bad"),
            FieldError("", "whole action"),
        ],
        ["eventUrl", "text"],
    )
    assert routed == {"eventUrl": ["1: must be a URL"], "text": ["is required"]}
    assert general == ["transcription.language: bad", "whole action"]
