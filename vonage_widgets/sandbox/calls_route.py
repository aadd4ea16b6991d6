"""Simulated calls over HTTP: ``POST /_sandbox/calls`` and a client for it.

A sandbox running in another process (the one ``vonage-widgets lab`` shares with every
notebook kernel) is driven through this route: Basic auth with the account's API key and
secret, a JSON body with ``simulate_call``'s arguments, and the
:class:`~vonage_widgets.voice.trace.CallTrace` back as JSON
(:meth:`~vonage_widgets.voice.trace.CallTrace.to_dict`). Refusals are RFC 7807
bodies like the Application API's: 401 for bad credentials, 400 with ``invalid_parameters``
for a call that cannot be placed.

Body: ``{"to": "442079460000", "from": "447700900123", "dtmf": ["1"], "speech": [],
"answer_callee": true, "hold_seconds": 30, "limits": {"max_actions": 200}}`` (only ``to``
is required).
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vonage_widgets._json import loads
from vonage_widgets.errors import ApiError, FieldError, ValidationError
from vonage_widgets.sandbox.basic_auth import basic_account, unauthorized
from vonage_widgets.sandbox.calls import DEFAULT_CALLER, CallLimits, CallSimulator
from vonage_widgets.sandbox.problems import bad_request
from vonage_widgets.voice.trace import CallTrace

__all__ = ["BODY_KEYS", "CALLS_PATH", "call_routes", "simulate_call_remote"]

CALLS_PATH = "/_sandbox/calls"
"""Where a simulated call is placed over HTTP (POST)."""
BODY_KEYS = frozenset({"to", "from", "dtmf", "speech", "answer_callee", "hold_seconds", "limits"})
"""The keys a request body may hold."""


def call_routes(simulator: CallSimulator) -> list[Route]:
    """The route(s) to add to the sandbox's app (``build_app(extra_routes=...)``)."""
    return [Route(CALLS_PATH, _CallEndpoint(simulator).handle, methods=["POST"])]


class _CallEndpoint:
    """``POST /_sandbox/calls``: authenticate, check the body, simulate in a worker thread."""

    def __init__(self, simulator: CallSimulator) -> None:
        self.simulator = simulator

    async def handle(self, request: Request) -> Response:
        """Answer one request (a Starlette endpoint)."""
        ids = self.simulator.ids
        account = basic_account(self.simulator.accounts, request.headers.get("authorization", ""))
        if account is None:
            return unauthorized(ids.instance())
        try:
            body = _call_body(await request.body())
            limits = CallLimits(**body.pop("limits", {}))
            to = body.pop("to")
            from_ = body.pop("from", DEFAULT_CALLER)
            trace = await run_in_threadpool(
                lambda: self.simulator.simulate(to, from_, api_key=account, limits=limits, **body)
            )
        except ValidationError as error:
            return bad_request(error.errors, ids.instance())
        return JSONResponse(trace.to_dict())


def _call_body(raw: bytes) -> dict[str, Any]:
    """The JSON body, checked for shape (values are checked by ``simulate``)."""
    try:  # refuses bad JSON, deep nesting, huge numbers, NaN and lone surrogates
        data = loads(raw, subject="simulated call") if raw.strip() else {}
    except ValidationError as error:  # a lone surrogate keeps the path of its string
        raise ValidationError(
            [FieldError("", f"the body {e.message}") if not e.path else e for e in error.errors],
            subject=error.subject,
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(
            [FieldError("", "the body must be a JSON object")], subject="simulated call"
        )
    problems = [
        FieldError(str(key), "is not a parameter of a simulated call")
        for key in data
        if key not in BODY_KEYS
    ]
    if "to" not in data:
        problems.append(FieldError("to", "is required: the number to call"))
    limits = data.get("limits", {})
    names = tuple(CallLimits.__dataclass_fields__)
    if (
        not isinstance(limits, dict)
        or not set(limits) <= set(names)
        or any(isinstance(v, bool) or not isinstance(v, int | float) for v in limits.values())
    ):
        problems.append(
            FieldError("limits", f"must be an object of numbers among: {', '.join(names)}")
        )
    if problems:
        raise ValidationError(problems, subject="simulated call")
    return data


def simulate_call_remote(
    base_url: str,
    to: str,
    from_: str = DEFAULT_CALLER,
    *,
    api_key: str,
    api_secret: str,
    verify: bool | str = True,
    timeout: float = 300.0,
    **options: Any,
) -> CallTrace:
    """Place a simulated call through a sandbox running elsewhere (``POST /_sandbox/calls``).

    ``verify``: TLS verification, or the path of a CA file (a ``Sandbox(tls=True)``'s
    :attr:`~vonage_widgets.sandbox.Sandbox.ca_file`). ``options`` are ``simulate_call``'s
    keyword arguments (``dtmf``, ``speech``,
    ``answer_callee``, ``hold_seconds``; ``limits`` as a dict). Raises :class:`ApiError`
    (:class:`~vonage_widgets.errors.BadRequestError` with ``invalid_parameters`` when the
    sandbox refuses the call).
    """
    url = base_url.rstrip("/") + CALLS_PATH
    body = {"to": to, "from": from_, **options}
    trust: bool | ssl.SSLContext = (
        verify if isinstance(verify, bool) else (ssl.create_default_context(cafile=verify))
    )
    with httpx.Client(trust_env=False, verify=trust, timeout=timeout) as client:
        response = client.post(url, json=body, auth=(api_key, api_secret))
    try:
        data: Any = response.json()
    except ValueError:
        data = {"title": response.reason_phrase, "detail": response.text[:500]}
    if response.status_code != 200 or not isinstance(data, dict):
        raise ApiError.from_problem(
            response.status_code, data if isinstance(data, dict) else {}, method="POST", url=url
        )
    return CallTrace.from_dict(data)
