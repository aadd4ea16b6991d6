"""Ready-made NCCOs for the common first calls: forward, IVR menu and voicemail.

Each function returns an :class:`~vonage_widgets.models.ncco.builder.Ncco` builder, so a
notebook can show it, extend it (``.talk(...)``) and finally ``.build()`` it. Arguments are
checked when the actions are added: a bad number or URL fails at once with the field's path.
"""

from __future__ import annotations

from collections.abc import Mapping

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models.ncco.builder import Ncco

__all__ = ["forward_to_phone", "ivr_menu", "voicemail"]

MENU_KEYS = frozenset("0123456789*#")


def forward_to_phone(to: str, from_: str) -> Ncco:
    """Forward the call to phone number ``to``, showing ``from_`` (one of your numbers).

    The worked example of Vonage's Applications overview and [api-notes §5.5]:
    a short talk, then a connect to a phone endpoint.
    """
    return Ncco().talk("Please wait while we connect you.").connect_phone(to, from_=from_)


def ivr_menu(prompt: str, options: Mapping[str, str], event_url: str) -> Ncco:
    """Speak ``prompt`` and each option ("Press 1 for sales."), then collect one key.

    ``options`` maps a key (``"0"``-``"9"``, ``"*"``, ``"#"``) to what it does. The talk has
    ``bargeIn: true`` so callers may press a key before the menu ends; the pressed key is
    posted to ``event_url``, whose reply (an NCCO) says what happens next.
    """
    errors = [
        FieldError(f"options.{key}", "must be a single key: 0-9, * or #")
        for key in options
        if key not in MENU_KEYS
    ]
    if not options:
        errors.append(FieldError("options", "must offer at least one choice"))
    if errors:
        raise ValidationError(errors, subject="IVR menu")
    choices = " ".join(f"Press {key} for {label}." for key, label in options.items())
    return (
        Ncco()
        .talk(f"{prompt} {choices}".strip(), bargeIn=True)
        .input(["dtmf"], dtmf={"maxDigits": 1}, eventUrl=[event_url])
    )


def voicemail(greeting: str, event_url: str) -> Ncco:
    """Play ``greeting``, record a message until the caller presses # (or 2 min pass).

    The recording URL arrives at ``event_url`` in the record event [api-notes §3.3]. The record
    action has stop conditions, so it blocks and the goodbye is spoken after it [api-notes §5.1].
    """
    return (
        Ncco()
        .talk(greeting)
        .record(endOnKey="#", timeOut=120, beepStart=True, eventUrl=[event_url])
        .talk("Thank you for your message. Goodbye.")
    )
