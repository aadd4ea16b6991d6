"""Recorded bodies (the official SDK's fixtures, the spec's examples) survive a round trip.

Each body is parsed and written back; the output must equal the input, field for field, so
nothing the API sent is lost, renamed or default-filled. The official Python SDK (an outside
oracle) must also accept what we write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from vonage_application.requests import ApplicationConfig
from vonage_application.responses import ApplicationData, ListApplicationsResponse

from tests.conftest import ORACLES, load_json
from tests.models_helpers import load_spec, recorded, spec_example, without_private_key
from vonage_widgets.models import (
    Application,
    ApplicationPage,
    NumbersPage,
    NumbersStatus,
    OwnedNumber,
    ProblemDetails,
)

APPLICATION_BODIES = [
    "create_application_basic",
    "create_application_options",
    "get_application",
    "update_application",
]
PAGE_BODIES = ["list_applications_basic", "list_applications_multiple_pages"]


def _example(oracles_dir: Path, folder: str, name: str) -> dict[str, Any]:
    return load_json(oracles_dir / "specs" / "examples" / folder / f"{name}.json")


def test_every_recorded_application_body_is_covered(oracles_dir: Path) -> None:
    names = {p.stem for p in recorded(oracles_dir, "application")}
    assert names == set(APPLICATION_BODIES) | set(PAGE_BODIES)


@pytest.mark.parametrize("name", APPLICATION_BODIES)
def test_application_round_trip_is_exact(oracles_dir: Path, name: str) -> None:
    body = _example(oracles_dir, "application", name)
    app = Application.from_api(body)
    assert app.to_dict() == without_private_key(body)
    assert app.link() == f"/v2/applications/{body['id']}"


@pytest.mark.parametrize("name", APPLICATION_BODIES)
def test_to_api_is_the_dict_without_id_and_links(oracles_dir: Path, name: str) -> None:
    body = _example(oracles_dir, "application", name)
    expected = without_private_key(body)
    del expected["id"], expected["_links"]
    assert Application.from_api(body).to_api() == expected


def test_generated_private_key_is_reachable_but_never_written(oracles_dir: Path) -> None:
    body = _example(oracles_dir, "application", "create_application_basic")
    app = Application.from_api(body)
    assert app.keys is not None
    assert app.keys.private_key is not None
    assert app.keys.private_key.get_secret_value() == body["keys"]["private_key"]
    for text in (repr(app), str(app), json.dumps(app.to_dict()), json.dumps(app.to_api())):
        assert "PRIVATE KEY" not in text
        assert "private_key_info_goes_here" not in text
    assert app.to_dict(include_private_key=True) == body


@pytest.mark.parametrize("name", PAGE_BODIES)
def test_application_page_round_trip_is_exact(oracles_dir: Path, name: str) -> None:
    body = _example(oracles_dir, "application", name)
    page = ApplicationPage.from_api(body)
    assert page.to_dict() == body
    assert [a.id for a in page.applications] == [a["id"] for a in body["_embedded"]["applications"]]
    assert page.links == body["_links"]


def test_page_links_and_next_page(oracles_dir: Path) -> None:
    single = ApplicationPage.from_api(
        _example(oracles_dir, "application", "list_applications_basic")
    )
    several = ApplicationPage.from_api(
        _example(oracles_dir, "application", "list_applications_multiple_pages")
    )
    assert single.next_page is None
    assert several.next_page == 2
    assert several.links is not None
    assert several.links["next"]["href"] == "/v2/applications?page_size=3&page=2"
    assert several.applications[0].link() is None  # the recorded items carry no _links
    assert several.applications[2].capabilities is not None
    voice = several.applications[2].capabilities.voice
    assert voice is not None
    assert voice.webhooks is not None
    assert voice.webhooks.to_wire() == {}  # the recorded "webhooks": {} stays an empty object


def test_every_recorded_numbers_body_round_trips(oracles_dir: Path) -> None:
    for path in recorded(oracles_dir, "numbers"):
        body = load_json(path)
        model = NumbersStatus if "error-code" in body else NumbersPage
        assert model.from_api(body).to_dict() == body, path.name


def test_numbers_without_numbers_key_is_an_empty_page(oracles_dir: Path) -> None:
    page = NumbersPage.from_api(_example(oracles_dir, "numbers", "nothing"))
    assert (page.count, page.numbers) == (0, [])
    assert page.to_dict() == {}


def test_linked_number_fields_are_read(oracles_dir: Path) -> None:
    page = NumbersPage.from_api(_example(oracles_dir, "numbers", "list_owned_numbers_basic"))
    linked = page.numbers[1]
    assert (linked.country, linked.msisdn, linked.app_id) == (
        "GB",
        "447007000000",
        "29f769u7-7ce1-46c9-ade3-f2dedee4fr4t",
    )
    assert linked.features == ["VOICE", "SMS"]
    assert page.numbers[0].app_id is None


def test_routing_form_keeps_settings_and_drops_app_routing() -> None:
    number = OwnedNumber.model_validate(
        {
            "country": "GB",
            "msisdn": "447700900000",
            "app_id": "old",
            "moHttpUrl": "https://example.com/sms",
            "voiceCallbackType": "app",
            "voiceCallbackValue": "old",
            "messagesCallbackType": "app",
            "messagesCallbackValue": "old",
            "voiceStatusCallback": "https://example.com/status",
            "moSmppSysType": "inbound",
        }
    )
    kept = {
        "moHttpUrl": "https://example.com/sms",
        "moSmppSysType": "inbound",
        "voiceStatusCallback": "https://example.com/status",
    }
    assert number.routing_form() == kept
    assert number.routing_form(app_id="new") == {**kept, "app_id": "new"}


def test_routing_form_keeps_a_sip_or_tel_forwarding(oracles_dir: Path) -> None:
    forwarded = OwnedNumber.model_validate(
        {
            "msisdn": "447700900000",
            "app_id": "old",
            "voiceCallbackType": "sip",
            "voiceCallbackValue": "sip:a@b.c",
        }
    )
    assert forwarded.routing_form() == {
        "voiceCallbackType": "sip",
        "voiceCallbackValue": "sip:a@b.c",
    }
    page = NumbersPage.from_api(_example(oracles_dir, "numbers", "list_owned_numbers_basic"))
    assert [n.routing_form() for n in page.numbers] == [{}, {}]  # app-typed callbacks dropped
    assert set(OwnedNumber.KEPT_SETTINGS) < set(OwnedNumber.ROUTING_FIELDS)


def test_numbers_status_bodies(oracles_dir: Path) -> None:
    assert NumbersStatus.from_api(_example(oracles_dir, "numbers", "number")).ok
    failed = NumbersStatus.from_api(_example(oracles_dir, "numbers", "no_number"))
    assert not failed.ok
    assert failed.error_code_label == "method failed"


def test_every_recorded_problem_body_round_trips(oracles_dir: Path) -> None:
    for path in recorded(oracles_dir, "http_client"):
        body = load_json(path)
        assert ProblemDetails.from_api(body).to_dict() == body, path.name


@pytest.fixture(scope="module")
def spec_bodies() -> dict[str, dict[str, Any]]:
    spec = load_spec(ORACLES)
    components = spec["components"]["schemas"]
    create = spec["paths"]["/v2/applications"]["post"]
    update = spec["paths"]["/v2/applications/{id}"]["put"]
    return {
        "create request": spec_example(
            create["requestBody"]["content"]["application/json"]["schema"], components
        ),
        "update request": spec_example(
            update["requestBody"]["content"]["application/json"]["schema"], components
        ),
        "create response": spec_example(
            create["responses"]["201"]["content"]["application/json"]["schema"], components
        ),
        "get response": spec_example(components["ApplicationResponse"], components),
    }


@pytest.mark.parametrize(
    "which", ["create request", "update request", "create response", "get response"]
)
def test_spec_example_bodies_round_trip_with_unknown_capabilities(
    spec_bodies: dict[str, dict[str, Any]], which: str
) -> None:
    body = spec_bodies[which]
    # The spec's examples include capabilities we do not model: they must survive.
    assert {"video", "network_apis", "meetings"} <= set(body["capabilities"])
    app = Application.from_api(body)
    assert app.to_dict() == without_private_key(body)
    assert app.capabilities is not None
    assert app.capabilities.model_extra is not None
    assert app.to_api()["capabilities"]["video"] == body["capabilities"]["video"]


@pytest.mark.parametrize("name", APPLICATION_BODIES)
def test_official_sdk_accepts_what_we_write(oracles_dir: Path, name: str) -> None:
    app = Application.from_api(_example(oracles_dir, "application", name))
    ApplicationConfig.model_validate(app.to_api())
    ApplicationData.model_validate(app.to_dict())


@pytest.mark.parametrize("name", PAGE_BODIES)
def test_official_sdk_accepts_our_pages(oracles_dir: Path, name: str) -> None:
    page = ApplicationPage.from_api(_example(oracles_dir, "application", name))
    parsed = ListApplicationsResponse.model_validate(page.to_dict())
    assert len(parsed.embedded.applications) == len(page.applications)
