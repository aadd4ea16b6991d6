"""RFC 7807 "problem details" bodies, the error shape of the Application API [api-notes §1.8].

The sandbox builds them (:meth:`ProblemDetails.validation` from the same ``FieldError`` list
``validate_application`` raises, so form and API report identical paths and reasons); the
client reads them back into ``FieldError`` items.
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from vonage_widgets.errors import FieldError
from vonage_widgets.models._errors import validate_model
from vonage_widgets.models._wire import WireModel

__all__ = [
    "LIST_VALIDATION_TYPE",
    "PAYLOAD_VALIDATION_TYPE",
    "InvalidParameter",
    "ProblemDetails",
]

PAYLOAD_VALIDATION_TYPE = "https://developer.vonage.com/api-errors/application#payload-validation"
"""``type`` of a 400 for a bad create/update body [api-notes §1.8]."""

LIST_VALIDATION_TYPE = "https://developer.vonage.com/api-errors/application#list-validation"
"""``type`` of a 400 for bad list query parameters [api-notes §1.8]."""


class InvalidParameter(WireModel):
    """One rejected field: ``name`` is the dotted wire path, ``reason`` the rule it broke."""

    name: str
    reason: str

    def to_field_error(self) -> FieldError:
        """The same problem as a :class:`FieldError`."""
        return FieldError(self.name, self.reason)


class ProblemDetails(WireModel):
    """An RFC 7807 error body: ``type``, ``title``, ``detail``, ``instance`` and, for 400s,
    ``invalid_parameters``. Unknown members are kept (RFC 7807 allows extensions)."""

    type: str | None = None
    title: str | None = None
    detail: str | None = None
    instance: str | None = None
    invalid_parameters: list[InvalidParameter] = Field(default_factory=list)

    @classmethod
    def validation(
        cls,
        errors: Iterable[FieldError],
        *,
        type: str = PAYLOAD_VALIDATION_TYPE,  # the RFC 7807 member name
        title: str = "Bad Request",
        detail: str = "The request failed due to validation errors",
        instance: str | None = None,
    ) -> "ProblemDetails":
        """A 400 body listing ``errors`` as ``invalid_parameters`` (the API's own wording)."""
        return cls(
            type=type,
            title=title,
            detail=detail,
            instance=instance,
            invalid_parameters=[InvalidParameter(name=e.path, reason=e.message) for e in errors],
        )

    @classmethod
    def from_api(cls, data: object) -> "ProblemDetails":
        """Read an error body; raises ValidationError if it is not a problem-details object."""
        return validate_model(cls, data, subject="problem details")

    def field_errors(self) -> list[FieldError]:
        """The invalid parameters as :class:`FieldError` items."""
        return [p.to_field_error() for p in self.invalid_parameters]

    def to_dict(self) -> dict[str, Any]:
        """The JSON body; absent members stay absent (``invalid_parameters`` only when given)."""
        return self.to_wire()
