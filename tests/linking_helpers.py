"""Helpers for the linking and NumberLinker tests: a sandbox, a client, ready-made apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.sandbox_helpers import client as raw_client
from tests.sandbox_helpers import voice_app
from vonage_widgets.client import VonageClient
from vonage_widgets.models import Application, OwnedNumber
from vonage_widgets.sandbox import Sandbox

VOICE_SMS = "447700900000"  # GB mobile, VOICE + SMS (sandbox seed)
SMS_ONLY = "447700900001"  # GB mobile, SMS only
VOICE_ONLY = "442079460000"  # GB landline, VOICE only
US_VOICE = "12025550101"  # US landline, VOICE only
NOT_OWNED = "447700900999"  # a well-formed number the account does not own (nor can buy)
FOR_SALE = "447700900100"  # in the sandbox catalogue, not owned until bought

MESSAGES = {
    "messages": {
        "webhooks": {
            "inbound_url": {"address": "https://example.com/inbound", "http_method": "POST"},
            "status_url": {"address": "https://example.com/status", "http_method": "POST"},
        }
    }
}


def messages_app(name: str = "messages app") -> dict[str, Any]:
    """A create body with only the messages capability."""
    return {"name": name, "capabilities": MESSAGES}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A plain-HTTP sandbox with a temporary database, on 127.0.0.1."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[VonageClient]:
    """Our client, pointed at the sandbox, no retries (failures show at once)."""
    with VonageClient(
        sandbox.api_key,
        sandbox.api_secret,
        api_host=sandbox.url,
        rest_host=sandbox.url,
        max_retries=0,
    ) as made:
        yield made


@pytest.fixture
def voice(client: VonageClient) -> Application:
    """A voice application called "voice app"."""
    return client.applications.create(voice_app("voice app"))


@pytest.fixture
def other(client: VonageClient) -> Application:
    """A second voice application called "other app"."""
    return client.applications.create(voice_app("other app"))


def number(client: VonageClient, msisdn: str) -> OwnedNumber:
    """The number as the sandbox lists it now."""
    return client.numbers.find(msisdn)


def set_routing(sandbox: Sandbox, msisdn: str, country: str, **routing: str) -> None:
    """Set a number's routing with a raw ``POST /number/update`` (not through our code)."""
    with raw_client(sandbox) as http:
        response = http.post(
            "/number/update", data={"country": country, "msisdn": msisdn, **routing}
        )
    assert response.status_code == 200, response.text
    assert response.json()["error-code"] == "200"


def outcomes(frame: Any) -> dict[str, str]:
    """msisdn -> outcome of a result frame."""
    return dict(zip(frame["msisdn"], frame["outcome"], strict=True))
