"""One exception hierarchy for the whole package.

Every error the package raises on purpose derives from :class:`VonageWidgetsError`, so a
notebook can catch one class. The tree::

    VonageWidgetsError
    ├── ValidationError          bad input: a form field, an API body, an NCCO, a file
    ├── KeyHandlingError         a private or public key that cannot be read, saved or matched
    │   └── UnsavedKeyError      an application was created; its one-time key is not saved yet
    ├── WebhookSignatureError    a signed webhook whose JWT or payload hash does not verify
    ├── TransportError           the request never got an HTTP answer
    │   ├── ConnectError         connection refused or reset
    │   └── RequestTimeout       connect or read timeout
    └── ApiError                 the API answered with an error
        ├── BadRequestError      400 (RFC 7807, with ``invalid_parameters``)
        ├── AuthenticationError  401
        ├── ForbiddenError       403
        ├── NotFoundError        404
        ├── RateLimitedError     429 (``retry_after`` in seconds, when the server said)
        ├── ServerError          5xx
        └── NumbersError         Numbers API ``error-code`` failures (HTTP 200 or 420)

Messages never contain secrets: callers pass data through :func:`vonage_widgets.redact`
before it reaches an exception, and API bodies are shown only as their RFC 7807 fields.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # names for annotations only: this module imports nothing of ours
    from pydantic import SecretStr

    from vonage_widgets.models import Application

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConnectError",
    "FieldError",
    "ForbiddenError",
    "KeyHandlingError",
    "NotFoundError",
    "NumbersError",
    "RateLimitedError",
    "RequestTimeout",
    "ServerError",
    "TransportError",
    "UnsavedKeyError",
    "ValidationError",
    "VonageWidgetsError",
    "WebhookSignatureError",
]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One broken rule: where (a dotted JSON path) and what (a sentence naming the rule).

    ``path`` uses the API's wire names, for example
    ``capabilities.voice.webhooks.answer_url.socket_timeout``;
    list items appear as numbers (``3.eventUrl`` for the fourth NCCO action). ``""`` means the
    document as a whole.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class VonageWidgetsError(Exception):
    """Root of every error this package raises on purpose."""


class ValidationError(VonageWidgetsError, ValueError):
    """Input broke one or more rules. ``errors`` lists each broken rule with its field path."""

    def __init__(self, errors: Iterable[FieldError], *, subject: str = "input") -> None:
        self.errors: list[FieldError] = list(errors)
        self.subject = subject
        lines = "\n".join(f"  - {e}" for e in self.errors)
        count = len(self.errors)
        super().__init__(f"{subject} is invalid ({count} problem{'s' * (count != 1)}):\n{lines}")

    @property
    def paths(self) -> list[str]:
        """The field paths that failed, in order."""
        return [e.path for e in self.errors]

    def for_path(self, path: str) -> list[str]:
        """Messages for one field path."""
        return [e.message for e in self.errors if e.path == path]


class KeyHandlingError(VonageWidgetsError):
    """A key could not be loaded, parsed, saved or matched. The message never shows the key."""


KeySaver = Callable[["SecretStr", "str | os.PathLike[str] | None"], Path]
"""Saves a private key to a file or folder (``None``: the default file); returns the file."""


class UnsavedKeyError(KeyHandlingError):
    """An application was created but its one-time private key could not be saved.

    Vonage returns a key pair it generated only once, in the create answer: losing it
    means making a new key for the application. So this error keeps the key (a
    :class:`~pydantic.SecretStr`, never shown) and :meth:`retry_save` writes it elsewhere.
    ``application`` is the created application without its private key; ``default_path``
    is the file that could not be written. Made by :mod:`vonage_widgets.appwrite`.
    """

    def __init__(
        self,
        message: str,
        *,
        application: Application,
        private_key: SecretStr,
        default_path: Path,
        save: KeySaver,
        reason: KeyHandlingError | None = None,
    ) -> None:
        super().__init__(message)
        self.application = application
        self.private_key: SecretStr | None = private_key
        self.default_path = default_path
        self.reason = reason
        """Why the first save failed (the error :func:`save_private_key` raised)."""
        self._save = save

    def retry_save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Save the kept key to ``path`` (a file or a folder; default: where it failed).

        Returns the file (mode 0600); raises KeyHandlingError when it cannot be saved, and
        then the key is still kept here. After a save the key is dropped from memory.
        """
        if self.private_key is None:
            raise KeyHandlingError("the private key was already saved; nothing left to save")
        saved = self._save(self.private_key, path)
        self.private_key = None
        return saved


class WebhookSignatureError(VonageWidgetsError):
    """A signed webhook failed verification: bad signature, expired, or tampered payload."""


class TransportError(VonageWidgetsError):
    """No HTTP answer: the host could not be reached or did not answer in time."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)


class ConnectError(TransportError):
    """The connection was refused, reset or closed before an answer."""


class RequestTimeout(TransportError):
    """The connect or read timeout ran out."""


class ApiError(VonageWidgetsError):
    """The API answered with an error status.

    Carries the RFC 7807 fields when the body had them: ``type``, ``title``, ``detail``,
    ``instance`` and ``invalid_parameters`` (a list of :class:`FieldError`).
    """

    def __init__(
        self,
        status: int,
        *,
        title: str = "",
        detail: str = "",
        type: str = "",  # the RFC 7807 field name
        instance: str = "",
        invalid_parameters: Iterable[FieldError] = (),
        method: str = "",
        url: str = "",
        body: Any = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.instance = instance
        self.invalid_parameters: list[FieldError] = list(invalid_parameters)
        self.method = method
        self.url = url
        self.body = body
        super().__init__(self._message())

    def _message(self) -> str:
        where = f" ({self.method} {self.url})" if self.method else ""
        head = f"HTTP {self.status}{where}: {self.title or 'error'}"
        if self.detail:
            head += f" - {self.detail}"
        lines = [head, *(f"  - {p}" for p in self.invalid_parameters)]
        if self.instance:
            lines.append(f"  (instance {self.instance})")
        return "\n".join(lines)

    @classmethod
    def from_problem(
        cls, status: int, body: Mapping[str, Any] | None, *, method: str = "", url: str = ""
    ) -> ApiError:
        """Build the subclass that fits ``status`` from an RFC 7807 body (or none)."""
        body = body if isinstance(body, Mapping) else {}
        params = body.get("invalid_parameters") or []
        fields = [
            FieldError(str(p.get("name", "")), str(p.get("reason", "")))
            for p in params
            if isinstance(p, Mapping)
        ]
        kind = _STATUS_CLASSES.get(status) or (ServerError if status >= 500 else ApiError)
        return kind(
            status,
            title=str(body.get("title", "")),
            detail=str(body.get("detail", "")),
            type=str(body.get("type", "")),
            instance=str(body.get("instance", "")),
            invalid_parameters=fields,
            method=method,
            url=url,
            body=dict(body),
        )


class BadRequestError(ApiError):
    """HTTP 400: the request broke a rule; ``invalid_parameters`` says which fields."""


class AuthenticationError(ApiError):
    """HTTP 401: the API key and secret were not accepted."""


class ForbiddenError(ApiError):
    """HTTP 403: the account may not do this."""


class NotFoundError(ApiError):
    """HTTP 404: no such application or number for this account."""


class RateLimitedError(ApiError):
    """HTTP 429: too many requests. ``retry_after`` is the server's hint in seconds, if any."""

    retry_after: float | None = None


class ServerError(ApiError):
    """HTTP 5xx: the server failed."""


class NumbersError(ApiError):
    """The Numbers API refused an operation (``error-code`` other than 200)."""

    def __init__(
        self,
        status: int,
        error_code: str,
        error_code_label: str,
        *,
        hint: str = "",
        method: str = "",
        url: str = "",
    ) -> None:
        self.error_code = error_code
        self.error_code_label = error_code_label
        self.hint = hint
        super().__init__(
            status,
            title=f"Numbers API error {error_code}",
            detail=error_code_label + (f". {hint}" if hint else ""),
            method=method,
            url=url,
            body={"error-code": error_code, "error-code-label": error_code_label},
        )


_STATUS_CLASSES: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    429: RateLimitedError,
}
