"""Item 5a: application JWTs minted per second, ours against the official ``vonage_jwt``.

Both are given the private key as PEM text, the way the official SDK is used (its
``JwtClient`` keeps the text and PyJWT parses it on every token). Ours is also measured with
a key object loaded once (``keys.load_private_key``), which skips the per-token parse.
Contenders run in alternating rounds; every token is checked once against the public key.
"""

from __future__ import annotations

from vonage_jwt import JwtClient

from benchmarks._data import bench_key_pair
from benchmarks._measure import Scale, interleaved_rates
from benchmarks._report import Figure
from vonage_widgets.keys import decode_jwt, load_private_key, mint_jwt

__all__ = ["APPLICATION_ID", "run"]

APPLICATION_ID = "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab"
"""The application id in every token."""

_BENCH = "JWT"
_LOADED_KEY_FACTOR = 20


def run(scale: Scale) -> list[Figure]:
    """Tokens per second: ours (PEM text), ours (loaded key), ``vonage_jwt`` (PEM text)."""
    pair = bench_key_pair()
    pem = pair.private_pem.get_secret_value()
    key = load_private_key(pem)
    official = JwtClient(APPLICATION_ID, pem)
    for token in (mint_jwt(APPLICATION_ID, pem), official.generate_application_jwt()):
        claims = decode_jwt(token, pair.public_pem)  # both mint valid, verifiable tokens
        if claims["application_id"] != APPLICATION_ID:
            raise RuntimeError("a minted token carries the wrong application_id")
    rates = interleaved_rates(
        {
            "ours_pem": lambda _: mint_jwt(APPLICATION_ID, pem),
            "official": lambda _: official.generate_application_jwt(),
        },
        scale.jwt_tokens,
    )
    # Without the parse a token is ~100x cheaper: more of them for a stable figure.
    key_tokens = scale.jwt_tokens * _LOADED_KEY_FACTOR
    rates.update(
        interleaved_rates({"ours_key": lambda _: mint_jwt(APPLICATION_ID, key)}, key_tokens)
    )
    count = f"{scale.jwt_tokens:,} tokens each, alternating rounds"
    return [
        Figure(
            f"{_BENCH}: ours, mint_jwt(PEM text)",
            rates["ours_pem"],
            "tokens/s",
            baseline=rates["official"],
            notes=f"baseline: vonage_jwt JwtClient.generate_application_jwt (PEM text); {count}",
        ),
        Figure(
            f"{_BENCH}: ours, mint_jwt(loaded key)",
            rates["ours_key"],
            "tokens/s",
            baseline=rates["official"],
            notes=f"baseline: vonage_jwt as above; key parsed once, not per token; "
            f"{key_tokens:,} tokens",
        ),
        Figure(
            f"{_BENCH}: official vonage_jwt",
            rates["official"],
            "tokens/s",
            notes="PyJWT parses the PEM on every token",
        ),
    ]
