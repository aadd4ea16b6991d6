"""No input may crash anything: bad input is refused with a message that names field and rule.

Table-driven, one table per surface:

- API bodies POSTed (and PUT) raw to the sandbox: 400 with an RFC 7807 body whose
  ``invalid_parameters`` names the field and the rule, never a 5xx, and nothing half-written
  (the account's applications are the same before and after);
- odd but valid names (emoji, scripts, combining marks) are stored and returned unchanged;
- the application form: the message appears beside the field and Save is disabled;
- NCCOs: ``validate_ncco`` names the path of each broken rule, never raises;
- the webhook server: a user function returning junk is answered 500 and recorded;
- the sandbox's call simulator: a bad answer reply (bad JSON, not an array, wrong content
  type, ...) sends the call to the fallback URL;
- application files: ``ValidationError`` naming the file and the field;
- the client: a server answering junk gives one of the package's errors.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from tests.reliability_helpers import (
    FaultServer,
    Step,
    http_client,
    key_pair,
    problem_fields,
    snapshot,
)
from vonage_widgets.appconfig import load_application_file
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import ValidationError, VonageWidgetsError
from vonage_widgets.models.ncco import MAX_NCCO_ACTIONS, TALK_TEXT_MAX, validate_ncco
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.webhooks import WebhookServer
from vonage_widgets.widgets import ApplicationForm

PUBLIC_PEM = key_pair().public_pem
PRIVATE_PEM = key_pair().private_pem.get_secret_value()
URL_RULE = "must be an absolute http or https URL"
VOICE_HOOKS = "capabilities.voice.webhooks"
NUMBER = "442079460000"
"""A number every sandbox account owns, with the VOICE feature."""


class Case(NamedTuple):
    """One invalid input: where the error must point and a phrase of its rule.

    For the cases marked as bugs, ``rule`` is ``""`` (and an NCCO's ``field`` may be None):
    the wording, and for a whole-NCCO rule the path, are the fix's to choose.
    """

    id: str
    data: Any
    field: Any  # str, or None for "any path"
    rule: str


def _bug(case: Case, reason: str) -> Any:
    return pytest.param(case, id=case.id, marks=pytest.mark.xfail(strict=True, reason=reason))


# -- API bodies ---------------------------------------------------------------------------------


def _body(**fields: Any) -> bytes:
    """A create body: a valid name and public key, then ``fields`` (dotted paths) set."""
    body: dict[str, Any] = {"name": "bad input", "keys": {"public_key": PUBLIC_PEM}}
    for path, value in fields.items():
        node = body
        *parents, last = path.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return json.dumps(body).encode()


def _hook(name: str, **fields: Any) -> bytes:
    webhook = {"address": "https://example.com/hook", **fields}
    return _body(capabilities__voice__webhooks={name: webhook})


def _hook_field(name: str, field: str) -> str:
    return f"{VOICE_HOOKS}.{name}.{field}"


def _address(url: str, capability: str = "voice", webhook: str = "answer_url") -> bytes:
    return _body(**{f"capabilities__{capability}__webhooks": {webhook: {"address": url}}})


_PUB = json.dumps(PUBLIC_PEM)
_BAD_JSON = [
    Case("array", b"[]", "", "must be a JSON object"),
    Case("string", b'"x"', "", "must be a JSON object"),
    Case("number", b"1", "", "must be a JSON object"),
    Case("null", b"null", "", "must be a JSON object"),
    Case("boolean", b"true", "", "must be a JSON object"),
    Case("empty object", b"{}", "name", "is required"),
    Case("empty body", b"", "", "empty"),
    Case("only spaces", b"   \n ", "", "empty"),
    Case("cut off", b'{"name": "x"', "", "not valid JSON"),
    Case("trailing garbage", b'{"name": "x"} x', "", "not valid JSON"),
    Case("single quotes", b"{'name': 'x'}", "", "not valid JSON"),
    Case("NaN", b'{"name": "x", "v": NaN}', "", "not valid JSON"),
    Case("Infinity", b'{"name": "x", "v": -Infinity}', "", "not valid JSON"),
    Case("1e400", b'{"name": "x", "v": 1e400}', "", "too large"),
    Case("5000 digits", b'{"name": "x", "v": ' + b"9" * 5000 + b"}", "", "not valid JSON"),
    Case("not UTF-8", b'{"name": "caf\xe9"}', "", "not UTF-8"),
    Case("binary", bytes(range(256)), "", "not UTF-8"),
    Case("UTF-8 BOM", b"\xef\xbb\xbf" + _body(), "", "not valid JSON"),
    Case(
        "nested 100 000 deep",
        b'{"name": "x", "v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "",
        "nested too deeply",
    ),
    # A lone surrogate is reported at its string's path (the key shown escaped).
    Case("lone surrogate in a value", b'{"name": "\\ud800"}', "name", "surrogate"),
    Case("lone surrogate in a key", b'{"name": "x", "\\udfff": 1}', "\\udfff", "surrogate"),
]
_WRONG_TYPES = [
    Case("name number", _body(name=5), "name", "must be a string"),
    Case("name list", _body(name=["x"]), "name", "must be a string"),
    Case("name null", _body(name=None), "name", "is required"),
    Case("capabilities list", _body(capabilities=[]), "capabilities", "must be a JSON object"),
    Case("voice string", _body(capabilities__voice="yes"), "capabilities.voice", "JSON object"),
    Case("webhooks list", _body(capabilities__voice__webhooks=[]), VOICE_HOOKS, "JSON object"),
    Case(
        "ttl string",
        _body(capabilities__voice__conversations_ttl="48"),
        "capabilities.voice.conversations_ttl",
        "whole number",
    ),
    Case(
        "ttl float",
        _body(capabilities__voice__conversations_ttl=48.5),
        "capabilities.voice.conversations_ttl",
        "whole number",
    ),
    Case(
        "ttl boolean",
        _body(capabilities__voice__conversations_ttl=True),
        "capabilities.voice.conversations_ttl",
        "whole number",
    ),
    Case(
        "signed string",
        _body(capabilities__voice__signed_callbacks="true"),
        "capabilities.voice.signed_callbacks",
        "true or false",
    ),
    Case("improve_ai number", _body(privacy__improve_ai=1), "privacy.improve_ai", "true or false"),
    Case("keys string", _body(keys="abc"), "keys", "must be a JSON object"),
    Case("public key number", _body(keys={"public_key": 5}), "keys.public_key", "must be a string"),
    Case(
        "address number",
        _hook("answer_url", address=5),
        _hook_field("answer_url", "address"),
        "must be a string",
    ),
    Case(
        "video active string",
        _body(
            capabilities__video={
                "webhooks": {"archive_status": {"address": "https://a.example", "active": "yes"}}
            }
        ),
        "capabilities.video.webhooks.archive_status.active",
        "true or false",
    ),
    Case(
        "network_apis uri number",
        _body(capabilities__network_apis={"redirect_uri": 5}),
        "capabilities.network_apis.redirect_uri",
        "must be a string",
    ),
]
_OUT_OF_RANGE = [
    Case(
        "ttl 0",
        _body(capabilities__voice__conversations_ttl=0),
        "capabilities.voice.conversations_ttl",
        "between 1 and 9000",
    ),
    Case(
        "ttl 9001",
        _body(capabilities__voice__conversations_ttl=9001),
        "capabilities.voice.conversations_ttl",
        "between 1 and 9000",
    ),
    Case(
        "ttl 10**30",
        _body(capabilities__voice__conversations_ttl=10**30),
        "capabilities.voice.conversations_ttl",
        "between 1 and 9000",
    ),
    Case(
        "leg persistence 32",
        _body(capabilities__voice__leg_persistence_time=32),
        "capabilities.voice.leg_persistence_time",
        "between 1 and 31",
    ),
    Case(
        "answer connect 299",
        _hook("answer_url", connect_timeout=299),
        _hook_field("answer_url", "connect_timeout"),
        "between 300 and 1000",
    ),
    Case(
        "answer socket 5001",
        _hook("answer_url", socket_timeout=5001),
        _hook_field("answer_url", "socket_timeout"),
        "between 1000 and 5000",
    ),
    Case(
        "event socket 10001",
        _hook("event_url", socket_timeout=10001),
        _hook_field("event_url", "socket_timeout"),
        "between 1000 and 10000",
    ),
    Case(
        "fallback connect -1",
        _hook("fallback_answer_url", connect_timeout=-1),
        _hook_field("fallback_answer_url", "connect_timeout"),
        "between 300 and 1000",
    ),
    Case(
        "old timeout name 2000",
        _hook("answer_url", connection_timeout=2000),
        _hook_field("answer_url", "connect_timeout"),
        "between 300 and 1000",
    ),
]
_BAD_ENUMS = [
    Case(
        "method PUT",
        _hook("answer_url", http_method="PUT"),
        _hook_field("answer_url", "http_method"),
        "must be one of: GET, POST",
    ),
    Case(
        "method lower case",
        _hook("event_url", http_method="get"),
        _hook_field("event_url", "http_method"),
        "must be one of: GET, POST",
    ),
    Case(
        "region mars",
        _body(capabilities__voice__region="mars"),
        "capabilities.voice.region",
        "must be one of",
    ),
    Case(
        "messages version v3",
        _body(capabilities__messages__version="v3"),
        "capabilities.messages.version",
        "must be one of",
    ),
    Case(
        "messages inbound GET",
        _body(
            capabilities__messages__webhooks={
                "inbound_url": {"address": "https://a.example", "http_method": "GET"}
            }
        ),
        "capabilities.messages.webhooks.inbound_url.http_method",
        "must be POST",
    ),
    Case(
        "verify status GET",
        _body(
            capabilities__verify__webhooks={
                "status_url": {"address": "https://a.example", "http_method": "GET"}
            }
        ),
        "capabilities.verify.webhooks.status_url.http_method",
        "must be POST",
    ),
]
_BAD_NAMES = [
    Case("name empty", _body(name=""), "name", "must not be empty"),
    Case("name spaces", _body(name="   "), "name", "must not be empty"),
    Case("name tab and newline", _body(name="\t\n"), "name", "must not be empty"),
    Case("name no-break space", _body(name="\u00a0"), "name", "must not be empty"),
    Case("name 256 characters", _body(name="a" * 256), "name", "at most 255"),
    Case("name of 1 MB", _body(name="a" * 1_000_000), "name", "at most 255"),
]
_BAD_URLS = [
    Case(
        "ftp", _address("ftp://example.com/answer"), _hook_field("answer_url", "address"), URL_RULE
    ),
    Case(
        "javascript",
        _address("javascript:alert(1)"),
        _hook_field("answer_url", "address"),
        URL_RULE,
    ),
    Case("relative", _address("/webhooks/answer"), _hook_field("answer_url", "address"), URL_RULE),
    Case(
        "no scheme", _address("example.com/answer"), _hook_field("answer_url", "address"), URL_RULE
    ),
    Case("empty address", _address(""), _hook_field("answer_url", "address"), URL_RULE),
    Case("no host", _address("http:///answer"), _hook_field("answer_url", "address"), URL_RULE),
    Case(
        "space in host",
        _address("http://exa mple.com/"),
        _hook_field("answer_url", "address"),
        URL_RULE,
    ),
    Case(
        "port 99999",
        _address("https://example.com:99999/"),
        _hook_field("answer_url", "address"),
        URL_RULE,
    ),
    Case("file", _address("file:///etc/passwd"), _hook_field("answer_url", "address"), URL_RULE),
    Case("data", _address("data:text/plain,hi"), _hook_field("answer_url", "address"), URL_RULE),
    Case(
        "newline in URL",
        _address("https://example.com/\nanswer"),
        _hook_field("answer_url", "address"),
        URL_RULE,
    ),
    Case(
        "rtc ftp",
        _address("ftp://example.com/rtc", "rtc", "event_url"),
        "capabilities.rtc.webhooks.event_url.address",
        URL_RULE,
    ),
    Case(
        "messages javascript",
        _address("javascript:x", "messages", "status_url"),
        "capabilities.messages.webhooks.status_url.address",
        URL_RULE,
    ),
]
_BAD_KEYS = [
    Case(
        "public key junk",
        _body(keys={"public_key": "hello"}),
        "keys.public_key",
        "must be an RSA public key",
    ),
    Case(
        "public key is private",
        _body(keys={"public_key": PRIVATE_PEM}),
        "keys.public_key",
        "is a private key",
    ),
    Case(
        "public key cut",
        _body(keys={"public_key": PUBLIC_PEM[:200]}),
        "keys.public_key",
        "must be an RSA public key",
    ),
]
_ODD_NAMES = [
    Case("name zero-width only", _body(name="\u200b\u200c"), "name", ""),
    Case("name RTL override only", _body(name="\u202e"), "name", ""),
    Case("name with RTL override", _body(name="invoice\u202egpj.exe"), "name", ""),
    Case("name with NUL", _body(name="voice\x00app"), "name", ""),
    Case("name with BEL", _body(name="voice\x07app"), "name", ""),
]
BODY_CASES = [
    *_BAD_JSON,
    *_WRONG_TYPES,
    *_OUT_OF_RANGE,
    *_BAD_ENUMS,
    *_BAD_NAMES,
    *_BAD_URLS,
    *_BAD_KEYS,
]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=11) as running:
        yield running


@pytest.fixture(scope="module")
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with http_client(sandbox.url, (sandbox.api_key, sandbox.api_secret)) as client:
        yield client


@pytest.fixture(scope="module")
def existing(http: httpx.Client) -> dict[str, Any]:
    """One application that every PUT case tries to break."""
    created = _send(http, "POST", "/v2/applications", _hook("answer_url", http_method="GET"))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_the_body_table_is_large_enough() -> None:
    assert len(BODY_CASES) + len(_ODD_NAMES) >= 50


def _send(http: httpx.Client, method: str, path: str, data: bytes) -> httpx.Response:
    return http.request(method, path, content=data, headers={"Content-Type": "application/json"})


def _assert_refused(response: httpx.Response, case: Case) -> None:
    assert response.status_code == 400, (case.id, response.status_code, response.text[:300])
    fields = problem_fields(response)
    assert case.field in fields, (case.id, fields)
    assert any(case.rule in reason for reason in fields[case.field]), (case.id, fields)
    assert response.json()["type"].endswith("#payload-validation")


@pytest.mark.parametrize("case", [*BODY_CASES, *_ODD_NAMES], ids=lambda c: c.id)
def test_bad_create_body_is_refused_naming_field_and_rule(
    http: httpx.Client, existing: dict[str, Any], case: Case
) -> None:
    before = snapshot(http)
    response = _send(http, "POST", "/v2/applications", case.data)
    _assert_refused(response, case)
    assert snapshot(http) == before


PUT_CASES = BODY_CASES[::3]  # a third of them is enough to show PUT shares the checks


@pytest.mark.parametrize("case", PUT_CASES, ids=lambda c: c.id)
def test_bad_update_body_is_refused_and_changes_nothing(
    http: httpx.Client, existing: dict[str, Any], case: Case
) -> None:
    path = f"/v2/applications/{existing['id']}"
    before = http.get(path).json()
    response = _send(http, "PUT", path, case.data)
    _assert_refused(response, case)
    assert http.get(path).json() == before


def test_a_body_over_one_megabyte_is_refused_with_a_problem(http: httpx.Client) -> None:
    before = snapshot(http)
    response = _send(http, "POST", "/v2/applications", _body(name="a" * (1024 * 1024 + 1)))
    # 413 rather than 400: the body is refused before it is read (decision of sandbox/app.py).
    assert response.status_code == 413
    problem_fields(response)
    assert "1024 KB" in response.json()["detail"]
    assert snapshot(http) == before


@pytest.mark.parametrize(
    "name",
    [
        "📞 Support line",
        "👨\u200d👩\u200d👧 family plan",  # zero-width joiners inside an emoji sequence
        "تطبيق الصوت",
        "应用程序",
        "Cafe\u0301 voice",  # a combining accent
        "x" * 254 + "😀",
        "  padded  ",
    ],
    ids=["emoji", "zwj-emoji", "arabic", "chinese", "combining", "255-with-astral", "padded"],
)
def test_odd_but_valid_names_are_kept_exactly(http: httpx.Client, name: str) -> None:
    created = _send(http, "POST", "/v2/applications", _body(name=name))
    assert created.status_code == 201, created.text
    fetched = http.get(f"/v2/applications/{created.json()['id']}")
    assert fetched.json()["name"] == name


def test_the_sandbox_still_serves_after_every_bad_body(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    # Every case above went through one sandbox; it still serves, and serves consistently.
    listing = http.get("/v2/applications", params={"page_size": 100})
    assert listing.status_code == 200
    assert listing.json()["total_items"] == len(snapshot(http))


# -- the application form -------------------------------------------------------------------

W = VOICE_HOOKS + "."
FORM_CASES = [
    Case("name empty", "", "name", "must not be empty"),
    Case("name spaces", "   ", "name", "must not be empty"),
    Case("name too long", "a" * 256, "name", "at most 255"),
    Case("ftp address", "ftp://example.com/a", W + "answer_url.address", URL_RULE),
    Case("javascript address", "javascript:alert(1)", W + "answer_url.address", URL_RULE),
    Case("relative address", "/answer", W + "event_url.address", URL_RULE),
    Case("socket 20000", "20000", W + "answer_url.socket_timeout", "between 1000 and 5000"),
    Case("socket letters", "abc", W + "answer_url.socket_timeout", "whole number"),
    Case("socket decimal", "1.5", W + "answer_url.socket_timeout", "whole number"),
    Case("socket negative", "-1", W + "event_url.socket_timeout", "between 1000 and 10000"),
    Case("socket with NUL", "3000\x00", W + "answer_url.socket_timeout", "whole number"),
    Case("connect 299", "299", W + "answer_url.connect_timeout", "between 300 and 1000"),
    Case("ttl 0", "0", "capabilities.voice.conversations_ttl", "between 1 and 9000"),
    Case("leg persistence 32", "32", "capabilities.voice.leg_persistence_time", "between 1 and 31"),
    Case("socket 5001 digits", "1" + "0" * 5000, W + "answer_url.socket_timeout", ""),
    Case("name zero-width only", "\u200b", "name", ""),
]


class _NoCalls:
    """A client for the form that fails the test if a request is ever sent."""

    def __init__(self) -> None:
        self.applications = self
        self.sent: list[object] = []

    def list_all(self) -> list[object]:
        return []

    def create(self, document: object) -> object:
        self.sent.append(document)
        raise AssertionError("an invalid form sent a request")


@pytest.fixture(scope="module")
def shared_form() -> ApplicationForm:
    """A valid voice application in the form; its client refuses to be called."""
    made = ApplicationForm(_NoCalls())  # type: ignore[arg-type]
    made.rows["name"].control.value = "form input"
    made.sections["voice"].toggle.value = True
    made.rows[W + "answer_url.address"].control.value = "https://example.com/answer"
    made.rows[W + "event_url.address"].control.value = "https://example.com/event"
    return made


@pytest.fixture
def form(shared_form: ApplicationForm) -> Iterator[ApplicationForm]:
    """The shared form, valid at the start; every value is put back afterwards."""
    assert shared_form.valid
    assert not shared_form.save_button.disabled
    values = {path: row.control.value for path, row in shared_form.rows.items()}
    yield shared_form
    for path, value in values.items():
        shared_form.rows[path].control.value = value
    assert shared_form.valid, shared_form.errors  # fixing the value clears the message


@pytest.mark.parametrize("case", FORM_CASES, ids=lambda c: c.id if isinstance(c, Case) else None)
def test_bad_form_value_shows_beside_the_field_and_blocks_save(
    form: ApplicationForm, case: Case
) -> None:
    row = form.rows[case.field]
    row.control.value = case.data
    assert not form.valid
    assert form.save_button.disabled
    assert any(case.rule in message for message in form.errors[case.field]), form.errors
    assert case.rule in row.message.value
    with pytest.raises(ValidationError):
        form.save()
    assert form.client.sent == []  # type: ignore[union-attr]


# -- NCCOs ------------------------------------------------------------------------------------

_TALK = {"action": "talk", "text": "Hello"}
_PHONE = [{"type": "phone", "number": "447700900000"}]
NCCO_CASES = [
    Case("an object, not a list", dict(_TALK), "", "must be a JSON array"),
    Case("null", None, "", "must be a JSON array"),
    Case("a string", "talk", "", "must be a JSON array"),
    Case("empty list", [], "", "at least one action"),
    Case("a number in the list", [1], "0", "must be an object"),
    Case("a list in the list", [[]], "0", "must be an object"),
    Case("no action key", [{"text": "hi"}], "0.action", "is required"),
    Case("unknown action", [{"action": "dance"}], "0.action", "not a known action"),
    Case("action number", [{"action": 5}], "0.action", "must be a string"),
    Case("talk without text", [{"action": "talk"}], "0.text", "is required"),
    Case("talk text number", [{"action": "talk", "text": 5}], "0.text", "must be a string"),
    Case(
        "talk too long",
        [{"action": "talk", "text": "a" * (TALK_TEXT_MAX + 1)}],
        "0.text",
        f"at most {TALK_TEXT_MAX}",
    ),
    Case("talk level 5", [{**_TALK, "level": 5}], "0.level", "between -1 and 1"),
    Case("talk loop -1", [{**_TALK, "loop": -1}], "0.loop", "0 or more"),
    Case("talk level NaN", [{**_TALK, "level": float("nan")}], "", "only JSON values"),
    Case("connect without endpoint", [{"action": "connect"}], "0.endpoint", "is required"),
    Case(
        "endpoint string",
        [{"action": "connect", "endpoint": "x"}],
        "0.endpoint",
        "must be an array",
    ),
    Case(
        "bad phone",
        [{"action": "connect", "endpoint": [{"type": "phone", "number": "abc"}]}],
        "0.endpoint.0.number",
        "E.164",
    ),
    Case(
        "ftp event URL",
        [{"action": "connect", "eventUrl": ["ftp://x.example"], "endpoint": _PHONE}],
        "0.eventUrl.0",
        "http",
    ),
    Case(
        "javascript event URL",
        [{"action": "connect", "eventUrl": ["javascript:x"], "endpoint": _PHONE}],
        "0.eventUrl.0",
        "http",
    ),
    Case(
        "relative stream URL",
        [{"action": "stream", "streamUrl": ["/a.mp3"]}],
        "0.streamUrl.0",
        "http",
    ),
    Case("input type morse", [{"action": "input", "type": ["morse"]}], "0.type.0", "dtmf"),
    Case(
        "notify without payload",
        [{"action": "notify", "eventUrl": ["https://a.example"]}],
        "0.payload",
        "is required",
    ),
    Case("record format flac", [{"action": "record", "format": "flac"}], "0.format", "mp3"),
    Case("conversation without name", [{"action": "conversation"}], "0.name", "is required"),
    Case("transfer without id", [{"action": "transfer"}], "0.conversationId", "is required"),
    Case("too many actions", [_TALK] * (MAX_NCCO_ACTIONS + 1), "", f"at most {MAX_NCCO_ACTIONS}"),
    Case("over 512 KB", [{**_TALK, "text": "x" * 600_000}], "", "bytes of JSON"),
    Case(
        "bargeIn then connect",
        [{**_TALK, "bargeIn": True}, {"action": "connect", "endpoint": _PHONE}],
        "0.bargeIn",
        "input",
    ),
    Case("lone surrogate", [{"action": "talk", "text": "\ud800"}], None, ""),
]


@pytest.mark.parametrize("case", NCCO_CASES, ids=lambda c: c.id if isinstance(c, Case) else None)
def test_bad_ncco_gets_a_field_error_with_its_path(case: Case) -> None:
    errors = validate_ncco(copy.deepcopy(case.data))
    matching = [e for e in errors if case.field is None or e.path == case.field]
    assert matching, [str(e) for e in errors]
    assert any(case.rule in e.message for e in matching), [str(e) for e in errors]


# -- the webhook server ---------------------------------------------------------------------


class _Opaque:
    """Not JSON."""


def _endless() -> Iterator[dict[str, str]]:
    yield {"action": "talk", "text": "x"}


def _raises(_request: object) -> object:
    raise RuntimeError("the user's code failed")


JUNK_REPLIES: dict[str, Any] = {
    "a set": {1, 2},
    "an object": _Opaque(),
    "an action, not a list": {"action": "talk", "text": "x"},
    "None": None,
    "a string": "talk",
    "a number": 5,
    "bytes": b"[]",
    "a generator": _endless(),
    "an empty list": [],
    "NaN inside": [{"action": "talk", "text": "x", "level": float("nan")}],
    "an object inside": [{"action": "talk", "text": _Opaque()}],
    "an invalid action": [{"action": "talk"}],
}


@pytest.fixture(scope="module")
def webhooks() -> Iterator[WebhookServer]:
    with WebhookServer() as server:
        yield server


@pytest.mark.parametrize("junk", [*JUNK_REPLIES, "raises"])
def test_junk_from_the_answer_function_is_a_recorded_500(
    webhooks: WebhookServer, junk: str
) -> None:
    webhooks.clear()
    reply = JUNK_REPLIES.get(junk)
    webhooks.ncco = _raises if junk == "raises" else (lambda _request: reply)
    response = httpx.get(webhooks.answer_url, params={"uuid": "u-1", "to": "1"}, timeout=10)
    assert response.status_code == 500
    assert response.json()["title"]
    record = webhooks.records[-1]
    assert (record.kind, record.response_status) == ("answer", 500)
    assert record.error
    # The server keeps serving after it.
    assert httpx.post(webhooks.event_url, json={"status": "x"}, timeout=10).status_code == 204


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"text"',
        b"not json",
        b"\xff\xfe\x00",
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-100000"),
    ],
    ids=["array", "string", "text", "binary", "nested"],
)
def test_a_bad_event_body_is_a_recorded_400(webhooks: WebhookServer, body: bytes) -> None:
    webhooks.clear()
    response = httpx.post(
        webhooks.event_url, content=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    assert [r.response_status for r in webhooks.records] == [400]


# -- the call simulator: a bad answer reply goes to the fallback URL ----------------------------

_FAST = {"connect_timeout": 300, "socket_timeout": 1000}
FALLBACK_NCCO = [{"action": "talk", "text": "fallback speaking"}]
BAD_ANSWERS = {
    "bad JSON": Step(raw=b"[{not json"),
    "an object": Step(body={"action": "talk", "text": "not in a list"}),
    "wrong content type": Step(raw=json.dumps([_TALK]).encode(), content_type="text/html"),
    "empty": Step(raw=b""),
    "a list of numbers": Step(body=[1, 2, 3]),
    "a JSON string": Step(raw=b'"talk"'),
    "binary": Step(raw=b"\xff\xfe\x00\x01"),
    "invalid action": Step(body=[{"action": "talk"}]),
    "HTTP 500": Step(status=500, body={"error": "x"}),
}


@pytest.fixture(scope="module")
def answers() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def _voice(answers: FaultServer) -> bytes:
    hooks = {
        "answer_url": {"address": answers.url + "/answer", "http_method": "GET", **_FAST},
        "event_url": {"address": answers.url + "/event", "http_method": "POST", **_FAST},
        "fallback_answer_url": {"address": answers.url + "/fallback", **_FAST},
    }
    return _body(capabilities__voice__webhooks=hooks)


@pytest.mark.parametrize(
    "answer",
    [*BAD_ANSWERS, "nested", "surrogate"],
)
def test_a_bad_answer_reply_uses_the_fallback(
    sandbox: Sandbox, http: httpx.Client, answers: FaultServer, answer: str
) -> None:
    extra = {
        "nested": Step(raw=b"[" * 100_000 + b"]" * 100_000),
        "surrogate": Step(raw=b'[{"action": "talk", "text": "\\ud800"}]'),
    }
    created = _send(http, "POST", "/v2/applications", _voice(answers))
    assert created.status_code == 201, created.text
    linked = http.post(
        "/number/update", data={"country": "GB", "msisdn": NUMBER, "app_id": created.json()["id"]}
    )
    assert linked.json()["error-code"] == "200"
    answers.script(BAD_ANSWERS.get(answer) or extra[answer], path="/answer")
    answers.script(Step(body=FALLBACK_NCCO), path="/fallback")
    trace = sandbox.simulate_call(NUMBER, hold_seconds=1)
    assert answers.count("/fallback") == 1
    assert trace.outcome == "completed"
    spoken = [s.detail for s in trace.steps if s.kind == "action" and s.name == "talk"]
    assert any("fallback speaking" in (text or "") for text in spoken)


# -- application files --------------------------------------------------------------------------

_FILE_BODY = {"name": "from a file", "capabilities": {"voice": {"conversations_ttl": 48}}}
FILE_CASES = [
    Case("not JSON", b"name: x", "", "not valid JSON"),
    Case("a JSON array", b"[]", "", "must be a JSON object"),
    Case("null", b"null", "", "must be a JSON object"),
    Case("a string", b'"x"', "", "must be a JSON object"),
    Case("empty", b"", "", "not valid JSON"),
    Case("binary", bytes(range(256)), "", "not UTF-8"),
    Case("UTF-16", json.dumps(_FILE_BODY).encode("utf-16"), "", "not UTF-8"),
    Case("trailing garbage", json.dumps(_FILE_BODY).encode() + b" x", "", "not valid JSON"),
    Case("NaN", b'{"name": "x", "v": NaN}', "", "not a JSON number"),
    Case("duplicate key", b'{"name": "x", "name": "y"}', "", "appears twice"),
    Case("no name", b'{"capabilities": {}}', "name", "is required"),
    Case(
        "bad field",
        json.dumps({"name": "x", "capabilities": {"voice": {"conversations_ttl": 0}}}).encode(),
        "capabilities.voice.conversations_ttl",
        "between 1 and 9000",
    ),
    Case(
        "BOM and a bad field",
        b"\xef\xbb\xbf"
        + json.dumps({"name": "x", "capabilities": {"voice": {"region": "mars"}}}).encode(),
        "capabilities.voice.region",
        "must be one of",
    ),
    Case(
        "a private key",
        json.dumps({"name": "x", "keys": {"private_key": PRIVATE_PEM}}).encode(),
        "keys.private_key",
        "must not be in a configuration file",
    ),
    Case(
        "huge: a 20 MB name", json.dumps({"name": "x" * 20_000_000}).encode(), "name", "at most 255"
    ),
    Case(
        "nested 100 000 deep",
        b'{"name": "x", "v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "",
        "",
    ),
    Case("a 5000-digit number", b'{"name": "x", "v": ' + b"9" * 5000 + b"}", "", ""),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id if isinstance(c, Case) else None)
def test_bad_application_file_names_the_file_and_the_field(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "app.json"
    path.write_bytes(case.data)
    with pytest.raises(ValidationError) as caught:
        load_application_file(path)
    assert str(path) in caught.value.subject
    assert str(path) in str(caught.value)
    messages = caught.value.for_path(case.field)
    assert any(case.rule in m for m in messages), caught.value.errors


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_missing_file_or_a_folder_is_named(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "missing.json" if kind == "missing" else tmp_path
    with pytest.raises(ValidationError) as caught:
        load_application_file(path)
    assert caught.value.paths == [""]
    assert str(path) in caught.value.subject


def test_a_bom_before_a_valid_file_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "app.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_FILE_BODY).encode())
    assert load_application_file(path).name == "from a file"


# -- the client facing junk answers -------------------------------------------------------------

JUNK_ANSWERS = [
    (200, b"[]"),
    (200, b"not json"),
    (200, b'{"page": "one"}'),
    (200, b'{"id": 5}'),
    (400, b"<html>bad</html>"),
    (401, b""),
    (500, b'{"invalid_parameters": "not a list"}'),
    (420, b'{"error-code": 420}'),
    (200, b'{"error-code": ["x"]}'),
    (200, b'{"id": "x", "name": "' + b"n" * 100_000 + b'"}'),
]


def _junk_ids(item: tuple[int, bytes]) -> str:
    return f"{item[0]}-{item[1][:12]!r}"


@pytest.mark.parametrize(
    "answer",
    [
        *JUNK_ANSWERS,
        pytest.param((200, b"[" * 100_000 + b"]" * 100_000), id="200-nested"),
    ],
    ids=_junk_ids,
)
def test_junk_answers_give_package_errors(answer: tuple[int, bytes]) -> None:
    status, content = answer

    def reply(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"Content-Type": "application/json"})

    client = VonageClient("k", "s", transport=httpx.MockTransport(reply), max_retries=0)
    calls = [
        client.applications.list,
        lambda: client.applications.get("x"),
        lambda: client.applications.create({"name": "x"}),
        client.numbers.list,
        lambda: client.numbers.link("442079460000", "a", country="GB"),
    ]
    with client:
        for call in calls:
            try:
                call()
            except VonageWidgetsError:
                continue
