"""``ncco validate`` and ``jwt create`` / ``jwt decode``: offline commands."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import jwt as pyjwt
import pytest

from tests import cli_helpers
from tests.cli_helpers import run
from vonage_widgets.keys import generate_key_pair, save_private_key

home = cli_helpers.home

VALID_NCCO = [
    {"action": "talk", "text": "Connecting you now"},
    {"action": "connect", "endpoint": [{"type": "phone", "number": "447700900001"}]},
]
INVALID_NCCO = [
    {"action": "talk"},
    {"action": "connect", "endpoint": [{"type": "phone"}], "eventUrl": "https://example.com/e"},
]


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_ncco_validate_valid_file(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "ok.json", VALID_NCCO)
    result = run(capsys, "ncco", "validate", str(path))
    assert result.code == 0
    assert "is valid (2 actions)" in result.out
    as_json = run(capsys, "ncco", "validate", str(path), "--json").json
    assert as_json["valid"] is True
    assert as_json["errors"] == []
    assert as_json["actions"] == 2


def test_ncco_validate_invalid_file_prints_paths_and_exits_1(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "bad.json", INVALID_NCCO)
    result = run(capsys, "ncco", "validate", str(path))
    assert result.code == 1
    assert "is invalid" in result.out
    assert "0.text: is required" in result.out
    assert "1.endpoint.0.number: is required" in result.out
    assert "1.eventUrl: must be an array" in result.out
    as_json = run(capsys, "ncco", "validate", str(path), "--json")
    assert as_json.code == 1
    assert {e["path"] for e in as_json.json["errors"]} == {
        "0.text",
        "1.endpoint.0.number",
        "1.eventUrl",
    }


def test_ncco_validate_warnings_do_not_fail(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    after_transfer = [
        {"action": "transfer", "conversationId": "CON-1"},
        {"action": "talk", "text": "never heard"},
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(after_transfer)))
    result = run(capsys, "ncco", "validate", "-")
    assert result.code == 0
    assert "warning" in result.out
    assert "1:" in result.out  # the unreachable action, by its index


def test_ncco_validate_unreadable_input(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = run(capsys, "ncco", "validate", str(tmp_path / "nope.json"))
    assert missing.code == 1
    assert "does not exist" in missing.err
    broken = tmp_path / "broken.json"
    broken.write_text('[{"action": "talk",]')
    not_json = run(capsys, "ncco", "validate", str(broken))
    assert not_json.code == 1
    assert "is not valid JSON" in not_json.err
    assert "line 1, column" in not_json.err
    assert "Traceback" not in not_json.err
    an_object = run(capsys, "ncco", "validate", str(_write(tmp_path, "o.json", VALID_NCCO[0])))
    assert an_object.code == 1
    assert "wrap a single action in [ ]" in an_object.out


def test_jwt_create_decode_round_trip_and_verify(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = generate_key_pair()
    private = save_private_key(pair.private_pem, tmp_path / "app.key")
    public = tmp_path / "public.pem"
    public.write_text(pair.public_pem)

    created = run(
        capsys,
        "jwt",
        "create",
        "--app-id",
        "app-123",
        "--private-key-file",
        str(private),
        "--ttl",
        "120",
        "--sub",
        "alice",
        "--acl-client-sdk",
    )
    assert created.code == 0, created.err
    token = created.out.strip()
    assert "\n" not in token  # stdout holds the token only
    assert "PRIVATE KEY" not in created.text
    # An independent check: PyJWT verifies it with the public key.
    claims = pyjwt.decode(token, pair.public_pem, algorithms=["RS256"])
    assert claims["application_id"] == "app-123"
    assert claims["sub"] == "alice"
    assert claims["exp"] - claims["iat"] == 120
    assert "/*/users/**" in claims["acl"]["paths"]

    unverified = run(capsys, "jwt", "decode", token)
    assert unverified.code == 0
    assert "NOT verified" in unverified.out
    assert "app-123" in unverified.out
    verified = run(capsys, "jwt", "decode", token, "--public-key-file", str(public), "--json")
    assert verified.code == 0
    assert verified.json["verified"] is True
    assert verified.json["claims"]["jti"] == claims["jti"]

    other = tmp_path / "other.pem"
    other.write_text(generate_key_pair().public_pem)
    forged = run(capsys, "jwt", "decode", token, "--public-key-file", str(other))
    assert forged.code == 1
    assert "signature: does not match" in forged.err


def test_jwt_create_json_and_env_defaults(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pair = generate_key_pair()
    private = save_private_key(pair.private_pem, tmp_path / "env.key")
    monkeypatch.setenv("VONAGE_APPLICATION_ID", "from-env")
    monkeypatch.setenv("VONAGE_PRIVATE_KEY_PATH", str(private))
    result = run(capsys, "jwt", "create", "--json")
    assert result.code == 0, result.err
    body = result.json
    assert body["claims"]["application_id"] == "from-env"
    assert abs(body["claims"]["iat"] - time.time()) < 60
    verified = pyjwt.decode(body["token"], pair.public_pem, algorithms=["RS256"])
    assert verified == body["claims"]
    assert "sub" not in verified


def test_jwt_errors_name_the_field(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = generate_key_pair()
    private = save_private_key(pair.private_pem, tmp_path / "k.key")
    too_short = run(
        capsys, "jwt", "create", "--app-id", "a", "--private-key-file", str(private), "--ttl", "5"
    )
    assert too_short.code == 1
    assert "ttl: must be between 30 and 86400 seconds" in too_short.err
    no_key = run(capsys, "jwt", "create", "--app-id", "a")
    assert no_key.code == 2
    assert "--private-key-file" in no_key.err
    missing_file = run(
        capsys, "jwt", "create", "--app-id", "a", "--private-key-file", str(tmp_path / "no.key")
    )
    assert missing_file.code == 1
    assert "no.key" in missing_file.err
    garbage = run(capsys, "jwt", "decode", "not-a-token")
    assert garbage.code == 1
    assert "token: is malformed" in garbage.err
