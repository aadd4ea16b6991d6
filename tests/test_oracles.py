"""The vendored oracle data is what ``tests/oracles/SOURCES.md`` says it is."""

from __future__ import annotations

import hashlib
import re

from tests.conftest import ORACLES, load_json

_ROW = re.compile(r"^\| `(?P<file>[^`]+)` \|.*\| `(?P<sha>[0-9a-f]{64})` \|$")


def listed() -> dict[str, str]:
    """File -> sha256, from the tables of SOURCES.md."""
    text = (ORACLES / "SOURCES.md").read_text(encoding="utf-8")
    rows = [_ROW.match(line) for line in text.splitlines()]
    return {row["file"]: row["sha"] for row in rows if row}


def present() -> set[str]:
    return {
        path.relative_to(ORACLES).as_posix()
        for path in ORACLES.rglob("*")
        if path.is_file() and path.name != "SOURCES.md"
    }


def test_every_vendored_file_is_listed_with_its_sha256() -> None:
    sources = listed()
    assert len(sources) >= 20  # the tables parsed: a broken row format would list nothing
    assert set(sources) == present()
    for name, sha in sorted(sources.items()):
        digest = hashlib.sha256((ORACLES / name).read_bytes()).hexdigest()
        assert digest == sha, f"{name}: sha256 {digest}, SOURCES.md says {sha}"


def test_the_specs_are_the_versions_listed() -> None:
    versions = {
        "application.v2": "2.4.1",
        "numbers": "1.1.0",
        "voice": "1.10.0",
        "messages": "1.20.0",
        "conversation": "5.5.1",
    }
    for name, version in versions.items():
        spec = load_json(ORACLES / "specs" / "current" / f"{name}.json")
        assert spec["info"]["version"] == version, name
