"""RSA key pairs, private-key files, application JWTs and signed-webhook checks.

Three jobs that share one concern, keys and the tokens made from them:

* **Key pairs and files.** :func:`generate_key_pair` makes an RSA 2048 pair shaped like the one
  Vonage returns on create [SPEC-APP-2.4.1] (reference 1.6); :func:`save_private_key` writes
  the private half atomically with mode 0600; :func:`load_private_key` and
  :func:`load_public_key` read PEM text or a file and explain every way a key can be wrong
  without ever echoing it.
* **Application JWTs** (RS256, section 4 of the reference): :func:`mint_jwt` and
  :func:`decode_jwt`, interchangeable with the official ``vonage_jwt`` package.
* **Signed webhooks** (HS256 with the account's signature secret, section 3.6):
  :func:`payload_hash`, :func:`sign_webhook` (what the sandbox sends) and
  :func:`verify_signed_webhook` (what a webhook server checks).

Decisions where the reference leaves room (each is documented at its function):

* RSA keys shorter than 2048 bits are **rejected**, private and public alike: Vonage generates
  2048-bit keys and PyJWT itself flags shorter ones as insecure (NIST SP 800-131A).
* :func:`load_public_key` also accepts a private key and derives its public half, so a caller
  holding only the private key file can verify its own tokens.
* Encrypted (passphrase-protected) private keys are not supported; the error says how to
  decrypt one with ``openssl``.
* :func:`save_private_key` always writes PKCS#8 (``BEGIN PRIVATE KEY``), the form Vonage hands
  out and the only string form the official Python SDK accepts [PY ``jwt.py``].
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from jwt import PyJWS
from jwt.algorithms import HMACAlgorithm
from jwt.exceptions import InvalidAlgorithmError, InvalidSignatureError, PyJWTError
from pydantic import SecretStr

from vonage_widgets.errors import (
    FieldError,
    KeyHandlingError,
    ValidationError,
    WebhookSignatureError,
)

__all__ = [
    "JWT_TTL_DEFAULT",
    "JWT_TTL_MAX",
    "JWT_TTL_MIN",
    "KEY_FILE_SUFFIX",
    "MIN_RSA_KEY_BITS",
    "KeyPair",
    "PrivateKeySource",
    "PublicKeySource",
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
    "verify_signed_webhook",
]

MIN_RSA_KEY_BITS = 2048
"""Smallest RSA key accepted anywhere in this module (Vonage generates 2048-bit keys)."""

JWT_TTL_DEFAULT = 900
"""Default application-JWT lifetime in seconds: 15 minutes, as Vonage's SDKs use [DOC-AUTH]."""
JWT_TTL_MIN = 30
"""Shortest application-JWT lifetime Vonage accepts, in seconds [DOC-AUTH]."""
JWT_TTL_MAX = 86_400
"""Longest application-JWT lifetime Vonage accepts, in seconds: 24 hours [DOC-AUTH]."""

_CLIENT_SDK_ACL_PATHS = (
    "/*/users/**",
    "/*/conversations/**",
    "/*/sessions/**",
    "/*/devices/**",
    "/*/image/**",
    "/*/media/**",
    "/*/applications/**",
    "/*/push/**",
    "/*/knocking/**",
    "/*/legs/**",
)


def client_sdk_acl() -> dict[str, Any]:
    """A fresh copy of the full ``acl`` claim a Client SDK login token carries [DOC-JWT-ACL]."""
    return {"paths": {path: {} for path in _CLIENT_SDK_ACL_PATHS}}


_WEBHOOK_ISSUER = "Vonage"  # the `iss` claim of every signed webhook [DOC-SIGNED-MSG]
_MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM RSA key is ~2-4 KB; anything this big is not a key
_MAX_PATH_CHARS = 1024  # a longer string (or one with a newline) is key text, never a path
_FINGERPRINT_HEX_CHARS = 16

_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_RsaKey = TypeVar("_RsaKey", rsa.RSAPrivateKey, rsa.RSAPublicKey)


# --------------------------------------------------------------------------------------------
# Key pairs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class KeyPair:
    """An RSA key pair: the private half as a secret, the public half as SubjectPublicKeyInfo PEM.

    ``public_pem`` has the shape Vonage returns in ``keys.public_key``. The repr shows only the
    public key's fingerprint, so a key pair can sit in a notebook cell's output safely.
    """

    private_pem: SecretStr
    public_pem: str

    @property
    def fingerprint(self) -> str:
        """Short display id of the public key, see :func:`fingerprint`."""
        return fingerprint(self.public_pem)

    def __repr__(self) -> str:
        return f"KeyPair(fingerprint={self.fingerprint!r})"

    __str__ = __repr__


PrivateKeySource: TypeAlias = (
    str | bytes | os.PathLike[str] | SecretStr | KeyPair | rsa.RSAPrivateKey
)
"""What a private key may be given as: PEM text (``str``/``bytes``/``SecretStr``), a file path
(``str`` without a PEM header, or a ``Path``), a :class:`KeyPair`, or a loaded key object."""

PublicKeySource: TypeAlias = (
    str | bytes | os.PathLike[str] | SecretStr | KeyPair | rsa.RSAPublicKey | rsa.RSAPrivateKey
)
"""What a public key may be given as: anything :data:`PrivateKeySource` allows (the public half
is derived) plus public-key PEM text, files and objects."""


def generate_key_pair() -> KeyPair:
    """Make a new RSA 2048 key pair, PKCS#8 private PEM and SubjectPublicKeyInfo public PEM.

    Use it to supply ``keys.public_key`` yourself on create (Vonage then never sees the
    private key) or to rotate an application's key.
    """
    private = rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_KEY_BITS)
    return KeyPair(private_pem=SecretStr(_private_pem(private)), public_pem=public_key_pem(private))


def public_key_pem(private: PublicKeySource) -> str:
    """The SubjectPublicKeyInfo PEM (``BEGIN PUBLIC KEY``) of a key, as Vonage stores it.

    Accepts a private key (the usual case: "what public key do I upload for this file?") or a
    public key in any accepted form, which is re-encoded.
    """
    public = load_public_key(private)
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def keys_match(private: PrivateKeySource, public_pem: PublicKeySource) -> bool:
    """Whether ``public_pem`` is the public half of ``private``.

    Returns ``False`` only for two valid keys that differ; a key that cannot be read raises
    :class:`KeyHandlingError`, because "unreadable" and "different" need different fixes.
    """
    derived = load_private_key(private).public_key().public_numbers()
    given = load_public_key(public_pem).public_numbers()
    return derived == given


def fingerprint(public: PublicKeySource) -> str:
    """A short, stable display id of a key: ``sha256:`` and the first 16 hex digits.

    The digest covers the DER SubjectPublicKeyInfo, so a private key and its public half give
    the same fingerprint. For display and comparison by eye, not for security decisions.
    """
    der = load_public_key(public).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()[:_FINGERPRINT_HEX_CHARS]


def _private_pem(private: rsa.RSAPrivateKey) -> str:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


# --------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------


def save_private_key(
    pem: PrivateKeySource, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write a private key to ``path`` with mode 0600, atomically; return the absolute path.

    The key is checked first (a broken key is never saved) and written as PKCS#8 PEM. A crash
    never leaves a half-written file: the key goes to a temporary file beside the target
    (created 0600 and exclusively), is flushed to disk, then linked or renamed into place.
    Missing parent folders are created with mode 0700. An existing file is refused unless
    ``overwrite=True``. If anything fails, :class:`KeyHandlingError` explains it, nothing is
    left behind, and the caller still holds the key in memory.
    """
    data = _private_pem(load_private_key(pem)).encode("ascii")
    target = Path(os.path.abspath(Path(path).expanduser()))

    if target.is_dir():
        raise KeyHandlingError(
            f"cannot save the private key to {str(target)!r}: that path is a folder; "
            "give a file name such as 'private.key' inside it"
        )
    if not overwrite and (target.exists() or target.is_symlink()):
        raise _exists_error(target)

    try:
        _make_private_folders(target.parent)
    except OSError as error:
        raise _save_error(target, error) from error

    temp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        _write_new_file(temp, data)
        _move_into_place(temp, target, overwrite=overwrite)
    except FileExistsError:
        _remove_quietly(temp)
        raise _exists_error(target) from None
    except OSError as error:
        _remove_quietly(temp)
        raise _save_error(target, error) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    _fsync_folder(target.parent)
    return target


KEY_FILE_SUFFIX = ".key"
"""The extension of the private-key files :func:`key_file_name` names."""

_SAFE_NAME_LENGTH = 40


def safe_name(name: str) -> str:
    """A file-name-safe form of an application name: lower case, letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:_SAFE_NAME_LENGTH].rstrip("-") or "application"


def key_file_name(name: str, public_pem: str | None) -> str:
    """The file name for an application's private key: ``<safe-name>-<short-id>.key``.

    One rule for every place that saves a key (the application form, the workbook, config
    files), so a key is found under the same name whoever wrote it. The short id is 8 hex
    digits of the key's :func:`fingerprint`, not the application id: the file is written
    before the create request, when there is no id yet, and a rotated key then never
    collides with the previous file. Without a key yet, ``<fingerprint>`` holds its place.
    """
    short = fingerprint(public_pem).split(":", 1)[1][:8] if public_pem else "<fingerprint>"
    return f"{safe_name(name)}-{short}{KEY_FILE_SUFFIX}"


def _make_private_folders(folder: Path) -> None:
    # Create each missing ancestor ourselves: Path.mkdir(parents=True) gives the intermediate
    # ones the default mode, and a key's folder should not be world-readable.
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for part in reversed(missing):
        part.mkdir(mode=0o700)
        os.chmod(part, 0o700)  # mkdir's mode is filtered by the umask


def _write_new_file(temp: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    descriptor = os.open(temp, flags, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # the umask may have removed bits from 0600; force it
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _move_into_place(temp: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, target)
        return
    try:
        # link() refuses an existing target, so a file that appeared since the check survives.
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links: the existence check above is our guard.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def _fsync_folder(folder: Path) -> None:
    # Makes the new directory entry durable; not possible on every platform, so best effort.
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _exists_error(target: Path) -> KeyHandlingError:
    return KeyHandlingError(
        f"not saving the private key: {str(target)!r} already exists; "
        "pass overwrite=True to replace it, or choose another file name"
    )


def _save_error(target: Path, error: OSError) -> KeyHandlingError:
    reason = error.strerror or type(error).__name__
    return KeyHandlingError(
        f"could not save the private key to {str(target)!r}: {reason}. Nothing was written; "
        "the key is still in memory, so save it to another place"
    )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _KeyText:
    """Key material read from somewhere, plus how to name that place in an error message."""

    text: str
    where: str


def load_private_key(source: PrivateKeySource) -> rsa.RSAPrivateKey:
    """Load an RSA private key from PEM text or a file, explaining any problem.

    Accepts PKCS#8 (``BEGIN PRIVATE KEY``, what Vonage hands out) and PKCS#1
    (``BEGIN RSA PRIVATE KEY``). A ``str`` containing ``-----BEGIN`` is PEM text (literal
    ``\\n`` sequences, as in an environment variable, are understood); any other short
    one-line ``str`` or a ``Path`` is a file path. Raises :class:`KeyHandlingError`, never
    showing the key, for: a missing, unreadable or empty file; text that is not PEM; a public
    key or certificate; an encrypted key (passphrases are not supported); a key that is not RSA;
    RSA shorter than 2048 bits (rejected, see the module notes); truncated or corrupt PEM.
    """
    if isinstance(source, rsa.RSAPrivateKey):
        return _check_size(source, "the private key object")
    if isinstance(source, KeyPair):
        source = source.private_pem
    material = _read_material(source, "private key")
    return _parse_private(material)


def load_public_key(source: PublicKeySource) -> rsa.RSAPublicKey:
    """Load an RSA public key from PEM text or a file, explaining any problem.

    Accepts SubjectPublicKeyInfo (``BEGIN PUBLIC KEY``, Vonage's form) and PKCS#1
    (``BEGIN RSA PUBLIC KEY``). A private key is accepted too and its public half returned,
    so a caller with only the private key file can verify its own tokens. Text-or-path rules
    and error cases are those of :func:`load_private_key`; a certificate is refused.
    """
    if isinstance(source, rsa.RSAPublicKey):
        return _check_size(source, "the public key object")
    if isinstance(source, rsa.RSAPrivateKey):
        return _check_size(source, "the private key object").public_key()
    if isinstance(source, KeyPair):
        source = source.public_pem
    material = _read_material(source, "public key")
    labels = _PEM_BEGIN.findall(material.text)
    if any(label.endswith("PRIVATE KEY") for label in labels) and not any(
        label.endswith("PUBLIC KEY") for label in labels
    ):
        return _parse_private(material).public_key()
    return _parse_public(material)


def _read_material(source: object, kind: str) -> _KeyText:
    if isinstance(source, SecretStr):
        return _KeyText(source.get_secret_value(), f"the {kind} text")
    if isinstance(source, bytes | bytearray):
        return _KeyText(_decode_bytes(bytes(source), f"the {kind} data"), f"the {kind} data")
    if isinstance(source, str):
        if "-----BEGIN" in source or "\n" in source or len(source) > _MAX_PATH_CHARS:
            return _KeyText(source, f"the {kind} text")
        if not source.strip():
            raise KeyHandlingError(f"the {kind} is empty: give PEM text or a file path")
        return _read_file(Path(source), kind)
    if isinstance(source, os.PathLike):
        return _read_file(Path(source), kind)
    raise KeyHandlingError(
        f"cannot use a {type(source).__name__} as a {kind}: give PEM text, a file path, "
        "a SecretStr or a KeyPair"
    )


def _read_file(path: Path, kind: str) -> _KeyText:
    path = path.expanduser()
    where = f"{kind} file {str(path)!r}"
    try:
        if path.is_dir():
            raise KeyHandlingError(f"{where} is a folder, not a key file")
        with path.open("rb") as handle:
            raw = handle.read(_MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyHandlingError(
            f"{where} not found; check the path (relative paths start at {os.getcwd()!r})"
        ) from None
    except PermissionError:
        raise KeyHandlingError(
            f"{where} cannot be read: permission denied; it must be readable by this user"
        ) from None
    except OSError as error:
        raise KeyHandlingError(
            f"{where} cannot be read: {error.strerror or type(error).__name__}"
        ) from None
    if len(raw) > _MAX_KEY_FILE_BYTES:
        raise KeyHandlingError(
            f"{where} is larger than {_MAX_KEY_FILE_BYTES // 1024} KB, too large to be a key file"
        )
    return _KeyText(_decode_bytes(raw, where), where)


def _decode_bytes(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KeyHandlingError(
            f"{where} is not PEM text (it looks binary, perhaps DER); convert it with "
            "'openssl pkey -in key.der -inform DER -out key.pem'"
        ) from None


def _normalise(text: str) -> str:
    text = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    # A key pasted from an environment variable or JSON often carries literal "\n" sequences.
    if "\n" not in text and "\\n" in text:
        text = text.replace("\\n", "\n")
    return text


def _pem_block(text: str, label: str, where: str) -> str:
    begin = f"-----BEGIN {label}-----"
    end = f"-----END {label}-----"
    start = text.index(begin)
    stop = text.find(end, start)
    if stop < 0:
        raise KeyHandlingError(
            f"{where} is truncated: it has a '{begin}' line but no matching '{end}' line; "
            "copy the whole key, including both lines"
        )
    return text[start : stop + len(end)] + "\n"


def _classify_non_key(labels: list[str], where: str, wanted: str) -> KeyHandlingError:
    if not labels:
        return KeyHandlingError(
            f"{where} is not a PEM key: expected a '-----BEGIN {wanted}-----' block"
        )
    if any("CERTIFICATE" in label for label in labels):
        return KeyHandlingError(
            f"{where} is a certificate, not a key: give the {wanted.lower()} itself"
        )
    found = ", ".join(repr(label) for label in labels)
    return KeyHandlingError(f"{where} holds PEM blocks of type {found}, not a {wanted.lower()}")


def _parse_private(material: _KeyText) -> rsa.RSAPrivateKey:
    text, where = _normalise(material.text), material.where
    if not text:
        raise KeyHandlingError(f"{where} is empty")
    labels = _PEM_BEGIN.findall(text)
    private_labels = [label for label in labels if label.endswith("PRIVATE KEY")]
    if not private_labels:
        if any(label.endswith("PUBLIC KEY") for label in labels):
            raise KeyHandlingError(
                f"{where} is a PUBLIC key, but a private key is needed here: use the private "
                "key Vonage showed once when the application was created, or the one you "
                "generated (the public half is what Vonage stores)"
            )
        raise _classify_non_key(labels, where, "PRIVATE KEY")
    label = private_labels[0]
    if label == "ENCRYPTED PRIVATE KEY" or "Proc-Type: 4,ENCRYPTED" in text:
        raise _encrypted_error(where)
    if label == "OPENSSH PRIVATE KEY":
        raise KeyHandlingError(
            f"{where} is in OpenSSH format; convert it to PEM with "
            "'ssh-keygen -p -m PKCS8 -f <file>' (this rewrites the file in place)"
        )
    if label in {"EC PRIVATE KEY", "DSA PRIVATE KEY"}:
        raise _not_rsa_error(where, label.split()[0])
    block = _pem_block(text, label, where)
    try:
        key = serialization.load_pem_private_key(block.encode("ascii", "replace"), password=None)
    except TypeError:  # cryptography's way of saying "this key needs a password"
        raise _encrypted_error(where) from None
    except (ValueError, UnsupportedAlgorithm):
        raise KeyHandlingError(
            f"{where} is corrupt: the '{label}' block could not be decoded; it may be cut "
            "short or edited. Copy the key again in full"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _not_rsa_error(where, _algorithm_name(key))
    return _check_size(key, where)


def _parse_public(material: _KeyText) -> rsa.RSAPublicKey:
    text, where = _normalise(material.text), material.where
    if not text:
        raise KeyHandlingError(f"{where} is empty")
    labels = _PEM_BEGIN.findall(text)
    public_labels = [label for label in labels if label.endswith("PUBLIC KEY")]
    if not public_labels:
        raise _classify_non_key(labels, where, "PUBLIC KEY")
    label = public_labels[0]
    block = _pem_block(text, label, where)
    try:
        key = serialization.load_pem_public_key(block.encode("ascii", "replace"))
    except (ValueError, UnsupportedAlgorithm):
        raise KeyHandlingError(
            f"{where} is corrupt: the '{label}' block could not be decoded; it may be cut "
            "short or edited. Copy the key again in full"
        ) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise _not_rsa_error(where, _algorithm_name(key))
    return _check_size(key, where)


def _check_size(key: _RsaKey, where: str) -> _RsaKey:
    if key.key_size < MIN_RSA_KEY_BITS:
        raise KeyHandlingError(
            f"{where} is an RSA key of only {key.key_size} bits; at least {MIN_RSA_KEY_BITS} "
            "bits are required. Generate a new pair with generate_key_pair()"
        )
    return key


def _algorithm_name(key: object) -> str:
    kinds: tuple[tuple[type, str], ...] = (
        (ec.EllipticCurvePrivateKey, "EC"),
        (ec.EllipticCurvePublicKey, "EC"),
        (ed25519.Ed25519PrivateKey, "Ed25519"),
        (ed25519.Ed25519PublicKey, "Ed25519"),
        (ed448.Ed448PrivateKey, "Ed448"),
        (ed448.Ed448PublicKey, "Ed448"),
        (dsa.DSAPrivateKey, "DSA"),
        (dsa.DSAPublicKey, "DSA"),
    )
    for kind, name in kinds:
        if isinstance(key, kind):
            return name
    return type(key).__name__


def _not_rsa_error(where: str, algorithm: str) -> KeyHandlingError:
    return KeyHandlingError(
        f"{where} is an {algorithm} key, not RSA: Vonage application keys are RSA "
        "(RS256 JWTs). Generate a new pair with generate_key_pair()"
    )


def _encrypted_error(where: str) -> KeyHandlingError:
    return KeyHandlingError(
        f"{where} is encrypted with a passphrase, which is not supported: decrypt it first, "
        "e.g. 'openssl pkey -in encrypted.key -out private.key', and keep the result mode 0600"
    )


# --------------------------------------------------------------------------------------------
# Token plumbing shared by application JWTs and signed webhooks
# --------------------------------------------------------------------------------------------


class _AccountSecretHMAC(HMACAlgorithm):
    """HS256 without PyJWT's short-key warning.

    The signature secret is chosen by Vonage per account; the receiver cannot lengthen it, so
    warning on every webhook would only add noise to notebooks.
    """

    def check_key_length(self, key: bytes) -> str | None:
        return None


def _make_jws(algorithm: str) -> PyJWS:
    jws = PyJWS(algorithms=[algorithm])
    if algorithm == "HS256":
        jws.unregister_algorithm("HS256")
        jws.register_algorithm("HS256", _AccountSecretHMAC(HMACAlgorithm.SHA256))
    return jws


_RS256 = _make_jws("RS256")
_HS256 = _make_jws("HS256")


def _unix_seconds(value: float | datetime | None, name: str) -> int:
    if value is None:
        return int(time.time())
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(
                [FieldError(name, "must be a timezone-aware datetime (or Unix seconds)")],
                subject="JWT options",
            )
        return int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            [FieldError(name, "must be Unix seconds or a timezone-aware datetime")],
            subject="JWT options",
        )
    return int(value)


def _strip_bearer(token: object) -> str:
    if isinstance(token, bytes | bytearray):
        token = bytes(token).decode("ascii", "replace")
    if not isinstance(token, str):
        return ""
    token = token.strip()
    scheme, _, rest = token.partition(" ")
    if scheme.lower() == "bearer":
        token = rest.strip()
    return token


def _encode(claims: Mapping[str, Any], key: Any, jws: PyJWS, algorithm: str) -> str:
    payload = json.dumps(claims, separators=(",", ":")).encode("utf-8")
    return jws.encode(payload, key, algorithm=algorithm, headers={"alg": algorithm, "typ": "JWT"})


def _claims_from(payload: bytes) -> dict[str, Any]:
    claims = json.loads(payload)
    if not isinstance(claims, dict):
        raise ValueError("the token's payload is not a JSON object")
    return claims


def _time_problems(
    claims: Mapping[str, Any], now: int, *, leeway: float, max_age: float | None
) -> list[FieldError]:
    """Check ``exp``, ``nbf`` and (with ``max_age``) ``iat``: one FieldError per broken rule."""
    problems: list[FieldError] = []
    for name in ("exp", "nbf", "iat"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append(FieldError(name, "must be a number (Unix seconds)"))
    if problems:
        return problems
    exp, nbf, iat = claims.get("exp"), claims.get("nbf"), claims.get("iat")
    if exp is not None and now > exp + leeway:
        problems.append(FieldError("exp", f"the token expired {int(now - exp)} s ago"))
    if nbf is not None and now < nbf - leeway:
        problems.append(FieldError("nbf", f"the token is not valid for another {int(nbf - now)} s"))
    if max_age is not None:
        if iat is None:
            problems.append(FieldError("iat", "is missing, so the token's age cannot be checked"))
        elif now - iat > max_age + leeway:
            problems.append(
                FieldError("iat", f"the token is {int(now - iat)} s old; at most {max_age} allowed")
            )
    return problems


# --------------------------------------------------------------------------------------------
# Application JWTs (RS256) [DOC-AUTH]
# --------------------------------------------------------------------------------------------

_RESERVED_JWT_CLAIMS = ("application_id", "iat", "exp", "jti", "nbf", "sub", "acl")


def _is_json(value: Mapping[str, Any]) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def mint_jwt(
    application_id: str,
    private_key: PrivateKeySource,
    *,
    ttl: int = JWT_TTL_DEFAULT,
    now: float | datetime | None = None,
    nbf: float | datetime | None = None,
    sub: str | None = None,
    acl: Mapping[str, Any] | None = None,
    jti: str | None = None,
    extra_claims: Mapping[str, Any] | None = None,
) -> str:
    """Make an RS256 application JWT for Vonage APIs (Voice REST, Client SDK logins).

    Claims follow the reference table [DOC-AUTH] and what the official SDK emits:
    ``application_id``, ``iat`` (``now``, default the current time), ``jti`` (a fresh UUID4
    unless given), ``exp = iat + ttl`` and, when given, ``nbf``, ``sub`` (Client SDK user name)
    and ``acl`` (e.g. :func:`client_sdk_acl`). ``ttl`` must be 30 to 86400 seconds, the range
    Vonage accepts. ``extra_claims`` are added as they are but may not replace the named claims
    (use the arguments). Header ``{"alg": "RS256", "typ": "JWT"}``. Send it as
    ``Authorization: Bearer <jwt>``.
    """
    problems: list[FieldError] = []
    if not isinstance(application_id, str) or not application_id.strip():
        problems.append(FieldError("application_id", "must be a non-empty string"))
    if isinstance(ttl, bool) or not isinstance(ttl, int):
        problems.append(FieldError("ttl", "must be a whole number of seconds"))
    elif not JWT_TTL_MIN <= ttl <= JWT_TTL_MAX:
        problems.append(
            FieldError(
                "ttl",
                f"must be between {JWT_TTL_MIN} and {JWT_TTL_MAX} seconds "
                f"(30 s to 24 hours), got {ttl}",
            )
        )
    if sub is not None and not isinstance(sub, str):
        problems.append(FieldError("sub", "must be a string (the Client SDK user name)"))
    if acl is not None and not isinstance(acl, Mapping):
        problems.append(FieldError("acl", 'must be an object such as {"paths": {...}}'))
    for name, value in (("acl", acl), ("extra_claims", extra_claims)):
        if isinstance(value, Mapping) and not _is_json(value):
            problems.append(FieldError(name, "must hold only JSON values (str, number, list, ...)"))
    if jti is not None and (not isinstance(jti, str) or not jti):
        problems.append(FieldError("jti", "must be a non-empty string"))
    for name in sorted(set(extra_claims or {}) & set(_RESERVED_JWT_CLAIMS)):
        problems.append(
            FieldError(f"extra_claims.{name}", f"set it with the {name!r} argument instead")
        )
    if problems:
        raise ValidationError(problems, subject="JWT options")

    key = load_private_key(private_key)
    iat = _unix_seconds(now, "now")
    claims: dict[str, Any] = dict(extra_claims or {})
    claims.update(application_id=application_id, iat=iat, jti=jti or str(uuid.uuid4()))
    claims["exp"] = iat + ttl
    if nbf is not None:
        claims["nbf"] = _unix_seconds(nbf, "nbf")
    if sub is not None:
        claims["sub"] = sub
    if acl is not None:
        claims["acl"] = json.loads(json.dumps(acl))  # a deep copy: later edits to acl do not leak
    return _encode(claims, key, _RS256, "RS256")


def decode_jwt(
    token: str | bytes,
    public_key: PublicKeySource | None = None,
    *,
    now: float | datetime | None = None,
    leeway: float = 0,
) -> dict[str, Any]:
    """Read an application JWT's claims; verify it when a key is given.

    With ``public_key`` (or the private key, whose public half is used): checks the RS256
    signature (no other algorithm is accepted), ``exp`` and ``nbf`` at ``now`` (default the
    current time) give or take ``leeway`` seconds. Without a key the token is decoded
    **unverified**, for inspection only: never trust claims read that way. Accepts
    ``Bearer <jwt>`` and the ``bytes`` that ``vonage_jwt`` returns. Raises
    :class:`ValidationError` (subject ``JWT``) naming what failed: ``token`` (malformed),
    ``alg``, ``signature``, ``exp``, ``nbf``.
    """
    text = _strip_bearer(token)
    if not text:
        raise ValidationError([FieldError("token", "is empty")], subject="JWT")
    if public_key is None:
        try:
            decoded = _RS256.decode_complete(text, options={"verify_signature": False})
            return _claims_from(decoded["payload"])
        except (PyJWTError, ValueError) as error:
            raise ValidationError(
                [FieldError("token", f"is malformed: {error}")], subject="JWT"
            ) from None
    key = load_public_key(public_key)
    try:
        decoded = _RS256.decode_complete(text, key, algorithms=["RS256"])
        claims = _claims_from(decoded["payload"])
    except InvalidSignatureError:
        raise ValidationError(
            [FieldError("signature", "does not match this public key")], subject="JWT"
        ) from None
    except InvalidAlgorithmError:
        raise ValidationError(
            [FieldError("alg", "must be RS256, the only algorithm Vonage application JWTs use")],
            subject="JWT",
        ) from None
    except (PyJWTError, ValueError) as error:
        raise ValidationError(
            [FieldError("token", f"is malformed: {error}")], subject="JWT"
        ) from None
    problems = _time_problems(claims, _unix_seconds(now, "now"), leeway=leeway, max_age=None)
    if problems:
        raise ValidationError(problems, subject="JWT")
    return claims


# --------------------------------------------------------------------------------------------
# Signed webhooks (HS256 with the account's signature secret) [DOC-SIGNED-MSG][KB-PAYLOAD-HASH]
# --------------------------------------------------------------------------------------------


def payload_hash(payload: bytes | str | Mapping[str, Any] | list[Any]) -> str:
    """The hex SHA-256 that a signed webhook's ``payload_hash`` claim carries [KB-PAYLOAD-HASH].

    Vonage hashes the request's data as compact JSON, keeping the order it was sent in:

    * ``bytes``/``str``: a JSON request body (POST). It is parsed and re-serialised with no
      whitespace (``separators=(",", ":")``), keys in their original order, non-ASCII
      characters as UTF-8 rather than ``\\u`` escapes; the digest covers those UTF-8 bytes.
      A body that is already compact hashes to the digest of its own bytes.
    * a mapping: the query parameters of a GET webhook, in the order given (one value per
      name, as a mapping holds), serialised the same way.
    * any other JSON value (an already parsed list): serialised the same way.

    Raises :class:`ValidationError` for a body that is not JSON (pass GET parameters as a
    mapping instead).
    """
    value: Any
    if isinstance(payload, bytes | bytearray | str):
        try:
            value = json.loads(payload)
        except ValueError:
            raise ValidationError(
                [
                    FieldError(
                        "payload",
                        "is not JSON: pass a JSON body, or the query parameters as a mapping",
                    )
                ],
                subject="webhook payload",
            ) from None
    elif isinstance(payload, Mapping):
        value = dict(payload.items())
    else:
        value = payload
    try:
        compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            [FieldError("payload", f"cannot be serialised as JSON: {error}")],
            subject="webhook payload",
        ) from None
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def _secret_bytes(secret: str | bytes | SecretStr) -> bytes:
    if isinstance(secret, SecretStr):
        secret = secret.get_secret_value()
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes) or not secret:
        raise ValidationError(
            [FieldError("signature_secret", "is empty: set the account's signature secret")],
            subject="signed webhook",
        )
    return secret


def sign_webhook(
    payload: bytes | str | Mapping[str, Any] | list[Any],
    signature_secret: str | bytes | SecretStr,
    *,
    api_key: str,
    application_id: str,
    now: float | datetime | None = None,
) -> str:
    """Make the HS256 JWT Vonage puts in a signed webhook's ``Authorization: Bearer`` header.

    Claims [DOC-SIGNED-MSG]: ``iat`` (``now``, default the current time), ``jti`` (UUID4),
    ``iss`` = ``"Vonage"``, ``payload_hash`` (see :func:`payload_hash`), ``api_key`` (the
    account owning the secret) and ``application_id``. No ``exp``: the documented claim set
    has none, so receivers bound the age with ``max_age``. Used by the sandbox; handy in tests.
    """
    secret = _secret_bytes(signature_secret)
    claims = {
        "iat": _unix_seconds(now, "now"),
        "jti": str(uuid.uuid4()),
        "iss": _WEBHOOK_ISSUER,
        "payload_hash": payload_hash(payload),
        "api_key": api_key,
        "application_id": application_id,
    }
    return _encode(claims, secret, _HS256, "HS256")


def verify_signed_webhook(
    token: str | bytes | None,
    signature_secret: str | bytes | SecretStr,
    *,
    payload: bytes | str | Mapping[str, Any] | list[Any] | None = None,
    max_age: float | None = None,
    now: float | datetime | None = None,
    leeway: float = 0,
) -> dict[str, Any]:
    """Check a signed webhook's JWT and return its claims.

    ``token`` is the ``Authorization`` header value (``Bearer <jwt>``) or the bare JWT. Raises
    :class:`WebhookSignatureError` when: the token is missing or malformed; it is not HS256;
    the signature does not match ``signature_secret`` (wrong secret or altered token); ``exp``
    (if present) has passed or ``nbf`` (if present) is in the future; ``max_age`` is given and
    ``iat`` is missing or older than that many seconds; ``payload`` is given and its
    :func:`payload_hash` differs from the ``payload_hash`` claim. The payload is only checked
    when given (optional over HTTPS [DOC-SIGNED-MSG]). Messages never contain the secret.
    """
    secret = _secret_bytes(signature_secret)
    text = _strip_bearer(token)
    if not text:
        raise WebhookSignatureError(
            "no token: the webhook request carried no 'Authorization: Bearer <jwt>' header"
        )
    try:
        header = _HS256.get_unverified_header(text)
    except PyJWTError as error:
        raise WebhookSignatureError(f"malformed webhook token: {error}") from None
    if header.get("alg") != "HS256":
        raise WebhookSignatureError(
            f"webhook token uses algorithm {header.get('alg')!r}; signed webhooks use HS256"
        )
    try:
        decoded = _HS256.decode_complete(text, secret, algorithms=["HS256"])
        claims = _claims_from(decoded["payload"])
    except InvalidSignatureError:
        raise WebhookSignatureError(
            "webhook signature does not match: the token was not signed with this signature "
            "secret (wrong secret, another account, or an altered token)"
        ) from None
    except (PyJWTError, ValueError) as error:
        raise WebhookSignatureError(f"malformed webhook token: {error}") from None

    problems = _time_problems(claims, _unix_seconds(now, "now"), leeway=leeway, max_age=max_age)
    if problems:
        raise WebhookSignatureError(
            "webhook token rejected: " + "; ".join(str(problem) for problem in problems)
        )
    if payload is not None:
        claimed = claims.get("payload_hash")
        if not isinstance(claimed, str):
            raise WebhookSignatureError(
                "webhook token has no payload_hash claim, so the payload cannot be checked"
            )
        if not hmac.compare_digest(claimed.lower(), payload_hash(payload)):
            raise WebhookSignatureError(
                "webhook payload does not match the token's payload_hash: "
                "the request was changed in transit (or hashed differently)"
            )
    return claims
