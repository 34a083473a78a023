"""A program bound to a kube context and namespace: what the helm and kubectl adapters share (the settings
every call takes, and running one call with a read tried again on a transient error)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from flyte_tui.tools import process, retry


@dataclass
class Bound:
    """A program (helm, kubectl) bound to a kube context and namespace."""

    read_verbs: ClassVar[frozenset[str]] = frozenset()
    """The program's commands that only read the cluster (tried again on a transient error)."""

    binary: str
    context: str = ""
    """The kube context ("" for the current one)."""
    namespace: str = ""
    env: Mapping[str, str] | None = None
    """The environment the program runs in (None: this process's)."""
    cancel: threading.Event = field(default_factory=threading.Event)
    """Set, it stops the running program and what it started."""
    timeout: float = 60.0
    """Seconds a call may take unless it says otherwise."""
    retries: retry.Policy = retry.ONCE
    """How a read of the cluster that failed with a transient error is tried again (once: not at all)."""

    def completed(
        self, argv: list[str], command: Sequence[str], timeout: float | None = None, input_text: str | None = None
    ) -> process.Completed:
        """Run ``argv``, the program's ``command`` with the adapter's flags (no check); a command that only reads
        the cluster (one of :attr:`read_verbs`, nothing on stdin) is tried again on a transient error."""
        reads = input_text is None and bool(command) and command[0] in self.read_verbs

        def once() -> process.Completed:
            return process.run(argv, timeout or self.timeout, self.cancel, self.env, input_text)

        return retry.retrying(once, self.retries, self.cancel) if reads else once()
