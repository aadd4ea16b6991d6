"""NccoBuilder driven as a person drives it: menus, buttons, ``.value`` and ``.click()``.

Numbers, names and examples typed here come from the NCCO notes (``docs/api-notes.md`` §5)
and the example NCCOs in ``tests/oracles/ncco_snippets.json``, an outside oracle for what the
models (and so the builder) must accept and reject.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ncco_reference_snippets
from tests.dropdown_helpers import blank_dropdowns, dropdowns
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models.ncco import ACTIONS, Ncco, validate_ncco
from vonage_widgets.widgets._ncco_fields import MISSING as NOT_SET
from vonage_widgets.widgets.ncco_builder import TEMPLATES, NccoBuilder

_TAG = re.compile(r"<[^>]+>")
URL = "https://example.com/webhooks/event"

# The nine actions of [api-notes §5.2-5.11].
REFERENCE_ACTIONS = {
    "record",
    "conversation",
    "connect",
    "talk",
    "stream",
    "input",
    "notify",
    "wait",
    "transfer",
}

# One valid action of each type, as [api-notes §5] describes them.
VALID_ACTIONS: dict[str, dict[str, Any]] = {
    "record": {"format": "wav", "endOnKey": "#", "beepStart": True, "eventUrl": [URL]},
    "conversation": {"name": "support-room-42", "startOnEnter": False},
    "connect": {"from_": "447700900000", "endpoint": [{"type": "phone", "number": "447700900001"}]},
    "talk": {"text": "Hello", "language": "en-GB"},
    "stream": {"streamUrl": ["https://example.com/hold.mp3"], "loop": 2},
    "input": {"type": ["dtmf"], "dtmf": {"maxDigits": 1}, "eventUrl": [URL]},
    "notify": {"payload": {"step": "menu-reached"}, "eventUrl": [URL]},
    "wait": {"timeout": 0.5},
    "transfer": {"conversationId": "CON-f972836a-550f-45fa-956c-12a2ab5b7d22"},
}


def text(value: str) -> str:
    """The visible text of an HTML widget value."""
    return html.unescape(_TAG.sub("", value))


def pretty(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


@pytest.fixture
def builder() -> NccoBuilder:
    return NccoBuilder()


# -- adding ----------------------------------------------------------------------------------


def test_menu_offers_exactly_the_nine_actions(builder: NccoBuilder) -> None:
    assert set(builder.action_menu.options) == REFERENCE_ACTIONS
    assert list(builder.action_menu.options) == list(ACTIONS)


@pytest.mark.parametrize("name", sorted(REFERENCE_ACTIONS))
def test_add_each_action_from_the_menu(builder: NccoBuilder, name: str) -> None:
    builder.add("wait")
    builder.action_menu.value = name
    builder.add_button.click()
    assert [a["action"] for a in builder.ncco] == ["wait", name]
    card = builder.cards[1]
    assert card.kind == name
    assert builder.cards_box.children[1] is card.widget
    assert card.fields, "every known action has a form"
    assert builder.json_preview.value == pretty(builder.ncco)


@pytest.mark.parametrize("name", sorted(VALID_ACTIONS))
def test_add_each_action_by_method_with_fields(builder: NccoBuilder, name: str) -> None:
    builder.add(name, **VALID_ACTIONS[name])
    expected = {"action": name, **VALID_ACTIONS[name]}
    if "from_" in expected:
        expected["from"] = expected.pop("from_")
    assert builder.ncco == [expected]
    assert builder.valid, builder.errors
    assert builder.errors == []
    assert "valid NCCO, 1 action" in text(builder.summary.value)


def test_a_new_action_names_what_is_missing(builder: NccoBuilder) -> None:
    builder.add("talk")
    assert builder.ncco == [{"action": "talk"}]
    assert builder.errors == [FieldError("0.text", "is required")]
    assert "is required" in text(builder.cards[0].fields["text"].message.value)
    assert not builder.valid
    assert "1 problem" in text(builder.summary.value)


def test_add_refuses_an_unknown_action_and_changes_nothing(builder: NccoBuilder) -> None:
    builder.add("talk", text="Hi")
    with pytest.raises(ValidationError) as caught:
        builder.add("pay")
    assert caught.value.errors[0].path == "action"
    assert builder.ncco == [{"action": "talk", "text": "Hi"}]
    assert "'pay' is not an action" in text(builder.status.value)


def test_add_refuses_values_that_are_not_json(builder: NccoBuilder) -> None:
    with pytest.raises(ValidationError):
        builder.add("wait", timeout=float("nan"))
    assert builder.ncco == []


# -- editing ---------------------------------------------------------------------------------


def test_editing_talk_fields_updates_the_ncco(builder: NccoBuilder) -> None:
    builder.action_menu.value = "talk"
    builder.add_button.click()
    fields = builder.cards[0].fields
    fields["text"].control.value = "Welcome to the IVR."
    fields["language"].control.value = "en-GB"
    fields["bargeIn"].control.value = False
    fields["loop"].control.value = "2"
    fields["level"].control.value = "0.5"
    fields["style"].control.value = "1"
    fields["premium"].control.value = True
    assert builder.ncco == [
        {
            "action": "talk",
            "text": "Welcome to the IVR.",
            "language": "en-GB",
            "bargeIn": False,
            "loop": 2,
            "level": 0.5,
            "style": 1,
            "premium": True,
        }
    ]
    assert builder.valid
    assert builder.json_preview.value == pretty(builder.ncco)
    # Emptying an input removes its key (Vonage's default applies again).
    fields["level"].control.value = ""
    assert "level" not in builder.ncco[0]


def test_not_set_removes_a_boolean_key(builder: NccoBuilder) -> None:
    builder.add("talk", text="Hi", premium=True)
    premium = builder.cards[0].fields["premium"]
    labels = [label for label, _ in premium.control.options]
    assert labels == ["(not set)", "true", "false"]
    premium.control.value = NOT_SET
    assert builder.ncco == [{"action": "talk", "text": "Hi"}]


def test_text_that_is_not_a_number_reaches_the_model(builder: NccoBuilder) -> None:
    builder.add("connect", from_="447700900000")
    timeout = builder.cards[0].fields["timeout"]
    timeout.control.value = "1.5"
    assert builder.ncco[0]["timeout"] == 1.5
    assert "must be a whole number" in text(timeout.message.value)
    timeout.control.value = "soon"
    assert builder.ncco[0]["timeout"] == "soon"
    assert FieldError("0.timeout", "must be a whole number") in builder.errors


def test_connect_timeout_500_shows_its_range(builder: NccoBuilder) -> None:
    builder.add("connect", endpoint=[{"type": "phone", "number": "447700900001"}])
    timeout = builder.cards[0].fields["timeout"]
    timeout.control.value = "500"
    assert builder.ncco[0]["timeout"] == 500, "never clamped: the rule is shown instead"
    assert builder.errors == [FieldError("0.timeout", "must be between 1 and 120 seconds")]
    assert "must be between 1 and 120 seconds" in text(timeout.message.value)
    assert not builder.valid
    assert "1 problem" in text(builder.summary.value)
    timeout.control.value = "45"
    assert builder.valid
    assert timeout.message.value == ""


@pytest.mark.parametrize("name", ["record", "connect", "input", "notify"])
def test_event_url_on_one_line_becomes_an_array(builder: NccoBuilder, name: str) -> None:
    builder.action_menu.value = name
    builder.add_button.click()
    event_url = builder.cards[0].fields["eventUrl"]
    event_url.control.value = URL
    assert builder.ncco[0]["eventUrl"] == [URL]
    event_url.control.value = f"  {URL}\n\nhttps://example.com/backup\n"
    assert builder.ncco[0]["eventUrl"] == [URL, "https://example.com/backup"]
    assert not [e for e in builder.errors if e.path.startswith("0.eventUrl")]
    event_url.control.value = ""
    assert "eventUrl" not in builder.ncco[0]


def test_a_bad_url_is_named_by_its_line(builder: NccoBuilder) -> None:
    builder.add("notify")
    builder.cards[0].fields["eventUrl"].control.value = f"{URL}\nexample.com/no-scheme"
    assert FieldError("0.eventUrl.1", "must be an absolute http:// or https:// URL") in (
        builder.errors
    )
    assert "1: must be an absolute" in text(builder.cards[0].fields["eventUrl"].message.value)


def test_notify_payload_is_json_text(builder: NccoBuilder) -> None:
    builder.add("notify", eventUrl=[URL])
    payload = builder.cards[0].fields["payload"]
    payload.control.value = '{"step": "menu-reached"}'
    assert builder.ncco[0]["payload"] == {"step": "menu-reached"}
    assert builder.valid
    payload.control.value = '{"step": '
    # Half-typed JSON cannot be sent: the NCCO keeps the last payload, the field says why.
    assert builder.ncco[0]["payload"] == {"step": "menu-reached"}
    assert not builder.valid
    assert [e.path for e in builder.errors] == ["0.payload"]
    assert "is not valid JSON" in text(payload.message.value)
    payload.control.value = '["not", "an object"]'
    assert builder.errors == [FieldError("0.payload", "must be an object")]
    payload.control.value = "{}"
    assert builder.valid


def test_input_settings_follow_the_chosen_types(builder: NccoBuilder) -> None:
    builder.add("input", eventUrl=[URL])
    card = builder.cards[0]
    groups = {name: box.layout.display for name, box in card._groups.items()}
    assert groups == {"dtmf": "", "speech": "none"}
    card.fields["type"].control.value = ("dtmf", "speech")
    assert builder.ncco[0]["type"] == ["dtmf", "speech"]
    assert card._groups["speech"].layout.display == ""
    card.fields["dtmf.maxDigits"].control.value = "1"
    card.fields["dtmf.submitOnHash"].control.value = True
    card.fields["speech.context"].control.value = "sales\nsupport"
    card.fields["speech.endOnSilence"].control.value = "1.5"
    assert builder.ncco[0]["dtmf"] == {"maxDigits": 1, "submitOnHash": True}
    assert builder.ncco[0]["speech"] == {"context": ["sales", "support"], "endOnSilence": 1.5}
    assert builder.valid
    card.fields["dtmf.maxDigits"].control.value = "25"
    assert builder.errors == [FieldError("0.dtmf.maxDigits", "must be between 1 and 20 digits")]
    card.fields["dtmf.maxDigits"].control.value = ""
    card.fields["dtmf.submitOnHash"].control.value = NOT_SET
    assert "dtmf" not in builder.ncco[0], "an emptied settings object is not sent"


def test_connect_endpoint_type_switch(builder: NccoBuilder) -> None:
    builder.add("connect", from_="447700900000")
    card = builder.cards[0]
    assert card.endpoint_type is not None
    assert card.endpoint_type.choices == ("phone", "app", "websocket", "sip", "vbc")
    card.fields["endpoint.0.number"].control.value = "447700900001"
    assert builder.ncco[0]["endpoint"] == [{"type": "phone", "number": "447700900001"}]
    assert builder.valid
    card.endpoint_type.control.value = "websocket"
    assert builder.ncco[0]["endpoint"] == [{"type": "websocket"}]
    assert {"endpoint.0.uri", "endpoint.0.content-type", "endpoint.0.headers"} <= set(card.fields)
    assert "endpoint.0.number" not in card.fields
    assert {e.path for e in builder.errors} == {"0.endpoint.0.uri", "0.endpoint.0.content-type"}
    card.fields["endpoint.0.uri"].control.value = "wss://example.com/socket"
    card.fields["endpoint.0.content-type"].control.value = "audio/l16;rate=16000"
    card.fields["endpoint.0.headers"].control.value = '{"caller": "447700900000"}'
    assert builder.ncco[0]["endpoint"] == [
        {
            "type": "websocket",
            "uri": "wss://example.com/socket",
            "content-type": "audio/l16;rate=16000",
            "headers": {"caller": "447700900000"},
        }
    ]
    assert builder.valid
    card.endpoint_type.control.value = "phone"  # back: the number typed before returns
    assert builder.ncco[0]["endpoint"] == [{"type": "phone", "number": "447700900001"}]
    assert card.fields["endpoint.0.number"].control.value == "447700900001"


def test_sip_and_app_endpoints(builder: NccoBuilder) -> None:
    builder.add("connect")
    card = builder.cards[0]
    card.endpoint_type.control.value = "sip"  # type: ignore[union-attr]
    card.fields["endpoint.0.uri"].control.value = "sip:rebekka@sip.example.com"
    assert builder.ncco[0]["endpoint"] == [{"type": "sip", "uri": "sip:rebekka@sip.example.com"}]
    assert builder.valid
    card.endpoint_type.control.value = "app"  # type: ignore[union-attr]
    card.fields["endpoint.0.user"].control.value = "alice"
    assert builder.ncco[0]["endpoint"] == [{"type": "app", "user": "alice"}]
    assert builder.valid


def test_random_from_number_with_from_is_shown(builder: NccoBuilder) -> None:
    builder.add("connect", from_="447700900000", endpoint=[{"type": "app", "user": "alice"}])
    card = builder.cards[0]
    card.fields["randomFromNumber"].control.value = True
    assert builder.errors == [FieldError("0.randomFromNumber", "cannot be combined with from")]
    assert "cannot be combined" in text(card.fields["randomFromNumber"].message.value)


def test_editing_keeps_keys_the_form_does_not_show(builder: NccoBuilder) -> None:
    loaded = [
        {
            "action": "record",
            "transcription": {"language": "en-US"},
            "format": "mp3",
            "eventMethod": "GET",
            "eventUrl": [URL],
        }
    ]
    builder.load(loaded)
    builder.cards[0].fields["format"].control.value = "wav"
    builder.cards[0].fields["beepStart"].control.value = True
    assert builder.ncco == [
        {
            "action": "record",
            "transcription": {"language": "en-US"},
            "format": "wav",
            "eventMethod": "GET",
            "eventUrl": [URL],
            "beepStart": True,
        }
    ]
    assert list(builder.ncco[0]) == [
        "action",
        "transcription",
        "format",
        "eventMethod",
        "eventUrl",
        "beepStart",
    ]
    assert loaded[0]["format"] == "mp3", "the caller's list is never edited"


def test_a_value_the_model_refuses_is_shown_and_kept(builder: NccoBuilder) -> None:
    builder.load([{"action": "talk", "text": "Hi", "bargeIn": "yes"}])
    barge_in = builder.cards[0].fields["bargeIn"]
    assert barge_in.control.label == '"yes" (not allowed)'
    assert builder.ncco[0]["bargeIn"] == "yes"
    assert builder.errors == [FieldError("0.bargeIn", "must be true or false")]
    barge_in.control.value = False
    assert builder.ncco[0]["bargeIn"] is False
    assert builder.valid


def test_transfer_old_key_spelling_is_shown_and_renamed_on_edit(builder: NccoBuilder) -> None:
    builder.load([{"action": "transfer", "conversation_id": "CON-1"}])
    field = builder.cards[0].fields["conversationId"]
    assert field.control.value == "CON-1"
    assert [w.path for w in builder.warnings] == ["0.conversation_id"]
    assert "is sent as conversationId" in text(builder.cards[0].messages.value)
    field.control.value = "CON-2"
    assert builder.ncco == [{"action": "transfer", "conversationId": "CON-2"}]
    assert builder.warnings == []


# -- live validation -------------------------------------------------------------------------


def test_barge_in_without_a_following_input_is_shown_on_that_talk(builder: NccoBuilder) -> None:
    builder.add("talk", text="Press 1 for sales", bargeIn=True)
    builder.add("wait")
    talk = builder.cards[0]
    assert [e.path for e in builder.errors] == ["0.bargeIn"]
    assert "next action after the talk/stream actions must be an input" in text(
        talk.fields["bargeIn"].message.value
    )
    assert "✗ 1" in text(talk.title.value)
    assert "✓" in text(builder.cards[1].title.value)
    builder.add("input", eventUrl=[URL])
    builder.move(2, -1)  # input right after the talk
    assert builder.valid
    assert talk.fields["bargeIn"].message.value == ""


def test_barge_in_error_follows_its_card_when_moved(builder: NccoBuilder) -> None:
    builder.add("wait")
    builder.add("talk", text="Hi", bargeIn=True)
    talk = builder.cards[1]
    builder.cards[1].up_button.click()
    assert builder.cards[0] is talk
    assert [e.path for e in builder.errors] == ["0.bargeIn"]
    assert "must be an input" in text(talk.fields["bargeIn"].message.value)
    assert builder.errors_by_action == {0: builder.errors}


def test_unknown_keys_and_actions_show_on_their_card(builder: NccoBuilder) -> None:
    builder.load([{"action": "pay"}, {"action": "talk", "text": "Hi", "bargein": True}])
    assert "'pay' is not a known action" in text(builder.cards[0].messages.value)
    assert "? pay" in text(builder.cards[0].title.value)
    assert "did you mean 'bargeIn'" in text(builder.cards[1].messages.value)
    assert sorted(builder.errors_by_action) == [0, 1]
    assert "2 problems" in text(builder.summary.value)


def test_warnings_are_softer_and_do_not_invalidate(builder: NccoBuilder) -> None:
    builder.add("wait")
    builder.cards[0].fields["timeout"].control.value = "9000"
    assert builder.valid
    assert [w.path for w in builder.warnings] == ["0.timeout"]
    message = builder.cards[0].fields["timeout"].message.value
    assert "⚠" in message
    assert "✗" not in message
    assert "#b00020" not in message, "warnings are not shown in the error colour"
    assert "valid NCCO, 1 action, 1 warning" in text(builder.summary.value)


def test_summary_line(builder: NccoBuilder) -> None:
    assert "must hold at least one action" in text(builder.summary.value)
    assert not builder.valid
    builder.load_template("forward_to_phone")
    builder.add("wait")
    assert text(builder.summary.value).startswith("✓ valid NCCO, 3 actions")
    builder.add("talk")
    builder.add("stream")
    assert text(builder.summary.value).startswith("✗ 2 problems")


def test_build_refuses_an_ncco_with_problems(builder: NccoBuilder) -> None:
    builder.add("talk")
    with pytest.raises(ValidationError) as caught:
        builder.build()
    assert caught.value.errors == [FieldError("0.text", "is required")]
    builder.cards[0].fields["text"].control.value = "Hello"
    assert builder.build() == [{"action": "talk", "text": "Hello"}]


def test_ncco_trait_notifies_observers(builder: NccoBuilder) -> None:
    seen: list[list[dict[str, Any]]] = []
    builder.observe(lambda change: seen.append(change["new"]), names="ncco")
    builder.add("talk", text="Hi")
    builder.cards[0].fields["text"].control.value = "Hello"
    assert seen == [[{"action": "talk", "text": "Hi"}], [{"action": "talk", "text": "Hello"}]]


# -- reorder and remove ------------------------------------------------------------------------


def test_move_and_remove_by_method(builder: NccoBuilder) -> None:
    for name in ("talk", "wait", "notify"):
        builder.add(name)
    builder.move(0, 2)
    assert [a["action"] for a in builder.ncco] == ["wait", "notify", "talk"]
    builder.move(2, -1)
    assert [a["action"] for a in builder.ncco] == ["wait", "talk", "notify"]
    builder.move(0, -5)  # already first: stays
    assert [a["action"] for a in builder.ncco] == ["wait", "talk", "notify"]
    builder.remove(1)
    assert [a["action"] for a in builder.ncco] == ["wait", "notify"]
    assert [c.kind for c in builder.cards] == ["wait", "notify"]
    assert [text(c.title.value).split()[0] for c in builder.cards] == ["[0]", "[1]"]
    with pytest.raises(ValidationError):
        builder.remove(5)
    with pytest.raises(ValidationError):
        builder.move(-1, 1)
    assert [a["action"] for a in builder.ncco] == ["wait", "notify"]
    builder.clear()
    assert builder.ncco == []
    assert builder.cards_box.children == ()


def test_move_and_remove_buttons(builder: NccoBuilder) -> None:
    for name in ("talk", "wait", "notify"):
        builder.add(name)
    first, middle, last = builder.cards
    assert first.up_button.disabled
    assert not first.down_button.disabled
    assert last.down_button.disabled
    first.down_button.click()
    assert builder.cards == (middle, first, last)
    last.up_button.click()
    assert [a["action"] for a in builder.ncco] == ["wait", "notify", "talk"]
    assert builder.cards[0].up_button.disabled
    assert builder.cards[2].down_button.disabled
    middle.remove_button.click()
    assert [a["action"] for a in builder.ncco] == ["notify", "talk"]
    assert builder.json_preview.value == pretty(builder.ncco)
    builder.clear_button.click()
    assert builder.ncco == []


# -- templates and loading ---------------------------------------------------------------------


def test_template_menu_offers_the_three_templates(builder: NccoBuilder) -> None:
    values = [value for _, value in builder.template_menu.options]
    assert values == ["forward_to_phone", "ivr_menu", "voicemail"]


@pytest.mark.parametrize("name", ["forward_to_phone", "ivr_menu", "voicemail"])
def test_every_template_loads_and_validates(builder: NccoBuilder, name: str) -> None:
    builder.add("talk")  # replaced by the template
    builder.template_menu.value = name
    builder.template_button.click()
    assert builder.valid, builder.errors
    assert validate_ncco(builder.ncco) == []
    assert builder.ncco == TEMPLATES[name].factory(**TEMPLATES[name].example).build()
    assert "Loaded the template" in text(builder.status.value)


def test_forward_template_is_vonages_example(builder: NccoBuilder) -> None:
    builder.load_template("forward_to_phone", to="447700900123")
    talk, connect = builder.ncco
    assert talk["action"] == "talk"
    assert connect["action"] == "connect"
    assert connect["endpoint"] == [{"type": "phone", "number": "447700900123"}]
    assert connect["from"] == TEMPLATES["forward_to_phone"].example["from_"]


def test_ivr_and_voicemail_templates_have_their_key_actions(builder: NccoBuilder) -> None:
    builder.load_template("ivr_menu", event_url="https://example.com/ivr")
    assert [a["action"] for a in builder.ncco] == ["talk", "input"]
    assert builder.ncco[0]["bargeIn"] is True
    assert builder.ncco[1]["eventUrl"] == ["https://example.com/ivr"]
    builder.load_template("voicemail")
    assert "record" in [a["action"] for a in builder.ncco]


def test_bad_template_parameters_change_nothing(builder: NccoBuilder) -> None:
    builder.load_template("voicemail")
    before = builder.ncco
    with pytest.raises(ValidationError):
        builder.load_template("ivr_menu", options={"x": "nothing"})
    with pytest.raises(ValidationError):
        builder.load_template("forward_to_phone", to="+44 7700 900123")
    with pytest.raises(ValidationError):
        builder.load_template("no_such_template")
    with pytest.raises(ValidationError):
        builder.load_template("voicemail", colour="blue")
    assert builder.ncco == before
    assert "Not changed" in text(builder.status.value)


def test_load_invalid_json_keeps_the_ncco_and_says_why(builder: NccoBuilder) -> None:
    builder.load_template("forward_to_phone")
    before = builder.ncco
    with pytest.raises(ValidationError) as caught:
        builder.load('[{"action": "talk", ')
    assert "is not valid JSON" in caught.value.errors[0].message
    assert builder.ncco == before
    assert len(builder.cards) == 2
    assert "Not changed: the NCCO is not valid JSON" in text(builder.status.value)
    # The same through the widgets: no exception escapes the button, the text stays.
    builder.json_input.value = "{oops"
    builder.load_json_button.click()
    assert builder.ncco == before
    assert builder.json_input.value == "{oops"
    assert "is not valid JSON" in text(builder.status.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"action": "talk", "text": "Hi"}', "must be a JSON array of actions"),
        ('[{"action": "talk", "text": "Hi"}, 3]', "action [1] must be an object"),
        ("42", "must be a JSON array of actions"),
    ],
)
def test_load_refuses_what_cannot_be_cards(builder: NccoBuilder, value: str, message: str) -> None:
    builder.add("wait")
    builder.json_input.value = value
    builder.load_json_button.click()
    assert builder.ncco == [{"action": "wait"}]
    assert message in text(builder.status.value)


def test_load_json_text_through_the_widgets(builder: NccoBuilder) -> None:
    builder.json_input.value = '[{"action": "talk", "text": "Hi", "level": 1.0}]'
    builder.load_json_button.click()
    assert builder.ncco == [{"action": "talk", "text": "Hi", "level": 1.0}]
    assert isinstance(builder.ncco[0]["level"], float)
    assert builder.cards[0].fields["text"].control.value == "Hi"
    assert "Loaded 1 action" in text(builder.status.value)


def test_constructor_takes_a_list_an_ncco_or_json_text() -> None:
    data = [{"action": "talk", "text": "Hi"}]
    assert NccoBuilder(data).ncco == data
    assert NccoBuilder(Ncco().talk("Hi")).ncco == data
    assert NccoBuilder(json.dumps(data)).ncco == data
    with pytest.raises(ValidationError):
        NccoBuilder("not json")


def test_json_preview_equals_json_dumps_of_the_ncco(builder: NccoBuilder) -> None:
    assert builder.json_preview.value == pretty([])
    builder.load_template("ivr_menu")
    builder.add("talk", text="Ünïcödé ✓")
    builder.cards[0].fields["level"].control.value = "-0.5"
    builder.move(2, -2)
    assert builder.json_preview.value == pretty(builder.ncco)
    assert json.loads(builder.json_preview.value) == builder.ncco
    assert builder.to_json() == builder.json_preview.value
    assert builder.json_preview.disabled, "the preview is read-only; Load JSON is for input"


def test_round_trip_of_the_reference_examples(builder: NccoBuilder, oracles_dir: Path) -> None:
    snippets = ncco_reference_snippets(oracles_dir)
    assert len(snippets) == 8
    for snippet in snippets:
        builder.load(snippet)
        assert builder.ncco == snippet
        assert json.dumps(builder.ncco) == json.dumps(snippet), "same keys, order and types"
        assert builder.valid, builder.errors
        assert builder.json_preview.value == pretty(snippet)
        builder.load(json.dumps(snippet))
        assert builder.ncco == snippet


def test_loaded_values_appear_in_the_inputs(builder: NccoBuilder, oracles_dir: Path) -> None:
    connect_example = ncco_reference_snippets(oracles_dir)[2]  # 5.5: websocket endpoint
    builder.load(connect_example)
    card = builder.cards[1]
    assert card.fields["timeout"].control.value == "45"
    assert card.fields["eventUrl"].control.value == "https://example.com/events"
    assert card.endpoint_type.control.value == "websocket"  # type: ignore[union-attr]
    assert card.fields["endpoint.0.content-type"].control.value == "audio/l16;rate=16000"
    assert json.loads(card.fields["endpoint.0.headers"].control.value) == {"caller": "447700900000"}


def test_display_gives_a_widget_view(builder: NccoBuilder) -> None:
    bundle = builder._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert repr(builder) == "NccoBuilder(actions=0, valid=False)"


def test_loading_never_edits_what_it_shows(builder: NccoBuilder) -> None:
    # A bare string where an array belongs: shown in the box as its one line, left as it is
    # (and reported) until the person edits the box.
    loaded = [{"action": "notify", "payload": {}, "eventUrl": URL}]
    builder.load(loaded)
    event_url = builder.cards[0].fields["eventUrl"]
    assert event_url.control.value == URL
    assert builder.ncco == loaded
    assert builder.errors == [
        FieldError("0.eventUrl", "must be an array of URLs, even for one URL")
    ]
    event_url.control.value = URL + "\n"
    assert builder.ncco[0]["eventUrl"] == [URL]
    assert builder.valid


# -- every dropdown shows a choice (an empty box in the browser otherwise) -------------------


def test_every_dropdown_shows_one_of_its_options(builder: NccoBuilder) -> None:
    assert len(dropdowns(builder)) == 2  # the action and template menus
    assert blank_dropdowns(builder) == []
    for name, fields in VALID_ACTIONS.items():
        builder.add(name, **fields)
    assert len(dropdowns(builder)) > 2 + len(VALID_ACTIONS)  # choice inputs on the cards
    assert blank_dropdowns(builder) == []
    endpoint_type = builder.cards[2].endpoint_type
    assert endpoint_type is not None
    for kind in endpoint_type.choices:
        endpoint_type.control.value = kind
        assert blank_dropdowns(builder) == [], kind
    for name in TEMPLATES:
        builder.load_template(name)
        assert blank_dropdowns(builder) == [], name
    builder.load([{"action": "talk", "text": "Hi", "bargeIn": None, "level": "loud"}])
    assert blank_dropdowns(builder) == []  # a refused value is shown, never a blank


def test_typed_json_is_refused_by_the_shared_rules(builder: NccoBuilder) -> None:
    # The payload box and the "load JSON" box decode like every outside input
    # (vonage_widgets._json): NaN and nesting past 100 levels name their rule.
    builder.add("notify", eventUrl=[URL])
    payload = builder.cards[0].fields["payload"]
    payload.control.value = '{"score": NaN}'
    assert "NaN is not a JSON number" in text(payload.message.value)
    payload.control.value = '{"a": ' * 101 + "1" + "}" * 101
    assert "nested too deeply" in text(payload.message.value)
    before = builder.ncco
    with pytest.raises(ValidationError) as caught:
        builder.load("[" * 101 + "]" * 101)
    assert "nested too deeply" in caught.value.errors[0].message
    assert builder.ncco == before


def test_ncco_from_json_refuses_deep_nesting_and_nan() -> None:
    from vonage_widgets.models import Ncco

    with pytest.raises(ValidationError) as caught:
        Ncco.from_json('[{"action": "talk", "text": "hi", "level": NaN}]')
    assert caught.value.errors[0].message.endswith("NaN is not a JSON number")
    with pytest.raises(ValidationError) as caught:
        Ncco.from_json("[" * 101 + "]" * 101)
    assert "nested too deeply" in caught.value.errors[0].message
