"""The temporary folder of a sandbox with no database path (``db=None``, ``:temp:``).

The folder goes when its process ends normally: :class:`tempfile.TemporaryDirectory`
removes it at interpreter exit, which covers a script, the CLI and a Jupyter kernel shut down
from JupyterLab (a graceful shutdown runs the kernel's exit handlers). A process killed
outright (SIGKILL: nbval and ``KernelManager.shutdown_kernel(now=True)`` stop kernels so) runs
no handler, so each folder names its owner's process id, and the next sandbox to make a
folder removes those of processes that no longer exist (only the current user's, POSIX only:
elsewhere signal 0 is not a liveness check).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["OWNER_FILE", "PREFIX", "remove_orphans", "temporary_folder"]

PREFIX = "vonage-widgets-sandbox-"
OWNER_FILE = "owner.pid"


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A fresh folder, removed at exit; orphans of killed processes are removed first."""
    remove_orphans()
    folder = tempfile.TemporaryDirectory(prefix=PREFIX)
    (Path(folder.name) / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def remove_orphans(root: Path | None = None) -> list[Path]:
    """Remove this user's sandbox folders in ``root`` (default: the temp folder) whose owner
    process is gone; returns them. Folders without an owner file are left alone."""
    if os.name != "posix":
        return []
    root = Path(tempfile.gettempdir()) if root is None else root
    removed = []
    for path in root.glob(f"{PREFIX}*"):
        try:
            if path.stat().st_uid != os.getuid():
                continue
            pid = int((path / OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
