"""The vendored oracle data is what ``tests/oracles/SOURCES.md`` says it is, and nothing
in the repository reaches outside it for reference data."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.conftest import ORACLES, REPO, load_json

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


_OUTSIDE = re.compile(
    r"\.\./shared|shared/(?:specs|reference)|vonage-api\.md|DESIGN\.md"
    r"|\[(?:SPEC|DOC|KB|PY)-|\[reference \d"  # tags of a reference file not in the repository
)


def test_nothing_depends_on_a_folder_beside_the_repository() -> None:
    offenders = []
    for folder in ("vonage_widgets", "tests", "benchmarks", "notebooks", "docs"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in {".py", ".ipynb", ".md", ".toml"} or ORACLES in path.parents:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if _OUTSIDE.search(line) and path != Path(__file__):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


_CITED = re.compile(r"\[api-notes ([^\]]+)\]")


def test_every_api_notes_section_cited_exists() -> None:
    notes = (REPO / "docs" / "api-notes.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} (\d+(?:\.\d+)*)\.? ", notes, re.M))
    cited: dict[str, str] = {}
    for folder in ("vonage_widgets", "tests", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for tag in _CITED.findall(path.read_text(encoding="utf-8")):
                for section in re.findall(r"§(\d+(?:\.\d+)*)", tag):
                    cited.setdefault(section, str(path.relative_to(REPO)))
    assert len(cited) > 20  # the tags were found
    missing = {section: where for section, where in cited.items() if section not in headings}
    assert missing == {}
