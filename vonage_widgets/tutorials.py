"""The tutorial notebooks of an installed package, and the user's working copies of them.

The wheel ships the four tutorials as package data in ``vonage_widgets/tutorials/`` (built
from the repository's ``notebooks/``). Installed files are never edited: ``vonage-widgets lab``
outside a checkout copies them into a working folder, ``<home>/tutorials`` where ``<home>`` is
``VONAGE_WIDGETS_HOME`` or the platform's user data folder (the same folder as the key pairs
and the sandbox database), and opens JupyterLab there. One fixed place, whatever the current
folder, so a second run finds the copies the user edited instead of starting a new set.

Copy rules, per notebook: missing, it is copied; present and unchanged since it was copied
(its sha256 is the one recorded in :data:`MANIFEST_NAME`), it follows a newer packaged
version; present and edited by the user, it is kept as it is, never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vonage_widgets._paths import default_home

__all__ = [
    "MANIFEST_NAME",
    "TutorialCopy",
    "copy_tutorials",
    "packaged_tutorials",
    "user_tutorials_dir",
]

MANIFEST_NAME = ".vonage-widgets-tutorials.json"
"""In the working folder: the sha256 of each notebook as it was last copied there."""

_PACKAGED = Path(__file__).resolve().parent / "tutorials"


def packaged_tutorials() -> Path | None:
    """The tutorials installed with the package (a wheel), or None (e.g. in a checkout)."""
    if _PACKAGED.is_dir() and any(_PACKAGED.glob("*.ipynb")):
        return _PACKAGED
    return None


def user_tutorials_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The working folder for the user's copies: ``<VONAGE_WIDGETS_HOME>/tutorials``."""
    return default_home(environ) / "tutorials"


@dataclass
class TutorialCopy:
    """What :func:`copy_tutorials` did, notebook by notebook (file names)."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        parts = [
            f"{label} {', '.join(names)}"
            for label, names in (
                ("copied", self.copied),
                ("updated (unedited)", self.updated),
                ("kept your edited", self.kept),
            )
            if names
        ]
        done = "; ".join(parts) if parts else "up to date"
        return f"Tutorials in {self.folder}: {done}."


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write atomically (a reader never sees half a notebook), mode 0644 less the umask."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_tutorials(source: Path, target: Path) -> TutorialCopy:
    """Bring the working folder ``target`` up to date with the notebooks in ``source``.

    Never writes in ``source``; never overwrites a notebook the user changed (see the module
    docstring for the rules).
    """
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST_NAME
    try:
        recorded: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    report = TutorialCopy(target)
    manifest = dict(recorded)
    for notebook in sorted(source.glob("*.ipynb")):
        data = notebook.read_bytes()
        fresh = hashlib.sha256(data).hexdigest()
        mine = target / notebook.name
        if not mine.exists():
            _write(mine, data)
            report.copied.append(notebook.name)
        else:
            current = _sha256(mine)
            if current != recorded.get(notebook.name):
                report.kept.append(notebook.name)  # edited by the user (or not ours)
                continue
            if current != fresh:
                _write(mine, data)
                report.updated.append(notebook.name)
        manifest[notebook.name] = fresh
    if manifest != recorded:
        _write(manifest_path, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    return report
