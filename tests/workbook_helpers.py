"""Helpers for the workbook and appconfig tests: a clean environment, a voice body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

OUR_VARIABLES = (
    "VONAGE_API_KEY",
    "VONAGE_API_SECRET",
    "VONAGE_API_HOST",
    "VONAGE_REST_HOST",
    "VONAGE_APPLICATION_ID",
    "VONAGE_PRIVATE_KEY_PATH",
    "VONAGE_WIDGETS_HOME",
    "VONAGE_WIDGETS_SANDBOX_DB",
    "VONAGE_WIDGETS_SANDBOX_LATENCY",
    "VONAGE_WIDGETS_SANDBOX_URL",
    "VONAGE_WIDGETS_SEED",
)


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials, no sandbox URL, a fresh home and a temporary sandbox database.

    Returns the home folder (created lazily by the workbook).
    """
    for name in OUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("VONAGE_WIDGETS_HOME", str(home))
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_DB", ":temp:")
    return home


def voice_body(name: str, **extra: Any) -> dict[str, Any]:
    """A request body with a voice capability and an unknown ``video`` capability."""
    return {
        "name": name,
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {"address": "https://example.com/answer", "http_method": "GET"},
                    "event_url": {"address": "https://example.com/event", "http_method": "POST"},
                },
                "signed_callbacks": True,
            },
            "video": {"storage": {"end_to_end_encryption": True}, "future_flag": [1, 2]},
        },
        "privacy": {"improve_ai": False},
        **extra,
    }
