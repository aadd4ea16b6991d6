"""The embedded sandbox: a local emulator of the Vonage Application API v2 and Numbers API.

``Sandbox`` serves both APIs on one loopback host from a background thread, with state in
SQLite, so notebooks and tests run offline and the official Vonage SDK works against it
unchanged. The modules, one job each: ``server`` (the ``Sandbox`` class), ``app`` (HTTP
routes), ``applications`` and ``numbers`` (API semantics), ``store`` (SQLite), ``problems``
(error bodies), ``ids`` (ids and clock), ``tls`` (local CA and certificate), ``calls`` and
``calls_route`` (simulated calls, run by the call engine in :mod:`vonage_widgets.voice`).
"""

from __future__ import annotations

from vonage_widgets.sandbox.calls import DEFAULT_CALLER, DEFAULT_SIGNATURE_SECRET
from vonage_widgets.sandbox.calls_route import simulate_call_remote
from vonage_widgets.sandbox.server import (
    DEFAULT_API_KEY,
    DEFAULT_API_SECRET,
    DEFAULT_DB_NAME,
    Sandbox,
)
from vonage_widgets.voice.context import CallLimits
from vonage_widgets.voice.trace import CallTrace

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_API_SECRET",
    "DEFAULT_CALLER",
    "DEFAULT_DB_NAME",
    "DEFAULT_SIGNATURE_SECRET",
    "CallLimits",
    "CallTrace",
    "Sandbox",
    "simulate_call_remote",
]
