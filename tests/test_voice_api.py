"""The sandbox's Voice API call subset: create, list, get and modify calls; outbound calls run
through the same engine as simulated inbound calls; bodies checked against voice.json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from tests.conftest import load_json
from tests.sandbox_helpers import key_pair
from tests.voice_helpers import CALLER, PHONE, TALK, bearer, voice_application
from vonage_widgets.keys import mint_jwt
from vonage_widgets.models.voice import validate_update_call
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.webhooks import WebhookServer

FORWARD = [
    {"action": "talk", "text": "Connecting you"},
    {"action": "connect", "endpoint": [{"type": "phone", "number": "447700900555"}]},
]


@pytest.fixture(scope="module")
def voice_spec(oracles_dir: Path) -> dict[str, Any]:
    spec: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "voice.json")
    return spec


@pytest.fixture(scope="module")
def setup() -> Iterator[dict[str, Any]]:
    hooks_server = WebhookServer(TALK, signature_secret=DEFAULT_SIGNATURE_SECRET)
    with Sandbox() as sandbox, hooks_server as hooks:
        app = voice_application(sandbox, key_pair(), hooks.answer_url, hooks.event_url)
        yield {"sandbox": sandbox, "hooks": hooks, "app": app["id"]}


def _http(setup: dict[str, Any]) -> httpx.Client:
    headers = bearer(mint_jwt(setup["app"], key_pair().private_pem))
    return httpx.Client(base_url=setup["sandbox"].url, headers=headers, timeout=60)


def _validate(spec: dict[str, Any], ref: str, body: Any) -> None:
    root = {**spec, "$ref": ref}
    jsonschema.Draft4Validator(root).validate(body)


def _create(http: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {"to": [PHONE], "from": CALLER, **extra}
    if "answer_url" not in body and "ncco" not in body:
        body["ncco"] = TALK
    response = http.post("/v1/calls", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _statuses(hooks: WebhookServer, uuid: str) -> list[str]:
    return [
        r.payload["status"]
        for r in hooks.records
        if r.kind == "event" and r.payload.get("uuid") == uuid
    ]


def test_outbound_call_posts_its_events_and_is_recorded(
    setup: dict[str, Any], voice_spec: dict[str, Any]
) -> None:
    with _http(setup) as http:
        created = _create(http)
        _validate(voice_spec, "#/components/schemas/CreateCallResponse", created)
        assert created["status"] == "started"
        assert created["direction"] == "outbound"
        assert created["conversation_uuid"].startswith("CON-")
        uuid = created["uuid"]
        record = http.get(f"/v1/calls/{uuid}")
    assert _statuses(setup["hooks"], uuid) == ["started", "ringing", "answered", "completed"]
    events = [r for r in setup["hooks"].records if r.payload.get("uuid") == uuid]
    assert all(r.payload["direction"] == "outbound" for r in events)
    assert {r.signature for r in events} == {"verified"}
    assert record.status_code == 200
    body = record.json()
    _validate(voice_spec, "#/components/schemas/GetCallResponse", body)
    assert body["status"] == "completed"
    assert body["to"] == PHONE
    assert body["from"] == CALLER
    assert body["_links"]["self"]["href"] == f"/v1/calls/{uuid}"
    assert int(body["duration"]) >= 1  # the talk takes simulated seconds
    assert body["start_time"] < body["end_time"]


def test_the_bodies_wb_call_sends_fit_the_spec(voice_spec: dict[str, Any]) -> None:
    from vonage_widgets.calling import call_body

    with_ncco = call_body(
        "447700900456", ncco=TALK, from_="447700900000", event_url="https://e.com/e"
    )
    _validate(voice_spec, "#/components/schemas/CreateCallRequestNcco", with_ncco)
    with_url = call_body("447700900456", answer_url="https://e.com/a", machine_detection="hangup")
    _validate(voice_spec, "#/components/schemas/CreateCallRequestAnswerUrl", with_url)
    for update in (
        {"action": "hangup"},
        {"action": "transfer", "destination": {"type": "ncco", "ncco": TALK}},
    ):
        validate_update_call(update)  # our model accepts what the spec documents
    _validate(voice_spec, "#/components/schemas/UpdateCallRequestTransferNcco", update)


def test_answer_url_call_fetches_its_ncco(setup: dict[str, Any]) -> None:
    hooks: WebhookServer = setup["hooks"]
    with _http(setup) as http:
        created = _create(http, answer_url=[hooks.answer_url], answer_method="GET")
    answers = [
        r for r in hooks.records if r.kind == "answer" and r.query.get("uuid") == created["uuid"]
    ]
    assert len(answers) == 1
    assert answers[0].method == "GET"
    assert _statuses(hooks, created["uuid"])[-1] == "completed"


def test_request_event_url_overrides_the_application(setup: dict[str, Any]) -> None:
    other_server = WebhookServer(signature_secret=DEFAULT_SIGNATURE_SECRET)
    with other_server as other, _http(setup) as http:
        created = _create(http, event_url=[other.event_url], event_method="POST")
        assert _statuses(other, created["uuid"]) == ["started", "ringing", "answered", "completed"]
    assert _statuses(setup["hooks"], created["uuid"]) == []


def test_connect_makes_a_second_leg_in_the_same_conversation(
    setup: dict[str, Any], voice_spec: dict[str, Any]
) -> None:
    with _http(setup) as http:
        created = _create(http, ncco=FORWARD, machine_detection="continue")
        listed = http.get("/v1/calls", params={"conversation_uuid": created["conversation_uuid"]})
    assert listed.status_code == 200
    body = listed.json()
    _validate(voice_spec, "#/components/schemas/GetCallsResponse", body)
    legs = body["_embedded"]["calls"]
    assert body["count"] == 2
    assert legs[0]["uuid"] == created["uuid"]
    assert legs[1]["to"] == {"type": "phone", "number": "447700900555"}
    assert {leg["status"] for leg in legs} == {"completed"}
    assert int(legs[1]["duration"]) > 0


def test_list_pages_and_filters(tmp_path: Path, voice_spec: dict[str, Any]) -> None:
    with Sandbox(db=tmp_path / "db.sqlite3") as sandbox:
        app = voice_application(sandbox, key_pair())
        setup = {"sandbox": sandbox, "app": app["id"]}
        with _http(setup) as http:
            uuids = [_create(http)["uuid"] for _ in range(3)]
            first = http.get("/v1/calls", params={"page_size": 2}).json()
            second = http.get("/v1/calls", params={"page_size": 2, "record_index": 2}).json()
            newest = http.get("/v1/calls", params={"order": "desc", "page_size": 1}).json()
            done = http.get("/v1/calls", params={"status": "completed"}).json()
            ringing = http.get("/v1/calls", params={"status": "ringing"}).json()
            later = http.get("/v1/calls", params={"date_start": "2999-01-01T00:00:00Z"}).json()
    for page in (first, second, newest):
        _validate(voice_spec, "#/components/schemas/GetCallsResponse", page)
    assert first["count"] == 3
    assert first["page_size"] == 2
    assert [c["uuid"] for c in first["_embedded"]["calls"]] == uuids[:2]
    assert "record_index=2" in first["_links"]["next"]["href"]
    assert [c["uuid"] for c in second["_embedded"]["calls"]] == uuids[2:]
    assert "next" not in second["_links"]
    assert [c["uuid"] for c in newest["_embedded"]["calls"]] == uuids[-1:]
    assert done["count"] == 3
    assert ringing["count"] == 0
    assert later["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"record_index": "-1"}, "record_index"),
        ({"status": "happy"}, "status"),
        ({"order": "sideways"}, "order"),
        ({"date_start": "yesterday"}, "date_start"),
        ({"nonsense": "1"}, "nonsense"),
    ],
)
def test_bad_list_filters_name_the_field(
    setup: dict[str, Any], query: dict[str, str], field: str
) -> None:
    with _http(setup) as http:
        response = http.get("/v1/calls", params=query)
    assert response.status_code == 400
    names = [p["name"] for p in response.json()["invalid_parameters"]]
    assert names == [field]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from": CALLER, "ncco": TALK}, "to"),
        ({"to": [], "from": CALLER, "ncco": TALK}, "to"),
        ({"to": [{"type": "phone", "number": "12"}], "from": CALLER, "ncco": TALK}, "to.0.number"),
        ({"to": [{"type": "fax", "number": "447700900000"}], "from": CALLER, "ncco": TALK}, "to.0"),
        ({"to": [PHONE], "ncco": TALK}, "from"),
        ({"to": [PHONE], "from": CALLER, "random_from_number": True, "ncco": TALK}, "from"),
        ({"to": [PHONE], "from": CALLER}, "ncco"),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "answer_url": ["https://e.com/a"]}, "ncco"),
        ({"to": [PHONE], "from": CALLER, "answer_url": ["ftp://e.com/a"]}, "answer_url.0"),
        ({"to": [PHONE], "from": CALLER, "answer_url": "https://e.com/a"}, "answer_url"),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "answer_method": "PUT"}, "answer_method"),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "event_url": ["nope"]}, "event_url.0"),
        (
            {"to": [PHONE], "from": CALLER, "ncco": TALK, "machine_detection": "guess"},
            "machine_detection",
        ),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "length_timer": 0}, "length_timer"),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "ringing_timer": 121}, "ringing_timer"),
        (
            {
                "to": [PHONE],
                "from": CALLER,
                "ncco": TALK,
                "advanced_machine_detection": {"beep_timeout": 5},
            },
            "advanced_machine_detection.beep_timeout",
        ),
        ({"to": [PHONE], "from": CALLER, "ncco": [{"action": "talk"}]}, "ncco.0.text"),
        ({"to": [PHONE], "from": CALLER, "ncco": [{"action": "dance"}]}, "ncco.0.action"),
        ({"to": [PHONE], "from": CALLER, "ncco": TALK, "colour": "red"}, "colour"),
        ([1, 2], ""),
        ("not json", ""),
    ],
)
def test_bad_create_bodies_name_the_field(setup: dict[str, Any], body: Any, field: str) -> None:
    with _http(setup) as http:
        if body == "not json":
            response = http.post(
                "/v1/calls", content=b"{not json", headers={"content-type": "application/json"}
            )
        else:
            response = http.post("/v1/calls", json=body)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["title"] == "Bad Request"
    assert field in [p["name"] for p in problem["invalid_parameters"]]


def test_put_actions(setup: dict[str, Any]) -> None:
    with _http(setup) as http:
        uuid = _create(http)["uuid"]
        assert http.put(f"/v1/calls/{uuid}", json={"action": "hangup"}).status_code == 204
        for action in ("mute", "unmute", "earmuff", "unearmuff"):
            ended = http.put(f"/v1/calls/{uuid}", json={"action": action})
            assert ended.status_code == 400
            assert "has ended" in ended.json()["detail"]
        transfers = [
            {"type": "ncco", "ncco": TALK},
            {"type": "ncco", "url": ["https://example.com/ncco.json"]},
        ]
        for destination in transfers:
            moved = http.put(
                f"/v1/calls/{uuid}", json={"action": "transfer", "destination": destination}
            )
            assert moved.status_code == 400
            assert moved.json()["invalid_parameters"] == [
                {"name": "action", "reason": "the call is no longer in progress"}
            ]
        unknown = http.put(
            "/v1/calls/00000000-0000-4000-8000-000000000000", json={"action": "hangup"}
        )
        assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "explode"}, "action"),
        ({}, "action"),
        ({"action": "transfer"}, "destination"),
        ({"action": "hangup", "destination": {"type": "ncco", "ncco": TALK}}, "destination"),
        ({"action": "transfer", "destination": {"type": "ncco"}}, "destination.ncco"),
        (
            {"action": "transfer", "destination": {"type": "url", "url": ["https://e.com"]}},
            "destination.type",
        ),
        (
            {"action": "transfer", "destination": {"type": "ncco", "url": ["mailto:x"]}},
            "destination.url.0",
        ),
        (
            {"action": "transfer", "destination": {"type": "ncco", "ncco": [{"action": "talk"}]}},
            "destination.ncco.0.text",
        ),
    ],
)
def test_bad_put_bodies_name_the_field(setup: dict[str, Any], body: Any, field: str) -> None:
    with _http(setup) as http:
        uuid = _create(http)["uuid"]
        response = http.put(f"/v1/calls/{uuid}", json=body)
    assert response.status_code == 400, response.text
    assert field in [p["name"] for p in response.json()["invalid_parameters"]]


@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"[]", b'{"to": ', b"\xff\xfe", b'{"to": [{"type": null}]}', b"9" * 5000],
)
def test_garbage_is_4xx_never_5xx(setup: dict[str, Any], raw: bytes) -> None:
    with _http(setup) as http:
        for method, path in (("POST", "/v1/calls"), ("PUT", "/v1/calls/x")):
            response = http.request(
                method, path, content=raw, headers={"content-type": "application/json"}
            )
            assert 400 <= response.status_code < 500, (method, raw, response.text)


def test_unknown_call_is_404(setup: dict[str, Any]) -> None:
    with _http(setup) as http:
        response = http.get("/v1/calls/" + "x" * 500)
    assert response.status_code == 404
    assert len(response.json()["detail"]) < 200


def test_trace_route_needs_the_account_credentials(setup: dict[str, Any]) -> None:
    sandbox: Sandbox = setup["sandbox"]
    with _http(setup) as http:
        uuid = _create(http)["uuid"]
    url = f"{sandbox.url}/_sandbox/calls/{uuid}/trace"
    assert httpx.get(url, timeout=30).status_code == 401
    assert httpx.get(url, auth=(sandbox.api_key, "wrong"), timeout=30).status_code == 401
    trace = httpx.get(url, auth=(sandbox.api_key, sandbox.api_secret), timeout=30).json()
    assert trace["uuid"] == uuid
    assert next(s["name"] for s in trace["steps"]) == "outgoing"
