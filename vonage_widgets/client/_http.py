"""The client's HTTP layer: one connection pool, retries, error mapping.

Kept apart from the API methods so the rules that decide *whether a request may be sent
again* live in one short place:

- only idempotent methods (GET, PUT, DELETE, HEAD, OPTIONS) are retried, and only on
  HTTP 429 and 503 or on a connection that failed before the request went out;
- a POST (create an application, update a number) is never resent: the server may already
  have acted on it, so the error says it was not retried and why;
- ``Retry-After`` (seconds or an HTTP date) is honoured up to a cap; otherwise the delay
  doubles from ``backoff_base`` up to ``backoff_cap``.

Error text never contains the API secret or the ``Authorization`` header: URLs are shown
without user info, and every string taken from a response passes through
:func:`vonage_widgets.redact.redact` with the secret and the Basic token.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from vonage_widgets._json import loads
from vonage_widgets.errors import (
    ApiError,
    ConnectError,
    FieldError,
    NumbersError,
    RateLimitedError,
    RequestTimeout,
    ValidationError,
)
from vonage_widgets.redact import redact

__all__ = [
    "IDEMPOTENT_METHODS",
    "RETRYABLE_STATUSES",
    "HttpSession",
    "RetryPolicy",
    "decode_json",
    "display_url",
    "json_object",
    "normalize_base_url",
    "parse_retry_after",
]

logger = logging.getLogger("vonage_widgets.client")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that may be sent twice without changing the outcome (RFC 9110 section 9.2.2)."""

RETRYABLE_STATUSES = frozenset({429, 503})
"""Answers that mean "not processed, try later": rate limited, temporarily unavailable."""

_SNIPPET_CHARS = 200  # enough of a non-JSON error body to recognise it, short enough to read


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait before sending an idempotent request again.

    ``max_retries=0`` turns retries off. The n-th retry (0-based) waits
    ``min(backoff_base * 2**n, backoff_cap)`` seconds unless the server sent ``Retry-After``,
    which wins but is capped at ``max_retry_after`` so a notebook cell never hangs for long.
    """

    max_retries: int = 3
    backoff_base: float = 0.2
    backoff_cap: float = 5.0
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        problems = [
            FieldError(name, "must be 0 or more")
            for name, value in (
                ("max_retries", self.max_retries),
                ("backoff_base", self.backoff_base),
                ("backoff_cap", self.backoff_cap),
                ("max_retry_after", self.max_retry_after),
            )
            if value < 0
        ]
        if problems:
            raise ValidationError(problems, subject="retry settings")

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry ``retry_number`` (0 for the first retry)."""
        return float(min(self.backoff_base * (2**retry_number), self.backoff_cap))

    def delay(self, retry_number: int, retry_after: float | None) -> float:
        """The wait before a retry: the server's ``Retry-After`` (capped) or the backoff."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return self.backoff(retry_number)


def normalize_base_url(value: str, setting: str) -> str:
    """Turn a host setting into a base URL: ``https://`` added to a bare host, no trailing ``/``.

    ``http://`` is allowed (the local sandbox). User info is refused because it would put a
    credential into every repr and error message.
    """
    text = value.strip()
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    problems: list[FieldError] = []
    if parts.scheme not in ("http", "https"):
        problems.append(FieldError(setting, "must be an http:// or https:// URL"))
    if not parts.hostname:
        problems.append(FieldError(setting, "must name a host, e.g. https://api.nexmo.com"))
    if parts.username is not None or parts.password is not None:
        problems.append(FieldError(setting, "must not contain a user name or password"))
    if parts.query or parts.fragment:
        problems.append(FieldError(setting, "must not have a query string or fragment"))
    if problems:
        raise ValidationError(problems, subject=f"{setting} setting")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def display_url(url: httpx.URL | str) -> str:
    """The URL as it may appear in messages and logs: no user info, no credential parameters."""
    parsed = httpx.URL(str(url))
    if parsed.params:
        kept = [(k, v) for k, v in parsed.params.multi_items() if k not in _CREDENTIAL_PARAMS]
        parsed = parsed.copy_with(params=kept)
    if parsed.userinfo:
        parsed = parsed.copy_with(username=None, password=None)
    return str(parsed)


_CREDENTIAL_PARAMS = frozenset({"api_key", "api_secret", "sig", "token"})


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP date).

    Returns ``None`` when the header is missing or unreadable; a date in the past gives 0.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds else None  # NaN is unreadable
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((when - current).total_seconds(), 0.0)


def decode_json(response: httpx.Response) -> Any:
    """The JSON body, or ``None`` when the body is empty or not JSON.

    Decoded by :func:`vonage_widgets._json.loads`, so a hostile body (deep nesting, huge
    integers, bad UTF-8) becomes "not JSON" here instead of a RecursionError or ValueError
    escaping from every client call.
    """
    if not response.content:
        return None
    try:
        return loads(response.content, subject="response body")
    except ValidationError:
        return None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The JSON object in the body; an :class:`ApiError` when the body is anything else."""
    body = decode_json(response)
    if isinstance(body, dict):
        return body
    request = response.request
    raise ApiError(
        response.status_code,
        title="Unexpected response",
        detail="expected a JSON object in the response body",
        method=request.method,
        url=display_url(request.url),
    )


NumbersHint = Callable[[str, str], str]
"""Builds the actionable hint of a :class:`NumbersError` from ``(error_code, label)``."""


class HttpSession:
    """One ``httpx.Client`` with Basic auth, retries and the package's error types.

    Thread-safe for concurrent requests (``list_all`` fetches pages from a small thread
    pool); all threads share the client's keep-alive connection pool.
    """

    def __init__(
        self,
        *,
        api_key: str,
        api_secret: str,
        timeout: float,
        retry: RetryPolicy,
        transport: httpx.BaseTransport | None,
        verify: bool | str | Path | ssl.SSLContext,
        user_agent: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retry = retry
        self.sleep = sleep
        self.timeout = timeout
        token = base64.b64encode(f"{api_key}:{api_secret}".encode()).decode("ascii")
        # Everything that must never be shown: the secret and the header built from it.
        self._secrets: tuple[str, ...] = (api_secret, token)
        self._client = httpx.Client(
            auth=httpx.BasicAuth(api_key, api_secret),
            headers={"Accept": "application/json", "User-Agent": user_agent},
            timeout=httpx.Timeout(timeout),
            transport=transport,
            verify=_ssl_verify(verify),
            follow_redirects=False,  # a redirect to another host must not carry our credentials
        )

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._client.is_closed

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def scrub(self, value: Any) -> Any:
        """A copy of a decoded JSON value with secrets and private keys removed from strings."""
        if isinstance(value, str):
            return redact(value, *self._secrets)
        if isinstance(value, Mapping):
            return {str(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        return value

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        numbers_hint: NumbersHint | None = None,
    ) -> httpx.Response:
        """Send a request, retrying where safe, and return the successful (< 400) response.

        Raises :class:`ConnectError` / :class:`RequestTimeout` when no answer came, and an
        :class:`ApiError` subclass for any status >= 400 (a :class:`NumbersError` with the
        hint from ``numbers_hint`` for a Numbers API error body).
        """
        method = method.upper()
        # The URL is parsed once, here, and the form shown in messages only when one is
        # written: httpx parsed it four more times per request otherwise, ~10% of the
        # client's CPU for a list page (benchmarks/listing.py).
        target = httpx.URL(url, params=params) if params else httpx.URL(url)
        shown_once: list[str] = []

        def shown() -> str:
            if not shown_once:
                shown_once.append(display_url(target))
            return shown_once[0]

        may_retry = method in IDEMPOTENT_METHODS
        retries = 0
        while True:
            try:
                response = self._client.request(method, target, json=json_body, data=form)
            except httpx.TransportError as exc:
                if may_retry and _sent_nothing(exc) and retries < self.retry.max_retries:
                    reason = redact(_reason(exc), *self._secrets)
                    self._wait(method, shown(), f"could not connect ({reason})", retries, None)
                    retries += 1
                    continue
                # Keep httpx's exception as the cause for debugging, unless its text would
                # print a secret in the traceback.
                text = str(exc)
                cause = exc if redact(text, *self._secrets) == text else None
                raise self._transport_error(exc, method, shown(), retries) from cause
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s %s -> HTTP %s", method, shown(), response.status_code)
            if response.status_code in RETRYABLE_STATUSES:
                if may_retry and retries < self.retry.max_retries:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    response.close()
                    what = f"answered HTTP {response.status_code}"
                    self._wait(method, shown(), what, retries, retry_after)
                    retries += 1
                    continue
                raise self.error_for(
                    response, method, shown(), numbers_hint, note=_give_up_note(method, retries)
                )
            if response.status_code >= 400:
                raise self.error_for(response, method, shown(), numbers_hint)
            return response

    def _wait(
        self, method: str, shown: str, what: str, retries: int, retry_after: float | None
    ) -> None:
        delay = self.retry.delay(retries, retry_after)
        logger.info(
            "%s %s %s; retry %d of %d in %.2f s",
            method,
            shown,
            what,
            retries + 1,
            self.retry.max_retries,
            delay,
        )
        self.sleep(delay)

    def _transport_error(
        self, exc: httpx.TransportError, method: str, shown: str, retries: int
    ) -> ConnectError | RequestTimeout:
        note = _give_up_note(method, retries)
        suffix = f"; {note}" if note else ""
        if isinstance(exc, httpx.TimeoutException):
            kind = _TIMEOUT_KINDS.get(type(exc), "timeout")
            message = f"{method} {shown} timed out after {self.timeout:g} s ({kind}){suffix}"
            return RequestTimeout(redact(message, *self._secrets), method=method, url=shown)
        message = f"{method} {shown} failed: {_reason(exc)}{suffix}"
        return ConnectError(redact(message, *self._secrets), method=method, url=shown)

    def error_for(
        self,
        response: httpx.Response,
        method: str,
        shown: str,
        numbers_hint: NumbersHint | None = None,
        *,
        note: str = "",
    ) -> ApiError:
        """The :class:`ApiError` subclass for an error response (RFC 7807, legacy or not JSON)."""
        status = response.status_code
        body = self.scrub(decode_json(response))
        if isinstance(body, Mapping) and "error-code" in body and numbers_hint is not None:
            code = str(body.get("error-code", ""))
            label = str(body.get("error-code-label", ""))
            # 420 "method failed" and friends are Numbers API refusals, not HTTP semantics.
            if status not in (401, 403, 429) and status < 500:
                error: ApiError = NumbersError(
                    status, code, label, hint=numbers_hint(code, label), method=method, url=shown
                )
                return _with_note(error, note)
        problem = self._problem(response, body)
        error = ApiError.from_problem(status, problem, method=method, url=shown)
        if isinstance(error, RateLimitedError):
            error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return _with_note(error, note)

    def _problem(self, response: httpx.Response, body: Any) -> Mapping[str, Any]:
        """RFC 7807 fields from whatever the server sent."""
        reason = response.reason_phrase or "error"
        if isinstance(body, Mapping):
            if any(k in body for k in ("title", "detail", "type", "invalid_parameters")):
                return body
            if "error-code" in body or "error-code-label" in body:
                return {
                    **body,
                    "title": str(body.get("error-code-label") or reason),
                    "detail": f"error-code {body.get('error-code', '?')}",
                }
            return {"title": reason, "detail": _snippet(json.dumps(body)), "body": dict(body)}
        if body is not None:  # JSON, but a list or a scalar
            return {"title": reason, "detail": _snippet(json.dumps(body))}
        kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "non-JSON"
        text = redact(response.text, *self._secrets) if response.content else ""
        detail = f"{kind} body: {_snippet(text)}" if text.strip() else "empty body"
        return {"title": reason, "detail": detail}


_TIMEOUT_KINDS: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connect timeout",
    httpx.ReadTimeout: "read timeout",
    httpx.WriteTimeout: "write timeout",
    httpx.PoolTimeout: "no free connection in the pool",
}


def _sent_nothing(exc: httpx.TransportError) -> bool:
    """True when the request cannot have reached the server, so sending it again is safe.

    ``RemoteProtocolError`` covers a keep-alive connection the server had already closed
    ("Server disconnected without sending a response"); it is only retried for idempotent
    methods, where a second delivery changes nothing.
    """
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.RemoteProtocolError)


def _give_up_note(method: str, retries: int) -> str:
    if method not in IDEMPOTENT_METHODS:
        return (
            f"not retried: a {method} is never resent automatically because the server may "
            "already have acted on it; check the current state before trying again"
        )
    if retries:
        return f"gave up after {retries} retr{'y' if retries == 1 else 'ies'}"
    return ""


def _with_note(error: ApiError, note: str) -> ApiError:
    """Append a note on retries to the error's detail and message."""
    if note:
        error.detail = f"{error.detail} ({note})" if error.detail else note
        error.args = (error._message(),)
    return error


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET_CHARS else flat[: _SNIPPET_CHARS - 1] + "…"


def _ssl_verify(verify: bool | str | Path | ssl.SSLContext) -> bool | ssl.SSLContext:
    """httpx wants an SSLContext for a CA file (the sandbox's self-signed CA)."""
    if isinstance(verify, str | Path):
        try:
            return ssl.create_default_context(cafile=str(verify))
        except (OSError, ssl.SSLError) as exc:
            reason = exc.strerror or type(exc).__name__
            problem = FieldError("verify", f"cannot read the CA bundle {verify}: {reason}")
            raise ValidationError([problem], subject="TLS settings") from exc
    return verify
