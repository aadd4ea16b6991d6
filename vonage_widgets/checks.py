"""Check an application's webhooks the way Vonage will call them, before a real call.

The application's Messages webhooks (``inbound_url``, ``status_url``) and RTC ``event_url``
are probed too when it has those capabilities: one sample POST each (an inbound SMS, a
``delivered`` status, a ``member:joined`` event, ids ``aaaaaaaa-...``), judged by the
delivery rules of :mod:`vonage_widgets.messaging.delivery` (a 2xx is ok; 429 and 5xx are
retried by Vonage). Their rows are named ``messages.inbound_url``, ``messages.status_url``
and ``rtc.event_url``.

:func:`check_webhooks` sends one request to each voice webhook (answer, event, fallback) with
the application's method and timeouts, and reports per webhook whether it answered in time,
its status, latency and content type, and, for the answer and fallback URLs, whether the
reply is a valid NCCO (with the rules it breaks). Plain HTTP: it works against any URL this
machine can reach (a local :class:`~vonage_widgets.webhooks.WebhookServer`, a tunnel, a
deployed server) and needs no sandbox.

It judges responses with the same code as the sandbox's call simulator
(:mod:`vonage_widgets.voice.http`), so "passes the check" and "answers a simulated
call" mean the same thing [api-notes §3.4]. Note that the event URL receives one sample
``started`` event (ids ``aaaaaaaa-...``) and the fallback URL a sample fallback request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import Application
from vonage_widgets.tables.events import records_table
from vonage_widgets.voice.http import (
    Attempt,
    Expect,
    WebhookTarget,
    make_signer,
    new_client,
    send,
)

__all__ = ["CHECK_COLUMNS", "OTHER_WEBHOOKS", "VOICE_WEBHOOKS", "check_webhooks"]

VOICE_WEBHOOKS: tuple[str, ...] = ("answer_url", "event_url", "fallback_answer_url")
"""The voice webhooks checked, in this order."""
OTHER_WEBHOOKS: tuple[tuple[str, str], ...] = (
    ("messages", "inbound_url"),
    ("messages", "status_url"),
    ("rtc", "event_url"),
)
"""The Messages and RTC webhooks checked (when the capability is there), in this order."""
_REQUIRED = frozenset({"answer_url", "event_url"})
_SAMPLES: dict[str, dict[str, Any]] = {
    "messages.inbound_url": {
        "channel": "sms",
        "message_uuid": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
        "to": "447700900001",
        "from": "447700900555",
        "timestamp": "2025-01-01T00:00:00Z",
        "message_type": "text",
        "text": "check_webhooks",
    },
    "messages.status_url": {
        "message_uuid": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
        "to": "447700900555",
        "from": "447700900001",
        "timestamp": "2025-01-01T00:00:00Z",
        "status": "delivered",
        "channel": "sms",
    },
    "rtc.event_url": {
        "id": 1,
        "type": "member:joined",
        "from": "MEM-aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
        "body": {"member_id": "MEM-aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab"},
        "timestamp": "2025-01-01T00:00:00.000Z",
        "conversation_id": "CON-aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
    },
}
_AFTER_RETRY = {
    "answer_url": "uses the fallback URL",
    "fallback_answer_url": "ends the call",
    "event_url": "drops the event",
}

CHECK_COLUMNS: tuple[str, ...] = (
    "webhook",
    "address",
    "method",
    "connect_timeout",
    "socket_timeout",
    "answered",
    "within_timeouts",
    "status",
    "latency_ms",
    "content_type",
    "json",
    "valid_ncco",
    "ok",
    "problem",
    "errors",
)
"""Columns of the table :func:`check_webhooks` returns, in order."""

_INTEGER_COLUMNS = ("connect_timeout", "socket_timeout", "status")

_SAMPLE_CALL: dict[str, Any] = {
    "to": "442079460000",
    "from": "447700900000",
    "uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
    "conversation_uuid": "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
}


def _payload(name: str, answer_address: str) -> tuple[dict[str, Any], Expect]:
    answer = {**_SAMPLE_CALL, "endpoint_type": "phone", "region_url": "https://api-eu-3.vonage.com"}
    if name == "answer_url":
        return answer, "ncco"
    if name == "fallback_answer_url":
        original = {"url": answer_address, "type": "answer"}
        return {**answer, "reason": "check_webhooks", "original_request": original}, "ncco"
    event = {
        **_SAMPLE_CALL,
        "status": "started",
        "direction": "inbound",
        "timestamp": "2025-01-01T00:00:00.000Z",
    }
    return event, "nothing"


def _target(
    name: str, application: Application, overrides: Mapping[str, Mapping[str, int]]
) -> WebhookTarget | None:
    voice = application.capabilities.voice if application.capabilities else None
    hooks = voice.webhooks if voice is not None else None
    hook = getattr(hooks, name, None) if hooks is not None else None
    if hook is None:
        return None
    target = WebhookTarget.for_voice(name, hook)
    wanted = overrides.get(name, {})
    return WebhookTarget(
        target.url,
        target.method,
        int(wanted.get("connect_timeout", target.connect_timeout)),
        int(wanted.get("socket_timeout", target.socket_timeout)),
    )


def _checked_overrides(overrides: object) -> dict[str, dict[str, int]]:
    if overrides is None:
        return {}
    problems: list[FieldError] = []
    if not isinstance(overrides, Mapping):
        raise ValidationError(
            [FieldError("timeout_overrides", "must map webhook names to timeouts")],
            subject="webhook check",
        )
    result: dict[str, dict[str, int]] = {}
    for name, values in overrides.items():
        where = f"timeout_overrides.{name}"
        if name not in VOICE_WEBHOOKS:
            problems.append(FieldError(where, f"must be one of {', '.join(VOICE_WEBHOOKS)}"))
            continue
        if not isinstance(values, Mapping):
            problems.append(FieldError(where, "must map connect_timeout/socket_timeout to ms"))
            continue
        for key, value in values.items():
            if key not in ("connect_timeout", "socket_timeout"):
                problems.append(FieldError(f"{where}.{key}", "is not a timeout name"))
            elif isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                problems.append(FieldError(f"{where}.{key}", "must be a positive whole number"))
        result[name] = {k: int(v) for k, v in values.items()}
    if problems:
        raise ValidationError(problems, subject="webhook check")
    return result


def _row(name: str, target: WebhookTarget, attempt: Attempt, expect: Expect) -> dict[str, Any]:
    answered = attempt.status is not None
    timed_out = attempt.failure in ("connect_timeout", "read_timeout")
    answered_2xx = answered and 200 <= (attempt.status or 0) < 300
    media = (attempt.content_type or "").split(";")[0].strip().lower() or None
    problem = attempt.error or ""
    if attempt.retryable:
        problem += f" Vonage retries once, then {_AFTER_RETRY[name]}."
    return {
        "webhook": name,
        "address": target.url,
        "method": target.method,
        "connect_timeout": target.connect_timeout,
        "socket_timeout": target.socket_timeout,
        "answered": answered,
        "within_timeouts": not timed_out,
        "status": attempt.status,
        "latency_ms": attempt.latency_ms,
        "content_type": media,
        "json": media == "application/json" or bool(media and media.endswith("+json")),
        "valid_ncco": (attempt.ncco is not None) if expect == "ncco" and answered_2xx else None,
        "ok": attempt.ok,
        "problem": problem.strip(),
        "errors": list(attempt.ncco_errors),
    }


def _missing_row(name: str) -> dict[str, Any]:
    required = name in _REQUIRED
    return {
        **dict.fromkeys(CHECK_COLUMNS),
        "webhook": name,
        "ok": not required,
        "problem": "not set: Vonage needs it" if required else "not set (optional)",
        "errors": [],
    }


def check_webhooks(
    app: Application | Mapping[str, Any],
    *,
    timeout_overrides: Mapping[str, Mapping[str, int]] | None = None,
    signature_secret: str | None = None,
    api_key: str = "",
) -> pd.DataFrame:
    """One row per voice webhook: does it answer as Vonage needs, within its timeouts?

    ``app``: an :class:`~vonage_widgets.models.Application` (or its API body).
    ``timeout_overrides``: try other timeouts than the application's, e.g.
    ``{"answer_url": {"socket_timeout": 1000}}`` (milliseconds). ``signature_secret`` (with
    ``api_key``): sign the requests like Vonage does, for servers that require signatures.

    Columns (:data:`CHECK_COLUMNS`): the webhook's ``address``, ``method`` and the
    ``connect_timeout`` and ``socket_timeout`` used (ms); ``answered`` (an HTTP response came
    back), ``within_timeouts`` (neither timeout ran out), ``status``, ``latency_ms``,
    ``content_type`` and ``json`` (served as JSON); ``valid_ncco`` (answer and fallback only;
    None without a 2xx response); ``ok`` (Vonage would accept the answer); ``problem`` (why
    not, and what Vonage does next); ``errors`` (the ``FieldError`` list of an invalid NCCO).
    A webhook the application does not set gets a row saying so (not ok when required).
    """
    application = app if isinstance(app, Application) else Application.from_api(app)
    overrides = _checked_overrides(timeout_overrides)
    signer = None
    if signature_secret:
        signer = make_signer(
            signature_secret, api_key=api_key, application_id=str(application.id or "")
        )
    rows: list[dict[str, Any]] = []
    answer = _target("answer_url", application, overrides)
    with new_client() as client:
        for name in VOICE_WEBHOOKS:
            target = _target(name, application, overrides)
            if target is None:
                rows.append(_missing_row(name))
                continue
            payload, expect = _payload(name, answer.url if answer else "")
            attempt = send(client, target, payload, expect=expect, signer=signer)
            rows.append(_row(name, target, attempt, expect))
        rows.extend(_other_rows(client, application, signer))
    return records_table(rows, CHECK_COLUMNS, integers=_INTEGER_COLUMNS)


def _other_rows(client: Any, application: Application, signer: Any) -> list[dict[str, Any]]:
    """Rows for the Messages and RTC webhooks of the capabilities the application has."""
    from vonage_widgets.messaging.delivery import (
        CONNECT_TIMEOUT_MS,
        SOCKET_TIMEOUT_MS,
        is_retryable,
    )

    capabilities = application.capabilities
    rows: list[dict[str, Any]] = []
    for capability, hook_name in OTHER_WEBHOOKS:
        settings = getattr(capabilities, capability, None) if capabilities else None
        if settings is None:
            continue
        name = f"{capability}.{hook_name}"
        hooks = settings.webhooks
        hook = getattr(hooks, hook_name, None) if hooks is not None else None
        if hook is None or not hook.address:
            rows.append(
                {
                    **dict.fromkeys(CHECK_COLUMNS),
                    "webhook": name,
                    "ok": False,
                    "problem": f"not set: {capability} webhooks go nowhere",
                    "errors": [],
                }
            )
            continue
        target = WebhookTarget(hook.address, "POST", CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS)
        attempt = send(client, target, _SAMPLES[name], expect="nothing", signer=signer)
        answered = attempt.status is not None
        media = (attempt.content_type or "").split(";")[0].strip().lower() or None
        problem = attempt.error or ""
        if is_retryable(attempt):
            problem += " Vonage retries 429 and 5xx answers with backoff."
        rows.append(
            {
                "webhook": name,
                "address": target.url,
                "method": "POST",
                "connect_timeout": target.connect_timeout,
                "socket_timeout": target.socket_timeout,
                "answered": answered,
                "within_timeouts": attempt.failure not in ("connect_timeout", "read_timeout"),
                "status": attempt.status,
                "latency_ms": attempt.latency_ms,
                "content_type": media,
                "json": media == "application/json" or bool(media and media.endswith("+json")),
                "valid_ncco": None,
                "ok": attempt.ok,
                "problem": problem.strip(),
                "errors": [],
            }
        )
    return rows
