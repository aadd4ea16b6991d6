"""Every NCCO rule, broken once: the exact FieldError path and a fragment of its message.

Each case is a small NCCO that breaks one rule; the test asserts that ``validate_ncco``
reports that rule at that path (and, for warnings, that it is a warning and not an error).
"""

from __future__ import annotations

from typing import Any

import pytest

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models.ncco import (
    MAX_NCCO_ACTIONS,
    MAX_NCCO_BYTES,
    Wait,
    check_ncco,
    parse_ncco,
    validate_ncco,
)

URL = "https://example.com/events"
PHONE = {"type": "phone", "number": "447700900001"}
WS = {
    "type": "websocket",
    "uri": "wss://example.com/socket",
    "content-type": "audio/l16;rate=16000",
}


def connect(**fields: Any) -> list[dict[str, Any]]:
    """A one-action NCCO: connect to PHONE, with the fields given."""
    return [{"action": "connect", "endpoint": [PHONE], **fields}]


def endpoint(**fields: Any) -> list[dict[str, Any]]:
    """A one-action NCCO connecting to the endpoint given by ``fields``."""
    return [{"action": "connect", "endpoint": [fields]}]


def one(action: str, **fields: Any) -> list[dict[str, Any]]:
    """A one-action NCCO."""
    return [{"action": action, **fields}]


def talk(**fields: Any) -> list[dict[str, Any]]:
    """A talk action with default text."""
    return one("talk", **{"text": "Hello", **fields})


def listen(**fields: Any) -> list[dict[str, Any]]:
    """An input action collecting DTMF."""
    return one("input", **{"type": ["dtmf"], **fields})


# (id, ncco, path, message fragment)
ERROR_CASES: list[tuple[str, object, str, str]] = [
    # the document
    ("doc-object", {"action": "talk", "text": "Hi"}, "", "wrap a single action in [ ]"),
    ("doc-string", "talk", "", "must be a JSON array of actions"),
    ("doc-empty", [], "", "at least one action"),
    (
        "doc-too-many",
        [{"action": "wait", "timeout": 1}] * (MAX_NCCO_ACTIONS + 1),
        "",
        f"at most {MAX_NCCO_ACTIONS} actions",
    ),
    (
        "doc-too-big",
        one("notify", payload={"blob": "x" * MAX_NCCO_BYTES}, eventUrl=[URL]),
        "",
        f"at most {MAX_NCCO_BYTES} bytes",
    ),
    ("doc-not-json", one("notify", payload={"n": float("nan")}, eventUrl=[URL]), "", "JSON"),
    ("item-not-object", [5], "0", "must be an object with an 'action' key"),
    ("action-missing", [{"text": "Hi"}], "0.action", "is required"),
    ("action-unknown", one("tallk", text="Hi"), "0.action", "did you mean 'talk'"),
    ("action-not-string", [{"action": 5}], "0.action", "must be a string"),
    # eventUrl and other URL lists: always arrays of absolute http(s) URLs
    (
        "eventUrl-string",
        one("record", eventUrl=URL),
        "0.eventUrl",
        "must be an array of URLs, even for one URL",
    ),
    (
        "eventUrl-string-second-action",
        [*talk(), *one("conversation", name="room", eventUrl=URL)],
        "1.eventUrl",
        "even for one URL",
    ),
    ("eventUrl-relative", listen(eventUrl=["/ivr"]), "0.eventUrl.0", "absolute http"),
    ("eventUrl-ftp", one("notify", payload={}, eventUrl=["ftp://x.com/a"]), "0.eventUrl.0", "http"),
    ("eventUrl-empty", one("notify", payload={}, eventUrl=[]), "0.eventUrl", "at least one URL"),
    ("notify-eventUrl-missing", one("notify", payload={}), "0.eventUrl", "is required"),
    (
        "transcription-eventUrl-string",
        one("record", transcription={"eventUrl": URL}),
        "0.transcription.eventUrl",
        "even for one URL",
    ),
    (
        "musicOnHold-string",
        one("conversation", name="room", musicOnHoldUrl="https://example.com/a.mp3"),
        "0.musicOnHoldUrl",
        "even for one URL",
    ),
    ("ringback-relative", connect(ringbackTone="ring.mp3"), "0.ringbackTone", "absolute"),
    # bargeIn
    ("bargeIn-then-connect", [*talk(bargeIn=True), *connect()], "0.bargeIn", "must be an input"),
    (
        "bargeIn-ends",
        [*talk(bargeIn=True), *talk(), *one("stream", streamUrl=[URL])],
        "0.bargeIn",
        "ends without one",
    ),
    (
        "bargeIn-stream-then-wait",
        [*one("stream", streamUrl=[URL], bargeIn=True), *one("wait")],
        "0.bargeIn",
        "action 1 is 'wait'",
    ),
    (
        "bargeIn-sticks",
        [*talk(bargeIn=True), *talk(bargeIn=False), *one("record")],
        "0.bargeIn",
        "must be an input",
    ),
    # connect
    ("connect-two-endpoints", connect(endpoint=[PHONE, PHONE]), "0.endpoint", "exactly one"),
    ("connect-no-endpoint", connect(endpoint=[]), "0.endpoint", "exactly one endpoint"),
    ("connect-endpoint-missing", one("connect"), "0.endpoint", "is required"),
    (
        "connect-random-and-from",
        connect(**{"from": "447700900000", "randomFromNumber": True}),
        "0.randomFromNumber",
        "cannot be combined with from",
    ),
    ("connect-from-plus", connect(**{"from": "+447700900000"}), "0.from", "E.164"),
    ("connect-from_-key", connect(from_="447700900000"), "0.from_", "did you mean 'from'"),
    ("connect-timeout", connect(timeout=121), "0.timeout", "between 1 and 120 seconds"),
    ("connect-timeout-string", connect(timeout="45"), "0.timeout", "whole number"),
    ("connect-limit", connect(limit=7201), "0.limit", "between 1 and 7200 seconds"),
    ("connect-eventType", connect(eventType="async"), "0.eventType", "'synchronous'"),
    (
        "connect-machineDetection",
        connect(machineDetection="ignore"),
        "0.machineDetection",
        "'continue' or 'hangup'",
    ),
    (
        "connect-amd-beep-timeout",
        connect(advancedMachineDetection={"beep_timeout": 30}),
        "0.advancedMachineDetection.beep_timeout",
        "between 45 and 120",
    ),
    ("phone-number", endpoint(type="phone", number="07700"), "0.endpoint.0.number", "E.164"),
    (
        "phone-dtmfAnswer",
        endpoint(type="phone", number="447700900001", dtmfAnswer="12a"),
        "0.endpoint.0.dtmfAnswer",
        "DTMF digits",
    ),
    (
        "phone-onAnswer-url",
        endpoint(type="phone", number="447700900001", onAnswer={}),
        "0.endpoint.0.onAnswer.url",
        "is required",
    ),
    (
        "phone-unknown-key",
        endpoint(type="phone", numbr="447700900001", number="447700900001"),
        "0.endpoint.0.numbr",
        "did you mean 'number'",
    ),
    ("endpoint-type-unknown", endpoint(type="pstn"), "0.endpoint.0.type", "must be one of phone"),
    ("endpoint-type-missing", endpoint(number="4477"), "0.endpoint.0.type", "is required"),
    ("app-user-empty", endpoint(type="app", user=" "), "0.endpoint.0.user", "must not be empty"),
    (
        "websocket-rate",
        endpoint(**{**WS, "content-type": "audio/l16;rate=44100"}),
        "0.endpoint.0.content-type",
        "'audio/l16;rate=24000'",
    ),
    (
        "websocket-content-type-missing",
        endpoint(type="websocket", uri="wss://example.com/s"),
        "0.endpoint.0.content-type",
        "is required",
    ),
    (
        "websocket-contentType-key",
        endpoint(**WS, contentType="audio/l16;rate=16000"),
        "0.endpoint.0.contentType",
        "'content-type' (with a hyphen)",
    ),
    (
        "websocket-uri-https",
        endpoint(**{**WS, "uri": "https://example.com/s"}),
        "0.endpoint.0.uri",
        "ws:// or wss://",
    ),
    (
        "websocket-custom-auth",
        endpoint(**WS, authorization={"type": "custom"}),
        "0.endpoint.0.authorization.value",
        "required when type is custom",
    ),
    ("sip-nothing", endpoint(type="sip"), "0.endpoint.0.uri", "is required"),
    (
        "sip-both",
        endpoint(type="sip", uri="sip:a@b.com", user="a", domain="trunk"),
        "0.endpoint.0.uri",
        "not both",
    ),
    ("sip-user-only", endpoint(type="sip", user="a"), "0.endpoint.0.domain", "is required"),
    ("sip-uri-scheme", endpoint(type="sip", uri="tel:123"), "0.endpoint.0.uri", "sip: or sips:"),
    (
        "sip-user-to-user",
        endpoint(type="sip", uri="sip:a@b.com", standardHeaders={"User-to-User": "x" * 257}),
        "0.endpoint.0.standardHeaders.User-to-User",
        "at most 256 characters",
    ),
    ("vbc-extension", endpoint(type="vbc"), "0.endpoint.0.extension", "is required"),
    # conversation
    (
        "conversation-mute-canSpeak",
        one("conversation", name="room", mute=True, canSpeak=["leg-1"]),
        "0.mute",
        "cannot be used together with canSpeak",
    ),
    ("conversation-name-missing", one("conversation"), "0.name", "is required"),
    ("conversation-name-empty", one("conversation", name=""), "0.name", "must not be empty"),
    (
        "conversation-transcription-without-record",
        one("conversation", name="room", transcription={}),
        "0.transcription",
        "requires record: true",
    ),
    # record
    ("record-channels-no-split", one("record", channels=2), "0.channels", "requires split"),
    (
        "record-channels-max",
        one("record", split="conversation", channels=33),
        "0.channels",
        "between 1 and 32",
    ),
    ("record-format", one("record", format="flac"), "0.format", "'mp3', 'wav' or 'ogg'"),
    ("record-endOnSilence", one("record", endOnSilence=2), "0.endOnSilence", "between 3 and 10"),
    ("record-endOnKey", one("record", endOnKey="##"), "0.endOnKey", "one key"),
    ("record-timeOut", one("record", timeOut=7201), "0.timeOut", "between 3 and 7200"),
    ("record-beepStart", one("record", beepStart="yes"), "0.beepStart", "true or false"),
    (
        "record-transcription-language",
        one("record", transcription={"language": "english please"}),
        "0.transcription.language",
        "BCP-47",
    ),
    # talk
    ("talk-too-long", talk(text="a" * 1501), "0.text", "at most 1500 characters"),
    (
        "talk-too-long-with-ssml",
        talk(text="<speak>" + "a" * 1501 + "</speak>"),
        "0.text",
        "(it has 1501)",
    ),
    ("talk-text-missing", one("talk"), "0.text", "is required"),
    ("talk-text-null", talk(text=None), "0.text", "must be a string, not null"),
    ("talk-bargeIn-null", talk(bargeIn=None), "0.bargeIn", "must not be null"),
    ("talk-level", talk(level=2), "0.level", "between -1 and 1"),
    ("talk-level-string", talk(level="0.5"), "0.level", "must be a number"),
    ("talk-loop-negative", talk(loop=-1), "0.loop", "0 or more"),
    ("talk-loop-float", talk(loop=1.5), "0.loop", "whole number"),
    ("talk-bargeIn-int", talk(bargeIn=1), "0.bargeIn", "true or false"),
    ("talk-key-case", talk(bargein=True), "0.bargein", "did you mean 'bargeIn'"),
    ("talk-language", talk(language="english"), "0.language", "BCP-47"),
    # stream
    (
        "stream-url-string",
        one("stream", streamUrl="https://example.com/a.mp3"),
        "0.streamUrl",
        "even for one URL",
    ),
    (
        "stream-two-urls",
        one("stream", streamUrl=[URL, URL]),
        "0.streamUrl",
        "exactly one audio URL",
    ),
    # input
    ("input-type-value", listen(type=["voice"]), "0.type.0", "'dtmf' or 'speech'"),
    ("input-type-empty", listen(type=[]), "0.type", '["dtmf"], ["speech"] or ["dtmf", "speech"]'),
    ("input-type-missing", one("input"), "0.type", "is required"),
    ("input-type-string", listen(type="dtmf"), "0.type", "must be an array"),
    ("input-type-repeated", listen(type=["dtmf", "dtmf"]), "0.type", "must not repeat"),
    ("dtmf-maxDigits", listen(dtmf={"maxDigits": 21}), "0.dtmf.maxDigits", "between 1 and 20"),
    ("dtmf-timeOut", listen(dtmf={"timeOut": 11}), "0.dtmf.timeOut", "between 0 and 10"),
    ("dtmf-unknown-key", listen(dtmf={"maxDigit": 2}), "0.dtmf.maxDigit", "'maxDigits'"),
    (
        "speech-endOnSilence",
        listen(type=["speech"], speech={"endOnSilence": 0.2}),
        "0.speech.endOnSilence",
        "between 0.4 and 10",
    ),
    (
        "speech-startTimeout",
        listen(type=["speech"], speech={"startTimeout": 61}),
        "0.speech.startTimeout",
        "between 1 and 60",
    ),
    (
        "speech-maxDuration",
        listen(type=["speech"], speech={"maxDuration": 0}),
        "0.speech.maxDuration",
        "between 1 and 60",
    ),
    (
        "speech-sensitivity",
        listen(type=["speech"], speech={"sensitivity": 101}),
        "0.speech.sensitivity",
        "between 0 and 100",
    ),
    (
        "speech-uuid-two",
        listen(type=["speech"], speech={"uuid": ["a", "b"]}),
        "0.speech.uuid",
        "exactly one leg UUID",
    ),
    (
        "input-async-speech",
        listen(type=["dtmf", "speech"], mode="asynchronous"),
        "0.type",
        "when mode is asynchronous",
    ),
    (
        "input-async-dtmf-settings",
        listen(mode="asynchronous", dtmf={"maxDigits": 4}),
        "0.dtmf",
        "must be empty when mode is asynchronous",
    ),
    ("input-mode", listen(mode="sync"), "0.mode", "'synchronous' or 'asynchronous'"),
    ("input-eventMethod", listen(eventMethod="get"), "0.eventMethod", "must be one of 'GET'"),
    # notify
    ("notify-payload-missing", one("notify", eventUrl=[URL]), "0.payload", "is required"),
    ("notify-payload-list", one("notify", payload=[1], eventUrl=[URL]), "0.payload", "object"),
    # wait
    ("wait-timeout-string", one("wait", timeout="10"), "0.timeout", "must be a number"),
    ("wait-timeout-bool", one("wait", timeout=True), "0.timeout", "must be a number"),
    # transfer
    ("transfer-target-missing", one("transfer"), "0.conversationId", "is required"),
    (
        "transfer-mute-canSpeak",
        one("transfer", conversationId="CON-1", mute=True, canSpeak=[]),
        "0.mute",
        "cannot be used together with canSpeak",
    ),
    (
        "transfer-both-spellings",
        one("transfer", conversationId="CON-1", conversation_id="CON-2"),
        "0.conversation_id",
        "give the target once",
    ),
    (
        "transfer-canHear-string",
        one("transfer", conversationId="CON-1", canHear="leg-1"),
        "0.canHear",
        "must be an array",
    ),
]


@pytest.mark.parametrize(
    ("ncco", "path", "fragment"),
    [pytest.param(n, p, f, id=i) for i, n, p, f in ERROR_CASES],
)
def test_rule_is_reported_at_its_path(ncco: object, path: str, fragment: str) -> None:
    errors = validate_ncco(ncco)
    matching = [e for e in errors if e.path == path]
    assert matching, f"no error at {path!r}; got {[str(e) for e in errors]}"
    assert any(fragment in e.message for e in matching), [e.message for e in matching]


def test_there_are_enough_rule_cases() -> None:
    assert len(ERROR_CASES) >= 40
    assert len({case[0] for case in ERROR_CASES}) == len(ERROR_CASES)


WARNING_CASES: list[tuple[str, list[dict[str, Any]], str, str]] = [
    ("wait-below-min", one("wait", timeout=0), "0.timeout", "Vonage waits 0.1 seconds"),
    ("wait-above-max", one("wait", timeout=9000), "0.timeout", "Vonage waits 7200 seconds"),
    ("wait-negative", one("wait", timeout=-3.5), "0.timeout", "waits 0.1 seconds"),
    (
        "after-transfer",
        [*one("transfer", conversationId="CON-1"), *talk(), *talk()],
        "1",
        "unreachable: the transfer at action 0",
    ),
    ("talk-voiceName", talk(voiceName="Kimberly"), "0.voiceName", "deprecated"),
    ("talk-ssml-unwrapped", talk(text="Hi <break time='1s'/> there"), "0.text", "<speak>"),
    ("talk-language-unknown", talk(language="xx-XX"), "0.language", "not a documented"),
    ("eventMethod-put", one("record", eventMethod="PUT"), "0.eventMethod", "use GET or POST"),
    ("input-dtmf-ignored", listen(type=["speech"], dtmf={}), "0.dtmf", "ignored"),
    (
        "transfer-old-spelling",
        one("transfer", conversation_id="CON-1"),
        "0.conversation_id",
        "sent as conversationId",
    ),
]


@pytest.mark.parametrize(
    ("ncco", "path", "fragment"),
    [pytest.param(n, p, f, id=i) for i, n, p, f in WARNING_CASES],
)
def test_warning_is_reported_and_is_not_an_error(
    ncco: list[dict[str, Any]], path: str, fragment: str
) -> None:
    result = check_ncco(ncco)
    assert result.errors == []
    assert any(w.path == path and fragment in w.message for w in result.warnings), [
        str(w) for w in result.warnings
    ]


VALID_EDGE_CASES: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "bargeIn-across-talk-and-stream",
        [*talk(bargeIn=True), *talk(bargeIn=False), *one("stream", streamUrl=[URL]), *listen()],
    ),
    ("bargeIn-false-alone", talk(bargeIn=False)),
    ("connect-without-from", connect()),
    ("ringback-string", connect(ringbackTone="https://example.com/r.mp3")),
    ("ringback-list", connect(ringbackTone=["https://example.com/r.mp3"])),
    (
        "phone-onAnswer-old-ringback",
        endpoint(
            type="phone",
            number="447700900001",
            onAnswer={"url": URL, "ringback": "https://example.com/r.mp3"},
        ),
    ),
    ("sip-user-domain", endpoint(type="sip", user="alice", domain="my-trunk")),
    ("sip-tls", endpoint(type="sip", uri="sips:alice@sip.example.com;transport=tls;media=srtp")),
    ("websocket-24k", endpoint(**{**WS, "content-type": "audio/l16;rate=24000"})),
    ("websocket-vonage-auth", endpoint(**WS, authorization={"type": "vonage"})),
    ("conversation-mute-false-canSpeak", one("conversation", name="r", mute=False, canSpeak=[])),
    (
        "conversation-transcription",
        one("conversation", name="r", record=True, transcription={"sentimentAnalysis": True}),
    ),
    ("record-channels-split", one("record", split="conversation", channels=32)),
    ("record-transcription-defaults", one("record", transcription={})),
    ("input-async", listen(mode="asynchronous", dtmf={}, eventUrl=[URL])),
    ("talk-1500-plus-ssml", talk(text="<speak>" + "a" * 1500 + "</speak>")),
    ("talk-level-int", talk(level=1, loop=0)),
    ("wait-default", one("wait")),
    ("wait-in-range-int", one("wait", timeout=5)),
    ("transfer-mute", one("transfer", conversationId="CON-1", mute=True, canHear=["leg"])),
    ("notify-nested-payload", one("notify", payload={"a": [1, None, {"b": True}]}, eventUrl=[URL])),
    ("max-actions", [{"action": "wait", "timeout": 1}] * MAX_NCCO_ACTIONS),
]


@pytest.mark.parametrize("ncco", [pytest.param(n, id=i) for i, n in VALID_EDGE_CASES])
def test_valid_edge_cases_pass_and_round_trip(ncco: list[dict[str, Any]]) -> None:
    assert validate_ncco(ncco) == []
    assert parse_ncco(ncco, strict=True).to_list() == ncco


def test_every_problem_is_listed_not_just_the_first() -> None:
    ncco = [
        {"action": "talk", "text": "Hi", "bargeIn": True, "lvl": 1},
        {"action": "connect", "endpoint": [PHONE], "timeout": 0, "eventUrl": URL},
        {"action": "dance"},
    ]
    paths = {e.path for e in validate_ncco(ncco)}
    assert {"0.lvl", "0.bargeIn", "1.timeout", "1.eventUrl", "2.action"} <= paths


def test_strict_parse_raises_with_the_ncco_subject() -> None:
    with pytest.raises(ValidationError) as info:
        parse_ncco(talk(bargein=True), strict=True)
    assert info.value.subject == "NCCO"
    assert info.value.paths == ["0.bargein"]


def test_lenient_parse_keeps_unknown_keys_and_reports_them() -> None:
    data = [{"action": "talk", "text": "Hi", "provider": "polly"}]
    ncco = parse_ncco(data)
    assert ncco.to_list() == data
    assert ncco.errors == [FieldError("0.provider", "is not a key of the talk action")]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"action": "talk"}, id="not-a-list"),
        pytest.param([{"action": "dance"}], id="unknown-action"),
        pytest.param(talk(level=5), id="out-of-range"),
        pytest.param([[]], id="item-not-object"),
    ],
)
def test_untypeable_input_raises_even_when_lenient(data: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_ncco(data)
    assert info.value.errors == validate_ncco(data)


def test_wait_keeps_the_given_value_and_notes_the_effective_one() -> None:
    ncco = parse_ncco(one("wait", timeout=0.01))
    wait = ncco[0]
    assert isinstance(wait, Wait)
    assert wait.timeout == 0.01
    assert wait.effective_timeout == pytest.approx(0.1)
    assert ncco.to_list() == [{"action": "wait", "timeout": 0.01}]
    assert ncco.warnings[0].path == "0.timeout"
