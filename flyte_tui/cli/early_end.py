"""The end of a headless upgrade stopped before its install (cluster unreachable, no release, a stuck
release, a failed recovery, Ctrl-C during the review): the message on stderr and, with ``--json``, the
events an install ends with, so that stdout is JSON events whatever happens."""

from __future__ import annotations

import json
import re
import sys
import time
from typing import TextIO

from flyte_tui.events import InstallFinished, StepFailed, to_json

_HELM_ERROR = re.compile(r"^error:\s*", re.IGNORECASE)
"""helm's own ``Error:`` prefix (ours says ``error:`` already)."""


def helm_message(exc: Exception) -> str:
    """A helm error as ``helm: <its message>`` without helm's own ``Error:``."""
    return f"helm: {_HELM_ERROR.sub('', str(exc))}"


class Stop:
    """Ends the run: ``error: MESSAGE`` on stderr; with ``--json`` a ``StepFailed`` of step ``review`` and an
    ``InstallFinished`` (not ok, the release's state, the message as its summary) on ``out``."""

    def __init__(self, as_json: bool, out: TextIO) -> None:
        self.as_json, self.out, self.started = as_json, out, time.monotonic()

    def __call__(self, message: str, state: str, code: int) -> int:
        """Say it; return ``code`` (the exit code)."""
        print(f"error: {message}", file=sys.stderr)
        if self.as_json:
            finished = InstallFinished(False, state, time.monotonic() - self.started, (message,))
            for event in (StepFailed("review", message), finished):
                print(json.dumps(to_json(event)), file=self.out, flush=True)
        return code
