"""Helpers for the ApplicationForm tests: widget-tree walking, text extraction, a sandbox."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as ipw

from vonage_widgets.client import VonageClient
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.widgets import ApplicationForm

_TAG = re.compile(r"<[^>]+>")

# The documented numbers [api-notes §1.5.1], typed here on
# purpose: an outside oracle for what the catalog (and so the form) must offer.
REFERENCE_TIMEOUTS: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {
    ("voice", "answer_url"): {
        "connect_timeout": (300, 1000, 1000),
        "socket_timeout": (1000, 5000, 5000),
    },
    ("voice", "fallback_answer_url"): {
        "connect_timeout": (300, 1000, 1000),
        "socket_timeout": (1000, 5000, 5000),
    },
    ("voice", "event_url"): {
        "connect_timeout": (300, 1000, 1000),
        "socket_timeout": (1000, 10000, 10000),
    },
}
REFERENCE_METHODS: dict[tuple[str, str], tuple[str, ...]] = {
    ("voice", "answer_url"): ("GET", "POST"),
    ("voice", "fallback_answer_url"): ("GET", "POST"),
    ("voice", "event_url"): ("GET", "POST"),
    ("messages", "inbound_url"): ("POST",),
    ("messages", "status_url"): ("POST",),
    ("rtc", "event_url"): ("GET", "POST"),
    ("verify", "status_url"): ("POST",),
}
REFERENCE_REGIONS = ("na-east", "na-west", "eu-east", "eu-west", "apac-sng", "apac-australia")


def text(value: str) -> str:
    """The visible text of an HTML widget value."""
    return html.unescape(_TAG.sub("", value))


def walk(root: ipw.Widget) -> Iterator[ipw.Widget]:
    """Every widget under ``root`` (children of boxes, accordions ...), root included."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        yield widget
        stack.extend(getattr(widget, "children", ()) or ())


def every_string(form: ApplicationForm) -> list[str]:
    """Every string a person or a saved notebook could see: trait values of every widget
    (value, description, placeholder, tooltip, options ...), reprs, and the form's errors."""
    found: list[str] = [repr(form), str(form.errors), repr(form.application)]
    for widget in walk(form):
        found.append(repr(widget))
        for name in widget.trait_names():
            if name in ("comm", "log"):
                continue
            found.append(_flatten(getattr(widget, name)))
    return found


def _flatten(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict):
        return " ".join(_flatten(k) + " " + _flatten(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value)
    return str(value)


@contextmanager
def sandbox_client() -> Iterator[tuple[Sandbox, VonageClient]]:
    """A fresh sandbox on 127.0.0.1 (temporary database) and a client pointed at it."""
    with Sandbox(seed=7) as sandbox:
        client = VonageClient(
            sandbox.api_key, sandbox.api_secret, api_host=sandbox.url, rest_host=sandbox.url
        )
        try:
            yield sandbox, client
        finally:
            client.close()
