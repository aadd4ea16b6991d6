"""Decoding untrusted JSON text without surprises: every failure is a ValidationError.

``json.loads`` fails in many ways besides ``JSONDecodeError``: ``RecursionError`` on deep
nesting, ``ValueError`` on integers past Python's digit limit, ``UnicodeDecodeError`` on
bytes; and it accepts things that are not JSON (``NaN``, ``Infinity``) or that break later
(``1e400`` becomes ``inf``; ``"\\ud800"`` becomes a lone surrogate that cannot be encoded as
UTF-8 again, so storing, sending or printing it fails far from the cause). :func:`loads`
turns all of these into one :class:`~vonage_widgets.errors.ValidationError` whose
:class:`~vonage_widgets.errors.FieldError` names where and which rule, so every place that
reads JSON from outside (files, HTTP bodies, webhook replies) refuses bad input the same way.

Decisions (the JSON RFC leaves these to the implementation):

* Nesting is limited to :data:`MAX_JSON_DEPTH` levels, checked by a scan *before* parsing,
  so a hostile document never recurses at all; no body this package reads comes close.
* Integers are limited to :data:`MAX_INT_DIGITS` digits (Python's default conversion limit,
  fixed here so the rule does not depend on the interpreter's settings).
* Lone surrogates are refused everywhere: every consumer in this package stores, sends,
  shows or re-encodes what it reads, and none of that works for them.
* ``NaN``, ``Infinity`` and numbers beyond the float range are refused: they are not JSON
  numbers, and cannot be sent back as JSON.
* A UTF-8 byte order mark at the start is skipped (Windows editors write one).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from vonage_widgets.errors import FieldError, ValidationError

__all__ = [
    "MAX_INT_DIGITS",
    "MAX_JSON_DEPTH",
    "load_file",
    "loads",
    "lone_surrogate_errors",
    "nesting_problem",
]

MAX_JSON_DEPTH = 100
"""Most levels of nested arrays and objects accepted (this package's limit, not Vonage's)."""
MAX_INT_DIGITS = 4300
"""Most digits in one JSON integer (Python's default ``int`` conversion limit)."""

_MAX_LISTED_SURROGATES = 20  # more are summed up in one error, so the message stays readable

_DEPTH_RULE = f"arrays and objects may nest at most {MAX_JSON_DEPTH} levels"
_BOM = "\ufeff"
# A JSON string (the unrolled form scans fast, even through a 20 MB string), or a bracket.
_STRING_PATTERN = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_STRING_OR_BRACKET = re.compile(_STRING_PATTERN + r"|[\[\]{}]", re.DOTALL)
# For the byte scan of _depth_at_most_limit: braces read as square brackets, and every byte
# but quotes and brackets deleted; then a string is a quoted run of brackets.
_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'"[]{}')
_QUOTED = re.compile(rb'"[^"]*"')
# Only these can produce a lone surrogate: an escape \uD800-\uDFFF, or one already in a str.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_OPENING = frozenset("[{")
_CLOSING = frozenset("]}")
_BAD_KEY = object()  # stands, in the walk below, for an object key with a lone surrogate


class _Refused(Exception):
    """Raised from inside a ``json.loads`` hook; carries the rule the document broke."""


def loads(text: str | bytes, *, subject: str, path: str = "", unique_keys: bool = False) -> Any:
    """Decode ``text`` (bytes must be UTF-8) as one JSON value, or raise ValidationError.

    ``subject`` names the document in the error (``"application file 'app.json'"``);
    ``path`` is the field path of the document as a whole (``""``, or say ``"body"`` when the
    JSON sits in a field); a lone surrogate is reported at the path of its string inside
    the document. ``unique_keys=True`` also refuses an object with the same key twice
    (``json.loads`` silently keeps the last one, which hides mistakes in files people edit).
    """

    def refuse(message: str) -> ValidationError:
        return ValidationError([FieldError(path, message)], subject=subject)

    if isinstance(text, bytes):
        bom = 3 if text.startswith(_BOM.encode("utf-8")) else 0
        try:
            text = text[bom:].decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"is not UTF-8 text (bad byte at offset {error.start + bom})"
            raise refuse(message) from None
    else:
        text = text.removeprefix(_BOM)
    too_deep = nesting_problem(text)
    if too_deep is not None:
        raise refuse(too_deep)
    try:
        data = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            object_pairs_hook=_unique_object if unique_keys else None,
        )
    except json.JSONDecodeError as error:
        message = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise refuse(message) from None
    except _Refused as error:
        raise refuse(str(error)) from None
    except RecursionError:  # the depth scan makes this unreachable; kept as a guard
        raise refuse(f"is nested too deeply: {_DEPTH_RULE}") from None
    except ValueError as error:  # a conversion limit of the interpreter, stricter than ours
        raise refuse(f"is not valid JSON: {error}") from None
    if _SURROGATE_ESCAPE.search(text) or (not text.isascii() and _SURROGATE.search(text)):
        problems = lone_surrogate_errors(data, path)
        if problems:
            raise ValidationError(problems, subject=subject)
    return data


def load_file(path: str | os.PathLike[str], *, subject: str, unique_keys: bool = False) -> Any:
    """The JSON value in file ``path``, decoded by :func:`loads`; or ValidationError.

    A file that is missing, a folder or unreadable is refused at path ``""`` with the reason,
    like bad JSON, so callers have one error type to show.
    """

    def refuse(message: str) -> ValidationError:
        return ValidationError([FieldError("", message)], subject=subject)

    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise refuse("does not exist") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror or type(error).__name__}") from None
    return loads(raw, subject=subject, unique_keys=unique_keys)


def nesting_problem(text: str) -> str | None:
    """Why ``text`` is nested too deeply to decode (a message naming the rule), or None.

    A scan of the text, without parsing or recursion, fast enough to run before every
    decode. For decoders that cannot use :func:`loads`; it runs this check itself.
    """
    offset = _too_deep_at(text)
    if offset is None:
        return None
    line, column = _line_column(text, offset)
    return (
        f"is nested too deeply: {_DEPTH_RULE} (level {MAX_JSON_DEPTH + 1} opens at line "
        f"{line}, column {column})"
    )


def _too_deep_at(text: str) -> int | None:
    """Offset of the first bracket nested deeper than the limit, or None."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return None  # too few brackets to be too deep
    if _depth_at_most_limit(text):
        return None
    depth = 0  # slow pass, only for a document being refused: where the limit is passed
    for match in _STRING_OR_BRACKET.finditer(text):
        lexeme = match.group()
        if lexeme in _OPENING:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return match.start()
        elif lexeme in _CLOSING:
            depth -= 1  # unbalanced brackets are json.loads's to report
    return None


def _depth_at_most_limit(text: str) -> bool:
    """True when ``text`` surely nests at most the limit; False means "look closer".

    Every step is one C loop over bytes (a list page of 100 applications, ~90 kB, takes
    ~0.1 ms; the regex scan it replaced took ~1.3 ms, most of the cost of reading a page):

    1. Escaped backslashes, then escaped quotes, are removed, so every ``"`` left opens or
       closes a string.
    2. Everything but quotes and brackets is deleted, and ``{}`` become ``[]`` (for nesting
       depth the kind of bracket does not matter; mismatches are the parser's to report).
    3. Strings are dropped: as ``""`` pairs when no string holds a bracket (then no quote is
       left over), else by a regex over the few bytes left.
    4. Each pass of ``replace(b"[]", b"")`` removes exactly the innermost level, so the
       document nests at most the limit when that many passes empty it.
    """
    raw = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = raw.translate(_AS_SQUARE, _NOT_STRUCTURE)
    structure = marks.replace(b'""', b"")
    if b'"' in structure:
        structure = _QUOTED.sub(b"", marks)
    for _ in range(MAX_JSON_DEPTH):
        if not structure:
            return True
        structure = structure.replace(b"[]", b"")
    return not structure


def _line_column(text: str, offset: int) -> tuple[int, int]:
    # Counted like json.JSONDecodeError does: both from 1.
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _parse_int(digits: str) -> int:
    count = len(digits.lstrip("-"))
    if count > MAX_INT_DIGITS:
        raise _Refused(
            f"is not valid JSON: an integer may have at most {MAX_INT_DIGITS} digits "
            f"(one has {count})"
        )
    return int(digits)


def _parse_float(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        shown = number if len(number) <= 30 else number[:27] + "..."
        raise _Refused(f"is not valid JSON: the number {shown} is too large (beyond a float)")
    return value


def _parse_constant(name: str) -> Any:
    raise _Refused(f"is not valid JSON: {name} is not a JSON number")


def _unique_object(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            shown = _printable(key)
            raise _Refused(f"is not valid JSON: the key {shown!r} appears twice in one object")
        result[key] = value
    return result


def lone_surrogate_errors(data: Any, path: str = "") -> list[FieldError]:
    """One error per string or object key in ``data`` holding a lone surrogate (``"\\ud800"``).

    Such a str is valid Python but not Unicode text, so it cannot be encoded as UTF-8 (sent,
    stored, shown). Paths are dotted from ``path``, with any bad key escaped (``\\ud800``)
    so the error itself can be printed. ``data`` is a tree of JSON values (dicts, lists,
    strings, numbers; no cycles, as after ``json.dumps`` or :func:`loads`); other objects
    are ignored.
    """
    rule = "must be valid Unicode text (no lone surrogates such as \\ud800)"
    found = list(_surrogate_paths(data, path))
    errors = [FieldError(where, rule) for where in found[:_MAX_LISTED_SURROGATES]]
    if len(found) > _MAX_LISTED_SURROGATES:
        more = len(found) - _MAX_LISTED_SURROGATES
        errors.append(FieldError(path, f"has {more} more strings with lone surrogates"))
    return errors


def _surrogate_paths(data: Any, path: str) -> Iterator[str]:
    """Paths of strings and keys holding a lone surrogate, in document order."""
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:  # a loop, not recursion: any depth is fine
        where, value = stack.pop()
        if value is _BAD_KEY or (isinstance(value, str) and _has_surrogate(value)):
            yield where
        elif isinstance(value, dict):
            children: list[tuple[str, Any]] = []
            for key, item in value.items():
                child = _join(where, _printable(str(key)))
                if isinstance(key, str) and _has_surrogate(key):
                    children.append((child, _BAD_KEY))
                children.append((child, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(_join(where, str(i)), v) for i, v in enumerate(value)]))


def _has_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def _printable(text: str) -> str:
    # A path or message holding a lone surrogate could not be printed or logged.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _join(parent: str, child: str) -> str:
    return f"{parent}.{child}" if parent else child
