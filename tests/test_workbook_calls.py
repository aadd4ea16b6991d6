"""Workbook.simulate_call: the same call through an embedded sandbox and a shared one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbook_helpers import isolate
from vonage_widgets.errors import ValidationError
from vonage_widgets.models import forward_to_phone
from vonage_widgets.sandbox import DEFAULT_SIGNATURE_SECRET, Sandbox
from vonage_widgets.webhooks import WebhookServer
from vonage_widgets.workbook import Workbook


def _answered_call(wb: Workbook) -> list[str]:
    """Link a voice app to a number, serve a forward NCCO, call it; the event statuses."""
    ncco = forward_to_phone("447700900001", "447700900000")
    with WebhookServer(ncco, signature_secret=wb.signature_secret) as server:
        app = wb.ensure_application("Call me")
        app = wb.client.applications.update(app.id, server.webhooks_for(app))
        number = next(n for n in wb.client.numbers.iter() if "VOICE" in (n.features or []))
        wb.client.numbers.link(number.msisdn, app.id)
        trace = wb.simulate_call(number.msisdn)
        assert trace.outcome == "completed", trace.timeline()
        # Every event the sandbox posted was signed with the secret the workbook reported.
        statuses = set(server.requests["signature"])
        assert statuses == {"verified"}, statuses
        return list(trace.events["status"].dropna())


def test_embedded_sandbox_places_a_simulated_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate(monkeypatch, tmp_path)
    with Workbook() as wb:
        statuses = _answered_call(wb)
    assert statuses[:3] == ["started", "ringing", "answered"]
    assert statuses[-1] == "completed"


def test_a_sandbox_in_another_process_is_reached_over_http(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate(monkeypatch, tmp_path)
    with Sandbox() as shared:
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", shared.url)
        with Workbook() as wb:
            assert wb.sandbox is None  # nothing in this process: only the URL
            assert wb.signature_secret == DEFAULT_SIGNATURE_SECRET
            statuses = _answered_call(wb)
    assert statuses[0] == "started"
    assert statuses[-1] == "completed"


def test_the_real_api_cannot_simulate_calls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolate(monkeypatch, tmp_path)
    wb = Workbook(api_key="abcd1234", api_secret="not-a-real-secret-123")
    with pytest.raises(ValidationError, match="simulated calls need the sandbox"):
        wb.simulate_call("447700900000")
    wb.close()
