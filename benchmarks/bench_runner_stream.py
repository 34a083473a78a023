"""The runner screen stays responsive while a tool streams thousands of lines a second.

A stand-in install (plain events, no cluster) emits 5,000 lines/s for 4 s into the real runner screen
while a timer measures how late the UI's event loop runs (the lag a key press would see). Target: the
95th percentile lag stays under 100 ms, one frame budget for a terminal UI.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App

from benchmarks.harness import Result, report
from flyte_tui.charts import validate_answers
from flyte_tui.events import Event, InstallFinished, OutputLine, StepFinished, StepStarted
from flyte_tui.install import InstallOptions
from flyte_tui.tui.screens.runner import RunnerScreen
from tests.conftest import REALISTIC

RATE = 5000
SECONDS = 4.0


def stream(_plan: object, _options: object, cancel: threading.Event) -> Iterator[Event]:
    yield StepStarted("helm", "helm upgrade --install")
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < SECONDS and not cancel.is_set():
        due = int((time.monotonic() - start) * RATE)
        while sent < due:
            yield OutputLine(
                "helm", f"\x1b[36mI1129 05:00:00.000000 {sent:>8} reconcile.go:42] applied object {sent}\x1b[0m"
            )
            sent += 1
        time.sleep(0.001)
    yield StepFinished("helm", True, SECONDS)
    yield InstallFinished(True, "deployed", SECONDS)


async def measure(tmp: Path) -> tuple[list[float], int]:
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    screen = RunnerScreen(plan, InstallOptions(values_path=tmp / "values.yaml"), run=stream)
    lags: list[float] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)
            self.expected = time.monotonic() + 0.02
            self.set_interval(0.02, self.tick)

        def tick(self) -> None:
            now = time.monotonic()
            lags.append(max(now - self.expected, 0.0) * 1000)
            self.expected = now + 0.02

    app = Host()
    async with app.run_test(size=(120, 40)):
        while screen.finished is None:
            await asyncio.sleep(0.05)
    return lags, screen.lines_seen


def main() -> None:
    """Run once and report the lag."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        lags, lines = asyncio.run(measure(Path(tmp)))
    p95 = statistics.quantiles(lags, n=20)[-1]
    print(
        f"  {lines} lines in {SECONDS:.0f} s ({lines / SECONDS:.0f}/s); UI lag median {statistics.median(lags):.1f} ms"
    )
    report(Result("runner UI lag p95 while streaming", p95, "ms", 100.0, "one frame budget"))


if __name__ == "__main__":
    main()
