"""``wb.call``: an outbound call as the current application, signed with its saved key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets import Workbook
from vonage_widgets.calling import VoiceCalls, call_body
from vonage_widgets.errors import ApiError, ValidationError, VonageWidgetsError
from vonage_widgets.keys import generate_key_pair
from vonage_widgets.models import Ncco
from vonage_widgets.webhooks import WebhookServer


@pytest.fixture
def wb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workbook]:
    isolate(monkeypatch, tmp_path)
    with Workbook(sandbox=True) as workbook:
        yield workbook


def test_call_uses_the_saved_key_and_shows_claims_and_timeline(wb: Workbook) -> None:
    with WebhookServer(signature_secret=wb.signature_secret) as hooks:
        app = wb.ensure_application(
            "outbound", answer_url=hooks.answer_url, event_url=hooks.event_url
        )
        placed = wb.call("447700900456", Ncco().talk("Hello"), from_="447700900000")
        statuses = [r.payload["status"] for r in hooks.records if r.kind == "event"]
    assert statuses == ["started", "ringing", "answered", "completed"]
    assert placed.status == "completed"
    assert placed.record["to"] == {"type": "phone", "number": "447700900456"}
    assert set(placed.claims) == {"application_id", "iat", "exp", "jti"}
    assert placed.claims["application_id"] == str(app.id)
    assert placed.trace is not None
    assert "talk" in placed.timeline()
    assert "outgoing" in placed.timeline()
    shown = repr(placed) + placed._repr_html_() + json.dumps(placed.claims)
    assert "PRIVATE KEY" not in shown
    assert "eyJ" not in shown  # never the token itself


def test_call_without_a_key_file_says_where_it_looked(wb: Workbook) -> None:
    pair = generate_key_pair()
    wb.create_application(
        "foreign key", answer_url="https://example.com/a", public_key=pair.public_pem
    )
    with pytest.raises(VonageWidgetsError, match="no private key"):
        wb.call("447700900456", [{"action": "talk", "text": "hi"}])


def test_call_body_is_checked_before_sending(wb: Workbook) -> None:
    wb.ensure_application("checked", answer_url="https://example.com/a")
    with pytest.raises(ValidationError) as caught:
        wb.call("12", [{"action": "talk", "text": "hi"}])
    assert [e.path for e in caught.value.errors] == ["to.0.number"]
    with pytest.raises(ValidationError) as caught:
        call_body("447700900456")
    assert [e.path for e in caught.value.errors] == ["ncco"]


def test_voice_calls_with_another_key_is_refused(wb: Workbook) -> None:
    app = wb.ensure_application("refused", answer_url="https://example.com/a")
    calls = VoiceCalls(wb.url, str(app.id), generate_key_pair().private_pem)
    with calls, pytest.raises(ApiError) as caught:
        calls.list()
    assert caught.value.status == 401
    assert caught.value.body == {"type": "UNAUTHORIZED", "error_title": "Unauthorized"}
    assert "signature" in caught.value.detail
