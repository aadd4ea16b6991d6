"""Link Vonage numbers to applications, and unlink them, one clear outcome per number.

Plain logic (no widgets): :func:`link_numbers` and :func:`unlink_numbers` take a client and
a list of numbers and return a DataFrame with one row per number (:data:`RESULT_COLUMNS`), so
a notebook, a test or :class:`~vonage_widgets.widgets.number_linker.NumberLinker` can read
what happened to each. What the existing tools get wrong and this module does instead:

* **Never a silent re-link.** A number linked to another application is left alone and
  reported as ``needs confirmation: linked to <name> (<id>)`` until the caller confirms
  (``confirm_relink=True``, or the ids of the applications it agreed to take numbers from).
* **Partial failures lose nothing.** Each number is looked up afresh and changed on its own;
  a failure becomes that number's ``failed`` row (with the reason) and the rest go on. Passing
  the same list again retries: numbers already done report ``already linked``.
* **Errors a person can act on.** Formats are checked before anything is sent (naming the
  field); a number the account does not own, an unknown application and the Numbers API's
  bare HTTP 420 ``method failed`` [api-notes §2.3] are explained (:func:`explain_error`).
* **Other settings survive.** ``POST /number/update`` replaces a number's routing as a whole
  ([api-notes §2.3]: the CLI's unlink relies on it; the sandbox does the same), so both link
  and unlink re-send what the number already had (``moHttpUrl``, ``voiceStatusCallback``,
  ``moSmppSysType``, a ``sip``/``tel`` voice callback) and change only the link: the number
  model knows which fields those are (:meth:`OwnedNumber.routing_form`), and the change goes
  through the client's public ``numbers.update`` with the number as it was just looked up.

The client is passed in (``VonageClient`` or anything with the same ``numbers`` and
``applications`` calls); this module imports models, tables, errors and the client's Protocol only.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from vonage_widgets.client.protocol import ApiClient
from vonage_widgets.errors import (
    AuthenticationError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    NumbersError,
    RateLimitedError,
    TransportError,
    ValidationError,
    VonageWidgetsError,
)
from vonage_widgets.models import Application, OwnedNumber, validate_country, validate_msisdn
from vonage_widgets.redact import redact
from vonage_widgets.tables import UNKNOWN_APPLICATION, typed_frame

__all__ = [
    "ALREADY_LINKED",
    "BULK_LOOKUP_THRESHOLD",
    "FAILED",
    "KEPT_SETTINGS",
    "LINKED",
    "NEEDS_CONFIRMATION",
    "NOT_LINKED",
    "RESULT_COLUMNS",
    "UNLINKED",
    "LinkingClient",
    "NumberRef",
    "ProgressCallback",
    "explain_error",
    "fit_warnings",
    "link_numbers",
    "needs_confirmation",
    "unlink_numbers",
]

LINKED = "linked"
"""Outcome: the number now points at the application."""
ALREADY_LINKED = "already linked"
"""Outcome: the number already pointed at the application; nothing was sent."""
NEEDS_CONFIRMATION = "needs confirmation"
"""Outcome prefix: linked to another application, left alone until the caller confirms."""
FAILED = "failed"
"""Outcome: the change was not made; ``message`` says why and what to do."""
UNLINKED = "unlinked"
"""Outcome: the number no longer points at any application."""
NOT_LINKED = "not linked"
"""Outcome of an unlink: the number pointed at no application; nothing was sent."""

RESULT_COLUMNS: Mapping[str, str] = {
    "msisdn": "str",
    "country": "str",
    "action": "str",
    "outcome": "str",
    "message": "str",
    "previous_app_id": "str",
}
"""Columns of the result frames and their dtypes. ``action`` is ``link``, ``relink`` (the
number was linked elsewhere) or ``unlink``; ``previous_app_id`` is the application the number
pointed at before (missing when none)."""

KEPT_SETTINGS: tuple[str, ...] = OwnedNumber.KEPT_SETTINGS
"""Routing fields re-sent unchanged by link and unlink [api-notes §2.3]."""

BULK_LOOKUP_THRESHOLD = 20
"""Above this many numbers, one listing of the account replaces a lookup per number."""

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: called after each number, in the calling thread."""

NumberRef = str | OwnedNumber | tuple[str, str]
"""A number to act on: ``"447700900000"``, an :class:`OwnedNumber`, or ``(msisdn, country)``."""

_VOICE_FORWARDING = OwnedNumber.FORWARDING_TYPES  # voice callback types that win over the app


LinkingClient = ApiClient
"""What linking needs from a client: ``VonageClient`` has it (:class:`ApiClient`)."""


@dataclass(frozen=True, slots=True)
class _Wanted:
    """A checked request for one number: its msisdn and, if the caller named it, its country."""

    msisdn: str
    country: str | None


@dataclass(slots=True)
class _Row:
    msisdn: str
    country: str | None
    action: str
    outcome: str = FAILED
    message: str = ""
    previous_app_id: str | None = None

    def as_tuple(self) -> tuple[str | None, ...]:
        return (
            self.msisdn,
            self.country,
            self.action,
            self.outcome,
            redact(self.message),
            self.previous_app_id,
        )


# -- public API -----------------------------------------------------------------------------


def link_numbers(
    client: LinkingClient,
    msisdns: NumberRef | Iterable[NumberRef],
    app_id: str,
    *,
    confirm_relink: bool | Collection[str] = False,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Link each number to application ``app_id``; one row per number (:data:`RESULT_COLUMNS`).

    Checked before anything is sent, raising :class:`ValidationError` naming the field: every
    msisdn and country format, the ``app_id`` format and that the application exists. Then
    each number is looked up afresh and:

    * already linked to ``app_id``: ``already linked``, nothing sent;
    * linked to another application: ``needs confirmation: linked to <name> (<id>)`` and left
      there, unless ``confirm_relink`` is ``True`` or contains that application's id (so a
      confirmation given for one application never moves a number off another);
    * otherwise linked, keeping its other settings (:data:`KEPT_SETTINGS`, a sip/tel voice
      callback); ``message`` carries any :func:`fit_warnings`.

    A number that fails gets a ``failed`` row with the reason and the rest go on; call again
    with the same list to retry.
    """
    wanted = _checked_numbers(msisdns, extra=_app_id_problems(app_id))
    target = _target_application(client, app_id.strip())
    names = _ApplicationNames(client, {target.id or app_id.strip(): target})
    rows: list[_Row] = []
    for number, row in _each_owned(client, wanted, "link", rows, progress):
        if number is not None:
            _link_one(client, number, target, row, confirm_relink, names)
    return _frame(rows)


def unlink_numbers(
    client: LinkingClient,
    msisdns: NumberRef | Iterable[NumberRef],
    *,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Unlink each number from whatever application it points at; one row per number.

    The number keeps its other settings (:data:`KEPT_SETTINGS` and a sip/tel voice callback,
    :meth:`OwnedNumber.routing_form`). Outcomes: ``unlinked``, ``not linked`` (nothing sent)
    or ``failed`` with the reason; the rest go on.
    """
    wanted = _checked_numbers(msisdns)
    names = _ApplicationNames(client, {})
    rows: list[_Row] = []
    for number, row in _each_owned(client, wanted, "unlink", rows, progress):
        if number is not None:
            _unlink_one(client, number, row, names)
    return _frame(rows)


def fit_warnings(number: OwnedNumber, application: Application) -> list[str]:
    """What will not work if ``number`` is linked to ``application``, one sentence each.

    Covers a VOICE number for an application without voice, an SMS/MMS number for one
    without messages (unless the number has its own ``moHttpUrl``), a number without VOICE
    for a voice application, an application with no capabilities, a sip/tel voice callback
    that takes calls away from the application, and inbound limitations. Empty when the
    pair fits. Features Vonage did not report are not guessed at.
    """
    caps = application.capabilities
    voice = caps is not None and caps.voice is not None
    messages = caps is not None and caps.messages is not None
    anything = caps is not None and bool(caps.to_wire())
    who, msisdn = f"application '{application.name}'", number.msisdn
    found: list[str] = []
    if not anything:
        found.append(
            f"{who} has no capabilities: nothing will answer calls or messages to {msisdn}. "
            "Add voice or messages to the application first."
        )
    features = set(number.features) if number.features is not None else None
    if features is not None and anything:
        if "VOICE" in features and not voice:
            found.append(
                f"{msisdn} can receive calls (VOICE) but {who} has no voice capability: "
                "calls to it will fail. Add voice to the application, or link a number "
                "without VOICE."
            )
        texting = sorted(features & {"SMS", "MMS"})
        if texting and not messages and not number.moHttpUrl:
            found.append(
                f"{msisdn} can receive {' and '.join(texting)} but {who} has no messages "
                "capability and the number has no moHttpUrl: inbound messages will not reach "
                "the application (at best the account's default SMS webhook). Add messages "
                "to the application."
            )
        if voice and "VOICE" not in features:
            kinds = ", ".join(sorted(features)) or "no features"
            found.append(
                f"{msisdn} cannot receive calls (it has {kinds}, no VOICE), so nobody can "
                f"call {who} through it. Pick a number with VOICE."
            )
    forwarded = number.voiceCallbackType in _VOICE_FORWARDING
    if forwarded and (features is None or "VOICE" in features):
        found.append(
            f"calls to {msisdn} go to {number.voiceCallbackType} {number.voiceCallbackValue}, "
            f"not to the answer_url of {who}: a sip/tel voice callback wins over the link. "
            "Remove it (Dashboard, or POST /number/update without voiceCallbackType) to "
            "answer calls with the application."
        )
    for limit in number.limitations or ():
        if limit.type == "INBOUND":
            found.append(
                f"{msisdn} accepts inbound {limit.feature} from "
                f"{'domestic' if limit.reach == 'DOMESTIC' else 'international'} senders only."
            )
    return found


def needs_confirmation(results: pd.DataFrame) -> dict[str, str]:
    """The numbers a link left alone for confirmation: msisdn -> the application they are on."""
    waiting = results[results["outcome"].str.startswith(NEEDS_CONFIRMATION, na=False)]
    return dict(zip(waiting["msisdn"], waiting["previous_app_id"], strict=True))


def explain_error(
    error: BaseException, *, msisdn: str | None = None, app_id: str | None = None
) -> str:
    """A sentence a person can act on for a failed number operation (never a secret)."""
    number = msisdn or "the number"
    if isinstance(error, NumbersError):
        return _explain_numbers_error(error, number, app_id)
    if isinstance(error, AuthenticationError):
        return (
            "the API key and secret were not accepted (HTTP 401): check VONAGE_API_KEY and "
            "VONAGE_API_SECRET"
        )
    if isinstance(error, ForbiddenError):
        return f"this account may not change {number} (HTTP 403): {error.detail or error.title}"
    if isinstance(error, RateLimitedError):
        return (
            "Vonage is rate limiting this account (HTTP 429): wait a little, then pass the "
            "same list again; numbers already done are skipped"
        )
    if isinstance(error, TransportError):
        return (
            f"no answer from Vonage ({error}): {number} may or may not have changed; pass the "
            "same list again, numbers already done are reported as such"
        )
    if isinstance(error, ValidationError):
        return "; ".join(str(e) for e in error.errors) or str(error)
    return redact(str(error)).replace("\n", " ")


# -- checks before sending ------------------------------------------------------------------


def _app_id_problems(app_id: object) -> list[FieldError]:
    if not isinstance(app_id, str) or not app_id.strip():
        return [FieldError("app_id", "must be a non-empty application id")]
    if any(ch.isspace() or ch in "/?#" for ch in app_id.strip()):
        return [FieldError("app_id", f"{app_id!r} is not an application id (like 'aaaa-...')")]
    return []


def _checked_numbers(
    msisdns: NumberRef | Iterable[NumberRef], *, extra: list[FieldError] | None = None
) -> list[_Wanted]:
    """Every requested number, formats checked, duplicates dropped (first kept)."""
    refs: list[Any] = (
        [msisdns] if isinstance(msisdns, str | OwnedNumber) or _is_pair(msisdns) else list(msisdns)
    )
    problems = list(extra or [])
    wanted: dict[str, _Wanted] = {}
    for ref in refs:
        raw, country = _split_ref(ref)
        number = _format_checked(validate_msisdn, raw, "msisdn", problems)
        code = None
        if country is not None:
            code = _format_checked(validate_country, country, "country", problems)
        if number is not None and number not in wanted:
            wanted[number] = _Wanted(number, code)
    if not refs:
        problems.append(FieldError("msisdn", "give at least one number"))
    if problems:
        raise ValidationError(problems, subject="numbers to change")
    return list(wanted.values())


def _is_pair(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _split_ref(ref: object) -> tuple[object, object | None]:
    if isinstance(ref, OwnedNumber):
        return ref.msisdn, ref.country
    if isinstance(ref, tuple) and len(ref) == 2:
        return ref[0], ref[1]
    return ref, None


def _format_checked(
    check: Callable[..., str], value: object, field: str, problems: list[FieldError]
) -> str | None:
    """Run a models check; on failure name the value, so one bad entry of many is findable."""
    try:
        return check(value, field=field)
    except ValidationError as error:
        problems.extend(FieldError(e.path, f"{value!r} {e.message}") for e in error.errors)
        return None


def _target_application(client: LinkingClient, app_id: str) -> Application:
    """The application to link to; a ValidationError on ``app_id`` if the account has none."""
    try:
        return client.applications.get(app_id)
    except NotFoundError:
        rule = (
            f"no application {app_id} in this account; client.applications.list_all() shows "
            "the account's applications"
        )
        raise ValidationError([FieldError("app_id", rule)], subject="application") from None


class _ApplicationNames:
    """Application names by id, fetched once each (for messages about previous links)."""

    def __init__(self, client: LinkingClient, known: Mapping[str, Application]) -> None:
        self._client = client
        self._apps: dict[str, Application | None] = dict(known)

    def label(self, app_id: str) -> str:
        if app_id not in self._apps:
            try:
                self._apps[app_id] = self._client.applications.get(app_id)
            except NotFoundError:
                self._apps[app_id] = None
            except VonageWidgetsError:
                return f"(name not available) ({app_id})"
        app = self._apps[app_id]
        return f"{app.name if app is not None else UNKNOWN_APPLICATION} ({app_id})"


# -- one number at a time -------------------------------------------------------------------


def _each_owned(
    client: LinkingClient,
    wanted: list[_Wanted],
    action: str,
    rows: list[_Row],
    progress: ProgressCallback | None,
) -> Iterator[tuple[OwnedNumber | None, _Row]]:
    """Each wanted number's current state with its (appended) result row.

    A number that cannot be found, or whose country differs from the one given, arrives as
    ``None`` with its row already ``failed`` and explained. ``progress`` is called after the
    caller has handled each number.
    """
    lookup = _owned_lookup(client, wanted)
    total = len(wanted)
    for done, item in enumerate(wanted, start=1):
        row = _Row(item.msisdn, item.country, action)
        rows.append(row)
        number: OwnedNumber | None = None
        try:
            number = lookup(item.msisdn)
        except VonageWidgetsError as error:
            row.message = explain_error(error, msisdn=item.msisdn)
        else:
            row.message = _ownership_problem(item, number)
        if row.message:
            number = None
        elif number is not None:
            row.country = number.country
        yield number, row
        if progress is not None:
            progress(done, total)


def _ownership_problem(item: _Wanted, number: OwnedNumber | None) -> str:
    if number is None:
        return f"the account does not own {item.msisdn}; see client.numbers.list()"
    if item.country is not None and number.country not in (None, item.country):
        return (
            f"{item.msisdn} is a {number.country} number, not {item.country}: fix the "
            "country or leave it out"
        )
    return ""


def _owned_lookup(
    client: LinkingClient, wanted: list[_Wanted]
) -> Callable[[str], OwnedNumber | None]:
    """Find owned numbers: one listing for a big batch, else a fresh lookup per number.

    A fresh lookup right before each change keeps the window in which another person could
    re-link the number as short as the API allows (it has no conditional update).
    """
    if len(wanted) > BULK_LOOKUP_THRESHOLD:
        owned = {n.msisdn: n for n in client.numbers.list_all()}
        return owned.get

    def lookup(msisdn: str) -> OwnedNumber | None:
        for number in client.numbers.iter(pattern=msisdn, search_pattern=0):
            if number.msisdn == msisdn:
                return number
        return None

    return lookup


def _link_one(
    client: LinkingClient,
    number: OwnedNumber,
    target: Application,
    row: _Row,
    confirm_relink: bool | Collection[str],
    names: _ApplicationNames,
) -> None:
    app_id = target.id or ""
    previous = number.linked_application_id
    row.previous_app_id = previous
    row.action = "relink" if previous not in (None, app_id) else "link"
    if previous == app_id:
        row.outcome = ALREADY_LINKED
        row.message = f"{number.msisdn} already points at {names.label(app_id)}"
        return
    if previous is not None and not _confirmed(confirm_relink, previous):
        row.outcome = f"{NEEDS_CONFIRMATION}: linked to {names.label(previous)}"
        row.message = (
            f"{number.msisdn} is in use by {names.label(previous)}; it was left there. "
            f"Pass confirm_relink=True (or its id) to move it to {names.label(app_id)}"
        )
        return
    try:
        _send_update(client, number, number.routing_form(app_id=app_id))
    except VonageWidgetsError as error:
        row.message = explain_error(error, msisdn=number.msisdn, app_id=app_id)
        return
    row.outcome = LINKED
    moved = f" (moved from {names.label(previous)})" if previous else ""
    row.message = " ".join(
        [
            f"{number.msisdn} now points at {names.label(app_id)}{moved}.",
            *fit_warnings(number, target),
        ]
    )


def _unlink_one(
    client: LinkingClient, number: OwnedNumber, row: _Row, names: _ApplicationNames
) -> None:
    previous = number.linked_application_id
    row.previous_app_id = previous
    if previous is None:
        row.outcome = NOT_LINKED
        row.message = f"{number.msisdn} points at no application"
        return
    kept = number.routing_form()
    try:
        _send_update(client, number, kept)
    except VonageWidgetsError as error:
        row.message = explain_error(error, msisdn=number.msisdn)
        return
    row.outcome = UNLINKED
    keeping = f"; kept {', '.join(sorted(kept))}" if kept else ""
    row.message = f"{number.msisdn} no longer points at {names.label(previous)}{keeping}"


def _confirmed(confirm_relink: bool | Collection[str], previous: str) -> bool:
    if isinstance(confirm_relink, bool):
        return confirm_relink
    return previous in confirm_relink


def _send_update(client: LinkingClient, number: OwnedNumber, routing: Mapping[str, str]) -> None:
    """``POST /number/update`` with the number's whole routing, as just looked up.

    Not ``numbers.link``/``unlink``: those look the number up again, which would undo the
    single listing used for a big batch; the client's retry rules, error mapping and hints
    still apply.
    """
    client.numbers.update(number.msisdn, number.country, **routing)


def _explain_numbers_error(error: NumbersError, number: str, app_id: str | None) -> str:
    label = error.error_code_label.strip()
    if error.error_code == "401" or error.status == 401:
        return (
            "the API key and secret were not accepted: check VONAGE_API_KEY and VONAGE_API_SECRET"
        )
    if error.error_code == "420" or error.status == 420:
        said = label.removeprefix("method failed").lstrip(":; ").strip()
        reason = f" Vonage said: {said}." if said else ""
        application = f"application {app_id}" if app_id else "the application"
        return (
            f'Vonage refused to change {number} (HTTP 420 "method failed"), the one answer '
            "the Numbers API gives for several causes: the account does not own the number "
            f"in that country, {application} does not exist in this account, or the number "
            f"is not ready for changes (just bought, being ported, or suspended).{reason} "
            f"Check client.numbers.list(pattern={number!r}) and "
            f"client.applications.get({app_id!r}), then pass the same list again."
        )
    return f"the Numbers API refused the change: error {error.error_code} {label}".strip()


def _frame(rows: list[_Row]) -> pd.DataFrame:
    return typed_frame([row.as_tuple() for row in rows], RESULT_COLUMNS)
