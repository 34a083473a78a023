"""Pilot tests of the runner screen over real installs on the test bed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Button, DataTable, Static

from flyte_tui.tui.screens.runner import RunnerResult, RunnerScreen
from tests.e2e.test_install import answers, options, plan_of

pytestmark = pytest.mark.e2e


class Host(App[None]):
    """A bare app that opens the runner and keeps its result."""

    def __init__(self, screen: RunnerScreen) -> None:
        super().__init__()
        self.runner = screen
        self.result: RunnerResult | None = None

    def on_mount(self) -> None:
        def done(result: RunnerResult | None) -> None:
            self.result = result

        self.push_screen(self.runner, done)


async def wait_finished(pilot: Any, screen: RunnerScreen, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if screen.finished is not None:
            await pilot.pause()
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the install did not finish")


async def test_runner_screen_shows_a_real_install_to_the_end(testbed, namespace, tmp_path: Path) -> None:
    plan = plan_of(answers(testbed, namespace))
    screen = RunnerScreen(plan, options(testbed, Path(testbed.helm4), tmp_path))
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_finished(pilot, screen)
        assert screen.finished is not None and screen.finished.ok
        table = screen.query_one("#runner-components", DataTable)
        assert table.row_count == 7
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert all(r.startswith("✓") for r in rows), rows
        status = str(screen.query_one("#runner-status", Static).render())
        assert "Flyte is ready." in status and "deployed" in status
        assert not screen.query_one("#runner-failure").has_class("shown")
        log = screen.log_path.read_text()
        assert "STATUS: deployed" in log
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is not None and app.result.finished is not None and app.result.finished.ok


async def test_failure_panel_names_the_object_and_leads_back_to_the_answer(testbed, namespace, tmp_path) -> None:
    plan = plan_of(
        answers(
            testbed,
            namespace,
            flyteadmin={
                "podLabels": {"sim.kwok.test/fault": "crashloop"},
                "podAnnotations": {"sim.kwok.test/logs": "db-auth-failed"},
            },
        )
    )
    screen = RunnerScreen(plan, options(testbed, Path(testbed.helm4), tmp_path, timeout=300.0))
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_finished(pilot, screen)
        assert screen.query_one("#runner-failure").has_class("shown")
        text = str(screen.query_one("#runner-failure-text", Static).render())
        assert "Blocking object: pod/flyteadmin-" in text
        assert "password authentication failed" in text
        assert "Answer to change: database.passwordSecret" in text
        screen.query_one("#change-answer", Button).press()
        await pilot.pause()
        assert app.result is not None and app.result.change_answer == "database.passwordSecret"


async def test_cancel_asks_first_then_reports_the_release_state(testbed, namespace, tmp_path) -> None:
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    screen = RunnerScreen(plan, options(testbed, Path(testbed.helm4), tmp_path, timeout=300.0))
    app = Host(screen)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            if screen.step_state["readiness"][0] == "▶":
                break
            await asyncio.sleep(0.1)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#no")  # keep going first: nothing is cancelled
        await pilot.pause()
        assert not screen.cancel_event.is_set()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await wait_finished(pilot, screen)
        assert screen.finished is not None and not screen.finished.ok
        assert screen.finished.release_state == "deployed"
        assert "Release state: deployed" in str(screen.query_one("#runner-status", Static).render())
