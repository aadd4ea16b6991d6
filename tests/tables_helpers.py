"""Builders for the table tests: applications and numbers made through the real models."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.conftest import load_json
from vonage_widgets.models import Application, ApplicationPage, NumbersPage, OwnedNumber

# An application that passes every audit rule: https public hosts, every webhook set,
# callbacks signed, a unique name.
CLEAN_BODY: dict[str, Any] = {
    "id": "00000000-0000-4000-8000-000000000001",
    "name": "Clean shop",
    "capabilities": {
        "voice": {
            "webhooks": {
                "answer_url": {"address": "https://shop.example.com/answer", "http_method": "GET"},
                "event_url": {"address": "https://shop.example.com/event", "http_method": "POST"},
            },
            "signed_callbacks": True,
        },
        "messages": {
            "webhooks": {
                "inbound_url": {"address": "https://shop.example.com/inbound"},
                "status_url": {"address": "https://shop.example.com/status"},
            }
        },
        "rtc": {"webhooks": {"event_url": {"address": "https://8.8.8.8/rtc"}}},
        "verify": {"webhooks": {"status_url": {"address": "https://[2001:4860::8888]/v"}}},
        "vbc": {},
    },
}


def clean_body() -> dict[str, Any]:
    """A fresh deep copy of :data:`CLEAN_BODY`, to mutate in a test."""
    return copy.deepcopy(CLEAN_BODY)


def make_app(name: str, app_id: str | None = None, **capabilities: Any) -> Application:
    """An application named ``name`` with the given capability bodies (wire shape)."""
    body: dict[str, Any] = {"name": name, "capabilities": capabilities}
    if app_id is not None:
        body["id"] = app_id
    return Application.from_api(body)


def make_number(msisdn: str, **fields: Any) -> OwnedNumber:
    """An owned number, GB by default."""
    return OwnedNumber.model_validate({"msisdn": msisdn, "country": "GB", **fields})


def recorded_app(oracles_dir: Path, name: str) -> Application:
    """An application from a recorded SDK response in ``specs/examples/application``."""
    return Application.from_api(load_json(oracles_dir / "specs/examples/application" / name))


def recorded_page(oracles_dir: Path, name: str) -> list[Application]:
    """The applications of a recorded list response."""
    body = load_json(oracles_dir / "specs/examples/application" / name)
    return ApplicationPage.from_api(body).applications


def recorded_numbers(oracles_dir: Path, name: str) -> list[OwnedNumber]:
    """The numbers of a recorded ``GET /account/numbers`` response."""
    return NumbersPage.from_api(load_json(oracles_dir / "specs/examples/numbers" / name)).numbers
