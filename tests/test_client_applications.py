"""client.applications against a recording MockTransport: what is sent, what comes back."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
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
    json_reply,
    query,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    ApiError,
    BadRequestError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from vonage_widgets.models import Application

API = "https://api.example.test"
LIST = f"{API}/v2/applications"
ANSWER = "https://example.com/answer"


def client_for(recorder: Recorder, sleeps: Sleeps | None = None, **options: Any) -> VonageClient:
    return VonageClient(
        API_KEY,
        API_SECRET,
        api_host=API,
        transport=recorder.transport,
        sleep=sleeps if sleeps is not None else Sleeps(),
        **options,
    )


def app_body(number: int) -> dict[str, Any]:
    return {"id": f"app-{number:03d}", "name": f"app {number}"}


def hal_page(page: int, page_size: int, total_items: int) -> dict[str, Any]:
    """A list body like the API's, for an account with ``total_items`` applications."""
    total_pages = math.ceil(total_items / page_size)
    first = (page - 1) * page_size
    items = [app_body(n) for n in range(first, min(first + page_size, total_items))]
    return {
        "page": page,
        "page_size": page_size,
        "total_items": total_items,
        "total_pages": total_pages,
        "_embedded": {"applications": items},
        "_links": {"self": {"href": f"/v2/applications?page_size={page_size}&page={page}"}},
    }


def account_of(total_items: int, delay: float = 0.0) -> Recorder:
    """A router serving any page of an account holding ``total_items`` applications.

    With ``delay`` the early pages answer slowest, so concurrent fetches finish out of order.
    """

    def route(request: httpx.Request) -> httpx.Response:
        params = query(request)
        page, size = int(params["page"]), int(params["page_size"])
        if delay:
            time.sleep(delay / page)
        return json_reply(200, hal_page(page, size, total_items))

    return Recorder(router=route)


@pytest.fixture
def oracles(oracles_dir: Path) -> Path:
    return oracles_dir


# -- list ------------------------------------------------------------------------------------


def test_list_sends_get_with_page_and_size(oracles: Path) -> None:
    body = example(oracles, "application/list_applications_basic.json")
    recorder = Recorder(json_reply(200, body))
    with client_for(recorder) as client:
        page = client.applications.list()
    sent = recorder.last
    assert sent.method == "GET"
    assert sent.url.path == "/v2/applications"
    assert query(sent) == {"page_size": "100", "page": "1"}
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["Accept"] == "application/json"
    assert "Content-Type" not in sent.headers
    assert sent.content == b""
    assert (page.page, page.page_size, page.total_items, page.total_pages) == (1, 100, 1, 1)
    assert [a.id for a in page.applications] == ["1b1b1b1b-1b1b-1b1b-1b1b-1b1b1b1b1b1b"]


def test_list_other_page(oracles: Path) -> None:
    body = example(oracles, "application/list_applications_multiple_pages.json")
    recorder = Recorder(json_reply(200, body))
    with client_for(recorder) as client:
        page = client.applications.list(page=1, page_size=3)
    assert query(recorder.last) == {"page_size": "3", "page": "1"}
    assert page.total_pages == 4
    assert [a.name for a in page.applications] == [
        "dev-application",
        "My Test Server Application",
        "test-application",
    ]


@pytest.mark.parametrize(("page_size", "page"), [(0, 1), (101, 1), (10, 0), (True, 1)])
def test_list_checks_arguments_locally(page_size: int, page: int) -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.applications.list(page=page, page_size=page_size)
    assert recorder.requests == []
    expected = "page" if page < 1 else "page_size"
    assert caught.value.paths == [expected]


def test_page_size_message_names_the_rule() -> None:
    with client_for(Recorder()) as client, pytest.raises(ValidationError) as caught:
        client.applications.list(page_size=500)
    assert caught.value.for_path("page_size") == ["must be between 1 and 100"]


def test_list_server_validation_error_is_bad_request() -> None:
    problem = {
        "type": "https://developer.vonage.com/api-errors/application#list-validation",
        "title": "Bad Request",
        "detail": "The request failed due to validation errors",
        "invalid_parameters": [{"name": "page_size", "reason": "must be between 1 and 100"}],
    }
    api = client_for(Recorder(json_reply(400, problem)))
    with api as client, pytest.raises(BadRequestError) as caught:
        client.applications.list()
    assert caught.value.invalid_parameters[0].path == "page_size"


# -- iter ------------------------------------------------------------------------------------


EMPTY_ACCOUNTS = [
    pytest.param({"page": 1, "page_size": 100, "total_items": 0, "total_pages": 0}, id="pages-0"),
    pytest.param(
        {
            "page": 1,
            "page_size": 100,
            "total_items": 0,
            "total_pages": 0,
            "_embedded": {"applications": []},
            "_links": {"self": {"href": "/v2/applications?page_size=100&page=1"}},
        },
        id="sdk-quirk-page-1-of-0",
    ),
    pytest.param(
        {
            "page": 1,
            "page_size": 100,
            "total_items": 0,
            "total_pages": 1,
            "_embedded": {"applications": []},
        },
        id="one-empty-page",
    ),
    pytest.param(
        {"page": 1, "page_size": 100, "total_items": 0, "total_pages": 5, "_embedded": {}},
        id="inconsistent-total",
    ),
]


@pytest.mark.parametrize("body", EMPTY_ACCOUNTS)
def test_iter_empty_account_yields_nothing_and_stops(body: dict[str, Any]) -> None:
    recorder = Recorder(json_reply(200, body), json_reply(200, body))
    with client_for(recorder) as client:
        assert list(client.applications.iter()) == []
        assert client.applications.list_all() == []
    assert len(recorder.requests) == 2  # one page each; a loop would hit "unexpected request"


def test_iter_single_page(oracles: Path) -> None:
    recorder = Recorder(
        json_reply(200, example(oracles, "application/list_applications_basic.json"))
    )
    with client_for(recorder) as client:
        names = [a.name for a in client.applications.iter()]
    assert names == ["dev-application"]
    assert len(recorder.requests) == 1


def test_iter_many_pages_in_order() -> None:
    recorder = account_of(10)
    with client_for(recorder) as client:
        ids = [a.id for a in client.applications.iter(page_size=3)]
    assert ids == [f"app-{n:03d}" for n in range(10)]
    assert [query(r)["page"] for r in recorder.requests] == ["1", "2", "3", "4"]
    assert {query(r)["page_size"] for r in recorder.requests} == {"3"}


def test_iter_is_lazy() -> None:
    recorder = account_of(10)
    with client_for(recorder) as client:
        apps: Iterator[Application] = client.applications.iter(page_size=3)
        assert recorder.requests == []
        next(apps)
        assert len(recorder.requests) == 1


# -- list_all --------------------------------------------------------------------------------


def test_list_all_keeps_order_and_reports_progress() -> None:
    recorder = account_of(10, delay=0.05)  # page 2 answers last
    calls: list[tuple[int, int]] = []
    with client_for(recorder) as client:
        apps = client.applications.list_all(page_size=3, progress=lambda d, t: calls.append((d, t)))
    assert [a.id for a in apps] == [f"app-{n:03d}" for n in range(10)]
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(int(query(r)["page"]) for r in recorder.requests) == [1, 2, 3, 4]


def test_list_all_fetches_later_pages_concurrently() -> None:
    in_flight = 0
    peak = 0
    threads: set[str] = set()
    lock = threading.Lock()

    def route(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
            threads.add(threading.current_thread().name)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        params = query(request)
        return json_reply(200, hal_page(int(params["page"]), int(params["page_size"]), 20))

    with client_for(Recorder(router=route)) as client:
        apps = client.applications.list_all(page_size=2)
    assert len(apps) == 20
    assert peak == 4  # PAGE_WORKERS threads at once, never more
    assert len(threads) == 5  # the caller for page 1, then four workers


def test_list_all_single_page_uses_no_threads(oracles: Path) -> None:
    recorder = Recorder(
        json_reply(200, example(oracles, "application/list_applications_basic.json"))
    )
    calls: list[tuple[int, int]] = []
    with client_for(recorder) as client:
        apps = client.applications.list_all(progress=lambda d, t: calls.append((d, t)))
    assert len(apps) == 1
    assert calls == [(1, 1)]
    assert len(recorder.requests) == 1


def test_list_all_raises_the_failure_of_a_page() -> None:
    def route(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        if page == 3:
            return json_reply(500, {"title": "Internal Server Error"})
        return json_reply(200, hal_page(page, 2, 10))

    with client_for(Recorder(router=route)) as client, pytest.raises(ServerError):
        client.applications.list_all(page_size=2)


# -- get / create / update / delete ----------------------------------------------------------


def test_get(oracles: Path) -> None:
    body = example(oracles, "application/get_application.json")
    recorder = Recorder(json_reply(200, body))
    with client_for(recorder) as client:
        app = client.applications.get(body["id"])
    sent = recorder.last
    assert (sent.method, str(sent.url)) == ("GET", f"{LIST}/{body['id']}")
    assert sent.headers["Authorization"] == BASIC
    assert app.id == body["id"]
    assert app.name == "My Server Demo"
    assert app.to_dict() == body


def test_get_quotes_the_id() -> None:
    recorder = Recorder(json_reply(200, {"id": "a/b?c", "name": "x"}))
    with client_for(recorder) as client:
        client.applications.get("a/b?c")
    assert recorder.last.url.raw_path == b"/v2/applications/a%2Fb%3Fc"


@pytest.mark.parametrize("bad_id", ["", "   "])
def test_empty_id_is_refused_locally(bad_id: str) -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.applications.delete(bad_id)
    assert caught.value.paths == ["id"]
    assert recorder.requests == []


def test_get_not_found(oracles: Path) -> None:
    body = example(oracles, "http_client/404.json")
    api = client_for(Recorder(json_reply(404, body)))
    with api as client, pytest.raises(NotFoundError) as caught:
        client.applications.get("missing")
    assert caught.value.detail == body["detail"]
    assert caught.value.url == f"{LIST}/missing"


VOICE_APP: dict[str, Any] = {
    "name": "ivr",
    "capabilities": {
        "voice": {
            "webhooks": {
                "answer_url": {"address": ANSWER, "http_method": "GET"},
                "event_url": {"address": "https://example.com/event", "http_method": "POST"},
            }
        }
    },
}


def test_create_posts_json_and_returns_generated_private_key(oracles: Path) -> None:
    response = example(oracles, "application/create_application_basic.json")
    recorder = Recorder(json_reply(201, response))
    with client_for(recorder) as client:
        app = client.applications.create(VOICE_APP)
    sent = recorder.last
    assert (sent.method, str(sent.url)) == ("POST", LIST)
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Authorization"] == BASIC
    assert json.loads(sent.content) == VOICE_APP
    assert app.id == response["id"]
    assert app.keys is not None
    assert app.keys.private_key is not None
    assert app.keys.private_key.get_secret_value() == response["keys"]["private_key"]
    assert "private_key_info_goes_here" not in repr(app)


def test_create_from_a_model_sends_to_api_body() -> None:
    app = Application.from_api({**VOICE_APP, "id": "old", "_links": {"self": {"href": "/x"}}})
    recorder = Recorder(json_reply(201, {**VOICE_APP, "id": "new"}))
    with client_for(recorder) as client:
        created = client.applications.create(app)
    assert json.loads(recorder.last.content) == VOICE_APP  # no id, no _links
    assert created.id == "new"


def test_create_translates_old_timeout_name() -> None:
    old = {
        "name": "x",
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {
                        "address": ANSWER,
                        "http_method": "GET",
                        "connection_timeout": 500,
                    }
                }
            }
        },
    }
    recorder = Recorder(json_reply(201, {"id": "i", "name": "x"}))
    with client_for(recorder) as client:
        client.applications.create(old)
    sent = json.loads(recorder.last.content)
    assert sent["capabilities"]["voice"]["webhooks"]["answer_url"] == {
        "address": ANSWER,
        "http_method": "GET",
        "connect_timeout": 500,
    }


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"capabilities": {}}, "name"),
        (
            {
                "name": "x",
                "capabilities": {
                    "voice": {
                        "webhooks": {
                            "answer_url": {
                                "address": ANSWER,
                                "http_method": "GET",
                                "socket_timeout": 9999,
                            }
                        }
                    }
                },
            },
            "capabilities.voice.webhooks.answer_url.socket_timeout",
        ),
    ],
)
def test_create_validates_before_sending(body: dict[str, Any], path: str) -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError) as caught:
        client.applications.create(body)
    assert path in caught.value.paths
    assert recorder.requests == []


def test_create_is_not_retried_on_503() -> None:
    sleeps = Sleeps()
    recorder = Recorder(json_reply(503, {"title": "Service Unavailable"}))
    with client_for(recorder, sleeps) as client, pytest.raises(ServerError) as caught:
        client.applications.create(VOICE_APP)
    assert len(recorder.requests) == 1
    assert sleeps == []
    assert "not retried" in str(caught.value)


def test_create_is_not_retried_on_429(oracles: Path) -> None:
    body = example(oracles, "http_client/429.json")
    recorder = Recorder(json_reply(429, body, {"Retry-After": "2"}))
    with client_for(recorder) as client, pytest.raises(RateLimitedError) as caught:
        client.applications.create(VOICE_APP)
    assert len(recorder.requests) == 1
    assert caught.value.retry_after == 2.0


def test_create_bad_request_maps_invalid_parameters() -> None:
    problem = {
        "type": "https://developer.vonage.com/api-errors/application#payload-validation",
        "title": "Bad Request",
        "detail": "The request failed due to validation errors",
        "invalid_parameters": [
            {"name": "capabilities.voice.webhooks.answer_url.http_method", "reason": "bad"}
        ],
        "instance": "797a8f199c45014ab7b08bfe9cc1c12c",
    }
    api = client_for(Recorder(json_reply(400, problem)))
    with api as client, pytest.raises(BadRequestError) as caught:
        client.applications.create(VOICE_APP)
    assert [p.path for p in caught.value.invalid_parameters] == [
        "capabilities.voice.webhooks.answer_url.http_method"
    ]
    assert caught.value.instance == problem["instance"]


def test_update_puts_the_full_document_with_unknown_capabilities(oracles: Path) -> None:
    current = example(oracles, "application/get_application.json")
    video = {"webhooks": {"archive_status": {"address": "https://v.test", "active": True}}}
    current["capabilities"]["video"] = video
    current["future_field"] = {"kept": [1, 2]}
    app = Application.from_api(current)
    recorder = Recorder(json_reply(200, current))
    with client_for(recorder) as client:
        updated = client.applications.update(current["id"], app)
    sent = recorder.last
    assert (sent.method, str(sent.url)) == ("PUT", f"{LIST}/{current['id']}")
    assert sent.headers["Content-Type"] == "application/json"
    body = json.loads(sent.content)
    expected = {k: v for k, v in current.items() if k not in ("id", "_links")}
    assert body == expected
    assert body["capabilities"]["video"] == video
    assert updated.to_dict() == current


def test_update_is_retried_on_503() -> None:
    sleeps = Sleeps()
    recorder = Recorder(json_reply(503, {}), json_reply(200, {**VOICE_APP, "id": "i"}))
    with client_for(recorder, sleeps) as client:
        client.applications.update("i", VOICE_APP)
    assert [r.method for r in recorder.requests] == ["PUT", "PUT"]
    assert recorder.requests[0].content == recorder.requests[1].content
    assert sleeps == [0.2]


def test_update_validates_before_sending() -> None:
    recorder = Recorder()
    with client_for(recorder) as client, pytest.raises(ValidationError):
        client.applications.update("i", {"name": ""})
    assert recorder.requests == []


def test_delete() -> None:
    recorder = Recorder(httpx.Response(204))
    with client_for(recorder) as client:
        assert client.applications.delete("abc") is None
    sent = recorder.last
    assert (sent.method, str(sent.url)) == ("DELETE", f"{LIST}/abc")
    assert sent.headers["Authorization"] == BASIC
    assert sent.content == b""


def test_get_retries_exhausted_raise_server_error() -> None:
    sleeps = Sleeps()
    recorder = Recorder(*[httpx.Response(503) for _ in range(4)])
    with client_for(recorder, sleeps) as client, pytest.raises(ServerError):
        client.applications.get("abc")
    assert len(recorder.requests) == 4
    assert sleeps == [0.2, 0.4, 0.8]


def test_non_object_success_body_is_an_api_error() -> None:
    recorder = Recorder(httpx.Response(200, text="<html>proxy login</html>"))
    with client_for(recorder) as client, pytest.raises(ApiError) as caught:
        client.applications.get("abc")
    assert caught.value.status == 200
    assert "expected a JSON object" in str(caught.value)
    assert API_SECRET not in str(caught.value)
