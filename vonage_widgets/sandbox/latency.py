"""A simulated network round trip: every sandbox request waits a while before it is answered.

On loopback a request to the sandbox costs about a millisecond; a request to the real Vonage
API costs tens of milliseconds of network. ``Sandbox(latency=80)`` (``vonage-widgets sandbox
--latency 80``, or ``VONAGE_WIDGETS_SANDBOX_LATENCY=80`` for the workbook's and the lab's
sandbox) makes each HTTP request wait that many milliseconds before the app sees it, so code
that hides round trips (the client's page workers) can be judged offline.

The wait is an ``asyncio.sleep`` in an ASGI middleware: it holds neither the event loop nor a
thread of the pool, so concurrent requests wait side by side, as they would on a network.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send

from vonage_widgets.errors import FieldError, ValidationError

__all__ = [
    "ENV_SANDBOX_LATENCY",
    "MAX_LATENCY_MS",
    "LatencyMiddleware",
    "checked_latency",
    "describe_latency",
    "latency_from_env",
]

ENV_SANDBOX_LATENCY = "VONAGE_WIDGETS_SANDBOX_LATENCY"
"""Environment variable: milliseconds each request to the workbook's or lab's sandbox waits."""
MAX_LATENCY_MS = 10_000.0
"""Longest simulated round trip (10 s): beyond it clients time out rather than learn."""


def checked_latency(value: object, field: str = "latency") -> float:
    """``value`` as milliseconds (a finite number from 0 to :data:`MAX_LATENCY_MS`).

    Text such as ``"80"`` or ``"12.5"`` is read as a number (from the command line or the
    environment). Anything else raises :class:`~vonage_widgets.errors.ValidationError`
    naming ``field`` and the rule.
    """
    rule = f"must be a number of milliseconds from 0 to {MAX_LATENCY_MS:g}"
    number: float
    if isinstance(value, bool):
        raise ValidationError([FieldError(field, f"{rule}, not a boolean")], subject="sandbox")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValidationError(
                [FieldError(field, f"{rule} (it is {value!r})")], subject="sandbox"
            ) from None
    else:
        raise ValidationError(
            [FieldError(field, f"{rule} (it is a {type(value).__name__})")], subject="sandbox"
        )
    if not math.isfinite(number) or not 0 <= number <= MAX_LATENCY_MS:
        raise ValidationError([FieldError(field, f"{rule} (it is {value!r})")], subject="sandbox")
    return number


def latency_from_env(env: Mapping[str, str]) -> float:
    """Milliseconds from :data:`ENV_SANDBOX_LATENCY` (0 when unset or blank)."""
    raw = env.get(ENV_SANDBOX_LATENCY, "").strip()
    return checked_latency(raw, ENV_SANDBOX_LATENCY) if raw else 0.0


def describe_latency(milliseconds: float) -> str:
    """``"80 ms simulated latency"`` for target lines (callers skip it at 0)."""
    return f"{milliseconds:g} ms simulated latency"


class LatencyMiddleware:
    """Delay every HTTP request by ``milliseconds`` before ``app`` sees it (see module doc)."""

    def __init__(self, app: ASGIApp, milliseconds: float) -> None:
        self.app = app
        self.seconds = checked_latency(milliseconds) / 1000.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.seconds > 0:
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)
