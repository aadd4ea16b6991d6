"""Notebook 03 in JupyterLab: a person links a number to an application with the NumberLinker.

After running the notebook (which links one number in code), the person selects another free
number in the linker's list, picks an application in its dropdown and clicks Link; the status,
the results table and the list say it is linked, and so does the sandbox.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from tests.ui.conftest import LabDriver, Screenshots

NOTEBOOK = "03-link-a-number.ipynb"
TARGET_APP = "Browser linker target"


def _exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").strip()


def _linker(lab: LabDriver) -> Locator:
    """The NumberLinker widget: the box holding its Link button."""
    link = lab.page.locator("button.widget-button", has_text=_exactly("Link"))
    return lab.outputs.locator(".widget-vbox").filter(has=link).first


def _make_target_application(lab: LabDriver) -> str:
    """A second voice application in the account, so that picking one is a real choice."""
    created = lab.server.client().applications.create(
        {
            "name": TARGET_APP,
            "capabilities": {
                "voice": {
                    "webhooks": {
                        "answer_url": {"address": "https://example.com/ui/answer"},
                        "event_url": {"address": "https://example.com/ui/event"},
                    }
                }
            },
        }
    )
    assert created.id is not None
    return created.id


def test_link_a_number_by_clicking(lab: LabDriver, screenshots: Screenshots) -> None:
    target_id = _make_target_application(lab)
    lab.page.set_viewport_size({"width": 1440, "height": 900})
    lab.open(NOTEBOOK)
    lab.run_all_cells()
    lab.assert_fits_the_column()

    linker = _linker(lab)
    numbers = linker.locator(".widget-select-multiple select")
    expect(numbers).to_be_visible()
    linker.scroll_into_view_if_needed()
    screenshots.take(lab.page, "03-link-a-number")
    # ipywidgets shows option labels with no-break spaces; read them as a person would.
    labels = numbers.locator("option").all_inner_texts()
    free = [label for label in labels if _plain(label).endswith("not linked")]
    assert free, f"no free number offered in the list: {[_plain(t) for t in labels]}"
    msisdn = _plain(free[0]).split(" · ")[0]
    numbers.select_option(label=free[0])

    picker = linker.locator(".widget-dropdown").filter(
        has=lab.page.locator("label", has_text=_exactly("Application"))
    )
    picker.locator("select").select_option(label=f"{TARGET_APP} · {target_id}")

    link = linker.locator("button.widget-button", has_text=_exactly("Link"))
    expect(link).to_be_enabled()
    link.click()

    expect(linker.locator(".widget-html", has_text="Linked 1 of 1")).to_be_visible()
    results = linker.locator(".widget-html", has_text="Results")
    expect(results.locator("tr", has_text=msisdn)).to_contain_text("linked")
    expect(numbers.locator("option", has_text=msisdn)).to_contain_text(TARGET_APP)

    owned = {n.msisdn: n for n in lab.server.client().numbers.list_all()}
    assert owned[msisdn].app_id == target_id
