"""Requests signed as one application: a fresh RS256 application JWT for every request.

The Voice API (``/v1/calls``) and the Messages API (``/v1/messages``) authenticate the
application itself, not the account: each request carries a short-lived JWT signed with the
application's private key, as the official SDK sends it [api-notes §4], so the same code works
against the sandbox and the real API. :class:`ApplicationSession` is that one session; the
key is read once and never shown, and the last token's claims are kept for people to look at.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, ClassVar, Self

import httpx

from vonage_widgets.client._http import _ssl_verify
from vonage_widgets.errors import ApiError
from vonage_widgets.keys import PrivateKeySource, decode_jwt, load_private_key, mint_jwt

__all__ = ["ApplicationSession", "raise_for_api", "tls_verify"]

tls_verify = _ssl_verify
"""``verify`` as httpx takes it: a CA file's path becomes an SSLContext (a TLS sandbox's CA)."""


def raise_for_api(response: httpx.Response, method: str, url: str) -> None:
    """Raise :class:`~vonage_widgets.errors.ApiError` for a refusal, with the body as sent.

    The API gateway's 401 body (``{type, error_title}``) is shown with its title, and the
    sandbox's ``X-Sandbox-Auth-Error`` header (the rule a token failed) as its detail.
    """
    if response.is_success:
        return
    try:
        data: Any = response.json()
    except ValueError:
        data = {"title": response.reason_phrase, "detail": response.text[:500]}
    body = data if isinstance(data, dict) else {}
    shown = body
    if "error_title" in body and "title" not in body:  # the gateway's {type, error_title}
        reason = response.headers.get("x-sandbox-auth-error", "")
        shown = {**body, "title": body["error_title"], "detail": reason}
    error = ApiError.from_problem(response.status_code, shown, method=method, url=url)
    error.body = dict(body)  # what the API sent, as sent
    raise error


class ApplicationSession:
    """An HTTP session that signs each request as one application (bearer JWT).

    ``base_url``: the API host (a sandbox's URL, or ``https://api.nexmo.com``).
    ``private_key``: PEM text or the key file's path; read once, never shown.
    ``verify``: TLS verification, or the path of a CA file (a TLS sandbox's ``ca_file``).
    ``timeout``: seconds per request (the class's :attr:`DEFAULT_TIMEOUT` when not given).
    """

    DEFAULT_TIMEOUT: ClassVar[float] = 60.0

    def __init__(
        self,
        base_url: str,
        application_id: str,
        private_key: PrivateKeySource,
        *,
        verify: bool | str | Path | ssl.SSLContext = True,
        timeout: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.application_id = application_id
        self._key = load_private_key(private_key)
        self.last_claims: dict[str, Any] = {}
        """The claims of the last token sent (no key, no signature)."""
        self._http = httpx.Client(
            trust_env=False,
            verify=tls_verify(verify),
            timeout=self.DEFAULT_TIMEOUT if timeout is None else timeout,
        )

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(base_url={self.base_url!r}, application_id={self.application_id!r})"

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send ``method path`` with a fresh application JWT; a refusal raises ``ApiError``."""
        token = mint_jwt(self.application_id, self._key)
        self.last_claims = decode_jwt(token, self._key)
        url = self.base_url + path
        response = self._http.request(
            method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs
        )
        raise_for_api(response, method, url)
        return response
