"""The :class:`Ncco` list of typed actions (also a fluent builder) and :func:`parse_ncco`.

:func:`parse_ncco` turns NCCO JSON into typed actions; :meth:`Ncco.to_list` gives back exactly
the JSON that came in (unknown keys, aliases and key order kept; no defaults added).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, MutableSequence, Sequence
from typing import Any, Self, overload

import pydantic

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models._wire import built
from vonage_widgets.models.ncco.actions import (
    ACTIONS,
    Connect,
    Conversation,
    Notify,
    Record,
    Transfer,
    Wait,
)
from vonage_widgets.models.ncco.base import WIRE_CONTEXT, Action, NccoWireModel
from vonage_widgets.models.ncco.prompts import Input, Stream, Talk
from vonage_widgets.models.ncco.validate import (
    NccoCheck,
    check_ncco,
    translate_error,
    validate_ncco,
)

__all__ = ["Ncco", "parse_ncco"]

NCCO = "NCCO"


def parse_ncco(data: object, *, strict: bool = False) -> Ncco:
    """Turn ``data`` (the JSON value of an NCCO) into an :class:`Ncco` of typed actions.

    Raises :class:`~vonage_widgets.errors.ValidationError` (subject ``"NCCO"``, listing every
    problem) when ``data`` cannot be typed: not an array, an item that is not an object, an
    unknown action, or a field of the wrong type or out of range. Rule problems that leave
    the actions typeable (unknown keys, the bargeIn sequence, size limits, ...) only raise
    with ``strict=True``; otherwise see :meth:`Ncco.check`.
    """
    result = check_ncco(data)
    if not result.typed or (strict and result.errors):
        raise ValidationError(result.errors, subject=NCCO)
    return Ncco(action for action in result.actions if action is not None)


class Ncco(MutableSequence[Action]):
    """An NCCO: a list of typed actions that is also a fluent builder.

    Builder methods append one action and return ``self``; a field that breaks its own type
    or range raises at once, while sequence rules are checked by :meth:`build`. Options are
    passed by their JSON names (``bargeIn=True``; ``from_`` for ``from``).
    """

    def __init__(self, actions: Iterable[Action] = ()) -> None:
        self._actions: list[Action] = list(actions)

    # -- list-like -------------------------------------------------------------------------

    @property
    def actions(self) -> tuple[Action, ...]:
        """The actions in running order."""
        return tuple(self._actions)

    @overload
    def __getitem__(self, index: int) -> Action: ...
    @overload
    def __getitem__(self, index: slice) -> Ncco: ...
    def __getitem__(self, index: int | slice) -> Action | Ncco:
        if isinstance(index, slice):
            return Ncco(self._actions[index])
        return self._actions[index]

    @overload
    def __setitem__(self, index: int, value: Action) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[Action]) -> None: ...
    def __setitem__(self, index: int | slice, value: Any) -> None:
        self._actions[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._actions[index]

    def __len__(self) -> int:
        return len(self._actions)

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions)

    def insert(self, index: int, value: Action) -> None:
        """Insert an action before ``index``."""
        self._actions.insert(index, value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ncco):
            return self.to_list() == other.to_list()
        if isinstance(other, list):
            return self.to_list() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Ncco({self.to_list()!r})"

    # -- JSON ------------------------------------------------------------------------------

    def to_list(self) -> list[dict[str, Any]]:
        """The NCCO as JSON-ready data: exactly the keys given, in their order."""
        return [
            action.model_dump(mode="json", by_alias=True, exclude_unset=True)
            for action in self._actions
        ]

    def to_json(self, *, indent: int | None = None) -> str:
        """The NCCO as JSON text (what an answer webhook returns)."""
        return json.dumps(self.to_list(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes, *, strict: bool = False) -> Ncco:
        """Parse JSON text; bad JSON is a :class:`ValidationError` like any other problem.

        Decoded by :func:`vonage_widgets._json.loads`: deep nesting, NaN, huge numbers and
        lone surrogates are refused with the rule they break.
        """
        return parse_ncco(loads(text, subject=NCCO), strict=strict)

    # -- validation ------------------------------------------------------------------------

    def check(self) -> NccoCheck:
        """Errors and warnings for the NCCO as it would be sent."""
        return check_ncco(self.to_list())

    @property
    def errors(self) -> list[FieldError]:
        """Every rule the NCCO breaks (empty when valid)."""
        return self.check().errors

    @property
    def warnings(self) -> list[FieldError]:
        """Allowed but suspicious things: clamped waits, unreachable actions, ..."""
        return self.check().warnings

    def build(self) -> list[dict[str, Any]]:
        """The validated JSON-ready NCCO; raises :class:`ValidationError` if a rule is broken."""
        data = self.to_list()
        errors = validate_ncco(data)
        if errors:
            raise ValidationError(errors, subject=NCCO)
        return data

    # -- builder ---------------------------------------------------------------------------

    def add(self, action: Action | Mapping[str, Any]) -> Self:
        """Append an action model, or an action given as its JSON object."""
        if isinstance(action, Action):
            self._actions.append(action)
            return self
        data = dict(action)
        name = data.get("action")
        cls = ACTIONS.get(name) if isinstance(name, str) else None
        if cls is None:
            result = check_ncco([data])
            raise ValidationError(_renumber(result.errors, len(self)), subject=NCCO)
        return self._append(cls, data, wire=True)

    def record(self, **options: Any) -> Self:
        """Record the call (``eventUrl`` receives the recording URL) [api-notes §5.2]."""
        return self._append(Record, {"action": "record", **options})

    def conversation(self, name: str, **options: Any) -> Self:
        """Join the named conversation [api-notes §5.3]."""
        return self._append(Conversation, {"action": "conversation", "name": name, **options})

    def connect(self, endpoint: NccoWireModel | Mapping[str, Any], **options: Any) -> Self:
        """Connect the call to one endpoint (an endpoint model or its JSON object)."""
        return self._append(Connect, {"action": "connect", **options, "endpoint": [endpoint]})

    def connect_phone(self, number: str, **options: Any) -> Self:
        """Connect to a phone number (E.164 digits, e.g. ``447700900001``)."""
        return self.connect({"type": "phone", "number": number}, **options)

    def connect_app(self, user: str, **options: Any) -> Self:
        """Connect to a Client SDK user of this application."""
        return self.connect({"type": "app", "user": user}, **options)

    def connect_websocket(
        self,
        uri: str,
        content_type: str = "audio/l16;rate=16000",
        headers: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Self:
        """Connect to a websocket that streams raw audio (8, 16 or 24 kHz linear PCM)."""
        endpoint: dict[str, Any] = {"type": "websocket", "uri": uri, "content-type": content_type}
        if headers is not None:
            endpoint["headers"] = dict(headers)
        return self.connect(endpoint, **options)

    def connect_sip(
        self,
        uri: str | None = None,
        *,
        user: str | None = None,
        domain: str | None = None,
        headers: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> Self:
        """Connect to a SIP URI, or to ``user`` at a SIP trunk ``domain``."""
        endpoint = {"type": "sip", "uri": uri, "user": user, "domain": domain, "headers": headers}
        return self.connect({k: v for k, v in endpoint.items() if v is not None}, **options)

    def connect_vbc(self, extension: str, **options: Any) -> Self:
        """Connect to a Vonage Business Communications extension."""
        return self.connect({"type": "vbc", "extension": extension}, **options)

    def talk(self, text: str, **options: Any) -> Self:
        """Speak ``text`` (up to 1500 characters outside SSML tags) [api-notes §5.6]."""
        return self._append(Talk, {"action": "talk", "text": text, **options})

    def stream(self, url: str, **options: Any) -> Self:
        """Play the audio file at ``url`` [api-notes §5.7]."""
        return self._append(Stream, {"action": "stream", "streamUrl": [url], **options})

    def input(self, type: Sequence[str] = ("dtmf",), **options: Any) -> Self:
        """Collect DTMF and/or speech; options such as ``dtmf={"maxDigits": 1}``, ``eventUrl``."""
        return self._append(Input, {"action": "input", "type": list(type), **options})

    def notify(
        self, payload: Mapping[str, Any], event_url: str | Sequence[str], **options: Any
    ) -> Self:
        """Send ``payload`` to ``event_url``; its reply may be a new NCCO [api-notes §5.9]."""
        urls = [event_url] if isinstance(event_url, str) else list(event_url)
        data = {"action": "notify", "payload": dict(payload), "eventUrl": urls, **options}
        return self._append(Notify, data)

    def wait(self, timeout: float | None = None) -> Self:
        """Pause for ``timeout`` seconds (Vonage clamps it to 0.1-7200; default 10)."""
        data: dict[str, Any] = {"action": "wait"}
        if timeout is not None:
            data["timeout"] = timeout
        return self._append(Wait, data)

    def transfer(self, conversation_id: str, **options: Any) -> Self:
        """Move all legs into another conversation; ends this NCCO [api-notes §5.11]."""
        data = {"action": "transfer", "conversationId": conversation_id, **options}
        return self._append(Transfer, data)

    def _append(self, cls: type[Action], data: dict[str, Any], *, wire: bool = False) -> Self:
        try:
            action = built(cls).model_validate(data, context=WIRE_CONTEXT if wire else None)
        except pydantic.ValidationError as exc:
            where = str(len(self))
            raise ValidationError(
                [translate_error(where, error) for error in exc.errors()], subject=NCCO
            ) from None
        self._actions.append(action)
        return self


def _renumber(errors: list[FieldError], index: int) -> list[FieldError]:
    """Errors of a one-action check, re-pathed to the position the action would take."""
    out = []
    for error in errors:
        head, dot, rest = error.path.partition(".")
        path = f"{index}{dot}{rest}" if head == "0" else error.path
        out.append(FieldError(path, error.message))
    return out
