"""Notebook 01 in JupyterLab: a person fills the application form, saves, and sees the result.

Everything goes through the browser: typing, ticking, choosing and clicking in the displayed
form, then reading what the page shows (the form's status, the messages beside fields, the
table). The sandbox behind the kernel is checked too, so "saved" means saved.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from tests.ui.conftest import LabDriver

NOTEBOOK = "01-create-an-application.ipynb"
APP_NAME = "Browser test app"
ANSWER_URL = "https://example.com/ui-test/answer"


def _row(lab: LabDriver, label: str) -> Locator:
    """The form row (label, input, message beside it) whose label reads exactly ``label``."""
    label_html = lab.page.locator(".widget-html", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return lab.outputs.locator(".widget-hbox").filter(has=label_html).first


def _button(lab: LabDriver, name: str) -> Locator:
    """A widget button in the notebook's output (never one of Lab's toolbar buttons)."""
    return lab.outputs.locator("button.widget-button", has_text=re.compile(rf"^\s*{name}\s*$"))


def _open_form(lab: LabDriver) -> None:
    lab.open(NOTEBOOK)
    lab.run_all_cells()
    expect(_button(lab, "Save")).to_be_visible()


def _voice_section(lab: LabDriver) -> Locator:
    toggle = lab.outputs.get_by_role("checkbox", name="Voice", exact=True)
    return lab.outputs.locator(".widget-vbox").filter(has=toggle).last


def test_create_voice_application_in_the_form(lab: LabDriver) -> None:
    _open_form(lab)
    save = _button(lab, "Save")
    expect(save).to_be_disabled()  # an empty name is not allowed

    _row(lab, "Name").locator("input").fill(APP_NAME)
    lab.outputs.get_by_role("checkbox", name="Voice", exact=True).check()
    answer = _row(lab, "Answer URL")
    expect(answer).to_be_visible()
    answer.locator("input").fill(ANSWER_URL)
    answer.locator("select").select_option("POST")  # the method, beside the address

    expect(save).to_be_enabled()
    save.click()

    status = lab.outputs.locator(".widget-html", has_text="Created application")
    expect(status).to_contain_text(f"Created application '{APP_NAME}'")
    expect(status).to_contain_text("Private key saved to")

    saved = [app for app in lab.server.client().applications.list_all() if app.name == APP_NAME]
    assert len(saved) == 1
    answer_hook = saved[0].to_dict()["capabilities"]["voice"]["webhooks"]["answer_url"]
    assert answer_hook["address"] == ANSWER_URL
    assert answer_hook["http_method"] == "POST"

    table = lab.code_cell("applications()")
    lab.run_cell(table)
    expect(table.locator(".jp-OutputArea tr", has_text=APP_NAME)).to_have_count(1)


def test_out_of_range_timeout_is_explained_and_blocks_save(lab: LabDriver) -> None:
    _open_form(lab)
    _row(lab, "Name").locator("input").fill("Timeout check")
    lab.outputs.get_by_role("checkbox", name="Voice", exact=True).check()
    _row(lab, "Answer URL").locator("input").fill(ANSWER_URL)
    save = _button(lab, "Save")
    expect(save).to_be_enabled()

    _voice_section(lab).get_by_text("Advanced settings").click()
    socket = _row(lab, "Answer URL: socket timeout")
    expect(socket).to_be_visible()
    socket.locator("input").fill("9000")

    expect(socket).to_contain_text("must be between 1000 and 5000")
    expect(save).to_be_disabled()

    socket.locator("input").fill("4000")
    expect(socket).not_to_contain_text("must be between")
    expect(save).to_be_enabled()
