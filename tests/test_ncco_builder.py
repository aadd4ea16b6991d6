"""The fluent builder, the templates, the list behaviour and the action metadata."""

from __future__ import annotations

from typing import Any

import pytest

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models.ncco import (
    ACTIONS,
    Bounds,
    Connect,
    Conversation,
    Input,
    Ncco,
    Notify,
    PhoneEndpoint,
    Record,
    Stream,
    Talk,
    Transfer,
    Wait,
    field_bounds,
    forward_to_phone,
    ivr_menu,
    parse_ncco,
    validate_ncco,
    voicemail,
)

URL = "https://example.com/webhooks/event"


def test_fluent_chain_builds_the_expected_json() -> None:
    built = (
        Ncco()
        .talk("Hello", language="en-GB")
        .connect_phone("447700900001", from_="447700900000", timeout=30)
        .build()
    )
    assert built == [
        {"action": "talk", "text": "Hello", "language": "en-GB"},
        {
            "action": "connect",
            "from": "447700900000",
            "timeout": 30,
            "endpoint": [{"type": "phone", "number": "447700900001"}],
        },
    ]


def test_every_builder_method_produces_valid_json() -> None:
    ncco = (
        Ncco()
        .record(format="mp3", eventUrl=[URL])
        .talk("Welcome", bargeIn=True)
        .stream("https://example.com/hold.mp3", loop=2)
        .input(["dtmf", "speech"], dtmf={"maxDigits": 1}, speech={"language": "en-GB"})
        .notify({"step": "menu"}, URL)
        .wait(0.5)
        .connect_app("jamie")
        .connect_websocket("wss://example.com/socket", "audio/l16;rate=24000", {"id": "1"})
        .connect_sip("sip:alice@example.com")
        .connect_sip(user="alice", domain="my-trunk")
        .connect_vbc("1234")
        .connect(PhoneEndpoint(number="447700900001", dtmfAnswer="p1"), randomFromNumber=True)
        .conversation("room", startOnEnter=False)
        .transfer("CON-1", canHear=["leg-1"])
    )
    built = ncco.build()
    assert [a["action"] for a in built] == [
        "record", "talk", "stream", "input", "notify", "wait",
        "connect", "connect", "connect", "connect", "connect", "connect",
        "conversation", "transfer",
    ]  # fmt: skip
    assert validate_ncco(built) == []
    assert built[2] == {
        "action": "stream",
        "streamUrl": ["https://example.com/hold.mp3"],
        "loop": 2,
    }
    assert built[7]["endpoint"] == [
        {
            "type": "websocket",
            "uri": "wss://example.com/socket",
            "content-type": "audio/l16;rate=24000",
            "headers": {"id": "1"},
        }
    ]
    assert built[9]["endpoint"] == [{"type": "sip", "user": "alice", "domain": "my-trunk"}]
    assert built[11]["endpoint"] == [
        {"type": "phone", "number": "447700900001", "dtmfAnswer": "p1"}
    ]
    assert parse_ncco(built, strict=True) == ncco


def test_builder_adds_no_defaults() -> None:
    assert Ncco().wait().input().record().build() == [
        {"action": "wait"},
        {"action": "input", "type": ["dtmf"]},
        {"action": "record"},
    ]


def test_bad_field_raises_at_once_with_the_position_it_would_take() -> None:
    ncco = Ncco().talk("Hi")
    with pytest.raises(ValidationError) as info:
        ncco.connect_phone("+44 7700", from_="447700900000")
    assert info.value.subject == "NCCO"
    assert info.value.paths == ["1.endpoint.0.number"]
    assert len(ncco) == 1  # nothing was appended


def test_sequence_rules_are_checked_by_build() -> None:
    ncco = Ncco().talk("Press a key", bargeIn=True)  # no input follows
    with pytest.raises(ValidationError) as info:
        ncco.build()
    assert info.value.paths == ["0.bargeIn"]
    assert ncco.input(eventUrl=[URL]).build()[1]["action"] == "input"


def test_a_string_event_url_is_refused_by_the_builder_too() -> None:
    with pytest.raises(ValidationError) as info:
        Ncco().record(eventUrl=URL)
    assert info.value.errors == [
        FieldError("0.eventUrl", "must be an array of URLs, even for one URL")
    ]


def test_add_accepts_models_and_json_objects() -> None:
    ncco = Ncco().add(Talk(text="Hi")).add({"action": "wait", "timeout": 2})
    assert ncco.build() == [{"action": "talk", "text": "Hi"}, {"action": "wait", "timeout": 2}]
    with pytest.raises(ValidationError) as info:
        ncco.add({"action": "dance"})
    assert info.value.paths == ["2.action"]
    with pytest.raises(ValidationError) as info:
        ncco.add({"action": "talk", "text": 5})
    assert info.value.paths == ["2.text"]


def test_python_names_work_in_code_but_not_in_json() -> None:
    built = Connect(endpoint=[PhoneEndpoint(number="447700900001")], from_="447700900000")
    assert Ncco([built]).build()[0]["from"] == "447700900000"
    errors = validate_ncco([{"action": "connect", "endpoint": [], "from_": "447700900000"}])
    hint = "is not a key of the connect action; did you mean 'from'? (use the JSON name)"
    assert FieldError("0.from_", hint) in errors


def test_forward_to_phone_is_vonages_forwarding_example() -> None:
    assert forward_to_phone("447700900001", "447700900000").build() == [
        {"action": "talk", "text": "Please wait while we connect you."},
        {
            "action": "connect",
            "from": "447700900000",
            "endpoint": [{"type": "phone", "number": "447700900001"}],
        },
    ]


def test_ivr_menu_speaks_the_options_then_collects_one_key() -> None:
    built = ivr_menu("Welcome to Acme.", {"1": "sales", "2": "support"}, URL).build()
    assert built == [
        {
            "action": "talk",
            "text": "Welcome to Acme. Press 1 for sales. Press 2 for support.",
            "bargeIn": True,
        },
        {"action": "input", "type": ["dtmf"], "dtmf": {"maxDigits": 1}, "eventUrl": [URL]},
    ]


@pytest.mark.parametrize(
    ("options", "path"),
    [({"10": "ten"}, "options.10"), ({}, "options"), ({"a": "x"}, "options.a")],
)
def test_ivr_menu_refuses_keys_a_phone_cannot_send(options: dict[str, str], path: str) -> None:
    with pytest.raises(ValidationError) as info:
        ivr_menu("Hi", options, URL)
    assert info.value.paths == [path]


def test_ivr_menu_refuses_a_relative_event_url() -> None:
    with pytest.raises(ValidationError) as info:
        ivr_menu("Hi", {"1": "sales"}, "/ivr")
    assert info.value.paths == ["1.eventUrl.0"]


def test_voicemail_records_until_hash_and_blocks() -> None:
    ncco = voicemail("Please leave a message after the tone.", URL)
    built = ncco.build()
    assert built[1] == {
        "action": "record",
        "endOnKey": "#",
        "timeOut": 120,
        "beepStart": True,
        "eventUrl": [URL],
    }
    assert ncco[1].is_synchronous  # so the goodbye waits for the recording
    assert built[2]["action"] == "talk"


def test_ncco_behaves_like_a_list_of_actions() -> None:
    ncco = Ncco().talk("a").talk("b").wait(1)
    assert len(ncco) == 3
    assert isinstance(ncco[0], Talk)
    assert isinstance(ncco.actions, tuple)
    assert [a.kind for a in ncco.actions] == ["talk", "talk", "wait"]
    assert isinstance(ncco[1:], Ncco)
    assert ncco[1:].to_list() == [{"action": "talk", "text": "b"}, {"action": "wait", "timeout": 1}]
    del ncco[0]
    ncco.insert(0, Wait())
    ncco.append(Talk(text="c"))
    assert ncco == [
        {"action": "wait"},
        {"action": "talk", "text": "b"},
        {"action": "wait", "timeout": 1},
        {"action": "talk", "text": "c"},
    ]
    assert "Ncco([" in repr(ncco)


def test_from_json_reports_bad_json_as_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        Ncco.from_json("[{")
    assert info.value.paths == [""]
    assert "not valid JSON" in info.value.errors[0].message
    assert Ncco.from_json('[{"action": "wait"}]').to_list() == [{"action": "wait"}]


# Synchronous per [api-notes §5.1]; NCCO replies per [api-notes §3.3].
METADATA = [
    (Record, False, False, False),
    (Conversation, True, False, False),
    (Connect, True, False, False),
    (Talk, True, False, False),
    (Stream, True, False, False),
    (Input, True, True, False),
    (Notify, True, True, False),
    (Wait, True, False, False),
    (Transfer, True, False, True),
]


@pytest.mark.parametrize(("cls", "synchronous", "replies", "terminal"), METADATA)
def test_class_metadata(cls: Any, synchronous: bool, replies: bool, terminal: bool) -> None:
    assert cls.synchronous is synchronous
    assert cls.expects_ncco_reply is replies
    assert cls.terminal is terminal


def test_metadata_covers_every_action() -> None:
    assert {cls for cls, *_ in METADATA} == set(ACTIONS.values())


@pytest.mark.parametrize(
    ("action", "is_synchronous", "awaits_ncco"),
    [
        ({"action": "talk", "text": "x", "bargeIn": True}, False, False),
        ({"action": "talk", "text": "x"}, True, False),
        ({"action": "stream", "streamUrl": [URL], "bargeIn": True}, False, False),
        ({"action": "record"}, False, False),
        ({"action": "record", "endOnKey": "#"}, True, False),
        ({"action": "record", "timeOut": 60}, True, False),
        ({"action": "connect", "endpoint": [{"type": "app", "user": "u"}]}, True, False),
        (
            {
                "action": "connect",
                "eventType": "synchronous",
                "endpoint": [{"type": "vbc", "extension": "1"}],
            },
            True,
            True,
        ),
        ({"action": "input", "type": ["dtmf"]}, True, True),
        ({"action": "input", "type": ["dtmf"], "mode": "asynchronous"}, True, False),
        ({"action": "notify", "payload": {}, "eventUrl": [URL]}, True, True),
    ],
)
def test_instance_metadata(action: dict[str, Any], is_synchronous: bool, awaits_ncco: bool) -> None:
    parsed = parse_ncco([action])[0]
    assert parsed.is_synchronous is is_synchronous
    assert parsed.awaits_ncco is awaits_ncco


def test_limits_are_readable_from_the_models() -> None:
    assert field_bounds(Connect, "timeout") == Bounds(1, 120, "seconds")
    assert field_bounds(Record, "channels") == Bounds(1, 32, "channels")
    assert field_bounds(Talk, "level") == Bounds(-1, 1)
    assert field_bounds(Talk, "text") is None


def test_wait_effective_timeout() -> None:
    assert Wait().effective_timeout == 10
    assert Wait(timeout=0).effective_timeout == pytest.approx(0.1)
    assert Wait(timeout=10_000).effective_timeout == 7200
    assert Wait(timeout=3).effective_timeout == 3
