"""Simulated inbound calls: dial a linked number and the sandbox does what Vonage does.

:class:`CallSimulator` (exposed as ``Sandbox.simulate_call`` and ``POST /_sandbox/calls``)
takes a call to one of the account's numbers, finds the application the number is linked to,
requests its answer URL (then its fallback URL) under the retry rules of [api-notes §3.4],
runs the NCCO (:mod:`vonage_widgets.voice.runner`) and posts the call's events, signed when
the application asks for it [api-notes §3.6].
The result is a :class:`~vonage_widgets.voice.trace.CallTrace`.

Decisions where Vonage's public material is silent (summed up in ``docs/architecture.md``):

* **Signature secret**: each sandbox account has one, :data:`DEFAULT_SIGNATURE_SECRET` unless
  ``Sandbox(signature_secret=...)`` says otherwise (a string for every account, or a mapping
  per API key). It is public on purpose, like the sandbox's API secret. ``signed_callbacks``
  absent counts as ``true`` (the spec's default), so webhooks are signed unless the
  application says ``false``. The token's ``iat`` is real time (receivers check its age).
* **Event order** of the caller's leg: ``started``, ``ringing``, then the answer URL is
  requested, then ``answered``; the NCCO runs; record events of recordings still running;
  ``completed`` (``disconnected_by``: ``platform`` when the NCCO ran out, ``user`` when
  someone hung up). When no NCCO can be had (answer and fallback failed), an ``error`` event
  (``reason``) and a ``completed`` event with duration 0 are posted and the outcome is
  ``failed: ...``.
* ``region_url`` comes from ``capabilities.voice.region`` (the documented region hosts);
  without a region it is :data:`DEFAULT_REGION_URL`.
* The number must own the ``VOICE`` feature and be linked with ``app_id`` (voice routing
  ``app``); numbers routed to ``sip``/``tel`` are refused (that routing is not simulated).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import Application, VoiceCapability, VoiceWebhooks, validate_msisdn
from vonage_widgets.sandbox.ids import IdFactory
from vonage_widgets.sandbox.numbers import SEED_NUMBERS
from vonage_widgets.sandbox.store import Store
from vonage_widgets.voice.call import run_call
from vonage_widgets.voice.context import (
    CallContext,
    CallLimits,
    CallScript,
)
from vonage_widgets.voice.http import WebhookTarget, make_signer, new_client
from vonage_widgets.voice.trace import CallTrace

__all__ = [
    "DEFAULT_CALLER",
    "DEFAULT_REGION_URL",
    "DEFAULT_SIGNATURE_SECRET",
    "REGION_URLS",
    "CallLimits",
    "CallSimulator",
    "CallTrace",
]

DEFAULT_SIGNATURE_SECRET = "sandbox-signature-secret"  # noqa: S105 - public, local-only
"""Signature secret of every sandbox account unless ``Sandbox(signature_secret=...)``."""
DEFAULT_CALLER = "447700900123"
"""Who calls by default: a number from Ofcom's range reserved for drama (never rings)."""
REGION_URLS: dict[str, str] = {
    "na-east": "https://api-us-3.vonage.com",
    "na-west": "https://api-us-4.vonage.com",
    "eu-east": "https://api-eu-4.vonage.com",
    "eu-west": "https://api-eu-3.vonage.com",
    "apac-sng": "https://api-ap-3.vonage.com",
    "apac-australia": "https://api-ap-4.vonage.com",
}
"""Regional REST hosts per ``capabilities.voice.region`` [api-notes §1.5.1]."""
DEFAULT_REGION_URL = REGION_URLS["eu-west"]
"""``region_url`` for an application without a region (the doc example's host)."""

_MAX_HOLD_SECONDS = 7200.0
_DTMF_KEYS = frozenset("0123456789*#")


class _Linked(NamedTuple):
    """The application a number is linked to, with its voice settings and webhooks."""

    application: Application
    voice: VoiceCapability
    hooks: VoiceWebhooks


def _entries(value: object, name: str, problems: list[FieldError]) -> list[str]:
    """A script (``dtmf``/``speech``): None, one string, or a list of strings."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        problems.append(FieldError(name, "must be a string or a list of strings"))
        return []
    if name == "dtmf":
        for index, keys in enumerate(items):
            if not set(keys) <= _DTMF_KEYS:
                path = "dtmf" if isinstance(value, str) else f"dtmf.{index}"
                problems.append(FieldError(path, "must hold only the keys 0-9, * and #"))
    return list(items)


class CallSimulator:
    """Places simulated inbound calls against one sandbox store.

    ``accounts`` maps API keys to API secrets (for the HTTP route's Basic auth);
    ``signature_secrets`` maps API keys to signature secrets.
    """

    def __init__(
        self,
        store: Store,
        accounts: Mapping[str, str],
        signature_secrets: Mapping[str, str],
        ids: IdFactory,
    ) -> None:
        self.store = store
        self.accounts = dict(accounts)
        self.signature_secrets = dict(signature_secrets)
        self.ids = ids

    # -- the Python API -----------------------------------------------------------------

    def simulate(
        self,
        to: str,
        from_: str = DEFAULT_CALLER,
        *,
        api_key: str | None = None,
        dtmf: str | Sequence[str] | None = None,
        speech: str | Sequence[str] | None = None,
        answer_callee: bool = True,
        hold_seconds: float = 30.0,
        limits: CallLimits | None = None,
    ) -> CallTrace:
        """Call number ``to`` from ``from_`` and return the trace of what happened.

        ``dtmf``/``speech``: what the caller answers to each ``input`` action in turn (one
        string per input; ``""`` gives no input). ``answer_callee``: whether a party dialled
        by ``connect`` picks up. ``hold_seconds``: how long people stay on a connected call
        or in a conversation before hanging up. Raises :class:`ValidationError` for bad
        arguments or a number that cannot take the call (not owned, not linked, no voice).
        """
        problems: list[FieldError] = []
        account = api_key if api_key is not None else next(iter(self.accounts))
        if account not in self.accounts:
            problems.append(FieldError("api_key", "is not an account of this sandbox"))
        number = _msisdn(to, "to", problems)
        caller = _msisdn(from_, "from", problems)
        script = CallScript(
            _entries(dtmf, "dtmf", problems),
            _entries(speech, "speech", problems),
            answer_callee,
            hold_seconds,
        )
        if not isinstance(answer_callee, bool):
            problems.append(FieldError("answer_callee", "must be true or false"))
        if isinstance(hold_seconds, bool) or not isinstance(hold_seconds, int | float):
            problems.append(FieldError("hold_seconds", "must be a number of seconds"))
        elif not 0 <= hold_seconds <= _MAX_HOLD_SECONDS:
            problems.append(FieldError("hold_seconds", "must be between 0 and 7200 (seconds)"))
        if problems:
            raise ValidationError(problems, subject="simulated call")
        linked = self._application(account, number)
        return self._run(account, linked, number, caller, script, limits)

    def _application(self, account: str, number: str) -> _Linked:
        """The voice application ``number`` is linked to, or a ValidationError saying why not."""

        def refuse(message: str) -> ValidationError:
            return ValidationError([FieldError("to", message)], subject="simulated call")

        self.store.seed_account(account, SEED_NUMBERS)
        owned = self.store.get_number(account, number)
        if owned is None:
            raise refuse(
                f"the account {account!r} does not own {number}: call one of its numbers "
                "(client.numbers.list())"
            )
        if "VOICE" not in owned.get("features", []):
            features = ", ".join(owned.get("features", [])) or "none"
            raise refuse(f"{number} cannot take calls: its features are {features} (no VOICE)")
        app_id = owned.get("app_id")
        if not app_id:
            raise refuse(
                f"{number} is not linked to an application: link it first "
                f"(client.numbers.link({number!r}, app_id))"
            )
        if owned.get("voiceCallbackType") in ("sip", "tel"):
            raise refuse(
                f"{number} routes voice to {owned['voiceCallbackType']} "
                f"{owned.get('voiceCallbackValue')!r}, which the sandbox does not simulate"
            )
        stored = self.store.get_application(account, app_id)
        if stored is None:
            raise refuse(f"{number} is linked to application {app_id}, which no longer exists")
        application = Application.from_api({**stored.document, "id": stored.id})
        voice = application.capabilities.voice if application.capabilities else None
        if voice is None:
            raise refuse(f"application {application.name!r} ({app_id}) has no voice capability")
        hooks = voice.webhooks
        if hooks is None or hooks.answer_url is None:
            raise refuse(f"application {application.name!r} ({app_id}) has no voice answer_url")
        return _Linked(application, voice, hooks)

    def _new_id(self, kind: str) -> str:
        # A persisted counter per kind, so a seeded sandbox repeats its ids run after run.
        return self.ids.resource_id(kind, self.store.next_sequence(kind))

    def _run(
        self,
        account: str,
        linked: _Linked,
        to: str,
        from_: str,
        script: CallScript,
        limits: CallLimits | None,
    ) -> CallTrace:
        application, voice, hooks = linked
        app_id = str(application.id)
        signed = bool(voice.effective("signed_callbacks"))
        started = datetime.fromisoformat(self.store.now().replace("Z", "+00:00"))
        trace = CallTrace(
            self._new_id("call"),
            "CON-" + self._new_id("conversation"),
            to,
            from_,
            account,
            app_id,
            signed=signed,
        )
        event = fallback = signer = None
        if hooks.event_url is not None:
            event = WebhookTarget.for_voice("event_url", hooks.event_url)
        if hooks.fallback_answer_url is not None:
            fallback = WebhookTarget.for_voice("fallback_answer_url", hooks.fallback_answer_url)
        if signed:
            secret = self.signature_secrets.get(account, DEFAULT_SIGNATURE_SECRET)
            signer = make_signer(secret, api_key=account, application_id=app_id)
        with new_client() as client:
            ctx = CallContext(
                trace=trace,
                started=started,
                client=client,
                answer=WebhookTarget.for_voice("answer_url", hooks.answer_url),
                event=event,
                fallback=fallback,
                signer=signer,
                script=script,
                limits=limits or CallLimits(),
                new_id=self._new_id,
                linked_numbers=[n["msisdn"] for n in self.store.numbers_linked_to(account, app_id)],
            )
            region = REGION_URLS.get(str(voice.region), DEFAULT_REGION_URL)
            ctx.step(
                "caller",
                "call",
                "incoming",
                f"{from_} calls {to}, linked to application {application.name!r} ({app_id})"
                + (", webhooks signed" if signed else ""),
            )
            _place(ctx, region)
        trace.wall_ms = round((time.monotonic() - ctx.wall_start) * 1000, 1)
        return trace


def _place(ctx: CallContext, region_url: str) -> None:
    """The call itself: events, answer, NCCO, hang-up (see the module docstring)."""
    trace = ctx.trace
    answer = {
        "to": trace.to,
        "from": trace.from_,
        "uuid": trace.uuid,
        "conversation_uuid": trace.conversation_uuid,
        "endpoint_type": "phone",
        "region_url": region_url,
    }
    run_call(ctx, answer)


def _msisdn(value: object, name: str, problems: list[FieldError]) -> str:
    try:
        return validate_msisdn(value, field=name)
    except ValidationError as error:
        problems.extend(error.errors)
        return ""
