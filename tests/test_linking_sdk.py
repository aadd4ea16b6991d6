"""The official Vonage SDK (an outside oracle) sees the links our code makes, over TLS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from vonage import Vonage
from vonage_numbers import ListOwnedNumbersFilter, UpdateNumberParams

from tests.linking_helpers import VOICE_ONLY, VOICE_SMS, outcomes
from tests.sandbox_helpers import tls_sandbox, voice_app, vonage
from vonage_widgets.client import VonageClient
from vonage_widgets.linking import link_numbers, unlink_numbers
from vonage_widgets.models import Application
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.widgets.number_linker import NumberLinker

__all__ = ["tls_sandbox", "vonage"]  # fixtures used here


@pytest.fixture
def client(tls_sandbox: Sandbox) -> Iterator[VonageClient]:
    with VonageClient(
        tls_sandbox.api_key,
        tls_sandbox.api_secret,
        api_host=tls_sandbox.url,
        rest_host=tls_sandbox.url,
        verify=tls_sandbox.ca_file or True,
    ) as made:
        yield made


@pytest.fixture
def app(client: VonageClient) -> Application:
    return client.applications.create(voice_app("sdk oracle"))


def _sdk_linked(vonage: Vonage, app_id: str) -> list[str]:
    numbers, count, _next = vonage.numbers.list_owned_numbers(
        ListOwnedNumbersFilter(application_id=app_id)
    )
    assert count == len(numbers)
    return sorted(n.msisdn for n in numbers)


def test_sdk_lists_the_number_the_widget_linked(
    vonage: Vonage, client: VonageClient, app: Application
) -> None:
    assert _sdk_linked(vonage, app.id) == []
    linker = NumberLinker(client, application=app)
    linker.filter(feature="VOICE", country="GB")
    linker.select([VOICE_ONLY])
    linker.link_button.click()
    assert outcomes(linker.results) == {VOICE_ONLY: "linked"}

    assert _sdk_linked(vonage, app.id) == [VOICE_ONLY]
    numbers, _, _ = vonage.numbers.list_owned_numbers(ListOwnedNumbersFilter(country="GB"))
    seen = {n.msisdn: n for n in numbers}
    assert seen[VOICE_ONLY].app_id == app.id


def test_a_link_made_by_the_sdk_needs_confirmation_here(
    vonage: Vonage, client: VonageClient, app: Application
) -> None:
    elsewhere = client.applications.create(voice_app("linked by the sdk"))
    vonage.numbers.update_number(
        UpdateNumberParams(country="GB", msisdn=VOICE_SMS, app_id=elsewhere.id)
    )

    frame = link_numbers(client, [VOICE_SMS], app.id)

    assert outcomes(frame) == {
        VOICE_SMS: f"needs confirmation: linked to linked by the sdk ({elsewhere.id})"
    }
    assert _sdk_linked(vonage, elsewhere.id) == [VOICE_SMS]
    assert _sdk_linked(vonage, app.id) == []


def test_sdk_sees_an_unlink_that_kept_the_sms_webhook(
    vonage: Vonage, client: VonageClient, app: Application
) -> None:
    vonage.numbers.update_number(
        UpdateNumberParams(
            country="GB", msisdn=VOICE_SMS, app_id=app.id, mo_http_url="https://example.com/sms"
        )
    )
    assert outcomes(unlink_numbers(client, [VOICE_SMS])) == {VOICE_SMS: "unlinked"}

    assert _sdk_linked(vonage, app.id) == []
    numbers, _, _ = vonage.numbers.list_owned_numbers(ListOwnedNumbersFilter(country="GB"))
    after = next(n for n in numbers if n.msisdn == VOICE_SMS)
    assert after.app_id is None
    assert after.mo_http_url == "https://example.com/sms"
