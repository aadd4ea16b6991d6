"""Notebook 05 in JupyterLab (Chromium), as a reader clicks through it: Run All, then the
messages path is on the page: the inbound SMS verified, the reply's statuses, the RTC event,
no error output, and every output fits the notebook column."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import LabDriver

NOTEBOOK = "05-send-and-receive-messages.ipynb"


def test_notebook_05_runs_all_and_shows_the_messages_path(lab: LabDriver) -> None:
    lab.page.set_viewport_size({"width": 1440, "height": 900})
    lab.open(NOTEBOOK)
    lab.run_all_cells()
    outputs = lab.outputs
    expect(
        outputs.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
    ).to_have_count(0)
    expect(outputs.get_by_text("Traceback")).to_have_count(0)
    for text in (
        "ok (HTTP 200, signed, 1 attempt)",
        "Hello, are you open today?",
        "SentMessage(sms to 447700900555: submitted -> delivered)",
        "rejected",
        "undeliverable",
        "text: must be at most 3200 characters",
        "member:joined",
    ):
        shown = outputs.get_by_text(text).first
        shown.scroll_into_view_if_needed()
        expect(shown).to_be_visible()
    lab.assert_fits_the_column()
