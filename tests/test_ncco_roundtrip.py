"""Lossless round trips, checked against outside oracles.

- every example NCCO (``tests/oracles/ncco_snippets.json``) parses, validates and comes back
  byte-for-byte (same keys, same order, same number types);
- the official SDK's NCCO action models serialise to dicts our parser accepts and returns
  unchanged, for every action type and endpoint type;
- the keys the official specs list are keys our models know;
- generated talk/input/connect actions (hypothesis) round-trip.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vonage_voice.models import connect_endpoints as sdk_ep
from vonage_voice.models import ncco as sdk
from vonage_voice.models.common import AdvancedMachineDetection, WebsocketAuthorization
from vonage_voice.models.input_types import Dtmf, Speech

from tests.conftest import load_json, ncco_reference_snippets
from vonage_widgets.models.ncco import (
    ACTIONS,
    ENDPOINT_TYPES,
    TTS_LANGUAGES,
    WEBSOCKET_CONTENT_TYPES,
    Ncco,
    parse_ncco,
    validate_ncco,
)

URL = "https://example.com/webhooks/event"


def test_reference_snippets_parse_validate_and_round_trip(oracles_dir: Path) -> None:
    snippets = ncco_reference_snippets(oracles_dir)
    # 5.2 record, 5.3 conversation, 5.5 connect, 5.6 talk, 5.8 input, 5.9 notify,
    # 5.10 wait, 5.11 transfer: a new snippet must be covered, a lost one noticed.
    assert len(snippets) == 8
    seen: set[str] = set()
    for snippet in snippets:
        assert validate_ncco(snippet) == [], snippet
        ncco = parse_ncco(snippet, strict=True)
        assert ncco.to_list() == snippet
        assert ncco.to_json() == json.dumps(snippet, ensure_ascii=False)
        seen |= {action.kind for action in ncco}
    assert seen == set(ACTIONS) - {"stream"}  # no example NCCO uses stream


def _sdk_actions() -> list[tuple[str, list[Any]]]:
    """One or more SDK-built NCCOs per action and endpoint type, using every SDK field."""
    sdk_input = sdk.Input(
        type=["dtmf", "speech"],
        dtmf=Dtmf(timeOut=5, maxDigits=4, submitOnHash=True),
        speech=Speech(
            uuid=["aaaaaaaa-bbbb-cccc-dddd-0123456789ab"],
            endOnSilence=1.5,
            language="en-GB",
            context=["sales", "support"],
            startTimeout=5,
            maxDuration=30,
            saveAudio=True,
            sensitivity=50,
        ),
        eventUrl=[URL],
        eventMethod="POST",
    )
    phone = sdk_ep.PhoneEndpoint(
        number="447700900001",
        dtmfAnswer="p*123#",
        onAnswer=sdk_ep.OnAnswer(
            url="https://example.com/on-answer", ringbackTone="https://example.com/r.mp3"
        ),
        shaken="eyJhbGciOiJFUzI1NiJ9.e30.c2ln",
    )
    websocket = sdk_ep.WebsocketEndpoint(
        uri="wss://example.com/socket",
        contentType="audio/l16;rate=24000",
        headers={"caller": "447700900000", "nested": {"a": [1, 2]}},
        authorization=WebsocketAuthorization(type="custom", value="Bearer abc"),
    )
    sip = sdk_ep.SipEndpoint(
        uri="sip:rebekka@sip.example.com;transport=tls",
        headers={"location": "New York City"},
        standardHeaders={"User-to-User": "342342ef34;encoding=hex"},
    )
    return [
        (
            "record",
            [
                sdk.Record(
                    format="wav",
                    channels=4,  # the SDK adds split: conversation itself
                    endOnSilence=5,
                    endOnKey="#",
                    timeOut=300,
                    beepStart=True,
                    eventUrl=[URL],
                    eventMethod="POST",
                )
            ],
        ),
        (
            "conversation",
            [
                sdk.Conversation(
                    name="support-room-42",
                    musicOnHoldUrl=["https://example.com/hold.mp3"],
                    startOnEnter=False,
                    endOnExit=True,
                    record=True,
                    canSpeak=["leg-1"],
                    canHear=["leg-2"],
                    eventUrl=[URL],
                    eventMethod="GET",
                )
            ],
        ),
        (
            "connect-phone",
            [
                sdk.Connect(
                    endpoint=[phone],
                    from_="447700900000",
                    eventType="synchronous",
                    timeout=45,
                    limit=3600,
                    machineDetection="hangup",
                    advancedMachineDetection=AdvancedMachineDetection(
                        behavior="continue", mode="detect_beep", beep_timeout=60
                    ),
                    eventUrl=[URL],
                    eventMethod="POST",
                    ringbackTone=["https://example.com/r.mp3"],
                )
            ],
        ),
        (
            "connect-app",
            [sdk.Connect(endpoint=[sdk_ep.AppEndpoint(user="jamie")], randomFromNumber=True)],
        ),
        ("connect-websocket", [sdk.Connect(endpoint=[websocket], from_="447700900000")]),
        ("connect-sip", [sdk.Connect(endpoint=[sip], from_="447700900000")]),
        (
            "connect-vbc",
            [sdk.Connect(endpoint=[sdk_ep.VbcEndpoint(extension="1234")], from_="447700900000")],
        ),
        (
            "talk",
            [
                sdk.Talk(
                    text="<speak>Press 1 for sales</speak>",
                    bargeIn=True,
                    loop=2,
                    level=0.5,
                    language="en-GB",
                    style=1,
                    premium=True,
                ),
                sdk_input,
            ],
        ),
        (
            "stream",
            [
                sdk.Stream(
                    streamUrl=["https://example.com/music.mp3"], level=-0.5, bargeIn=True, loop=0
                ),
                sdk_input,
            ],
        ),
        ("input", [sdk_input]),
        (
            "notify",
            [
                sdk.Notify(
                    payload={"step": "menu", "n": [1, None]}, eventUrl=[URL], eventMethod="POST"
                )
            ],
        ),
        ("wait", [sdk.Wait(timeout=0.5), sdk.Wait()]),
        (
            "transfer",
            [sdk.Transfer(conversationId="CON-f972836a", canHear=["leg-1"], canSpeak=["leg-2"])],
        ),
    ]


SDK_CASES = _sdk_actions()


def test_sdk_cases_cover_every_action_and_endpoint() -> None:
    names = {name.split("-")[0] for name, _ in SDK_CASES}
    assert names == set(ACTIONS)
    endpoints = {name.split("-")[1] for name, _ in SDK_CASES if name.startswith("connect-")}
    assert endpoints == set(ENDPOINT_TYPES)


@pytest.mark.parametrize("actions", [pytest.param(a, id=n) for n, a in SDK_CASES])
def test_sdk_serialised_actions_parse_and_round_trip(actions: list[Any]) -> None:
    dumped = [a.model_dump(by_alias=True, exclude_none=True) for a in actions]
    as_json = json.loads(json.dumps(dumped))  # what actually goes over the wire
    assert validate_ncco(as_json) == []
    ncco = parse_ncco(as_json, strict=True)
    assert ncco.to_list() == as_json
    assert ncco.to_json() == json.dumps(as_json, ensure_ascii=False)
    # The SDK's str-enum values (NccoActionType) are accepted as they are, too.
    assert parse_ncco(dumped, strict=True).to_list() == as_json


def test_sdk_websocket_serialises_the_hyphenated_key_we_expect() -> None:
    endpoint = sdk_ep.WebsocketEndpoint(
        uri="wss://x.example.com", contentType="audio/l16;rate=8000"
    )
    data = endpoint.model_dump(by_alias=True, exclude_none=True)
    assert data["content-type"] == "audio/l16;rate=8000"
    ncco = [{"action": "connect", "endpoint": [json.loads(json.dumps(data))]}]
    assert validate_ncco(ncco) == []


def test_old_schema_keys_are_known(oracles_dir: Path) -> None:
    """Loose sanity check against the outdated NCCO JSON schema [api-notes §5.1]."""
    schema = load_json(oracles_dir / "specs" / "ncco.json")["definitions"]
    # Keys the old schema puts on input itself; the current docs nest them in "dtmf".
    moved = {"input": {"timeOut", "maxDigits", "submitOnHash"}}
    for action in ("connect", "conversation", "input", "record", "stream", "talk"):
        props = set(schema[f"ncco-{action}"]["allOf"][1]["properties"])
        known = set(ACTIONS[action].wire_keys())
        assert props - moved.get(action, set()) <= known, (action, props - known)
    for kind in ("phone", "websocket", "sip"):
        props = set(schema[f"endpoint-{kind}"]["allOf"][1]["properties"])
        assert props <= set(ENDPOINT_TYPES[kind].wire_keys()), kind


def test_current_voice_spec_endpoints_match(oracles_dir: Path) -> None:
    """Endpoint keys and websocket audio formats of [api-notes §5.5]."""
    schemas = load_json(oracles_dir / "specs" / "current" / "voice.json")["components"]["schemas"]
    websocket = schemas["EndpointWebsocket"]
    assert tuple(websocket["properties"]["content-type"]["enum"]) == WEBSOCKET_CONTENT_TYPES
    assert "content-type" in websocket["required"]
    pairs = {
        "EndpointPhoneTo": "phone",
        "EndpointApp": "app",
        "EndpointWebsocket": "websocket",
        "EndpointVBCExtension": "vbc",
    }
    for name, kind in pairs.items():
        assert set(schemas[name]["properties"]) <= set(ENDPOINT_TYPES[kind].wire_keys()), name


# -- generated round trips --------------------------------------------------------------------

urls = st.builds(
    lambda p: f"https://example.com/{p}", st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True)
)
numbers = st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True)
levels = st.one_of(st.integers(-1, 1), st.floats(-1, 1, allow_nan=False))


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts holding any subset of ``fields``, in a random key order."""
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda d: st.permutations(list(d.items())).map(dict)
    )


talk_actions = st.tuples(
    st.text(min_size=1, max_size=300).filter(lambda t: t.strip() and "<" not in t),
    optional(
        loop=st.integers(0, 10),
        level=levels,
        language=st.sampled_from(sorted(TTS_LANGUAGES)),
        style=st.integers(0, 5),
        premium=st.booleans(),
        bargeIn=st.just(False),
    ),
).map(lambda t: {"action": "talk", "text": t[0], **t[1]})

input_actions = st.tuples(
    st.sampled_from([["dtmf"], ["speech"], ["dtmf", "speech"]]),
    optional(
        dtmf=optional(
            timeOut=st.integers(0, 10), maxDigits=st.integers(1, 20), submitOnHash=st.booleans()
        ),
        speech=optional(
            endOnSilence=st.one_of(st.integers(1, 10), st.floats(0.4, 10)),
            language=st.sampled_from(["en-US", "en-GB", "de-DE"]),
            context=st.lists(st.text(max_size=10), max_size=3),
            startTimeout=st.integers(1, 60),
            maxDuration=st.integers(1, 60),
            saveAudio=st.booleans(),
            sensitivity=st.integers(0, 100),
        ),
        eventUrl=st.lists(urls, min_size=1, max_size=2),
        eventMethod=st.sampled_from(["GET", "POST"]),
    ),
).map(lambda t: {"action": "input", "type": t[0], **t[1]})

endpoints = st.one_of(
    numbers.map(lambda n: {"type": "phone", "number": n}),
    st.from_regex(r"[a-z]{1,12}", fullmatch=True).map(lambda u: {"type": "app", "user": u}),
    st.sampled_from(WEBSOCKET_CONTENT_TYPES).map(
        lambda c: {"type": "websocket", "uri": "wss://example.com/s", "content-type": c}
    ),
    st.just({"type": "sip", "uri": "sip:alice@example.com"}),
    st.from_regex(r"[0-9]{2,6}", fullmatch=True).map(lambda e: {"type": "vbc", "extension": e}),
)

connect_actions = st.tuples(
    endpoints,
    optional(
        **{"from": numbers},
        timeout=st.integers(1, 120),
        limit=st.integers(1, 7200),
        eventType=st.just("synchronous"),
        machineDetection=st.sampled_from(["continue", "hangup"]),
        eventUrl=st.lists(urls, min_size=1, max_size=2),
        ringbackTone=st.one_of(urls, st.lists(urls, min_size=1, max_size=1)),
    ),
).map(lambda t: {"action": "connect", "endpoint": [t[0]], **t[1]})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(talk_actions, input_actions, connect_actions), min_size=1, max_size=5))
def test_generated_actions_round_trip(ncco: list[dict[str, Any]]) -> None:
    assert validate_ncco(ncco) == []
    parsed = parse_ncco(ncco, strict=True)
    assert parsed.to_list() == ncco
    assert parsed.to_json() == json.dumps(ncco, ensure_ascii=False)
    again = Ncco.from_json(parsed.to_json(), strict=True)
    assert again == parsed
