"""``compact``: kept models share their field-name sets and empty extras, and behave the same.

``ApplicationsApi.list_all`` compacts every application it returns (the memory it saves is
measured by ``benchmarks/listing.py``); here: nothing a model shows or does changes, and a
change to one compacted model never reaches another.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sandbox_helpers import client, voice_app
from vonage_widgets.client import VonageClient
from vonage_widgets.models import Application
from vonage_widgets.models._wire import compact
from vonage_widgets.sandbox import Sandbox


def _body(name: str) -> dict[str, Any]:
    return {
        "id": f"id-{name}",
        "name": name,
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {"address": "https://example.com/a", "http_method": "GET"},
                    "event_url": {"address": "https://example.com/e"},
                }
            },
            "video": {"webhooks": {"archive_status": {"address": "https://example.com/v"}}},
        },
        "keys": {"public_key": "PEM"},
        "_links": {"self": {"href": f"/v2/applications/id-{name}"}},
        "unknown_top": {"kept": True},
    }


@pytest.fixture
def pair() -> tuple[Application, Application]:
    return compact(Application.from_api(_body("a"))), compact(Application.from_api(_body("b")))


def _models(app: Application) -> Iterator[Any]:
    assert app.capabilities is not None
    assert app.capabilities.voice is not None
    webhooks = app.capabilities.voice.webhooks
    assert webhooks is not None
    yield from (app, app.capabilities, app.capabilities.voice, webhooks, webhooks.answer_url)


def test_a_compacted_model_reads_dumps_and_compares_as_before() -> None:
    plain, kept = Application.from_api(_body("a")), compact(Application.from_api(_body("a")))
    assert kept == plain
    assert kept.to_api() == plain.to_api()
    assert kept.to_dict() == plain.to_dict() == {**_body("a")}
    assert kept.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    assert kept.model_dump_json(exclude_unset=True) == plain.model_dump_json(exclude_unset=True)
    assert kept.model_fields_set == plain.model_fields_set
    assert repr(kept) == repr(plain)


def test_same_shapes_share_one_set_of_field_names(pair: tuple[Application, Application]) -> None:
    for left, right in zip(_models(pair[0]), _models(pair[1]), strict=True):
        assert left.__pydantic_fields_set__ is right.__pydantic_fields_set__
    assert pair[0].keys is not None
    assert pair[1].keys is not None
    assert pair[0].keys.__pydantic_extra__ is pair[1].keys.__pydantic_extra__  # both empty
    assert pair[0].__pydantic_extra__ == {"unknown_top": {"kept": True}}  # not shared: not empty


def test_changing_one_compacted_model_leaves_the_other_alone(
    pair: tuple[Application, Application],
) -> None:
    first, second = pair
    shared = frozenset(second.model_fields_set)
    first.privacy = None  # a field that was not given
    assert "privacy" in first.model_fields_set
    assert "privacy" not in second.model_fields_set
    assert frozenset(second.model_fields_set) == shared
    answer = next(iter(reversed(list(_models(first)))))
    answer.connect_timeout = 1000
    assert "connect_timeout" in answer.model_fields_set
    assert "connect_timeout" not in list(_models(second))[-1].model_fields_set
    assert first.keys is not None
    assert second.keys is not None
    first.keys.note = "mine"  # an unknown field, kept as an extra
    assert first.keys.to_wire() == {"public_key": "PEM", "note": "mine"}
    assert second.keys.to_wire() == {"public_key": "PEM"}
    del first.keys.note
    assert first.keys.to_wire() == {"public_key": "PEM"}


def test_copies_and_pickles_of_compacted_models_are_ordinary(
    pair: tuple[Application, Application],
) -> None:
    first, second = pair
    renamed = first.model_copy(update={"name": "renamed", "extra_key": 1})
    assert renamed.name == "renamed"
    assert "extra_key" in renamed.model_fields_set
    assert "extra_key" not in first.model_fields_set
    assert first.model_copy(deep=True) == first
    assert copy.deepcopy(first) == first
    restored = pickle.loads(pickle.dumps(first))  # noqa: S301 - our own bytes
    assert restored == first
    assert type(restored.__pydantic_fields_set__) is set
    restored.name = "after pickling"
    assert second.name == "b"


def test_the_shared_set_refuses_changes_in_place(pair: tuple[Application, Application]) -> None:
    shared = pair[0].model_fields_set
    with pytest.raises(TypeError, match="read-only"):
        shared.add("name")
    assert pair[0].keys is not None
    with pytest.raises(TypeError, match="read-only"):
        pair[0].keys.__pydantic_extra__["x"] = 1  # type: ignore[index]


def test_list_all_returns_compacted_applications() -> None:
    with Sandbox() as sandbox:
        with client(sandbox) as http:
            for index in range(3):
                assert http.post("/v2/applications", json=voice_app(f"app {index}")).is_success
        with VonageClient(sandbox.api_key, sandbox.api_secret, api_host=sandbox.url) as api:
            listed = api.applications.list_all(page_size=2)
            streamed = list(api.applications.iter_all(page_size=2))
    assert listed == streamed
    assert len({id(app.__pydantic_fields_set__) for app in listed}) == 1
    assert len({id(app.__pydantic_fields_set__) for app in streamed}) == 3
