"""Workbook.send_message, simulate_inbound_message and simulate_rtc_event: the same flow
through an embedded sandbox and a shared one (over HTTP), and refusals with the real API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.messages_helpers import CUSTOMER, SMS_NUMBER
from tests.workbook_helpers import isolate
from vonage_widgets.errors import ApiError, ValidationError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sending import message_body
from vonage_widgets.webhooks import WebhookServer
from vonage_widgets.workbook import Workbook


def _conversation(wb: Workbook) -> dict[str, Any]:
    """Enable messages and rtc, link the SMS number, receive, reply, post an RTC event."""
    with WebhookServer(signature_secret=wb.signature_secret) as server:
        app = wb.ensure_application("Text me")
        app = wb.client.applications.update(app.id, server.messages_for(app, rtc=True))
        wb.client.numbers.link(SMS_NUMBER, app.id)
        inbound = wb.simulate_inbound_message(SMS_NUMBER, "Open today?", from_=CUSTOMER)
        reply = wb.send_message(CUSTOMER, "Yes", from_=SMS_NUMBER, client_ref="r1")
        image = wb.send_message(
            CUSTOMER, from_=SMS_NUMBER, channel="whatsapp", image_url="https://x/cat.png"
        )
        rtc = wb.simulate_rtc_event("custom:hello", body={"n": 1})
        with pytest.raises(ApiError) as refused:
            wb.send_message(CUSTOMER, "x" * 641, from_="page", channel="messenger")
        return {
            "inbound": inbound,
            "reply": reply,
            "image": image,
            "rtc": rtc,
            "refused": refused.value,
            "kinds": [r.kind for r in server.records],
            "signatures": {r.signature for r in server.records},
            "app": str(app.id),
        }


def _check(seen: dict[str, Any]) -> None:
    assert seen["inbound"].ok
    assert seen["inbound"].signed
    assert seen["inbound"].payload["text"] == "Open today?"
    assert [d.event for d in seen["reply"].deliveries] == ["submitted", "delivered"]
    assert list(seen["reply"].statuses["status"]) == ["submitted", "delivered"]
    assert seen["reply"].claims["application_id"] == seen["app"]
    assert "Yes" not in repr(seen["reply"].claims)
    assert seen["image"].status == "read"
    assert seen["rtc"].payload["body"] == {"n": 1}
    assert seen["refused"].status == 422
    assert [p.path for p in seen["refused"].invalid_parameters] == ["text"]
    assert seen["kinds"] == ["inbound", *["status"] * 5, "rtc"]
    assert seen["signatures"] == {"verified"}


def test_embedded_sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    with Workbook() as wb:
        _check(_conversation(wb))


def test_a_sandbox_in_another_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    with Sandbox() as shared:
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", shared.url)
        with Workbook() as wb:
            assert wb.sandbox is None
            _check(_conversation(wb))


def test_unlinked_number_is_refused_naming_to(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate(monkeypatch, tmp_path)
    with Workbook() as wb, pytest.raises(ApiError) as refused:
        wb.simulate_inbound_message("18005550100", "hi")
    assert refused.value.status == 400
    assert [p.path for p in refused.value.invalid_parameters] == ["to"]
    assert "not linked" in refused.value.invalid_parameters[0].message


def test_the_real_api_cannot_simulate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)
    wb = Workbook(api_key="abcd1234", api_secret="not-a-real-secret-123")
    with pytest.raises(ValidationError, match="need the sandbox"):
        wb.simulate_inbound_message(SMS_NUMBER, "hi")
    wb.close()


def test_message_body_wants_text_or_image() -> None:
    with pytest.raises(ValidationError, match="either text or image_url"):
        message_body(CUSTOMER, from_=SMS_NUMBER)
    with pytest.raises(ValidationError, match="either text or image_url"):
        message_body(CUSTOMER, "t", from_=SMS_NUMBER, image_url="https://x/a.png")
    body = message_body(CUSTOMER, from_=SMS_NUMBER, image_url="https://x/a.png", caption="c")
    assert body["image"] == {"url": "https://x/a.png", "caption": "c"}
