"""ApplicationForm against a real sandbox on 127.0.0.1 through the real client.

The form and the API must agree: what the form accepts the sandbox accepts, what the form
rejects the sandbox rejects naming the same field paths. Create, edit, preview, delete and
the lossless round trip of unknown capabilities are checked end to end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.widgets_helpers import sandbox_client, text
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import BadRequestError, NotFoundError, ValidationError
from vonage_widgets.keys import generate_key_pair
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.widgets import ApplicationForm


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[Sandbox, VonageClient]]:
    with sandbox_client() as pair:
        yield pair


@pytest.fixture
def client(sandbox: tuple[Sandbox, VonageClient]) -> VonageClient:
    return sandbox[1]


@pytest.fixture
def form(client: VonageClient, tmp_path: Path) -> ApplicationForm:
    return ApplicationForm(client, keys_dir=tmp_path / "keys")


def put(form: ApplicationForm, path: str, value: Any) -> None:
    if path.startswith("capabilities."):
        form.sections[path.split(".")[1]].toggle.value = True
    form.rows[path].control.value = value


def post_raw(sandbox: Sandbox, document: Any) -> httpx.Response:
    """Send a body as it is, bypassing the client's own check."""
    return httpx.post(
        f"{sandbox.url}/v2/applications",
        json=document,
        auth=(sandbox.api_key, sandbox.api_secret),
        timeout=10,
    )


# -- the form and the API agree --------------------------------------------------------------

VOICE = "capabilities.voice"
HOOKS = f"{VOICE}.webhooks"

AGREEMENT_CASES: dict[str, dict[str, Any]] = {
    "minimal": {},
    "every capability": {
        f"{HOOKS}.answer_url.address": "https://example.com/answer",
        f"{HOOKS}.answer_url.http_method": "POST",
        f"{HOOKS}.answer_url.connect_timeout": "300",
        f"{HOOKS}.answer_url.socket_timeout": "5000",
        f"{HOOKS}.event_url.address": "https://example.com/event",
        f"{HOOKS}.event_url.socket_timeout": "10000",
        f"{VOICE}.conversations_ttl": "9000",
        f"{VOICE}.leg_persistence_time": "1",
        f"{VOICE}.region": "eu-west",
        f"{VOICE}.signed_callbacks": False,
        "capabilities.messages.webhooks.inbound_url.address": "https://example.com/in",
        "capabilities.messages.version": "v0.1",
        "capabilities.rtc.webhooks.event_url.address": "https://example.com/rtc",
        "capabilities.verify.webhooks.status_url.address": "https://example.com/verify",
        "privacy.improve_ai": False,
    },
    "vbc alone": {},  # toggled below
    "socket timeout above the event range": {
        f"{HOOKS}.event_url.address": "https://example.com/event",
        f"{HOOKS}.event_url.socket_timeout": "10001",
    },
    "answer socket timeout that only event allows": {
        f"{HOOKS}.answer_url.address": "https://example.com/answer",
        f"{HOOKS}.answer_url.socket_timeout": "6000",
    },
    "connect timeout below range": {
        f"{HOOKS}.fallback_answer_url.address": "https://example.com/fallback",
        f"{HOOKS}.fallback_answer_url.connect_timeout": "299",
    },
    "timeout not a number": {
        f"{HOOKS}.answer_url.address": "https://example.com/answer",
        f"{HOOKS}.answer_url.connect_timeout": "5e2",
    },
    "bad address": {"capabilities.messages.webhooks.status_url.address": "mailto:me@example.com"},
    "timeout without address": {f"{HOOKS}.event_url.connect_timeout": "400"},
    "blank name": {"name": "  "},
    "long name": {"name": "n" * 256},
    "ttl and leg persistence out of range": {
        f"{VOICE}.conversations_ttl": "0",
        f"{VOICE}.leg_persistence_time": "32",
    },
}


@pytest.mark.parametrize("case", list(AGREEMENT_CASES))
def test_what_the_form_accepts_the_sandbox_accepts_and_vice_versa(
    form: ApplicationForm, sandbox: tuple[Sandbox, VonageClient], case: str
) -> None:
    form.name_row.control.value = f"Agreement {case}"
    if case == "vbc alone":
        form.sections["vbc"].toggle.value = True
    for path, value in AGREEMENT_CASES[case].items():
        put(form, path, value)
    document = form.document()

    response = post_raw(sandbox[0], document)

    if form.valid:
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored["name"] == document["name"]
        for part in ("capabilities", "privacy"):
            if part in document:
                assert {k: stored[part][k] for k in document[part]} == document[part]
    else:
        assert response.status_code == 400, response.text
        reasons: dict[str, list[str]] = {}
        for item in response.json()["invalid_parameters"]:
            reasons.setdefault(item["name"], []).append(item["reason"])
        assert reasons == form.errors  # same paths, same words: one validation function


def test_an_invalid_public_key_is_rejected_by_both_at_the_same_path(
    form: ApplicationForm, sandbox: tuple[Sandbox, VonageClient]
) -> None:
    form.name_row.control.value = "Own key"
    form.key_panel.choice.value = "own"
    form.key_panel.public_key_text.value = (
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
    )
    assert list(form.errors) == ["keys.public_key"]
    document = form.document()
    document["keys"] = {"public_key": form.key_panel.public_key_text.value}
    response = post_raw(sandbox[0], document)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_parameters"]] == ["keys.public_key"]


# -- create ----------------------------------------------------------------------------------


def test_create_with_own_public_key(form: ApplicationForm, client: VonageClient) -> None:
    pair = generate_key_pair()
    form.name_row.control.value = "Bring your own"
    form.key_panel.choice.value = "own"
    form.key_panel.public_key_text.value = pair.public_pem
    put(form, f"{HOOKS}.answer_url.address", "https://example.com/answer")
    saved = form.save()
    assert saved.id is not None
    stored = client.applications.get(saved.id)
    assert stored.keys is not None
    assert stored.keys.public_key == pair.public_pem
    assert form.key_path is None  # nothing was generated, so nothing was written
    assert form.mode == "edit"
    assert form.key_panel.mode == "keep"


def test_invalid_form_is_not_sent(form: ApplicationForm, client: VonageClient) -> None:
    before = client.applications.list_all()
    form.name_row.control.value = ""
    with pytest.raises(ValidationError) as raised:
        form.save()
    assert raised.value.paths == ["name"]
    assert "fix the 1 problem" in text(form.status.value)
    assert len(client.applications.list_all()) == len(before)


# -- edit ------------------------------------------------------------------------------------


def _create(client: VonageClient, body: dict[str, Any]) -> str:
    app = client.applications.create(
        {"keys": {"public_key": generate_key_pair().public_pem}, **body}
    )
    assert app.id is not None
    return app.id


def test_edit_load_change_preview_save(form: ApplicationForm, client: VonageClient) -> None:
    app_id = _create(
        client,
        {
            "name": "To edit",
            "capabilities": {
                "voice": {
                    "webhooks": {
                        "answer_url": {"address": "https://old.example/answer"},
                        "event_url": {
                            "address": "https://old.example/event",
                            "http_method": "POST",
                        },
                    }
                }
            },
        },
    )
    loaded = form.load(app_id)
    assert loaded.id == app_id
    assert form.mode == "edit"
    assert "Loaded application 'To edit'" in text(form.status.value)
    assert form.preview_changes().empty

    put(form, f"{HOOKS}.event_url.address", "https://new.example/event")
    frame = form.preview_changes()
    assert frame.to_dict("records") == [
        {
            "field": f"{HOOKS}.event_url.address",
            "before": "https://old.example/event",
            "after": "https://new.example/event",
        }
    ]
    form.save_button.click()
    assert "Updated application 'To edit'" in text(form.status.value)
    stored = client.applications.get(app_id).to_api()
    assert stored["capabilities"]["voice"]["webhooks"]["event_url"] == {
        "address": "https://new.example/event",
        "http_method": "POST",
    }
    assert stored["capabilities"]["voice"]["webhooks"]["answer_url"] == {
        "address": "https://old.example/answer"
    }
    assert form.preview_changes().empty  # the saved state is the new baseline


def test_update_keeps_unknown_capabilities_and_fields(
    form: ApplicationForm, client: VonageClient
) -> None:
    video = {
        "webhooks": {"archive_status": {"address": "https://v.example/archive", "active": True}},
        "storage": {"end_to_end_encryption": False},
    }
    app_id = _create(
        client,
        {
            "name": "Lossless",
            "capabilities": {
                "voice": {
                    "webhooks": {
                        "answer_url": {
                            "address": "https://example.com/answer",
                            "brand_new_field": "kept",
                        }
                    },
                    "voice_extra": {"nested": [1, 2]},
                },
                "video": video,
                "network_apis": {"redirect_uri": "https://example.com/cb"},
            },
            "future_top_level": "kept too",
        },
    )
    before = client.applications.get(app_id).to_api()
    form.load(app_id)
    put(form, f"{VOICE}.region", "na-east")
    form.save()

    after = client.applications.get(app_id).to_api()
    assert after["capabilities"]["video"] == video
    assert after["capabilities"]["network_apis"] == {"redirect_uri": "https://example.com/cb"}
    assert after["future_top_level"] == "kept too"
    voice = after["capabilities"]["voice"]
    assert voice["voice_extra"] == {"nested": [1, 2]}
    assert voice["webhooks"]["answer_url"]["brand_new_field"] == "kept"
    assert voice["region"] == "na-east"
    expected = before
    expected["capabilities"]["voice"]["region"] = "na-east"
    assert after == expected


def test_picker_lists_and_loads_applications(form: ApplicationForm, client: VonageClient) -> None:
    app_id = _create(client, {"name": "Pick me"})
    apps = form.refresh_applications()
    assert app_id in {a.id for a in apps}
    assert (f"Pick me · {app_id[:8]}…", app_id) in form.app_picker.options
    form.app_picker.value = app_id
    assert form.mode == "edit"
    assert form.application is not None
    assert form.application.id == app_id
    assert form.name_row.control.value == "Pick me"
    form.app_picker.value = ""
    assert form.mode == "create"
    assert form.name_row.control.value == ""


def test_loading_a_missing_application_says_so(form: ApplicationForm) -> None:
    with pytest.raises(NotFoundError):
        form.load("00000000-0000-4000-8000-000000000000")
    assert "Could not load" in text(form.status.value)
    assert form.mode == "create"


# -- delete ----------------------------------------------------------------------------------


def test_delete_needs_a_second_click(form: ApplicationForm, client: VonageClient) -> None:
    app_id = _create(client, {"name": "Delete by clicks"})
    form.load(app_id)
    form.delete_button.click()
    assert client.applications.get(app_id).id == app_id  # still there
    assert form.delete_button.description == "Confirm delete"
    assert "Delete application 'Delete by clicks'" in text(form.status.value)
    form.delete_button.click()
    with pytest.raises(NotFoundError):
        client.applications.get(app_id)
    assert text(form.status.value) == f"Deleted application 'Delete by clicks' ({app_id})."
    assert form.mode == "create"
    assert form.delete_button.disabled is True


def test_delete_method_arms_then_confirms(form: ApplicationForm, client: VonageClient) -> None:
    app_id = _create(client, {"name": "Delete by code"})
    form.load(app_id)
    assert form.delete() is False
    assert client.applications.get(app_id).id == app_id
    assert form.delete(confirm=True) is True
    with pytest.raises(NotFoundError):
        client.applications.get(app_id)


def test_an_edit_disarms_a_pending_delete(form: ApplicationForm, client: VonageClient) -> None:
    app_id = _create(client, {"name": "Disarm"})
    form.load(app_id)
    form.delete_button.click()
    form.name_row.control.value = "Disarm 2"
    form.delete_button.click()  # arms again, does not delete
    assert client.applications.get(app_id).id == app_id


# -- errors the API returns appear beside the fields -----------------------------------------


class _Tamper(httpx.BaseTransport):
    """Changes application bodies after the client checked them, so the sandbox refuses."""

    def __init__(self, change: Callable[[dict[str, Any]], None]) -> None:
        self._inner = httpx.HTTPTransport()
        self._change = change

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("POST", "PUT") and request.url.path.startswith("/v2/applications"):
            body = json.loads(request.read())
            self._change(body)
            headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
            request = httpx.Request(request.method, request.url, headers=headers, json=body)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _break(body: dict[str, Any]) -> None:
    voice = body["capabilities"]["voice"]
    voice["region"] = "mars"
    body["capabilities"]["messages"]["webhooks"]["inbound_url"]["http_method"] = "GET"
    body["capabilities"]["video"] = {"webhooks": "not an object"}  # a field the form lacks


def test_api_errors_show_beside_the_fields_they_name(
    sandbox: tuple[Sandbox, VonageClient], tmp_path: Path
) -> None:
    sb = sandbox[0]
    with VonageClient(
        sb.api_key, sb.api_secret, api_host=sb.url, rest_host=sb.url, transport=_Tamper(_break)
    ) as tampered:
        form = ApplicationForm(tampered, keys_dir=tmp_path)
        form.name_row.control.value = "Refused"
        put(form, f"{VOICE}.region", "eu-east")
        put(form, "capabilities.messages.webhooks.inbound_url.address", "https://example.com/in")
        with pytest.raises(BadRequestError):
            form.save()
    region = form.rows[f"{VOICE}.region"]
    method = form.rows["capabilities.messages.webhooks.inbound_url.http_method"]
    assert "must be one of: na-east" in text(region.message.value)
    assert "must be POST" in text(method.message.value)
    assert set(form.errors) == {
        f"{VOICE}.region",
        "capabilities.messages.webhooks.inbound_url.http_method",
        "capabilities.video.webhooks",
    }
    # No field for it in the form: the general message area shows it.
    assert "capabilities.video.webhooks: must be a JSON object" in text(form.general.value)
    assert "region" not in text(form.general.value)
    assert form.save_button.disabled is True
    assert "HTTP 400" in text(form.status.value)
    assert form.mode == "create"
    # Editing clears the API's (now stale) verdict.
    region.control.value = "na-west"
    assert form.errors == {}
    assert form.save_button.disabled is False
