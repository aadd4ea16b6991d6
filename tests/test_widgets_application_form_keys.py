"""ApplicationForm key handling: generated pairs, key files, retries, and no leaks.

A generated private key is written (mode 0600) before the create request, kept in memory
when that fails, saved by ``retry_save_key``, and never appears in a widget value, a repr or
the status.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.widgets_helpers import every_string, sandbox_client, text
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import KeyHandlingError, TransportError
from vonage_widgets.keys import (
    fingerprint,
    generate_key_pair,
    keys_match,
    load_private_key,
    save_private_key,
)
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.widgets import ApplicationForm


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[Sandbox, VonageClient]]:
    with sandbox_client() as pair:
        yield pair


@pytest.fixture
def client(sandbox: tuple[Sandbox, VonageClient]) -> VonageClient:
    return sandbox[1]


def private_body(pem: str) -> list[str]:
    """Lines from the middle of a private key: none of them may show anywhere."""
    lines = [line for line in pem.splitlines() if line and not line.startswith("-----")]
    return lines[1:-1]


def assert_nowhere(form: ApplicationForm, secret_pem: str) -> None:
    haystack = "\n".join(every_string(form))
    assert "BEGIN PRIVATE KEY" not in haystack
    for line in private_body(secret_pem):
        assert line not in haystack


def _voice_form(client: VonageClient | None, keys_dir: Path, name: str) -> ApplicationForm:
    form = ApplicationForm(client, keys_dir=keys_dir)
    form.name_row.control.value = name
    form.sections["voice"].toggle.value = True
    address = form.rows["capabilities.voice.webhooks.answer_url.address"]
    address.control.value = "https://example.com/answer"
    return form


def test_create_generates_and_saves_the_key_before_the_request(
    client: VonageClient, tmp_path: Path
) -> None:
    keys_dir = tmp_path / "keys"
    form = _voice_form(client, keys_dir, "Key Test: #1")
    form.save_button.click()

    app = form.application
    assert app is not None
    assert app.id is not None
    assert form.key_path is not None
    path = form.key_path
    assert path.parent == keys_dir
    assert path.name.startswith("key-test-1-")
    assert path.suffix == ".key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pem = path.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    load_private_key(path)  # a valid key
    stored = client.applications.get(app.id)
    assert stored.keys is not None
    assert stored.keys.public_key is not None
    assert keys_match(path, stored.keys.public_key)
    assert path.name == f"key-test-1-{fingerprint(stored.keys.public_key)[7:15]}.key"
    assert str(path) in text(form.status.value)
    assert form.key_panel.pair is None  # consumed: the file is the record now
    assert_nowhere(form, pem)


def test_a_failed_key_save_sends_nothing_keeps_the_key_and_retry_saves_it(
    client: VonageClient, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the keys folder should be")
    form = _voice_form(client, blocker / "keys", "Retry me")
    before = {a.id for a in client.applications.list_all()}

    with pytest.raises(KeyHandlingError):
        form.save()

    status = text(form.status.value)
    assert "could not save the private key" in status
    assert "request was not sent" in status
    assert "retry_save_key" in status
    assert {a.id for a in client.applications.list_all()} == before
    assert form.mode == "create"
    pair = form.key_panel.pair
    assert pair is not None
    assert form.key_panel.unsaved is True
    secret = pair.private_pem.get_secret_value()
    assert_nowhere(form, secret)

    # The default folder still cannot be written; another place works.
    with pytest.raises(KeyHandlingError):
        form.retry_save_key()
    assert form.key_panel.unsaved is True
    target = tmp_path / "elsewhere"
    target.mkdir()
    saved = form.retry_save_key(target)
    assert saved.parent == target
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert saved.read_text() == secret
    assert f"Private key saved to {saved}" in text(form.status.value)
    assert form.key_panel.unsaved is False

    app = form.save()  # the same pair, already saved: nothing generated again
    assert app.keys is not None
    assert app.keys.public_key == pair.public_pem
    assert keys_match(saved, app.keys.public_key)
    assert form.key_path == saved
    assert_nowhere(form, secret)


def test_retry_without_an_unsaved_key_says_so(tmp_path: Path) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    with pytest.raises(KeyHandlingError):
        form.retry_save_key()
    assert "no unsaved private key" in text(form.status.value)


def test_a_failed_request_keeps_the_saved_key_for_the_next_try(tmp_path: Path) -> None:
    # A sandbox that is gone: the key is written first, the request then fails.
    with Sandbox() as stopped:
        url, key, secret = stopped.url, stopped.api_key, stopped.api_secret
    gone = VonageClient(key, secret, api_host=url, rest_host=url, max_retries=0, timeout=2)
    form = _voice_form(gone, tmp_path, "Offline")
    with pytest.raises(TransportError):
        form.save()
    gone.close()
    assert form.key_panel.saved_path is not None
    assert form.key_panel.saved_path.exists()
    assert "Not saved" in text(form.status.value)
    assert form.mode == "create"


def test_key_rotation_in_edit_mode(client: VonageClient, tmp_path: Path) -> None:
    form = _voice_form(client, tmp_path, "Rotate")
    form.save()
    first = form.key_path
    assert first is not None
    form.key_panel.choice.value = "generate"
    new_public = form.generate_keys()
    preview = form.preview_changes()
    assert preview["field"].tolist() == ["keys.public_key"]
    assert preview.iloc[0]["after"] == f"public key {fingerprint(new_public)}"
    form.save()
    assert form.key_path is not None
    assert form.key_path != first
    assert form.application is not None
    assert form.application.id is not None
    stored = client.applications.get(form.application.id)
    assert stored.keys is not None
    assert stored.keys.public_key == new_public
    assert keys_match(form.key_path, new_public)
    assert not keys_match(first, new_public)
    assert form.key_panel.mode == "keep"


def test_private_key_check(client: VonageClient, tmp_path: Path) -> None:
    form = _voice_form(client, tmp_path, "Check")
    form.save()
    assert form.key_path is not None
    panel = form.key_panel
    panel.check_path.value = str(form.key_path)
    panel.check_button.click()
    assert panel.check_message.value.count("✓") == 1
    assert "matches" in text(panel.check_message.value)
    assert form.check_private_key(form.key_path) is True

    other = save_private_key(generate_key_pair().private_pem, tmp_path / "other.key")
    assert form.check_private_key(other) is False
    assert "✗" in panel.check_message.value
    assert "does NOT match" in text(panel.check_message.value)

    assert form.check_private_key(tmp_path / "missing.key") is False
    assert "not found" in text(panel.check_message.value)


def test_pasting_a_private_key_anywhere_keeps_only_public_material(tmp_path: Path) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    form.name_row.control.value = "Paste"
    pair = generate_key_pair()
    secret = pair.private_pem.get_secret_value()
    panel = form.key_panel

    panel.choice.value = "own"
    panel.public_key_text.value = secret
    assert panel.public_key_text.value == pair.public_pem
    assert "replaced by its public half" in text(panel.own_status.value)
    assert form.document()["keys"] == {"public_key": pair.public_pem}
    assert form.errors == {}

    panel.check_path.value = secret
    assert panel.check_path.value == ""
    assert "not the key itself" in text(panel.check_message.value)

    panel.public_key_text.value = "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----"
    assert panel.public_key_text.value == ""
    assert_nowhere(form, secret)


def test_uploading_a_key_file(tmp_path: Path) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    form.name_row.control.value = "Upload"
    pair = generate_key_pair()
    secret = pair.private_pem.get_secret_value()
    upload = form.key_panel.upload

    def send(name: str, content: bytes) -> None:
        upload.value = (
            {
                "name": name,
                "type": "application/x-pem-file",
                "size": len(content),
                "content": memoryview(content),
                "last_modified": dt.datetime.now(dt.UTC),
            },
        )

    send("public.pem", pair.public_pem.encode())
    assert form.key_panel.mode == "own"
    assert form.key_panel.public_key_text.value.strip() == pair.public_pem.strip()
    assert upload.value == ()  # emptied at once
    assert form.document()["keys"] == {"public_key": pair.public_pem}

    send("private.key", secret.encode())
    assert upload.value == ()
    assert form.key_panel.public_key_text.value == pair.public_pem
    assert_nowhere(form, secret)

    send("binary.der", b"\xff\xfe\x00garbage")
    assert "not PEM text" in text(form.key_panel.own_status.value)


def test_a_generated_key_in_memory_never_shows(tmp_path: Path) -> None:
    form = _voice_form(None, tmp_path, "Memory")
    form.generate_keys()
    form.preview_changes()
    pair = form.key_panel.pair
    assert pair is not None
    assert_nowhere(form, pair.private_pem.get_secret_value())
    assert "PRIVATE" not in repr(pair)
