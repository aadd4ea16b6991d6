"""An application as readable text, for ``apps show``, ``apps create`` and ``apps update``.

Apart from the commands so that every command module can print an application without
importing another command module (``apps`` registers ``_app_write``'s commands).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from vonage_widgets.cli._output import print_fields, print_table, stdout

if TYPE_CHECKING:
    from vonage_widgets.models import Application

__all__ = ["show_application"]


def show_application(app: Application, out: TextIO | None = None) -> None:
    """An application as readable text: summary, settings, then the webhooks table."""
    from vonage_widgets.models import PRIVACY_SETTINGS, capability_names
    from vonage_widgets.tables import present_capabilities, webhooks_table

    target = out or stdout()
    known = set(capability_names())
    names = [
        n if n in known else f"{n} (not modelled; kept as is)" for n, _ in present_capabilities(app)
    ]
    improve_ai = app.privacy.improve_ai if app.privacy is not None else None
    default = PRIVACY_SETTINGS[0].default if PRIVACY_SETTINGS else None
    shown_ai = (
        _yes_no(improve_ai) if improve_ai is not None else f"not set (Vonage: {_yes_no(default)})"
    )
    public = app.keys.public_key if app.keys is not None else None
    print_fields(
        [
            ("Name", app.name),
            ("ID", app.id),
            ("Capabilities", ", ".join(names) or "(none)"),
            ("Improve AI", shown_ai),
            ("Public key", _key_label(public)),
        ],
        target,
    )
    capabilities = app.to_api().get("capabilities") or {}
    settings = list(_settings(capabilities))
    if settings:
        target.write("\nSettings:\n")
        print_fields([(f"  {path}", value) for path, value in settings], target)
    hooks = webhooks_table([app])
    if not hooks.empty:
        target.write("\nWebhooks:\n")
        columns = [
            "capability",
            "webhook",
            "address",
            "http_method",
            "connect_timeout",
            "socket_timeout",
        ]
        print_table(hooks[columns], target)


def _yes_no(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "-") if isinstance(value, bool) else "-"


def _key_label(public: str | None) -> str:
    if not public:
        return "(none)"
    from vonage_widgets.errors import VonageWidgetsError
    from vonage_widgets.keys import fingerprint

    try:
        return fingerprint(public)
    except VonageWidgetsError:
        return "(set, but not a readable RSA public key)"


def _settings(capabilities: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every non-webhook leaf under ``capabilities`` by dotted path (webhooks have a table)."""
    for key, value in capabilities.items():
        if key == "webhooks" and prefix:
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            yield from _settings(value, path)
        elif prefix or value != {}:
            yield path, value if not isinstance(value, Mapping) else "{}"
