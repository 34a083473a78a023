"""The install log: one file per run, holding every event the runner showed as plain lines (the headless
formatter, :func:`flyte_tui.events.plain`): steps with their timings, helm's and kubectl's output, the
readiness changes, a failure with its explanation, a cancel, and the end summary.

The newest run is always at the runner's log path (``flyte-tui-install.log``); the run before it is kept
as ``flyte-tui-install.1.log``, the next as ``.2.log`` and so on (the highest number is the most recent of
the older runs), so an upgrade never replaces the install's log.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from flyte_tui.events import Event, OutputLine, plain


def rotate(path: Path) -> Path | None:
    """Move the previous run's log at ``path`` aside to the next free numbered name; that name (None when
    there was no previous log)."""
    if not path.exists():
        return None
    numbered = re.compile(rf"{re.escape(path.stem)}\.(\d+){re.escape(path.suffix)}")
    taken = [int(m.group(1)) for p in path.parent.iterdir() if (m := numbered.fullmatch(p.name))]
    target = path.with_name(f"{path.stem}.{max(taken, default=0) + 1}{path.suffix}")
    path.replace(target)
    return target


class InstallLog:
    """The log file of one run (written from the runner's worker thread only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: str | None = None
        """Why the log could not be written (the runner says so instead of naming the file)."""
        self._file: TextIO | None = None
        self._shown: dict[str, str] = {}

    def open(self, heading: str) -> None:
        """Start this run's file (the previous run's kept, see :func:`rotate`) with a heading line."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            rotate(self.path)
            self._file = self.path.open("w", encoding="utf-8")
            self._file.write(f"{heading} ({datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)\n")
        except OSError as exc:
            self.error = f"cannot write the install log {self.path}: {exc.strerror or exc}"
            self._file = None

    def write(self, event: Event) -> None:
        """An event's plain lines (a readiness change: only the components that changed)."""
        if self._file is None:
            return
        try:
            for line in plain(event, self._shown):
                self._file.write(line + "\n")
            if not isinstance(event, OutputLine):
                self._file.flush()
        except OSError as exc:  # a full disk mid-run: the run goes on, the runner says the log is short
            self.error = f"the install log {self.path} is incomplete: {exc.strerror or exc}"
            self.close()

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
