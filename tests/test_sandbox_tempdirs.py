"""The temporary folder of a ``db=None`` sandbox goes when its process goes: at a normal exit,
when a Jupyter kernel is shut down, and (next time) after a kernel was killed outright."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from jupyter_client import KernelManager

from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.tempdirs import OWNER_FILE, PREFIX, remove_orphans

_FOREIGN_VARS = ("VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_WIDGETS_SANDBOX_URL")


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def _folder(root: Path, name: str, owner: int | None) -> Path:
    path = root / name
    path.mkdir()
    (path / "sandbox.sqlite3").write_bytes(b"")
    if owner is not None:
        (path / OWNER_FILE).write_text(str(owner), encoding="ascii")
    return path


def _sandbox_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(f"{PREFIX}*"))


@pytest.mark.skipif(os.name != "posix", reason="orphans are recognised on POSIX only")
def test_only_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = _folder(tmp_path, f"{PREFIX}dead", _dead_pid())
    keep = [
        _folder(tmp_path, f"{PREFIX}mine", os.getpid()),
        _folder(tmp_path, f"{PREFIX}parent", os.getppid()),
        _folder(tmp_path, f"{PREFIX}no-owner", None),
        _folder(tmp_path, "someone-else", _dead_pid()),
    ]
    (tmp_path / f"{PREFIX}garbled").mkdir()
    (tmp_path / f"{PREFIX}garbled" / OWNER_FILE).write_text("not a pid", encoding="ascii")
    assert remove_orphans(tmp_path) == [dead]
    assert not dead.exists()
    assert all(path.exists() for path in keep)


def test_a_script_removes_its_folder_at_exit(tmp_path: Path) -> None:
    script = (
        "from vonage_widgets.sandbox import Sandbox\n"
        "sandbox = Sandbox().start()\n"
        "print(sandbox.db_path)\n"  # exits without close() or stop()
    )
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=True, timeout=120)  # fmt: skip
    assert Path(done.stdout.strip()).parent.parent == tmp_path  # it was made there...
    assert list(tmp_path.iterdir()) == []  # ...and is gone


@pytest.fixture
def kernel_env(tmp_path: Path) -> dict[str, str]:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS}
    env.update(
        TMPDIR=str(temp),
        VONAGE_WIDGETS_SANDBOX_DB=":temp:",
        VONAGE_WIDGETS_HOME=str(tmp_path / "home"),
        IPYTHONDIR=str(tmp_path / "ipython"),
    )
    return env


def _kernel_with_a_workbook(env: dict[str, str], connection: Path) -> KernelManager:
    manager = KernelManager(kernel_name="python3", connection_file=str(connection))
    manager.start_kernel(env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            "from vonage_widgets import Workbook\nwb = Workbook()", timeout=120
        )
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
    return manager


def test_a_kernel_shut_down_removes_its_folder_and_a_killed_ones_is_removed_next_time(
    tmp_path: Path, kernel_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = Path(kernel_env["TMPDIR"])
    graceful = _kernel_with_a_workbook(kernel_env, tmp_path / "kernel-1.json")
    assert len(_sandbox_folders(temp)) == 1
    graceful.shutdown_kernel(now=False)  # what JupyterLab's "Shut Down Kernel" does
    assert _sandbox_folders(temp) == []

    killed = _kernel_with_a_workbook(kernel_env, tmp_path / "kernel-2.json")
    killed.shutdown_kernel(now=True)  # SIGKILL, as nbval does: no exit handler runs
    (orphan,) = _sandbox_folders(temp)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    sandbox = Sandbox()
    try:
        made = sandbox.db_path.parent  # the next sandbox folder clears the orphan
        assert _sandbox_folders(temp) == [made.name]
        assert made.name != orphan
    finally:
        sandbox.close()
    assert _sandbox_folders(temp) == []
