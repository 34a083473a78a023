"""The runner screen keeps up with fast output: bounded on screen, complete in the log file (which holds
every event as plain lines: the steps, every output line without its colour codes, the summary).

The events are plain data standing in for the install core (whose own tests run on the real test bed):
this tests the screen's batching and its bounded log, nothing else.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.selection import Selection

from flyte_tui.charts import validate_answers
from flyte_tui.events import Event, InstallFinished, OutputLine, StepFinished, StepStarted
from flyte_tui.install import InstallOptions
from flyte_tui.tui.screens.runner import LOG_LINES, RunnerScreen
from flyte_tui.tui.widgets.live_log import LiveLog
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
        assert len(screen.query_one("#runner-log", LiveLog).lines) <= LOG_LINES + 10
        on_disk = screen.log_path.read_text().splitlines()
        assert on_disk[0].startswith("Installing Flyte: release flyte in namespace flyte")
        assert on_disk[1] == "==> helm upgrade --install"
        assert on_disk[2 : 2 + lines] == [f"    line {i}" for i in range(lines)]  # every helm line, in order
        assert on_disk[2 + lines :] == ["    ok (1.0s)", "Flyte is ready.", "  Flyte console: https://flyte.acme.com/console"]


GREEN = 2
"""ANSI colour number of green (SGR 32)."""


def visible(log: LiveLog) -> list[list[tuple[str, int | None]]]:
    """What the log shows: per screen row, its (text, ANSI colour number) segments."""
    rows = []
    for y in range(log.scrollable_content_region.height):
        segments = [seg for seg in log.render_line(y) if seg.text.strip()]
        rows.append([(seg.text, seg.style.color.number if seg.style and seg.style.color else None) for seg in segments])
    return rows


async def test_the_log_shows_the_latest_lines_in_their_colours_without_escape_codes(tmp_path: Path) -> None:
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    screen = RunnerScreen(plan, InstallOptions(values_path=tmp_path / "values.yaml"), run=lambda *_: burst(300))

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            if screen.finished is not None:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        rows = [row for row in visible(screen.query_one("#runner-log", LiveLog)) if row]
        shown = ["".join(text for text, _ in row) for row in rows]
        assert not any("\x1b" in row or "[32m" in row for row in shown)
        # scrolled to the end: the last output line, then the summary the runner writes
        assert "line 299" in shown
        assert shown[-3:][0].strip() == "Flyte is ready." and "full log:" in shown[-1]
        colours = dict((text.strip(), colour) for row in rows for text, colour in row)
        assert colours["line 299"] == GREEN
        assert colours["Flyte is ready."] == GREEN


async def test_live_log_keeps_only_the_last_lines_and_copies_without_codes() -> None:
    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield LiveLog(max_lines=50, id="log")

    async with Host().run_test(size=(60, 10)) as pilot:
        log = pilot.app.query_one(LiveLog)
        log.write_lines(f"\x1b[31merror {i}\x1b[0m\tend" for i in range(120))
        await pilot.pause()
        assert len(log.lines) == 50 and log.lines[0].startswith("\x1b[31merror 70")
        assert log.virtual_size.width == len("error 119") + 8 - len("error 119") % 8 + len("end")
        text, _ = log.get_selection(Selection(None, None)) or ("", "")
        assert text.splitlines()[-1] == "error 119\tend" and "\x1b" not in text
