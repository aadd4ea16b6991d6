"""Test data for the benchmarks: realistic application documents and a fast way to seed them.

The documents mix the shapes a real account has (voice only, messages, voice with RTC and a
capability the models do not know, verify with a plain-http webhook the audit flags, none),
so the tables and the audit do their real work. Seeding writes straight into the sandbox's
SQLite store in one transaction: the same rows 10,000 POSTs would leave, in about a second
instead of minutes.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vonage_widgets.keys import KeyPair, generate_key_pair
from vonage_widgets.models import Application
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox import applications as sandbox_apps
from vonage_widgets.sandbox.ids import Clock, IdFactory
from vonage_widgets.sandbox.store import Store

__all__ = [
    "application_documents",
    "applications",
    "bench_key_pair",
    "request_body",
    "running_sandbox",
    "seed_applications",
]


@functools.cache
def bench_key_pair() -> KeyPair:
    """One RSA pair shared by every benchmark (generation is measured separately)."""
    return generate_key_pair()


def _webhook(address: str, method: str = "POST") -> dict[str, Any]:
    return {"address": address, "http_method": method}


def _templates(public_pem: str) -> list[dict[str, Any]]:
    keys = {"public_key": public_pem}
    return [
        {
            "name": "voice",
            "keys": keys,
            "capabilities": {
                "voice": {
                    "webhooks": {
                        "answer_url": {
                            **_webhook("https://example.com/answer", "GET"),
                            "connect_timeout": 500,
                            "socket_timeout": 3000,
                        },
                        "event_url": _webhook("https://example.com/event"),
                    },
                    "signed_callbacks": True,
                    "conversations_ttl": 48,
                }
            },
        },
        {
            "name": "messages",
            "keys": keys,
            "capabilities": {
                "messages": {
                    "webhooks": {
                        "inbound_url": _webhook("https://example.com/inbound"),
                        "status_url": _webhook("https://example.com/status"),
                    },
                    "version": "v1",
                }
            },
        },
        {
            "name": "voice rtc video",
            "keys": keys,
            "capabilities": {
                "voice": {
                    "webhooks": {
                        "answer_url": _webhook("https://example.com/answer", "GET"),
                        "event_url": _webhook("https://example.com/event"),
                    }
                },
                "rtc": {"webhooks": {"event_url": _webhook("https://example.com/rtc")}},
                "video": {
                    "webhooks": {
                        "archive_status": {"address": "https://example.com/video", "active": True}
                    }
                },
            },
        },
        {
            "name": "verify and messages over http",
            "keys": keys,
            "capabilities": {
                "verify": {"webhooks": {"status_url": _webhook("http://example.com/verify")}},
                "messages": {
                    "webhooks": {
                        "inbound_url": _webhook("http://example.com/inbound"),
                        "status_url": _webhook("http://example.com/status"),
                    }
                },
            },
        },
        {"name": "no capabilities", "keys": keys},
    ]


def request_body(index: int, *, with_key: bool = True) -> dict[str, Any]:
    """The create body of application number ``index`` (a POST body).

    ``with_key=False`` leaves ``keys`` out, so the sandbox generates the pair.
    """
    templates = _templates(bench_key_pair().public_pem)
    body = copy.deepcopy(templates[index % len(templates)])
    # Every 50th application reuses one name: the audit reports names shared by several.
    number = 0 if index % 50 == 0 else index
    body["name"] = f"{body['name']} {number:05d}"
    if not with_key:
        body.pop("keys")
    return body


def application_documents(count: int) -> Iterator[dict[str, Any]]:
    """``count`` stored-shape documents (validated once per template, create defaults applied)."""
    templates = [
        sandbox_apps.new_document(sandbox_apps.validated_document(t)).document
        for t in _templates(bench_key_pair().public_pem)
    ]
    for index in range(count):
        document = copy.deepcopy(templates[index % len(templates)])
        document["name"] = request_body(index)["name"]
        yield document


def applications(count: int) -> list[Application]:
    """``count`` :class:`Application` objects as the client would return them (ids included)."""
    return [
        Application.from_api({**document, "id": f"00000000-0000-4000-8000-{index:012d}"})
        for index, document in enumerate(application_documents(count))
    ]


def seed_applications(sandbox: Sandbox, count: int) -> None:
    """Store ``count`` applications for the sandbox's first account, in one transaction.

    A second :class:`Store` on the same SQLite file (WAL mode, so the running sandbox sees the
    rows at once); ids come from the ordinary random factory.
    """
    store = Store(sandbox.db_path, ids=IdFactory(None), clock=Clock())
    try:
        with store.write():
            for document in application_documents(count):
                store.create_application(sandbox.api_key, document)
    finally:
        store.close()


@contextmanager
def running_sandbox(*, tls: bool = False, apps: int = 0) -> Iterator[Sandbox]:
    """A fresh sandbox on a temporary database, seeded with ``apps`` applications."""
    with Sandbox(tls=tls) as sandbox:
        if apps:
            seed_applications(sandbox, apps)
        yield sandbox
