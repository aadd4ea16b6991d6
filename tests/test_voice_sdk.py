"""The official Vonage SDK, unmodified, drives the sandbox's Voice API over TLS with its own
application JWTs (minted from the private key, checked by the sandbox with the public key)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from vonage import Auth, HttpClientOptions, Vonage
from vonage_http_client.errors import AuthenticationError, HttpRequestError
from vonage_voice import CreateCallRequest, ListCallsFilter, Talk

from tests.sandbox_helpers import key_pair
from tests.voice_helpers import other_key_pair, voice_application
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.webhooks import WebhookServer


@pytest.fixture
def voice_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    hooks_server = WebhookServer(signature_secret=DEFAULT_SIGNATURE_SECRET)
    with Sandbox(tls=True) as sandbox, hooks_server as hooks:
        assert sandbox.ca_file is not None
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sandbox.ca_file))
        app = voice_application(sandbox, key_pair(), hooks.answer_url, hooks.event_url)
        yield {"sandbox": sandbox, "hooks": hooks, "app": app["id"]}


def _sdk(world: dict[str, Any], private_key: str) -> Vonage:
    host = world["sandbox"].url.removeprefix("https://")
    return Vonage(
        Auth(application_id=world["app"], private_key=private_key),
        HttpClientOptions(api_host=host, rest_host=host),
    )


def test_sdk_creates_gets_lists_and_hangs_up(voice_world: dict[str, Any]) -> None:
    vonage = _sdk(voice_world, key_pair().private_pem.get_secret_value())
    request = CreateCallRequest(
        to=[{"type": "phone", "number": "447700900000"}],
        from_={"type": "phone", "number": "447700900001"},
        ncco=[Talk(text="Hello from the official SDK")],
    )
    created = vonage.voice.create_call(request)
    assert created.status == "started"
    assert created.direction == "outbound"
    info = vonage.voice.get_call(created.uuid)
    assert info.uuid == created.uuid
    assert info.status == "completed"
    assert info.conversation_uuid == created.conversation_uuid
    assert info.to.number == "447700900000"
    assert info.duration is not None
    assert int(info.duration) >= 1
    calls, next_index = vonage.voice.list_calls(ListCallsFilter(page_size=10))
    assert [c.uuid for c in calls] == [created.uuid]
    assert next_index is None
    vonage.voice.hangup(created.uuid)  # 204: no exception
    statuses = [r.payload["status"] for r in voice_world["hooks"].records if r.kind == "event"]
    assert statuses == ["started", "ringing", "answered", "completed"]


def test_sdk_with_another_key_is_refused(voice_world: dict[str, Any]) -> None:
    vonage = _sdk(voice_world, other_key_pair().private_pem.get_secret_value())
    with pytest.raises((AuthenticationError, HttpRequestError)) as caught:
        vonage.voice.list_calls()
    assert caught.value.response.status_code == 401
    assert caught.value.response.json() == {"type": "UNAUTHORIZED", "error_title": "Unauthorized"}
    assert voice_world["hooks"].records == []
