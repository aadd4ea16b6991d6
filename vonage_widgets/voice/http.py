"""Calling a user's voice webhooks the way Vonage does: timeouts, one retry, clear failures.

One request is an :class:`Attempt`; :func:`deliver` makes up to two of them under the retry
rule of [api-notes §3.4]: the second attempt happens only when the first one timed out
(connect or read), lost its connection, or got HTTP 429, 503 or 504. Nothing else is retried:
other statuses, a body that is not JSON, a wrong content type, an invalid NCCO, a bad URL or a
TLS problem fail at once (the caller then tries the fallback URL).

Timeouts come from the application's webhook settings in milliseconds [api-notes §1.5.1]:
``connect_timeout`` bounds the TCP (and TLS) connect, ``socket_timeout`` bounds each wait for
response bytes (httpx's read timeout, which is per read, like a socket timeout).

Decisions where Vonage's public material is silent:

* "Connection refused" is retried like a connect timeout: both mean the server could not
  be reached, and Vonage lists unreachable servers among the retried failures.
* Webhooks that only report (plain call events) follow the same retry rule, and never
  trigger the fallback URL (it is for answers and NCCO-returning events only).
* A response may be at most :data:`MAX_RESPONSE_BYTES`; more is a failure (not retried).
* Redirects are not followed (a 3xx is an HTTP error, not retried).

Used by the call simulator and by :func:`vonage_widgets.checks.check_webhooks`, so a check and
a simulated call judge a webhook by exactly the same rules.
"""

from __future__ import annotations

import functools
import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.keys import sign_webhook
from vonage_widgets.models import Webhook
from vonage_widgets.models.ncco.limits import MAX_NCCO_BYTES

__all__ = [
    "MAX_ATTEMPTS",
    "MAX_RESPONSE_BYTES",
    "RETRYABLE_STATUSES",
    "Attempt",
    "Expect",
    "Failure",
    "Signer",
    "WebhookTarget",
    "deliver",
    "encode_query",
    "make_signer",
    "new_client",
    "send",
]

RETRYABLE_STATUSES = frozenset({429, 503, 504})
"""HTTP statuses that earn one more attempt [api-notes §3.4]."""
MAX_ATTEMPTS = 2
"""Attempts per URL: the first and one retry [api-notes §3.4]."""
MAX_RESPONSE_BYTES = MAX_NCCO_BYTES + 64 * 1024
"""Largest webhook response read: the biggest NCCO this package accepts, plus headroom."""

Failure = Literal[
    "connect_timeout",
    "read_timeout",
    "refused",
    "closed",
    "http_status",
    "content_type",
    "bad_json",
    "empty",
    "invalid_ncco",
    "too_large",
    "invalid_url",
    "tls",
    "transport",
]
"""Why an attempt failed (``None`` on the attempt when it succeeded)."""

_RETRYABLE_FAILURES = frozenset({"connect_timeout", "read_timeout", "refused", "closed"})

Expect = Literal["ncco", "maybe_ncco", "nothing"]
"""What a response must hold: an NCCO (answer, fallback), an optional NCCO (events that may
reply with one: input, notify, synchronous connect) or nothing in particular (plain events)."""

Signer = Callable[[bytes | Mapping[str, str]], str]
"""Makes the signed-webhook JWT for a POST body (bytes) or GET query (mapping)."""


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """Where and how to call one webhook: URL, method and timeouts in milliseconds."""

    url: str
    method: str
    connect_timeout: int
    socket_timeout: int

    @classmethod
    def for_voice(cls, name: str, hook: Webhook | None, url: str | None = None) -> WebhookTarget:
        """The application's voice webhook ``name`` (``answer_url``, ``event_url``,
        ``fallback_answer_url``), with the API defaults from the models' catalog for any
        setting left out. ``url`` overrides the address (an NCCO action's ``eventUrl``)."""
        from vonage_widgets.models import webhook_spec  # the catalog loads on the first call

        spec = webhook_spec("voice", name)
        connect = spec.connect_timeout.default if spec.connect_timeout else None
        socket = spec.socket_timeout.default if spec.socket_timeout else None
        method = spec.default_method or "POST"
        if hook is not None:
            method = hook.http_method or method
            connect = hook.connect_timeout or connect
            socket = hook.socket_timeout or socket
        address = url or (hook.address if hook is not None else "")
        return cls(address, method, int(connect or 1000), int(socket or 5000))

    def with_url(self, url: str, method: str | None = None) -> WebhookTarget:
        """The same timeouts for another URL (an action's ``eventUrl``/``eventMethod``)."""
        return WebhookTarget(
            url, (method or "POST").upper(), self.connect_timeout, self.socket_timeout
        )

    @property
    def timeout(self) -> httpx.Timeout:
        """httpx timeouts: connect (and pool) from connect_timeout, reads and writes from
        socket_timeout."""
        connect = self.connect_timeout / 1000
        socket = self.socket_timeout / 1000
        return httpx.Timeout(connect=connect, read=socket, write=socket, pool=connect)


@dataclass(slots=True)
class Attempt:
    """One HTTP request to a webhook and what came of it.

    ``failure`` is ``None`` when the response was what the request expected; ``error`` then
    explains any failure in a sentence (it becomes the fallback request's ``reason``).
    ``ncco`` holds the NCCO JSON of a successful NCCO reply; ``ncco_errors`` the rules an
    invalid one broke.
    """

    url: str
    method: str
    attempt: int
    payload: dict[str, Any]
    signed: bool = False
    status: int | None = None
    content_type: str | None = None
    latency_ms: float = 0.0
    body: Any = None
    failure: Failure | None = None
    error: str | None = None
    ncco: list[Any] | None = None
    ncco_errors: list[FieldError] = field(default_factory=list)
    ncco_warnings: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the webhook answered as expected."""
        return self.failure is None

    @property
    def retryable(self) -> bool:
        """Whether Vonage would make one more attempt after this one [api-notes §3.4]."""
        if self.failure in _RETRYABLE_FAILURES:
            return True
        return self.failure == "http_status" and self.status in RETRYABLE_STATUSES


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~0.1 s; one context serves every call of the process.
    return httpx.create_ssl_context()


def new_client() -> httpx.Client:
    """An httpx client for webhook calls: no proxies from the environment, no redirects,
    certificates checked against the usual CA bundle."""
    return httpx.Client(trust_env=False, follow_redirects=False, verify=_tls_context())


def make_signer(secret: str, *, api_key: str, application_id: str) -> Signer:
    """A :data:`Signer` using ``keys.sign_webhook`` with the account's signature secret."""

    def sign(payload: bytes | Mapping[str, str]) -> str:
        return sign_webhook(payload, secret, api_key=api_key, application_id=application_id)

    return sign


def encode_query(payload: Mapping[str, Any]) -> dict[str, str]:
    """A payload as GET query parameters: text as is, objects and arrays as compact JSON.

    How Vonage encodes objects in a query is undocumented [api-notes §3.2]:
    compact JSON is what the webhook server reads back (``original_request``, ``custom_data``).
    """
    query: dict[str, str] = {}
    for key, value in payload.items():
        if value is None:
            continue
        if isinstance(value, bool):
            query[key] = "true" if value else "false"
        elif isinstance(value, dict | list):
            query[key] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        else:
            query[key] = str(value)
    return query


def _request(
    client: httpx.Client,
    target: WebhookTarget,
    payload: Mapping[str, Any],
    signer: Signer | None,
) -> tuple[httpx.Request, bool]:
    headers = {"Accept": "application/json", "User-Agent": "vonage-widgets-sandbox"}
    url = httpx.URL(target.url)
    if target.method == "GET":
        # Keep the URL's own query first, then ours; the signature covers all of it, in order.
        merged = dict(url.params.multi_items())
        merged.update(encode_query(payload))
        url = url.copy_with(params=merged)
        if signer is not None:
            headers["Authorization"] = f"Bearer {signer(merged)}"
        request = client.build_request("GET", url, headers=headers, timeout=target.timeout)
        return request, signer is not None
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers["Content-Type"] = "application/json"
    if signer is not None:
        headers["Authorization"] = f"Bearer {signer(body)}"
    request = client.build_request(
        target.method, url, headers=headers, content=body, timeout=target.timeout
    )
    return request, signer is not None


def send(
    client: httpx.Client,
    target: WebhookTarget,
    payload: Mapping[str, Any],
    *,
    expect: Expect,
    signer: Signer | None = None,
    attempt: int = 1,
) -> Attempt:
    """Make one request and judge the response against ``expect``; never raises for the
    webhook's faults (they become ``failure``/``error`` on the returned attempt)."""
    result = Attempt(target.url, target.method, attempt, dict(payload))
    started = time.perf_counter()
    try:
        request, result.signed = _request(client, target, payload, signer)
        response = client.send(request, stream=True)
        try:
            raw = _read_bounded(response)
        finally:
            response.close()
    except _TooLarge:
        _fail(result, "too_large", f"Response larger than {MAX_RESPONSE_BYTES} bytes.")
    except httpx.ConnectTimeout:
        _fail(result, "connect_timeout", f"Connection timed out after {target.connect_timeout} ms.")
    except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
        _fail(result, "read_timeout", f"Read timed out after {target.socket_timeout} ms.")
    except httpx.ConnectError as exc:
        _fail(result, *_connect_failure(exc))
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
        _fail(result, "closed", "Connection closed.")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        _fail(result, "invalid_url", f"Invalid URL: {exc}")
    except httpx.HTTPError as exc:
        _fail(result, "transport", f"{type(exc).__name__}: {exc}")
    else:
        result.status = response.status_code
        result.content_type = response.headers.get("content-type")
        _judge(result, raw, expect)
    result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


class _TooLarge(Exception):
    pass


def _read_bounded(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _connect_failure(exc: httpx.ConnectError) -> tuple[Failure, str]:
    text = str(exc)
    if "SSL" in text or "CERTIFICATE" in text.upper():
        return "tls", f"TLS error: {text}"
    if "refused" in text.lower():
        return "refused", "Connection refused."
    return "refused", f"Could not connect: {text or type(exc).__name__}."


def _fail(result: Attempt, failure: Failure, error: str) -> None:
    result.failure, result.error = failure, error


def _is_json_type(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _judge(result: Attempt, raw: bytes, expect: Expect) -> None:
    """Check status, content type, JSON and NCCO, in the order Vonage's rules name them."""
    status = result.status or 0
    text = raw.decode("utf-8", "replace")
    if not 200 <= status < 300:
        result.body = _maybe_json(text)
        _fail(result, "http_status", f"HTTP {status}.")
        return
    if expect == "nothing":
        result.body = _maybe_json(text)
        return
    if not raw.strip():
        if expect == "ncco":
            _fail(result, "empty", f"Empty response (HTTP {status}): an NCCO was expected.")
        return  # an event reply with no NCCO: carry on
    if not _is_json_type(result.content_type):
        result.body = text
        if expect == "ncco":
            _fail(
                result,
                "content_type",
                f"Wrong content type {result.content_type or '(none)'}: "
                "an NCCO must be served as application/json.",
            )
        return  # an event reply that is not JSON ("OK") carries no NCCO
    try:
        data = loads(raw, subject="webhook reply")
    except ValidationError as exc:  # also too deep, huge numbers, lone surrogates, not UTF-8
        result.body = text
        _fail(result, "bad_json", f"Invalid JSON: {'; '.join(map(str, exc.errors[:3]))}.")
        return
    result.body = data
    if expect == "maybe_ncco" and not isinstance(data, list):
        return  # an event reply like {"ok": true} is not an NCCO: ignored
    from vonage_widgets.models import check_ncco  # the NCCO models load on the first reply

    check = check_ncco(data)
    if check.errors:
        result.ncco_errors = list(check.errors)
        shown = "; ".join(str(e) for e in check.errors[:3])
        more = f" (and {len(check.errors) - 3} more)" if len(check.errors) > 3 else ""
        _fail(result, "invalid_ncco", f"Invalid NCCO: {shown}{more}.")
        return
    result.ncco = data
    result.ncco_warnings = list(check.warnings)


def _maybe_json(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return loads(text, subject="webhook reply")
    except ValidationError:
        return text


def deliver(
    client: httpx.Client,
    target: WebhookTarget,
    payload: Mapping[str, Any],
    *,
    expect: Expect,
    signer: Signer | None = None,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> list[Attempt]:
    """Up to :data:`MAX_ATTEMPTS` requests: a second one only after a retryable failure.

    ``on_attempt`` sees each attempt as soon as it is made (the trace records it).
    """
    attempts: list[Attempt] = []
    for number in range(1, MAX_ATTEMPTS + 1):
        result = send(client, target, payload, expect=expect, signer=signer, attempt=number)
        attempts.append(result)
        if on_attempt is not None:
            on_attempt(result)
        if result.ok or not result.retryable:
            break
    return attempts
