"""The application-write service: one webhook overlay, and the one-time key kept or saved."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from vonage_widgets import appconfig, errors
from vonage_widgets.appwrite import (
    REMOVE,
    keep_returned_key,
    new_key_pair,
    overlay_webhook,
    place_webhooks,
    send,
)
from vonage_widgets.errors import ApiError, KeyHandlingError, UnsavedKeyError
from vonage_widgets.keys import generate_key_pair, keys_match
from vonage_widgets.models import Application

HOOK = {"address": "https://example.com/answer", "http_method": "GET", "socket_timeout": 3000}


def test_overlay_writes_fields_over_a_copy_and_removes_the_ones_marked() -> None:
    hook = overlay_webhook(HOOK, {"http_method": "POST", "socket_timeout": REMOVE})
    assert hook == {"address": "https://example.com/answer", "http_method": "POST"}
    assert HOOK["http_method"] == "GET"  # the base is not changed


@pytest.mark.parametrize(
    ("base", "fields", "expected"),
    [
        (HOOK, {"address": REMOVE}, None),  # a cleared address removes the webhook
        (None, {"http_method": "POST"}, {"http_method": "POST"}),  # kept: model reports address
        (
            None,
            {"address": "https://a.test/x"},
            {"address": "https://a.test/x", "http_method": "GET"},
        ),
        (HOOK, {"address": "https://a.test/x"}, {**HOOK, "address": "https://a.test/x"}),
        (
            None,
            {"address": "https://a.test/y", "http_method": "POST"},
            {"address": "https://a.test/y", "http_method": "POST"},
        ),  # a method given wins
    ],
)
def test_overlay_removes_an_emptied_webhook_and_defaults_a_new_ones_method(
    base: dict[str, Any] | None, fields: dict[str, Any], expected: dict[str, Any] | None
) -> None:
    assert overlay_webhook(base, fields, default_method="GET") == expected


def test_place_webhooks_drops_an_emptied_object_but_keeps_one_that_was_empty() -> None:
    emptied: dict[str, Any] = {"webhooks": {"answer_url": HOOK}, "region": "eu"}
    place_webhooks(emptied, {"answer_url": None})
    assert emptied == {"region": "eu"}
    already_empty: dict[str, Any] = {"webhooks": {}}
    place_webhooks(already_empty, {"answer_url": None})
    assert already_empty == {"webhooks": {}}
    wrong_type: dict[str, Any] = {"webhooks": ["not", "an", "object"]}
    place_webhooks(wrong_type, {"answer_url": HOOK})
    assert wrong_type == {"webhooks": ["not", "an", "object"]}  # left for validation


def test_a_refused_request_removes_the_key_saved_for_it(tmp_path: Path) -> None:
    public, key_file = new_key_pair(lambda pair: tmp_path / "new.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert keys_match(key_file, public)
    removed: list[Path] = []

    def refused() -> Application:
        raise ApiError(422, title="Invalid")

    with pytest.raises(ApiError):
        send(refused, key_file, removed=removed.append)
    assert not key_file.exists()
    assert removed == [key_file]


def _created_with_private_key() -> Application:
    pair = generate_key_pair()
    return Application.from_api(
        {
            "id": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
            "name": "Keys",
            "keys": {
                "public_key": pair.public_pem,
                "private_key": pair.private_pem.get_secret_value(),
            },
        }
    )


def test_a_one_time_key_that_cannot_be_saved_is_kept_and_saved_on_retry(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    returned = keep_returned_key(
        _created_with_private_key(), blocked / "keys.key", kept_in="in this error: retry"
    )
    unsaved = returned.unsaved
    assert isinstance(unsaved, UnsavedKeyError)
    assert returned.key_file is None
    assert returned.application.keys is not None
    assert returned.application.keys.private_key is None  # only the error holds the key
    assert "PRIVATE KEY" not in str(unsaved)
    assert "kept in this error: retry with a file or folder" in str(unsaved)
    saved = unsaved.retry_save(tmp_path)  # a folder: the usual file name inside it
    assert saved.parent == tmp_path
    assert saved.name.startswith("keys-")
    assert keys_match(saved, returned.application.keys.public_key or "")
    assert unsaved.private_key is None
    with pytest.raises(KeyHandlingError, match="already saved"):
        unsaved.retry_save(tmp_path / "again.key")


def test_unsaved_key_error_has_one_home() -> None:
    assert appconfig.UnsavedKeyError is errors.UnsavedKeyError
    assert issubclass(errors.UnsavedKeyError, errors.KeyHandlingError)
