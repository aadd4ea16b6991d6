"""vonage_widgets.keys as a package: the public names, and the one key-file naming rule."""

from __future__ import annotations

import importlib

import pytest

import vonage_widgets.keys as keys
from vonage_widgets.keys import KEY_FILE_SUFFIX, fingerprint, generate_key_pair, key_file_name
from vonage_widgets.widgets import _document

PUBLIC_NAMES = {
    "JWT_TTL_DEFAULT",
    "JWT_TTL_MAX",
    "JWT_TTL_MIN",
    "JwtRefused",
    "KEY_FILE_SUFFIX",
    "MIN_RSA_KEY_BITS",
    "KeyPair",
    "PrivateKeySource",
    "PublicKeySource",
    "VerifiedJwt",
    "acl_allows",
    "client_sdk_acl",
    "decode_jwt",
    "fingerprint",
    "generate_key_pair",
    "key_file_name",
    "keys_match",
    "load_private_key",
    "load_public_key",
    "mint_jwt",
    "payload_hash",
    "public_key_pem",
    "safe_name",
    "save_private_key",
    "sign_webhook",
    "verify_application_jwt",
    "verify_signed_webhook",
}


def test_all_lists_exactly_the_public_names_and_each_resolves() -> None:
    assert set(keys.__all__) == PUBLIC_NAMES
    assert len(keys.__all__) == len(PUBLIC_NAMES)
    for name in keys.__all__:
        assert getattr(keys, name) is not None, name


@pytest.mark.parametrize("module", ["_pem", "_files", "_jwt", "_signed", "_tokens", "_verify"])
def test_each_part_lists_only_names_it_has(module: str) -> None:
    part = importlib.import_module(f"vonage_widgets.keys.{module}")
    assert part.__all__, module
    for name in part.__all__:
        assert hasattr(part, name), f"{module}.{name}"


def test_key_file_name_is_the_safe_name_and_the_fingerprint() -> None:
    pair = generate_key_pair()
    short = fingerprint(pair.public_pem).removeprefix("sha256:")[:8]
    assert key_file_name("My App: Test!", pair.public_pem) == f"my-app-test-{short}.key"
    assert key_file_name("***", None) == "application-<fingerprint>.key"
    assert KEY_FILE_SUFFIX == ".key"


def test_the_form_uses_the_same_rule_objects() -> None:
    assert _document.key_file_name is keys.key_file_name
    assert _document.safe_name is keys.safe_name
    assert _document.KEY_FILE_SUFFIX == keys.KEY_FILE_SUFFIX
