"""An application Vonage returns with an unset fallback (``"address": ""``) reads and writes back.

Vonage's 2021 docs show that shape in GET responses [api-notes §1.7]; the
client must read it, and a PUT of what it read must carry it back unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from tests.client_helpers import API_KEY, API_SECRET, Recorder, json_reply
from vonage_widgets.client import VonageClient

API = "https://api.example.test"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
ANSWER = {"address": "https://example.com/answer", "http_method": "GET"}
UNSET = {"address": "", "http_method": "GET"}


def unset_fallback_response() -> dict[str, Any]:
    """A GET body as in the 2021 docs: voice with an unset fallback, written as address ""."""
    return {
        "id": APP_ID,
        "name": "Support line",
        "capabilities": {
            "voice": {"webhooks": {"answer_url": ANSWER, "fallback_answer_url": UNSET}}
        },
        "_links": {"self": {"href": f"/v2/applications/{APP_ID}"}},
    }


def test_get_then_put_back_keeps_the_empty_fallback_address() -> None:
    body = unset_fallback_response()
    app_id = APP_ID
    recorder = Recorder(json_reply(200, body), json_reply(200, body))
    with VonageClient(
        API_KEY, API_SECRET, api_host=API, rest_host=API, transport=recorder.transport
    ) as client:
        app = client.applications.get(app_id)
        hooks = (
            app.capabilities.voice.webhooks if app.capabilities and app.capabilities.voice else None
        )
        assert hooks is not None
        assert hooks.fallback_answer_url is not None
        assert not hooks.fallback_answer_url.configured
        updated = client.applications.update(app_id, app)
    assert updated.to_dict() == body
    put = recorder.last
    assert (put.method, put.url.path) == ("PUT", f"/v2/applications/{app_id}")
    sent = json.loads(put.content)
    assert sent["capabilities"]["voice"]["webhooks"]["fallback_answer_url"] == UNSET
    assert "id" not in sent
    assert "_links" not in sent
