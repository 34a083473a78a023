"""The runner screen at 80×24: its log file holds everything it showed (one file per run), the title says
install or upgrade, the failure panel is readable and its buttons reachable by keyboard, and the readiness
table shows names and statuses whole.

The events are plain data standing in for the install core (whose own tests run on the real test bed):
these test the screen's own logic.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from flyte_tui.charts import validate_answers
from flyte_tui.events import (
    ComponentsChanged,
    Event,
    Explanation,
    InstallFinished,
    OutputLine,
    StepFailed,
    StepFinished,
    StepStarted,
)
from flyte_tui.install import InstallOptions
from flyte_tui.readiness import ComponentStatus, PodFailure
from flyte_tui.tui.screens.runner import NARROW, RunnerScreen
from flyte_tui.tui.widgets.live_log import LiveLog, plain
from tests.conftest import REALISTIC
from tests.tui.keys import SIZE, on_screen, shown_text

FIX = (
    "create the Secret db-pass in namespace flyte with the key pass.txt holding the database password, then run "
    "the install again; the last words of the fix are THE-END-OF-THE-FIX"
)
NAMES = ("flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler", "syncresources")


def component(name: str, ready: int, status: str, state: str, restarts: int = 0) -> ComponentStatus:
    failure = PodFailure(f"{name}-7d9c", name, status, "back-off 10s") if state == "failed" else None
    return ComponentStatus(name, 1, 1, ready, status, restarts, state, failure)  # type: ignore[arg-type]


def table(webhook: str, state: str, restarts: int = 0) -> ComponentsChanged:
    rows = [component(n, 1, "Running", "ready") for n in NAMES]
    return ComponentsChanged((*rows, component("flyte-pod-webhook", 0, webhook, state, restarts)))


def failed_run() -> Iterator[Event]:
    yield StepStarted("helm", "helm upgrade --install")
    yield OutputLine("helm", "\x1b[1mRelease \"flyte\" has been upgraded.\x1b[0m")
    yield StepFinished("helm", True, 2.5, "applied")
    yield StepStarted("readiness", "Waiting for Flyte components")
    yield table("ContainerCreating", "progressing")
    yield table("CrashLoopBackOff", "failed", restarts=12)
    explanation = Explanation(
        summary="back-off 10s restarting failed container",
        object="pod/flyte-pod-webhook-7d9c",
        container="webhook",
        cause="the webhook cannot read its database password: " + "the Secret is missing " * 8,
        fix=FIX,
        answer="database.passwordSecret",
        events=tuple(f"BackOff: Back-off restarting failed container ({i})" for i in range(6)),
        log_tail=tuple(f"FATAL: password authentication failed for user flyte ({i})" for i in range(10)),
    )
    yield StepFailed("readiness", "flyte-pod-webhook will not become ready: keeps crashing", explanation)
    yield InstallFinished(False, "deployed", 9.0, ("release flyte is deployed",))


def runner(tmp_path: Path, events: Iterable[Event] | None = None, **kw: object) -> RunnerScreen:
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    chosen = list(events) if events is not None else list(failed_run())

    def run(_plan: object, _options: object, _cancel: threading.Event) -> Iterator[Event]:
        return iter(chosen)

    return RunnerScreen(plan, InstallOptions(values_path=tmp_path / "values.yaml"), run=run, **kw)  # type: ignore[arg-type]


def painted(widget: Widget) -> list[str]:
    """Every line the widget paints, its border included."""
    width, height = widget.outer_size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


class Host(App[None]):
    def __init__(self, screen: RunnerScreen) -> None:
        super().__init__()
        self.runner = screen

    def on_mount(self) -> None:
        self.push_screen(self.runner)


async def finished(pilot, screen: RunnerScreen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if screen.finished is not None:
            break
        await asyncio.sleep(0.02)
    await pilot.pause()
    await pilot.pause()


async def test_the_log_holds_everything_the_runner_showed(tmp_path: Path) -> None:
    screen = runner(tmp_path)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await finished(pilot, screen)
    log = screen.log_path.read_text().splitlines()
    assert log[0].startswith("Installing Flyte: release flyte in namespace flyte")
    assert log[1:3] == ["==> helm upgrade --install", '    Release "flyte" has been upgraded.']  # no colour codes
    assert log[3] == "    ok (2.5s): applied"
    assert "    flyte-pod-webhook 0/1 ContainerCreating" in log and "    flyte-pod-webhook 0/1 CrashLoopBackOff" in log
    assert "    flyteadmin 1/1 Running" in log
    assert "FAILED: flyte-pod-webhook will not become ready: keeps crashing" in log
    assert "  Blocking object: pod/flyte-pod-webhook-7d9c (container webhook)" in log
    assert f"  Fix: {FIX}" in log and "  Answer to change: database.passwordSecret" in log
    assert "    FATAL: password authentication failed for user flyte (9)" in log
    assert log[-2:] == ["Install did not finish.", "  release flyte is deployed"]


async def test_each_run_keeps_its_own_log_and_the_runner_names_it(tmp_path: Path) -> None:
    first = runner(tmp_path)
    async with Host(first).run_test(size=SIZE) as pilot:
        await finished(pilot, first)
    second = runner(tmp_path, [StepStarted("preflight", "Preflight checks"), InstallFinished(True, "deployed", 1.0)])
    async with Host(second).run_test(size=SIZE) as pilot:
        await finished(pilot, second)
        shown = [plain(line) for line in second.query_one("#runner-log", LiveLog).lines]
        assert f"  full log: {second.log_path}" in shown
    assert second.log_path == first.log_path  # the newest run is always at the name the runner shows
    newest = second.log_path.read_text()
    assert "==> Preflight checks" in newest and "FAILED" not in newest
    kept = tmp_path / "flyte-tui-install.1.log"
    assert "FAILED: flyte-pod-webhook will not become ready" in kept.read_text()
    third = runner(tmp_path, [InstallFinished(True, "deployed", 1.0)])
    async with Host(third).run_test(size=SIZE) as pilot:
        await finished(pilot, third)
    assert "==> Preflight checks" in (tmp_path / "flyte-tui-install.2.log").read_text()
    assert "FAILED" in kept.read_text()


async def test_the_title_says_upgrade_during_an_upgrade(tmp_path: Path) -> None:
    screen = runner(tmp_path, upgrade=True)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await finished(pilot, screen)
        title = str(screen.query_one("#runner-title", Static).render())
        assert title.startswith("Upgrading Flyte: release flyte") and "Installing" not in title
    assert screen.log_path.read_text().startswith("Upgrading Flyte: release flyte")


async def test_the_failure_panel_is_readable_and_its_buttons_reachable_at_80x24(tmp_path: Path) -> None:
    screen = runner(tmp_path)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await finished(pilot, screen)
        panel = screen.query_one("#runner-failure")
        text = screen.query_one("#runner-failure-text", Static)
        assert panel.has_class("shown") and pilot.app.focused is panel  # focused: the arrows scroll it
        whole = " ".join(shown_text(text).split())
        assert FIX in whole and "Answer to change: database.passwordSecret" in whole  # wrapped, never cut
        assert on_screen(pilot.app, panel)  # type: ignore[arg-type]
        # the keyboard reaches every button, each scrolled into view, and the end of the text above them
        for button_id in ("change-answer", "open-doctor", "close"):
            for _ in range(10):
                if pilot.app.focused is not None and pilot.app.focused.id == button_id:
                    break
                await pilot.press("tab")
            button = screen.query_one(f"#{button_id}", Button)
            assert pilot.app.focused is button
            await pilot.pause()
            assert on_screen(pilot.app, button), button_id  # type: ignore[arg-type]
        shown = pilot.app.screen.find_widget(text)
        assert shown.visible_region.bottom == shown.region.bottom  # the text's last line is in view
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert pilot.app.focused is panel
        await pilot.press("home")
        await pilot.pause()
        assert pilot.app.screen.find_widget(text).visible_region.y == pilot.app.screen.find_widget(text).region.y


@pytest.mark.parametrize("size", [SIZE, (105, 30), (120, 40)], ids=["80x24", "105x30", "120x40"])
async def test_the_readiness_table_shows_names_and_statuses_whole_at_80_columns(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    screen = runner(tmp_path)
    async with Host(screen).run_test(size=size) as pilot:
        await finished(pilot, screen)
        grid = screen.query_one("#runner-components", DataTable)
        assert grid.virtual_size.width <= grid.scrollable_content_region.width  # nothing cut, nothing to scroll
        rows = [r.rstrip("│ ") for r in painted(grid)]
        assert any("✗ flyte-pod-webhook" in r and "CrashLoopBackOff" in r and r.endswith("12") for r in rows), rows
        assert any("status" in r and r.endswith("restarts") for r in rows), rows
        assert on_screen(pilot.app, grid)  # type: ignore[arg-type]
        steps = [r.rstrip("│ ") for r in painted(screen.query_one("#runner-steps"))]
        readiness = "Readiness" if size[0] < NARROW else "Waiting for Flyte components"  # short labels when narrow
        assert any("✓ helm" in r and "2.5s" in r for r in steps) and any(f"✗ {readiness}" in r for r in steps), steps


async def test_without_helm_the_log_says_what_failed_and_the_summary(tmp_path: Path) -> None:
    """Review → Save and install with no helm on PATH: the real installer stops in preflight; the log the
    runner names holds that, not nothing."""
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    missing = str(tmp_path / "no-such-helm")
    options = InstallOptions(values_path=tmp_path / "values.yaml", helm=missing, kubectl=str(tmp_path / "no-kubectl"))
    screen = RunnerScreen(plan, options)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await finished(pilot, screen)
        assert screen.finished is not None and not screen.finished.ok
    log = screen.log_path.read_text().splitlines()
    assert log[1] == "==> Preflight checks"
    failed = [line for line in log if line.startswith("FAILED: ")]
    assert failed and "helm" in failed[0], log
    assert "Install did not finish." in log
