"""What a newcomer sees in each widget: its status tells the current state, a disabled Save
says why beside it, and a form's application list follows the workbook's changes.

Driven as in a notebook: ``.value`` for typing, ``.click()`` for buttons, against the
workbook's embedded sandbox on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.widgets_helpers import text
from tests.workbook_helpers import isolate
from vonage_widgets import Workbook
from vonage_widgets.widgets import NEW_APPLICATION_VALUE, ApplicationForm, NccoBuilder

VOICE = "capabilities.voice.webhooks."
SOCKET = VOICE + "answer_url.socket_timeout"


@pytest.fixture
def wb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Workbook]:
    isolate(monkeypatch, tmp_path)
    with Workbook() as workbook:
        yield workbook


def fill_voice(form: ApplicationForm, name: str) -> None:
    form.rows["name"].control.value = name
    form.sections["voice"].toggle.value = True
    form.rows[VOICE + "answer_url.address"].control.value = "https://example.com/answer"
    form.rows[VOICE + "event_url.address"].control.value = "https://example.com/event"


def test_a_new_form_is_empty_in_create_mode_with_why_save_is_off(wb: Workbook) -> None:
    form = wb.form()
    assert form.mode == "create"
    assert form.rows["name"].control.value == ""
    assert form.save_button.disabled
    summary = text(form.save_summary.value)
    assert summary.startswith("Save is off until fixed:")
    assert "name" in summary
    assert "New application" in text(form.status.value)


def test_the_status_never_keeps_an_old_success_while_a_field_is_invalid(wb: Workbook) -> None:
    form = wb.form()
    fill_voice(form, "Status app")
    assert "Ready to create" in text(form.status.value)
    assert text(form.save_summary.value) == ""
    form.save_button.click()
    assert form.mode == "edit"
    assert text(form.status.value).startswith("Created application 'Status app'")

    form.rows[SOCKET].control.value = "20000"  # too long for an answer URL
    status = text(form.status.value)
    assert "Created" not in status
    assert status.startswith("Not ready to save: 1 problem")
    assert form.save_button.disabled
    summary = text(form.save_summary.value)
    assert "voice / answer_url / socket_timeout" in summary
    assert "must be between 1000 and 5000" in summary

    form.rows[SOCKET].control.value = "3000"
    assert not form.save_button.disabled
    assert text(form.save_summary.value) == ""
    assert text(form.status.value).startswith("Unsaved changes to 'Status app'")
    form.rows[SOCKET].control.value = ""  # back to what is saved
    assert text(form.status.value).startswith("Editing 'Status app'")
    assert "no unsaved changes" in text(form.status.value)


def test_the_summary_names_at_most_three_fields_and_counts_the_rest(wb: Workbook) -> None:
    form = wb.form()
    form.sections["voice"].toggle.value = True
    form.rows["name"].control.value = ""
    for hook in ("answer_url", "event_url", "fallback_answer_url"):
        form.rows[VOICE + hook + ".address"].control.value = "not a url"
    assert len(form.errors) >= 4
    summary = text(form.save_summary.value)
    assert summary.count("; ") == 3  # three fields with their reason, then the count
    assert form.save_summary.value.count("<b title=") == 3
    assert f"and {len(form.errors) - 3} more field" in summary


def test_a_demo_form_leaves_the_shown_form_untouched(wb: Workbook) -> None:
    shown = wb.form()
    demo = wb.form()
    fill_voice(demo, "Demo app")
    demo.save()
    assert shown.mode == "create"
    assert shown.rows["name"].control.value == ""
    assert "Created" not in text(shown.status.value)


def test_a_form_shown_earlier_lists_applications_made_later(wb: Workbook) -> None:
    shown = wb.form()
    assert [value for _, value in shown.app_picker.options] == [NEW_APPLICATION_VALUE]
    status_before = shown.status.value
    made = wb.create_application("Made in code", answer_url="https://example.com/a")
    assert made.id in {value for _, value in shown.app_picker.options}
    assert shown.status.value == status_before  # the form's own state is kept
    assert shown.mode == "create"

    other = wb.form()
    fill_voice(other, "Made in another form")
    saved = other.save()
    assert saved.id in {value for _, value in shown.app_picker.options}

    wb.delete_applications("Made in code")
    assert made.id not in {value for _, value in shown.app_picker.options}

    shown.app_picker.value = saved.id  # picking it in the dropdown opens it for editing
    assert shown.mode == "edit"
    assert shown.rows["name"].control.value == "Made in another form"


def test_the_ncco_builder_menu_names_the_loaded_template_and_edits_clear_old_news() -> None:
    builder = NccoBuilder()
    builder.load_template("voicemail")
    assert builder.template_menu.value == "voicemail"
    assert "Loaded the template" in text(builder.status.value)
    builder.cards[0].fields["text"].control.value = "Leave a message after the tone, please."
    assert text(builder.status.value) == ""
    assert "valid" in text(builder.summary.value)


def test_a_workbook_form_shows_key_paths_inside_its_home_as_home(wb: Workbook) -> None:
    form = wb.form()
    shown = text(form.key_panel.generate_info.value)
    assert "<home>/keys/" in shown
    assert str(wb.home) not in shown  # a saved notebook must not show a local folder
    fill_voice(form, "Path app")
    form.save()
    status = text(form.status.value)
    assert "Private key saved to <home>/keys/path-app-" in status
    assert str(wb.home) not in status + text(form.key_panel.generate_info.value)


def test_a_shown_form_follows_a_save_made_elsewhere_unless_it_has_changes(wb: Workbook) -> None:
    app = wb.create_application("Shared", answer_url="https://example.com/answer")
    shown = wb.form(app)
    busy = wb.form(app)
    busy.rows["name"].control.value = "Mine, unsaved"
    demo = wb.form(app)
    demo.rows[VOICE + "answer_url.address"].control.value = "https://example.com/v2/answer"
    demo.save()
    answer = shown.rows[VOICE + "answer_url.address"].control.value
    assert answer == "https://example.com/v2/answer"
    assert "as saved elsewhere" in text(shown.status.value)
    assert not shown.save_button.disabled
    assert busy.rows["name"].control.value == "Mine, unsaved"  # never thrown away
    assert "changed elsewhere" in text(busy.status.value)
