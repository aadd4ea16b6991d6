"""One call from its first event to its hang-up: the part every simulated call shares.

An inbound call (``sandbox.calls``) and an outbound call made through the Voice API
(``sandbox.voice_calls``) differ only before and around ringing; from there on they run the
same way: the leg is started and rings, the NCCO is taken as given or fetched from the answer
URL, the leg is answered and the NCCO runs until it ends or someone hangs up, then the call
is completed and its duration set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vonage_widgets.voice.context import CallContext, CallOver, LimitReached

__all__ = ["run_call"]


def run_call(
    ctx: CallContext,
    answer_request: Mapping[str, Any],
    *,
    ncco: list[Any] | None = None,
    while_ringing: Callable[[], None] | None = None,
) -> None:
    """Run ``ctx``'s call on its caller leg.

    ``ncco`` is the call's NCCO when the caller gave one; otherwise it is fetched from the
    answer URL with ``answer_request`` as the query. ``while_ringing`` runs between the
    ringing event and the answer (an outbound call's ring time and machine detection).
    A call whose NCCO cannot be fetched posts an ``error`` event and ends unanswered; a
    limit of :class:`~vonage_widgets.voice.context.CallLimits` ends it as failed.
    """
    # The runner loads the NCCO models: on the first simulated call, not with the sandbox.
    from vonage_widgets.voice.runner import NccoRunner

    trace, leg = ctx.trace, ctx.caller
    runner = NccoRunner(ctx)
    by, why = "platform", "the NCCO ran out of actions"
    try:
        ctx.leg_event(leg, "started")
        ctx.leg_event(leg, "ringing")
        if while_ringing is not None:
            while_ringing()
        if ncco is None:
            ncco = ctx.fetch_answer(answer_request)
        if ncco is None:
            reason = ctx.last_error or "no NCCO"
            trace.outcome = f"failed: no NCCO could be fetched: {reason}"
            payload = {
                "reason": reason,
                "conversation_uuid": trace.conversation_uuid,
                "timestamp": ctx.stamp(),
            }
            ctx.post("caller", "error", payload, ctx.event)
            why = "no NCCO: the call is ended"
        else:
            leg.answered_at = ctx.now
            trace.answered = True
            ctx.leg_event(leg, "answered", start_time=ctx.stamp(), rate=None, network=None)
            runner.run(ncco)
    except CallOver as over:
        by, why = over.by, over.why
        if isinstance(over, LimitReached):
            trace.outcome = f"failed: {why}"
    ctx.closing = True
    runner.finish_recordings()
    ctx.step("caller", "call", "hangup", f"{why} (disconnected by {by})")
    ctx.completed(leg, by=by)
    if leg.answered_at is not None:
        trace.duration = round(ctx.now - leg.answered_at, 1)
    trace.start_time, trace.end_time = ctx.stamp(0.0), ctx.stamp()
