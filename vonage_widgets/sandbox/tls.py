"""A local certificate authority and a loopback server certificate, so clients can use HTTPS.

The official Vonage SDK always builds ``https://`` URLs [api-notes §6.1], so the sandbox
must speak TLS with a certificate ``requests`` trusts: point ``REQUESTS_CA_BUNDLE`` (or
httpx's ``verify=``) at :attr:`TlsFiles.ca_file`. The CA is made once per folder and kept;
the server certificate is re-issued when it is close to expiry or lacks a needed host name.
Private keys are written with mode 0600 and never leave their files.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vonage_widgets.errors import KeyHandlingError

__all__ = ["DEFAULT_HOSTS", "TlsFiles", "ensure_tls_files"]

DEFAULT_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Names every server certificate covers."""

_CA_DIR = "ca"
_CA_CERT = "ca.pem"
_CA_KEY = "ca-key.pem"
_SERVER = "server.pem"  # certificate chain and its key in one file (mode 0600)
_CA_LIFETIME = timedelta(days=3650)
_SERVER_LIFETIME = timedelta(days=397)  # the longest browsers accept
_RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """Where the CA certificate (to trust) and the server's certificate and key live."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def _new_key() -> ec.EllipticCurvePrivateKey:
    # P-256: fast to generate, accepted by every TLS stack the tests and notebooks use.
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _make_ca(folder: Path) -> None:
    """Create ``folder/ca`` atomically: build it aside, then rename (a racing process wins)."""
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vonage-widgets sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, "vonage-widgets sandbox local CA"),
        ]
    )
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".ca-"))
    try:
        (staging / _CA_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_private(staging / _CA_KEY, _key_pem(key))
        try:
            staging.rename(folder / _CA_DIR)
        except OSError:
            if not (folder / _CA_DIR / _CA_KEY).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _san_names(hosts: tuple[str, ...]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _server_cert_ok(path: Path, ca_cert: x509.Certificate, hosts: tuple[str, ...]) -> bool:
    """True when the saved server certificate was issued by this CA, is fresh, and covers hosts."""
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    fresh = cert.not_valid_after_utc - datetime.now(UTC) > _RENEW_BEFORE
    covered = all(name in names for name in _san_names(hosts))
    return fresh and covered and cert.issuer == ca_cert.subject


def _make_server_cert(
    path: Path,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    hosts: tuple[str, ...],
) -> None:
    key = _new_key()
    public = key.public_key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _SERVER_LIFETIME)
        .add_extension(x509.SubjectAlternativeName(_san_names(hosts)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(path, cert.public_bytes(serialization.Encoding.PEM) + _key_pem(key))


def ensure_tls_files(folder: Path | str, hosts: tuple[str, ...] = ()) -> TlsFiles:
    """Return the CA and server certificate in ``folder``, creating what is missing or stale.

    ``hosts`` adds names (beyond 127.0.0.1, localhost and ::1) the certificate must cover,
    e.g. the address the sandbox was asked to bind.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / _CA_DIR / _CA_KEY).is_file():
        _make_ca(folder)
    ca_dir = folder / _CA_DIR
    ca_cert = x509.load_pem_x509_certificate((ca_dir / _CA_CERT).read_bytes())
    wanted = DEFAULT_HOSTS + tuple(h for h in hosts if h and h not in ("0.0.0.0", "::"))
    server = folder / _SERVER
    if not _server_cert_ok(server, ca_cert, wanted):
        ca_key = serialization.load_pem_private_key((ca_dir / _CA_KEY).read_bytes(), None)
        if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
            raise KeyHandlingError(f"the sandbox CA key in {ca_dir} is not an EC key: delete it")
        _make_server_cert(server, ca_cert, ca_key, wanted)
    return TlsFiles(ca_file=ca_dir / _CA_CERT, cert_file=server, key_file=server)
