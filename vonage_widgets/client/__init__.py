"""A small, typed client for the Vonage Application API v2 and the Numbers API.

One :class:`VonageClient` holds the credentials and one keep-alive connection pool; its two
attributes group the calls: ``client.applications`` (:class:`ApplicationsApi`, api host) and
``client.numbers`` (:class:`NumbersApi`, rest host). Pass ``transport=httpx.MockTransport(...)``
to test without a network, or point the hosts at the local sandbox.

Requests and answers are the package's models (:mod:`vonage_widgets.models`); failures are
the package's errors (:mod:`vonage_widgets.errors`). The modules, one job each:
``applications`` and ``numbers`` (the two APIs), ``_http`` (the connection pool, retry
rules, error mapping), ``_paging`` (page limits, concurrent page fetching, the collector
pause) and ``protocol`` (:class:`ApiClient`, what the layers above need from a client).
Tags such as [api-notes §1.3] name sections of ``docs/api-notes.md``.
"""

from __future__ import annotations

import os
import platform
import ssl
import time
import types
from collections.abc import Callable
from pathlib import Path

import httpx

from vonage_widgets._version import __version__
from vonage_widgets.client._http import HttpSession, RetryPolicy, normalize_base_url
from vonage_widgets.client._paging import (
    MAX_PAGE_SIZE,
    PAGE_WINDOW,
    PAGE_WORKERS,
    ProgressCallback,
)
from vonage_widgets.client.applications import ApplicationsApi
from vonage_widgets.client.numbers import (
    FEATURE_SETS,
    NUMBER_TYPES,
    NumberFilterArgs,
    NumberFilters,
    NumbersApi,
)
from vonage_widgets.client.protocol import ApiClient, ApplicationsCalls, NumbersCalls
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.redact import mask

__all__ = [
    "DEFAULT_API_HOST",
    "DEFAULT_REST_HOST",
    "FEATURE_SETS",
    "MAX_PAGE_SIZE",
    "NUMBER_TYPES",
    "PAGE_WINDOW",
    "PAGE_WORKERS",
    "ApiClient",
    "ApplicationsApi",
    "ApplicationsCalls",
    "NumberFilterArgs",
    "NumberFilters",
    "NumbersApi",
    "NumbersCalls",
    "ProgressCallback",
    "VonageClient",
]

DEFAULT_API_HOST = "https://api.nexmo.com"
"""Application API host [api-notes §1.1]."""

DEFAULT_REST_HOST = "https://rest.nexmo.com"
"""Numbers API host [api-notes §2.1]."""


class VonageClient:
    """Credentials, hosts and one connection pool for the Vonage REST APIs used here.

    Arguments left out are read from the environment: ``VONAGE_API_KEY``,
    ``VONAGE_API_SECRET``, ``VONAGE_API_HOST``, ``VONAGE_REST_HOST``. Hosts are full URLs
    (``http://127.0.0.1:8000`` for the sandbox); a bare host name gets ``https://``.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests). ``verify`` is
    ``True``, ``False``, a CA bundle path (the sandbox's ``ca_file``) or an ``SSLContext``.
    ``max_retries=0`` disables retries; ``max_retry_after`` caps how long a server's
    ``Retry-After`` may make a call wait; ``sleep`` is the function used to wait between
    retries (tests pass a recorder). ``user_agent`` replaces the default
    ``vonage-widgets/<version> python/<version> httpx/<version>``.
    Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        api_host: str | None = None,
        rest_host: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        verify: bool | str | Path | ssl.SSLContext = True,
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_after: float = 30.0,
    ) -> None:
        key = api_key or os.environ.get("VONAGE_API_KEY") or ""
        secret = api_secret or os.environ.get("VONAGE_API_SECRET") or ""
        _check_settings(key, secret, timeout, max_retries)
        self._api_key = key
        self._masked_secret = mask(secret)
        self._api_host = _host_setting(api_host, "VONAGE_API_HOST", DEFAULT_API_HOST, "api_host")
        self._rest_host = _host_setting(
            rest_host, "VONAGE_REST_HOST", DEFAULT_REST_HOST, "rest_host"
        )
        self._session = HttpSession(
            api_key=key,
            api_secret=secret,
            timeout=timeout,
            retry=RetryPolicy(max_retries=max_retries, max_retry_after=max_retry_after),
            transport=transport,
            verify=verify,
            user_agent=user_agent or _default_user_agent(),
            sleep=sleep,
        )
        self.applications = ApplicationsApi(self._session, self._api_host)
        """Application API v2: list, get, create, update, delete."""
        self.numbers = NumbersApi(self._session, self._rest_host)
        """Numbers API: owned numbers, link and unlink."""

    @property
    def api_key(self) -> str:
        """The API key (not a secret: it is shown in the Dashboard and in URLs of old APIs)."""
        return self._api_key

    @property
    def api_host(self) -> str:
        """Base URL of the Application API."""
        return self._api_host

    @property
    def rest_host(self) -> str:
        """Base URL of the Numbers API."""
        return self._rest_host

    @property
    def sleep(self) -> Callable[[float], None]:
        """The function that waits between retries (replace it in tests)."""
        return self._session.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], None]) -> None:
        self._session.sleep = value

    @property
    def closed(self) -> bool:
        """True once the connection pool is closed."""
        return self._session.closed

    def close(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        self._session.close()

    def __enter__(self) -> VonageClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"VonageClient(api_key={self._api_key!r}, api_secret={self._masked_secret!r}, "
            f"api_host={self._api_host!r}, rest_host={self._rest_host!r})"
        )


def _check_settings(key: str, secret: str, timeout: float, max_retries: int) -> None:
    problems = []
    if not key:
        problems.append(FieldError("api_key", "missing: pass api_key=... or set VONAGE_API_KEY"))
    if not secret:
        problems.append(
            FieldError("api_secret", "missing: pass api_secret=... or set VONAGE_API_SECRET")
        )
    if problems:
        raise ValidationError(
            problems,
            subject="Vonage credentials (VONAGE_API_KEY and VONAGE_API_SECRET)",
        )
    if not timeout or timeout <= 0:
        problems.append(FieldError("timeout", "must be more than 0 seconds"))
    if not isinstance(max_retries, int) or max_retries < 0:
        problems.append(FieldError("max_retries", "must be a whole number, 0 or more"))
    if problems:
        raise ValidationError(problems, subject="client settings")


def _host_setting(value: str | None, env_name: str, default: str, setting: str) -> str:
    """Argument, then environment variable, then default; errors name where the value came from."""
    if value:
        return normalize_base_url(value, setting)
    from_env = os.environ.get(env_name)
    if from_env:
        return normalize_base_url(from_env, env_name)
    return default


def _default_user_agent() -> str:
    return (
        f"vonage-widgets/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
    )
