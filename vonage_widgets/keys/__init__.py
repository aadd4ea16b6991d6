"""RSA key pairs, private-key files, application JWTs and signed-webhook checks.

Jobs that share one concern, keys and the tokens made from them, one private module each
(import every name from ``vonage_widgets.keys``):

* **Key pairs** (``_pem``). :func:`generate_key_pair` makes an RSA 2048 pair shaped like the
  one Vonage returns on create [api-notes §1.6]; :func:`load_private_key` and
  :func:`load_public_key` read PEM text or a file and explain every way a key can be wrong
  without ever echoing it; :func:`keys_match` and :func:`fingerprint` compare and identify.
* **Key files** (``_files``). :func:`save_private_key` writes the private half atomically with
  mode 0600; :func:`key_file_name` is the one naming rule for key files, shared by the
  application form, the workbook and application config files.
* **Application JWTs** (``_jwt``; RS256, [api-notes §4]): :func:`mint_jwt` and
  :func:`decode_jwt`, interchangeable with the official ``vonage_jwt`` package.
* **Signed webhooks** (``_signed``; HS256 with the account's signature secret, [api-notes §3.6]):
  :func:`payload_hash`, :func:`sign_webhook` (what the sandbox sends) and
  :func:`verify_signed_webhook` (what a webhook server checks). Both kinds of token share
  the plumbing in ``_tokens``.
* **Verifying application JWTs** (``_verify``): :func:`verify_application_jwt`, what a
  Vonage API (the sandbox's Voice API) checks before serving a request.

Decisions where Vonage's public material is silent (each is documented at its function):

* RSA keys shorter than 2048 bits are **rejected**, private and public alike: Vonage generates
  2048-bit keys and PyJWT itself flags shorter ones as insecure (NIST SP 800-131A).
* :func:`load_public_key` also accepts a private key and derives its public half, so a caller
  holding only the private key file can verify its own tokens.
* Encrypted (passphrase-protected) private keys are not supported; the error says how to
  decrypt one with ``openssl``.
* :func:`save_private_key` always writes unencrypted PKCS#8 PEM, the form Vonage hands
  out and the only string form the official Python SDK accepts [api-notes §4].
"""

from __future__ import annotations

from vonage_widgets.keys._files import (
    KEY_FILE_SUFFIX,
    key_file_name,
    safe_name,
    save_private_key,
)
from vonage_widgets.keys._jwt import (
    JWT_TTL_DEFAULT,
    JWT_TTL_MAX,
    JWT_TTL_MIN,
    client_sdk_acl,
    decode_jwt,
    mint_jwt,
)
from vonage_widgets.keys._pem import (
    MIN_RSA_KEY_BITS,
    KeyPair,
    PrivateKeySource,
    PublicKeySource,
    fingerprint,
    generate_key_pair,
    keys_match,
    load_private_key,
    load_public_key,
    public_key_pem,
)
from vonage_widgets.keys._signed import payload_hash, sign_webhook, verify_signed_webhook
from vonage_widgets.keys._verify import (
    JwtRefused,
    VerifiedJwt,
    acl_allows,
    verify_application_jwt,
)

__all__ = [
    "JWT_TTL_DEFAULT",
    "JWT_TTL_MAX",
    "JWT_TTL_MIN",
    "KEY_FILE_SUFFIX",
    "MIN_RSA_KEY_BITS",
    "JwtRefused",
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
]
