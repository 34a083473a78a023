"""A record of each helm operation flyte-tui starts (install, upgrade, rollback, uninstall), so that a later run
knows when one is still going.

helm runs in its own session (``tools/process.py``: cancelling kills it and its plugins together), so when
flyte-tui itself is killed (SIGKILL, a closed terminal) helm lives on and finishes, or not, on its own. While
it runs, the release is ``pending-*`` and a second helm would race it. The record (pid, the process's start
time, what it does) lets the next run say so instead of starting a second helm or advising an uninstall.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


def records_dir() -> Path:
    """``${XDG_STATE_HOME:-~/.local/state}/flyte-tui/operations``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "flyte-tui" / "operations"


def _record_path(context: str, namespace: str, release: str) -> Path:
    key = hashlib.sha256(f"{context}\0{namespace}\0{release}".encode()).hexdigest()[:16]
    return records_dir() / f"{key}.json"


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (``/proc/<pid>/stat`` field 22): with the pid it
    names one process, never a later one that reuses the pid. "" where /proc does not exist."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def _running(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _start_time(pid)
    if started and now and now != started:
        return False  # the pid was reused
    with contextlib.suppress(OSError, IndexError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False  # a zombie: finished, not yet reaped
    return True


@dataclass(frozen=True)
class LiveOperation:
    """A helm operation flyte-tui started that is still running."""

    pid: int
    verb: str
    release: str
    namespace: str
    started: float
    """Seconds since the epoch."""

    def line(self, now: float | None = None) -> str:
        """One line for the user: what runs, since when, how to stop it."""
        age = max((now or time.time()) - self.started, 0)
        return (
            f"a helm {self.verb} of release {self.release} in {self.namespace} started by flyte-tui {age:.0f}s ago "
            f"is still running (pid {self.pid}): wait for it to finish, or stop it with `kill {self.pid}`"
        )


def live(context: str, namespace: str, release: str) -> LiveOperation | None:
    """The helm operation on this release that a flyte-tui started and that still runs, or None (a record
    of one that has ended is removed)."""
    path = _record_path(context, namespace, release)
    try:
        data = json.loads(path.read_text())
        op = LiveOperation(int(data["pid"]), str(data["verb"]), release, namespace, float(data["started"]))
        started = str(data.get("startTime", ""))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)  # unreadable: treat as ended
        return None
    if _running(op.pid, started):
        return op
    path.unlink(missing_ok=True)
    return None


@contextlib.contextmanager
def recorded(context: str, namespace: str, release: str, verb: str) -> Iterator[Callable[[int], None]]:
    """A block that runs one helm operation: call the function it gives with helm's pid once started; the
    record is removed when the block ends (a killed flyte-tui leaves it, so the next run finds helm)."""
    path = _record_path(context, namespace, release)

    def started(pid: int) -> None:
        entry = {"pid": pid, "startTime": _start_time(pid), "verb": verb, "started": time.time()}
        with contextlib.suppress(OSError):  # a record that cannot be written must not stop the install
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry))
            os.replace(tmp, path)

    try:
        yield started
    finally:
        path.unlink(missing_ok=True)
