"""Writing a file atomically, with a backup, and never over something that is not a regular file."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["UnmergeableFile", "destination", "write_atomic"]


class UnmergeableFile(OSError):
    """A file to merge into exists but cannot be merged into (not a regular file, not UTF-8, not YAML, not a
    mapping, too large): it is left as it is and nothing is written.

    An ``OSError``, so every place that reports a file it cannot write reports this one too.
    """



def _write_temp(folder: Path, name: str, data: bytes, mode: int) -> str:
    """Write ``data`` to a new temporary file in ``folder`` (synced); returns its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def destination(path: Path) -> Path:
    """The regular file a write to ``path`` replaces (a symlink's target), or ``path`` itself when it is new.

    Refuses (:class:`UnmergeableFile`) whatever is not a regular file. (A missing folder is the caller's to
    refuse: the CLI refuses ``-o`` into one, the wizard creates the folder of the file it was told to save.)
    """
    if os.path.lexists(path):
        try:
            info = os.stat(path)
        except OSError as exc:
            raise UnmergeableFile(f"{path} is a symbolic link to {os.readlink(path)}, which does not exist") from exc
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, a pipe or a socket)"
            hint = "" if stat.S_ISDIR(info.st_mode) else " (for stdout, flyte-tui takes -o -)"
            raise UnmergeableFile(f"{path} is {what}; it is never replaced{hint}")
        return Path(os.path.realpath(path))
    return path


def write_atomic(path: Path, text: str, backup: bool = True) -> Path | None:
    """Write ``text`` to ``path`` atomically; keep the previous file as ``<path>.bak``.

    Returns the backup's path when one was made. A file that already holds ``text`` is left untouched (no
    write, no backup). The file is written next to its destination and
    renamed over it, so a crash or a full disk leaves either the old or the new file, never half of one;
    the backup is written the same way (a failed backup leaves the old backup and the file untouched).
    A symbolic link to a regular file is written through (its target is updated, the link stays); anything
    else that is not a regular file is refused (:class:`UnmergeableFile`). A ``.bak`` that is a link is
    replaced by the backup, never its target.
    """
    path = Path(path)
    target = destination(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_path: Path | None = None
    mode = 0o644
    data = text.encode("utf-8")
    if target.exists():
        mode = target.stat().st_mode & 0o777
        old = target.read_bytes()
        if old == data:  # already there: nothing to write, no backup identical to it
            return None
        if backup:
            backup_path = path.with_name(path.name + ".bak")
            if os.path.isdir(backup_path) and not os.path.islink(backup_path):
                raise UnmergeableFile(f"{backup_path} is a folder; the backup cannot be kept there")
            _replace_with(backup_path, old, mode)
    _replace_with(target, data, mode)
    return backup_path


def _replace_with(path: Path, data: bytes, mode: int) -> None:
    """Put ``data`` at ``path`` through a temporary file renamed over it (no temporary file is left behind)."""
    tmp = _write_temp(path.parent, path.name, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
