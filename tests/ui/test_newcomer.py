"""Notebooks as a newcomer meets them in JupyterLab, at 1440 x 900.

- `make lab`'s JupyterLab opens notebook 01 at its root URL, with no pop-up.
- The cold view: a stored notebook opened without running anything shows its form from the
  saved widget state (no "model not found", no bare text repr).
- After Run All, no output of any notebook is wider than the notebook column and no button
  label is cut; a screenshot of each notebook is taken (``make screenshots`` keeps them in
  docs/screenshots/). Notebooks 01 and 03 are checked by their own tests' Run All.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import LabDriver, LabServer, Screenshots

FIRST = "01-create-an-application.ipynb"


def _toasts(page: Page) -> int:
    return page.locator(".Toastify__toast, .jp-toast-message").count()


def test_lab_opens_notebook_01_without_a_popup(lab_page: Page, lab_server: LabServer) -> None:
    lab_page.set_viewport_size({"width": 1440, "height": 900})
    lab_page.goto(f"{lab_server.url}/?reset")
    tab = lab_page.locator(".lm-TabBar-tab.lm-mod-current", has_text=FIRST)
    expect(tab).to_be_visible()
    expect(lab_page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first).to_be_visible()
    launcher = lab_page.locator(".jp-Launcher:visible")
    expect(launcher).to_have_count(0)
    lab_page.wait_for_timeout(1500)  # the news question comes a moment after start-up
    assert _toasts(lab_page) == 0


def test_cold_view_renders_the_stored_form_from_saved_widget_state(
    lab: LabDriver, screenshots: Screenshots
) -> None:
    cold = "stored-" + FIRST
    lab.server.add_stored_notebook(FIRST, cold)
    lab.page.set_viewport_size({"width": 1440, "height": 900})
    lab.open(cold)  # nothing is run
    form = lab.outputs.locator(".widget-vbox").filter(
        has=lab.page.locator(".widget-html", has_text="Vonage application")
    )
    expect(form.first).to_be_visible()
    save = lab.outputs.locator("button.widget-button", has_text=re.compile(r"^\s*Save\s*$"))
    expect(save).to_be_disabled()  # the stored form: new, empty, nothing to save yet
    expect(lab.outputs.get_by_text("Error displaying widget")).to_have_count(0)
    expect(lab.outputs.get_by_text("ApplicationForm(")).to_have_count(0)
    form.first.scroll_into_view_if_needed()
    screenshots.take(lab.page, "01-cold-view")


@pytest.mark.parametrize(
    ("notebook", "widget_text"),
    [
        # 01 and 03 are checked (and shot) by test_application_form and test_number_linker.
        ("02-configure-webhooks.ipynb", "Vonage application"),
        ("04-answer-calls-with-an-ncco.ipynb", "Load template"),
    ],
)
def test_each_notebook_after_run_all_fits_the_column(
    lab: LabDriver, screenshots: Screenshots, notebook: str, widget_text: str
) -> None:
    lab.page.set_viewport_size({"width": 1440, "height": 900})
    lab.open(notebook)
    lab.run_all_cells()
    lab.assert_fits_the_column()
    widget = lab.outputs.get_by_text(widget_text).first
    widget.scroll_into_view_if_needed()
    expect(widget).to_be_visible()
    screenshots.take(lab.page, notebook.removesuffix(".ipynb"))
