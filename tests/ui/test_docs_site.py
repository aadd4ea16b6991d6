"""The docs site (`make docs`): built offline from the stored notebooks, it shows notebook 01's
form drawn from its saved widget state, in Chromium, with no kernel and no network."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.ui.conftest import ACTION_MS, REPO, Screenshots


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs-site")
    build = [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", "docs", str(out)]
    result = subprocess.run(build, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"sphinx-build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(ACTION_MS)
    # Offline by construction: any request that is not a local file fails the test.
    outside: list[str] = []
    context.route(
        re.compile(r"^(?!file:).*"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert outside == [], f"the page asked the network for: {outside}"


def test_the_built_page_of_notebook_01_shows_the_form(
    site: Path, page: Page, screenshots: Screenshots
) -> None:
    built = site / "tutorials" / "01-create-an-application.html"
    assert built.is_file()
    page.goto(built.as_uri())
    form = page.locator(".vw-widget").filter(has_text="Vonage application")
    expect(form).to_have_count(1)
    expect(form.locator("select").first).to_contain_text("(new application)")
    expect(form.get_by_text("Voice", exact=True)).to_be_visible()
    expect(form.locator("input[type=checkbox]").first).not_to_be_checked()
    save = form.locator("button", has_text=re.compile(r"^\s*Save\s*$"))
    expect(save).to_be_visible()
    expect(form.locator("input[type=text]").first).to_have_attribute(
        "placeholder", "My Vonage application"
    )
    expect(page.get_by_text("ApplicationForm(")).to_have_count(0)  # no bare text repr
    expect(page.locator("table").first).to_be_visible()  # the styled tables are there too
    form.scroll_into_view_if_needed()
    screenshots.take(page, "docs-01-create-an-application")


def test_the_api_reference_comes_from_the_docstrings(site: Path, page: Page) -> None:
    page.goto((site / "api.html").as_uri())
    expect(page.locator('dt[id="vonage_widgets.widgets.ApplicationForm"]')).to_be_visible()
    expect(page.get_by_text("An ipywidgets form that creates, edits and deletes")).to_be_visible()
