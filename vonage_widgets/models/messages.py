"""The Messages API's names and limits, and the webhook bodies it sends [api-notes §8].

The one source of the Messages API's vocabulary for the sandbox (``sandbox.messages_api``),
the status-delivery engine (``messaging``) and the workbook: channels, message types, field
limits, the 422 problem types, and builders for the inbound and status webhook payloads in
both formats (``v1`` and ``v0.1``) [api-notes §8.1, §8.2].

:func:`validate_message` checks a ``POST /v1/messages`` body and returns a
:class:`OutboundMessage`, or raises :class:`~vonage_widgets.errors.ValidationError` whose
errors name each bad field (``FieldError(path, rule)``). The sandbox serves the channels
``sms``, ``mms``, ``whatsapp``, ``viber_service`` and ``messenger``, message types ``text``
(every one of them) and ``image`` (``mms``, ``whatsapp``); the others the spec lists are
refused with the spec's "unsupported" errors, naming the field.

Sandbox recipients (decisions, since the emulator has no phone network):

* a ``to`` starting with ``999`` (an unassigned country code) is **rejected** at once,
  error 1170 "Invalid recipient";
* a ``to`` starting with ``990`` (another unassigned code) is **submitted**, then
  **undeliverable**, error 1300 "Not part of the provider network";
* every other recipient: ``submitted``, ``delivered``, then ``read`` on the channels that
  report reads (WhatsApp, Viber, Messenger) [api-notes §8.2].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from vonage_widgets.errors import FieldError, ValidationError

__all__ = [
    "CAPTION_MAX",
    "CHANNELS",
    "CLIENT_REF_MAX",
    "ERROR_TYPE_BASE",
    "MESSAGE_TYPES",
    "READ_CHANNELS",
    "REJECTED_PREFIX",
    "TEXT_LIMITS",
    "TTL_RANGES",
    "UNDELIVERABLE_PREFIX",
    "WEBHOOK_VERSIONS",
    "OutboundMessage",
    "inbound_payload",
    "planned_statuses",
    "status_payload",
    "validate_message",
]

CHANNELS: Final = ("sms", "mms", "whatsapp", "viber_service", "messenger")
"""Channels the sandbox sends on (the spec adds ``rcs`` and ``email``, refused here)."""
SPEC_CHANNELS: Final = (*CHANNELS, "rcs", "email")
"""Every channel of the spec's ``channel`` enum [api-notes §8.1]."""
MESSAGE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "sms": ("text",),
    "mms": ("text", "image"),
    "whatsapp": ("text", "image"),
    "viber_service": ("text",),
    "messenger": ("text",),
}
"""Message types the sandbox accepts per channel."""
SPEC_MESSAGE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "sms": ("text",),
    "mms": ("text", "image", "vcard", "audio", "video", "file", "content"),
    "whatsapp": (
        "text", "image", "audio", "video", "file", "template", "sticker", "reaction", "custom",
    ),
    "viber_service": ("text", "image", "video", "file"),
    "messenger": ("text", "image", "audio", "video", "file"),
}  # fmt: skip
"""Message types the spec lists per channel [api-notes §8.1]."""
TEXT_LIMITS: Final[dict[str, int | None]] = {
    "sms": 3200,
    "mms": None,
    "whatsapp": 4096,
    "viber_service": 1000,
    "messenger": 640,
}
"""Longest ``text`` per channel, in characters (``None``: no limit stated) [api-notes §8.1]."""
CAPTION_MAX: Final = 3000
"""``image.caption``: 1 to 3000 characters (MMS, WhatsApp)."""
CLIENT_REF_MAX: Final = 100
"""``client_ref``: up to 100 characters."""
URL_MAX: Final = 2000
"""Longest media URL the sandbox accepts (the spec's audio URL bound, applied to images)."""
TTL_RANGES: Final[dict[str, tuple[int, int]]] = {
    "sms": (20, 604800),
    "mms": (300, 259200),
    "viber_service": (30, 259200),
}
"""``ttl`` bounds in seconds per channel (channels not listed take no ``ttl``)."""
WEBHOOK_VERSIONS: Final = ("v0.1", "v1")
"""Status webhook formats (``webhook_version``, ``capabilities.messages.version``)."""
READ_CHANNELS: Final = frozenset({"whatsapp", "viber_service", "messenger"})
"""Channels whose messages also report ``read``."""
REJECTED_PREFIX: Final = "999"
"""Sandbox recipients starting with this are rejected (error 1170)."""
UNDELIVERABLE_PREFIX: Final = "990"
"""Sandbox recipients starting with this are submitted, then undeliverable (error 1300)."""
ERROR_TYPE_BASE: Final = "https://developer.vonage.com/api-errors/messages"
"""Base of the Messages API's error ``type`` URLs (``#1150`` etc.)."""

_PHONE = re.compile(r"[1-9][0-9]{6,14}")
_ID_MAX = 50
_SMS_ENCODINGS = ("text", "unicode", "auto")
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
_COMMON = frozenset(
    {
        "channel", "message_type", "to", "from", "client_ref", "webhook_url",
        "webhook_version", "ttl", "trusted_recipient", "trusted_sender", "failover",
        "context",
    }
)  # fmt: skip
_PER_CHANNEL_KEYS: Final[dict[str, frozenset[str]]] = {
    "sms": frozenset({"text", "sms"}),
    "mms": frozenset({"text", "image"}),
    "whatsapp": frozenset({"text", "image", "whatsapp"}),
    "viber_service": frozenset({"text", "viber_service"}),
    "messenger": frozenset({"text", "messenger"}),
}

ErrorKind = Literal["1100", "1120", "1140", "1150", "1160", "1060"]
"""The 422 problem kinds: unsupported channel, invalid sender, invalid message type,
invalid params, invalid recipient (the spec's ``#110``... codes), invalid client reference."""
ERROR_TITLES: Final[dict[str, str]] = {
    "1100": "Unsupported channel",
    "1120": "Invalid sender",
    "1140": "Invalid message type",
    "1150": "Invalid params",
    "1160": "Invalid recipient",
    "1060": "Invalid client reference",
}
"""Titles of the 422 problem bodies, by error code [api-notes §8.1]."""


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """A checked ``POST /v1/messages`` body."""

    channel: str
    message_type: str
    to: str
    from_: str
    text: str | None = None
    image: dict[str, Any] | None = None
    client_ref: str | None = None
    webhook_url: str | None = None
    webhook_version: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class MessageRefused(ValidationError):
    """A body the Messages API refuses; ``code`` picks the 422 problem type."""

    def __init__(self, errors: list[FieldError], code: str) -> None:
        super().__init__(errors, subject="message")
        self.code = code


def _text(value: object, path: str, limit: int | None, problems: list[FieldError]) -> None:
    if not isinstance(value, str) or not value:
        problems.append(FieldError(path, "is required and must be a non-empty string"))
    elif limit is not None and len(value) > limit:
        problems.append(FieldError(path, f"must be at most {limit} characters (has {len(value)})"))


def _url(value: object, path: str, problems: list[FieldError]) -> bool:
    if not isinstance(value, str) or not value:
        problems.append(FieldError(path, "is required and must be a URL"))
        return False
    if len(value) > URL_MAX:
        problems.append(FieldError(path, f"must be at most {URL_MAX} characters"))
        return False
    if not re.match(r"https?://[^\s/]+", value):
        problems.append(FieldError(path, "must be an http:// or https:// URL"))
        return False
    return True


def _image(value: object, channel: str, problems: list[FieldError]) -> None:
    if not isinstance(value, dict):
        problems.append(FieldError("image", "is required and must be an object with url"))
        return
    for key in value:
        if key not in ("url", "caption"):
            problems.append(FieldError(f"image.{key}", "is not a field of image"))
    if (
        _url(value.get("url"), "image.url", problems)
        and channel == "mms"
        and not str(value["url"]).split("?")[0].lower().endswith(_IMAGE_EXTENSIONS)
    ):
        problems.append(
            FieldError("image.url", "must end in .jpg, .jpeg, .png, .gif or .bmp (MMS images)")
        )
    if "caption" in value:
        _text(value["caption"], "image.caption", CAPTION_MAX, problems)


def validate_message(data: object) -> OutboundMessage:
    """Check a ``POST /v1/messages`` body; raise :class:`MessageRefused` naming each field.

    The first failing group decides the problem type, in the spec's order: channel (1100),
    message type (1140), recipient (1160), sender (1120), client reference (1060), then
    every other parameter (1150, with all of them in ``invalid_parameters``).
    """
    if not isinstance(data, dict):
        raise MessageRefused([FieldError("", "the request body must be a JSON object")], "1150")
    channel = data.get("channel")
    if channel not in CHANNELS:
        rule = (
            f"{channel!r} is a channel the sandbox does not serve; use one of "
            + ", ".join(CHANNELS)
            if channel in SPEC_CHANNELS
            else "is required and must be one of " + ", ".join(SPEC_CHANNELS)
        )
        raise MessageRefused([FieldError("channel", rule)], "1100")
    message_type = data.get("message_type")
    if message_type not in MESSAGE_TYPES[channel]:
        allowed = ", ".join(MESSAGE_TYPES[channel])
        if message_type in SPEC_MESSAGE_TYPES[channel]:
            rule = f"{message_type!r} on {channel} is not simulated; the sandbox sends {allowed}"
        else:
            rule = f"is required and must be one of {allowed} for channel {channel}"
        raise MessageRefused([FieldError("message_type", rule)], "1140")
    to, sender = data.get("to"), data.get("from")
    phone_to = channel != "messenger"
    if phone_to:
        if not isinstance(to, str) or not _PHONE.fullmatch(to):
            raise MessageRefused(
                [FieldError("to", "must be a number in E.164 format without + or 00, 7-15 digits")],
                "1160",
            )
    elif not isinstance(to, str) or not 1 <= len(to) <= _ID_MAX:
        raise MessageRefused(
            [FieldError("to", "must be a recipient id of 1-50 characters")], "1160"
        )
    if channel in ("messenger", "viber_service"):
        if not isinstance(sender, str) or not 1 <= len(sender) <= _ID_MAX:
            raise MessageRefused(
                [FieldError("from", "must be a sender id of 1-50 characters")], "1120"
            )
    elif channel == "sms":
        if not isinstance(sender, str) or not (
            _PHONE.fullmatch(sender) or re.fullmatch(r"[A-Za-z0-9 ]{1,11}", sender)
        ):
            raise MessageRefused(
                [
                    FieldError(
                        "from",
                        "must be a number in E.164 format without + (7-15 digits) or an "
                        "alphanumeric sender id of up to 11 characters",
                    )
                ],
                "1120",
            )
    elif not isinstance(sender, str) or not _PHONE.fullmatch(sender):
        raise MessageRefused(
            [FieldError("from", "must be a number in E.164 format without + or 00, 7-15 digits")],
            "1120",
        )
    client_ref = data.get("client_ref")
    if client_ref is not None and (
        not isinstance(client_ref, str) or len(client_ref) > CLIENT_REF_MAX
    ):
        raise MessageRefused(
            [FieldError("client_ref", f"must be a string of up to {CLIENT_REF_MAX} characters")],
            "1060",
        )
    problems: list[FieldError] = []
    allowed_keys = _COMMON | _PER_CHANNEL_KEYS[channel]
    for key in data:
        if key not in allowed_keys:
            problems.append(FieldError(key, f"is not a field of a {channel} message"))
    if message_type == "text":
        _text(data.get("text"), "text", TEXT_LIMITS[channel], problems)
    else:
        _image(data.get("image"), channel, problems)
    webhook_url = data.get("webhook_url")
    if webhook_url is not None:
        _url(webhook_url, "webhook_url", problems)
    version = data.get("webhook_version")
    if version is not None and version not in WEBHOOK_VERSIONS:
        problems.append(FieldError("webhook_version", "must be v0.1 or v1"))
    if "ttl" in data:
        ttl = data["ttl"]
        bounds = TTL_RANGES.get(channel)
        if bounds is None:
            problems.append(FieldError("ttl", f"is not a field of a {channel} message"))
        elif (
            isinstance(ttl, bool) or not isinstance(ttl, int) or not (bounds[0] <= ttl <= bounds[1])
        ):
            problems.append(
                FieldError(
                    "ttl", f"must be a whole number of seconds from {bounds[0]} to {bounds[1]}"
                )
            )
    for flag in ("trusted_recipient", "trusted_sender"):
        if flag in data and not isinstance(data[flag], bool):
            problems.append(FieldError(flag, "must be true or false"))
    if "failover" in data:
        problems.append(FieldError("failover", "is not simulated by the sandbox"))
    sms = data.get("sms")
    if sms is not None:
        if not isinstance(sms, dict):
            problems.append(FieldError("sms", "must be an object"))
        elif sms.get("encoding_type", "auto") not in _SMS_ENCODINGS:
            problems.append(FieldError("sms.encoding_type", "must be text, unicode or auto"))
    for options in ("whatsapp", "viber_service", "messenger", "context"):
        if options in data and not isinstance(data[options], dict):
            problems.append(FieldError(options, "must be an object"))
    if problems:
        raise MessageRefused(problems, "1150")
    return OutboundMessage(
        channel=channel,
        message_type=message_type,
        to=to,
        from_=sender,
        text=data.get("text"),
        image=data.get("image"),
        client_ref=client_ref,
        webhook_url=webhook_url,
        webhook_version=version,
        extra={k: data[k] for k in ("sms", "whatsapp", "viber_service", "messenger") if k in data},
    )


def planned_statuses(message: OutboundMessage) -> list[tuple[str, str | None]]:
    """The statuses the sandbox reports for ``message``, each with an error code or None."""
    if message.to.startswith(REJECTED_PREFIX):
        return [("rejected", "1170")]
    if message.to.startswith(UNDELIVERABLE_PREFIX):
        return [("submitted", None), ("undeliverable", "1300")]
    statuses: list[tuple[str, str | None]] = [("submitted", None), ("delivered", None)]
    if message.channel in READ_CHANNELS:
        statuses.append(("read", None))
    return statuses


_STATUS_ERRORS: Final[dict[str, str]] = {
    "1170": "Invalid recipient: the sandbox rejects numbers starting with 999",
    "1300": "Not part of the provider network: the sandbox cannot deliver to numbers "
    "starting with 990",
}
_USAGE: Final[dict[str, str]] = {"currency": "EUR", "price": "0.0333"}


def status_payload(
    message: OutboundMessage,
    message_uuid: str,
    status: str,
    error_code: str | None,
    timestamp: str,
    *,
    version: str,
    instance: str,
) -> dict[str, Any]:
    """A message-status webhook body in format ``version`` (``v1`` or ``v0.1``) [api-notes §8.2]."""
    if version == "v0.1":
        kind = message.channel
        body: dict[str, Any] = {
            "message_uuid": message_uuid,
            "to": {"type": kind, ("id" if kind == "messenger" else "number"): message.to},
            "from": {
                "type": kind,
                ("id" if kind in ("messenger", "viber_service") else "number"): message.from_,
            },
            "timestamp": timestamp,
            "status": status,
        }
        if error_code is not None:
            body["error"] = {"code": int(error_code), "reason": _STATUS_ERRORS[error_code]}
        if status == "delivered":
            body["usage"] = dict(_USAGE)
        if message.client_ref is not None:
            body["client_ref"] = message.client_ref
        return body
    body = {
        "message_uuid": message_uuid,
        "to": message.to,
        "from": message.from_,
        "timestamp": timestamp,
        "status": status,
        "channel": message.channel,
    }
    if message.client_ref is not None:
        body["client_ref"] = message.client_ref
    if error_code is not None:
        body["error"] = {
            "type": f"{ERROR_TYPE_BASE}#{error_code}",
            "title": error_code,
            "detail": _STATUS_ERRORS[error_code],
            "instance": instance,
        }
    if status == "delivered" and message.channel != "whatsapp":
        body["usage"] = dict(_USAGE)
    if message.channel == "sms" and status in ("submitted", "delivered"):
        body["sms"] = {"count_total": "1"}
    return body


def inbound_payload(
    *,
    channel: str,
    to: str,
    from_: str,
    text: str,
    message_uuid: str,
    timestamp: str,
    version: str,
) -> dict[str, Any]:
    """An inbound text-message webhook body in format ``version`` [api-notes §8.2]."""
    if version == "v0.1":
        body: dict[str, Any] = {
            "message_uuid": message_uuid,
            "timestamp": timestamp,
            "to": {"type": channel, "number": to},
            "from": {"type": channel, "number": from_},
            "message": {"content": {"type": "text", "text": text}},
        }
        if channel == "sms":
            body["message"]["sms"] = {"num_messages": "1"}
            body["usage"] = dict(_USAGE)
        return body
    body = {
        "channel": channel,
        "message_uuid": message_uuid,
        "to": to,
        "from": from_,
        "timestamp": timestamp,
        "message_type": "text",
        "text": text,
    }
    if channel == "sms":
        first = text.split()[0].upper() if text.split() else ""
        body["sms"] = {"num_messages": "1", "keyword": first}
        body["usage"] = dict(_USAGE)
    elif channel == "whatsapp":
        body["context_status"] = "none"
        body["profile"] = {"name": "Sandbox User"}
    return body


def check_inbound(channel: object, to: object, from_: object, text: object) -> None:
    """Check a simulated inbound message's arguments; raise ValidationError naming them."""
    problems: list[FieldError] = []
    if channel not in ("sms", "mms", "whatsapp"):
        problems.append(FieldError("channel", "must be sms, mms or whatsapp (numbers receive)"))
    for name, value in (("to", to), ("from", from_)):
        if not isinstance(value, str) or not _PHONE.fullmatch(value):
            problems.append(
                FieldError(name, "must be a number in E.164 format without + or 00, 7-15 digits")
            )
    limit = TEXT_LIMITS.get(channel) if isinstance(channel, str) else None
    _text(text, "text", limit, problems)
    if problems:
        raise ValidationError(problems, subject="inbound message")
