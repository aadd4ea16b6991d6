"""Private-key files: where they are named, and how they are written (atomically, 0600).

:func:`save_private_key` always writes unencrypted PKCS#8 PEM, the form Vonage hands
out and the only string form the official Python SDK accepts [api-notes §4].
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from pathlib import Path

from vonage_widgets.errors import KeyHandlingError
from vonage_widgets.keys._pem import PrivateKeySource, fingerprint, load_private_key, pkcs8_pem

__all__ = ["KEY_FILE_SUFFIX", "key_file_name", "safe_name", "save_private_key"]

KEY_FILE_SUFFIX = ".key"
"""The extension of the private-key files :func:`key_file_name` names."""

_SAFE_NAME_LENGTH = 40


def safe_name(name: str) -> str:
    """A file-name-safe form of an application name: lower case, letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:_SAFE_NAME_LENGTH].rstrip("-") or "application"


def key_file_name(name: str, public_pem: str | None) -> str:
    """The file name for an application's private key: ``<safe-name>-<short-id>.key``.

    One rule for every place that saves a key (the application form, the workbook, config
    files), so a key is found under the same name whoever wrote it. The short id is 8 hex
    digits of the key's :func:`fingerprint`, not the application id: the file is written
    before the create request, when there is no id yet, and a rotated key then never
    collides with the previous file. Without a key yet, ``<fingerprint>`` holds its place.
    """
    short = fingerprint(public_pem).split(":", 1)[1][:8] if public_pem else "<fingerprint>"
    return f"{safe_name(name)}-{short}{KEY_FILE_SUFFIX}"


def save_private_key(
    pem: PrivateKeySource, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write a private key to ``path`` with mode 0600, atomically; return the absolute path.

    The key is checked first (a broken key is never saved) and written as PKCS#8 PEM. A crash
    never leaves a half-written file: the key goes to a temporary file beside the target
    (created 0600 and exclusively), is flushed to disk, then linked or renamed into place.
    Missing parent folders are created with mode 0700. An existing file is refused unless
    ``overwrite=True``. If anything fails, :class:`KeyHandlingError` explains it, nothing is
    left behind, and the caller still holds the key in memory.
    """
    data = pkcs8_pem(load_private_key(pem)).encode("ascii")
    target = Path(os.path.abspath(Path(path).expanduser()))

    if target.is_dir():
        raise KeyHandlingError(
            f"cannot save the private key to {str(target)!r}: that path is a folder; "
            "give a file name such as 'private.key' inside it"
        )
    if not overwrite and (target.exists() or target.is_symlink()):
        raise _exists_error(target)

    try:
        _make_private_folders(target.parent)
    except OSError as error:
        raise _save_error(target, error) from error

    temp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        _write_new_file(temp, data)
        _move_into_place(temp, target, overwrite=overwrite)
    except FileExistsError:
        _remove_quietly(temp)
        raise _exists_error(target) from None
    except OSError as error:
        _remove_quietly(temp)
        raise _save_error(target, error) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    _fsync_folder(target.parent)
    return target


def _make_private_folders(folder: Path) -> None:
    # Create each missing ancestor ourselves: Path.mkdir(parents=True) gives the intermediate
    # ones the default mode, and a key's folder should not be world-readable.
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for part in reversed(missing):
        part.mkdir(mode=0o700)
        os.chmod(part, 0o700)  # mkdir's mode is filtered by the umask


def _write_new_file(temp: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    descriptor = os.open(temp, flags, 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # the umask may have removed bits from 0600; force it
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _move_into_place(temp: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, target)
        return
    try:
        # link() refuses an existing target, so a file that appeared since the check survives.
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links: the existence check above is our guard.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(temp, target)
        return
    os.unlink(temp)


def _fsync_folder(folder: Path) -> None:
    # Makes the new directory entry durable; not possible on every platform, so best effort.
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _exists_error(target: Path) -> KeyHandlingError:
    return KeyHandlingError(
        f"not saving the private key: {str(target)!r} already exists; "
        "pass overwrite=True to replace it, or choose another file name"
    )


def _save_error(target: Path, error: OSError) -> KeyHandlingError:
    reason = error.strerror or type(error).__name__
    return KeyHandlingError(
        f"could not save the private key to {str(target)!r}: {reason}. Nothing was written; "
        "the key is still in memory, so save it to another place"
    )
