"""A worker that fails is never silent: the app tells the user, in its own words, and logs the error."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from textual import work
from textual.pilot import Pilot
from textual.widgets import Static

from flyte_tui.tools.detect import Detection
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.screens.base import WorkScreen

from .keys import SIZE
from .test_behaviour import spy_notifications


async def until_notified(pilot: Pilot[None], notes: list[str]) -> None:
    """Wait (at most 5 s) for a notification; the worker's failure is not awaited (waiting would re-raise it)."""
    for _ in range(500):
        if notes:
            break
        await pilot.pause(0.01)
    await pilot.pause()


def broken_detector() -> Detection:
    raise RuntimeError("the kubeconfig is a directory")


async def test_a_failing_detection_is_reported_and_logged(
    wizard: Callable[..., WizardApp], caplog: pytest.LogCaptureFixture
) -> None:
    app = wizard(detector=broken_detector)
    notes = spy_notifications(app)
    with caplog.at_level(logging.ERROR, logger="flyte_tui.tui.app"):
        async with app.run_test(size=SIZE) as pilot:
            await until_notified(pilot, notes)
            assert app.is_running and app.current_step == "welcome"
            await pilot.press("enter")  # the wizard goes on: Start fresh
            await pilot.pause()
            assert app.current_step == "target"
    assert notes == [
        "Internal error: Something went wrong while detecting helm, kubectl and the kube contexts: "
        "RuntimeError: the kubeconfig is a directory. The wizard goes on; what you typed is kept."
    ]
    [record] = [r for r in caplog.records if r.name == "flyte_tui.tui.app"]
    assert "detect" in record.getMessage() and record.exc_info is not None
    assert str(record.exc_info[1]) == "the kubeconfig is a directory"


class Busy(WorkScreen[None]):
    """A screen whose worker fails (as any screen's worker might, through a bug)."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("working")

    def on_mount(self) -> None:
        self.crunch()

    @work(thread=True, group="crunch", exit_on_error=False)
    def crunch(self) -> None:
        raise ValueError("nothing to crunch")


async def test_a_failing_screen_worker_reaches_the_apps_handler(
    wizard: Callable[..., WizardApp], caplog: pytest.LogCaptureFixture
) -> None:
    app = wizard()
    notes = spy_notifications(app)
    with caplog.at_level(logging.ERROR, logger="flyte_tui.tui.app"):
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await app.push_screen(Busy())
            await until_notified(pilot, notes)
            assert app.is_running and isinstance(app.screen, Busy)
    assert notes == [
        "Internal error: Something went wrong while running crunch: ValueError: nothing to crunch. "
        "The wizard goes on; what you typed is kept."
    ]
    assert any(r.exc_info and str(r.exc_info[1]) == "nothing to crunch" for r in caplog.records)
