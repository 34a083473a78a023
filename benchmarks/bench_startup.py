"""Cold start to the first screen painted: the wizard against a bare Textual app, as a ratio.

Run on demand (not a test): ``python benchmarks/bench_startup.py [--mode headless|terminal|both] [--runs 15]``.
Each sample is a fresh interpreter, and the clock starts just before the process is spawned. Two ways to
stop it, both compared with a bare Textual app that shows one line:

- ``headless``: Textual reports the first frame (``events.Ready``) of an app run with ``headless=True``, at the
  terminal mode's size (without one, Rich's 80×25 and the headless driver's 80×24 disagree, and an app whose
  mount takes longer is laid out and painted once more at the second size: not what a user's terminal does).
  It leaves out the terminal driver and the writing of the frame.
- ``terminal``: the app runs in a pseudo-terminal (120×40, ``TERM=xterm-256color``) as a user starts it,
  through the ``flyte-tui`` entry point, and the clock stops when the Welcome screen's text (the bare
  app's one line) is read from the terminal. This is what a user waits for.

The wizard runs with its real tool detection (in its worker), an empty state directory and no answers
file. Target: median ratio ≤ 1.3 in both modes.

Both sides start from compiled bytecode, as after ``pip install``: pip compiles Textual's modules when it
installs them, but an editable checkout gets none when ``PYTHONDONTWRITEBYTECODE`` is set, so the
package is compiled first (into its ``__pycache__``, which git ignores).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import Result, report

PROBE = r"""
import os, sys, time
start = float(os.environ["STARTUP_T0"])
kind = sys.argv[1]
if kind == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Probe(App[None]):
        def compose(self):
            yield Static("hello")

        def on_ready(self) -> None:
            print(f"{time.time() - start:.6f}", flush=True)
            self.exit()

    app = Probe()
else:
    from pathlib import Path
    from flyte_tui.tui.app import WizardApp

    class Probe(WizardApp):
        def on_ready(self) -> None:
            assert type(self.screen).__name__ == "WelcomeScreen"
            print(f"{time.time() - start:.6f}", flush=True)
            self.exit()

    app = Probe(recovery_dir=Path(sys.argv[2]))
app.run(headless=True, size=(int(sys.argv[3]), int(sys.argv[4])))
os._exit(0)  # do not wait for the detection worker's subprocesses
"""

BARE_APP = r"""
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("hello, this is one line")

Bare().run()
"""

TERMINAL_SIZE = (40, 120)
"""Rows and columns of the pseudo-terminal."""
MARKERS = {"bare": "hello, this is one line", "wizard": "This wizard writes two files"}
"""The text whose arrival on the terminal stops the clock (the wizard's: the Welcome screen's first line)."""
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
"""CSI, OSC and two-byte escape sequences: removed before looking for the marker."""


def sample(kind: str, state_dir: str) -> float:
    """Headless: seconds from spawning a fresh interpreter to the first frame Textual reports."""
    env = dict(os.environ, STARTUP_T0=repr(time.time()))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, state_dir, str(TERMINAL_SIZE[1]), str(TERMINAL_SIZE[0])],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"{kind} probe failed: {done.stderr.strip()[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def terminal_sample(kind: str, work_dir: str, timeout: float = 30.0) -> float:
    """Terminal: seconds from spawning the app in a pseudo-terminal until its text is on the terminal."""
    argv = [sys.executable, "-c", BARE_APP] if kind == "bare" else [sys.executable, "-m", "flyte_tui.cli"]
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", XDG_STATE_HOME=str(Path(work_dir) / "state"))
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *TERMINAL_SIZE, 0, 0))
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=work_dir, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    marker = MARKERS[kind].encode()
    try:
        while time.monotonic() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the app exited (EIO on Linux)
                break
            seen += chunk
            if marker in ESCAPES.sub(b"", seen):
                return time.monotonic() - start
        raise RuntimeError(f"{kind}: {MARKERS[kind]!r} never appeared; the terminal showed {seen[-2000:]!r}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the app and the helm/kubectl its detection started
        proc.wait(timeout=10)
        os.close(master)


def measure(mode: str, runs: int) -> tuple[list[float], list[float]]:
    """Interleaved samples of the bare app and the wizard (one of each first, not counted: page cache)."""
    bare: list[float] = []
    wizard: list[float] = []
    with tempfile.TemporaryDirectory() as work_dir:

        def take(kind: str) -> float:
            return sample(kind, work_dir) if mode == "headless" else terminal_sample(kind, work_dir)

        take("bare")
        take("wizard")
        for _ in range(runs):
            bare.append(take("bare"))
            wizard.append(take("wizard"))
    return bare, wizard


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mode", choices=("headless", "terminal", "both"), default="both")
    parser.add_argument("--runs", type=int, default=15, help="samples of each app (interleaved)")
    parser.add_argument("--target", type=float, default=1.3, help="the ratio to stay under")
    args = parser.parse_args()
    package = Path(__file__).resolve().parents[1] / "flyte_tui"
    compileall.compile_dir(str(package), quiet=1)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    worst = 0.0
    for mode in ("headless", "terminal") if args.mode == "both" else (args.mode,):
        bare, wizard = measure(mode, args.runs)
        b, w = statistics.median(bare), statistics.median(wizard)
        ratios = sorted(wi / bi for bi, wi in zip(bare, wizard, strict=True))
        print(f"[{mode}] bare textual app : median {b * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
        print(f"[{mode}] flyte-tui wizard : median {w * 1000:7.1f} ms  (min {min(wizard) * 1000:.1f})")
        print(
            f"[{mode}] start-up ratio   : {w / b:.2f}x of the medians, median of the paired ratios "
            f"{statistics.median(ratios):.2f}x (target ≤ {args.target}x)"
        )
        result = report(
            Result(
                f"cold start to the first screen painted ({mode})",
                w * 1000,
                "ms",
                b * 1000 * args.target,
                f"{args.target} × a bare Textual app ({b * 1000:.0f} ms)",
            )
        )
        worst = max(worst, result.ratio)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
