"""``make test`` on a machine without Chromium: installs it as root, else stops at once.

The ``chromium`` target runs before every other stage. These tests run it with a ``PATH``
holding only stand-ins (an ``id`` that says who we are, an ``apt-get`` that records its
arguments), so nothing is installed and the real Chromium is hidden.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is a stated prerequisite")


def _stand_ins(folder: Path, uid: int) -> Path:
    folder.mkdir()
    (folder / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    log = folder / "apt-get.log"
    (folder / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    for name in ("id", "apt-get"):
        (folder / name).chmod(0o755)
    return log


def _make_chromium(path: Path) -> subprocess.CompletedProcess[str]:
    assert MAKE is not None
    return subprocess.run(
        [MAKE, "--no-print-directory", "-s", "chromium"],
        cwd=REPO,
        env={"PATH": str(path), "HOME": str(path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_root_it_stops_with_the_command_to_run(tmp_path: Path) -> None:
    log = _stand_ins(tmp_path / "bin", uid=1000)
    done = _make_chromium(tmp_path / "bin")
    assert done.returncode != 0
    assert "Chromium is missing" in done.stderr
    assert "sudo apt-get update && sudo apt-get install -y chromium" in done.stderr
    assert not log.exists()  # nothing was attempted


def test_as_root_it_installs_chromium_with_apt_get(tmp_path: Path) -> None:
    log = _stand_ins(tmp_path / "bin", uid=0)
    done = _make_chromium(tmp_path / "bin")
    assert done.returncode == 0, done.stderr
    assert "installing it with apt-get" in done.stdout
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq chromium"]
