"""Every rule of the application models: a bad value gives the exact wire path and a message
naming the rule; good values at the limits pass; unknown data is kept; secrets stay hidden."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

import pytest

from vonage_widgets.errors import ApiError, FieldError, ValidationError
from vonage_widgets.models import (
    ADDRESS_RULE,
    COUNTRY_RULE,
    MSISDN_RULE,
    NAME_MAX_LENGTH,
    Application,
    ApplicationPage,
    NumbersPage,
    ProblemDetails,
    capability,
    validate_application,
    validate_country,
    validate_msisdn,
    webhook_spec,
)

VOICE = "capabilities.voice"
ANSWER = f"{VOICE}.webhooks.answer_url"
FALLBACK = f"{VOICE}.webhooks.fallback_answer_url"
EVENT = f"{VOICE}.webhooks.event_url"
INBOUND = "capabilities.messages.webhooks.inbound_url"
STATUS = "capabilities.messages.webhooks.status_url"
RTC_EVENT = "capabilities.rtc.webhooks.event_url"
VERIFY_STATUS = "capabilities.verify.webhooks.status_url"

PRIVATE_PEM = "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n"


def valid_body() -> dict[str, Any]:
    """A body that sets every modelled field to a valid value."""

    def hook(address: str, method: str, **timeouts: int) -> dict[str, Any]:
        return {"address": address, "http_method": method, **timeouts}

    return {
        "name": "Support line",
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": hook(
                        "https://example.com/answer",
                        "GET",
                        connect_timeout=500,
                        socket_timeout=3000,
                    ),
                    "fallback_answer_url": hook(
                        "https://example.com/fallback",
                        "POST",
                        connect_timeout=500,
                        socket_timeout=3000,
                    ),
                    "event_url": hook(
                        "https://example.com/event",
                        "POST",
                        connect_timeout=500,
                        socket_timeout=8000,
                    ),
                },
                "signed_callbacks": True,
                "conversations_ttl": 48,
                "leg_persistence_time": 7,
                "region": "eu-west",
            },
            "messages": {
                "webhooks": {
                    "inbound_url": hook("https://example.com/inbound", "POST"),
                    "status_url": hook("https://example.com/status", "POST"),
                },
                "version": "v1",
                "authenticate_inbound_media": False,
            },
            "rtc": {
                "webhooks": {"event_url": hook("https://example.com/rtc", "GET")},
                "signed_callbacks": False,
            },
            "verify": {
                "webhooks": {"status_url": hook("https://example.com/verify", "POST")},
                "version": "v2",
            },
            "vbc": {},
        },
        "keys": {"public_key": "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n"},
        "privacy": {"improve_ai": False},
    }


def with_value(path: str, value: Any) -> dict[str, Any]:
    """``valid_body()`` with the field at dotted ``path`` set (or removed, for ``MISSING``)."""
    body = valid_body()
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[part]
    if value is MISSING:
        del target[last]
    else:
        target[last] = value
    return body


MISSING = object()

ANSWER_CONNECT = "must be between 300 and 1000 (milliseconds)"
ANSWER_SOCKET = "must be between 1000 and 5000 (milliseconds)"
EVENT_SOCKET = "must be between 1000 and 10000 (milliseconds)"
WHOLE = "must be a whole number"
BOOL = "must be true or false"
GET_OR_POST = "must be one of: GET, POST"
POST_ONLY = "must be POST: this webhook only accepts POST"
OBJECT = "must be a JSON object"
REGIONS = "must be one of: na-east, na-west, eu-east, eu-west, apac-sng, apac-australia"

# (path, bad value, expected message): the error must appear at exactly this path.
BAD_VALUES: list[tuple[str, Any, str]] = [
    ("name", MISSING, "is required"),
    ("name", "", "must not be empty or only spaces"),
    ("name", "   \t", "must not be empty or only spaces"),
    ("name", "x" * (NAME_MAX_LENGTH + 1), f"must be at most {NAME_MAX_LENGTH} characters"),
    ("name", 42, "must be a string"),
    ("id", 42, "must be a string"),
    ("_links", "self", OBJECT),
    ("capabilities", "voice", OBJECT),
    ("capabilities", [], OBJECT),
    (VOICE, [], OBJECT),
    (f"{VOICE}.webhooks", "https://example.com", OBJECT),
    (ANSWER, "https://example.com/answer", OBJECT),
    (f"{ANSWER}.address", MISSING, "is required"),
    (f"{ANSWER}.address", "", ADDRESS_RULE),
    (f"{ANSWER}.address", "example.com/answer", ADDRESS_RULE),
    (f"{ANSWER}.address", "ftp://example.com/answer", ADDRESS_RULE),
    (f"{ANSWER}.address", "https://", ADDRESS_RULE),
    (f"{ANSWER}.address", "http:///answer", ADDRESS_RULE),
    (f"{ANSWER}.address", "https://exa mple.com/answer", ADDRESS_RULE),
    (f"{ANSWER}.address", "https://example.com:port/answer", ADDRESS_RULE),
    (f"{ANSWER}.address", "/answer", ADDRESS_RULE),
    (f"{ANSWER}.address", 7, "must be a string"),
    (f"{ANSWER}.http_method", "PUT", GET_OR_POST),
    (f"{ANSWER}.http_method", "get", GET_OR_POST),
    (f"{ANSWER}.http_method", 1, GET_OR_POST),
    (f"{ANSWER}.connect_timeout", 299, ANSWER_CONNECT),
    (f"{ANSWER}.connect_timeout", 1001, ANSWER_CONNECT),
    (f"{ANSWER}.connect_timeout", True, WHOLE),
    (f"{ANSWER}.connect_timeout", "500", WHOLE),
    (f"{ANSWER}.connect_timeout", 500.5, WHOLE),
    (f"{ANSWER}.socket_timeout", 999, ANSWER_SOCKET),
    (f"{ANSWER}.socket_timeout", 5001, ANSWER_SOCKET),
    (f"{FALLBACK}.address", "fallback", ADDRESS_RULE),
    (f"{FALLBACK}.http_method", "DELETE", GET_OR_POST),
    (f"{FALLBACK}.connect_timeout", 1001, ANSWER_CONNECT),
    (f"{FALLBACK}.socket_timeout", 5001, ANSWER_SOCKET),
    (f"{EVENT}.address", "mailto:someone@example.com", ADDRESS_RULE),
    (f"{EVENT}.http_method", "PATCH", GET_OR_POST),
    (f"{EVENT}.connect_timeout", 200, ANSWER_CONNECT),
    (f"{EVENT}.socket_timeout", 999, EVENT_SOCKET),
    (f"{EVENT}.socket_timeout", 10001, EVENT_SOCKET),
    (f"{EVENT}.socket_timeout", False, WHOLE),
    (f"{VOICE}.signed_callbacks", 1, BOOL),
    (f"{VOICE}.signed_callbacks", "true", BOOL),
    (f"{VOICE}.conversations_ttl", 0, "must be between 1 and 9000 (hours)"),
    (f"{VOICE}.conversations_ttl", 9001, "must be between 1 and 9000 (hours)"),
    (f"{VOICE}.conversations_ttl", True, WHOLE),
    (f"{VOICE}.leg_persistence_time", 0, "must be between 1 and 31 (days)"),
    (f"{VOICE}.leg_persistence_time", 32, "must be between 1 and 31 (days)"),
    (f"{VOICE}.leg_persistence_time", 7.0, WHOLE),
    (f"{VOICE}.region", "mars", REGIONS),
    (f"{VOICE}.region", "EU-WEST", REGIONS),
    (f"{INBOUND}.address", "inbound", ADDRESS_RULE),
    (f"{INBOUND}.http_method", "GET", POST_ONLY),
    (f"{STATUS}.http_method", "GET", POST_ONLY),
    ("capabilities.messages.version", "v2", "must be one of: v0.1, v1"),
    ("capabilities.messages.authenticate_inbound_media", "yes", BOOL),
    (f"{RTC_EVENT}.http_method", "PUT", GET_OR_POST),
    (f"{RTC_EVENT}.address", "not a url", ADDRESS_RULE),
    ("capabilities.rtc.signed_callbacks", 0, BOOL),
    (f"{VERIFY_STATUS}.http_method", "GET", POST_ONLY),
    ("capabilities.verify.version", "v1", "must be v2"),
    ("capabilities.vbc", "on", OBJECT),
    ("keys", "abc", OBJECT),
    ("keys.public_key", 5, "must be a string"),
    ("privacy", True, OBJECT),
    ("privacy.improve_ai", "no", BOOL),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_VALUES)
def test_bad_value_is_reported_at_its_path(path: str, value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_application(with_value(path, value))
    assert caught.value.errors == [FieldError(path, message)]
    assert caught.value.subject == "application"


def test_the_table_covers_every_webhook_and_setting() -> None:
    tested = {path for path, _value, _message in BAD_VALUES}
    for cap in ("voice", "messages", "rtc", "verify"):
        spec = capability(cap)
        for hook in spec.webhooks:
            base = f"capabilities.{cap}.webhooks.{hook.name}"
            assert f"{base}.http_method" in tested
            assert f"{base}.address" in tested or cap in ("messages", "verify")
            for timeout in ("connect_timeout", "socket_timeout"):
                if getattr(hook, timeout) is not None:
                    assert f"{base}.{timeout}" in tested
        for setting in spec.settings:
            assert f"capabilities.{cap}.{setting.name}" in tested


@pytest.mark.parametrize("value", [[], "name", 42, None, True, 1.5, [{"name": "x"}]])
def test_not_an_object_is_one_error_for_the_whole_document(value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_application(value)
    assert caught.value.errors == [FieldError("", "must be a JSON object")]


def test_every_problem_is_reported_together() -> None:
    body = with_value("name", "")
    body["capabilities"]["voice"]["webhooks"]["answer_url"]["socket_timeout"] = 6000
    body["capabilities"]["voice"]["webhooks"]["event_url"]["address"] = "nowhere"
    body["capabilities"]["voice"]["region"] = "mars"
    body["capabilities"]["messages"]["webhooks"]["status_url"]["http_method"] = "GET"
    body["privacy"]["improve_ai"] = 1
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert caught.value.errors == [
        FieldError("name", "must not be empty or only spaces"),
        FieldError(f"{ANSWER}.socket_timeout", ANSWER_SOCKET),
        FieldError(f"{EVENT}.address", ADDRESS_RULE),
        FieldError(f"{VOICE}.region", REGIONS),
        FieldError(f"{STATUS}.http_method", POST_ONLY),
        FieldError("privacy.improve_ai", BOOL),
    ]
    text = str(caught.value)
    assert "6 problems" in text
    assert all(e.path in text for e in caught.value.errors)


def test_messages_never_leak_pydantic_wording_or_links() -> None:
    for path, value, _message in BAD_VALUES:
        with pytest.raises(ValidationError) as caught:
            validate_application(with_value(path, value))
        text = str(caught.value)
        for noise in ("pydantic", "errors.pydantic.dev", "Input should", "type="):
            assert noise not in text, (path, text)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (f"{ANSWER}.connect_timeout", 300),
        (f"{ANSWER}.connect_timeout", 1000),
        (f"{ANSWER}.socket_timeout", 1000),
        (f"{ANSWER}.socket_timeout", 5000),
        (f"{FALLBACK}.socket_timeout", 5000),
        (f"{EVENT}.socket_timeout", 10000),
        (f"{VOICE}.conversations_ttl", 1),
        (f"{VOICE}.conversations_ttl", 9000),
        (f"{VOICE}.leg_persistence_time", 1),
        (f"{VOICE}.leg_persistence_time", 31),
        (f"{VOICE}.region", "apac-australia"),
        ("capabilities.messages.version", "v0.1"),
        (f"{ANSWER}.address", "http://localhost:8080/answer?x=1#y"),
        (f"{ANSWER}.address", "https://[::1]:8443/answer"),
        (f"{ANSWER}.address", "HTTPS://EXAMPLE.COM/answer"),
        ("name", "x" * NAME_MAX_LENGTH),
        ("name", "  padded  "),
    ],
)
def test_values_at_the_limits_pass_and_are_kept(path: str, value: Any) -> None:
    body = with_value(path, value)
    assert validate_application(body).to_api() == body


def test_every_modelled_field_can_be_absent() -> None:
    app = validate_application({"name": "minimal"})
    assert app.to_api() == {"name": "minimal"}
    assert app.to_dict() == {"name": "minimal"}


def test_absent_fields_stay_absent_but_report_their_api_default() -> None:
    body = {
        "name": "a",
        "capabilities": {
            "voice": {"webhooks": {"answer_url": {"address": "https://example.com/answer"}}}
        },
    }
    app = validate_application(body)
    assert app.to_api() == body
    assert app.capabilities is not None
    voice = app.capabilities.voice
    assert voice is not None
    assert voice.webhooks is not None
    answer = voice.webhooks.answer_url
    assert answer is not None
    assert answer.connect_timeout is None
    spec = webhook_spec("voice", "answer_url")
    assert spec.connect_timeout is not None
    assert spec.socket_timeout is not None
    assert answer.effective("connect_timeout") == spec.connect_timeout.default
    assert answer.effective("socket_timeout") == spec.socket_timeout.default
    assert answer.effective("http_method") == spec.default_method
    assert (
        voice.effective("conversations_ttl")
        == capability("voice").setting("conversations_ttl").default
    )


def test_null_on_a_known_field_means_absent() -> None:
    body = valid_body()
    body["capabilities"]["voice"]["region"] = None
    body["capabilities"]["voice"]["webhooks"]["answer_url"]["connect_timeout"] = None
    body["privacy"] = None
    out = validate_application(body).to_api()
    assert "region" not in out["capabilities"]["voice"]
    assert "connect_timeout" not in out["capabilities"]["voice"]["webhooks"]["answer_url"]
    assert "privacy" not in out


def test_null_name_is_reported_as_required() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_application({"name": None})
    assert caught.value.errors == [FieldError("name", "is required")]


def test_old_timeout_name_is_read_and_written_as_connect_timeout() -> None:
    body = valid_body()
    answer = body["capabilities"]["voice"]["webhooks"]["answer_url"]
    answer["connection_timeout"] = answer.pop("connect_timeout")
    out = validate_application(body).to_api()
    assert out == valid_body()
    assert "connection_timeout" not in json.dumps(out)


def test_old_timeout_name_is_checked_against_the_same_limits() -> None:
    body = valid_body()
    answer = body["capabilities"]["voice"]["webhooks"]["answer_url"]
    del answer["connect_timeout"]
    answer["connection_timeout"] = 50
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert caught.value.errors == [FieldError(f"{ANSWER}.connect_timeout", ANSWER_CONNECT)]


def test_old_and_new_timeout_names_must_agree() -> None:
    body = valid_body()
    body["capabilities"]["voice"]["webhooks"]["event_url"]["connection_timeout"] = 900
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert caught.value.paths == [f"{EVENT}.connection_timeout"]
    assert "old name of connect_timeout" in caught.value.errors[0].message
    agreeing = valid_body()
    agreeing["capabilities"]["voice"]["webhooks"]["event_url"]["connection_timeout"] = 500
    assert validate_application(agreeing).to_api() == valid_body()


# -- an unset fallback written as {"address": ""} [api-notes §1.7] ----------


def unset_fallback_response() -> dict[str, Any]:
    """A GET response shaped like Vonage's 2021 docs: no fallback, written with address ""."""
    return {
        "id": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "name": "Support line",
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {"address": "https://example.com/answer", "http_method": "GET"},
                    "fallback_answer_url": {"address": "", "http_method": "GET"},
                    "event_url": {"address": "https://example.com/event", "http_method": "POST"},
                },
                "signed_callbacks": True,
            }
        },
        "keys": {"public_key": "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n"},
        "_links": {"self": {"href": "/v2/applications/aaaaaaaa-bbbb-cccc-dddd-0123456789ab"}},
    }


def test_unset_fallback_in_a_response_is_read_as_not_configured() -> None:
    app = Application.from_api(unset_fallback_response())
    assert app.capabilities is not None
    assert app.capabilities.voice is not None
    hooks = app.capabilities.voice.webhooks
    assert hooks is not None
    assert hooks.fallback_answer_url is not None
    assert hooks.fallback_answer_url.address == ""
    assert hooks.fallback_answer_url.configured is False
    assert hooks.answer_url is not None
    assert hooks.answer_url.configured is True


def test_unset_fallback_round_trips_exactly() -> None:
    body = unset_fallback_response()
    app = Application.from_api(copy.deepcopy(body))
    assert app.to_dict() == body
    assert json.dumps(app.to_dict()) == json.dumps(body)  # same key order too
    request = app.to_api()
    assert request["capabilities"]["voice"]["webhooks"]["fallback_answer_url"] == {
        "address": "",
        "http_method": "GET",
    }
    # What a client sends back on PUT passes the one request check, unchanged.
    assert validate_application(request).to_api() == request
    page = {
        "page": 1,
        "page_size": 10,
        "total_items": 1,
        "total_pages": 1,
        "_embedded": {"applications": [body]},
    }
    assert ApplicationPage.from_api(copy.deepcopy(page)).to_dict() == page


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (f"{FALLBACK}.address", " "),  # only "" exactly means unset
        (f"{FALLBACK}.address", "\t"),
        (f"{EVENT}.address", ""),  # no source shows Vonage writing "" elsewhere
        (f"{INBOUND}.address", ""),
        (f"{STATUS}.address", ""),
        (f"{RTC_EVENT}.address", ""),
        (f"{VERIFY_STATUS}.address", ""),
    ],
)
def test_empty_address_is_still_refused_everywhere_else(path: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_application(with_value(path, value))
    assert caught.value.errors == [FieldError(path, ADDRESS_RULE)]


def test_unset_fallback_keeps_the_other_fallback_rules() -> None:
    body = with_value(f"{FALLBACK}.address", "")
    body["capabilities"]["voice"]["webhooks"]["fallback_answer_url"]["socket_timeout"] = 5001
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert caught.value.errors == [FieldError(f"{FALLBACK}.socket_timeout", ANSWER_SOCKET)]


def test_unknown_capabilities_and_fields_are_kept_verbatim_at_every_level() -> None:
    body = valid_body()
    body["capabilities"]["video"] = {
        "webhooks": {"archive_status": {"address": "https://example.com/v", "active": True}},
        "storage": {"end_to_end_encryption": False, "cloud_storage": None},
    }
    body["capabilities"]["network_apis"] = {"redirect_uri": "https://example.com/cb"}
    body["capabilities"]["brand_new"] = [1, "two", None, {"three": 3.5}]
    body["capabilities"]["voice"]["payment_enabled"] = True
    body["capabilities"]["voice"]["webhooks"]["answer_url"]["x_custom"] = {"k": [None]}
    body["capabilities"]["voice"]["webhooks"]["future_url"] = {"address": "anything"}
    body["capabilities"]["messages"]["webhooks"]["status_url"]["secret"] = "kept"
    body["capabilities"]["vbc"] = {"unexpected": 1}
    body["privacy"]["future_flag"] = True
    body["keys"]["algorithm"] = "RS256"
    body["top_level_extra"] = None
    original = copy.deepcopy(body)
    app = validate_application(body)
    assert app.to_api() == original
    assert body == original  # the input is not changed


def test_python_field_names_in_a_body_are_unknown_keys_not_aliases() -> None:
    body = {"name": "n", "links": {"self": "not the HAL links"}, "embedded": 1}
    app = validate_application(body)
    assert app.links is None
    assert app.to_dict() == body
    page_body = {
        "page": 1,
        "page_size": 1,
        "total_items": 0,
        "total_pages": 0,
        "_embedded": {},
        "applications": ["not embedded"],
        "links": 2,
    }
    page = ApplicationPage.from_api(page_body)
    assert page.applications == []
    assert page.to_dict() == page_body


def test_output_never_shares_objects_with_the_model() -> None:
    body = valid_body()
    body["capabilities"]["video"] = {"webhooks": {"a": {"address": "x"}}}
    app = validate_application(body)
    first = app.to_api()
    first["capabilities"]["video"]["webhooks"]["a"]["address"] = "changed"
    assert app.to_api()["capabilities"]["video"]["webhooks"]["a"]["address"] == "x"


def test_an_application_instance_is_checked_again() -> None:
    app = validate_application(valid_body())
    app.name = "   "
    with pytest.raises(ValidationError) as caught:
        validate_application(app)
    assert caught.value.paths == ["name"]


def test_assigned_capability_is_written() -> None:
    app = validate_application({"name": "grow"})
    app.capabilities = validate_application(valid_body()).capabilities
    assert app.to_api()["capabilities"] == valid_body()["capabilities"]


def test_to_api_leaves_out_id_links_and_a_lone_private_key() -> None:
    body = {
        "id": "app-1",
        "name": "n",
        "keys": {"private_key": PRIVATE_PEM},
        "_links": {"self": {"href": "/v2/applications/app-1"}},
    }
    app = validate_application(body)
    assert app.to_api() == {"name": "n"}
    assert app.to_dict() == {
        "id": "app-1",
        "name": "n",
        "keys": {},
        "_links": {"self": {"href": "/v2/applications/app-1"}},
    }


def test_private_key_never_shows() -> None:
    body = valid_body()
    body["keys"]["private_key"] = PRIVATE_PEM
    app = Application.from_api(body)
    assert app.keys is not None
    assert app.keys.private_key is not None
    assert app.keys.private_key.get_secret_value() == PRIVATE_PEM
    shown = [
        repr(app),
        str(app),
        repr(app.keys),
        str(app.keys),
        json.dumps(app.to_api()),
        json.dumps(app.to_dict()),
        app.model_dump_json(),
        repr(app.model_dump()),
    ]
    for text in shown:
        assert "TOP-SECRET" not in text
        assert "PRIVATE KEY" not in text


def test_private_key_never_shows_in_errors() -> None:
    body = valid_body()
    body["name"] = ""
    body["keys"]["private_key"] = PRIVATE_PEM
    body["keys"]["public_key"] = 17  # a wrong type next to the secret
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert "TOP-SECRET" not in str(caught.value)
    assert "TOP-SECRET" not in repr(caught.value.errors)
    body["keys"]["private_key"] = 12345  # a non-string private key: reported, not echoed
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    assert "keys.private_key" in caught.value.paths
    assert "12345" not in str(caught.value)


def test_validation_errors_become_the_sandbox_problem_body_and_back() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_application(with_value(f"{INBOUND}.http_method", "GET"))
    problem = ProblemDetails.validation(caught.value.errors, instance="trace-1").to_dict()
    assert problem == {
        "type": "https://developer.vonage.com/api-errors/application#payload-validation",
        "title": "Bad Request",
        "detail": "The request failed due to validation errors",
        "instance": "trace-1",
        "invalid_parameters": [{"name": f"{INBOUND}.http_method", "reason": POST_ONLY}],
    }
    assert ProblemDetails.from_api(problem).field_errors() == caught.value.errors
    assert ApiError.from_problem(400, problem).invalid_parameters == caught.value.errors


def test_validation_is_thread_safe() -> None:
    good = valid_body()
    bad = with_value(f"{EVENT}.socket_timeout", 10001)
    failures: list[str] = []

    def work() -> None:
        for _ in range(50):
            if validate_application(good).to_api() != good:
                failures.append("good body changed")
            try:
                validate_application(bad)
                failures.append("bad body passed")
            except ValidationError as exc:
                if exc.errors != [FieldError(f"{EVENT}.socket_timeout", EVENT_SOCKET)]:
                    failures.append(str(exc))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert failures == []


def test_page_errors_use_the_hal_path() -> None:
    body = {
        "page": 1,
        "page_size": 10,
        "total_items": 1,
        "total_pages": "1",
        "_embedded": {"applications": [{"name": "ok"}, {"name": ""}]},
        "_links": {"self": {"href": "/v2/applications?page=1"}},
    }
    with pytest.raises(ValidationError) as caught:
        ApplicationPage.from_api(body)
    assert caught.value.errors == [
        FieldError("total_pages", WHOLE),
        FieldError("_embedded.applications.1.name", "must not be empty or only spaces"),
    ]


def test_page_built_in_python_writes_hal() -> None:
    page = ApplicationPage(
        page=1,
        page_size=10,
        total_items=1,
        total_pages=1,
        applications=[Application(name="a", id="1")],
        links={"self": {"href": "/v2/applications?page_size=10&page=1"}},
    )
    assert page.to_dict() == {
        "page": 1,
        "page_size": 10,
        "total_items": 1,
        "total_pages": 1,
        "_embedded": {"applications": [{"id": "1", "name": "a"}]},
        "_links": {"self": {"href": "/v2/applications?page_size=10&page=1"}},
    }
    assert ApplicationPage.from_api(page.to_dict()).to_dict() == page.to_dict()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("447700900000", "447700900000"),
        ("+14155550100", "14155550100"),
        (" 4930123456 ", "4930123456"),
        ("1234567", "1234567"),
        ("123456789012345", "123456789012345"),
    ],
)
def test_msisdn_accepted_and_normalised(given: str, expected: str) -> None:
    assert validate_msisdn(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        "0447700900000",
        "123456",
        "1234567890123456",
        "44 7700 900000",
        "44-77009",
        "++447700900000",
        "44770090000a",
        "٤٤٧٧٠٠٩٠٠٠٠٠",
    ],
)
def test_msisdn_rejected_with_the_rule(given: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_msisdn(given, field="numbers.0.msisdn")
    assert caught.value.errors == [FieldError("numbers.0.msisdn", MSISDN_RULE)]


def test_msisdn_must_be_text() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_msisdn(447700900000)
    assert caught.value.errors == [FieldError("msisdn", "must be a string of digits")]


@pytest.mark.parametrize(("given", "expected"), [("GB", "GB"), ("us", "US"), (" de ", "DE")])
def test_country_accepted_and_upper_cased(given: str, expected: str) -> None:
    assert validate_country(given) == expected


@pytest.mark.parametrize("given", ["", "G", "GBR", "G1", "12", "É1", "ÉÉ"])
def test_country_rejected_with_the_rule(given: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_country(given)
    assert caught.value.errors == [FieldError("country", COUNTRY_RULE)]


def test_owned_number_fields_are_checked_at_their_paths() -> None:
    body = {
        "count": -1,
        "numbers": [
            {"country": "GB", "msisdn": "447700900000"},
            {
                "country": "G",
                "msisdn": "0",
                "features": "VOICE",
                "limitations": [{"feature": "FAX", "type": "INBOUND", "reach": "DOMESTIC"}],
            },
        ],
    }
    with pytest.raises(ValidationError) as caught:
        NumbersPage.from_api(body)
    assert caught.value.errors == [
        FieldError("count", "must be at least 0"),
        FieldError("numbers.1.country", COUNTRY_RULE),
        FieldError("numbers.1.msisdn", MSISDN_RULE),
        FieldError("numbers.1.features", "must be a list"),
        FieldError("numbers.1.limitations.0.feature", "must be one of: MMS, SMS, VOICE"),
    ]


def test_catalog_lookups_fail_with_a_clear_message() -> None:
    with pytest.raises(ValidationError) as caught:
        capability("video")
    assert caught.value.paths == ["capabilities.video"]
    assert "voice" in caught.value.errors[0].message
    with pytest.raises(ValidationError) as caught:
        webhook_spec("voice", "status_url")
    assert caught.value.paths == ["capabilities.voice.webhooks.status_url"]
    assert "answer_url" in caught.value.errors[0].message


def test_secrets_inside_kept_capabilities_never_show_in_repr() -> None:
    # Video webhooks carry a signing secret; the capability is kept as plain JSON.
    hook = {"address": "https://example.com/archive", "active": True, "secret": "vid-s3cret-42"}
    body = {"name": "video app", "capabilities": {"video": {"webhooks": {"archive_status": hook}}}}
    app = validate_application(body)
    for text in (repr(app), str(app), repr(app.capabilities)):
        assert "vid-s3cret-42" not in text
        assert "'secret': '***'" in text
    # The body itself is untouched: the secret goes back to Vonage on update.
    assert app.to_api()["capabilities"]["video"]["webhooks"]["archive_status"] == hook
