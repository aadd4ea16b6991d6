"""The client against the embedded sandbox on 127.0.0.1: the four tutorial steps end to end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vonage_widgets.client import VonageClient
from vonage_widgets.errors import AuthenticationError, NotFoundError, NumbersError, ValidationError
from vonage_widgets.sandbox import Sandbox

VOICE = {
    "voice": {
        "webhooks": {
            "answer_url": {"address": "https://example.com/answer", "http_method": "GET"},
            "event_url": {"address": "https://example.com/event", "http_method": "POST"},
        }
    }
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=7) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[VonageClient]:
    with VonageClient(
        sandbox.api_key, sandbox.api_secret, api_host=sandbox.url, rest_host=sandbox.url
    ) as api:
        yield api
        for app in api.applications.list_all():  # leave the shared sandbox empty
            api.applications.delete(app.id or "")


def test_create_list_update_delete(client: VonageClient) -> None:
    created = client.applications.create({"name": "ivr", "capabilities": VOICE})
    assert created.id
    assert created.keys is not None
    assert created.keys.private_key is not None
    for n in range(4):
        client.applications.create({"name": f"extra {n}"})
    progress: list[tuple[int, int]] = []
    names = [
        a.name
        for a in client.applications.list_all(page_size=2, progress=lambda *p: progress.append(p))
    ]
    assert names == ["ivr", "extra 0", "extra 1", "extra 2", "extra 3"]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    body = created.to_api()
    body["capabilities"]["video"] = {"storage": {"end_to_end_encryption": True}}
    client.applications.update(created.id, {**body, "name": "ivr v2"})
    fetched = client.applications.get(created.id)
    assert fetched.name == "ivr v2"
    assert fetched.to_api()["capabilities"]["video"] == body["capabilities"]["video"]
    client.applications.delete(created.id)
    with pytest.raises(NotFoundError):
        client.applications.get(created.id)


def test_link_and_unlink_a_number(client: VonageClient) -> None:
    app = client.applications.create({"name": "linker", "capabilities": VOICE})
    assert app.id
    number = client.numbers.list_all()[0]
    client.numbers.link(number.msisdn, app.id)
    linked = client.numbers.list(application_id=app.id)
    assert [n.msisdn for n in linked.numbers] == [number.msisdn]
    client.numbers.unlink(number.msisdn)
    assert client.numbers.list(application_id=app.id).count == 0


def test_refusals(client: VonageClient, sandbox: Sandbox) -> None:
    number = client.numbers.list(size=1).numbers[0]
    with pytest.raises(NumbersError) as caught:
        client.numbers.link(number.msisdn, "no-such-app", country=number.country)
    assert "client.applications.get('no-such-app')" in str(caught.value)
    with pytest.raises(ValidationError):
        client.numbers.link("447700900999", "any-app")
    with (
        VonageClient("stranger", "not-the-secret-42", api_host=sandbox.url) as stranger,
        pytest.raises(AuthenticationError) as denied,
    ):
        stranger.applications.list()
    assert denied.value.status == 401
    assert "not-the-secret-42" not in str(denied.value)
