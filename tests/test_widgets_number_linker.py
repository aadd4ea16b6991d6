"""NumberLinker driven through .value and .click(), against a real sandbox on 127.0.0.1."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.dropdown_helpers import blank_dropdowns, dropdowns
from tests.linking_helpers import (
    NOT_OWNED,
    SMS_ONLY,
    US_VOICE,
    VOICE_ONLY,
    VOICE_SMS,
    client,
    messages_app,
    number,
    other,
    outcomes,
    sandbox,
    set_routing,
    voice,
)
from tests.widgets_helpers import text
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import ValidationError
from vonage_widgets.models import Application
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.numbers import SEED_NUMBERS
from vonage_widgets.widgets.number_linker import ANY, NO_APPLICATION, NumberLinker

__all__ = ["client", "other", "sandbox", "voice"]


@pytest.fixture
def linker(client: VonageClient, voice: Application) -> NumberLinker:
    return NumberLinker(client, application=voice)


def _shown(linker: NumberLinker) -> list[str]:
    return list(linker.dataframe["msisdn"])


def _options(linker: NumberLinker) -> list[str]:
    return [value for _, value in linker.selector.options]


def test_lists_every_number_with_the_given_application_picked(
    linker: NumberLinker, voice: Application, other: Application
) -> None:
    assert sorted(_shown(linker)) == sorted(n["msisdn"] for n in SEED_NUMBERS)
    assert linker.app_picker.value == voice.id
    assert "owns 8 numbers" in text(linker.status.value)
    assert "8 of 8 numbers" in text(linker.table.value)
    assert list(linker.dataframe.columns[:4]) == ["msisdn", "country", "type", "features"]
    linker.refresh()  # picks up the application made after the linker
    assert {value for _, value in linker.app_picker.options} == {voice.id, other.id}
    assert linker.app_picker.value == voice.id


def test_filters_through_the_dropdowns(linker: NumberLinker, voice: Application) -> None:
    linker.country_filter.value = "GB"
    assert sorted(_shown(linker)) == ["442079460000", "447700900000", "447700900001"]
    assert _options(linker) == _shown(linker)
    linker.feature_filter.value = "VOICE"
    assert sorted(_shown(linker)) == ["442079460000", "447700900000"]
    assert "2 of 8 numbers" in text(linker.table.value)
    linker.country_filter.value = ANY
    linker.feature_filter.value = "MMS"
    assert _shown(linker) == ["12025550100"]

    linker.link([US_VOICE], voice.id)
    linker.feature_filter.value = ANY
    linker.linked_filter.value = True
    assert _shown(linker) == [US_VOICE]
    linker.linked_filter.value = False
    assert US_VOICE not in _shown(linker)
    assert len(_shown(linker)) == 7


def test_filter_method(linker: NumberLinker) -> None:
    view = linker.filter(country="us", feature="voice")
    assert sorted(view["msisdn"]) == ["12025550100", "12025550101", "18005550100"]
    assert linker.country_filter.value == "US"
    view = linker.filter(linked=False)  # the other filters stay
    assert len(view) == 3
    view = linker.filter(country=None, feature=None, linked=None)
    assert len(view) == 8
    view = linker.filter(country="ZZ")
    assert len(view) == 8
    assert "No number of the account is in country ZZ" in text(linker.status.value)
    linker.filter(country="GB", feature="SMS", linked=False)
    view = linker.filter(country=ANY, feature=ANY, linked=ANY)  # the constant works as None
    assert len(view) == 8


def test_every_dropdown_shows_one_of_its_options(
    client: VonageClient, voice: Application, other: Application
) -> None:
    """A dropdown whose value is None shows an empty box in the browser (seen in JupyterLab)."""
    linker = NumberLinker(client, application=voice, load=False)
    assert len(dropdowns(linker)) == 4
    assert blank_dropdowns(linker) == []
    linker.refresh()
    assert blank_dropdowns(linker) == []
    assert [linker.country_filter.label, linker.linked_filter.label] == [
        "All countries",
        "Linked or not",
    ]
    assert linker.feature_filter.label == "Any feature"
    linker.filter(country="GB", feature="VOICE", linked=False)
    assert blank_dropdowns(linker) == []
    linker.filter(country=None, feature=None, linked=None)
    assert blank_dropdowns(linker) == []
    assert (linker.country_filter.value, linker.feature_filter.value) == (ANY, ANY)
    assert linker.linked_filter.value == ANY
    assert linker.country_filter.label == "All countries"
    linker.link([VOICE_SMS], other.id)  # lists the numbers again
    assert blank_dropdowns(linker) == []


def test_an_account_without_applications_says_so_in_the_picker(client: VonageClient) -> None:
    linker = NumberLinker(client)
    assert blank_dropdowns(linker) == []
    assert linker.app_picker.value == NO_APPLICATION
    assert linker.picked_app_id is None
    assert "no application yet" in linker.app_picker.label
    linker.selector.value = (VOICE_SMS,)
    assert linker.link_button.disabled
    assert not linker.unlink_button.disabled
    with pytest.raises(ValidationError, match="pick an application"):
        linker.link()
    made = client.applications.create(messages_app("first app"))
    linker.refresh()
    assert linker.picked_app_id == made.id
    assert blank_dropdowns(linker) == []


def test_selection_survives_filtering_and_enables_buttons(linker: NumberLinker) -> None:
    assert linker.link_button.disabled
    assert linker.unlink_button.disabled
    linker.selector.value = (VOICE_SMS, US_VOICE)
    assert not linker.link_button.disabled
    assert not linker.unlink_button.disabled
    linker.country_filter.value = "GB"
    assert linker.selected == (VOICE_SMS,)  # the US one is hidden, so not selected
    assert linker.select([VOICE_SMS, US_VOICE]) == (VOICE_SMS,)
    assert f"check the filters): {US_VOICE}" in text(linker.status.value)


def test_link_by_click(linker: NumberLinker, client: VonageClient, voice: Application) -> None:
    linker.selector.value = (VOICE_ONLY, US_VOICE)
    linker.link_button.click()
    assert outcomes(linker.results) == {VOICE_ONLY: "linked", US_VOICE: "linked"}
    assert text(linker.status.value) == "Linked 2 of 2."
    assert number(client, US_VOICE).app_id == voice.id
    row = linker.dataframe.set_index("msisdn").loc[US_VOICE]
    assert row["application"] == "voice app"
    assert "voice app" in text(linker.table.value)
    assert "linked" in text(linker.results_html.value)


def test_mismatch_warning_before_linking(
    linker: NumberLinker, client: VonageClient, voice: Application
) -> None:
    linker.selector.value = (SMS_ONLY,)
    assert any("cannot receive calls" in w for w in linker.warnings)
    assert "cannot receive calls" in text(linker.warnings_html.value)
    texts = client.applications.create(messages_app("texts"))
    linker.refresh()
    linker.app_picker.value = texts.id
    assert linker.warnings == []
    assert linker.warnings_html.value == ""
    linker.selector.value = (VOICE_ONLY,)
    assert any("has no voice capability" in w for w in linker.warnings)


def test_relink_asks_for_confirmation_naming_the_application(
    linker: NumberLinker, client: VonageClient, voice: Application, other: Application
) -> None:
    linker.link([VOICE_SMS], other.id)
    linker.refresh()
    linker.app_picker.value = voice.id
    linker.selector.value = (VOICE_SMS,)
    assert any(f"is linked to other app ({other.id})" in w for w in linker.warnings)
    assert linker.confirm_box.layout.display == "none"

    linker.link_button.click()

    assert linker.confirm_box.layout.display != "none"
    assert f"{VOICE_SMS} is linked to other app ({other.id})" in text(linker.confirm_message.value)
    assert f"Move 1 number to voice app ({voice.id})" in text(linker.confirm_message.value)
    assert linker.pending == {VOICE_SMS: other.id}
    assert number(client, VOICE_SMS).app_id == other.id
    assert "1 wait for your confirmation" in text(linker.status.value)

    linker.confirm_button.click()

    assert number(client, VOICE_SMS).app_id == voice.id
    assert outcomes(linker.results) == {VOICE_SMS: "linked"}
    assert linker.confirm_box.layout.display == "none"
    assert linker.pending == {}


def test_cancel_leaves_the_number_where_it_was(
    linker: NumberLinker, client: VonageClient, voice: Application, other: Application
) -> None:
    linker.link([VOICE_SMS], other.id)
    linker.link([VOICE_SMS], voice.id)
    assert linker.pending == {VOICE_SMS: other.id}
    linker.cancel_button.click()
    assert linker.pending == {}
    assert linker.confirm_box.layout.display == "none"
    assert text(linker.status.value) == "Left 1 number where they were."
    assert linker.confirm() is linker.results  # nothing pending any more
    assert number(client, VOICE_SMS).app_id == other.id


def test_confirm_does_not_move_a_number_taken_meanwhile(
    linker: NumberLinker, client: VonageClient, voice: Application, other: Application
) -> None:
    third = client.applications.create({"name": "third app"})
    linker.link([VOICE_SMS], other.id)
    linker.link([VOICE_SMS], voice.id)
    # The person looks at the confirm step; meanwhile someone else moves the number.
    client.numbers.link(VOICE_SMS, third.id)
    linker.confirm_button.click()
    assert number(client, VOICE_SMS).app_id == third.id
    assert outcomes(linker.results)[VOICE_SMS].startswith("needs confirmation: linked to third")
    assert linker.pending == {VOICE_SMS: third.id}


def test_unlink_by_click_keeps_settings(
    sandbox: Sandbox, client: VonageClient, voice: Application
) -> None:
    set_routing(sandbox, VOICE_SMS, "GB", app_id=voice.id, moHttpUrl="https://example.com/sms")
    linker = NumberLinker(client, application=voice)
    linker.filter(linked=True)
    assert _shown(linker) == [VOICE_SMS]
    linker.selector.value = (VOICE_SMS,)
    linker.unlink_button.click()
    assert outcomes(linker.results) == {VOICE_SMS: "unlinked"}
    assert text(linker.status.value) == "Unlinked 1 of 1."
    assert number(client, VOICE_SMS).moHttpUrl == "https://example.com/sms"
    assert _shown(linker) == []  # the linked filter now shows nothing


def test_partial_failure_is_visible_and_retry_works(
    linker: NumberLinker, client: VonageClient, voice: Application
) -> None:
    results = linker.link([VOICE_ONLY, "447700900100", US_VOICE], voice.id)
    assert outcomes(results)["447700900100"] == "failed"
    assert "1 failed" in text(linker.status.value)
    assert "does not own 447700900100" in text(linker.results_html.value)
    client.numbers.buy("GB", "447700900100")
    again = linker.link([VOICE_ONLY, "447700900100", US_VOICE], voice.id)
    assert outcomes(again) == {
        VOICE_ONLY: "already linked",
        "447700900100": "linked",
        US_VOICE: "already linked",
    }
    assert text(linker.status.value) == "Linked 1 of 3; 2 needed no change."


def test_errors_go_to_the_status_and_are_raised(linker: NumberLinker, client: VonageClient) -> None:
    with pytest.raises(ValidationError, match="select one or more numbers"):
        linker.link()
    assert "Select one or more numbers first" in text(linker.status.value)
    with pytest.raises(ValidationError, match="no application"):
        linker.link([VOICE_ONLY], "00000000-0000-4000-8000-000000000000")
    assert "Nothing changed" in text(linker.status.value)
    assert "00000000-0000-4000-8000-000000000000" in text(linker.status.value)
    with pytest.raises(ValidationError, match=r"E\.164"):
        linker.unlink(["12"])
    linker.link([NOT_OWNED])  # the picked application; one failed row, no exception
    assert outcomes(linker.results) == {NOT_OWNED: "failed"}
    assert number(client, VOICE_ONLY).app_id is None


def test_a_click_that_fails_does_not_raise(linker: NumberLinker) -> None:
    linker.link_button.disabled = False  # as if the front end sent a click anyway
    linker.link_button.click()
    assert "Select one or more numbers first" in text(linker.status.value)


def test_bad_credentials_show_in_the_status(sandbox: Sandbox) -> None:
    with VonageClient(
        sandbox.api_key, "wrong-secret", api_host=sandbox.url, rest_host=sandbox.url
    ) as wrong:
        linker = NumberLinker(wrong)
    shown = text(linker.status.value)
    assert shown.startswith("Could not list the account: HTTP 401")
    assert "wrong-secret" not in shown
    assert linker.numbers == []


def test_large_account_shows_progress_per_page(client: VonageClient, voice: Application) -> None:
    catalogue = client.numbers.search("GB", size=100).numbers
    catalogue += client.numbers.search("US", size=100).numbers
    for offer in catalogue:
        assert offer.country is not None
        client.numbers.buy(offer.country, offer.msisdn)
    total = len(SEED_NUMBERS) + len(catalogue)
    assert total > 50
    pages = math.ceil(total / 10)

    seen: list[tuple[int, int, str]] = []
    linker = NumberLinker(client, application=voice, page_size=10, load=False)

    def record(change: dict[str, Any]) -> None:
        seen.append((change["new"], linker.progress.max, linker.progress_label.value))

    linker.progress.observe(record, names="value")
    linker.refresh()

    assert len(linker.numbers) == total
    assert len({n.msisdn for n in linker.numbers}) == total  # every page, none twice
    assert [value for value, _, _ in seen] == list(range(1, pages + 1))
    assert {maximum for _, maximum, _ in seen} == {pages}
    assert linker.progress_box.layout.display != "none"
    assert linker.progress_label.value == f"{pages} of {pages} pages"
    assert f"owns {total} numbers" in text(linker.status.value)


def test_an_unknown_application_id_is_said_and_another_picked(
    client: VonageClient, voice: Application
) -> None:
    linker = NumberLinker(client, application="00000000-0000-4000-8000-000000000000")
    assert linker.app_picker.value == voice.id
    assert "no application 00000000-0000-4000-8000-000000000000" in text(linker.status.value)
    linker.refresh()  # said once, not on every refresh
    assert "no application" not in text(linker.status.value)
