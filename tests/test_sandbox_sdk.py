"""The official Vonage Python SDK (unmodified) against the sandbox over HTTPS on loopback."""

from __future__ import annotations

import inspect

import pytest
from vonage import Auth, HttpClientOptions, Vonage
from vonage_application import ApplicationConfig, ListApplicationsFilter
from vonage_http_client.errors import AuthenticationError, HttpRequestError, NotFoundError
from vonage_numbers import ListOwnedNumbersFilter, UpdateNumberParams

# One HTTPS sandbox for the whole module: these tests tolerate each other's applications.
from tests.sandbox_helpers import client, key_pair, voice_app, vonage
from tests.sandbox_helpers import module_tls_sandbox as tls_sandbox
from vonage_widgets.keys import keys_match
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.app import build_app
from vonage_widgets.sandbox.numbers import SEED_NUMBERS

__all__ = ["tls_sandbox", "vonage"]  # fixtures used here


def _all_applications(vonage: Vonage, page_size: int) -> list[str]:
    ids: list[str] = []
    page: int | None = 1
    for _ in range(100):  # bounded: never more pages than this
        apps, page = vonage.application.list_applications(
            ListApplicationsFilter(page_size=page_size, page=page)
        )
        ids += [app.id for app in apps]
        if page is None:
            return ids
    raise AssertionError("the SDK never reached the last page")


def test_create_without_public_key_returns_private_key_once(vonage: Vonage) -> None:
    created = vonage.application.create_application(ApplicationConfig(name="generated keys"))
    assert created.keys is not None
    assert created.keys.public_key
    private = (created.keys.model_extra or {}).get("private_key")
    assert private
    assert private.startswith("-----BEGIN PRIVATE KEY-----")
    assert keys_match(private, created.keys.public_key)
    fetched = vonage.application.get_application(created.id)
    assert fetched.keys is not None
    assert fetched.keys.public_key == created.keys.public_key
    assert "private_key" not in (fetched.keys.model_extra or {})


def test_create_with_public_key_get_update_delete(vonage: Vonage) -> None:
    body = voice_app("sdk voice")
    created = vonage.application.create_application(ApplicationConfig(**body))
    assert created.keys is not None
    assert created.keys.public_key == key_pair().public_pem
    assert "private_key" not in (created.keys.model_extra or {})
    answer = created.capabilities.voice.webhooks.answer_url  # type: ignore[union-attr]
    assert (answer.address, answer.http_method, answer.connect_timeout) == (
        "https://example.com/answer",
        "GET",
        500,
    )
    assert created.link == f"/v2/applications/{created.id}"

    fetched = vonage.application.get_application(created.id)
    assert fetched.name == "sdk voice"
    assert fetched.capabilities.voice.conversations_ttl == 48  # type: ignore[union-attr]

    updated = vonage.application.update_application(
        created.id,
        ApplicationConfig(
            name="sdk renamed",
            capabilities={"messages": {"version": "v1", "authenticate_inbound_media": True}},
        ),
    )
    assert updated.name == "sdk renamed"
    assert updated.capabilities.voice is None  # type: ignore[union-attr]  # replaced
    assert updated.capabilities.messages.version == "v1"  # type: ignore[union-attr]
    assert updated.keys.public_key == key_pair().public_pem  # type: ignore[union-attr]  # kept
    assert vonage.application.get_application(created.id).name == "sdk renamed"

    vonage.application.delete_application(created.id)
    with pytest.raises(NotFoundError):
        vonage.application.get_application(created.id)


def test_list_every_page(vonage: Vonage, tls_sandbox: Sandbox) -> None:
    with client(tls_sandbox) as http:
        made = [http.post("/v2/applications", json=voice_app(f"bulk {i}")) for i in range(101)]
    assert all(r.status_code == 201 for r in made)
    new_ids = [r.json()["id"] for r in made]
    by_hundred = _all_applications(vonage, 100)  # the SDK's default page size
    by_seven = _all_applications(vonage, 7)
    assert by_hundred == by_seven
    assert len(by_hundred) == len(set(by_hundred)) >= 101
    assert by_hundred[-101:] == new_ids  # oldest first, nothing lost or repeated
    apps, next_page = vonage.application.list_applications()
    assert len(apps) == 100
    assert next_page == 2


def test_sdk_errors(vonage: Vonage, tls_sandbox: Sandbox) -> None:
    with pytest.raises(HttpRequestError) as bad:
        vonage.application.create_application()  # no body at all
    assert bad.value.response.status_code == 400
    with pytest.raises(NotFoundError):
        vonage.application.get_application("00000000-0000-4000-8000-000000000000")
    host = tls_sandbox.url.removeprefix("https://")
    wrong = Vonage(
        Auth(api_key=tls_sandbox.api_key, api_secret="wrong-secret"),
        HttpClientOptions(api_host=host, rest_host=host),
    )
    with pytest.raises(AuthenticationError):
        wrong.application.list_applications()


def test_numbers_list_link_unlink(vonage: Vonage) -> None:
    app = vonage.application.create_application(ApplicationConfig(**voice_app("linker")))
    seen = []
    index: int | None = 1
    for _ in range(10):
        numbers, count, index = vonage.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(size=3, index=index)
        )
        assert count == len(SEED_NUMBERS)
        seen += numbers
        if index is None:
            break
    assert [n.msisdn for n in seen] == [n["msisdn"] for n in SEED_NUMBERS]
    assert all(n.app_id is None for n in seen)

    status = vonage.numbers.update_number(
        UpdateNumberParams(country="GB", msisdn="447700900000", app_id=app.id)
    )
    assert (status.error_code, status.error_code_label) == ("200", "success")
    linked, count, _ = vonage.numbers.list_owned_numbers(
        ListOwnedNumbersFilter(has_application=True)
    )
    assert count == 1
    assert (linked[0].msisdn, linked[0].app_id) == ("447700900000", app.id)
    assert (linked[0].voice_callback_type, linked[0].voice_callback_value) == ("app", app.id)
    by_app, count, _ = vonage.numbers.list_owned_numbers(
        ListOwnedNumbersFilter(application_id=app.id)
    )
    assert [n.msisdn for n in by_app] == ["447700900000"]

    vonage.numbers.update_number(UpdateNumberParams(country="GB", msisdn="447700900000"))
    linked, count, next_index = vonage.numbers.list_owned_numbers(
        ListOwnedNumbersFilter(has_application=True)
    )
    assert (linked, count, next_index) == ([], 0, None)
    unlinked, count, _ = vonage.numbers.list_owned_numbers(
        ListOwnedNumbersFilter(has_application=False, country="GB")
    )
    assert count == 3
    assert all(n.app_id is None for n in unlinked)


def test_numbers_link_failures_are_http_420(vonage: Vonage) -> None:
    with pytest.raises(HttpRequestError) as unknown_app:
        vonage.numbers.update_number(
            UpdateNumberParams(
                country="GB", msisdn="447700900000", app_id="00000000-0000-4000-8000-000000000000"
            )
        )
    assert unknown_app.value.response.status_code == 420
    assert unknown_app.value.response.json()["error-code"] == "420"
    assert "does not exist" in unknown_app.value.response.json()["error-code-label"]
    with pytest.raises(HttpRequestError) as not_owned:
        vonage.numbers.update_number(UpdateNumberParams(country="GB", msisdn="447700900999"))
    assert not_owned.value.response.status_code == 420
    assert "does not own" in not_owned.value.response.json()["error-code-label"]


def test_tls_connections_are_kept_alive(tls_sandbox: Sandbox) -> None:
    # build_app once took close_connections for TLS (now gone): every connection stays open.
    assert "close_connections" not in inspect.signature(build_app).parameters
    with client(tls_sandbox) as http:
        replies = [http.get("/v2/applications") for _ in range(2)]
    assert [r.status_code for r in replies] == [200, 200]
    assert all(r.headers.get("connection", "").lower() != "close" for r in replies)
