"""The HTTP layer under the client: URLs, Retry-After, retries and error mapping."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

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
)
from vonage_widgets.client._http import (
    HttpSession,
    RetryPolicy,
    display_url,
    normalize_base_url,
    parse_retry_after,
)
from vonage_widgets.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConnectError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    NumbersError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    ValidationError,
)

URL = "https://api.example.test/v2/applications"


def session(recorder: Recorder, sleeps: Sleeps | None = None, **retry: float) -> HttpSession:
    return HttpSession(
        api_key=API_KEY,
        api_secret=API_SECRET,
        timeout=5.0,
        retry=RetryPolicy(**retry),  # type: ignore[arg-type]
        transport=recorder.transport,
        verify=True,
        user_agent="tests/1.0",
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


# -- base URLs and display ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("api.nexmo.com", "https://api.nexmo.com"),
        ("https://api.nexmo.com/", "https://api.nexmo.com"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("  localhost:8443 ", "https://localhost:8443"),
        ("http://127.0.0.1:9/prefix/", "http://127.0.0.1:9/prefix"),
    ],
)
def test_normalize_base_url(given: str, expected: str) -> None:
    assert normalize_base_url(given, "api_host") == expected


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        ("ftp://files.example", "must be an http:// or https:// URL"),
        ("https://", "must name a host, e.g. https://api.nexmo.com"),
        ("https://api.nexmo.com?x=1", "must not have a query string or fragment"),
    ],
)
def test_normalize_base_url_rejects(given: str, rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_base_url(given, "rest_host")
    assert caught.value.for_path("rest_host") == [rule]


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_base_url(f"https://{API_KEY}:{API_SECRET}@api.nexmo.com", "api_host")
    assert caught.value.for_path("api_host") == ["must not contain a user name or password"]
    assert API_SECRET not in str(caught.value)


def test_display_url_drops_user_info_and_credential_parameters() -> None:
    shown = display_url(f"https://u:{API_SECRET}@h.test/p?api_secret={API_SECRET}&size=5")
    assert shown == "https://h.test/p?size=5"


# -- Retry-After and backoff ----------------------------------------------------------------


def test_parse_retry_after_seconds_and_dates() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("Wed, 01 May 2024 12:00:42 GMT", now=now) == 42.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_and_is_capped() -> None:
    policy = RetryPolicy(backoff_base=0.2, backoff_cap=1.0)
    assert [policy.backoff(n) for n in range(5)] == [0.2, 0.4, 0.8, 1.0, 1.0]
    assert policy.delay(0, 12.0) == 12.0
    assert RetryPolicy(max_retry_after=30.0).delay(0, 120.0) == 30.0


def test_retry_policy_rejects_negative_values() -> None:
    with pytest.raises(ValidationError) as caught:
        RetryPolicy(max_retries=-1)
    assert caught.value.paths == ["max_retries"]


# -- what is sent ----------------------------------------------------------------------------


def test_headers_basic_auth_accept_and_user_agent() -> None:
    recorder = Recorder(json_reply(200, {}))
    session(recorder).request("GET", URL)
    sent = recorder.last
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["User-Agent"] == "tests/1.0"


def test_json_body_and_form_body_content_types() -> None:
    recorder = Recorder(json_reply(201, {}), json_reply(200, {}))
    http = session(recorder)
    http.request("POST", URL, json_body={"name": "a"})
    http.request("POST", URL, form={"msisdn": "447700900000", "country": "GB"})
    json_request, form_request = recorder.requests
    assert json_request.headers["Content-Type"] == "application/json"
    assert json_request.content == b'{"name":"a"}'
    assert form_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form_request.content == b"msisdn=447700900000&country=GB"


def test_redirects_are_not_followed() -> None:
    # Following a redirect to another host would hand it our Basic credentials.
    recorder = Recorder(httpx.Response(302, headers={"Location": "https://evil.test/"}))
    response = session(recorder).request("GET", URL)
    assert response.status_code == 302
    assert len(recorder.requests) == 1


# -- retries ---------------------------------------------------------------------------------


def test_get_retried_on_503_then_succeeds() -> None:
    sleeps = Sleeps()
    recorder = Recorder(httpx.Response(503), httpx.Response(503), json_reply(200, {"ok": 1}))
    response = session(recorder, sleeps).request("GET", URL)
    assert response.json() == {"ok": 1}
    assert len(recorder.requests) == 3
    assert sleeps == [0.2, 0.4]


def test_429_retry_after_is_honoured() -> None:
    sleeps = Sleeps()
    recorder = Recorder(
        json_reply(429, example_429(), {"Retry-After": "7"}), json_reply(200, {"ok": 1})
    )
    session(recorder, sleeps).request("GET", URL)
    assert sleeps == [7.0]


def test_retry_after_as_http_date_is_honoured() -> None:
    sleeps = Sleeps()
    later = httpx.Response(503, headers={"Retry-After": "Thu, 01 Jan 2099 00:00:00 GMT"})
    recorder = Recorder(later, json_reply(200, {}))
    session(recorder, sleeps, max_retry_after=12.5).request("GET", URL)
    assert sleeps == [12.5]  # far future: capped


def test_retries_exhausted_raise_rate_limited_error(oracles_dir: Path) -> None:
    body = example(oracles_dir, "http_client/429.json")
    sleeps = Sleeps()
    recorder = Recorder(*[json_reply(429, body, {"Retry-After": "1"}) for _ in range(4)])
    with pytest.raises(RateLimitedError) as caught:
        session(recorder, sleeps).request("GET", URL)
    assert len(recorder.requests) == 4
    assert sleeps == [1.0, 1.0, 1.0]
    error = caught.value
    assert error.status == 429
    assert error.retry_after == 1.0
    assert error.title == "Rate Limit Hit"
    assert "gave up after 3 retries" in str(error)


def test_retries_exhausted_raise_server_error() -> None:
    recorder = Recorder(*[httpx.Response(503, text="busy") for _ in range(3)])
    with pytest.raises(ServerError) as caught:
        session(recorder, max_retries=2).request("GET", URL)
    assert len(recorder.requests) == 3
    assert caught.value.status == 503
    assert "gave up after 2 retries" in str(caught.value)


@pytest.mark.parametrize("status", [503, 429])
def test_post_is_never_retried(status: int) -> None:
    sleeps = Sleeps()
    recorder = Recorder(httpx.Response(status, headers={"Retry-After": "1"}))
    with pytest.raises(ApiError) as caught:
        session(recorder, sleeps).request("POST", URL, json_body={"name": "x"})
    assert len(recorder.requests) == 1
    assert sleeps == []
    assert caught.value.status == status
    assert "not retried: a POST is never resent automatically" in str(caught.value)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_idempotent_writes_are_retried(method: str) -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(204))
    response = session(recorder).request(method, URL)
    assert response.status_code == 204
    assert [r.method for r in recorder.requests] == [method, method]


def test_max_retries_zero_disables_retries() -> None:
    sleeps = Sleeps()
    recorder = Recorder(httpx.Response(503))
    with pytest.raises(ServerError) as caught:
        session(recorder, sleeps, max_retries=0).request("GET", URL)
    assert len(recorder.requests) == 1
    assert sleeps == []
    assert "gave up" not in str(caught.value)


def test_other_errors_are_not_retried() -> None:
    recorder = Recorder(httpx.Response(500))
    with pytest.raises(ServerError):
        session(recorder).request("GET", URL)
    assert len(recorder.requests) == 1


def test_connection_refused_get_is_retried() -> None:
    sleeps = Sleeps()
    recorder = Recorder(httpx.ConnectError("Connection refused"), json_reply(200, {}))
    session(recorder, sleeps).request("GET", URL)
    assert len(recorder.requests) == 2
    assert sleeps == [0.2]


def test_connection_refused_gives_connect_error_naming_method_and_url() -> None:
    recorder = Recorder(*[httpx.ConnectError("Connection refused") for _ in range(2)])
    with pytest.raises(ConnectError) as caught:
        session(recorder, max_retries=1).request("GET", URL, params={"page": 2})
    error = caught.value
    assert error.method == "GET"
    assert error.url == f"{URL}?page=2"
    assert str(error).startswith(f"GET {URL}?page=2 failed: ConnectError: Connection refused")
    assert "gave up after 1 retry" in str(error)


def test_post_connection_error_is_not_retried() -> None:
    recorder = Recorder(httpx.ConnectError("Connection refused"))
    with pytest.raises(ConnectError) as caught:
        session(recorder).request("POST", URL, json_body={"name": "x"})
    assert len(recorder.requests) == 1
    assert "not retried" in str(caught.value)


def test_read_timeout_is_not_retried_even_for_get() -> None:
    # The server may be busy with the request; sending it again would double the load.
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(RequestTimeout) as caught:
        session(recorder).request("GET", URL)
    assert len(recorder.requests) == 1
    assert str(caught.value) == f"GET {URL} timed out after 5 s (read timeout)"


def test_post_timeout_says_it_was_not_retried() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(RequestTimeout) as caught:
        session(recorder).request("POST", URL, json_body={})
    assert caught.value.method == "POST"
    assert "not retried" in str(caught.value)
    assert "may already have acted on it" in str(caught.value)


# -- error mapping ---------------------------------------------------------------------------


def example_429() -> dict[str, str]:
    return {"title": "Rate Limit Hit", "detail": "Please wait, then retry your request"}


@pytest.mark.parametrize(
    ("name", "status", "kind"),
    [
        ("401.json", 401, AuthenticationError),
        ("403.json", 403, ForbiddenError),
        ("404.json", 404, NotFoundError),
        ("429.json", 429, RateLimitedError),
        ("500.json", 500, ServerError),
    ],
)
def test_recorded_error_bodies_map_to_classes(
    oracles_dir: Path, name: str, status: int, kind: type[ApiError]
) -> None:
    body = example(oracles_dir, f"http_client/{name}")
    recorder = Recorder(json_reply(status, body))
    with pytest.raises(kind) as caught:
        session(recorder, max_retries=0).request("GET", URL)
    error = caught.value
    assert type(error) is kind
    assert error.status == status
    assert (error.title, error.detail, error.type, error.instance) == (
        body["title"],
        body.get("detail", ""),
        body["type"],
        body["instance"],
    )
    assert error.method == "GET"
    assert error.url == URL
    assert body["title"] in str(error)


def test_bad_request_lists_invalid_parameters() -> None:
    body = {
        "type": "https://developer.vonage.com/api-errors/application#payload-validation",
        "title": "Bad Request",
        "detail": "The request failed due to validation errors",
        "invalid_parameters": [
            {"name": "capabilities.voice.webhooks.answer_url.http_method", "reason": "must be GET"}
        ],
    }
    recorder = Recorder(
        httpx.Response(400, json=body, headers={"Content-Type": "application/problem+json"})
    )
    with pytest.raises(BadRequestError) as caught:
        session(recorder).request("POST", URL, json_body={"name": "x"})
    assert caught.value.invalid_parameters == [
        FieldError("capabilities.voice.webhooks.answer_url.http_method", "must be GET")
    ]
    assert "answer_url.http_method: must be GET" in str(caught.value)


def test_rate_limited_without_retry_after_has_none() -> None:
    recorder = Recorder(json_reply(429, example_429()))
    with pytest.raises(RateLimitedError) as caught:
        session(recorder, max_retries=0).request("GET", URL)
    assert caught.value.retry_after is None


def test_html_error_body_is_summarised() -> None:
    html = "<html><body><h1>502 Bad Gateway</h1>\n\n</body></html>"
    recorder = Recorder(httpx.Response(502, text=html, headers={"Content-Type": "text/html"}))
    with pytest.raises(ServerError) as caught:
        session(recorder).request("GET", URL)
    assert caught.value.title == "Bad Gateway"
    assert (
        caught.value.detail == "text/html body: <html><body><h1>502 Bad Gateway</h1> </body></html>"
    )


def test_empty_error_body() -> None:
    recorder = Recorder(httpx.Response(405))
    with pytest.raises(ApiError) as caught:
        session(recorder).request("DELETE", URL)
    assert type(caught.value) is ApiError
    assert (caught.value.title, caught.value.detail) == ("Method Not Allowed", "empty body")


def test_json_error_body_without_problem_fields() -> None:
    recorder = Recorder(json_reply(400, {"message": "nope"}))
    with pytest.raises(BadRequestError) as caught:
        session(recorder).request("GET", URL)
    assert caught.value.detail == '{"message": "nope"}'


def test_legacy_numbers_error_body_on_auth_failure() -> None:
    body = {"error-code": "401", "error-code-label": "authentication failed"}
    recorder = Recorder(json_reply(401, body))
    with pytest.raises(AuthenticationError) as caught:
        session(recorder).request("GET", URL, numbers_hint=lambda c, lbl: "hint")
    assert caught.value.title == "authentication failed"


def test_http_420_becomes_numbers_error_with_hint(oracles_dir: Path) -> None:
    body = example(oracles_dir, "numbers/no_number.json")
    recorder = Recorder(json_reply(420, body))
    with pytest.raises(NumbersError) as caught:
        session(recorder).request(
            "POST", URL, form={"a": "b"}, numbers_hint=lambda code, label: f"hint {code}"
        )
    error = caught.value
    assert (error.status, error.error_code, error.error_code_label) == (420, "420", "method failed")
    assert error.hint == "hint 420"
    assert "method failed. hint 420" in str(error)


# -- secrets ---------------------------------------------------------------------------------


def test_secret_echoed_by_server_is_redacted_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"title": f"bad {API_SECRET}", "detail": f"header {BASIC}", "instance": API_SECRET}
    recorder = Recorder(
        json_reply(503, echo),
        json_reply(503, echo),
        httpx.Response(500, text=f"oops {API_SECRET} {BASIC}"),
        httpx.ConnectError(f"refused {API_SECRET}"),
        httpx.ConnectError(f"refused {API_SECRET}"),
    )
    http = session(recorder, max_retries=1)
    errors: list[Exception] = []
    for _ in range(3):
        with pytest.raises((ApiError, ConnectError)) as caught:
            http.request("GET", URL)
        errors.append(caught.value)
    token = BASIC.removeprefix("Basic ")
    for error in errors:
        assert API_SECRET not in str(error)
        assert token not in str(error)
        assert API_SECRET not in repr(getattr(error, "body", ""))
    assert "***" in str(errors[0])
    assert errors[2].__cause__ is None  # httpx's text held the secret: not chained
    assert API_SECRET not in caplog.text
    assert token not in caplog.text
    assert "retry 1 of 1" in caplog.text


def test_transport_error_keeps_a_harmless_cause() -> None:
    cause = httpx.ConnectError("Connection refused")
    with pytest.raises(ConnectError) as caught:
        session(Recorder(cause), max_retries=0).request("GET", URL)
    assert caught.value.__cause__ is cause
