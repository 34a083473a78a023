"""Autosave of the wizard's answers, so a crash never loses them.

The wizard writes its raw answers here after every change and deletes the file after a save or a
deliberate quit; the welcome screen offers to restore a file that is still there. The file holds
exactly the answers (never the typed database password, which lives only in memory).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

FILE_NAME = "recovery.json"
"""JSON (itself valid YAML): written on every change, so it must be quick to write."""


def default_dir() -> Path:
    """``${XDG_STATE_HOME:-~/.local/state}/flyte-tui``."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "flyte-tui"


class Autosave:
    """The autosave file (recovery.json) in one state directory."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_dir()
        self.path = self.directory / FILE_NAME

    def exists(self) -> bool:
        """True when a previous session left answers behind."""
        return self.path.is_file()

    def save(self, answers: dict[str, Any]) -> None:
        """Write the answers atomically (no backup: the file is itself the backup)."""
        import json

        from flyte_tui.files import yamlio

        self.directory.mkdir(parents=True, exist_ok=True)
        yamlio.write_atomic(self.path, json.dumps(answers, indent=1) + "\n", backup=False)
        self.path.chmod(0o600)

    def load(self) -> dict[str, Any] | None:
        """The saved answers, or None when the file is missing, unreadable or beyond the YAML bound."""
        import json

        from flyte_tui.files import yamlio

        try:
            text = yamlio.read_text(self.path)
            yamlio.check(text, str(self.path))  # JSON is YAML: the same bound (depth, size) as every file
            data = json.loads(text)
        except (OSError, ValueError, yamlio.YAMLError, RecursionError):
            return None
        return data if isinstance(data, dict) else None

    def clear(self) -> None:
        """Delete the recovery file (after a save or a deliberate quit)."""
        self.path.unlink(missing_ok=True)
