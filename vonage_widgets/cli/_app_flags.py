"""The flags of ``apps create`` / ``apps update``, generated from the models' catalog.

Every capability, webhook and setting the models describe becomes a flag
(``--voice-answer-url``, ``--voice-answer-method``, ``--voice-answer-socket-timeout``,
``--voice-region`` / ``--region``, ``--messages-inbound-url``, ``--vbc`` / ``--no-vbc`` ...).
Limits and choices are *shown* in the help from the catalog but not enforced by argparse:
values go into the request body and :func:`~vonage_widgets.models.validate_application`
judges them, so the CLI, the form and the sandbox always apply the same rules and an error
names the wire path (plus the flag that set it).

:func:`overlay` writes the given flags over a request body (wire names), leaving everything
else, including capabilities the models do not know, exactly as it was; webhooks are written
by :mod:`vonage_widgets.appwrite`, as for the form and the workbook.
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vonage_widgets.appwrite import REMOVE, object_at, overlay_webhook, place_webhooks
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import CAPABILITIES, PRIVACY_SETTINGS, Range, SettingSpec, WebhookSpec

__all__ = ["APP_FLAGS", "AppFlag", "add_app_flags", "annotate", "flags_given", "overlay"]

FlagKind = Literal["capability", "address", "method", "timeout", "setting", "privacy"]

# Short flag names for webhooks whose wire name is long; the rest drop their "_url".
_WEBHOOK_SHORT = {"fallback_answer_url": "fallback"}
# Extra spellings people expect (the Vonage CLI and our docs use them).
_ALIASES = {"--voice-region": ("--region",)}


@dataclass(frozen=True, slots=True)
class AppFlag:
    """One generated flag: its option, where it writes in the body, and what it is."""

    option: str
    dest: str
    kind: FlagKind
    capability: str | None
    path: tuple[str, ...]
    webhook: WebhookSpec | None = None

    @property
    def wire_path(self) -> str:
        """The dotted wire path the flag writes (``capabilities.voice.region``)."""
        return ".".join(self.path)


def _dest(option: str) -> str:
    return "app_" + option.removeprefix("--").replace("-", "_")


def _range_help(limits: Range | None) -> str:
    if limits is None:
        return ""
    unit = f" {limits.unit}" if limits.unit else ""
    default = f", default {limits.default}" if limits.default is not None else ""
    return f"{limits.minimum}-{limits.maximum}{unit}{default}"


def _webhook_flags(capability: str, hook: WebhookSpec) -> list[tuple[AppFlag, dict[str, Any]]]:
    short = _WEBHOOK_SHORT.get(hook.name, hook.name.removesuffix("_url")).replace("_", "-")
    base = f"--{capability}-{short}"
    path = ("capabilities", capability, "webhooks", hook.name)
    what = hook.title or hook.name
    out: list[tuple[AppFlag, dict[str, Any]]] = []
    methods = "/".join(hook.methods) if hook.methods else "any"
    address_help = f"{what}: the URL Vonage calls ('' removes this webhook)"
    if len(hook.methods) == 1:
        address_help += f"; always {hook.methods[0]}"
    out.append(
        (
            AppFlag(
                f"{base}-url", _dest(f"{base}-url"), "address", capability, (*path, "address"), hook
            ),
            {"metavar": "URL", "help": address_help},
        )
    )
    if len(hook.methods) > 1:
        option = f"{base}-method"
        default = f", default {hook.default_method}" if hook.default_method else ""
        out.append(
            (
                AppFlag(option, _dest(option), "method", capability, (*path, "http_method"), hook),
                {
                    "metavar": "|".join(hook.methods),
                    "help": f"{what}: HTTP method ({methods}{default})",
                },
            )
        )
    for name, limits in (
        ("connect_timeout", hook.connect_timeout),
        ("socket_timeout", hook.socket_timeout),
    ):
        if limits is None:
            continue
        option = f"{base}-{name.replace('_', '-')}"
        out.append(
            (
                AppFlag(option, _dest(option), "timeout", capability, (*path, name), hook),
                {
                    "type": int,
                    "metavar": "MS",
                    "help": f"{what}: {name.replace('_', ' ')} ({_range_help(limits)})",
                },
            )
        )
    return out


def _setting_options(spec: SettingSpec) -> dict[str, Any]:
    described = spec.description.rstrip(".") or spec.title
    if spec.kind == "bool":
        default = "" if spec.default is None else f" (API default: {spec.default})"
        return {"action": argparse.BooleanOptionalAction, "help": described + default}
    if spec.kind == "int":
        limits = None
        if spec.minimum is not None and spec.maximum is not None:
            limits = Range(spec.minimum, spec.maximum, spec.default, spec.unit)
        shown = f" ({_range_help(limits)})" if limits else ""
        metavar = (spec.unit or "N").upper()
        return {"type": int, "metavar": metavar, "help": described + shown}
    if spec.kind == "enum":
        default = f"; API default {spec.default}" if spec.default is not None else ""
        many = len(spec.choices) > 3  # a long list goes in the help, not the usage line
        return {
            "metavar": spec.name.rsplit("_", 1)[-1].upper() if many else "|".join(spec.choices),
            "help": f"{described} (one of {', '.join(spec.choices)}{default})",
        }
    return {"metavar": "TEXT", "help": described}


def _build() -> tuple[list[tuple[AppFlag, dict[str, Any]]], dict[str, str]]:
    flags: list[tuple[AppFlag, dict[str, Any]]] = []
    groups: dict[str, str] = {}
    for cap in CAPABILITIES:
        title = cap.title or cap.name
        groups[cap.name] = title if title.lower() == cap.name else f"{title} ({cap.name})"
        option = f"--{cap.name}"
        flags.append(
            (
                AppFlag(option, _dest(option), "capability", cap.name, ("capabilities", cap.name)),
                {
                    "action": argparse.BooleanOptionalAction,
                    "help": f"switch the {cap.name} capability on (--no-{cap.name} removes it)",
                },
            )
        )
        for hook in cap.webhooks:
            flags.extend(_webhook_flags(cap.name, hook))
        for setting in cap.settings:
            option = f"--{cap.name}-{setting.name.replace('_', '-')}"
            path = ("capabilities", cap.name, setting.name)
            flag = AppFlag(option, _dest(option), "setting", cap.name, path)
            flags.append((flag, _setting_options(setting)))
    for setting in PRIVACY_SETTINGS:
        option = f"--{setting.name.replace('_', '-')}"
        flag = AppFlag(option, _dest(option), "privacy", None, ("privacy", setting.name))
        flags.append((flag, _setting_options(setting)))
    return flags, groups


_FLAG_OPTIONS, _GROUP_TITLES = _build()

APP_FLAGS: tuple[AppFlag, ...] = tuple(flag for flag, _ in _FLAG_OPTIONS)
"""Every generated flag, capabilities in catalog order, then privacy."""


def add_app_flags(parser: argparse.ArgumentParser) -> None:
    """Add every generated flag to ``parser``, one help group per capability."""
    groups: dict[str | None, argparse._ArgumentGroup] = {}
    for flag, options in _FLAG_OPTIONS:
        key = flag.capability
        if key not in groups:
            title = _GROUP_TITLES.get(key or "", "privacy")
            groups[key] = parser.add_argument_group(title)
        names = (flag.option, *_ALIASES.get(flag.option, ()))
        groups[key].add_argument(*names, dest=flag.dest, default=None, **options)


def flags_given(args: argparse.Namespace) -> list[AppFlag]:
    """The generated flags present on the command line."""
    return [flag for flag in APP_FLAGS if getattr(args, flag.dest, None) is not None]


def overlay(body: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """A copy of ``body`` with every given flag written over it (wire names throughout).

    A new webhook gets its catalog default method when none is given, so the body says
    exactly what Vonage will do. ``--url ''`` removes a webhook; ``--no-<capability>``
    removes a capability. Conflicting flags (removing what another flag sets) raise
    :class:`ValidationError` naming both. Nothing else in ``body`` changes.
    """
    result = copy.deepcopy(body)
    given = flags_given(args)
    _check_conflicts(given, args)
    for flag in given:
        value = getattr(args, flag.dest)
        if flag.kind == "privacy":
            object_at(result, ("privacy",))[flag.path[-1]] = value
        elif flag.kind == "capability":
            if value:
                object_at(result, flag.path)
            else:
                object_at(result, ("capabilities",)).pop(flag.path[-1], None)
    placed: set[tuple[str, ...]] = set()
    for flag in given:
        value = getattr(args, flag.dest)
        if flag.webhook is not None:
            hook_path = flag.path[:-1]
            if hook_path not in placed:  # a webhook's flags are written together, once
                placed.add(hook_path)
                _write_webhook(result, hook_path, flag.webhook, given, args)
        elif flag.kind == "setting":
            object_at(result, flag.path[:-1])[flag.path[-1]] = value
    return result


def _write_webhook(
    body: dict[str, Any],
    hook_path: tuple[str, ...],
    spec: WebhookSpec,
    given: Sequence[AppFlag],
    args: argparse.Namespace,
) -> None:
    """Write the given flags of one webhook over it (``--x-url ''`` removes it)."""
    fields: dict[str, Any] = {}
    for flag in given:
        if flag.path[:-1] != hook_path:
            continue
        value = getattr(args, flag.dest)
        if flag.kind == "address":
            value = value.strip() or REMOVE
        elif flag.kind == "method" and isinstance(value, str):
            value = value.strip().upper()  # "post" means POST; the model checks the rest
        fields[flag.path[-1]] = value
    hooks_path, name = hook_path[:-1], hook_path[-1]
    capability = object_at(body, hooks_path[:-1])
    loaded = capability.get("webhooks")
    base = loaded.get(name) if isinstance(loaded, dict) else None
    hook = overlay_webhook(
        base if isinstance(base, dict) else None, fields, default_method=spec.default_method
    )
    place_webhooks(capability, {name: hook})


def annotate(error: ValidationError, given: Sequence[AppFlag]) -> ValidationError:
    """``error`` with each problem that a given flag caused followed by ``(set by --flag)``."""
    annotated: list[FieldError] = []
    for problem in error.errors:
        causes = [flag.option for flag in given if _caused(problem.path, flag)]
        suffix = f" (set by {', '.join(dict.fromkeys(causes))})" if causes else ""
        annotated.append(FieldError(problem.path, problem.message + suffix))
    return ValidationError(annotated, subject=error.subject)


def _caused(path: str, flag: AppFlag) -> bool:
    if path == flag.wire_path or path.startswith(flag.wire_path + "."):
        return True
    # A method or timeout given for a webhook that has no address: the missing address is
    # that flag's doing (the fix is to give the URL flag too).
    address = ".".join((*flag.path[:-1], "address"))
    return flag.kind in ("method", "timeout") and path == address


def _check_conflicts(given: Iterable[AppFlag], args: argparse.Namespace) -> None:
    flags = list(given)
    problems: list[FieldError] = []
    removed = {
        f.capability: f for f in flags if f.kind == "capability" and not getattr(args, f.dest)
    }
    for flag in flags:
        if flag.kind != "capability" and flag.capability in removed:
            problems.append(
                FieldError(
                    removed[flag.capability].wire_path,
                    f"--no-{flag.capability} removes the capability that {flag.option} sets; "
                    "give one or the other",
                )
            )
    cleared = {f.path[:-1] for f in flags if f.kind == "address" and getattr(args, f.dest) == ""}
    for flag in flags:
        if flag.kind in ("method", "timeout") and flag.path[:-1] in cleared:
            problems.append(
                FieldError(
                    ".".join(flag.path[:-1]),
                    f"an empty URL removes the webhook that {flag.option} sets; "
                    "give one or the other",
                )
            )
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)), subject="options")
