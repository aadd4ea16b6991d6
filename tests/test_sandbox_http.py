"""The sandbox over plain HTTP with httpx: the Application API and Numbers API flows and errors."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.sandbox_helpers import ALICE, BOB, client, key_pair, sandbox, two_accounts, voice_app
from vonage_widgets.keys import keys_match
from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET, Sandbox, applications
from vonage_widgets.sandbox.numbers import SEED_NUMBERS

__all__ = ["sandbox", "two_accounts"]  # fixtures used here

PROBLEM_FIELDS = {"type", "title", "detail", "instance"}


def _problem(response: httpx.Response, status: int, fragment: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["type"].endswith(fragment)
    assert len(body["instance"]) == 32
    return body


def _reasons(body: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["reason"] for p in body["invalid_parameters"]}


# -- Application API flows -------------------------------------------------------------------


def test_default_account_is_documented(sandbox: Sandbox) -> None:
    assert (sandbox.api_key, sandbox.api_secret) == (DEFAULT_API_KEY, DEFAULT_API_SECRET)
    assert (DEFAULT_API_KEY, DEFAULT_API_SECRET) == ("sandbox", "sandbox-secret")
    assert DEFAULT_API_SECRET not in repr(sandbox)
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox.ca_file is None


def test_empty_account_lists_one_empty_page(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        body = http.get("/v2/applications").json()
    assert body == {
        "page_size": 10,
        "page": 1,
        "total_items": 0,
        "total_pages": 1,
        "_embedded": {"applications": []},
        "_links": {
            "self": {"href": "/v2/applications?page_size=10&page=1"},
            "first": {"href": "/v2/applications?page_size=10"},
            "last": {"href": "/v2/applications?page_size=10&page=1"},
        },
    }


def test_create_generates_keys_and_defaults(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        created = http.post("/v2/applications", json={"name": "bare"})
        assert created.status_code == 201
        body = created.json()
        fetched = http.get(f"/v2/applications/{body['id']}").json()
    assert list(body) == ["id", "name", "keys", "privacy", "capabilities", "_links"]
    assert keys_match(body["keys"]["private_key"], body["keys"]["public_key"])
    assert body["privacy"] == {"improve_ai": True}
    assert body["capabilities"] == {}
    assert body["_links"] == {"self": {"href": f"/v2/applications/{body['id']}"}}
    assert "private_key" not in fetched["keys"]
    assert fetched == {**body, "keys": {"public_key": body["keys"]["public_key"]}}


def test_unknown_fields_and_capabilities_round_trip(sandbox: Sandbox) -> None:
    video = {"webhooks": {"archive_status": {"address": "https://e.com/v", "active": True}}}
    body = voice_app(
        "lossless",
        capabilities={
            "voice": {
                "webhooks": {
                    "answer_url": {"address": "https://e.com/a", "connection_timeout": 400}
                },
                "future_flag": {"nested": [1, 2.5, None]},
            },
            "video": video,
        },
        labels=["a", "b"],
    )
    with client(sandbox) as http:
        created = http.post("/v2/applications", json=body).json()
        fetched = http.get(f"/v2/applications/{created['id']}").json()
    voice = fetched["capabilities"]["voice"]
    assert voice["webhooks"]["answer_url"] == {"address": "https://e.com/a", "connect_timeout": 400}
    assert voice["future_flag"] == {"nested": [1, 2.5, None]}
    assert fetched["capabilities"]["video"] == video
    assert fetched["labels"] == ["a", "b"]


def test_update_replaces_capabilities_keeps_keys_and_privacy(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        created = http.post(
            "/v2/applications", json=voice_app("before", privacy={"improve_ai": False}, tag=1)
        ).json()
        url = f"/v2/applications/{created['id']}"
        updated = http.put(url, json={"name": "after", "capabilities": {"vbc": {}}})
        assert updated.status_code == 200
        assert updated.json() == http.get(url).json()
        body = updated.json()
        assert body["name"] == "after"
        assert body["capabilities"] == {"vbc": {}}
        assert body["keys"] == {"public_key": key_pair().public_pem}
        assert body["privacy"] == {"improve_ai": False}
        assert "tag" not in body  # unknown top-level fields are replaced too
        # A GET body sent back unchanged (id, _links and all) is accepted and changes nothing.
        assert http.put(url, json=body).json() == body
        # A new public key replaces the old one; an update never returns a private key.
        other = http.post("/v2/applications", json={"name": "donor"}).json()
        rotated = http.put(url, json={"name": "after", "keys": other["keys"]}).json()
        assert rotated["keys"] == {"public_key": other["keys"]["public_key"]}
        assert rotated["capabilities"] == {}


def test_delete_then_everything_is_404(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        app_id = http.post("/v2/applications", json=voice_app()).json()["id"]
        url = f"/v2/applications/{app_id}"
        assert http.delete(url).status_code == 204
        assert http.delete(url).status_code == 404
        _problem(http.get(url), 404, "#not-found")
        _problem(http.put(url, json={"name": "x"}), 404, "#not-found")
        assert http.get("/v2/applications").json()["total_items"] == 0


def test_paging_links_and_bounds(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        ids = [
            http.post("/v2/applications", json=voice_app(f"a{i}")).json()["id"] for i in range(7)
        ]
        pages = [
            http.get("/v2/applications", params={"page_size": 3, "page": p}) for p in (1, 2, 3)
        ]
        bodies = [p.json() for p in pages]
        beyond = http.get("/v2/applications", params={"page_size": 3, "page": 9}).json()
        hundred = http.get("/v2/applications", params={"page_size": 100}).json()
    got = [a["id"] for b in bodies for a in b["_embedded"]["applications"]]
    assert got == ids
    assert [b["total_pages"] for b in bodies] == [3, 3, 3]
    assert bodies[0]["_links"] == {
        "self": {"href": "/v2/applications?page_size=3&page=1"},
        "first": {"href": "/v2/applications?page_size=3"},
        "last": {"href": "/v2/applications?page_size=3&page=3"},
        "next": {"href": "/v2/applications?page_size=3&page=2"},
    }
    assert bodies[1]["_links"]["prev"] == {"href": "/v2/applications?page_size=3&page=1"}
    assert "next" not in bodies[2]["_links"]
    assert beyond["_embedded"]["applications"] == []
    assert beyond["total_items"] == 7
    assert len(hundred["_embedded"]["applications"]) == 7


# -- Application API errors ------------------------------------------------------------------


def test_400_names_every_bad_field_at_once(sandbox: Sandbox) -> None:
    bad = {
        "name": 42,
        "keys": {"public_key": "not a key"},
        "privacy": {"improve_ai": "yes"},
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {
                        "address": "ftp://example.com",
                        "http_method": "PUT",
                        "socket_timeout": 9000,
                    }
                },
                "region": "mars",
            },
            "messages": {
                "webhooks": {"inbound_url": {"address": "https://e.com/i", "http_method": "GET"}}
            },
        },
    }
    with client(sandbox) as http:
        body = _problem(http.post("/v2/applications", json=bad), 400, "#payload-validation")
        assert http.get("/v2/applications").json()["total_items"] == 0  # nothing stored
    assert body["title"] == "Bad Request"
    reasons = _reasons(body)
    assert set(reasons) >= {
        "name",
        "keys.public_key",
        "privacy.improve_ai",
        "capabilities.voice.webhooks.answer_url.address",
        "capabilities.voice.webhooks.answer_url.http_method",
        "capabilities.voice.webhooks.answer_url.socket_timeout",
        "capabilities.voice.region",
        "capabilities.messages.webhooks.inbound_url.http_method",
    }
    assert "5000" in reasons["capabilities.voice.webhooks.answer_url.socket_timeout"]
    assert "not a key" not in reasons["keys.public_key"]


def test_400_for_spec_types_of_capabilities_kept_verbatim(sandbox: Sandbox) -> None:
    capabilities = {
        "video": {
            "webhooks": {"archive_status": {"address": 7, "active": 278}},
            "storage": {"cloud_storage": "yes"},
            "future": {"anything": 1},
        },
        "meetings": {
            "webhooks": {"room_changed": {"address": "https://e.com", "http_method": "GET"}}
        },
        "network_apis": {"redirect_uri": 5},
    }
    with client(sandbox) as http:
        response = http.post("/v2/applications", json=voice_app(capabilities=capabilities))
    nulls = {"video": {"webhooks": {"archive_status": {"address": None, "active": True}}}}
    with client(sandbox) as http:
        kept = http.post("/v2/applications", json=voice_app(capabilities=nulls)).json()
    assert kept["capabilities"]["video"] == {"webhooks": {"archive_status": {"active": True}}}
    assert _reasons(_problem(response, 400, "#payload-validation")) == {
        "capabilities.video.webhooks.archive_status.address": "must be a string",
        "capabilities.video.webhooks.archive_status.active": "must be true or false",
        "capabilities.video.storage.cloud_storage": "must be true or false",
        "capabilities.meetings.webhooks.room_changed.http_method": (
            "must be POST: this webhook only accepts POST"
        ),
        "capabilities.network_apis.redirect_uri": "must be a string",
    }


def test_400_for_a_private_key_as_public_key_never_echoes_it(sandbox: Sandbox) -> None:
    secret_pem = key_pair().private_pem.get_secret_value()
    with client(sandbox) as http:
        response = http.post(
            "/v2/applications", json={"name": "oops", "keys": {"public_key": secret_pem}}
        )
    body = _problem(response, 400, "#payload-validation")
    assert "private key" in _reasons(body)["keys.public_key"]
    assert "PRIVATE KEY-----" not in response.text


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "", "the request body is empty"),
        (b"{not json", "", "the request body is not valid JSON: Expecting property name"),
        (b"[1, 2]", "", "JSON object"),
        (b'"name"', "", "JSON object"),
        (b'{"name": NaN}', "", "the request body is not valid JSON: NaN is not a JSON number"),
        (b'{"name": "x", "n": 1e999}', "", "the number 1e999 is too large"),
        (b'{"name": "x", "n": ' + b"7" * 4301 + b"}", "", "at most 4300 digits"),
        (b"\xff\xfe", "", "the request body is not UTF-8 text (bad byte at offset 0)"),
        (b"\xef\xbb\xbf{}", "", "not valid JSON: it starts with a byte order mark"),
        (b'{"name": "x", "note": "\\ud800"}', "note", "no lone surrogates"),
        (b"[" * 100_000 + b"]" * 100_000, "", "nested too deeply: arrays and objects may nest"),
        (b"[" * 101 + b"]" * 101, "", "at most 100 levels (level 101 opens at line 1, column 101)"),
    ],
)
def test_400_for_bodies_that_are_not_json_objects(
    sandbox: Sandbox, content: bytes, name: str, reason: str
) -> None:
    with client(sandbox) as http:
        response = http.post(
            "/v2/applications", content=content, headers={"content-type": "application/json"}
        )
    body = _problem(response, 400, "#payload-validation")
    assert body["invalid_parameters"][0]["name"] == name
    assert reason in body["invalid_parameters"][0]["reason"]


def test_a_body_nested_100_levels_is_accepted_as_json(sandbox: Sandbox) -> None:
    # The limit is MAX_JSON_DEPTH levels: the body itself is one, so 99 more fit.
    deep: object = 1
    for _ in range(99):
        deep = [deep]
    with client(sandbox) as http:
        response = http.post("/v2/applications", json={**voice_app("deep"), "x": deep})
    assert response.status_code == 201, response.text


def test_a_crashing_validator_is_a_400_not_a_500(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(applications, "validate_application", broken)
    with client(sandbox) as http:
        response = http.post("/v2/applications", json={"name": "x"})
    body = _problem(response, 400, "#payload-validation")
    assert "RuntimeError" in body["invalid_parameters"][0]["reason"]


def test_400_list_validation(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        response = http.get("/v2/applications", params={"page_size": 101, "page": "two"})
    body = _problem(response, 400, "application#list-validation")
    assert _reasons(body) == {
        "page_size": "must be between 1 and 100",
        "page": "must be an integer",
    }


@pytest.mark.parametrize(
    "auth",
    [
        None,
        ("sandbox", "wrong"),
        ("nobody", "sandbox-secret"),
        "Basic !!!not-base64",
        "Bearer abc.def.ghi",
        "Basic " + base64.b64encode(b"no-colon").decode(),
    ],
)
def test_401_without_valid_basic_auth(sandbox: Sandbox, auth: Any) -> None:
    headers = {"authorization": auth} if isinstance(auth, str) else {}
    with httpx.Client(base_url=sandbox.url, auth=auth if isinstance(auth, tuple) else None) as h:
        response = h.get("/v2/applications", headers=headers)
        created = h.post("/v2/applications", json={"name": "x"}, headers=headers)
    body = _problem(response, 401, "#unauthorized")
    assert body["detail"] == "You did not provide correct credentials."
    assert created.status_code == 401
    assert "sandbox-secret" not in response.text


def test_405_with_allow_header(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        collection = http.request("PATCH", "/v2/applications")
        item = http.post("/v2/applications/abc", json={"name": "x"})
    body = _problem(collection, 405, "#wrong-verb")
    assert body["detail"] == "Request method 'PATCH' not supported"
    assert collection.headers["allow"] == "GET, HEAD, POST"
    _problem(item, 405, "#wrong-verb")
    assert item.headers["allow"] == "DELETE, GET, HEAD, PUT"


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        ("text/html", False),
        ("application/xml, text/plain;q=0.9", False),
        ("application/json;q=0", False),
        ("*/*", True),
        ("application/*", True),
        ("text/html, application/json;q=0.5", True),
        ("", True),
    ],
)
def test_406_when_accept_excludes_json(sandbox: Sandbox, accept: str, ok: bool) -> None:
    with client(sandbox) as http:
        response = http.get("/v2/applications", headers={"accept": accept})
    if ok:
        assert response.status_code == 200
    else:
        _problem(response, 406, "#accept-header")


def test_415_when_body_is_not_labelled_json(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        app_id = http.post("/v2/applications", json=voice_app()).json()["id"]
        for method, url in (("POST", "/v2/applications"), ("PUT", f"/v2/applications/{app_id}")):
            for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
                headers = {"content-type": content_type} if content_type else {}
                response = http.request(method, url, content=b'{"name": "x"}', headers=headers)
                _problem(response, 415, "#content-type-header")
        charset = http.post(
            "/v2/applications",
            content=b'{"name": "x", "keys": {"public_key": %s}}'
            % repr(key_pair().public_pem).replace("'", '"').encode(),
            headers={"content-type": "application/json; charset=utf-8"},
        )
        assert charset.status_code == 201, charset.text
        # GET and DELETE ignore a (sticky, as the SDK sends it) JSON Content-Type.
        sticky = {"content-type": "text/plain"}
        assert http.get(f"/v2/applications/{app_id}", headers=sticky).status_code == 200
        assert http.delete(f"/v2/applications/{app_id}", headers=sticky).status_code == 204


def test_unknown_paths_are_404_problems(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        _problem(http.get("/v2/applications/"), 404, "#not-found")
        _problem(http.get("/v2/applications/a/b"), 404, "#not-found")
        _problem(http.get("/v2/nothing"), 404, "#not-found")
        numbers = http.get("/number/nothing")
    assert numbers.status_code == 404
    assert numbers.json() == {"error-code": "404", "error-code-label": "not found"}


# -- Numbers API -----------------------------------------------------------------------------


def test_numbers_seed_filters_and_paging(sandbox: Sandbox) -> None:
    with client(sandbox) as http:

        def owned(**params: Any) -> dict[str, Any]:
            response = http.get("/account/numbers", params=params)
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "application/json;charset=UTF-8"
            return response.json()

        first = owned()
        assert first["count"] == len(SEED_NUMBERS) == 8
        assert len(first["numbers"]) == 8  # default size 10
        assert {n["country"] for n in first["numbers"]} >= {"GB", "US", "DE", "FR"}
        assert {n["type"] for n in first["numbers"]} == {
            "landline",
            "mobile-lvn",
            "landline-toll-free",
        }
        paged = [owned(size=3, index=i).get("numbers", []) for i in (1, 2, 3, 4)]
        assert [len(p) for p in paged] == [3, 3, 2, 0]
        assert owned(size=3, index=4) == {"count": 8}  # "numbers" left out when empty
        assert [n["msisdn"] for p in paged for n in p] == [n["msisdn"] for n in SEED_NUMBERS]
        assert owned(country="us")["count"] == 3
        assert [n["msisdn"] for n in owned(pattern="4477", search_pattern=0)["numbers"]] == [
            "447700900000",
            "447700900001",
        ]
        assert owned(pattern="0100", search_pattern=2)["count"] == 2
        assert owned(pattern="5550", search_pattern=1)["count"] == 3
        assert owned(pattern="4477")["count"] == 2  # search_pattern defaults to 0
        for bad in ({"size": 101}, {"size": 0}, {"index": 0}, {"country": "GBR"}):
            response = http.get("/account/numbers", params=bad)
            assert response.status_code == 400, bad
            assert response.json()["error-code"] == "400"
            assert next(iter(bad)) in response.json()["error-code-label"]


def test_link_unlink_and_has_application_in_any_case(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        app_id = http.post("/v2/applications", json=voice_app()).json()["id"]
        # The SDK's sticky header: a form body labelled application/json is still a form.
        linked = http.post(
            "/number/update",
            content=f"country=US&msisdn=12025550100&app_id={app_id}".encode(),
            headers={"content-type": "application/json"},
        )
        assert linked.json() == {"error-code": "200", "error-code-label": "success"}
        for spelling in ("true", "True", "TRUE"):
            numbers = http.get("/account/numbers", params={"has_application": spelling}).json()
            assert numbers["count"] == 1
            assert numbers["numbers"][0] == {
                "country": "US",
                "msisdn": "12025550100",
                "type": "mobile-lvn",
                "features": ["VOICE", "SMS", "MMS"],
                "voiceCallbackType": "app",
                "voiceCallbackValue": app_id,
                "app_id": app_id,
            }
        unlinked = http.get("/account/numbers", params={"has_application": "False"}).json()
        assert unlinked["count"] == 7
        by_app = http.get("/account/numbers", params={"application_id": app_id}).json()
        assert [n["msisdn"] for n in by_app["numbers"]] == ["12025550100"]
        # sip routing wins for voice, app_id stays; moHttpUrl is stored.
        http.post(
            "/number/update",
            data={
                "country": "US",
                "msisdn": "12025550100",
                "app_id": app_id,
                "voiceCallbackType": "sip",
                "voiceCallbackValue": "sip:ivr@example.com",
                "moHttpUrl": "https://example.com/sms",
            },
        )
        number = http.get("/account/numbers", params={"application_id": app_id}).json()
        assert number["numbers"][0]["voiceCallbackType"] == "sip"
        assert number["numbers"][0]["moHttpUrl"] == "https://example.com/sms"
        # Without app_id the routing is replaced: the number is unlinked.
        http.post("/number/update", data={"country": "US", "msisdn": "12025550100"})
        after = http.get("/account/numbers", params={"country": "US", "size": 1}).json()
        assert after["numbers"][0] == {
            "country": "US",
            "msisdn": "12025550100",
            "type": "mobile-lvn",
            "features": ["VOICE", "SMS", "MMS"],
        }


def test_deleting_an_application_unlinks_its_numbers(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        app_id = http.post("/v2/applications", json=voice_app()).json()["id"]
        for msisdn in ("447700900000", "442079460000"):
            form = {"country": "GB", "msisdn": msisdn, "app_id": app_id}
            assert http.post("/number/update", data=form).status_code == 200
        assert http.get("/account/numbers", params={"has_application": "true"}).json()["count"] == 2
        assert http.delete(f"/v2/applications/{app_id}").status_code == 204
        after = http.get("/account/numbers", params={"country": "GB"}).json()["numbers"]
        assert all("app_id" not in n and "voiceCallbackValue" not in n for n in after)


@pytest.mark.parametrize(
    ("form", "status", "words"),
    [
        ({"country": "GB", "msisdn": "447700900999"}, 420, "does not own"),
        ({"country": "US", "msisdn": "447700900000"}, 420, "does not own"),
        ({"country": "GB", "msisdn": "447700900000", "app_id": "nope"}, 420, "does not exist"),
        ({"msisdn": "447700900000"}, 400, "country is required"),
        ({"country": "GB"}, 400, "msisdn is required"),
        ({"country": "GB", "msisdn": "abc"}, 400, "msisdn must be"),
        (
            {"country": "GB", "msisdn": "447700900000", "voiceCallbackType": "tel"},
            400,
            "voiceCallbackValue",
        ),
        (
            {"country": "GB", "msisdn": "447700900000", "voiceCallbackType": "fax"},
            400,
            "voiceCallbackType",
        ),
        ({"country": "GB", "msisdn": "447700900000", "moHttpUrl": "ftp://x"}, 400, "moHttpUrl"),
    ],
)
def test_update_failures(sandbox: Sandbox, form: dict[str, str], status: int, words: str) -> None:
    with client(sandbox) as http:
        response = http.post("/number/update", data=form)
    assert response.status_code == status
    body = response.json()
    assert body["error-code"] == str(status)
    assert words in body["error-code-label"]
    if status == 420:
        assert body["error-code-label"].startswith("method failed")


def test_numbers_auth_header_or_query_parameters(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.url) as http:
        anonymous = http.get("/account/numbers")
        assert anonymous.status_code == 401
        assert anonymous.json() == {
            "error-code": "401",
            "error-code-label": "authentication failed",
        }
        query = {"api_key": sandbox.api_key, "api_secret": sandbox.api_secret}
        assert http.get("/account/numbers", params=query).json()["count"] == 8
        wrong = {**query, "api_secret": "nope"}
        assert http.get("/account/numbers", params=wrong).status_code == 401
        in_form = {**query, "country": "GB", "msisdn": "447700900000"}
        assert http.post("/number/update", data=in_form).status_code == 200
        assert http.post("/number/update", data={**in_form, "api_secret": "x"}).status_code == 401


def test_search_buy_cancel(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        offer = http.get("/number/search", params={"country": "GB", "type": "landline"}).json()
        assert offer["count"] >= 1
        pick = offer["numbers"][0]
        assert pick["type"] == "landline"
        assert "cost" in pick
        assert pick["msisdn"] not in {n["msisdn"] for n in SEED_NUMBERS}  # owned ones hidden
        form = {"country": "GB", "msisdn": pick["msisdn"]}
        assert http.post("/number/buy", data=form).json()["error-code"] == "200"
        again = http.post("/number/buy", data=form)
        assert again.status_code == 420
        assert "already owns" in again.json()["error-code-label"]
        assert http.get("/account/numbers").json()["count"] == 9
        assert http.post("/number/cancel", data=form).json()["error-code"] == "200"
        assert http.post("/number/cancel", data=form).status_code == 420
        assert http.get("/account/numbers").json()["count"] == 8
        sms = http.get("/number/search", params={"country": "US", "features": "SMS,MMS"}).json()
        assert all({"SMS", "MMS"} <= set(n["features"]) for n in sms["numbers"])
        assert http.get("/number/search", params={"country": "ZZ"}).json() == {"count": 0}
        assert http.get("/number/search").status_code == 400
        unknown = http.post("/number/buy", data={"country": "GB", "msisdn": "447700900999"})
        assert unknown.status_code == 420


# -- tenancy ---------------------------------------------------------------------------------


def test_accounts_never_see_each_other(two_accounts: Sandbox) -> None:
    with client(two_accounts, ALICE) as alice, client(two_accounts, BOB) as bob:
        app = alice.post("/v2/applications", json=voice_app("alice's")).json()
        url = f"/v2/applications/{app['id']}"
        link = {"country": "GB", "msisdn": "447700900000", "app_id": app["id"]}
        assert alice.post("/number/update", data=link).status_code == 200

        assert bob.get("/v2/applications").json()["total_items"] == 0
        _problem(bob.get(url), 404, "#not-found")
        _problem(bob.put(url, json={"name": "stolen"}), 404, "#not-found")
        _problem(bob.delete(url), 404, "#not-found")
        refused = bob.post("/number/update", data=link)
        assert refused.status_code == 420
        assert "does not exist" in refused.json()["error-code-label"]
        assert bob.get("/account/numbers", params={"has_application": "true"}).json() == {
            "count": 0
        }
        bob.post("/number/cancel", data={"country": "GB", "msisdn": "447700900000"})

        assert alice.get(url).json()["name"] == "alice's"
        mine = alice.get("/account/numbers", params={"application_id": app["id"]}).json()
        assert mine["count"] == 1
        assert alice.get("/account/numbers").json()["count"] == 8
        assert bob.get("/account/numbers").json()["count"] == 7
