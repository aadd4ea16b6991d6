"""Applications as code: export, load and apply JSON files, losslessly, with clear errors."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.workbook_helpers import voice_body
from vonage_widgets.appconfig import (
    PRIVATE_KEY_IN_FILE,
    apply_application_file,
    export_application,
    load_application_file,
)
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import NotFoundError, ValidationError
from vonage_widgets.keys import generate_key_pair, keys_match
from vonage_widgets.models import Application, Keys
from vonage_widgets.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[VonageClient]:
    with VonageClient(
        sandbox.api_key, sandbox.api_secret, api_host=sandbox.url, rest_host=sandbox.url
    ) as made:
        for app in made.applications.list_all():  # each test starts from an empty account
            made.applications.delete(str(app.id))
        yield made


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# -- export ------------------------------------------------------------------------------------


def test_export_puts_id_and_name_first_and_never_a_private_key(tmp_path: Path) -> None:
    pair = generate_key_pair()
    app = Application.from_api({**voice_body("exported"), "id": "app-1", "_links": {}})
    app.keys = Keys(public_key=pair.public_pem, private_key=pair.private_pem)
    target = tmp_path / "app.json"
    exported = export_application(app, target)
    assert list(exported)[:2] == ["id", "name"]
    assert exported == {"id": "app-1", **app.to_api()}
    assert "_links" not in exported
    text = target.read_text(encoding="utf-8")
    assert "PRIVATE KEY" not in text
    assert pair.private_pem.get_secret_value() not in text
    assert json.loads(text) == exported
    assert text.endswith("}\n")
    assert text.startswith('{\n  "id": "app-1",\n  "name": "exported",')


def test_export_without_keys(tmp_path: Path) -> None:
    app = Application.from_api({**voice_body("no keys"), "keys": {"public_key": "x"}})
    assert "keys" not in export_application(app, include_keys=False)
    assert export_application(app)["keys"] == {"public_key": "x"}


# -- load --------------------------------------------------------------------------------------


def test_round_trip_is_lossless_with_unknown_capabilities_and_fields(tmp_path: Path) -> None:
    original = {
        **voice_body("round trip", future_top_level={"a": [1, {"b": None}]}),
        "id": "4c5a6f2e-0d1b-4b8e-9a44-6f7e8d9c0b1a",
        "keys": {"public_key": generate_key_pair().public_pem},
    }
    original["capabilities"]["voice"]["webhooks"]["answer_url"]["connection_timeout"] = 500
    app = Application.from_api(original)
    path = tmp_path / "round.json"
    exported = export_application(app, path)
    loaded = load_application_file(path)
    assert loaded.to_api() == app.to_api()
    assert loaded.id == app.id
    assert export_application(loaded) == exported
    assert exported["capabilities"]["video"] == original["capabilities"]["video"]
    assert exported["future_top_level"] == {"a": [1, {"b": None}]}
    # the old timeout name is read and written under the current one
    answer = exported["capabilities"]["voice"]["webhooks"]["answer_url"]
    assert answer["connect_timeout"] == 500
    assert "connection_timeout" not in answer


def test_not_json_gives_line_and_column_and_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.json", '{\n  "name": "x",\n  "capabilities": {,}\n}\n')
    with pytest.raises(ValidationError) as caught:
        load_application_file(path)
    assert caught.value.paths == [""]
    assert "line 3, column 20" in str(caught.value)
    assert "broken.json" in caught.value.subject
    assert "is not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "path", "words"),
    [
        ("[1, 2]", "", "must be a JSON object"),
        ('"just a string"', "", "must be a JSON object"),
        ('{"name": "a", "name": "b"}', "", "the key 'name' appears twice"),
        ('{"name": "a", "x": NaN}', "", "NaN is not a JSON number"),
        ("{}", "name", "is required"),
    ],
)
def test_wrong_shapes_are_named(tmp_path: Path, content: str, path: str, words: str) -> None:
    file = write(tmp_path / "shape.json", content)
    with pytest.raises(ValidationError) as caught:
        load_application_file(file)
    assert caught.value.paths == [path]
    assert words in str(caught.value)
    assert caught.value.subject == f"application file {str(file)!r}"


def test_bad_fields_are_named_by_wire_path(tmp_path: Path) -> None:
    body = voice_body("bad")
    hooks = body["capabilities"]["voice"]["webhooks"]
    hooks["answer_url"]["http_method"] = "PUT"
    hooks["event_url"]["socket_timeout"] = 20000
    body["capabilities"]["messages"] = {"webhooks": {"inbound_url": {"address": "ftp://x"}}}
    file = write(tmp_path / "bad.json", body)
    with pytest.raises(ValidationError) as caught:
        load_application_file(file)
    assert set(caught.value.paths) == {
        "capabilities.voice.webhooks.answer_url.http_method",
        "capabilities.voice.webhooks.event_url.socket_timeout",
        "capabilities.messages.webhooks.inbound_url.address",
    }
    assert "bad.json" in str(caught.value)
    assert caught.value.for_path("capabilities.voice.webhooks.event_url.socket_timeout") == [
        "must be between 1000 and 10000 (milliseconds)"
    ]


def test_a_private_key_in_a_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    pair = generate_key_pair()
    secret = pair.private_pem.get_secret_value()
    body = voice_body("leaky", keys={"public_key": pair.public_pem, "private_key": secret})
    file = write(tmp_path / "leaky.json", body)
    with pytest.raises(ValidationError) as caught:
        load_application_file(file)
    assert caught.value.paths == ["keys.private_key"]
    assert caught.value.errors[0].message == PRIVATE_KEY_IN_FILE
    assert secret not in str(caught.value)
    assert "BEGIN PRIVATE KEY" not in str(caught.value)


def test_missing_folder_and_binary_files(tmp_path: Path) -> None:
    cases = {
        tmp_path / "absent.json": "does not exist",
        tmp_path: "is a folder",
    }
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"name": "\xff"}')
    cases[binary] = "is not UTF-8 text"
    for file, words in cases.items():
        with pytest.raises(ValidationError, match=words) as caught:
            load_application_file(file)
        assert str(file) in caught.value.subject


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps(voice_body("bom")).encode())
    assert load_application_file(file).name == "bom"


# -- apply -------------------------------------------------------------------------------------


def test_apply_creates_then_updates_by_name_keeping_unknown_capabilities(
    client: VonageClient, tmp_path: Path
) -> None:
    file = write(tmp_path / "app.json", voice_body("config as code"))
    created = apply_application_file(client, file)
    assert created.id

    edited = voice_body("config as code")
    edited["capabilities"]["voice"]["webhooks"]["event_url"]["address"] = "https://example.com/v2"
    write(file, edited)
    updated = apply_application_file(client, file)
    assert updated.id == created.id
    assert len(client.applications.list_all()) == 1

    stored = client.applications.get(str(created.id))
    assert stored.to_api()["capabilities"]["video"] == edited["capabilities"]["video"]
    event = stored.capabilities.voice.webhooks.event_url  # type: ignore[union-attr]
    assert event.address == "https://example.com/v2"  # type: ignore[union-attr]


def test_apply_an_exported_file_round_trips_through_the_api(
    client: VonageClient, tmp_path: Path
) -> None:
    made = client.applications.create(voice_body("exported then applied"))
    file = tmp_path / "exported.json"
    export_application(made, file)
    data = json.loads(file.read_text())
    data["name"] = "renamed by file"  # the id decides which application, not the name
    write(file, data)
    applied = apply_application_file(client, file)
    assert applied.id == made.id
    again = client.applications.get(str(made.id))
    assert again.name == "renamed by file"
    expected = {**made.to_api(), "name": "renamed by file"}
    assert again.to_api() == expected


def test_apply_with_an_unknown_id_is_not_found(client: VonageClient, tmp_path: Path) -> None:
    file = write(
        tmp_path / "ghost.json",
        {**voice_body("ghost"), "id": "00000000-0000-4000-8000-000000000000"},
    )
    with pytest.raises(NotFoundError):
        apply_application_file(client, file)
    assert client.applications.list_all() == []


def test_apply_refuses_an_ambiguous_name(client: VonageClient, tmp_path: Path) -> None:
    first = client.applications.create(voice_body("twin"))
    second = client.applications.create(voice_body("twin"))
    file = write(tmp_path / "twin.json", voice_body("twin"))
    with pytest.raises(ValidationError) as caught:
        apply_application_file(client, file)
    assert caught.value.paths == ["id"]
    assert "twin.json" in caught.value.subject
    assert str(first.id) in str(caught.value)
    assert str(second.id) in str(caught.value)


def test_apply_saves_a_key_vonage_generated(client: VonageClient, tmp_path: Path) -> None:
    file = write(tmp_path / "new.json", voice_body("keys by vonage"))
    keys_dir = tmp_path / "keys"
    created = apply_application_file(client, file, keys_dir=keys_dir)
    saved = list(keys_dir.glob("*.key"))
    assert len(saved) == 1
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    assert created.keys is not None
    assert created.keys.public_key
    assert keys_match(saved[0], created.keys.public_key)


def test_apply_rejects_a_bad_file_before_any_request(client: VonageClient, tmp_path: Path) -> None:
    body = voice_body("never sent")
    body["capabilities"]["voice"]["conversations_ttl"] = 0
    file = write(tmp_path / "bad.json", body)
    with pytest.raises(ValidationError) as caught:
        apply_application_file(client, file)
    assert caught.value.paths == ["capabilities.voice.conversations_ttl"]
    assert client.applications.list_all() == []


def test_export_of_a_secret_holding_model_stays_clean() -> None:
    app = Application(name="x", keys=Keys(private_key=SecretStr("-----BEGIN PRIVATE KEY-----")))
    assert export_application(app) == {"name": "x"}
