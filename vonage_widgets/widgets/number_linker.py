"""NumberLinker: link the account's numbers to an application, or unlink them, safely.

A view over :mod:`vonage_widgets.linking` (``docs/architecture.md``, "Layers"): every button
calls a plain method (:meth:`~NumberLinker.refresh`, :meth:`~NumberLinker.filter`,
:meth:`~NumberLinker.link`, :meth:`~NumberLinker.confirm`, :meth:`~NumberLinker.unlink`)
that a notebook cell or a test can call too, and results live in attributes and trait values
(``results``, ``dataframe``, ``status``, ``warnings``, ``progress``), never only in an
``Output``.

What it does that the existing tools do not: it lists every number (all pages, with a
progress bar), never moves a number off another application without a confirm step that
names that application, warns before linking when a number's features and the application's
capabilities do not fit, and reports one outcome per number, so a partial failure is visible
and retried by linking the same selection again.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Collection, Iterable
from typing import Any

import ipywidgets as ipw
import pandas as pd

from vonage_widgets.client.protocol import ApiClient
from vonage_widgets.errors import FieldError, ValidationError, VonageWidgetsError
from vonage_widgets.linking import (
    FAILED,
    LINKED,
    NEEDS_CONFIRMATION,
    RESULT_COLUMNS,
    UNLINKED,
    fit_warnings,
    link_numbers,
    needs_confirmation,
    unlink_numbers,
)
from vonage_widgets.models import Application, OwnedNumber
from vonage_widgets.redact import redact
from vonage_widgets.tables import (
    UNKNOWN_APPLICATION,
    numbers_table,
    styled,
    typed_frame,
)

__all__ = ["ANY", "FEATURES", "NO_APPLICATION", "LinkerClient", "NumberLinker"]

ANY = ""
"""The filter value meaning "do not filter on this" (each filter's first option).

Not ``None``: ipywidgets reads a dropdown value of ``None`` as "nothing selected", and the
browser then shows an empty box. :meth:`NumberLinker.filter` takes ``None`` for it too.
"""

NO_APPLICATION = ""
"""The application picker's value while the account has no application (shown, not blank)."""

FEATURES: tuple[str, ...] = ("VOICE", "SMS", "MMS")
"""Number features the feature filter offers [api-notes §2.2]."""

_STATUS_COLOURS = {"info": "#202124", "ok": "#137333", "warn": "#b06000", "error": "#b00020"}
_KEEP: Any = object()  # "leave this filter as it is" in filter()
_HIDDEN, _SHOWN = "none", ""
_ALL_COUNTRIES: tuple[tuple[str, str], ...] = (("All countries", ANY),)
_NO_APPLICATIONS: tuple[tuple[str, str], ...] = (
    ("(no application yet: create one first)", NO_APPLICATION),
)


LinkerClient = ApiClient
"""What the linker needs from a client: ``VonageClient`` (``wb.client``) has it."""


def _whole() -> ipw.Layout:
    """A button as wide as its label (the default 148 px cuts longer ones with "…")."""
    return ipw.Layout(width="auto", min_width="90px", flex="0 0 auto")


class NumberLinker(ipw.VBox):  # type: ignore[misc]
    """The account's numbers as a filterable table; link a selection to an application.

    ``client`` is a :class:`~vonage_widgets.client.VonageClient` (``wb.client``).
    ``application`` (an :class:`Application` or an id) is the one picked at first.
    ``page_size`` is the size of each listing page (the API's maximum, 100, by default).
    ``load=False`` skips the first :meth:`refresh` (call it yourself).
    """

    def __init__(
        self,
        client: LinkerClient,
        *,
        application: Application | str | None = None,
        page_size: int = 100,
        load: bool = True,
    ) -> None:
        super().__init__(layout=ipw.Layout(width="100%", max_width="1000px"))
        self.client = client
        self.page_size = page_size
        self.numbers: list[OwnedNumber] = []
        """Every number the account owns, as last listed."""
        self.applications: list[Application] = []
        """Every application of the account, as last listed."""
        self.results: pd.DataFrame = _empty_results()
        """One row per number of the last link or unlink (see ``linking.RESULT_COLUMNS``)."""
        self.warnings: list[str] = []
        """What will not work if the selected numbers are linked to the picked application."""
        self.pending: dict[str, str] = {}
        """Numbers waiting for confirmation: msisdn -> the application they are linked to."""
        self.pending_app_id: str | None = None
        """The application the pending numbers would move to."""
        self._wanted_app = application.id if isinstance(application, Application) else application
        self._quiet = 0
        self._build()
        self._connect()
        if load:
            # On failure the status says what went wrong; refresh() again to retry.
            with contextlib.suppress(VonageWidgetsError):
                self.refresh()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = ipw.HTML("<b>Link numbers to an application</b>")
        self.country_filter = ipw.Dropdown(description="Country", options=_ALL_COUNTRIES, value=ANY)
        self.feature_filter = ipw.Dropdown(
            description="Feature",
            options=[("Any feature", ANY), *((f, f) for f in FEATURES)],
            value=ANY,
        )
        self.linked_filter = ipw.Dropdown(
            description="Linked",
            options=[("Linked or not", ANY), ("Linked", True), ("Not linked", False)],
            value=ANY,
        )
        self.refresh_button = ipw.Button(description="Refresh", icon="refresh", layout=_whole())
        self.progress = ipw.IntProgress(value=0, min=0, max=1, description="Loading")
        self.progress_label = ipw.Label()
        self.progress_box = ipw.HBox([self.progress, self.progress_label])
        self.progress_box.layout.display = _HIDDEN
        self.table = ipw.HTML()
        self.selector = ipw.SelectMultiple(
            description="Numbers",
            options=[],
            rows=8,
            # The label takes its own width: 100% for the list as well would overflow the cell.
            layout=ipw.Layout(width="auto", max_width="100%", flex="1 1 auto"),
        )
        self.app_picker = ipw.Dropdown(
            description="Application",
            options=_NO_APPLICATIONS,
            value=NO_APPLICATION,
            layout=ipw.Layout(width="60%"),
        )
        self.link_button = ipw.Button(
            description="Link", icon="link", button_style="primary", layout=_whole()
        )
        self.unlink_button = ipw.Button(description="Unlink", icon="unlink", layout=_whole())
        self.warnings_html = ipw.HTML()
        self.confirm_message = ipw.HTML()
        self.confirm_button = ipw.Button(
            description="Move them", button_style="warning", layout=_whole()
        )
        self.cancel_button = ipw.Button(description="Keep them where they are", layout=_whole())
        self.confirm_box = ipw.VBox(
            [self.confirm_message, ipw.HBox([self.confirm_button, self.cancel_button])]
        )
        self.confirm_box.layout.display = _HIDDEN
        self.status = ipw.HTML()
        self.results_html = ipw.HTML()
        self.children = [
            self.title,
            ipw.HBox([self.country_filter, self.feature_filter, self.linked_filter]),
            ipw.HBox([self.refresh_button, self.progress_box]),
            self.table,
            self.selector,
            ipw.HBox([self.app_picker, self.link_button, self.unlink_button]),
            self.warnings_html,
            self.confirm_box,
            self.status,
            self.results_html,
        ]
        self._update_buttons()

    def _connect(self) -> None:
        for dropdown in (self.country_filter, self.feature_filter, self.linked_filter):
            dropdown.observe(self._on_filter, names="value")
        self.selector.observe(self._on_choice, names="value")
        self.app_picker.observe(self._on_choice, names="value")
        self.refresh_button.on_click(self._clicked(self.refresh))
        self.link_button.on_click(self._clicked(lambda: self.link()))
        self.unlink_button.on_click(self._clicked(lambda: self.unlink()))
        self.confirm_button.on_click(self._clicked(self.confirm))
        self.cancel_button.on_click(self._clicked(self.cancel))

    def _clicked(self, action: Callable[[], Any]) -> Callable[[ipw.Button], None]:
        def handler(_button: ipw.Button) -> None:
            try:
                action()
            except VonageWidgetsError:
                pass  # the method already put the problem in the status
            except Exception as error:  # a bug: still tell the person, without secrets
                self._say(f"Unexpected error: {type(error).__name__}: {error}", "error")

        return handler

    # -- reading the account --------------------------------------------------------------

    def refresh(self) -> pd.DataFrame:
        """List every application and every owned number again (all pages); the new view.

        A large account takes several pages: the progress bar counts them.
        """
        try:
            apps = self.client.applications.list_all()
            numbers = self.client.numbers.list_all(
                progress=self._page_progress, size=self.page_size
            )
        except VonageWidgetsError as error:
            self._say(f"Could not list the account: {error}", "error")
            raise
        self.applications = [app for app in apps if app.id]
        self.numbers = list(numbers)
        missing = self._fill_pickers()
        self._show_view()
        count = len(self.numbers)
        summary = (
            f"The account owns {count} number{'s' * (count != 1)} and has "
            f"{len(self.applications)} application{'s' * (len(self.applications) != 1)}."
        )
        if missing is not None:
            summary += f" It has no application {missing}: pick one from the list."
        self._say(summary, "info" if missing is None else "warn")
        return self.dataframe

    def _page_progress(self, done: int, total: int) -> None:
        self._show_progress("Loading", done, total, "page")

    def _show_progress(self, what: str, done: int, total: int, unit: str) -> None:
        self.progress.description = what
        self.progress.max = max(total, 1)
        self.progress.value = min(done, self.progress.max)
        self.progress_label.value = f"{done} of {total} {unit}{'s' * (total != 1)}"
        self.progress_box.layout.display = _SHOWN if total > 1 else _HIDDEN

    def _fill_pickers(self) -> str | None:
        """Fill the country and application pickers; the wanted application id, if missing."""
        with self._quietly():
            countries = sorted({n.country for n in self.numbers if n.country})
            current = self.country_filter.value
            self.country_filter.options = [*_ALL_COUNTRIES, *((c, c) for c in countries)]
            self.country_filter.value = current if current in countries else ANY
            chosen = self.picked_app_id or self._wanted_app
            self.app_picker.options = [
                (f"{app.name} · {app.id}", app.id)
                for app in sorted(self.applications, key=lambda a: (a.name.casefold(), a.id))
            ] or _NO_APPLICATIONS
            ids = {app.id for app in self.applications}
            self.app_picker.value = chosen if chosen in ids else self.app_picker.options[0][1]
        missing = self._wanted_app if self._wanted_app not in ids else None
        self._wanted_app = None  # asked for once; afterwards the picker's value rules
        return missing

    @property
    def picked_app_id(self) -> str | None:
        """The id of the application picked in the list; None while the account has none."""
        return self.app_picker.value or None

    # -- the view -------------------------------------------------------------------------

    @property
    def dataframe(self) -> pd.DataFrame:
        """The numbers the filters let through, as ``tables.numbers_table`` rows."""
        frame = numbers_table(self.numbers, self.applications)
        country, feature, linked = (
            self.country_filter.value,
            self.feature_filter.value,
            self.linked_filter.value,
        )
        keep = pd.Series(True, index=frame.index)
        if country != ANY:
            keep &= frame["country"] == country
        if feature != ANY:
            keep &= frame["features"].fillna("").str.split(", ").map(lambda fs: feature in fs)
        if isinstance(linked, bool):
            keep &= frame["application_id"].notna() == linked
        return frame[keep.astype(bool)].reset_index(drop=True)

    def filter(
        self, country: str | None = _KEEP, feature: str | None = _KEEP, linked: bool | None = _KEEP
    ) -> pd.DataFrame:
        """Show only some numbers; returns the new view.

        ``country`` (``"GB"``), ``feature`` (``"VOICE"``, ``"SMS"``, ``"MMS"``) and ``linked``
        (``True``, ``False``); ``None`` (or :data:`ANY`) removes that filter, leaving one out
        keeps it.
        """
        with self._quietly():
            if country is not _KEEP:
                code = country.strip().upper() if isinstance(country, str) else ANY
                known = {value for _, value in self.country_filter.options}
                if code not in known:
                    self._say(f"No number of the account is in country {code}.", "warn")
                    code = ANY
                self.country_filter.value = code
            if feature is not _KEEP:
                self.feature_filter.value = feature.upper() if isinstance(feature, str) else ANY
            if linked is not _KEEP:
                self.linked_filter.value = ANY if linked is None else linked
        self._show_view()
        return self.dataframe

    @property
    def selected(self) -> tuple[str, ...]:
        """The msisdns selected in the list."""
        return tuple(self.selector.value)

    def select(self, msisdns: Iterable[str]) -> tuple[str, ...]:
        """Select numbers in the list (those the filters show); returns the selection."""
        shown = {value for _, value in self.selector.options}
        wanted = [m.strip().removeprefix("+") for m in msisdns]
        missing = [m for m in wanted if m not in shown]
        if missing:
            self._say(f"Not in the list (check the filters): {', '.join(missing)}.", "warn")
        self.selector.value = tuple(m for m in wanted if m in shown)
        return self.selected

    def _show_view(self) -> None:
        view = self.dataframe
        table = view[["msisdn", "country", "type", "features", "application", "voice_callback"]]
        caption = f"{len(view)} of {len(self.numbers)} numbers"
        self.table.value = styled(table, caption)._repr_html_()
        keep = set(self.selector.value)
        with self._quietly():
            self.selector.options = [
                (self._option_label(row), row["msisdn"]) for _, row in view.iterrows()
            ]
            self.selector.rows = max(2, min(10, len(view)))
            self.selector.value = tuple(v for _, v in self.selector.options if v in keep)
        self._update_warnings()

    @staticmethod
    def _option_label(row: pd.Series) -> str:
        linked = row["application"] if isinstance(row["application"], str) else "not linked"
        kind = row["type"] if isinstance(row["type"], str) else ""
        features = row["features"] or "no features"
        return f"{row['msisdn']} · {row['country']} · {kind} · {features} · {linked}"

    # -- warnings before acting -----------------------------------------------------------

    def _update_warnings(self) -> None:
        app = self._application(self.picked_app_id)
        by_msisdn = {n.msisdn: n for n in self.numbers}
        found: list[str] = []
        for msisdn in self.selected:
            number = by_msisdn.get(msisdn)
            if number is None or app is None:
                continue
            previous = number.linked_application_id
            if previous is not None and previous != app.id:
                found.append(
                    f"{msisdn} is linked to {self._app_label(previous)}: linking it asks you "
                    "to confirm the move first."
                )
            found.extend(fit_warnings(number, app))
        self.warnings = found
        self.warnings_html.value = (
            "<ul style='color:#b06000;margin:2px 0'>"
            + "".join(f"<li>{_escape(w)}</li>" for w in found)
            + "</ul>"
            if found
            else ""
        )
        self._update_buttons()

    # -- acting ---------------------------------------------------------------------------

    def link(
        self,
        msisdns: Iterable[str] | str | None = None,
        app_id: str | None = None,
        confirm: bool | Collection[str] = False,
    ) -> pd.DataFrame:
        """Link numbers (default: the selection) to ``app_id`` (default: the picked one).

        A number linked to another application is left there and listed in the confirm step
        (:attr:`pending`), unless ``confirm`` is ``True`` or holds that application's id.
        Returns :attr:`results`; the list is read again afterwards.
        """
        wanted = self._wanted(msisdns)
        target = app_id if app_id is not None else self.picked_app_id
        if target is None:
            self._say("Pick an application to link to first.", "warn")
            raise _nothing_to_do("app_id", "pick an application, or pass app_id=")
        self._hide_confirmation()
        results = self._run(
            "Linking",
            lambda p: link_numbers(self.client, wanted, target, confirm_relink=confirm, progress=p),
        )
        waiting = needs_confirmation(results)
        if waiting:
            self._ask_confirmation(waiting, target)
        self._report(results, "link")
        return results

    def confirm(self) -> pd.DataFrame:
        """Move the numbers the last link left for confirmation (the "Move them" button).

        Only off the applications named in the confirm step: a number that has meanwhile
        been linked to yet another application asks again.
        """
        if not self.pending or self.pending_app_id is None:
            self._say("Nothing is waiting for confirmation.", "info")
            return self.results
        numbers, target = list(self.pending), self.pending_app_id
        agreed = set(self.pending.values())
        return self.link(numbers, target, confirm=agreed)

    def cancel(self) -> None:
        """Leave the numbers waiting for confirmation where they are."""
        count = len(self.pending)
        self._hide_confirmation()
        self._say(f"Left {count} number{'s' * (count != 1)} where they were.", "info")

    def unlink(self, msisdns: Iterable[str] | str | None = None) -> pd.DataFrame:
        """Unlink numbers (default: the selection), keeping their other settings."""
        wanted = self._wanted(msisdns)
        self._hide_confirmation()
        results = self._run("Unlinking", lambda p: unlink_numbers(self.client, wanted, progress=p))
        self._report(results, "unlink")
        return results

    def _wanted(self, msisdns: Iterable[str] | str | None) -> list[str]:
        chosen = (
            list(self.selected)
            if msisdns is None
            else [msisdns]
            if isinstance(msisdns, str)
            else list(msisdns)
        )
        if not chosen:
            self._say("Select one or more numbers first.", "warn")
            raise _nothing_to_do("msisdns", "select one or more numbers, or pass msisdns=")
        return chosen

    def _run(
        self, what: str, action: Callable[[Callable[[int, int], None]], pd.DataFrame]
    ) -> pd.DataFrame:
        def progress(done: int, total: int) -> None:
            self._show_progress(what, done, total, "number")

        self._busy(True)
        try:
            results = action(progress)
        except VonageWidgetsError as error:
            self._say(f"Nothing changed: {error}", "error")
            raise
        finally:
            self._busy(False)
        self.results = results
        self.results_html.value = styled(results, "Results")._repr_html_()
        # The results stand even if the list cannot be read again (refresh says so).
        with contextlib.suppress(VonageWidgetsError):
            self.refresh_numbers()
        return results

    def refresh_numbers(self) -> pd.DataFrame:
        """List the owned numbers again (not the applications); the new view."""
        try:
            self.numbers = self.client.numbers.list_all(
                progress=self._page_progress, size=self.page_size
            )
        except VonageWidgetsError as error:
            self._say(f"Could not list the numbers: {error}", "error")
            raise
        self._show_view()
        return self.dataframe

    def _report(self, results: pd.DataFrame, action: str) -> None:
        outcomes = results["outcome"].fillna("")
        done = int((outcomes == (LINKED if action == "link" else UNLINKED)).sum())
        failed = int((outcomes == FAILED).sum())
        waiting = int(outcomes.str.startswith(NEEDS_CONFIRMATION).sum())
        other = len(results) - done - failed - waiting
        verb = "Linked" if action == "link" else "Unlinked"
        parts = [f"{verb} {done} of {len(results)}"]
        if other:
            parts.append(f"{other} needed no change")
        if waiting:
            parts.append(f"{waiting} wait for your confirmation")
        if failed:
            parts.append(
                f"{failed} failed (see the results; run it again on the same numbers to retry)"
            )
        kind = "error" if failed else "warn" if waiting else "ok"
        self._say("; ".join(parts) + ".", kind)

    # -- confirm step ---------------------------------------------------------------------

    def _ask_confirmation(self, waiting: dict[str, str], target: str) -> None:
        self.pending, self.pending_app_id = dict(waiting), target
        items = "".join(
            f"<li>{_escape(msisdn)} is linked to <b>{_escape(self._app_label(app))}</b></li>"
            for msisdn, app in waiting.items()
        )
        self.confirm_message.value = (
            f"<div style='color:#b06000'>Move {len(waiting)} number"
            f"{'s' * (len(waiting) != 1)} to <b>{_escape(self._app_label(target))}</b>? "
            f"They stop reaching their current application:<ul>{items}</ul></div>"
        )
        self.confirm_button.description = f"Move {len(waiting)}"
        self.confirm_box.layout.display = _SHOWN

    def _hide_confirmation(self) -> None:
        self.pending, self.pending_app_id = {}, None
        self.confirm_message.value = ""
        self.confirm_box.layout.display = _HIDDEN

    # -- small helpers --------------------------------------------------------------------

    def _application(self, app_id: str | None) -> Application | None:
        return next((a for a in self.applications if a.id == app_id), None)

    def _app_label(self, app_id: str) -> str:
        app = self._application(app_id)
        return f"{app.name if app else UNKNOWN_APPLICATION} ({app_id})"

    def _on_filter(self, _change: dict[str, Any]) -> None:
        if not self._quiet:
            self._show_view()

    def _on_choice(self, _change: dict[str, Any]) -> None:
        if not self._quiet:
            self._update_warnings()

    def _busy(self, busy: bool) -> None:
        for button in (self.link_button, self.unlink_button, self.refresh_button):
            button.disabled = busy
        if not busy:
            self._update_buttons()

    def _update_buttons(self) -> None:
        nothing = not self.selector.value
        self.link_button.disabled = nothing or self.picked_app_id is None
        self.unlink_button.disabled = nothing
        self.refresh_button.disabled = False

    def _quietly(self) -> _Quiet:
        return _Quiet(self)

    def _say(self, text: str, kind: str) -> None:
        colour = _STATUS_COLOURS.get(kind, _STATUS_COLOURS["info"])
        self.status.value = f'<span style="color:{colour}">{_escape(text)}</span>'


class _Quiet:
    """Fill widgets without each change redrawing the view."""

    def __init__(self, owner: NumberLinker) -> None:
        self._owner = owner

    def __enter__(self) -> None:
        self._owner._quiet += 1

    def __exit__(self, *_exc: object) -> None:
        self._owner._quiet -= 1


def _escape(text: str) -> str:
    return html.escape(redact(text), quote=False)


def _empty_results() -> pd.DataFrame:
    return typed_frame([], RESULT_COLUMNS)


def _nothing_to_do(path: str, message: str) -> ValidationError:
    return ValidationError([FieldError(path, message)], subject="link request")
