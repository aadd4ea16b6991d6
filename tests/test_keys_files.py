"""Key pairs, private-key files and key loading in vonage_widgets.keys."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import vonage_jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from vonage_widgets import keys
from vonage_widgets.errors import KeyHandlingError, ValidationError
from vonage_widgets.keys import (
    KeyPair,
    fingerprint,
    generate_key_pair,
    keys_match,
    load_private_key,
    load_public_key,
    public_key_pem,
    save_private_key,
)


@pytest.fixture(scope="module")
def pair() -> KeyPair:
    return generate_key_pair()


@pytest.fixture(scope="module")
def other_pair() -> KeyPair:
    return generate_key_pair()


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test and restore it afterwards."""
    original = os.umask(0o022)
    os.umask(original)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(original)


def pem_body_lines(pem: str) -> list[str]:
    """The base64 lines of a PEM block: the part that must never be shown."""
    return [line for line in pem.strip().splitlines() if line and not line.startswith("-----")]


def assert_no_key_text(text: str, pem: str) -> None:
    for line in pem_body_lines(pem):
        assert line not in text


def full_error_text(error: BaseException) -> str:
    """What a user could see: the message and the whole printed traceback, causes included."""
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


def private_pem(
    key: object, fmt: serialization.PrivateFormat, password: bytes | None = None
) -> str:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()  # type: ignore[attr-defined]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------------------------
# generate_key_pair, KeyPair, public_key_pem, fingerprint, keys_match
# ---------------------------------------------------------------------------------------------


def test_generated_pair_is_rsa_2048_in_vonage_shapes(pair: KeyPair) -> None:
    secret = pair.private_pem.get_secret_value()
    assert secret.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert secret.endswith("-----END PRIVATE KEY-----\n")
    assert pair.public_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert pair.public_pem.endswith("-----END PUBLIC KEY-----\n")
    private = serialization.load_pem_private_key(secret.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size == 2048
    assert private.public_key().public_numbers().e == 65537
    public = serialization.load_pem_public_key(pair.public_pem.encode())
    assert public.public_numbers() == private.public_key().public_numbers()  # type: ignore[union-attr]


def test_two_generated_pairs_differ(pair: KeyPair, other_pair: KeyPair) -> None:
    assert pair.public_pem != other_pair.public_pem
    assert pair.fingerprint != other_pair.fingerprint


def test_key_pair_repr_and_str_show_only_the_fingerprint(pair: KeyPair) -> None:
    secret = pair.private_pem.get_secret_value()
    for shown in (repr(pair), str(pair), f"{pair}", repr([pair]), repr(pair.private_pem)):
        assert_no_key_text(shown, secret)
        assert_no_key_text(shown, pair.public_pem)
        assert "PRIVATE KEY" not in shown
    assert repr(pair) == f"KeyPair(fingerprint={pair.fingerprint!r})"


def test_fingerprint_is_short_stable_and_the_same_for_both_halves(pair: KeyPair) -> None:
    shown = fingerprint(pair.public_pem)
    assert re.fullmatch(r"sha256:[0-9a-f]{16}", shown)
    assert fingerprint(pair.private_pem) == shown
    assert fingerprint(pair) == shown
    assert fingerprint(load_public_key(pair.public_pem)) == shown


def test_fingerprint_is_the_sha256_of_the_der_public_key(pair: KeyPair) -> None:
    import hashlib

    der = serialization.load_pem_public_key(pair.public_pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert fingerprint(pair.public_pem) == "sha256:" + hashlib.sha256(der).hexdigest()[:16]


def test_public_key_pem_derives_the_public_half(pair: KeyPair) -> None:
    assert public_key_pem(pair.private_pem) == pair.public_pem
    assert public_key_pem(pair.private_pem.get_secret_value()) == pair.public_pem
    assert public_key_pem(load_private_key(pair.private_pem)) == pair.public_pem


def test_public_key_pem_normalises_a_pkcs1_public_key(pair: KeyPair) -> None:
    pkcs1 = (
        load_public_key(pair.public_pem)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        .decode()
    )
    assert pkcs1.startswith("-----BEGIN RSA PUBLIC KEY-----")
    assert public_key_pem(pkcs1) == pair.public_pem


def test_keys_match(pair: KeyPair, other_pair: KeyPair) -> None:
    assert keys_match(pair.private_pem, pair.public_pem) is True
    assert keys_match(pair, pair.public_pem) is True
    assert keys_match(pair.private_pem, other_pair.public_pem) is False
    assert keys_match(other_pair.private_pem, pair.public_pem) is False


def test_keys_match_raises_for_an_unreadable_key_instead_of_saying_false(pair: KeyPair) -> None:
    with pytest.raises(KeyHandlingError, match="not a PEM key"):
        keys_match(pair.private_pem, "-----garbage-----\nabc")
    with pytest.raises(KeyHandlingError, match="PUBLIC key"):
        keys_match(pair.public_pem, pair.public_pem)


# ---------------------------------------------------------------------------------------------
# Loading: every accepted form
# ---------------------------------------------------------------------------------------------


def test_load_private_key_accepts_every_documented_form(pair: KeyPair, tmp_path: Path) -> None:
    secret = pair.private_pem.get_secret_value()
    key_object = serialization.load_pem_private_key(secret.encode(), password=None)
    pkcs1 = private_pem(key_object, serialization.PrivateFormat.TraditionalOpenSSL)
    assert pkcs1.startswith("-----BEGIN RSA PRIVATE KEY-----")
    path = tmp_path / "private.key"
    path.write_text(secret)
    expected = key_object.private_numbers()  # type: ignore[union-attr]
    sources: list[object] = [
        secret,
        pkcs1,
        secret.encode(),
        pair.private_pem,
        pair,
        key_object,
        path,
        str(path),
        secret.replace("\n", "\r\n"),  # a file saved on Windows
        secret.strip().replace("\n", "\\n"),  # an environment variable with literal \n
        "some notes\n" + pair.public_pem + secret + "trailing words\n",  # a bundle file
    ]
    for source in sources:
        assert load_private_key(source).private_numbers() == expected  # type: ignore[arg-type]


def test_load_private_key_expands_a_home_path(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "app.key").write_text(pair.private_pem.get_secret_value())
    assert keys_match("~/app.key", pair.public_pem)


def test_load_public_key_accepts_public_and_private_forms(pair: KeyPair, tmp_path: Path) -> None:
    expected = serialization.load_pem_public_key(pair.public_pem.encode()).public_numbers()  # type: ignore[union-attr]
    path = tmp_path / "public.pem"
    path.write_text(pair.public_pem)
    sources: list[object] = [
        pair.public_pem,
        pair.public_pem.encode(),
        path,
        str(path),
        pair,
        pair.private_pem,  # documented decision: a private key yields its public half
        pair.private_pem.get_secret_value(),
        load_private_key(pair.private_pem),
        load_private_key(pair.private_pem).public_key(),
    ]
    for source in sources:
        assert load_public_key(source).public_numbers() == expected  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Loading: every bad case has its own clear message and never shows the key
# ---------------------------------------------------------------------------------------------


def _bad_private_sources(pair: KeyPair, tmp_path: Path) -> dict[str, tuple[object, str]]:
    """name -> (source, a regex the message must match)."""
    secret = pair.private_pem.get_secret_value()
    rsa_key = serialization.load_pem_private_key(secret.encode(), password=None)
    lines = secret.strip().splitlines()
    ec_key = ec.generate_private_key(ec.SECP256R1())
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - deliberately too small
    empty_file = tmp_path / "empty.key"
    empty_file.write_text("")
    binary_file = tmp_path / "key.der"
    binary_file.write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    not_pem_file = tmp_path / "notes.txt"
    not_pem_file.write_text("application id: 1234\nnot a key at all\n")
    big_file = tmp_path / "big.key"
    big_file.write_bytes(b"A" * (70 * 1024))
    corrupt = "\n".join([lines[0], *(line[::-1] for line in lines[1:-1]), lines[-1]])
    cut_middle = "\n".join([*lines[:5], lines[-1]])
    openssh = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode()
    return {
        "missing file": (tmp_path / "nope.key", r"not found; check the path"),
        "folder": (tmp_path, r"is a folder, not a key file"),
        "empty file": (empty_file, r"is empty"),
        "empty text": ("   ", r"is empty"),
        "binary file": (binary_file, r"not PEM text \(it looks binary, perhaps DER\)"),
        "not pem": (not_pem_file, r"is not a PEM key: expected a '-----BEGIN PRIVATE KEY-----'"),
        "too large": (big_file, r"too large to be a key file"),
        "public key": (pair.public_pem, r"is a PUBLIC key, but a private key is needed"),
        "certificate": (_certificate(rsa_key), r"is a certificate, not a key"),
        "encrypted pkcs8": (
            private_pem(rsa_key, serialization.PrivateFormat.PKCS8, b"passphrase"),
            r"encrypted with a passphrase, which is not supported: decrypt it first",
        ),
        "encrypted pkcs1": (
            private_pem(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL, b"passphrase"),
            r"encrypted with a passphrase, which is not supported: decrypt it first",
        ),
        "ec pkcs8": (
            private_pem(ec_key, serialization.PrivateFormat.PKCS8),
            r"is an EC key, not RSA",
        ),
        "ec sec1": (
            private_pem(ec_key, serialization.PrivateFormat.TraditionalOpenSSL),
            r"is an EC key, not RSA",
        ),
        "ed25519": (
            private_pem(ed25519.Ed25519PrivateKey.generate(), serialization.PrivateFormat.PKCS8),
            r"is an Ed25519 key, not RSA",
        ),
        "openssh": (openssh, r"is in OpenSSH format; convert it"),
        "rsa 1024": (
            private_pem(small, serialization.PrivateFormat.PKCS8),
            r"RSA key of only 1024 bits; at least 2048 bits are required",
        ),
        "truncated": ("\n".join(lines[:-1]), r"is truncated: .* no matching '-----END PRIVATE KEY"),
        "cut in the middle": (cut_middle, r"is corrupt: the 'PRIVATE KEY' block could not be"),
        "corrupt": (corrupt, r"is corrupt: the 'PRIVATE KEY' block could not be decoded"),
        "wrong type": (12345, r"cannot use a int as a private key"),
    }


def _certificate(key: object) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


BAD_PRIVATE_CASES = [
    "missing file",
    "folder",
    "empty file",
    "empty text",
    "binary file",
    "not pem",
    "too large",
    "public key",
    "certificate",
    "encrypted pkcs8",
    "encrypted pkcs1",
    "ec pkcs8",
    "ec sec1",
    "ed25519",
    "openssh",
    "rsa 1024",
    "truncated",
    "cut in the middle",
    "corrupt",
    "wrong type",
]


@pytest.mark.parametrize("case", BAD_PRIVATE_CASES)
def test_each_bad_private_key_has_a_clear_message_without_the_key(
    case: str, pair: KeyPair, tmp_path: Path
) -> None:
    source, expected = _bad_private_sources(pair, tmp_path)[case]
    with pytest.raises(KeyHandlingError) as caught:
        load_private_key(source)  # type: ignore[arg-type]
    message = str(caught.value)
    assert re.search(expected, message), message
    shown = full_error_text(caught.value)
    assert_no_key_text(shown, pair.private_pem.get_secret_value())
    if isinstance(source, str) and "-----BEGIN" in source:
        assert_no_key_text(shown, source)


def test_bad_private_key_messages_are_distinct(pair: KeyPair, tmp_path: Path) -> None:
    messages: dict[str, str] = {}
    for case, (source, _) in _bad_private_sources(pair, tmp_path).items():
        with pytest.raises(KeyHandlingError) as caught:
            load_private_key(source)  # type: ignore[arg-type]
        messages[case] = str(caught.value)
    # Cases documented as the same problem share a message; everything else differs.
    same = {
        ("encrypted pkcs8", "encrypted pkcs1"),
        ("ec pkcs8", "ec sec1"),
        ("cut in the middle", "corrupt"),
    }
    names = list(messages)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            if (first, second) in same:
                continue
            assert messages[first] != messages[second], (first, second)


def test_file_messages_name_the_file_and_text_messages_say_text(
    pair: KeyPair, tmp_path: Path
) -> None:
    path = tmp_path / "vonage.key"
    path.write_text(pair.public_pem)
    with pytest.raises(KeyHandlingError, match=r"private key file '.*vonage\.key' is a PUBLIC"):
        load_private_key(path)
    with pytest.raises(KeyHandlingError, match=r"^the private key text is a PUBLIC key"):
        load_private_key(pair.public_pem)


def test_unreadable_file_says_permission_denied(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.key"
    path.write_text(pair.private_pem.get_secret_value())
    path.chmod(0)
    real_open = Path.open

    def open_as_unprivileged_user(self: Path, *args: object, **kwargs: object) -> object:
        # Tests may run as root, who can read mode-0 files: fail the way a normal user would.
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", open_as_unprivileged_user)
    with pytest.raises(KeyHandlingError, match=r"cannot be read: permission denied") as caught:
        load_private_key(path)
    assert str(path) in str(caught.value)


def test_other_read_errors_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "flaky.key"
    path.write_text("x")

    def broken_open(self: Path, *args: object, **kwargs: object) -> object:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "open", broken_open)
    with pytest.raises(KeyHandlingError, match=r"cannot be read: Input/output error"):
        load_private_key(path)


def test_a_long_single_line_is_treated_as_key_text_not_echoed_as_a_path(pair: KeyPair) -> None:
    # The base64 body pasted without its header lines: never show it back as a "path".
    body = "".join(pem_body_lines(pair.private_pem.get_secret_value()))
    with pytest.raises(KeyHandlingError, match="is not a PEM key") as caught:
        load_private_key(body)
    assert body[:40] not in full_error_text(caught.value)


BAD_PUBLIC_CASES = {
    "not pem": ("hello", r"not found"),  # a short line is a path
    "text not pem": ("hello\nworld", r"is not a PEM key: expected a '-----BEGIN PUBLIC KEY-----'"),
    "empty": ("\n", r"is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_PUBLIC_CASES))
def test_bad_public_key_text(case: str) -> None:
    source, expected = BAD_PUBLIC_CASES[case]
    with pytest.raises(KeyHandlingError, match=expected):
        load_public_key(source)


def test_bad_public_keys_from_real_material(pair: KeyPair) -> None:
    rsa_key = load_private_key(pair.private_pem)
    lines = pair.public_pem.strip().splitlines()
    ec_public = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    small_public = public_key_pem_unchecked(rsa.generate_private_key(65537, 1024))  # noqa: S505
    with pytest.raises(KeyHandlingError, match=r"is an EC key, not RSA"):
        load_public_key(ec_public)
    with pytest.raises(KeyHandlingError, match=r"only 1024 bits"):
        load_public_key(small_public)
    with pytest.raises(KeyHandlingError, match=r"is truncated"):
        load_public_key("\n".join(lines[:-1]))
    with pytest.raises(KeyHandlingError, match=r"is corrupt"):
        load_public_key("\n".join([lines[0], lines[1][::-1], *lines[2:]]))
    with pytest.raises(KeyHandlingError, match=r"is a certificate"):
        load_public_key(_certificate(rsa_key))
    with pytest.raises(KeyHandlingError, match=r"encrypted with a passphrase"):
        load_public_key(private_pem(rsa_key, serialization.PrivateFormat.PKCS8, b"pw"))


def public_key_pem_unchecked(private: rsa.RSAPrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def test_small_rsa_key_objects_are_rejected_too() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - deliberately too small
    with pytest.raises(KeyHandlingError, match="1024 bits"):
        load_private_key(small)
    with pytest.raises(KeyHandlingError, match="1024 bits"):
        load_public_key(small.public_key())


# ---------------------------------------------------------------------------------------------
# save_private_key
# ---------------------------------------------------------------------------------------------


def test_save_then_load_round_trip(pair: KeyPair, tmp_path: Path) -> None:
    path = save_private_key(pair.private_pem, tmp_path / "private.key")
    assert path == tmp_path / "private.key"
    assert path.read_text() == pair.private_pem.get_secret_value()
    assert keys_match(path, pair.public_pem)
    assert keys_match(str(path), pair.public_pem)
    assert leftovers(tmp_path) == ["private.key"]


def test_saved_file_is_accepted_by_the_official_vonage_jwt_package(
    pair: KeyPair, tmp_path: Path
) -> None:
    path = save_private_key(pair, tmp_path / "app.key")
    token = vonage_jwt.JwtClient("app-id", str(path)).generate_application_jwt()
    assert keys.decode_jwt(token, pair.public_pem)["application_id"] == "app-id"


def test_save_writes_pkcs8_even_from_a_pkcs1_key(pair: KeyPair, tmp_path: Path) -> None:
    pkcs1 = private_pem(
        load_private_key(pair.private_pem), serialization.PrivateFormat.TraditionalOpenSSL
    )
    path = save_private_key(pkcs1, tmp_path / "converted.key")
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----\n")
    assert keys_match(path, pair.public_pem)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_saved_file_is_0600_and_new_folders_0700_whatever_the_umask(
    mask: int, pair: KeyPair, tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(mask)
    path = save_private_key(pair.private_pem, tmp_path / "a" / "b" / "private.key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert keys_match(path, pair.public_pem)


def test_existing_folders_keep_their_mode(pair: KeyPair, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    save_private_key(pair.private_pem, folder / "private.key")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_save_refuses_to_overwrite_and_says_how_to_allow_it(
    pair: KeyPair, other_pair: KeyPair, tmp_path: Path
) -> None:
    path = tmp_path / "private.key"
    save_private_key(pair.private_pem, path)
    with pytest.raises(KeyHandlingError) as caught:
        save_private_key(other_pair.private_pem, path)
    message = str(caught.value)
    assert str(path) in message
    assert "overwrite=True" in message
    assert_no_key_text(full_error_text(caught.value), other_pair.private_pem.get_secret_value())
    assert keys_match(path, pair.public_pem), "the original file must be untouched"
    assert leftovers(tmp_path) == ["private.key"]


def test_save_refuses_to_replace_a_dangling_symlink(pair: KeyPair, tmp_path: Path) -> None:
    link = tmp_path / "private.key"
    link.symlink_to(tmp_path / "elsewhere.key")
    with pytest.raises(KeyHandlingError, match="already exists"):
        save_private_key(pair.private_pem, link)
    assert not (tmp_path / "elsewhere.key").exists()


def test_overwrite_true_replaces_the_file_and_resets_its_mode(
    pair: KeyPair, other_pair: KeyPair, tmp_path: Path
) -> None:
    path = tmp_path / "private.key"
    path.write_text("old content")
    path.chmod(0o644)
    save_private_key(other_pair.private_pem, path, overwrite=True)
    assert keys_match(path, other_pair.public_pem)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == ["private.key"]


def test_save_into_a_path_that_is_a_folder_fails_cleanly(pair: KeyPair, tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    for overwrite in (False, True):
        with pytest.raises(KeyHandlingError, match="that path is a folder") as caught:
            save_private_key(pair.private_pem, folder, overwrite=overwrite)
        assert str(folder) in str(caught.value)
    assert leftovers(folder) == []
    assert leftovers(tmp_path) == ["keys"]


def test_save_below_a_regular_file_fails_cleanly(pair: KeyPair, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(KeyHandlingError, match="could not save the private key") as caught:
        save_private_key(pair.private_pem, blocker / "sub" / "private.key")
    assert "still in memory" in str(caught.value)
    assert leftovers(tmp_path) == ["not-a-folder"]


def test_a_failing_write_leaves_nothing_behind(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    calls: list[int] = []

    def disk_full(descriptor: int, data: object) -> int:
        calls.append(descriptor)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(KeyHandlingError) as caught:
        save_private_key(pair.private_pem, tmp_path / "private.key")
    monkeypatch.setattr(os, "write", real_write)
    assert calls, "the write must have been attempted"
    message = str(caught.value)
    assert "No space left on device" in message
    assert "Nothing was written" in message
    assert str(tmp_path / "private.key") in message
    assert_no_key_text(full_error_text(caught.value), pair.private_pem.get_secret_value())
    assert leftovers(tmp_path) == []


def test_a_read_only_folder_fails_cleanly(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    real_open = os.open

    def read_only_open(path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        # root ignores directory permissions; refuse creation the way the kernel would for a user.
        if flags & os.O_CREAT and Path(str(path)).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_open)
    with pytest.raises(KeyHandlingError, match="Permission denied"):
        save_private_key(pair.private_pem, folder / "private.key")
    folder.chmod(0o700)
    assert leftovers(folder) == []


def test_nothing_appears_at_the_target_until_the_key_is_on_disk(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "private.key"
    seen: list[tuple[bool, list[int]]] = []
    real_fsync = os.fsync

    def spying_fsync(descriptor: int) -> None:
        temp_modes = [
            stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if p.name.endswith(".tmp")
        ]
        seen.append((target.exists(), temp_modes))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", spying_fsync)
    save_private_key(pair.private_pem, target)
    assert seen, "the key must be flushed to disk"
    assert seen[0] == (False, [0o600]), "flush the 0600 temp file before the target exists"
    assert leftovers(tmp_path) == ["private.key"]


def test_without_hard_links_the_save_still_works(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = save_private_key(pair.private_pem, tmp_path / "private.key")
    assert keys_match(path, pair.public_pem)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == ["private.key"]


def test_a_file_created_during_the_save_is_not_clobbered(
    pair: KeyPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "private.key"
    real_link = os.link

    def racing_link(src: object, dst: object) -> None:
        Path(str(dst)).write_text("written by someone else")
        real_link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(KeyHandlingError, match="already exists"):
        save_private_key(pair.private_pem, target)
    assert target.read_text() == "written by someone else"
    assert leftovers(tmp_path) == ["private.key"]


def test_save_refuses_an_invalid_key_and_writes_nothing(pair: KeyPair, tmp_path: Path) -> None:
    with pytest.raises(KeyHandlingError, match="PUBLIC key"):
        save_private_key(pair.public_pem, tmp_path / "private.key")
    with pytest.raises(KeyHandlingError, match="is not a PEM key"):
        save_private_key(SecretStr("not\na key"), tmp_path / "private.key")
    assert leftovers(tmp_path) == []


def test_validation_and_key_errors_share_the_package_root() -> None:
    from vonage_widgets.errors import VonageWidgetsError

    assert issubclass(KeyHandlingError, VonageWidgetsError)
    assert issubclass(ValidationError, VonageWidgetsError)
