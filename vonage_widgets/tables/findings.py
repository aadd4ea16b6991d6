"""Audit: what in an account's applications (and numbers) will stop calls or messages working.

Every finding names its severity, the application, the wire path of the field at fault and
what to do about it. Severities:

- ``error``: Vonage cannot deliver, e.g. a webhook on a loopback address or a number linked to
  an application that no longer exists.
- ``warning``: works, but probably not as meant (plain http, a missing answer URL, ...).
- ``info``: a deliberate choice worth knowing about (signed callbacks off, ...).

Reachability is judged from the address text alone: no name is resolved, nothing is fetched.
The rules run column-wise on one row of facts per application, so auditing thousands of
applications stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from pydantic import BaseModel

from vonage_widgets.models.application import Webhook
from vonage_widgets.tables._common import TEXT, UNKNOWN_APPLICATION, sort_rows, typed_frame
from vonage_widgets.tables._hosts import address_problem
from vonage_widgets.tables.applications import present_capabilities, webhook_rows

if TYPE_CHECKING:
    from vonage_widgets.models.application import Application
    from vonage_widgets.models.numbers import OwnedNumber

__all__ = ["AUDIT_COLUMNS", "SEVERITIES", "Severity", "audit"]

Severity = Literal["error", "warning", "info"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""Severities, most serious first: the audit's primary sort order."""

AUDIT_COLUMNS: Mapping[str, str] = {
    "severity": TEXT,
    "application_id": TEXT,
    "application": TEXT,
    "field": TEXT,
    "finding": TEXT,
    "advice": TEXT,
}
"""The columns of :func:`audit` (all text)."""

_PUBLIC_HTTPS = (
    "Use a public https URL. For a server on your machine, expose it through a tunnel "
    "(ngrok, Cloudflare Tunnel, ...) and use the tunnel's address; local addresses only work "
    "with the offline sandbox."
)
_ADDRESS_ADVICE: Mapping[str, tuple[Severity, str]] = {
    "unreachable": ("error", _PUBLIC_HTTPS),
    "not_a_url": ("error", "Vonage can only call an absolute http(s) URL with a host."),
    "plain_http": (
        "warning",
        "Use https: webhook requests carry phone numbers and message text, and plain http "
        "sends them unencrypted.",
    ),
}
_LINK_ADVICE = "Link the number to an application that has the missing capability, or add it."


@dataclass(frozen=True, slots=True)
class _Rule:
    """A check on one application, run column-wise on the facts frame."""

    severity: Severity
    field: str
    applies: Callable[[pd.DataFrame], pd.Series]
    finding: str
    advice: str


_APP_RULES: tuple[_Rule, ...] = (
    _Rule(
        "warning",
        "capabilities",
        lambda f: ~f["has_capabilities"],
        "has no capabilities",
        "Add the capabilities the application needs (voice, messages, ...): without one it "
        "can neither make nor receive anything.",
    ),
    _Rule(
        "warning",
        "capabilities.voice.webhooks.answer_url",
        lambda f: f["voice"] & ~f["voice_answer"],
        "voice has no answer_url",
        "Set an answer URL that returns an NCCO: without it inbound calls cannot be answered.",
    ),
    _Rule(
        "warning",
        "capabilities.voice.webhooks.event_url",
        lambda f: f["voice"] & ~f["voice_event"],
        "voice has no event_url",
        "Set an event URL: it is where call progress and errors are reported.",
    ),
    _Rule(
        "info",
        "capabilities.voice.signed_callbacks",
        lambda f: f["voice_unsigned"],
        "voice webhooks are not signed",
        "Turn signed_callbacks on so your server can check that requests come from Vonage.",
    ),
    _Rule(
        "warning",
        "capabilities.messages.webhooks.inbound_url",
        lambda f: f["messages"] & ~f["messages_inbound"],
        "messages has no inbound_url",
        "Set an inbound URL: inbound messages have nowhere to go without it.",
    ),
    _Rule(
        "warning",
        "capabilities.messages.webhooks.status_url",
        lambda f: f["messages"] & ~f["messages_status"],
        "messages has no status_url",
        "Set a status URL to learn whether messages were delivered, read or rejected.",
    ),
    _Rule(
        "info",
        "capabilities.rtc.signed_callbacks",
        lambda f: f["rtc_unsigned"],
        "rtc webhooks are not signed",
        "Turn signed_callbacks on so your server can check that requests come from Vonage.",
    ),
    _Rule(  # info: Verify v2 checks codes synchronously; the status events are optional
        "info",
        "capabilities.verify.webhooks.status_url",
        lambda f: f["verify"] & ~f["verify_status"],
        "verify has no status_url",
        "Set a status URL if your server should receive verification status events.",
    ),
)

_FACTS: tuple[str, ...] = (
    "has_capabilities",
    "voice",
    "voice_answer",
    "voice_event",
    "voice_unsigned",
    "messages",
    "messages_inbound",
    "messages_status",
    "rtc_unsigned",
    "verify",
    "verify_status",
)


def _hook_set(capability: Any, name: str) -> bool:
    hooks = getattr(capability, "webhooks", None)
    return hooks is not None and getattr(hooks, name, None) is not None


def _facts_row(app: Application) -> tuple[Any, ...]:
    """The yes/no facts the rules need about one application, in :data:`_FACTS` order."""
    caps = app.capabilities
    voice = getattr(caps, "voice", None)
    messages = getattr(caps, "messages", None)
    rtc = getattr(caps, "rtc", None)
    verify = getattr(caps, "verify", None)
    return (
        app.id,
        app.name,
        bool(present_capabilities(app)),
        voice is not None,
        _hook_set(voice, "answer_url"),
        _hook_set(voice, "event_url"),
        voice is not None and voice.signed_callbacks is False,  # absent means on [api-notes §1.5.1]
        messages is not None,
        _hook_set(messages, "inbound_url"),
        _hook_set(messages, "status_url"),
        rtc is not None and rtc.signed_callbacks is False,
        verify is not None,
        _hook_set(verify, "status_url"),
    )


def _findings(
    rows: pd.DataFrame,
    severity: Severity,
    field: str | pd.Series,
    finding: str | pd.Series,
    advice: str,
) -> pd.DataFrame:
    """Findings for ``rows`` (which carry application_id and application)."""
    return pd.DataFrame(
        {
            "severity": severity,
            "application_id": rows["application_id"],
            "application": rows["application"],
            "field": field,
            "finding": finding,
            "advice": advice,
        },
        index=rows.index,
        columns=list(AUDIT_COLUMNS),
    )


def _app_findings(facts: pd.DataFrame) -> list[pd.DataFrame]:
    found = []
    for rule in _APP_RULES:
        rows = facts[rule.applies(facts)]
        if not rows.empty:
            found.append(_findings(rows, rule.severity, rule.field, rule.finding, rule.advice))
    key = facts["application"].str.strip().str.casefold()
    shared = key.map(key.value_counts())
    rows = facts[shared > 1]
    if not rows.empty:
        finding = shared[rows.index].astype(str) + " applications share this name"
        advice = "Names need not be unique, but duplicates are easy to mix up: rename one."
        found.append(_findings(rows, "warning", "name", finding, advice))
    return found


def _unset_webhooks(apps: list[Application]) -> set[tuple[str | None, str, str]]:
    """(application id, capability, webhook) of each modelled webhook that is not configured.

    An unset fallback is written ``{"address": ""}`` by Vonage and accepted by the models;
    :attr:`Webhook.configured` says so, and there is no address to judge.
    """
    unset: set[tuple[str | None, str, str]] = set()
    for app in apps:
        for capability, value in present_capabilities(app):
            hooks = getattr(value, "webhooks", None)  # None for unknown (raw JSON) ones
            for name in type(hooks).model_fields if isinstance(hooks, BaseModel) else ():
                hook = getattr(hooks, name)
                if isinstance(hook, Webhook) and not hook.configured:
                    unset.add((app.id, capability, name))
    return unset


def _address_findings(apps: list[Application]) -> list[pd.DataFrame]:
    hooks = webhook_rows(apps)
    unset = _unset_webhooks(apps)
    if unset:
        ids = [None if pd.isna(i) else i for i in hooks["application_id"]]
        keys = zip(ids, hooks["capability"], hooks["webhook"], strict=True)
        hooks = hooks[[key not in unset for key in keys]]
    problems = {address: address_problem(address) for address in hooks["address"].unique().tolist()}
    flagged = hooks[hooks["address"].map(problems).notna()]
    found = []
    for kind, (severity, advice) in _ADDRESS_ADVICE.items():
        details = {a: p.detail for a, p in problems.items() if p is not None and p.kind == kind}
        rows = flagged[flagged["address"].isin(details.keys())]
        if rows.empty:
            continue
        field = "capabilities." + rows["capability"] + ".webhooks." + rows["webhook"] + ".address"
        finding = rows["address"] + " " + rows["address"].map(details)
        found.append(_findings(rows, severity, field, finding, advice))
    return found


# What a number's feature needs from the application it is linked to.
_FEATURE_NEEDS: Mapping[str, str] = {"VOICE": "voice", "SMS": "messages", "MMS": "messages"}


def _number_findings(numbers: Iterable[OwnedNumber], facts: pd.DataFrame) -> list[pd.DataFrame]:
    apps = {
        app_id: (name, voice, messages)
        for app_id, name, voice, messages in zip(
            facts["application_id"],
            facts["application"],
            facts["voice"],
            facts["messages"],
            strict=True,
        )
        if isinstance(app_id, str)
    }
    rows: list[tuple[Any, ...]] = []
    answered: set[str] = set()  # applications some number sends calls to
    for number in numbers:
        linked = number.linked_application_id
        if linked is None:
            continue
        path = f"numbers.{number.msisdn}"
        features = set(number.features) if number.features is not None else None
        forwarded = number.voiceCallbackType in ("sip", "tel")
        if (features is None or "VOICE" in features) and not forwarded:
            answered.add(linked)
        if linked not in apps:
            rows.append(
                ("error", linked, UNKNOWN_APPLICATION, f"{path}.app_id",
                 f"number {number.msisdn} is linked to an application that does not exist",
                 "Link the number to an existing application, or unlink it: calls and "
                 "messages to it have nowhere to go.")
            )  # fmt: skip
            continue
        name, voice, messages = apps[linked]
        usable = {
            "VOICE": voice or forwarded,
            "SMS": messages or bool(number.moHttpUrl),
            "MMS": messages,
        }
        relevant = sorted(f for f in features or () if f in _FEATURE_NEEDS)
        unusable = [f for f in relevant if not usable[f]]
        if unusable:
            needs = sorted({_FEATURE_NEEDS[f] for f in unusable})
            rows.append(
                ("warning" if unusable == relevant else "info", linked, name, f"{path}.features",
                 f"number {number.msisdn} has {', '.join(unusable)}, which the application "
                 f"cannot use: it has no {' or '.join(needs)} capability",
                 _LINK_ADVICE)
            )  # fmt: skip
        if voice and forwarded and (features is None or "VOICE" in features):
            rows.append(
                ("info", linked, name, f"{path}.voiceCallbackType",
                 f"calls to number {number.msisdn} go to {number.voiceCallbackType} "
                 f"{number.voiceCallbackValue}, not to the application's answer_url",
                 "A sip or tel voice callback takes priority over the application: link the "
                 "number again without one to answer calls with the application.")
            )  # fmt: skip
    found = [typed_frame(rows, AUDIT_COLUMNS)] if rows else []
    idle = facts[facts["voice"] & ~facts["application_id"].isin(answered)]
    if not idle.empty:
        found.append(
            _findings(
                idle,
                "info",
                "capabilities.voice",
                "no number sends calls to this application",
                "Link a VOICE number if people should be able to call it; outbound calls work "
                "without one.",
            )
        )
    return found


def audit(
    apps: Iterable[Application], numbers: Iterable[OwnedNumber] | None = None
) -> pd.DataFrame:
    """Findings about ``apps`` (and, when given, the account's ``numbers``), one per row.

    Columns: see :data:`AUDIT_COLUMNS`; ``field`` is the wire path of the field at fault
    (``capabilities.voice.webhooks.answer_url.address``, ``numbers.447700900000.app_id``).
    Checks: webhook addresses Vonage cannot reach (loopback, private, link-local, local-only
    names; judged without any lookup) or that use plain http; voice without answer_url or
    event_url; messages or verify without their webhooks; no capabilities at all; names
    shared by several applications; signed callbacks turned off. With ``numbers`` (which
    assumes ``apps`` is every application of the account): numbers linked to applications
    that do not exist, numbers whose features the linked application cannot use, sip/tel
    callbacks that bypass the application, and voice applications no number calls.
    Sorted by severity (error first), application, field.
    """
    apps = list(apps)
    facts = typed_frame(
        [_facts_row(app) for app in apps],
        {"application_id": TEXT, "application": TEXT, **dict.fromkeys(_FACTS, "bool")},
    )
    found = _app_findings(facts) + _address_findings(apps)
    if numbers is not None:
        found += _number_findings(numbers, facts)
    frame = typed_frame(
        pd.concat(found, ignore_index=True) if found else {c: [] for c in AUDIT_COLUMNS},
        AUDIT_COLUMNS,
    )
    rank = frame["severity"].map({s: i for i, s in enumerate(SEVERITIES)}).astype("int64")
    frame = sort_rows(
        frame.assign(_severity=rank),
        ["_severity", "application", "application_id", "field", "finding"],
        text_keys=["application"],
    )
    return frame.drop(columns="_severity")
