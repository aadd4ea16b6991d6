"""Notebook 01 in JupyterLab: a person fills the application form, saves, and sees the result.

Everything goes through the browser: typing, ticking, choosing and clicking in the displayed
form, then reading what the page shows (the form's status, the messages beside fields, the
applications table). The sandbox behind the kernel is checked too, so "saved" means saved.

After Run All, the form notebook 01 tells the person to type into is still empty, in create
mode: the notebook's own demonstration uses a second form. Editing an existing application with
a mistake says so in the status (never a stale "Created ...") and beside the disabled Save.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.ui.conftest import LabDriver, Screenshots

NOTEBOOK = "01-create-an-application.ipynb"
APP_NAME = "Browser test app"
ANSWER_URL = "https://example.com/ui-test/answer"
TABLE_CELL = "capabilities_table(apps)"
EDITED = "My first voice app"  # made by the notebook's own cells


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


def _picker(lab: LabDriver) -> Locator:
    return lab.outputs.locator(".widget-dropdown").filter(
        has=lab.page.locator("label", has_text=_exactly("Application"))
    )


def _open_new_form(lab: LabDriver) -> None:
    """Run all of notebook 01: the form it shows is new and empty, with nothing to pick."""
    lab.page.set_viewport_size({"width": 1440, "height": 900})
    lab.open(NOTEBOOK)
    lab.run_all_cells()
    expect(_picker(lab).locator("select")).to_have_value("(new application)")
    expect(_row(lab, "Name").locator("input")).to_have_value("")
    expect(_voice_toggle(lab)).not_to_be_checked()
    expect(lab.outputs.locator(".widget-html", has_text="New application")).to_be_visible()
    expect(lab.outputs.get_by_text("Created application")).to_have_count(0)
    lab.assert_fits_the_column()


def test_create_voice_application_in_the_form(lab: LabDriver, screenshots: Screenshots) -> None:
    _open_new_form(lab)
    save = _button(lab, "Save")
    expect(save).to_be_disabled()  # an empty name is not allowed
    summary = lab.outputs.locator(".vw-save-summary")
    expect(summary).to_contain_text("Save is off until fixed: name")

    _row(lab, "Name").locator("input").fill(APP_NAME)
    _voice_toggle(lab).check()
    answer = _row(lab, "Answer URL")
    expect(answer).to_be_visible()
    answer.locator("input").fill(ANSWER_URL)
    answer.locator("select").select_option("POST")  # the method, beside the address

    expect(save).to_be_enabled()
    expect(summary).to_have_count(0)
    expect(lab.outputs.get_by_text("Ready to create the application")).to_be_visible()
    save.scroll_into_view_if_needed()
    screenshots.take(lab.page, "01-newcomer-typed")
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


def test_editing_with_a_mistake_says_so_beside_save(
    lab: LabDriver, screenshots: Screenshots
) -> None:
    _open_new_form(lab)
    existing = next(
        app for app in lab.server.client().applications.list_all() if app.name == EDITED
    )
    # Made by later cells, the applications are in the list all the same.
    assert existing.id is not None
    _picker(lab).locator("select").select_option(label=f"{EDITED} · {existing.id[:8]}…")
    expect(_row(lab, "Name").locator("input")).to_have_value(EDITED)
    expect(lab.outputs.get_by_text(f"Loaded application '{EDITED}'")).to_be_visible()
    save = _button(lab, "Save")
    expect(save).to_be_enabled()

    advanced = _voice_section(lab).locator(".widget-accordion")
    socket = _row_under_heading(advanced, "Answer URL", "Socket timeout")
    expect(socket).to_be_hidden()  # "Advanced settings" starts closed
    advanced.get_by_text("Advanced settings").click()
    expect(socket).to_be_visible()
    socket.locator("input").fill("9000")

    expect(socket).to_contain_text("must be between 1000 and 5000")
    expect(save).to_be_disabled()
    summary = lab.outputs.locator(".vw-save-summary")
    expect(summary).to_contain_text("voice / answer_url / socket_timeout")
    status = lab.outputs.locator(".widget-html", has_text="Not ready to save: 1 problem")
    expect(status).to_be_visible()
    expect(lab.outputs.get_by_text("Created application")).to_have_count(0)
    save.scroll_into_view_if_needed()
    screenshots.take(lab.page, "01-edit-with-error")

    socket.locator("input").fill("4000")
    expect(socket).not_to_contain_text("must be between")
    expect(save).to_be_enabled()
    expect(summary).to_have_count(0)
    expect(lab.outputs.get_by_text(f"Unsaved changes to '{EDITED}'")).to_be_visible()
