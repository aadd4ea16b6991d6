"""vonage_widgets._json.loads: every way JSON text can fail is one ValidationError.

Each refusal names the subject, the path (the document's, or the bad string's inside it)
and the rule; nothing else (RecursionError, a bare ValueError, UnicodeDecodeError) escapes.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from vonage_widgets._json import (
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    loads,
    lone_surrogate_errors,
    nesting_problem,
)
from vonage_widgets.errors import FieldError, ValidationError


def _refusal(text: str | bytes, **options: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        loads(text, subject="the test document", **options)
    error = caught.value
    assert error.subject == "the test document"
    str(error).encode("utf-8")  # the message itself can always be printed and logged
    return error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2.5, "x", null, true]}', {"a": [1, 2.5, "x", None, True]}),
        (b'{"a": "\xc3\xa9"}', {"a": "\u00e9"}),
        (b"\xef\xbb\xbf[1]", [1]),  # a UTF-8 byte order mark is skipped
        ("\ufeff[1]", [1]),
        ('["\\ud83d\\ude00"]', ["\U0001f600"]),  # a surrogate pair is one character
        ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, json.loads("[" * 100 + "]" * 100)),
        ('["' + "[" * 500 + '"]', ["[" * 500]),  # brackets in strings are no nesting
        ('["\\"' + "[" * 500 + '"]', ['"' + "[" * 500]),  # nor after an escaped quote
        ("9" * MAX_INT_DIGITS, int("9" * MAX_INT_DIGITS)),
        ('{"a": 1, "a": 2}', {"a": 2}),  # duplicate keys: the last wins unless unique_keys
    ],
)
def test_valid_json_is_decoded(text: str | bytes, expected: Any) -> None:
    assert loads(text, subject="x") == expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("[1,", "is not valid JSON: Expecting value at line 1, column 4"),
        ("", "is not valid JSON: Expecting value at line 1, column 1"),
        ('{"a": 1} x', "is not valid JSON: Extra data at line 1, column 10"),
        ('{"v": NaN}', "NaN is not a JSON number"),
        ("[-Infinity]", "-Infinity is not a JSON number"),
        ("[1e400]", "is not valid JSON: the number 1e400 is too large"),
        (b"[\xff]", "is not UTF-8 text (bad byte at offset 1)"),
        (b"\xef\xbb\xbf[\xff]", "is not UTF-8 text (bad byte at offset 4)"),
        ('["a"]'.encode("utf-16"), "is not UTF-8 text"),
        (
            "[" + "9" * (MAX_INT_DIGITS + 1) + "]",
            f"is not valid JSON: an integer may have at most {MAX_INT_DIGITS} digits",
        ),
        ("[-" + "9" * 5000 + "]", "(one has 5000)"),
    ],
)
def test_bad_json_names_the_rule_at_the_document_path(text: str | bytes, rule: str) -> None:
    error = _refusal(text, path="body")
    assert error.paths == ["body"]
    assert rule in error.errors[0].message


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000, 1_000_000])
def test_deep_nesting_is_refused_without_recursing(depth: int) -> None:
    text = '{"a": ' * depth + "1" + "}" * depth
    started = time.perf_counter()
    error = _refusal(text)
    assert time.perf_counter() - started < 5
    assert error.paths == [""]
    message = error.errors[0].message
    assert message == (
        f"is nested too deeply: arrays and objects may nest at most {MAX_JSON_DEPTH} levels "
        f"(level {MAX_JSON_DEPTH + 1} opens at line 1, column {6 * MAX_JSON_DEPTH + 1})"
    )


def test_deep_nesting_position_counts_lines() -> None:
    text = "[\n" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert "line 101, column 1" in _refusal(text).errors[0].message


def test_nesting_problem_checks_without_parsing() -> None:
    assert nesting_problem("[" * MAX_JSON_DEPTH + "not even JSON") is None
    assert nesting_problem('{"a": "' + "[" * 1000 + '"}') is None
    problem = nesting_problem("[" * 1_000_000)
    assert problem is not None
    assert problem.startswith("is nested too deeply: ")


def test_unbalanced_brackets_are_a_syntax_error_not_a_depth_error() -> None:
    text = "[]" * 500 + "]"
    assert "is not valid JSON: Extra data" in _refusal(text).errors[0].message


def test_duplicate_keys_are_refused_on_request() -> None:
    error = _refusal('{"a": {"b": 1, "b": 2}}', unique_keys=True)
    assert error.errors == [
        FieldError("", "is not valid JSON: the key 'b' appears twice in one object")
    ]


def test_lone_surrogates_are_refused_at_the_path_of_their_string() -> None:
    text = '{"ok": "\\ud83d\\ude00", "list": ["x", "a\\ud800"], "k\\udc00": {"t": "\\uDBFF"}}'
    error = _refusal(text, path="body")
    rule = "must be valid Unicode text (no lone surrogates such as \\ud800)"
    assert error.errors == [
        FieldError("body.list.1", rule),
        FieldError("body.k\\udc00", rule),  # the bad key, escaped so it can be printed
        FieldError("body.k\\udc00.t", rule),
    ]


def test_a_literal_lone_surrogate_in_a_str_is_refused_too() -> None:
    assert _refusal('["\ud800"]').paths == ["0"]


def test_many_lone_surrogates_are_summed_up() -> None:
    error = _refusal(json.dumps(["\ud800"] * 50))
    assert error.paths[:20] == [str(i) for i in range(20)]
    assert error.errors[20] == FieldError("", "has 30 more strings with lone surrogates")
    assert len(error.errors) == 21


def test_lone_surrogate_errors_on_python_values() -> None:
    assert lone_surrogate_errors({"a": ["fine", 1, None, 2.5, {3: "x"}]}) == []
    assert lone_surrogate_errors({"a": [{"b": "\udfff"}]}, "top") == [
        FieldError("top.a.0.b", "must be valid Unicode text (no lone surrogates such as \\ud800)")
    ]


def test_a_large_flat_document_is_fast() -> None:
    # 20 MB in one string and 100 000 small objects: the depth check must not dominate.
    big_string = '{"name": "' + "x" * 20_000_000 + '"}'
    many = json.dumps([{"a": [1, 2], "b": {"c": 'd"]'}} for _ in range(100_000)])
    started = time.perf_counter()
    assert len(loads(big_string, subject="x")["name"]) == 20_000_000
    assert len(loads(many, subject="x")) == 100_000
    assert time.perf_counter() - started < 5


def _true_depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    return 0


def _nested(depth: int, leaf: Any, wrappers: str) -> Any:
    """``leaf`` inside ``depth`` containers, list or object by ``wrappers``' letters."""
    value = leaf
    for level in range(depth):
        value = [value] if wrappers[level % len(wrappers)] == "l" else {"k[{": value}
    return value


# Strings that could fool a text scan: brackets, escaped quotes and backslash runs.
_TRICKY_STRINGS = ["", "[[[", "}}]]", '"', '\\"[', "\\", "\\\\", '\\\\"{{', "\u00e9[", "\ud83d]"]


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1])
@pytest.mark.parametrize("wrappers", ["l", "o", "lo", "ool"])
@pytest.mark.parametrize("leaf", _TRICKY_STRINGS)
def test_fast_depth_check_agrees_with_the_true_depth(depth: int, wrappers: str, leaf: str) -> None:
    # Siblings full of tricky strings and wide shallow arrays around the deep branch, so
    # the byte scan (not the bracket-count shortcut) decides.
    document = {"wide": [[leaf, {"x": leaf}]] * 60, "deep": _nested(depth - 1, leaf, wrappers)}
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False)):
        verdict = nesting_problem(text)
        assert (verdict is None) == (_true_depth(document) <= MAX_JSON_DEPTH), text[:200]
