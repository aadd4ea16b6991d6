"""Keep secrets out of text: reprs, logs, error messages and notebook outputs.

Two tools: :func:`mask` shows that a secret is set without showing it, and :func:`redact`
removes known secrets and any PEM private key block from a piece of text.
"""

from __future__ import annotations

import re

__all__ = ["PRIVATE_KEY_PATTERN", "mask", "redact"]

# Any PEM private key block (PKCS#8, PKCS#1, EC, encrypted), including a cut-off one.
PRIVATE_KEY_PATTERN = re.compile(
    r"-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----.*?(?:-----END (?:[A-Z ]+ )?PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
_REDACTED_KEY = "[private key redacted]"


def mask(secret: str | None) -> str:
    """Say whether a secret is set, never what it is: ``'***'`` or ``'<not set>'``."""
    return "***" if secret else "<not set>"


def redact(text: str, *secrets: str | None) -> str:
    """Return ``text`` with every PEM private key and every given secret replaced.

    Secrets shorter than 4 characters are left alone: replacing them would garble
    ordinary words, and no real Vonage secret is that short.
    """
    out = PRIVATE_KEY_PATTERN.sub(_REDACTED_KEY, text)
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        out = out.replace(secret, "***")
    return out
