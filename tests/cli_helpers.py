"""Helpers for the CLI tests: a clean environment, a loopback sandbox, and running commands.

Commands run in-process through ``main(argv)``; their stdout, stderr and exit code come back
as one :class:`Run`. Usage errors (argparse's ``SystemExit``) are returned as exit codes too,
so every test asserts the code the way a shell would see it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.workbook_helpers import OUR_VARIABLES as WORKBOOK_VARIABLES
from vonage_widgets.cli import main
from vonage_widgets.sandbox import Sandbox

# The workbook's variables, plus the CLI sandbox's account variables.
OUR_VARIABLES = (*WORKBOOK_VARIABLES, "VONAGE_SANDBOX_API_KEY", "VONAGE_SANDBOX_API_SECRET")

VOICE_SMS = "447700900000"  # sandbox seed: GB mobile, VOICE + SMS
VOICE_ONLY = "442079460000"  # sandbox seed: GB landline, VOICE only
NOT_OWNED = "447700900999"  # well formed, not owned by the sandbox account


@dataclass(frozen=True)
class Run:
    """One command's outcome: exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        """stdout parsed as JSON (fails the test if it is not)."""
        return json.loads(self.out)

    @property
    def text(self) -> str:
        """stdout and stderr together."""
        return self.out + self.err


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """Run ``vonage-widgets *argv`` in-process and capture what it printed."""
    capsys.readouterr()  # drop anything printed before
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse usage errors, --help
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials or sandbox URL in the environment; a fresh workbook home."""
    for name in OUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "home"
    monkeypatch.setenv("VONAGE_WIDGETS_HOME", str(folder))
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_DB", ":temp:")
    return folder


@pytest.fixture
def sandbox(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A plain-HTTP sandbox on 127.0.0.1 (temporary database), named in the environment."""
    with Sandbox() as running:
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", running.url)
        yield running


def create_app(capsys: pytest.CaptureFixture[str], name: str, *flags: str) -> dict[str, Any]:
    """Create an application through the CLI; return its ``--json`` result."""
    result = run(capsys, "apps", "create", "--name", name, "--json", *flags)
    assert result.code == 0, result.err
    created: dict[str, Any] = result.json
    return created
