"""Notebook 01 in JupyterLab: a person fills the application form, saves, and sees the result.

Everything goes through the browser: typing, ticking, choosing and clicking in the displayed
form, then reading what the page shows (the form's status, the messages beside fields, the
applications table). The sandbox behind the kernel is checked too, so "saved" means saved.

Running all of notebook 01 leaves the form editing the application the notebook's own cells
created; a person making another one first picks "(new application)" in the form, as here.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.ui.conftest import LabDriver

NOTEBOOK = "01-create-an-application.ipynb"
APP_NAME = "Browser test app"
ANSWER_URL = "https://example.com/ui-test/answer"
TABLE_CELL = "capabilities_table(apps)"


def _exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _label(page: Page, text: str) -> Locator:
    """A field label (an HTML widget) reading exactly ``text``; for use inside ``filter``."""
    return page.locator(".widget-html", has_text=_exactly(text))


def _row(lab: LabDriver, label: str) -> Locator:
    """The form row (label, input, message beside it) whose label reads exactly ``label``."""
    return lab.outputs.locator(".widget-hbox").filter(has=_label(lab.page, label)).first


def _row_under_heading(container: Locator, heading: str, label: str) -> Locator:
    """The first row labelled ``label`` after the sub-heading ``heading`` (a webhook's
    timeouts sit under its name in "Advanced settings")."""
    title = container.locator(".widget-html", has_text=_exactly(heading))
    field = title.locator(f"xpath=following-sibling::*[.//*[normalize-space(.)={label!r}]][1]")
    return field.locator(".widget-hbox").first


def _button(lab: LabDriver, name: str) -> Locator:
    """A widget button in the notebook's output (never one of Lab's toolbar buttons)."""
    return lab.outputs.locator("button.widget-button", has_text=_exactly(name))


def _voice_toggle(lab: LabDriver) -> Locator:
    return lab.outputs.get_by_role("checkbox", name="Voice", exact=True)


def _voice_section(lab: LabDriver) -> Locator:
    toggle = lab.page.get_by_role("checkbox", name="Voice", exact=True)
    return lab.outputs.locator(".widget-vbox").filter(has=toggle).last


def _open_new_form(lab: LabDriver) -> None:
    """Run notebook 01, then pick "(new application)" in the form: an empty form."""
    lab.open(NOTEBOOK)
    lab.run_all_cells()
    picker = lab.outputs.locator(".widget-dropdown").filter(
        has=lab.page.locator("label", has_text=_exactly("Application"))
    )
    picker.locator("select").select_option(label="(new application)")
    expect(_row(lab, "Name").locator("input")).to_have_value("")
    expect(_voice_toggle(lab)).not_to_be_checked()


def test_create_voice_application_in_the_form(lab: LabDriver) -> None:
    _open_new_form(lab)
    save = _button(lab, "Save")
    expect(save).to_be_disabled()  # an empty name is not allowed

    _row(lab, "Name").locator("input").fill(APP_NAME)
    _voice_toggle(lab).check()
    answer = _row(lab, "Answer URL")
    expect(answer).to_be_visible()
    answer.locator("input").fill(ANSWER_URL)
    answer.locator("select").select_option("POST")  # the method, beside the address

    expect(save).to_be_enabled()
    save.click()

    status = lab.outputs.locator(".widget-html", has_text=f"Created application '{APP_NAME}'")
    expect(status).to_be_visible()
    expect(status).to_contain_text("Private key saved to")
    expect(save).to_have_text(_exactly("Save"))

    saved = [app for app in lab.server.client().applications.list_all() if app.name == APP_NAME]
    assert len(saved) == 1
    answer_hook = saved[0].to_dict()["capabilities"]["voice"]["webhooks"]["answer_url"]
    assert answer_hook["address"] == ANSWER_URL
    assert answer_hook["http_method"] == "POST"

    # The applications table further down, run again, lists the new application.
    table = lab.code_cell(TABLE_CELL)
    expect(table.locator(".jp-OutputArea tr", has_text=APP_NAME)).to_have_count(0)
    lab.run_cell(table)
    expect(table.locator(".jp-OutputArea tr", has_text=APP_NAME)).to_have_count(1)


def test_out_of_range_timeout_is_explained_and_blocks_save(lab: LabDriver) -> None:
    _open_new_form(lab)
    _row(lab, "Name").locator("input").fill("Timeout check")
    _voice_toggle(lab).check()
    _row(lab, "Answer URL").locator("input").fill(ANSWER_URL)
    save = _button(lab, "Save")
    expect(save).to_be_enabled()

    # "Advanced settings" may still be open from the notebook's own cells: open it if not.
    advanced = _voice_section(lab).locator(".widget-accordion")
    socket = _row_under_heading(advanced, "Answer URL", "Socket timeout")
    if not socket.is_visible():
        advanced.get_by_text("Advanced settings").click()
    expect(socket).to_be_visible()
    expect(socket.locator("input")).to_have_value("")
    socket.locator("input").fill("9000")

    expect(socket).to_contain_text("must be between 1000 and 5000")
    expect(save).to_be_disabled()

    socket.locator("input").fill("4000")
    expect(socket).not_to_contain_text("must be between")
    expect(save).to_be_enabled()
