"""webhooks_for: point an application's voice webhooks at the server, keep everything else."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vonage_widgets.errors import ValidationError
from vonage_widgets.models import Application
from vonage_widgets.webhooks import WebhookServer

APPLICATION: dict[str, Any] = {
    "id": "78d335fa-323d-0114-9c3d-d6f0d48968cf",
    "name": "My Application",
    "capabilities": {
        "voice": {
            "webhooks": {
                "answer_url": {
                    "address": "https://example.com/answer",
                    "http_method": "POST",
                    "socket_timeout": 3000,
                    "x_custom": "kept",
                },
                "event_url": {"address": "https://example.com/event", "http_method": "GET"},
            },
            "signed_callbacks": True,
            "region": "eu-west",
        },
        "messages": {
            "webhooks": {
                "inbound_url": {"address": "https://example.com/inbound", "http_method": "POST"}
            },
            "version": "v1",
        },
        "video": {"webhooks": {"archive_status": {"address": "https://example.com/video"}}},
    },
    "privacy": {"improve_ai": False},
    "future_top_level_field": {"nested": [1, 2]},
    "_links": {"self": {"href": "/v2/applications/78d335fa-323d-0114-9c3d-d6f0d48968cf"}},
}


@pytest.fixture(scope="module")
def server() -> Any:
    with WebhookServer() as running:
        yield running


def test_voice_webhooks_point_at_the_server_and_the_rest_is_kept(server: WebhookServer) -> None:
    original = Application.from_api(copy.deepcopy(APPLICATION))
    before = original.to_dict()

    pointed = server.webhooks_for(original).to_dict()

    hooks = pointed["capabilities"]["voice"]["webhooks"]
    assert hooks["answer_url"] == {
        "address": server.answer_url,
        "http_method": "POST",  # the application's own method is kept
        "socket_timeout": 3000,
        "x_custom": "kept",
    }
    assert hooks["event_url"] == {"address": server.event_url, "http_method": "GET"}
    assert hooks["fallback_answer_url"] == {"address": server.fallback_url, "http_method": "GET"}
    assert pointed["capabilities"]["voice"]["region"] == "eu-west"
    assert pointed["capabilities"]["messages"] == APPLICATION["capabilities"]["messages"]
    assert pointed["capabilities"]["video"] == APPLICATION["capabilities"]["video"]
    assert pointed["future_top_level_field"] == {"nested": [1, 2]}
    assert pointed["privacy"] == {"improve_ai": False}
    assert pointed["id"] == APPLICATION["id"]
    assert original.to_dict() == before  # the input is not modified


def test_methods_can_be_chosen_and_are_validated(server: WebhookServer) -> None:
    app = Application.from_api({"name": "bare"})
    pointed = server.webhooks_for(app, answer_method="POST", event_method="GET").to_dict()
    hooks = pointed["capabilities"]["voice"]["webhooks"]
    assert hooks["answer_url"]["http_method"] == "POST"
    assert hooks["event_url"]["http_method"] == "GET"
    assert hooks["fallback_answer_url"]["http_method"] == "GET"
    assert set(pointed["capabilities"]) == {"voice"}

    with pytest.raises(ValidationError) as caught:
        server.webhooks_for(app, answer_method="PUT")
    assert caught.value.paths == ["capabilities.voice.webhooks.answer_url.http_method"]


def test_a_private_key_stays_secret_on_the_copy(server: WebhookServer) -> None:
    body = {"name": "with key", "keys": {"public_key": "PUB", "private_key": "PRIVATE-PEM"}}
    pointed = server.webhooks_for(Application.from_api(body))
    assert pointed.keys is not None
    assert pointed.keys.private_key is not None
    assert pointed.keys.private_key.get_secret_value() == "PRIVATE-PEM"
    assert "PRIVATE-PEM" not in repr(pointed)
    assert "private_key" not in pointed.to_api().get("keys", {})


def test_public_url_is_used_for_the_webhook_addresses() -> None:
    tunnelled = WebhookServer(public_url="https://abc.example.ngrok.app")
    pointed = tunnelled.webhooks_for(Application.from_api({"name": "x"})).to_dict()
    assert pointed["capabilities"]["voice"]["webhooks"]["answer_url"]["address"] == (
        "https://abc.example.ngrok.app/webhooks/answer"
    )
