"""What the layers above need from a client, as one Protocol: :class:`ApiClient`.

:class:`~vonage_widgets.client.VonageClient` has it; linking, the widgets and the application
writes are typed against it, so a test double or another client with the same calls works too.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, Unpack

from vonage_widgets.client._paging import ProgressCallback
from vonage_widgets.client.numbers import NumberFilterArgs, NumberFilters
from vonage_widgets.models import Application, OwnedNumber

__all__ = ["ApiClient", "ApplicationsCalls", "NumbersCalls"]


class ApplicationsCalls(Protocol):
    """The Application API calls used above the client (``client.applications``)."""

    def list_all(self) -> builtins.list[Application]: ...
    def get(self, application_id: str) -> Application: ...
    def create(self, app: Application | Mapping[str, Any]) -> Application: ...
    def update(self, application_id: str, app: Application | Mapping[str, Any]) -> Application: ...
    def delete(self, application_id: str) -> None: ...


class NumbersCalls(Protocol):
    """The Numbers API calls used above the client (``client.numbers``)."""

    def iter(
        self, *, filters: NumberFilters | None = None, **filter_args: Unpack[NumberFilterArgs]
    ) -> Iterator[OwnedNumber]: ...
    def list_all(
        self,
        progress: ProgressCallback | None = None,
        *,
        filters: NumberFilters | None = None,
        **filter_args: Unpack[NumberFilterArgs],
    ) -> builtins.list[OwnedNumber]: ...
    def update(self, msisdn: str, country: str | None = None, **routing: str) -> None: ...


class ApiClient(Protocol):
    """A client of both APIs: ``applications`` and ``numbers`` (``VonageClient`` has them)."""

    @property
    def applications(self) -> ApplicationsCalls:
        """The Application API calls."""
        ...

    @property
    def numbers(self) -> NumbersCalls:
        """The Numbers API calls."""
        ...
