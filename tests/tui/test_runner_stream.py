"""The runner screen keeps up with fast output: bounded on screen, complete in the log file.

The events are plain data standing in for the install core (whose own tests run on the real test bed):
this tests the screen's batching and its bounded log, nothing else.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.widgets import RichLog

from flyte_tui.events import Event, InstallFinished, OutputLine, StepFinished, StepStarted
from flyte_tui.install import InstallOptions
from flyte_tui.model import validate_answers
from flyte_tui.screens.runner import LOG_LINES, RunnerScreen
from tests.conftest import REALISTIC


def burst(n: int) -> Iterator[Event]:
    yield StepStarted("helm", "helm upgrade --install")
    for i in range(n):
        yield OutputLine("helm", f"\x1b[32mline {i}\x1b[0m")
    yield StepFinished("helm", True, 1.0)
    yield InstallFinished(True, "deployed", 1.0, ("Flyte console: https://flyte.acme.com/console",))


async def test_thousands_of_lines_stay_bounded_on_screen_and_complete_on_disk(tmp_path: Path) -> None:
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    lines = 5 * LOG_LINES

    def run(_plan: object, _options: object, _cancel: threading.Event) -> Iterator[Event]:
        return burst(lines)

    screen = RunnerScreen(plan, InstallOptions(values_path=tmp_path / "values.yaml"), run=run)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            if screen.finished is not None:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        assert screen.lines_seen == lines
        assert len(screen.query_one("#runner-log", RichLog).lines) <= LOG_LINES + 10
        on_disk = screen.log_path.read_text().splitlines()
        assert len(on_disk) == lines and on_disk[-1] == f"\x1b[32mline {lines - 1}\x1b[0m"
