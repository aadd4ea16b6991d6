"""Application API v2 semantics of the sandbox, without HTTP: validate, normalise, page.

Validation is :func:`vonage_widgets.models.validate_application` (the same check the form
uses, the spec's rules for video, meetings and network_apis included), plus one rule only a
server can apply: a given ``keys.public_key`` must really be an RSA public key
(:func:`vonage_widgets.keys.load_public_key`). The stored document drops the ``null`` values
the models keep verbatim in those three capabilities, so no response echoes a null the spec
does not allow (:func:`vonage_widgets.models.without_extra_capability_nulls`).

Decisions where Vonage's public material is silent (summed up in ``docs/architecture.md``):

* ``page_size`` defaults to **10** when omitted (the spec's example value; the official SDK
  always sends 100). Allowed 1-100; ``page`` from 1. A page past the end is an empty page.
* An account with **no applications** answers ``page: 1, total_pages: 1, total_items: 0``: the
  official SDK stops paging only when ``page == total_pages`` (``total_pages: 0`` would make it
  ask for page 2 forever).
* **Create** without ``keys.public_key``: an RSA 2048 pair is generated and the private key is
  returned in that one response, never stored, never shown again. ``privacy.improve_ai``
  absent on create is stored as ``true`` (the spec's default). ``capabilities`` absent is
  stored as ``{}`` (what every recorded response shows).
* **Update (PUT)** is a full replacement of ``name``, ``capabilities`` (absent means none) and
  unknown top-level fields. ``keys`` absent, or without ``public_key``, keeps the current key
  (an application cannot lose its key); a new ``public_key`` replaces it and no private key is
  ever returned by an update (unsettled publicly [api-notes §1.6]). ``privacy`` absent keeps
  the stored privacy,
  and ``privacy`` without ``improve_ai`` keeps the stored ``improve_ai``: the update schema
  has no default for it, and a data-use consent should never flip because a field was left
  out (the official SDK's update may omit it).
* ``connection_timeout`` (the old name) is accepted and stored as ``connect_timeout`` (the
  models do this); unknown capabilities and fields are stored and returned verbatim.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Mapping
from typing import Any

from vonage_widgets.errors import FieldError, KeyHandlingError, ValidationError
from vonage_widgets.keys import generate_key_pair, load_public_key
from vonage_widgets.models import validate_application, without_extra_capability_nulls
from vonage_widgets.sandbox.store import StoredApplication

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Created",
    "application_body",
    "list_body",
    "merge_update",
    "new_document",
    "parse_page_params",
    "total_pages",
    "validated_document",
]

DEFAULT_PAGE_SIZE = 10
"""``page_size`` when the query leaves it out [api-notes §1.3]."""
MAX_PAGE_SIZE = 100
"""Largest ``page_size`` ("must be between 1 and 100") [api-notes §1.3]."""

_log = logging.getLogger("vonage_widgets.sandbox")
_COLLECTION = "/v2/applications"
_PUBLIC_KEY_RULE = "must be an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----)"


class Created:
    """A new application's document and, when the sandbox made the key pair, its private key."""

    __slots__ = ("document", "private_key")

    def __init__(self, document: dict[str, Any], private_key: str | None) -> None:
        self.document = document
        self.private_key = private_key

    def __repr__(self) -> str:
        return f"Created(name={self.document.get('name')!r}, private_key=<hidden>)"


def _public_key_errors(data: object) -> list[FieldError]:
    """Check ``keys.public_key`` when it is a string (the models report other types)."""
    keys = data.get("keys") if isinstance(data, Mapping) else None
    text = keys.get("public_key") if isinstance(keys, Mapping) else None
    if not isinstance(text, str):
        return []
    if "PRIVATE KEY" in text:
        return [
            FieldError(
                "keys.public_key",
                "is a private key: send only the public half (-----BEGIN PUBLIC KEY-----); "
                "a private key should never leave your machine",
            )
        ]
    try:
        # bytes, never str: a str without a PEM header would be read as a file path.
        load_public_key(text.encode("utf-8"))
    except KeyHandlingError as error:
        return [FieldError("keys.public_key", f"{_PUBLIC_KEY_RULE}: {error}")]
    return []


def validated_document(data: object) -> dict[str, Any]:
    """Validate a POST/PUT body; return the request-shaped document to store.

    Raises :class:`ValidationError` naming every bad field (model rules and the public key
    check together).
    """
    errors = _public_key_errors(data)
    try:
        application = validate_application(data)
    except ValidationError as error:
        raise ValidationError(error.errors + errors, subject="application") from None
    except Exception as error:  # a bug in a validator must still not become a 5xx
        _log.exception("validate_application failed on a request body")
        reason = f"could not be checked ({type(error).__name__}); please report this"
        raise ValidationError([FieldError("", reason), *errors], subject="application") from None
    if errors:
        raise ValidationError(errors, subject="application")
    document = copy.deepcopy(application.to_api())
    if isinstance(document.get("capabilities"), dict):
        document["capabilities"] = without_extra_capability_nulls(document["capabilities"])
    return document


def new_document(document: dict[str, Any]) -> Created:
    """Apply create defaults; generate a key pair when no public key was given."""
    document = copy.deepcopy(document)
    document.setdefault("capabilities", {})
    privacy = document.setdefault("privacy", {})
    privacy.setdefault("improve_ai", True)
    keys = document.setdefault("keys", {})
    private_key = None
    if not keys.get("public_key"):
        pair = generate_key_pair()
        keys["public_key"] = pair.public_pem
        private_key = pair.private_pem.get_secret_value()
    return Created(document, private_key)


def merge_update(current: Mapping[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The document a PUT leaves behind (see the module docstring for the rules)."""
    merged = copy.deepcopy(document)
    merged.setdefault("capabilities", {})
    old_keys = current.get("keys") or {}
    new_keys = merged.get("keys") or {}
    if not new_keys.get("public_key"):
        merged["keys"] = {**new_keys, **copy.deepcopy(old_keys)}
    old_privacy = current.get("privacy")
    if "privacy" not in merged:
        if old_privacy is not None:
            merged["privacy"] = copy.deepcopy(old_privacy)
    elif (
        "improve_ai" not in merged["privacy"]
        and isinstance(old_privacy, Mapping)
        and "improve_ai" in old_privacy
    ):
        merged["privacy"]["improve_ai"] = old_privacy["improve_ai"]
    return merged


def application_body(stored: StoredApplication, private_key: str | None = None) -> dict[str, Any]:
    """The response body: id, name, keys, privacy, capabilities, unknown fields, ``_links``."""
    document = stored.document
    body: dict[str, Any] = {"id": stored.id, "name": document.get("name")}
    keys = dict(document.get("keys") or {})
    if private_key is not None:
        keys["private_key"] = private_key
    if keys:
        body["keys"] = keys
    if "privacy" in document:
        body["privacy"] = document["privacy"]
    body["capabilities"] = document.get("capabilities", {})
    for name, value in document.items():
        body.setdefault(name, value)
    body["_links"] = {"self": {"href": f"{_COLLECTION}/{stored.id}"}}
    return body


def parse_page_params(query: Mapping[str, str]) -> tuple[int, int]:
    """``(page, page_size)`` from the query; raises ValidationError for both at once."""
    errors: list[FieldError] = []

    def read(name: str, default: int, high: int | None) -> int:
        raw = query.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            errors.append(FieldError(name, "must be an integer"))
            return default
        if value < 1 or (high is not None and value > high):
            rule = f"must be between 1 and {high}" if high else "must be 1 or more"
            errors.append(FieldError(name, rule))
        return value

    page_size = read("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    page = read("page", 1, None)
    if errors:
        raise ValidationError(errors, subject="list query")
    return page, page_size


def total_pages(total_items: int, page_size: int) -> int:
    """Pages at this size; never 0 (see the module docstring)."""
    return max(1, math.ceil(total_items / page_size))


def list_body(
    page: int, page_size: int, total_items: int, applications: list[dict[str, Any]]
) -> dict[str, Any]:
    """The HAL list body, links shaped like the recorded responses [api-notes §1.3]."""
    pages = total_pages(total_items, page_size)

    def href(number: int | None) -> dict[str, str]:
        query = f"page_size={page_size}" + ("" if number is None else f"&page={number}")
        return {"href": f"{_COLLECTION}?{query}"}

    links = {"self": href(page), "first": href(None), "last": href(pages)}
    if page < pages:
        links["next"] = href(page + 1)
    if page > 1:
        links["prev"] = href(min(page - 1, pages))
    return {
        "page_size": page_size,
        "page": page,
        "total_items": total_items,
        "total_pages": pages,
        "_embedded": {"applications": applications},
        "_links": links,
    }
