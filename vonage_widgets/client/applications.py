"""The Application API v2 on the api host: list, get, create, update, delete [api-notes §1].

Requests are checked against the models first, so bad input never reaches the network, and a
private key given as the public key is refused before anything is sent.
"""

from __future__ import annotations

import builtins
from collections.abc import Generator, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from vonage_widgets.client._http import HttpSession, json_object
from vonage_widgets.client._paging import (
    MAX_PAGE_SIZE,
    ProgressCallback,
    gc_paused,
    range_problems,
    stream_pages,
)
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import Application, ApplicationPage, validate_application
from vonage_widgets.models._wire import compact

__all__ = ["ApplicationsApi"]


class ApplicationsApi:
    """The Application API v2 (``/v2/applications`` on the api host) [api-notes §1.1]."""

    def __init__(self, session: HttpSession, base_url: str) -> None:
        self._session = session
        self._url = f"{base_url}/v2/applications"

    def list(self, page: int = 1, page_size: int = MAX_PAGE_SIZE) -> ApplicationPage:
        """One page of the account's applications (``page`` starts at 1)."""
        return _application_page(self._fetch_page(page, page_size))

    def _fetch_page(self, page: int, page_size: int) -> httpx.Response:
        """The raw answer for one list page (checked arguments, retries, API errors)."""
        problems = range_problems("page_size", page_size, 1, MAX_PAGE_SIZE)
        problems += range_problems("page", page, 1, None)
        if problems:
            raise ValidationError(problems, subject="application list request")
        params = {"page_size": page_size, "page": page}
        return self._session.request("GET", self._url, params=params)

    def iter(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Application]:
        """Every application, one page at a time, in the API's order.

        Stops at ``total_pages`` or at the first empty page, so an empty account (reported
        as ``total_pages`` 0, or as page 1 of 0, the quirk of [api-notes §1.3]) yields nothing.
        """
        page_number = 1
        while True:
            page = self.list(page_number, page_size)
            yield from page.applications
            if not page.applications or page_number >= page.total_pages:
                return
            page_number += 1

    def iter_all(
        self, page_size: int = MAX_PAGE_SIZE, progress: ProgressCallback | None = None
    ) -> Generator[Application, None, None]:
        """Every application, in the API's order, with later pages fetched while you read.

        As fast as :meth:`list_all` and as light as :meth:`iter`: pages 2..n are fetched
        concurrently (:data:`PAGE_WORKERS` threads, at most :data:`PAGE_WINDOW` pages
        ahead), yet yielded in order and dropped once read, so
        ``capabilities_table(client.applications.iter_all())`` never holds every model.
        Stopping early (``break``, or ``close()`` on the generator) cancels the pages not
        yet requested. ``progress`` is called in the reading thread as each page is reached.
        """

        def first_page() -> tuple[builtins.list[Application], int]:
            page = self.list(1, page_size)
            return page.applications, page.total_pages if page.applications else 0

        # Returned, not re-yielded: one generator fewer for each of 10,000 items. Nothing
        # is sent before the first item is asked for.
        return stream_pages(
            first_page,
            lambda number: self._fetch_page(number, page_size),
            lambda response: _application_page(response).applications,
            progress,
        )

    def list_all(
        self, page_size: int = MAX_PAGE_SIZE, progress: ProgressCallback | None = None
    ) -> builtins.list[Application]:
        """Every application as one list, in the API's order.

        Page 1 says how many pages there are; the rest are fetched concurrently by
        :data:`PAGE_WORKERS` threads sharing the client's connection pool. To build a table
        of a large account without holding every model, use :meth:`iter_all`.

        Each kept model shares its set of given field names and its empty extras with the
        others (:func:`vonage_widgets.models._wire.compact`): about 40% less memory, with
        every field, unknown field and check kept.
        """
        with gc_paused():
            return [compact(app) for app in self.iter_all(page_size, progress)]

    def get(self, application_id: str) -> Application:
        """One application by id (never carries a private key: Vonage shows it only once)."""
        return Application.from_api(self._get_json(self._item_url(application_id)))

    def create(self, app: Application | Mapping[str, Any]) -> Application:
        """Create an application; checked locally first, so bad input never reaches the network.

        When the request has no public key Vonage generates a pair and the answer carries
        ``keys.private_key`` (shown this once only, [api-notes §1.6]): save it with
        :func:`vonage_widgets.keys.save_private_key`.
        """
        body = _application_body(app)
        response = self._session.request("POST", self._url, json_body=body)
        return Application.from_api(json_object(response))

    def update(self, application_id: str, app: Application | Mapping[str, Any]) -> Application:
        """Replace an application with ``app`` (PUT of the full document, [api-notes §1.7]).

        ``to_api()`` keeps capabilities and fields the models do not know, so they survive.
        """
        url = self._item_url(application_id)
        response = self._session.request("PUT", url, json_body=_application_body(app))
        return Application.from_api(json_object(response))

    def delete(self, application_id: str) -> None:
        """Delete an application. This cannot be undone [api-notes §1.1]."""
        self._session.request("DELETE", self._item_url(application_id))

    def _item_url(self, application_id: str) -> str:
        if not isinstance(application_id, str) or not application_id.strip():
            raise ValidationError(
                [FieldError("id", "must be a non-empty application id")], subject="application id"
            )
        return f"{self._url}/{quote(application_id.strip(), safe='')}"

    def _get_json(self, url: str, params: Mapping[str, str | int] | None = None) -> Any:
        return json_object(self._session.request("GET", url, params=params))


def _application_body(app: Application | Mapping[str, Any]) -> dict[str, Any]:
    """The POST/PUT body, validated: both a model and a mapping go through one check."""
    candidate = app.to_api() if isinstance(app, Application) else app
    _refuse_private_public_key(candidate)
    body = validate_application(candidate).to_api()
    _refuse_private_public_key(body)  # after normalisation too: the body is what is sent
    return body


_PRIVATE_AS_PUBLIC = (
    "is a private key: send only the public key (-----BEGIN PUBLIC KEY-----); "
    "a private key must never leave your machine, so nothing was sent"
)


def _refuse_private_public_key(data: object) -> None:
    """Refuse, before anything is sent, a private key given as ``keys.public_key``.

    Vonage only needs the public half [api-notes §1.6]; a private key in the request would
    cross the network and be stored by the server. The message never shows the key.
    """
    keys = data.get("keys") if isinstance(data, Mapping) else None
    text = keys.get("public_key") if isinstance(keys, Mapping) else None
    if isinstance(text, str | bytes) and _looks_private(text):
        raise ValidationError(
            [FieldError("keys.public_key", _PRIVATE_AS_PUBLIC)], subject="application"
        )


def _looks_private(text: str | bytes) -> bool:
    raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
    return "PRIVATE KEY" in raw.upper()


def _application_page(response: httpx.Response) -> ApplicationPage:
    """Read a ``GET /v2/applications`` answer (raises ValidationError / ApiError).

    The collector is paused while one page is decoded and modelled (a few milliseconds):
    a page of 100 makes ~5,000 objects that all live until the page is read, so collecting
    on the way only moves them up the generations, and that cost ~20% of streaming a large
    account into a table (benchmarks/listing.py). See :func:`_gc_paused`.
    """
    with gc_paused():
        return ApplicationPage.from_api(json_object(response))
