"""client.numbers against a recording MockTransport: queries, form posts, Numbers errors."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client_helpers import (
    API_KEY,
    API_SECRET,
    BASIC,
    Recorder,
    Sleeps,
    example,
    form,
    json_reply,
    query,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    AuthenticationError,
    NumbersError,
    RequestTimeout,
    ServerError,
    ValidationError,
)

REST = "https://rest.example.test"
APP_ID = "29f769u7-7ce1-46c9-ade3-f2dedee4fr4t"
NEW_APP = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
FORM_TYPE = "application/x-www-form-urlencoded"


def client_for(recorder: Recorder, sleeps: Sleeps | None = None) -> VonageClient:
    return VonageClient(
        API_KEY,
        API_SECRET,
        rest_host=REST,
        api_host="https://api.example.test",
        transport=recorder.transport,
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


def owned(count: int, delay: float = 0.0) -> Recorder:
    """A router serving ``/account/numbers`` for an account owning ``count`` GB numbers."""

    def route(request: httpx.Request) -> httpx.Response:
        params = query(request)
        size, index = int(params["size"]), int(params["index"])
        if delay:
            time.sleep(delay / index)
        first = (index - 1) * size
        numbers = [
            {"country": "GB", "msisdn": f"4477009{n:05d}", "type": "mobile-lvn"}
            for n in range(first, min(first + size, count))
        ]
        return json_reply(
            200, {"count": count, "numbers": numbers} if numbers else {"count": count}
        )

    return Recorder(router=route)


def listed(msisdn: str = "447700900000", country: str | None = "GB", **settings: str) -> Any:
    """A ``GET /account/numbers`` reply listing one owned number with ``settings``."""
    number: dict[str, str] = {"msisdn": msisdn, **settings}
    if country is not None:
        number["country"] = country
    return json_reply(200, {"count": 1, "numbers": [number]})


OK = {"error-code": "200", "error-code-label": "success"}


@pytest.fixture
def oracles(oracles_dir: Path) -> Path:
    return oracles_dir


# -- list ------------------------------------------------------------------------------------


def test_list_defaults(oracles: Path) -> None:
    recorder = Recorder(json_reply(200, example(oracles, "numbers/list_owned_numbers_basic.json")))
    with client_for(recorder) as client:
        page = client.numbers.list()
    sent = recorder.last
    assert sent.method == "GET"
    assert f"{sent.url.scheme}://{sent.url.host}{sent.url.path}" == f"{REST}/account/numbers"
    assert query(sent) == {"size": "100", "index": "1"}
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["Accept"] == "application/json"
    assert page.count == 2
    assert [n.msisdn for n in page.numbers] == ["3400000000", "447007000000"]
    assert page.numbers[1].app_id == APP_ID


def test_list_sends_every_filter(oracles: Path) -> None:
    recorder = Recorder(json_reply(200, example(oracles, "numbers/list_owned_numbers_filter.json")))
    with client_for(recorder) as client:
        page = client.numbers.list(
            country="GB",
            application_id=APP_ID,
            has_application=True,
            pattern="4470",
            search_pattern=1,
            size=5,
            index=2,
        )
    assert query(recorder.last) == {
        "size": "5",
        "index": "2",
        "country": "GB",
        "application_id": APP_ID,
        "has_application": "true",
        "pattern": "4470",
        "search_pattern": "1",
    }
    assert page.count == 1


def test_list_has_application_false_is_sent() -> None:
    recorder = Recorder(json_reply(200, {}))
    with client_for(recorder) as client:
        client.numbers.list(has_application=False)
    assert query(recorder.last)["has_application"] == "false"


def test_list_empty_account(oracles: Path) -> None:
    recorder = Recorder(json_reply(200, example(oracles, "numbers/nothing.json")))
    with client_for(recorder) as client:
        page = client.numbers.list()
    assert page.count == 0
    assert list(page.numbers) == []


@pytest.mark.parametrize(
    ("arguments", "paths"),
    [
        ({"size": 0}, ["size"]),
        ({"size": 101}, ["size"]),
        ({"index": 0}, ["index"]),
        ({"search_pattern": 3, "pattern": "44"}, ["search_pattern"]),
        ({"search_pattern": 1}, ["pattern"]),
        ({"country": "GBR"}, ["country"]),
        ({"country": "G1", "size": 1000}, ["size", "country"]),
    ],
)
def test_list_checks_filters_locally(arguments: dict[str, Any], paths: list[str]) -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.list(**arguments)
    assert caught.value.paths == paths
    assert recorder.requests == []


def test_list_error_code_in_http_200_is_numbers_error() -> None:
    body = {"error-code": "500", "error-code-label": "internal error"}
    api = client_for(Recorder(json_reply(200, body)))
    with api as client, pytest.raises(NumbersError) as caught:
        client.numbers.list()
    assert (caught.value.error_code, caught.value.error_code_label) == ("500", "internal error")


def test_list_auth_failure_legacy_body() -> None:
    body = {"error-code": "401", "error-code-label": "authentication failed"}
    api = client_for(Recorder(json_reply(401, body)))
    with api as client, pytest.raises(AuthenticationError) as caught:
        client.numbers.list()
    assert "authentication failed" in str(caught.value)
    assert API_SECRET not in str(caught.value)


# -- iter / list_all -------------------------------------------------------------------------


def test_iter_follows_count(oracles: Path) -> None:
    subset = example(oracles, "numbers/list_owned_numbers_subset.json")  # count 2, one item
    second = {"count": 2, "numbers": [{"country": "GB", "msisdn": "447007000000"}]}
    recorder = Recorder(json_reply(200, subset), json_reply(200, second))
    with client_for(recorder) as client:
        msisdns = [n.msisdn for n in client.numbers.iter(size=1)]
    assert msisdns == ["3400000000", "447007000000"]
    assert [query(r)["index"] for r in recorder.requests] == ["1", "2"]


def test_iter_passes_filters_on_every_page() -> None:
    recorder = owned(5)
    with client_for(recorder) as client:
        numbers = list(client.numbers.iter(country="GB", has_application=False, size=2))
    assert len(numbers) == 5
    assert [query(r)["index"] for r in recorder.requests] == ["1", "2", "3"]
    for sent in recorder.requests:
        assert query(sent)["country"] == "GB"
        assert query(sent)["has_application"] == "false"


@pytest.mark.parametrize("count", [0, 1, 4])
def test_iter_stops(count: int) -> None:
    recorder = owned(count)
    with client_for(recorder) as client:
        numbers = list(client.numbers.iter(size=4))
    assert len(numbers) == count
    assert len(recorder.requests) == 1


def test_iter_stops_on_an_empty_page_despite_count() -> None:
    recorder = Recorder(json_reply(200, {"count": 50}))
    with client_for(recorder) as client:
        assert list(client.numbers.iter(size=10)) == []
    assert len(recorder.requests) == 1


def test_list_all_order_and_progress() -> None:
    recorder = owned(7, delay=0.04)
    calls: list[tuple[int, int]] = []
    with client_for(recorder) as client:
        numbers = client.numbers.list_all(
            progress=lambda done, total: calls.append((done, total)), size=2, country="GB"
        )
    assert [n.msisdn for n in numbers] == [f"4477009{n:05d}" for n in range(7)]
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(query(r)["index"] for r in recorder.requests) == ["1", "2", "3", "4"]
    assert {query(r)["country"] for r in recorder.requests} == {"GB"}


def test_list_all_empty_account() -> None:
    recorder = owned(0)
    calls: list[tuple[int, int]] = []
    with client_for(recorder) as client:
        assert client.numbers.list_all(progress=lambda d, t: calls.append((d, t))) == []
    assert calls == [(1, 1)]
    assert len(recorder.requests) == 1


# -- link / unlink ---------------------------------------------------------------------------


def test_link_with_country_looks_up_then_posts_one_form(oracles: Path) -> None:
    recorder = Recorder(listed(), json_reply(200, example(oracles, "numbers/number.json")))
    with client_for(recorder) as client:
        assert client.numbers.link("447700900000", NEW_APP, country="GB") is None
    lookup, sent = recorder.requests
    assert (lookup.method, lookup.url.path) == ("GET", "/account/numbers")
    assert query(lookup)["pattern"] == "447700900000"
    assert (sent.method, str(sent.url)) == ("POST", f"{REST}/number/update")
    assert sent.headers["Content-Type"] == FORM_TYPE
    assert sent.headers["Authorization"] == BASIC
    assert form(sent) == {"country": "GB", "msisdn": "447700900000", "app_id": NEW_APP}


def test_link_without_country_looks_the_number_up(oracles: Path) -> None:
    listing = example(oracles, "numbers/list_owned_numbers_basic.json")
    recorder = Recorder(json_reply(200, listing), json_reply(200, {"error-code": "200"}))
    with client_for(recorder) as client:
        client.numbers.link("447007000000", NEW_APP)
    lookup, update = recorder.requests
    assert lookup.method == "GET"
    assert lookup.url.path == "/account/numbers"
    assert query(lookup) == {
        "size": "100",
        "index": "1",
        "pattern": "447007000000",
        "search_pattern": "0",
    }
    assert form(update) == {"country": "GB", "msisdn": "447007000000", "app_id": NEW_APP}


def test_link_number_not_owned_is_refused_before_any_update(oracles: Path) -> None:
    recorder = Recorder(json_reply(200, example(oracles, "numbers/nothing.json")))
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.link("447700900999", NEW_APP)
    assert caught.value.paths == ["msisdn"]
    message = caught.value.for_path("msisdn")[0]
    assert "does not own 447700900999" in message
    assert "client.numbers.list()" in message
    assert [r.method for r in recorder.requests] == ["GET"]


def test_link_needs_an_app_id() -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.link("447700900000", " ", country="GB")
    assert caught.value.paths == ["app_id"]
    assert recorder.requests == []


def test_link_bad_country_is_refused_locally() -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError):
        client.numbers.link("447700900000", NEW_APP, country="Britain")
    assert recorder.requests == []


def test_unlink_posts_without_app_id() -> None:
    recorder = Recorder(listed(app_id=APP_ID), json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.unlink("447700900000", country="GB")
    sent = recorder.last
    assert (sent.method, sent.url.path) == ("POST", "/number/update")
    assert sent.headers["Content-Type"] == FORM_TYPE
    assert form(sent) == {"country": "GB", "msisdn": "447700900000"}


def test_unlink_without_country_looks_the_number_up(oracles: Path) -> None:
    listing = example(oracles, "numbers/list_owned_numbers_basic.json")
    recorder = Recorder(json_reply(200, listing), json_reply(200, {"error-code": "200"}))
    with client_for(recorder) as client:
        client.numbers.unlink("3400000000")
    assert form(recorder.last) == {"country": "ES", "msisdn": "3400000000"}


def test_update_refused_with_http_200_error_code(oracles: Path) -> None:
    body = example(oracles, "numbers/no_number.json")
    recorder = Recorder(listed(), json_reply(200, body))
    with client_for(recorder) as client, pytest.raises(NumbersError) as caught:
        client.numbers.link("447700900000", NEW_APP, country="GB")
    error = caught.value
    assert (error.status, error.error_code, error.error_code_label) == (200, "420", "method failed")
    assert "client.numbers.list()" in error.hint
    assert NEW_APP in error.hint
    assert "client.numbers.list()" in str(error)
    assert error.method == "POST"
    assert error.url == f"{REST}/number/update"


def test_update_refused_with_http_420(oracles: Path) -> None:
    body = example(oracles, "numbers/no_number.json")
    recorder = Recorder(listed(), json_reply(420, body))
    with client_for(recorder) as client, pytest.raises(NumbersError) as caught:
        client.numbers.unlink("447700900000", country="GB")
    assert (caught.value.status, caught.value.error_code) == (420, "420")
    assert "check the msisdn with client.numbers.list()" in str(caught.value)
    assert [r.method for r in recorder.requests] == ["GET", "POST"]


def test_update_auth_failure_hint_names_the_variables() -> None:
    body = {"error-code": "401", "error-code-label": "authentication failed"}
    recorder = Recorder(listed(), json_reply(200, body))
    with client_for(recorder) as client, pytest.raises(NumbersError) as caught:
        client.numbers.unlink("447700900000", country="GB")
    assert "VONAGE_API_SECRET" in caught.value.hint
    assert caught.value.method == "POST"


def test_update_is_not_retried_on_503() -> None:
    sleeps = Sleeps()
    recorder = Recorder(listed(), httpx.Response(503, text="Service Unavailable"))
    with client_for(recorder, sleeps) as client, pytest.raises(ServerError) as caught:
        client.numbers.link("447700900000", NEW_APP, country="GB")
    assert [r.method for r in recorder.requests] == ["GET", "POST"]
    assert sleeps == []
    assert "not retried" in str(caught.value)


def test_update_timeout_is_not_retried() -> None:
    recorder = Recorder(listed(), httpx.ReadTimeout("read timed out"))
    with client_for(recorder) as client, pytest.raises(RequestTimeout) as caught:
        client.numbers.unlink("447700900000", country="GB")
    assert [r.method for r in recorder.requests] == ["GET", "POST"]
    assert str(caught.value).startswith(f"POST {REST}/number/update timed out")


def test_lookup_get_is_retried_but_the_update_is_not(oracles: Path) -> None:
    listing = example(oracles, "numbers/list_owned_numbers_basic.json")
    sleeps = Sleeps()
    recorder = Recorder(
        httpx.Response(503),
        json_reply(200, listing),
        httpx.Response(503),
    )
    with client_for(recorder, sleeps) as client, pytest.raises(ServerError):
        client.numbers.link("447007000000", NEW_APP)
    assert [r.method for r in recorder.requests] == ["GET", "GET", "POST"]
    assert sleeps == [0.2]


# -- settings survive link and unlink (/number/update replaces the routing, [api-notes §2.3]) ------

SETTINGS = {
    "moHttpUrl": "https://example.com/inbound-sms?x=1&y=2",
    "voiceStatusCallback": "https://example.com/call-status",
    "moSmppSysType": "inbound",
}


def test_unlink_keeps_mo_http_url_and_voice_status_callback() -> None:
    linked = {"app_id": APP_ID, "voiceCallbackType": "app", "voiceCallbackValue": APP_ID}
    recorder = Recorder(listed(**linked, **SETTINGS), json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.unlink("447700900000")
    assert form(recorder.last) == {"country": "GB", "msisdn": "447700900000", **SETTINGS}


def test_link_keeps_settings_and_a_sip_forwarding_and_replaces_the_old_link() -> None:
    number = {
        "app_id": APP_ID,
        "messagesCallbackType": "app",
        "messagesCallbackValue": APP_ID,
        "voiceCallbackType": "sip",
        "voiceCallbackValue": "sip:desk@example.com",
        **SETTINGS,
    }
    recorder = Recorder(listed(**number), json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.link("447700900000", NEW_APP, country="GB")
    assert form(recorder.last) == {
        "country": "GB",
        "msisdn": "447700900000",
        "app_id": NEW_APP,
        "voiceCallbackType": "sip",
        "voiceCallbackValue": "sip:desk@example.com",
        **SETTINGS,
    }


def test_link_refuses_a_country_that_is_not_the_numbers() -> None:
    recorder = Recorder(listed(country="US"))
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.link("447700900000", NEW_APP, country="GB")
    assert caught.value.paths == ["country"]
    assert "is a US number, not GB" in caught.value.for_path("country")[0]
    assert [r.method for r in recorder.requests] == ["GET"]


def test_link_uses_the_given_country_when_vonage_omits_it() -> None:
    recorder = Recorder(listed(country=None), json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.link("447700900000", NEW_APP, country="GB")
    assert form(recorder.last) == {"country": "GB", "msisdn": "447700900000", "app_id": NEW_APP}


def test_update_sends_exactly_the_routing_given() -> None:
    recorder = Recorder(json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.update(
            "+447700900000", "gb", moHttpUrl="", voiceStatusCallback="https://e.c/s"
        )
    (sent,) = recorder.requests
    assert (sent.method, sent.url.path) == ("POST", "/number/update")
    assert form(sent) == {
        "country": "GB",
        "msisdn": "447700900000",
        "moHttpUrl": "",
        "voiceStatusCallback": "https://e.c/s",
    }


def test_update_without_country_looks_it_up(oracles: Path) -> None:
    listing = example(oracles, "numbers/list_owned_numbers_basic.json")
    recorder = Recorder(json_reply(200, listing), json_reply(200, OK))
    with client_for(recorder) as client:
        client.numbers.update("3400000000", app_id=NEW_APP)
    assert [r.method for r in recorder.requests] == ["GET", "POST"]
    assert form(recorder.last) == {"country": "ES", "msisdn": "3400000000", "app_id": NEW_APP}


def test_update_refuses_bad_routing_before_sending() -> None:
    recorder = Recorder()
    routing: dict[str, Any] = {"moHttpURL": "https://e.c", "voiceCallbackType": "sip", "app_id": 7}
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.update("447700900000", "GB", **routing)
    assert caught.value.paths == ["moHttpURL", "app_id", "voiceCallbackValue"]
    assert "not a /number/update field" in caught.value.for_path("moHttpURL")[0]
    assert caught.value.for_path("voiceCallbackValue") == ["is required with voiceCallbackType"]
    assert recorder.requests == []


def test_update_with_an_app_id_gets_the_link_hint(oracles: Path) -> None:
    recorder = Recorder(json_reply(200, example(oracles, "numbers/no_number.json")))
    with client_for(recorder) as client, pytest.raises(NumbersError) as caught:
        client.numbers.update("447700900000", "GB", app_id=NEW_APP)
    assert NEW_APP in caught.value.hint


# -- buy / cancel ----------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["buy", "cancel"])
def test_buy_and_cancel_post_forms(operation: str) -> None:
    recorder = Recorder(json_reply(200, {"error-code": "200", "error-code-label": "success"}))
    with client_for(recorder) as client:
        getattr(client.numbers, operation)("GB", "447700900000")
    sent = recorder.last
    assert (sent.method, sent.url.path) == ("POST", f"/number/{operation}")
    assert sent.headers["Content-Type"] == FORM_TYPE
    assert form(sent) == {"country": "GB", "msisdn": "447700900000"}


def test_iter_page_count_follows_the_count_rule() -> None:
    # count > size * index means another page: 7 numbers at size 2 is 4 pages.
    recorder = owned(7)
    with client_for(recorder) as client:
        assert len(list(client.numbers.iter(size=2))) == 7
    assert len(recorder.requests) == 4


def test_link_reports_every_bad_argument_at_once() -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.link("07700 900000", "", country="UK1")
    assert caught.value.paths == ["app_id", "msisdn", "country"]
    assert recorder.requests == []


def test_link_normalises_msisdn_and_country() -> None:
    recorder = Recorder(listed(), json_reply(200, {"error-code": "200"}))
    with client_for(recorder) as client:
        client.numbers.link(" +447700900000 ", NEW_APP, country="gb")
    assert query(recorder.requests[0])["pattern"] == "447700900000"
    assert form(recorder.last) == {"country": "GB", "msisdn": "447700900000", "app_id": NEW_APP}


def test_link_when_vonage_omits_the_country() -> None:
    listing = {"count": 1, "numbers": [{"msisdn": "447700900000"}]}
    recorder = Recorder(json_reply(200, listing))
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.link("447700900000", NEW_APP)
    assert caught.value.paths == ["country"]
    assert [r.method for r in recorder.requests] == ["GET"]


def test_find_skips_numbers_that_only_start_with_the_msisdn() -> None:
    listing = {
        "count": 2,
        "numbers": [
            {"country": "GB", "msisdn": "4477009000001"},
            {"country": "GB", "msisdn": "447700900000"},
        ],
    }
    with client_for(Recorder(json_reply(200, listing))) as client:
        found = client.numbers.find("447700900000")
    assert found.msisdn == "447700900000"


# -- search ----------------------------------------------------------------------------------


def test_search_sends_filters() -> None:
    body = {"count": 1, "numbers": [{"country": "GB", "msisdn": "447700900123", "cost": "1.25"}]}
    recorder = Recorder(json_reply(200, body))
    with client_for(recorder) as client:
        page = client.numbers.search(
            "gb", type="mobile-lvn", pattern="447", search_pattern=0, features=["VOICE", "SMS"]
        )
    sent = recorder.last
    assert (sent.method, sent.url.path) == ("GET", "/number/search")
    assert query(sent) == {
        "size": "10",
        "index": "1",
        "country": "GB",
        "type": "mobile-lvn",
        "features": "SMS,VOICE",
        "pattern": "447",
        "search_pattern": "0",
    }
    assert page.count == 1
    assert page.numbers[0].cost == "1.25"


def test_search_checks_arguments_locally() -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.numbers.search("GBR", type="fax", features="SMS,FAX", size=0)
    assert caught.value.paths == ["size", "country", "type", "features"]
    assert recorder.requests == []
