"""The audit: every rule fires on an example and stays quiet on a clean application."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from tests.tables_helpers import (
    CLEAN_BODY,
    clean_body,
    make_app,
    make_number,
    recorded_app,
    recorded_numbers,
    recorded_page,
)
from vonage_widgets.models import Application, OwnedNumber
from vonage_widgets.tables import AUDIT_COLUMNS, UNKNOWN_APPLICATION, audit

CLEAN_ID = CLEAN_BODY["id"]
VOICE_AND_SMS = {"features": ["VOICE", "SMS"], "app_id": CLEAN_ID}


def clean() -> Application:
    return Application.from_api(clean_body())


def changed(change: Callable[[dict[str, Any]], object]) -> Application:
    """The clean application with ``change`` applied to its body."""
    body = clean_body()
    change(body)
    return Application.from_api(body)


def voice_hooks(body: dict[str, Any]) -> dict[str, Any]:
    hooks: dict[str, Any] = body["capabilities"]["voice"]["webhooks"]
    return hooks


def findings(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(severity, field, finding) of every row."""
    return list(zip(frame["severity"], frame["field"], frame["finding"], strict=True))


@pytest.fixture(autouse=True)
def no_name_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit must judge addresses from their text: any lookup fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"name resolution attempted: {args}")

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, name, refuse)


# ---------------------------------------------------------------- clean input


def test_a_clean_application_has_no_findings() -> None:
    number = make_number("447700900000", **VOICE_AND_SMS)
    assert audit([clean()]).empty
    assert audit([clean()], [number]).empty


def test_empty_input_gives_the_audit_columns() -> None:
    for frame in (audit([]), audit([], []), audit([], None)):
        assert frame.empty
        assert list(frame.columns) == list(AUDIT_COLUMNS)


@pytest.mark.parametrize(
    "address",
    [
        "https://example.com/answer",
        "https://api.example.co.uk:8443/answer?x=1",
        "https://8.8.8.8/answer",
        "https://[2001:4860:4860::8888]/answer",
        "https://abc123.ngrok.app/answer",
        "https://local.example.com/answer",  # "local" as a label, not the .local domain
        "https://user:pw@hooks.example.com/a",
    ],
)
def test_public_https_hosts_are_not_flagged(address: str) -> None:
    app = changed(lambda b: voice_hooks(b)["answer_url"].update(address=address))
    assert audit([app]).empty


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("http://localhost:8000/answer", "points at localhost, a name for the local machine"),
        ("https://app.localhost/answer", "a name for the local machine itself"),
        ("https://printer.local/answer", "a name that only resolves on a local network"),
        ("https://router.home.arpa/a", "a name that only resolves on a local network"),
        ("https://myserver:3000/a", "a name without a domain"),
        ("http://127.0.0.1:8000/answer", "points at 127.0.0.1, a loopback address"),
        ("https://127.1/answer", "a loopback address"),  # short form, read as 127.0.0.1
        ("https://[::1]/answer", "points at ::1, a loopback address"),
        ("https://[::ffff:127.0.0.1]/a", "a loopback address"),
        ("https://0.0.0.0/answer", "the unspecified address"),
        ("https://169.254.10.1/answer", "a link-local address"),
        ("https://[fe80::1]/answer", "a link-local address"),
        ("https://10.1.2.3/answer", "a private-network address"),
        ("https://172.16.0.1/answer", "a private-network address"),
        ("https://192.168.1.20/answer", "a private-network address"),
        ("https://[fd00::1]/answer", "a private-network address"),
        ("https://100.64.0.1/answer", "an address that is not on the public internet"),
    ],
)
def test_addresses_vonage_cannot_reach_are_errors(address: str, reason: str) -> None:
    app = changed(lambda b: voice_hooks(b)["answer_url"].update(address=address))
    frame = audit([app])
    assert findings(frame) == [
        (
            "error",
            "capabilities.voice.webhooks.answer_url.address",
            frame.loc[0, "finding"],
        )
    ]
    assert frame.loc[0, "finding"].startswith(address + " points at ")
    assert reason in frame.loc[0, "finding"]
    assert "tunnel" in frame.loc[0, "advice"]
    assert (frame.loc[0, "application_id"], frame.loc[0, "application"]) == (CLEAN_ID, "Clean shop")


def test_plain_http_on_a_public_host_is_a_warning() -> None:
    def change(body: dict[str, Any]) -> None:
        voice_hooks(body)["event_url"]["address"] = "http://shop.example.com/event"
        body["capabilities"]["messages"]["webhooks"]["status_url"]["address"] = "http://x.io/s"

    assert findings(audit([changed(change)])) == [
        (
            "warning",
            "capabilities.messages.webhooks.status_url.address",
            "http://x.io/s uses plain http",
        ),
        (
            "warning",
            "capabilities.voice.webhooks.event_url.address",
            "http://shop.example.com/event uses plain http",
        ),
    ]


def test_webhooks_of_unknown_capabilities_are_checked_too() -> None:
    def change(body: dict[str, Any]) -> None:
        body["capabilities"]["video"] = {
            "webhooks": {
                "session_created": {"address": "https://10.0.0.5/video", "active": True},
                "stream_created": {"address": "ftp://files.example.com/x", "active": True},
                "render_status": {"address": "https://video.example.com/r", "active": True},
            }
        }

    assert findings(audit([changed(change)])) == [
        (
            "error",
            "capabilities.video.webhooks.session_created.address",
            "https://10.0.0.5/video points at 10.0.0.5, a private-network address",
        ),
        (
            "error",
            "capabilities.video.webhooks.stream_created.address",
            "ftp://files.example.com/x is not an absolute http(s) URL",
        ),
    ]


def test_an_unset_fallback_is_not_an_address_to_judge() -> None:
    # Vonage writes a fallback that is not configured as {"address": ""} [api-notes §1.7].
    def unset(body: dict[str, Any]) -> None:
        voice_hooks(body)["fallback_answer_url"] = {"address": "", "http_method": "GET"}

    def local(body: dict[str, Any]) -> None:
        body["id"] = "00000000-0000-4000-8000-000000000002"
        voice_hooks(body)["fallback_answer_url"] = {"address": "http://localhost:3000/fallback"}

    without_fallback = changed(unset)
    kept = voice_of(without_fallback)["webhooks"]["fallback_answer_url"]
    assert kept == {"address": "", "http_method": "GET"}  # read, kept: the audit sees it
    assert audit([without_fallback]).empty
    no_id = make_app("no id", voice=voice_of(without_fallback))
    assert "fallback_answer_url" not in " ".join(audit([no_id])["field"])
    # Skipping is per application: the same webhook set to a bad address is still flagged.
    fallback = "capabilities.voice.webhooks.fallback_answer_url.address"
    both = audit([without_fallback, changed(local)])
    assert [(f, a) for _, f, a in findings(both) if f == fallback] == [
        (
            fallback,
            "http://localhost:3000/fallback points at localhost, a name for the local machine "
            "itself",
        )
    ]


def voice_of(app: Application) -> dict[str, Any]:
    """The voice capability of ``app`` in wire shape."""
    voice: dict[str, Any] = app.to_api()["capabilities"]["voice"]
    return voice


# ---------------------------------------------------------------- application rules


def _drop(*path: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def _set(value: object, *path: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


APP_RULES = [
    (
        _drop("capabilities", "voice", "webhooks", "answer_url"),
        ("warning", "capabilities.voice.webhooks.answer_url", "voice has no answer_url"),
    ),
    (
        _drop("capabilities", "voice", "webhooks", "event_url"),
        ("warning", "capabilities.voice.webhooks.event_url", "voice has no event_url"),
    ),
    (
        _set(False, "capabilities", "voice", "signed_callbacks"),
        ("info", "capabilities.voice.signed_callbacks", "voice webhooks are not signed"),
    ),
    (
        _set(False, "capabilities", "rtc", "signed_callbacks"),
        ("info", "capabilities.rtc.signed_callbacks", "rtc webhooks are not signed"),
    ),
    (
        _drop("capabilities", "messages", "webhooks", "inbound_url"),
        ("warning", "capabilities.messages.webhooks.inbound_url", "messages has no inbound_url"),
    ),
    (
        _drop("capabilities", "messages", "webhooks", "status_url"),
        ("warning", "capabilities.messages.webhooks.status_url", "messages has no status_url"),
    ),
    (
        _set({}, "capabilities", "verify"),
        ("info", "capabilities.verify.webhooks.status_url", "verify has no status_url"),
    ),
    (_set({}, "capabilities"), ("warning", "capabilities", "has no capabilities")),
    (_drop("capabilities"), ("warning", "capabilities", "has no capabilities")),
]


@pytest.mark.parametrize(("change", "expected"), APP_RULES)
def test_each_application_rule_fires_alone(
    change: Callable[[dict[str, Any]], None], expected: tuple[str, str, str]
) -> None:
    frame = audit([changed(change)])
    assert findings(frame) == [expected]
    assert frame.loc[0, "advice"]


def test_signed_callbacks_left_unset_mean_on() -> None:
    def change(body: dict[str, Any]) -> None:
        del body["capabilities"]["voice"]["signed_callbacks"]

    assert audit([changed(change)]).empty


def test_voice_without_any_webhooks_misses_both() -> None:
    app = make_app("bare voice", "v", voice={"webhooks": {}})
    assert [f[1] for f in findings(audit([app]))] == [
        "capabilities.voice.webhooks.answer_url",
        "capabilities.voice.webhooks.event_url",
    ]


def test_names_shared_by_several_applications() -> None:
    apps = [
        make_app("Shop", "1", vbc={}),
        make_app(" shop ", "2", vbc={}),
        make_app("SHOP", "3", vbc={}),
        make_app("Shop 2", "4", vbc={}),
    ]
    frame = audit(apps)
    assert list(zip(frame["application_id"], frame["field"], frame["finding"], strict=True)) == [
        ("2", "name", "3 applications share this name"),
        ("3", "name", "3 applications share this name"),
        ("1", "name", "3 applications share this name"),
    ]
    assert set(frame["severity"]) == {"warning"}


def test_recorded_applications(oracles_dir: Path) -> None:
    apps = [
        *recorded_page(oracles_dir, "list_applications_multiple_pages.json"),
        recorded_app(oracles_dir, "create_application_basic.json"),
    ]
    frame = audit(apps)
    ids = dict(zip(frame["application"], frame["application_id"], strict=False))
    assert ids["My Application"] == "ba1a6aa3-8ac6-487d-ac5c-be469e77ddb7"
    seen = zip(frame["application"], frame["severity"], frame["field"], strict=True)
    assert list(seen) == [
        ("dev-application", "warning", "capabilities.voice.webhooks.answer_url.address"),
        ("dev-application", "warning", "capabilities.voice.webhooks.event_url.address"),
        ("My Application", "warning", "capabilities"),
        ("My Test Server Application", "warning", "capabilities.voice.webhooks.answer_url.address"),
        ("My Test Server Application", "warning", "capabilities.voice.webhooks.event_url.address"),
        ("test-application", "warning", "capabilities.voice.webhooks.answer_url"),
        ("test-application", "warning", "capabilities.voice.webhooks.event_url"),
    ]


# ---------------------------------------------------------------- number rules


def test_a_number_linked_to_a_missing_application_is_an_error(oracles_dir: Path) -> None:
    numbers = recorded_numbers(oracles_dir, "list_owned_numbers_basic.json")
    frame = audit([clean()], numbers)
    assert findings(frame) == [
        (
            "error",
            "numbers.447007000000.app_id",
            "number 447007000000 is linked to an application that does not exist",
        ),
        ("info", "capabilities.voice", "no number sends calls to this application"),
    ]
    assert frame.loc[0, "application_id"] == "29f769u7-7ce1-46c9-ade3-f2dedee4fr4t"
    assert frame.loc[0, "application"] == UNKNOWN_APPLICATION


def test_voice_applications_without_a_number_only_when_numbers_are_given() -> None:
    assert audit([clean()]).empty
    assert findings(audit([clean()], [])) == [
        ("info", "capabilities.voice", "no number sends calls to this application")
    ]
    sms_only = make_number("447700900000", features=["SMS"], app_id=CLEAN_ID)
    assert findings(audit([clean()], [sms_only])) == [
        ("info", "capabilities.voice", "no number sends calls to this application")
    ]


@pytest.mark.parametrize(
    ("capabilities", "number", "expected"),
    [
        (
            {"messages": {"webhooks": {"inbound_url": {"address": "https://m.example.com/i"},
                                       "status_url": {"address": "https://m.example.com/s"}}}},
            {"features": ["VOICE"]},
            ("warning", "number 447700900000 has VOICE, which the application cannot use: "
                        "it has no voice capability"),
        ),
        (
            {"vbc": {}},
            {"features": ["SMS"]},
            ("warning", "number 447700900000 has SMS, which the application cannot use: "
                        "it has no messages capability"),
        ),
        (
            {"vbc": {}},
            {"features": ["VOICE", "SMS", "MMS"]},
            ("warning", "number 447700900000 has MMS, SMS, VOICE, which the application cannot "
                        "use: it has no messages or voice capability"),
        ),
    ],
)  # fmt: skip
def test_numbers_whose_features_the_application_cannot_use(
    capabilities: dict[str, Any], number: dict[str, Any], expected: tuple[str, str]
) -> None:
    app = make_app("Narrow", "n", **capabilities)
    frame = audit([app], [make_number("447700900000", app_id="n", **number)])
    assert findings(frame) == [(expected[0], "numbers.447700900000.features", expected[1])]
    assert frame.loc[0, "application"] == "Narrow"


def test_a_voice_app_with_a_voice_and_sms_number_is_told_about_sms_only() -> None:
    app = changed(_drop("capabilities", "messages"))
    frame = audit([app], [make_number("447700900000", **VOICE_AND_SMS)])
    assert findings(frame) == [
        (
            "info",
            "numbers.447700900000.features",
            "number 447700900000 has SMS, which the application cannot use: "
            "it has no messages capability",
        )
    ]


def test_sms_through_the_numbers_own_webhook_needs_no_messages_capability() -> None:
    app = changed(_drop("capabilities", "messages"))
    number = make_number("447700900000", moHttpUrl="https://sms.example.com/in", **VOICE_AND_SMS)
    assert audit([app], [number]).empty


def test_a_sip_or_tel_callback_bypasses_the_application() -> None:
    number = make_number(
        "447700900000", voiceCallbackType="tel", voiceCallbackValue="447700900999", **VOICE_AND_SMS
    )
    assert findings(audit([clean()], [number])) == [
        ("info", "capabilities.voice", "no number sends calls to this application"),
        (
            "info",
            "numbers.447700900000.voiceCallbackType",
            "calls to number 447700900000 go to tel 447700900999, not to the application's "
            "answer_url",
        ),
    ]


def test_a_number_linked_the_old_way_counts_as_linked() -> None:
    number = make_number(
        "447700900000", features=["VOICE"], voiceCallbackType="app", voiceCallbackValue=CLEAN_ID
    )
    assert audit([clean()], [number]).empty


# ---------------------------------------------------------------- order


def test_order_is_severity_then_application_then_field_whatever_the_input_order() -> None:
    apps = [
        make_app("b", "2", voice={"webhooks": {"answer_url": {"address": "http://localhost/a"}}}),
        make_app("A", "1", voice={"signed_callbacks": False, "webhooks": {}}),
        make_app("c", "3"),
        clean(),
    ]
    numbers: list[OwnedNumber] = [
        make_number("447700900001", features=["VOICE"], app_id="gone"),
        make_number("447700900002", features=["SMS"], app_id="3"),
    ]
    first = audit(apps, numbers)
    for order in itertools.permutations(apps):
        assert_frame_equal(audit(order, list(reversed(numbers))), first)
    assert list(zip(first["severity"], first["application"], first["field"], strict=True)) == [
        ("error", UNKNOWN_APPLICATION, "numbers.447700900001.app_id"),
        ("error", "b", "capabilities.voice.webhooks.answer_url.address"),
        ("warning", "A", "capabilities.voice.webhooks.answer_url"),
        ("warning", "A", "capabilities.voice.webhooks.event_url"),
        ("warning", "b", "capabilities.voice.webhooks.event_url"),
        ("warning", "c", "capabilities"),
        ("warning", "c", "numbers.447700900002.features"),
        ("info", "A", "capabilities.voice"),
        ("info", "A", "capabilities.voice.signed_callbacks"),
        ("info", "b", "capabilities.voice"),
        ("info", "Clean shop", "capabilities.voice"),
    ]
    assert list(first.index) == list(range(len(first)))
