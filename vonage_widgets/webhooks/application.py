"""Point an application's voice webhooks at a server, changing nothing else.

Works on the application's full wire body and reads it back through the model, so unknown
capabilities and unknown fields at every level survive exactly as the models keep them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vonage_widgets.models import Application

__all__ = ["DEFAULT_METHODS", "point_capability_webhooks", "point_voice_webhooks"]

DEFAULT_METHODS: dict[str, str] = {
    "answer_url": "GET",  # Vonage's default for answer and fallback [api-notes §3.2]
    "fallback_answer_url": "GET",
    "event_url": "POST",  # and for events [api-notes §3.3]
}
"""Method given to a voice webhook the application did not have yet."""


def point_voice_webhooks(
    application: Application, targets: Mapping[str, tuple[str, str | None]]
) -> Application:
    """A copy of ``application`` with each ``webhook name -> (address, method)`` applied.

    ``method`` ``None`` keeps the webhook's current method (or :data:`DEFAULT_METHODS` for a
    new webhook). Timeouts and unknown webhook fields are kept. The private key, if the
    application holds one, is carried over to the copy (still a secret there).
    """
    body = application.to_dict(include_private_key=True)
    capabilities = _object(body, "capabilities")
    voice = _object(capabilities, "voice")
    webhooks = _object(voice, "webhooks")
    for name, (address, method) in targets.items():
        hook = dict(webhooks.get(name) or {})
        hook["address"] = address
        hook["http_method"] = method or hook.get("http_method") or DEFAULT_METHODS[name]
        webhooks[name] = hook
    return Application.from_api(body)


def point_capability_webhooks(
    application: Application, capability: str, targets: Mapping[str, str]
) -> Application:
    """A copy of ``application`` whose ``capability`` (``messages``, ``rtc``) webhooks named in
    ``targets`` (``name -> address``) use POST at those addresses; the capability is switched
    on when absent. Everything else is kept (the private key too, still a secret)."""
    body = application.to_dict(include_private_key=True)
    capabilities = _object(body, "capabilities")
    settings = _object(capabilities, capability)
    webhooks = _object(settings, "webhooks")
    for name, address in targets.items():
        hook = dict(webhooks.get(name) or {})
        hook["address"] = address
        hook["http_method"] = "POST"  # the only method of messages webhooks; rtc's default
        webhooks[name] = hook
    return Application.from_api(body)


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` as a dict of our own, created when absent."""
    child = dict(parent.get(key) or {})
    parent[key] = child
    return child
