"""The spec's rules for ``video``, ``meetings`` and ``network_apis`` [api-notes §1.5.4].

Vonage's spec 2.4.1 documents these three capabilities, but the official SDKs do not model
them [api-notes §1.5.4] and no recorded response shows one. So the models check them against
exactly what the spec writes down (JSON types, the one enum) and nothing stricter, and
:class:`~vonage_widgets.models.application.Capabilities` keeps each one as the JSON it was
sent, unknown keys and ``null`` values included: a body still round-trips byte for byte, and
every reader of unknown capabilities (tables, form, CLI) keeps working. Decisions:

* Webhook addresses are checked as strings, not as URLs: the spec types them so, and a
  listing must never fail on a capability whose real responses nobody has seen. The audit
  (``tables.audit``) still flags an address Vonage could not call.
* Meetings webhooks are POST only, under both spellings of 2.4.1: ``recording_changed``,
  ``room_changed``, ``session_changed`` (create request and response) and ``recording_url``,
  ``rooms_url``, ``sessions_url`` (update request), a CONFLICT noted in reference 1.5.6.
* A video webhook may carry ``secret`` (a string): the Vonage CLI sends one [api-notes §1.5.4].

:class:`ExtraCapabilities` lists the three; the catalog describes them as
``EXTRA_CAPABILITIES`` (not in ``CAPABILITIES``, which drives the form and the tables).
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from vonage_widgets.models._wire import ApiDefault, OptionalWireModel, built, model_in

__all__ = [
    "ExtraCapabilities",
    "MeetingsCapability",
    "MeetingsWebhook",
    "MeetingsWebhooks",
    "NetworkApisCapability",
    "VideoCapability",
    "VideoStorage",
    "VideoWebhook",
    "VideoWebhooks",
    "without_extra_capability_nulls",
]


class VideoWebhook(OptionalWireModel):
    """A video webhook: where Vonage sends one kind of event, and whether it does."""

    address: str | None = Field(None, description="The URL Vonage sends these events to.")
    active: bool | None = Field(None, description="Whether the webhook is active.")
    secret: str | None = Field(
        None, description="A secret for the webhook (sent by the Vonage CLI; not in the spec)."
    )


class VideoWebhooks(OptionalWireModel):
    """The video capability's webhooks, one per kind of event [api-notes §1.5.4]."""

    archive_status: VideoWebhook | None = Field(None, description="Archive status changes.")
    connection_created: VideoWebhook | None = Field(
        None, description="A video connection is created."
    )
    connection_destroyed: VideoWebhook | None = Field(
        None, description="A video connection is destroyed."
    )
    session_created: VideoWebhook | None = Field(None, description="A video session is created.")
    session_destroyed: VideoWebhook | None = Field(
        None, description="A video session is destroyed."
    )
    session_notification: VideoWebhook | None = Field(None, description="Session notifications.")
    stream_created: VideoWebhook | None = Field(None, description="A stream is created.")
    stream_destroyed: VideoWebhook | None = Field(None, description="A stream is destroyed.")
    render_status: VideoWebhook | None = Field(None, description="A render status changes.")
    captions_status: VideoWebhook | None = Field(None, description="Captions status changes.")
    broadcast_status: VideoWebhook | None = Field(None, description="A broadcast status changes.")
    sip_call_created: VideoWebhook | None = Field(None, description="A SIP call is created.")
    sip_call_updated: VideoWebhook | None = Field(None, description="A SIP call is updated.")
    sip_call_destroyed: VideoWebhook | None = Field(None, description="A SIP call is destroyed.")
    sip_call_mute_forced: VideoWebhook | None = Field(None, description="A SIP call is muted.")


class VideoStorage(OptionalWireModel):
    """Video storage settings (the Dashboard shows video settings only when this is present)."""

    server_side_encryption: bool | None = Field(
        None, title="Server-side encryption", description="Whether to use server-side encryption."
    )
    end_to_end_encryption: bool | None = Field(
        None, title="End-to-end encryption", description="Whether to use end-to-end encryption."
    )
    cloud_storage: bool | None = Field(
        None, title="Cloud storage", description="Whether to use the cloud storage feature."
    )


class VideoCapability(OptionalWireModel):
    """``capabilities.video``: event webhooks and storage settings [api-notes §1.5.4]."""

    webhooks: VideoWebhooks | None = None
    storage: VideoStorage | None = None


class MeetingsWebhook(OptionalWireModel):
    """A meetings webhook: always called with POST [api-notes §1.5.4]."""

    address: str | None = Field(None, description="The URL Vonage calls.")
    http_method: Annotated[Literal["POST"] | None, ApiDefault("POST")] = Field(
        None, description="Always POST for this webhook."
    )


_RECORDINGS = "Vonage forwards recording information here."
_ROOMS = "Vonage forwards meeting room information here."
_SESSIONS = "Vonage forwards session information here."


class MeetingsWebhooks(OptionalWireModel):
    """The meetings capability's webhooks, under both names spec 2.4.1 uses for each."""

    recording_changed: MeetingsWebhook | None = Field(None, description=_RECORDINGS)
    room_changed: MeetingsWebhook | None = Field(None, description=_ROOMS)
    session_changed: MeetingsWebhook | None = Field(None, description=_SESSIONS)
    recording_url: MeetingsWebhook | None = Field(
        None, description=f"{_RECORDINGS} (The update request's name for recording_changed.)"
    )
    rooms_url: MeetingsWebhook | None = Field(
        None, description=f"{_ROOMS} (The update request's name for room_changed.)"
    )
    sessions_url: MeetingsWebhook | None = Field(
        None, description=f"{_SESSIONS} (The update request's name for session_changed.)"
    )


class MeetingsCapability(OptionalWireModel):
    """``capabilities.meetings``: POST-only webhooks for recordings, rooms and sessions."""

    webhooks: MeetingsWebhooks | None = None


class NetworkApisCapability(OptionalWireModel):
    """``capabilities.network_apis``: the link to a Network APIs application [api-notes §1.5.4].

    ``redirect_uri`` is the canonical name (the Vonage CLI's update code writes
    ``redirectUrl``, which is kept as an unknown key like any other).
    """

    network_application_id: str | None = Field(
        None,
        title="Network application ID",
        description="The id of the Network APIs application this one is linked to.",
    )
    redirect_uri: str | None = Field(
        None, title="Redirect URI", description="Where the network operator's login returns to."
    )


class ExtraCapabilities(OptionalWireModel):
    """The capabilities checked against the spec but kept as JSON by ``Capabilities``.

    ``Capabilities`` validates the three keys with this model (every problem reported at its
    wire path, with the other capabilities' problems) and stores the values unchanged. The
    catalog reads titles and descriptions from here for ``EXTRA_CAPABILITIES``.
    """

    video: VideoCapability | None = Field(
        None,
        title="Video",
        description="Video sessions: Vonage sends session, stream, archive and SIP call events "
        "to your webhooks; storage settings control encryption and cloud storage.",
    )
    meetings: MeetingsCapability | None = Field(
        None,
        title="Meetings",
        description="The Meetings API: recording, room and session changes are sent to your "
        "webhooks.",
    )
    network_apis: NetworkApisCapability | None = Field(
        None,
        title="Network APIs",
        description="Network APIs (network operator features such as SIM swap and number "
        "verification) through a linked network application.",
    )


def without_extra_capability_nulls(capabilities: Mapping[str, Any]) -> dict[str, Any]:
    """``capabilities`` without the ``null`` values the spec does not allow in the three.

    The models keep such nulls (a body round-trips exactly); a server, though, must not echo
    ``"active": null`` where the spec says boolean. A ``null`` capability goes too; unknown
    keys keep theirs. ``capabilities`` must already be valid (``validate_application``).
    """
    out = dict(capabilities)
    for name, info in ExtraCapabilities.model_fields.items():
        if name not in out:
            continue
        value = out[name]
        if value is None:
            del out[name]
        else:
            model = model_in(info.annotation)
            assert model is not None  # every field holds a capability model
            checked = built(model).model_validate(value, by_alias=True, by_name=False)
            out[name] = checked.to_wire()  # type: ignore[attr-defined]
    return out
