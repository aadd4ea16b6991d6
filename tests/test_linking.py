"""link_numbers / unlink_numbers against a real sandbox on 127.0.0.1."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.linking_helpers import (
    FOR_SALE,
    NOT_OWNED,
    SMS_ONLY,
    US_VOICE,
    VOICE_ONLY,
    VOICE_SMS,
    client,
    number,
    other,
    outcomes,
    sandbox,
    set_routing,
    voice,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import ValidationError
from vonage_widgets.linking import (
    RESULT_COLUMNS,
    link_numbers,
    needs_confirmation,
    unlink_numbers,
)
from vonage_widgets.models import Application
from vonage_widgets.sandbox import Sandbox

__all__ = ["client", "other", "sandbox", "voice"]  # fixtures used by name


def _row(frame: pd.DataFrame, msisdn: str) -> dict[str, object]:
    rows = frame[frame["msisdn"] == msisdn].to_dict("records")
    assert len(rows) == 1, frame
    return rows[0]


def test_link_one_number(client: VonageClient, voice: Application) -> None:
    frame = link_numbers(client, VOICE_ONLY, voice.id)
    assert list(frame.columns) == list(RESULT_COLUMNS)
    row = _row(frame, VOICE_ONLY)
    assert row["outcome"] == "linked"
    assert row["action"] == "link"
    assert row["country"] == "GB"
    assert pd.isna(row["previous_app_id"])
    assert f"voice app ({voice.id})" in str(row["message"])
    assert number(client, VOICE_ONLY).app_id == voice.id
    linked = client.numbers.list(application_id=voice.id)
    assert [n.msisdn for n in linked.numbers] == [VOICE_ONLY]


def test_link_twice_reports_already_linked(client: VonageClient, voice: Application) -> None:
    link_numbers(client, [VOICE_ONLY], voice.id)
    again = link_numbers(client, [VOICE_ONLY], voice.id)
    row = _row(again, VOICE_ONLY)
    assert row["outcome"] == "already linked"
    assert row["previous_app_id"] == voice.id


def test_relink_needs_confirmation_then_moves(
    client: VonageClient, voice: Application, other: Application
) -> None:
    link_numbers(client, [VOICE_SMS], other.id)

    refused = link_numbers(client, [VOICE_SMS], voice.id)
    row = _row(refused, VOICE_SMS)
    assert row["outcome"] == f"needs confirmation: linked to other app ({other.id})"
    assert row["action"] == "relink"
    assert row["previous_app_id"] == other.id
    assert "confirm_relink" in str(row["message"])
    assert number(client, VOICE_SMS).app_id == other.id  # left where it was
    assert needs_confirmation(refused) == {VOICE_SMS: other.id}

    moved = link_numbers(client, [VOICE_SMS], voice.id, confirm_relink=True)
    row = _row(moved, VOICE_SMS)
    assert row["outcome"] == "linked"
    assert row["previous_app_id"] == other.id
    assert "moved from other app" in str(row["message"])
    assert number(client, VOICE_SMS).app_id == voice.id
    assert needs_confirmation(moved) == {}


def test_confirmation_only_covers_the_named_application(
    client: VonageClient, voice: Application, other: Application
) -> None:
    third = client.applications.create({"name": "third app"})
    link_numbers(client, [VOICE_SMS], other.id)
    link_numbers(client, [VOICE_ONLY], third.id)

    frame = link_numbers(client, [VOICE_SMS, VOICE_ONLY], voice.id, confirm_relink={other.id})

    assert outcomes(frame) == {
        VOICE_SMS: "linked",
        VOICE_ONLY: f"needs confirmation: linked to third app ({third.id})",
    }
    assert number(client, VOICE_ONLY).app_id == third.id


def test_unlink_keeps_the_numbers_other_settings(
    sandbox: Sandbox, client: VonageClient, voice: Application
) -> None:
    set_routing(
        sandbox,
        VOICE_SMS,
        "GB",
        app_id=voice.id,
        moHttpUrl="https://example.com/inbound-sms",
        voiceStatusCallback="https://example.com/call-status",
    )

    frame = unlink_numbers(client, [VOICE_SMS])

    row = _row(frame, VOICE_SMS)
    assert row["outcome"] == "unlinked"
    assert row["previous_app_id"] == voice.id
    assert "kept moHttpUrl, voiceStatusCallback" in str(row["message"])
    after = number(client, VOICE_SMS).to_dict()
    assert "app_id" not in after
    assert after.get("voiceCallbackType") is None
    assert after["moHttpUrl"] == "https://example.com/inbound-sms"
    assert after["voiceStatusCallback"] == "https://example.com/call-status"


def test_the_clients_own_unlink_keeps_those_settings_too(
    sandbox: Sandbox, client: VonageClient, voice: Application
) -> None:
    set_routing(
        sandbox,
        VOICE_SMS,
        "GB",
        app_id=voice.id,
        moHttpUrl="https://example.com/sms",
        voiceStatusCallback="https://example.com/call-status",
    )
    client.numbers.unlink(VOICE_SMS)
    after = number(client, VOICE_SMS)
    assert after.app_id is None
    assert after.moHttpUrl == "https://example.com/sms"
    assert after.to_dict()["voiceStatusCallback"] == "https://example.com/call-status"


def test_link_keeps_settings_and_a_sip_forwarding_with_a_warning(
    sandbox: Sandbox, client: VonageClient, voice: Application
) -> None:
    set_routing(
        sandbox,
        VOICE_SMS,
        "GB",
        moHttpUrl="https://example.com/inbound-sms",
        voiceCallbackType="sip",
        voiceCallbackValue="sip:desk@example.com",
    )

    frame = link_numbers(client, [VOICE_SMS], voice.id)

    assert _row(frame, VOICE_SMS)["outcome"] == "linked"
    assert "sip sip:desk@example.com" in str(_row(frame, VOICE_SMS)["message"])
    after = number(client, VOICE_SMS)
    assert after.app_id == voice.id
    assert after.moHttpUrl == "https://example.com/inbound-sms"
    assert (after.voiceCallbackType, after.voiceCallbackValue) == ("sip", "sip:desk@example.com")


def test_unlink_of_an_unlinked_number_sends_nothing(client: VonageClient) -> None:
    frame = unlink_numbers(client, US_VOICE)
    row = _row(frame, US_VOICE)
    assert row["outcome"] == "not linked"
    assert row["action"] == "unlink"


def test_bulk_with_a_failure_in_the_middle_then_retry(
    client: VonageClient, voice: Application
) -> None:
    batch = [VOICE_ONLY, FOR_SALE, US_VOICE]
    seen: list[tuple[int, int]] = []

    first = link_numbers(client, batch, voice.id, progress=lambda d, t: seen.append((d, t)))

    assert list(first["msisdn"]) == batch  # one row per number, in the order given
    assert outcomes(first) == {VOICE_ONLY: "linked", FOR_SALE: "failed", US_VOICE: "linked"}
    assert _row(first, FOR_SALE)["message"] == (
        f"the account does not own {FOR_SALE}; see client.numbers.list()"
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert number(client, US_VOICE).app_id == voice.id  # the one after the failure was done

    client.numbers.buy("GB", FOR_SALE)  # the fix
    retry = link_numbers(client, batch, voice.id)

    assert outcomes(retry) == {
        VOICE_ONLY: "already linked",
        FOR_SALE: "linked",
        US_VOICE: "already linked",
    }
    assert number(client, FOR_SALE).app_id == voice.id


def test_many_numbers_use_one_listing(client: VonageClient, voice: Application) -> None:
    """Above the threshold the account is listed once; outcomes are the same."""
    bought = [f"447700900{n}" for n in range(100, 120)] + [f"442079460{n}" for n in range(100, 105)]
    for msisdn in bought:
        client.numbers.buy("GB", msisdn)
    batch = [*bought, NOT_OWNED]
    frame = link_numbers(client, batch, voice.id)
    assert (frame["outcome"] == "linked").sum() == 25
    assert _row(frame, NOT_OWNED)["outcome"] == "failed"
    assert len(client.numbers.list_all(application_id=voice.id)) == 25


def test_duplicates_and_plus_signs_become_one_row(client: VonageClient, voice: Application) -> None:
    frame = link_numbers(client, [VOICE_ONLY, f"+{VOICE_ONLY}", f" {VOICE_ONLY} "], voice.id)
    assert list(frame["msisdn"]) == [VOICE_ONLY]


# -- errors a person can act on --------------------------------------------------------------


def test_number_not_owned(client: VonageClient, voice: Application) -> None:
    frame = link_numbers(client, [NOT_OWNED], voice.id)
    row = _row(frame, NOT_OWNED)
    assert row["outcome"] == "failed"
    assert row["message"] == "the account does not own 447700900999; see client.numbers.list()"


def test_unknown_application_is_refused_before_anything_changes(client: VonageClient) -> None:
    with pytest.raises(ValidationError) as caught:
        link_numbers(client, [VOICE_ONLY], "00000000-0000-4000-8000-000000000000")
    assert caught.value.paths == ["app_id"]
    assert "no application 00000000-0000-4000-8000-000000000000 in this account" in str(
        caught.value
    )
    assert "client.applications.list_all()" in str(caught.value)
    assert number(client, VOICE_ONLY).app_id is None


@pytest.mark.parametrize(
    ("given", "path", "words"),
    [
        (["4477"], "msisdn", "'4477' must be a phone number in E.164 format"),
        (["44 7700 900000"], "msisdn", "E.164"),
        ([(VOICE_ONLY, "GBR")], "country", "'GBR' must be a two-letter ISO 3166-1"),
        ([(VOICE_ONLY, "")], "country", "two-letter"),
    ],
)
def test_malformed_input_names_the_field_and_sends_nothing(
    client: VonageClient, voice: Application, given: list[object], path: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        link_numbers(client, [VOICE_SMS, *given], voice.id)  # type: ignore[list-item]
    assert path in caught.value.paths
    assert words in str(caught.value)
    assert number(client, VOICE_SMS).app_id is None  # the good one was not sent either


def test_an_empty_list_is_refused(client: VonageClient, voice: Application) -> None:
    with pytest.raises(ValidationError, match="give at least one number") as caught:
        unlink_numbers(client, [])
    assert caught.value.paths == ["msisdn"]


@pytest.mark.parametrize("app_id", ["", "   ", "a b", "x/y"])
def test_malformed_app_id(client: VonageClient, app_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        link_numbers(client, [VOICE_SMS], app_id)
    assert caught.value.paths == ["app_id"]


def test_wrong_country_for_an_owned_number(client: VonageClient, voice: Application) -> None:
    frame = link_numbers(client, [(VOICE_ONLY, "us")], voice.id)
    row = _row(frame, VOICE_ONLY)
    assert row["outcome"] == "failed"
    assert row["message"] == (
        f"{VOICE_ONLY} is a GB number, not US: fix the country or leave it out"
    )


def test_http_420_method_failed_is_explained(
    client: VonageClient, voice: Application, other: Application
) -> None:
    """The application disappears mid-batch: Vonage answers 420 for the next number."""

    def delete_after_first(done: int, _total: int) -> None:
        if done == 1:
            client.applications.delete(voice.id)

    frame = link_numbers(client, [VOICE_ONLY, US_VOICE], voice.id, progress=delete_after_first)

    assert _row(frame, VOICE_ONLY)["outcome"] == "linked"
    failed = _row(frame, US_VOICE)
    assert failed["outcome"] == "failed"
    message = str(failed["message"])
    assert 'HTTP 420 "method failed"' in message
    assert "does not exist in this account" in message  # the usual causes, spelled out
    assert f"application {voice.id} does not exist in this account" in message  # the server's
    assert f"client.applications.get('{voice.id}')" in message
    assert "pass the same list again" in message
    assert number(client, US_VOICE).app_id is None


def test_unlink_reports_a_missing_number_and_goes_on(
    client: VonageClient, voice: Application
) -> None:
    link_numbers(client, [VOICE_ONLY, US_VOICE], voice.id)
    frame = unlink_numbers(client, [VOICE_ONLY, NOT_OWNED, US_VOICE])
    assert outcomes(frame) == {VOICE_ONLY: "unlinked", NOT_OWNED: "failed", US_VOICE: "unlinked"}
    assert client.numbers.list(application_id=voice.id).count == 0


def test_sms_only_number_for_a_voice_app_warns_in_the_result(
    client: VonageClient, voice: Application
) -> None:
    frame = link_numbers(client, [SMS_ONLY], voice.id)
    message = str(_row(frame, SMS_ONLY)["message"])
    assert "cannot receive calls" in message
    assert "no VOICE" in message
