"""Running helm and kubectl: argument lists only, a timeout on everything, cancellable, children killed.

Each child runs in its own session (process group) so cancelling kills it *and* anything it started
(helm plugins, kubectl credential helpers). ``subprocess`` is used directly (not a wrapper such as
``sh``): streaming both pipes line by line with a deadline and a cancel flag needs exact control of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Stream = Literal["stdout", "stderr"]


class ProcessError(Exception):
    """A command could not be started, timed out, or was cancelled."""


class Cancelled(ProcessError):
    """The caller cancelled while the command ran."""


class TimedOut(ProcessError):
    """The command ran past its timeout and was killed."""


@dataclass(frozen=True)
class Completed:
    """A finished command."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """Exit code 0."""
        return self.returncode == 0


@dataclass(frozen=True)
class Line:
    """One line of output (without its newline)."""

    stream: Stream
    text: str


def last_line(text: str, default: str = "") -> str:
    """The last non-blank line of a program's output (what it says went wrong), or ``default``; helm's
    "Error: 35 errors occurred:" with its errors under it as :func:`error_summary` gives it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(_SEVERAL.match(line) for line in lines):
        return error_summary(text, default)
    return lines[-1] if lines else default


_SEVERAL = re.compile(r"^error\b.*?\b(?P<count>\d+) errors occurred:?$", re.IGNORECASE)
"""helm 3's header over several errors (hashicorp/go-multierror), each then on a ``* `` line."""
SHOWN_ERRORS = 3
"""How many of several errors a one-line summary quotes."""


def error_summary(text: str, default: str = "", limit: int = SHOWN_ERRORS) -> str:
    """What a program says went wrong, on one line: its last line that starts with "error" (else its last
    line), and when that error is several (helm 3: "Error: 35 errors occurred:" then ``* …`` lines; helm 4:
    one error per line after "Error: "), the first ``limit`` different ones and how many more there are."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return default
    at = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].lower().startswith("error")), None)
    if at is None:
        return lines[-1]
    head, rest = lines[at], lines[at + 1 :]
    several = _SEVERAL.match(head)
    if several:
        errors = [line[1:].strip() for line in rest if line.startswith("*")]
        total = max(int(several["count"]), len(errors))
        head = head.rstrip(":")
    else:
        errors = [head.split(":", 1)[1].strip(), *rest] if rest and ":" in head else []
        total = len(errors)
        head = f"{head.split(':', 1)[0]}: {total} errors" if errors else head
    if not errors:
        return head
    counted: dict[str, int] = {}
    for error in errors:
        counted[error] = counted.get(error, 0) + 1
    quoted = [f"{e} (×{n})" if n > 1 else e for e, n in list(counted.items())[:limit]]
    shown = sum(n for _e, n in list(counted.items())[:limit])
    more = f"; and {total - shown} more" if total > shown else ""
    return f"{head}: {'; '.join(quoted)}{more}"


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the child's process group, then SIGKILL what is left after a moment."""
    if proc.poll() is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=3)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=3)


def _start(argv: Sequence[str], env: Mapping[str, str] | None, stdin: bool) -> subprocess.Popen[bytes]:
    if isinstance(argv, str):  # pragma: no cover - a programming error, never a user's
        raise TypeError("argv must be a list of arguments, not a shell string")
    try:
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
    except OSError as exc:
        raise ProcessError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc


class Lines:
    """The lines of a :func:`stream` to loop over with ``for``; :attr:`code` is the exit code once the loop ends."""

    def __init__(self, gen: Generator[Line, None, int]) -> None:
        self.gen = gen
        self.code = -1

    def __iter__(self) -> Iterator[Line]:
        self.code = int((yield from self.gen))

    def close(self) -> None:
        """Stop early: kills the process group (as closing the stream does)."""
        self.gen.close()


def stream(
    argv: Sequence[str],
    timeout: float,
    cancel: threading.Event | None = None,
    env: Mapping[str, str] | None = None,
    input_text: str | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Generator[Line, None, int]:
    """Yield the command's output lines as they come; the generator's return value is the exit code.

    Raises :class:`TimedOut` or :class:`Cancelled` (after killing the process group). Closing the
    generator early also kills the process group. ``on_start`` is called with the child's pid once it runs
    (e.g. to record a helm operation that would outlive a killed flyte-tui: :mod:`flyte_tui.tools.operation`).
    """
    proc = _start(argv, env, stdin=input_text is not None)
    if on_start is not None:
        on_start(proc.pid)
    deadline = time.monotonic() + timeout
    if input_text is not None and proc.stdin is not None:
        try:
            proc.stdin.write(input_text.encode())
            proc.stdin.close()
        except BrokenPipeError:
            pass
    selector = selectors.DefaultSelector()
    buffers: dict[Stream, bytes] = {"stdout": b"", "stderr": b""}
    assert proc.stdout is not None and proc.stderr is not None
    selector.register(proc.stdout, selectors.EVENT_READ, "stdout")
    selector.register(proc.stderr, selectors.EVENT_READ, "stderr")
    open_streams = 2
    try:
        while open_streams:
            if cancel is not None and cancel.is_set():
                raise Cancelled(f"{argv[0]} cancelled")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimedOut(f"{' '.join(argv[:3])} timed out after {timeout:.0f}s")
            for key, _ in selector.select(timeout=min(remaining, 0.1)):
                name: Stream = key.data
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    if buffers[name]:
                        yield Line(name, buffers[name].decode(errors="replace"))
                        buffers[name] = b""
                    continue
                buffers[name] += chunk
                *lines, buffers[name] = buffers[name].split(b"\n")
                for raw in lines:
                    yield Line(name, raw.rstrip(b"\r").decode(errors="replace"))
        remaining = max(deadline - time.monotonic(), 0.1)
        try:
            code = proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired as exc:
            raise TimedOut(f"{' '.join(argv[:3])} timed out after {timeout:.0f}s") from exc
        return code
    finally:
        selector.close()
        if proc.poll() is None:
            _kill_group(proc)
        for pipe in (proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                pipe.close()


def run(
    argv: Sequence[str],
    timeout: float = 60,
    cancel: threading.Event | None = None,
    env: Mapping[str, str] | None = None,
    input_text: str | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Completed:
    """Run to completion and collect the output (same guarantees as :func:`stream`)."""
    out: list[str] = []
    err: list[str] = []
    lines = Lines(stream(argv, timeout, cancel, env, input_text, on_start))
    for line in lines:
        (out if line.stream == "stdout" else err).append(line.text)
    return Completed(tuple(argv), lines.code, "\n".join(out), "\n".join(err))
