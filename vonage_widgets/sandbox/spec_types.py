"""JSON types the spec declares for capabilities the models keep verbatim (video, meetings,
network_apis) [SPEC-APP-2.4.1].

The models deliberately keep these capabilities untyped, so an update never loses what a
newer API version added. A server, though, must not accept ``"active": 278`` where the spec
says boolean and then echo it back in a response that breaks the spec. This module checks
only the JSON *types* (and the one enum) the spec writes down for those three capabilities;
unknown keys stay allowed and are stored verbatim. When the models type these capabilities,
this table should go and :func:`validate_application` alone should do the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vonage_widgets.errors import FieldError

__all__ = ["SPEC_ONLY_CAPABILITIES", "drop_spec_nulls", "spec_type_errors"]

_VIDEO_WEBHOOKS = (
    "archive_status",
    "connection_created",
    "connection_destroyed",
    "session_created",
    "session_destroyed",
    "session_notification",
    "stream_created",
    "stream_destroyed",
    "render_status",
    "captions_status",
    "broadcast_status",
    "sip_call_created",
    "sip_call_updated",
    "sip_call_destroyed",
    "sip_call_mute_forced",
)
# The create/response schema and the update schema of 2.4.1 name these webhooks differently
# (a CONFLICT noted in vonage-api.md 1.5.6); both spellings get the same type rules.
_MEETINGS_WEBHOOKS = (
    "recording_changed",
    "room_changed",
    "session_changed",
    "recording_url",
    "rooms_url",
    "sessions_url",
)

Shape = type | tuple[str, ...] | Mapping[str, "Shape"]
"""``str``/``bool`` for a JSON type, a tuple for an enum of strings, a mapping for an object."""

SPEC_ONLY_CAPABILITIES: Mapping[str, Shape] = {
    "network_apis": {"network_application_id": str, "redirect_uri": str},
    "meetings": {
        "webhooks": {
            name: {"address": str, "http_method": ("POST",)} for name in _MEETINGS_WEBHOOKS
        }
    },
    "video": {
        "webhooks": {name: {"address": str, "active": bool} for name in _VIDEO_WEBHOOKS},
        "storage": {
            "server_side_encryption": bool,
            "end_to_end_encryption": bool,
            "cloud_storage": bool,
        },
    },
}
"""The typed part of each capability the models leave untyped, transcribed from the spec."""

_TYPE_RULES = {str: "must be a string", bool: "must be true or false"}


def _check(value: Any, shape: Shape, path: str, errors: list[FieldError]) -> None:
    if value is None:  # null reads as absent, as in the models (dropped by drop_spec_nulls)
        return
    if isinstance(shape, type):
        if not isinstance(value, shape):
            errors.append(FieldError(path, _TYPE_RULES[shape]))
    elif isinstance(shape, tuple):
        if value not in shape:
            errors.append(FieldError(path, f"must be one of: {', '.join(shape)}"))
    elif not isinstance(value, Mapping):
        errors.append(FieldError(path, "must be a JSON object"))
    else:
        for name, inner in shape.items():
            if name in value:
                _check(value[name], inner, f"{path}.{name}", errors)


def _drop(value: Any, shape: Shape) -> None:
    if not isinstance(value, dict) or not isinstance(shape, Mapping):
        return
    for name, inner in shape.items():
        if name in value:
            if value[name] is None:
                del value[name]
            else:
                _drop(value[name], inner)


def drop_spec_nulls(document: dict[str, Any]) -> None:
    """Remove ``null`` where the spec types a field of these capabilities (in place).

    The models read ``null`` on a known field as "absent" and leave it out; doing the same
    here keeps the stored document free of nulls the spec does not allow, which would
    otherwise be echoed back in responses.
    """
    capabilities = document.get("capabilities")
    if not isinstance(capabilities, dict):
        return
    for name, shape in SPEC_ONLY_CAPABILITIES.items():
        if name in capabilities:
            if capabilities[name] is None:
                del capabilities[name]
            else:
                _drop(capabilities[name], shape)


def spec_type_errors(data: object) -> list[FieldError]:
    """Type errors in ``capabilities.{video,meetings,network_apis}`` of a request body."""
    capabilities = data.get("capabilities") if isinstance(data, Mapping) else None
    if not isinstance(capabilities, Mapping):
        return []
    errors: list[FieldError] = []
    for name, shape in SPEC_ONLY_CAPABILITIES.items():
        if name in capabilities:
            _check(capabilities[name], shape, f"capabilities.{name}", errors)
    return errors
