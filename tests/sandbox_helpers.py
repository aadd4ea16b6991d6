"""Helpers for the sandbox tests: a loopback sandbox per test and ready-made bodies.

Fixtures are used by importing them by name into a test module (``from
tests.sandbox_helpers import sandbox``). The official-SDK ones: ``tls_sandbox`` (an HTTPS
sandbox per test), ``module_tls_sandbox`` (one per module, for tests that tolerate each
other's state) and ``vonage`` (the unmodified official SDK pointed at ``tls_sandbox``). A
module that wants the shared sandbox imports ``module_tls_sandbox as tls_sandbox``: pytest
names a fixture after the module attribute, so ``vonage`` then uses the shared one.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from vonage import Auth, HttpClientOptions, Vonage

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


def _running_tls_sandbox() -> Iterator[Sandbox]:
    with Sandbox(tls=True) as running:
        assert running.url.startswith("https://127.0.0.1:")
        yield running


@pytest.fixture
def tls_sandbox() -> Iterator[Sandbox]:
    """An HTTPS sandbox (local CA in :attr:`Sandbox.ca_file`) with fresh state per test."""
    yield from _running_tls_sandbox()


@pytest.fixture(scope="module")
def module_tls_sandbox() -> Iterator[Sandbox]:
    """An HTTPS sandbox shared by the tests of one module (starting one costs ~0.3 s)."""
    yield from _running_tls_sandbox()


def official_sdk(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Vonage:
    """The official Vonage SDK, unmodified, pointed at ``sandbox`` and trusting its CA."""
    assert sandbox.ca_file is not None, "the official SDK only speaks https: use tls=True"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", sandbox.ca_file)
    host = sandbox.url.removeprefix("https://")
    return Vonage(
        Auth(api_key=sandbox.api_key, api_secret=sandbox.api_secret),
        HttpClientOptions(api_host=host, rest_host=host),
    )


@pytest.fixture
def vonage(tls_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Vonage:
    """The official SDK talking to ``tls_sandbox``."""
    return official_sdk(tls_sandbox, monkeypatch)
