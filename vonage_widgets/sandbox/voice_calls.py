"""Outbound calls placed with ``POST /v1/calls``, run by the same engine as simulated inbound calls.

:func:`place_outbound` builds the engine's ``CallContext`` (``voice.context``)
for a call the application makes (direction ``outbound``), then runs the NCCO with the same
runner, webhook rules, signing and simulated clock as ``Sandbox.simulate_call``. It returns
the :class:`~vonage_widgets.voice.trace.CallTrace` and one :class:`LegRecord` per leg
(the called party, plus any party a ``connect`` dialled), which the Voice API stores as call
records.

Decisions where Vonage's public material is silent (summed up in ``docs/architecture.md``):

* **Order of events**: ``started``, ``ringing``; when the called party answers, the answer
  URL is requested (for a call made with ``answer_url``), then ``answered``; the NCCO runs;
  ``completed``. The called party always answers (the sandbox has no busy or unreachable
  phones) and is a person: with ``machine_detection`` or ``advanced_machine_detection`` the
  trace notes that a person answered and no ``machine`` event is sent.
* **Events** go to the request's ``event_url`` (``event_method``, default POST), else to the
  application's voice ``event_url``. ``answer_method`` defaults to GET [api-notes §3.5].
  The application's ``fallback_answer_url`` is used when the answer URL fails.
* **The call runs to its end when it is created**, in simulated time (milliseconds of real
  time), so its record is final by the time a client can read it. ``length_timer`` and
  ``ringing_timer`` are accepted and checked but do not shorten the simulated call.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vonage_widgets.models import Application
from vonage_widgets.models.voice import CreateCall
from vonage_widgets.sandbox.calls import DEFAULT_REGION_URL, REGION_URLS, CallSimulator
from vonage_widgets.voice.call import run_call
from vonage_widgets.voice.context import CallContext, CallLimits, CallScript, Leg
from vonage_widgets.voice.http import WebhookTarget, make_signer, new_client
from vonage_widgets.voice.trace import CallTrace

__all__ = ["LegRecord", "endpoint_address", "place_outbound"]

_FINAL = frozenset(
    {"completed", "busy", "cancelled", "failed", "rejected", "timeout", "unanswered"}
)


@dataclass(slots=True)
class LegRecord:
    """One leg of a call as the Voice API reports it (``GET /v1/calls/{uuid}``)."""

    uuid: str
    conversation_uuid: str
    to: dict[str, Any]
    from_: dict[str, Any]
    direction: str
    status: str
    start_time: str | None = None
    end_time: str | None = None
    duration: str | None = None
    rate: str | None = None
    price: str | None = None
    network: str | None = None


def endpoint_address(endpoint: dict[str, Any]) -> str:
    """What an endpoint dials, as text: number, URI, user or extension."""
    for key in ("number", "uri", "user", "extension"):
        if endpoint.get(key):
            return str(endpoint[key])
    return str(endpoint.get("type", ""))


def _target(name: str, url: str, method: str | None, default: str) -> WebhookTarget:
    base = WebhookTarget.for_voice(name, None)
    return WebhookTarget(
        url, (method or default).upper(), base.connect_timeout, base.socket_timeout
    )


def place_outbound(
    simulator: CallSimulator,
    account: str,
    application: Application,
    request: CreateCall,
    wire: dict[str, Any],
) -> tuple[CallTrace, list[LegRecord]]:
    """Run the call ``request`` asks for (``wire`` is its JSON body) as ``application``."""
    app_id = str(application.id)
    voice = application.capabilities.voice if application.capabilities else None
    hooks = voice.webhooks if voice is not None else None
    to_endpoint = dict(wire["to"][0])
    to = endpoint_address(to_endpoint)
    if request.from_ is not None:
        from_endpoint = {"type": "phone", "number": request.from_.number}
    else:
        linked = simulator.store.numbers_linked_to(account, app_id)  # checked: not empty
        from_endpoint = {"type": "phone", "number": linked[0]["msisdn"]}
    from_ = str(from_endpoint["number"])
    signed = bool(voice.effective("signed_callbacks")) if voice is not None else False
    started = datetime.fromisoformat(simulator.store.now().replace("Z", "+00:00"))
    new_id = simulator._new_id
    trace = CallTrace(
        new_id("call"), "CON-" + new_id("conversation"), to, from_, account, app_id, signed=signed
    )
    event: WebhookTarget | None = None
    if request.event_url:
        event = _target("event_url", request.event_url[0], request.event_method, "POST")
    elif hooks is not None and hooks.event_url is not None:
        event = WebhookTarget.for_voice("event_url", hooks.event_url)
    answer = _target("answer_url", (request.answer_url or [""])[0], request.answer_method, "GET")
    fallback = None
    if hooks is not None and hooks.fallback_answer_url is not None:
        fallback = WebhookTarget.for_voice("fallback_answer_url", hooks.fallback_answer_url)
    signer = None
    if signed:
        secret = simulator.signature_secrets.get(account, "")
        if secret:
            signer = make_signer(secret, api_key=account, application_id=app_id)
    region = REGION_URLS.get(str(voice.region), DEFAULT_REGION_URL) if voice else DEFAULT_REGION_URL
    with new_client() as client:
        ctx = CallContext(
            trace=trace,
            started=started,
            client=client,
            answer=answer,
            event=event,
            fallback=fallback,
            signer=signer,
            script=CallScript(),
            limits=CallLimits(),
            new_id=new_id,
            linked_numbers=[
                n["msisdn"] for n in simulator.store.numbers_linked_to(account, app_id)
            ],
        )
        ctx.caller = Leg("caller", trace.uuid, from_, to, "outbound", event)
        ctx.step(
            "caller",
            "call",
            "outgoing",
            f"application {application.name!r} ({app_id}) calls {to} from {from_}"
            + (", webhooks signed" if signed else ""),
        )
        _run(ctx, request, to_endpoint, region)
    trace.wall_ms = round((time.monotonic() - ctx.wall_start) * 1000, 1)
    return trace, _legs(trace, to_endpoint, from_endpoint)


def _run(ctx: CallContext, request: CreateCall, to_endpoint: dict[str, Any], region: str) -> None:
    trace = ctx.trace

    def while_ringing() -> None:
        ctx.advance(2.0)  # the called phone rings for a moment
        if request.machine_detection or request.advanced_machine_detection:
            ctx.step("caller", "note", "machine detection", "a person answered (not a machine)")

    answer = {
        "to": trace.to,
        "from": trace.from_,
        "uuid": trace.uuid,
        "conversation_uuid": trace.conversation_uuid,
        "endpoint_type": str(to_endpoint.get("type", "phone")),
        "region_url": region,
    }
    run_call(ctx, answer, ncco=request.ncco, while_ringing=while_ringing)


def _legs(
    trace: CallTrace, to_endpoint: dict[str, Any], from_endpoint: dict[str, Any]
) -> list[LegRecord]:
    """One record per leg, from the call-state events the engine posted (or noted)."""
    legs: dict[str, LegRecord] = {}
    for event in trace.posted_events:
        payload = event.payload
        uuid, status = payload.get("uuid"), payload.get("status")
        if not isinstance(uuid, str) or not isinstance(status, str) or status == "transfer":
            continue
        record = legs.get(uuid)
        if record is None:
            caller = uuid == trace.uuid
            record = LegRecord(
                uuid,
                trace.conversation_uuid,
                to_endpoint if caller else {"type": "phone", "number": str(payload.get("to"))},
                from_endpoint if caller else {"type": "phone", "number": str(payload.get("from"))},
                str(payload.get("direction", "outbound")),
                status,
            )
            legs[uuid] = record
        record.status = status
        if status == "completed":
            record.start_time = payload.get("start_time")
            record.end_time = payload.get("end_time")
            record.duration = payload.get("duration")
            record.rate = payload.get("rate")
            record.price = payload.get("price")
            record.network = payload.get("network")
    if trace.uuid not in legs:  # no event URL: nothing was posted, the record still exists
        legs[trace.uuid] = LegRecord(
            trace.uuid,
            trace.conversation_uuid,
            to_endpoint,
            from_endpoint,
            "outbound",
            "completed",
            trace.start_time,
            trace.end_time,
            str(round(trace.duration)),
            "0.00000000",
            "0.00000000",
            "SANDBOX",
        )
    ordered = [legs.pop(trace.uuid), *legs.values()]
    for record in ordered:
        if record.status not in _FINAL:
            record.status = "completed"
    return ordered
