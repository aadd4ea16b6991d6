"""``ncco validate`` refuses what is not plain JSON with a message naming the rule, exit 1."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests import cli_helpers
from tests.cli_helpers import run

home = cli_helpers.home

TALK = b'{"action": "talk", "text": "hi"}'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" + TALK + b",]", "NCCO file 'f.json' is invalid (1 problem):"),
        (b'[{"action": "talk", "text": "hi", "level": NaN}]', "NaN is not a JSON number"),
        (b'[{"action": "talk", "text": "hi", "level": 1e999}]', "1e999 is too large"),
        (b'[{"action": "talk", "text": "hi", "x": ' + b"1" * 4301 + b"}]", "at most 4300 digits"),
        (b'[{"action": "talk", "text": "\\udc00"}]', "0.text: must be valid Unicode text"),
        (
            b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]",
            "is nested too deeply: arrays and objects may nest at most 100 levels",
        ),
        (b"[" + TALK + b"] \xff", "is not UTF-8 text (bad byte at offset"),
    ],
    ids=["syntax", "NaN", "1e999", "4301 digits", "surrogate", "deep", "not UTF-8"],
)
def test_ncco_validate_refuses_bad_json_naming_the_rule(
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("f.json").write_bytes(content)
    result = run(capsys, "ncco", "validate", "f.json")
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err


def test_ncco_validate_reads_a_byte_order_mark_and_checks_stdin_the_same_way(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf[" + TALK + b"]")  # as Windows editors save it
    assert run(capsys, "ncco", "validate", str(with_bom)).code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO('[{"action": "talk", "text": "hi", "v": NaN}]'))
    from_stdin = run(capsys, "ncco", "validate", "-")
    assert from_stdin.code == 1
    assert "NCCO file 'stdin' is invalid" in from_stdin.err
    assert "NaN is not a JSON number" in from_stdin.err
