"""Cold start to the first screen painted: the wizard against a bare Textual app, as a ratio.

Run on demand (not a test): ``python benchmarks/bench_startup.py [--runs 15]``. Each sample is a fresh
interpreter; the clock starts just before the process is spawned and stops when Textual reports the
first frame displayed (``events.Ready``). The wizard runs with its real tool detection (in its
worker) and an empty recovery directory. Target: median ratio ≤ 1.3.

Both sides start from compiled bytecode, as after ``pip install``: pip compiles Textual's modules when it
installs them, but an editable checkout gets none when ``PYTHONDONTWRITEBYTECODE`` is set, so the
package is compiled first (into its ``__pycache__``, which git ignores).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
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
app.run(headless=True)
os._exit(0)  # do not wait for the detection worker's subprocesses
"""


def sample(kind: str, state_dir: str) -> float:
    """Seconds from spawning a fresh interpreter to the first painted frame."""
    env = dict(os.environ, STARTUP_T0=repr(time.time()))
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, state_dir], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"{kind} probe failed: {done.stderr.strip()[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="samples of each app (interleaved)")
    parser.add_argument("--target", type=float, default=1.3, help="the ratio to stay under")
    args = parser.parse_args()
    bare: list[float] = []
    wizard: list[float] = []
    package = Path(__file__).resolve().parents[1] / "flyte_tui"
    compileall.compile_dir(str(package), quiet=1)
    with tempfile.TemporaryDirectory() as state_dir:
        sample("bare", state_dir)  # warm the page cache; not counted
        sample("wizard", state_dir)
        for _ in range(args.runs):
            bare.append(sample("bare", state_dir))
            wizard.append(sample("wizard", state_dir))
    b, w = statistics.median(bare), statistics.median(wizard)
    print(f"bare textual app : median {b * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"flyte-tui wizard : median {w * 1000:7.1f} ms  (min {min(wizard) * 1000:.1f})")
    print(f"start-up ratio   : {w / b:.2f}x (target ≤ {args.target}x)")
    result = report(
        Result(
            "cold start to the first screen painted",
            w * 1000,
            "ms",
            b * 1000 * args.target,
            f"{args.target} × a bare Textual app ({b * 1000:.0f} ms)",
        )
    )
    return 0 if result.ratio <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
