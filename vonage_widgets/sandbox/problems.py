"""Error bodies of the sandbox: RFC 7807 for the Application API, legacy codes for Numbers.

Types, titles and details follow the Application API spec's documented examples
[api-notes §1.8]. Error bodies are sent as ``application/json``, the media
type the spec declares for every error response (where sources differ, the spec wins over the
``application/problem+json`` some other Vonage APIs use), so spec-driven clients and
checkers accept them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.responses import JSONResponse, Response

from vonage_widgets.errors import FieldError

__all__ = [
    "ERROR_MEDIA_TYPE",
    "NUMBERS_MEDIA_TYPE",
    "Reply",
    "bad_request",
    "numbers_reply",
    "problem",
]

ERROR_MEDIA_TYPE = "application/json"
NUMBERS_MEDIA_TYPE = "application/json;charset=UTF-8"  # as observed from rest.nexmo.com

_DOCS = "https://developer.vonage.com/api-errors"


class Reply(Exception):
    """Raised by request handling to answer at once with ``response`` (usually an error)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    instance: str,
    *,
    invalid_parameters: Iterable[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An RFC 7807 response. ``kind`` is a full type URL or a fragment of the generic page."""
    from vonage_widgets.models import ProblemDetails  # loads with the first error, not the sandbox

    kind = kind if kind.startswith("https://") else f"{_DOCS}#{kind}"
    if invalid_parameters is None:
        details = ProblemDetails(type=kind, title=title, detail=detail, instance=instance)
    else:
        details = ProblemDetails.validation(
            invalid_parameters, type=kind, title=title, detail=detail, instance=instance
        )
    body = details.to_dict()
    return JSONResponse(body, status, headers=dict(headers or {}), media_type=ERROR_MEDIA_TYPE)


def bad_request(
    errors: Iterable[FieldError], instance: str, *, listing: bool = False
) -> JSONResponse:
    """400 with ``invalid_parameters`` naming every bad field (payload or list validation)."""
    from vonage_widgets.models import LIST_VALIDATION_TYPE, PAYLOAD_VALIDATION_TYPE

    return problem(
        400,
        LIST_VALIDATION_TYPE if listing else PAYLOAD_VALIDATION_TYPE,
        "Bad Request",
        "The request failed due to validation errors",
        instance,
        invalid_parameters=errors,
    )


def numbers_reply(
    status: int, code: str, label: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A Numbers API body: ``{"error-code": ..., "error-code-label": ...}`` [api-notes §2.1]."""
    return JSONResponse(
        {"error-code": code, "error-code-label": label},
        status,
        headers=dict(headers or {}),
        media_type=NUMBERS_MEDIA_TYPE,
    )
