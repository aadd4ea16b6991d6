"""Helpers for the sandbox tests: a loopback sandbox per test and ready-made bodies."""

from __future__ import annotations

import functools
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from vonage_widgets.keys import KeyPair, generate_key_pair
from vonage_widgets.sandbox import Sandbox

ALICE = ("alice", "alice-secret-1")
BOB = ("bob", "bob-secret-2")


@functools.cache
def key_pair() -> KeyPair:
    """One RSA pair for every test (generating pairs is the slow part of a create)."""
    return generate_key_pair()


def voice_app(name: str = "voice app", **extra: Any) -> dict[str, Any]:
    """A create body with a voice capability and a given public key."""
    return {
        "name": name,
        "keys": {"public_key": key_pair().public_pem},
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {
                        "address": "https://example.com/answer",
                        "http_method": "GET",
                        "connect_timeout": 500,
                        "socket_timeout": 3000,
                    },
                    "event_url": {"address": "https://example.com/event", "http_method": "POST"},
                },
                "conversations_ttl": 48,
            }
        },
        **extra,
    }


def client(sandbox: Sandbox, account: tuple[str, str] | None = None) -> httpx.Client:
    """An httpx client for the sandbox, authenticated as ``account`` (default: its own)."""
    auth = account or (sandbox.api_key, sandbox.api_secret)
    verify: Any = ssl.create_default_context(cafile=sandbox.ca_file) if sandbox.ca_file else True
    return httpx.Client(base_url=sandbox.url, auth=auth, verify=verify, timeout=30.0)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A plain-HTTP sandbox with a temporary database and the default account."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def two_accounts() -> Iterator[Sandbox]:
    """A sandbox with the accounts ALICE and BOB."""
    with Sandbox(accounts=dict([ALICE, BOB])) as running:
        yield running
