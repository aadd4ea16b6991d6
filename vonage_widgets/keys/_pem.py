"""RSA key pairs: make them, read them from text or files, match and identify them.

Every way a key can be wrong is explained without ever echoing the key. Decisions (see the
package notes): RSA shorter than 2048 bits is rejected, private and public alike; a private
key is accepted where a public one is wanted (its public half is derived); encrypted
(passphrase-protected) private keys are not supported.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias, TypeVar

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from pydantic import SecretStr

from vonage_widgets.errors import KeyHandlingError

__all__ = [
    "MIN_RSA_KEY_BITS",
    "KeyPair",
    "PrivateKeySource",
    "PublicKeySource",
    "fingerprint",
    "generate_key_pair",
    "keys_match",
    "load_private_key",
    "load_public_key",
    "pkcs8_pem",
    "public_key_pem",
]

MIN_RSA_KEY_BITS = 2048
"""Smallest RSA key accepted anywhere in this package (Vonage generates 2048-bit keys)."""

_MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM RSA key is ~2-4 KB; anything this big is not a key
_MAX_PATH_CHARS = 1024  # a longer string (or one with a newline) is key text, never a path
_MAX_SHOWN_PATH_CHARS = 255  # a missing "path" longer than this is never echoed
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")  # could be key material: never echoed
_FINGERPRINT_HEX_CHARS = 16

_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_RsaKey = TypeVar("_RsaKey", rsa.RSAPrivateKey, rsa.RSAPublicKey)

_PARSED_PRIVATE_KEYS_MAX = 8  # a notebook uses one or two application keys at a time


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
    return KeyPair(private_pem=SecretStr(pkcs8_pem(private)), public_pem=public_key_pem(private))


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


def pkcs8_pem(private: rsa.RSAPrivateKey) -> str:
    """The unencrypted PKCS#8 PEM of a private key, Vonage's form."""
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


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

    Accepts PKCS#8 PEM (what Vonage hands out) and PKCS#1 PEM
    (the older RSA-only form). A ``str`` containing ``-----BEGIN`` is PEM text (literal
    ``\\n`` sequences, as in an environment variable, are understood); any other short
    one-line ``str`` or a ``Path`` is a file path. Raises :class:`KeyHandlingError`, never
    showing the key, for: a missing, unreadable or empty file; text that is not PEM; a public
    key or certificate; an encrypted key (passphrases are not supported); a key that is not RSA;
    RSA shorter than 2048 bits (rejected, see the package notes); truncated or corrupt PEM.

    The last few keys parsed are cached by the SHA-256 digest of their PEM block (never the
    text itself), so loading the same key again skips the ~90 ms parse.
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
        if os.path.exists(os.path.expanduser(source)) or _may_show_as_path(source):
            return _read_file(Path(source), kind)
        # Neither PEM nor a file: perhaps key material pasted without its BEGIN/END lines,
        # so the text itself must never appear in the message.
        raise KeyHandlingError(
            f"the {kind} is not a PEM key (no '-----BEGIN' line) and not an existing file "
            "(the text is not shown: it may be key material); give the full PEM text with "
            "its BEGIN/END lines, or the path of a key file"
        )
    if isinstance(source, os.PathLike):
        return _read_file(Path(source), kind)
    raise KeyHandlingError(
        f"cannot use a {type(source).__name__} as a {kind}: give PEM text, a file path, "
        "a SecretStr or a KeyPair"
    )


def _may_show_as_path(text: str) -> bool:
    """Whether a missing path may be echoed in an error: short, printable, not base64-like.

    A run of 16+ base64 characters (no dot, dash, space...) may be a fragment of a key
    pasted without its header, so it is never shown, even though it could be a path.
    """
    return (
        len(text) <= _MAX_SHOWN_PATH_CHARS
        and text.isprintable()
        and _BASE64_RUN.fullmatch(text.strip()) is None
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
    block = _pem_block(text, label, where).encode("ascii", "replace")
    digest = hashlib.sha256(block).digest()
    cached = _PARSED_PRIVATE_KEYS.get(digest)
    if cached is not None:
        return cached
    try:
        key = serialization.load_pem_private_key(block, password=None)
    except TypeError:  # cryptography's way of saying "this key needs a password"
        raise _encrypted_error(where) from None
    except (ValueError, UnsupportedAlgorithm):
        raise KeyHandlingError(
            f"{where} is corrupt: the '{label}' block could not be decoded; it may be cut "
            "short or edited. Copy the key again in full"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _not_rsa_error(where, _algorithm_name(key))
    checked = _check_size(key, where)
    _PARSED_PRIVATE_KEYS.put(digest, checked)
    return checked


class _ParsedKeyCache:
    """The last few private keys parsed from PEM, by the SHA-256 digest of the PEM block.

    Parsing a 2048-bit RSA key (cryptography checks its consistency) takes ~90 ms, a
    hundred times the cost of signing a JWT with it, and :func:`mint_jwt` is usually
    called with the same PEM text or file again and again. Only the digest is kept as the
    key, never the PEM text; only keys that passed every check are stored, so an error is
    raised (and explained) again on every call. Thread-safe; least recently used first out.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._keys: OrderedDict[bytes, rsa.RSAPrivateKey] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: bytes) -> rsa.RSAPrivateKey | None:
        """The key parsed from the PEM with this digest, if still cached."""
        with self._lock:
            key = self._keys.get(digest)
            if key is not None:
                self._keys.move_to_end(digest)
            return key

    def put(self, digest: bytes, key: rsa.RSAPrivateKey) -> None:
        """Remember a parsed key, dropping the least recently used beyond the capacity."""
        with self._lock:
            self._keys[digest] = key
            self._keys.move_to_end(digest)
            while len(self._keys) > self._capacity:
                self._keys.popitem(last=False)

    def clear(self) -> None:
        """Forget every parsed key (tests; or to drop key objects from memory)."""
        with self._lock:
            self._keys.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._keys)


_PARSED_PRIVATE_KEYS = _ParsedKeyCache(_PARSED_PRIVATE_KEYS_MAX)


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
