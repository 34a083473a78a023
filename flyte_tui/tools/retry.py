"""Transient cluster errors: which failures of helm and kubectl are worth another try, and the one bounded
retry with back-off every read of the cluster goes through.

A refused or reset connection, a timeout, or a 5xx answer says nothing about the request itself: the same
read a moment later usually works (an API server restarting, a load balancer switching over, etcd busy).
Anything else (Forbidden, NotFound, Unauthorized, a bad flag) is the answer and is never retried.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flyte_tui.tools import process

UNREACHABLE = re.compile(
    r"connection (was )?refused|was refused|connection reset|reset by peer|broken pipe|unable to connect to the server"
    r"|cluster unreachable|no route to host|network is unreachable|i/o timeout|tls handshake timeout"
    r"|context deadline exceeded|client\.timeout exceeded|timeout awaiting|http2: client connection lost"
    r"|unexpected eof|server closed idle connection|dial tcp",
    re.IGNORECASE,
)
"""What helm and kubectl print when the API server could not be reached (nothing answered)."""

SERVER_TROUBLE = re.compile(
    r"\((ServiceUnavailable|InternalError|Timeout|TooManyRequests|ServerTimeout)\)"
    r"|the server is currently unable to handle the request|etcdserver: (request timed out|leader changed)"
    r"|the server was unable to return a response|an error on the server|status code:? 5\d\d|\b50[234] ",
    re.IGNORECASE,
)
"""What they print when the API server answered with a 5xx / a timeout of its own (it may answer next time)."""

NOT_TRANSIENT = re.compile(
    r"forbidden|unauthorized|must be logged in|provide credentials|\(NotFound\)|not found|AlreadyExists"
    r"|\(Invalid\)|unknown flag|unknown command",
    re.IGNORECASE,
)
"""Answers: the server understood and said no. Never retried even when a transient pattern also matches."""


def is_unreachable(text: str) -> bool:
    """The output says the API server could not be reached at all."""
    return bool(UNREACHABLE.search(text)) and not NOT_TRANSIENT.search(text)


def is_transient(text: str) -> bool:
    """The output says the failure may go away by itself: the server was unreachable or answered 5xx."""
    if NOT_TRANSIENT.search(text):
        return False
    return bool(UNREACHABLE.search(text) or SERVER_TROUBLE.search(text))


@dataclass(frozen=True)
class Backoff:
    """Waits between tries: ``first``, doubling, at most ``most`` seconds."""

    first: float = 0.5
    most: float = 8.0

    def delays(self) -> Iterator[float]:
        """The waits, one per retry, for ever (the caller bounds them)."""
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.most)


@dataclass(frozen=True)
class Policy:
    """How often a read is tried in all (``attempts``) and how long to wait between tries."""

    attempts: int = 5
    backoff: Backoff = Backoff()


READS = Policy()
"""The policy of a read of the cluster during an install: 5 tries, 0.5 + 1 + 2 + 4 s apart (7.5 s)."""
QUICK = Policy(attempts=2)
"""One more try half a second later: for the first question to a cluster, where a clear "cannot reach" soon
is worth more than patience (nothing has been changed yet)."""
ONCE = Policy(attempts=1)
"""No retry."""


def retrying(
    call: Callable[[], process.Completed],
    policy: Policy = READS,
    cancel: threading.Event | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> process.Completed:
    """Run ``call`` until it succeeds, fails with an error that is not transient, or ``policy.attempts``
    tries are used up; the last result is returned as it came (the caller's checks stay the same).

    Waits are cut short by ``cancel`` (then :class:`~flyte_tui.tools.process.Cancelled` is raised).
    """
    delays = policy.backoff.delays()
    for attempt in range(1, max(policy.attempts, 1) + 1):
        done = call()
        if done.ok or attempt >= policy.attempts or not is_transient(done.stderr + "\n" + done.stdout):
            return done
        wait = next(delays)
        if cancel is not None:
            if cancel.wait(wait):
                raise process.Cancelled(f"{done.argv[0] if done.argv else 'command'} cancelled")
        else:
            sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
