"""The doctor screen (Pilot + one SVG snapshot), driven by a snapshot captured from the test bed
(tests/doctor/data/sick.json: flyteadmin crash-looping on a bad DB password, datacatalog ImagePullBackOff…).
No cluster: the screen's gather function is replaced by one that returns that snapshot."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from flyte_tui.doctor import DoctorTarget, Report, Snapshot, all_checks
from flyte_tui.doctor.snapshot import snapshot_from_json
from flyte_tui.tui.screens.doctor import DoctorScreen

SICK = Path(__file__).resolve().parents[1] / "doctor" / "data" / "sick.json"
TARGET = DoctorTarget(namespace="sick", release="flyte")
SIZE = (100, 32)


class Host(App[None]):
    """A bare app that opens the doctor screen, as the welcome screen or the runner would."""

    def __init__(self) -> None:
        super().__init__()
        self.gathered = 0
        self.closed_with: Report | str | None = "open"
        self.copied: str | None = None

    def gather(self, target: DoctorTarget, cancel: threading.Event) -> Snapshot:
        self.gathered += 1
        return snapshot_from_json(json.loads(SICK.read_text()), target)

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(DoctorScreen(TARGET, self.gather), callback=self.doctor_closed)

    def doctor_closed(self, report: Report | None) -> None:
        self.closed_with = report

    def copy_to_clipboard(self, text: str) -> None:
        self.copied = text


async def settled(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rows(screen: DoctorScreen) -> dict[str, str]:
    table = screen.query_one("#checks", DataTable)
    out = {}
    for key in table.rows:
        state = table.get_cell(key, "state")
        out[str(key.value)] = str(state).split()[-1]
    return out


async def select(pilot: Pilot[None], screen: DoctorScreen, check_id: str) -> None:
    table = screen.query_one("#checks", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(check_id))
    await pilot.pause()


async def test_every_check_shows_its_state_and_the_failures_explain_themselves() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen)
        states = rows(screen)
        assert list(states) == [c.id for c in all_checks()]
        assert states["component.flyteadmin"] == "fail" and states["tools.helm"] == "pass"
        assert states["events.warnings"] == "warn"
        status = str(screen.query_one("#doctor-status", Static).render())
        assert "failed" in status and "11 kubectl/helm calls" in status  # 10 reads + 1 log
        await select(pilot, screen, "component.flyteadmin")
        detail = str(screen.query_one("#doctor-detail", Static).render())
        assert "password authentication failed" in detail
        assert "$ kubectl -n sick logs flyteadmin-" in detail
        await pilot.press("c")
        assert app.copied is not None and "--previous" in app.copied


async def test_filter_to_problems_and_back() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen)
        await pilot.press("p")
        shown = rows(screen)
        assert shown and set(shown.values()) <= {"fail", "warn"}
        assert "tools.helm" not in shown
        await pilot.press("p")
        assert len(rows(screen)) == len(all_checks())


async def test_rerun_gathers_again_and_escape_returns_the_report() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("r")
        await settled(pilot)
        assert app.gathered == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.closed_with, Report) and app.closed_with.exit_code == 3


async def test_it_starts_at_the_first_failing_check() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen)
        states = rows(screen)
        first_failing = next(check for check, state in states.items() if state == "fail")
        assert screen._current_id() == first_failing
        detail = str(screen.query_one("#doctor-detail", Static).render())
        assert detail.startswith(screen.findings[first_failing].title)


async def test_the_detail_pane_uses_the_space_at_80x24() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        pane = app.screen.query_one("#doctor-detail-scroll")
        assert pane.size.height >= 10  # of the 21 lines between the title lines and the footer
        table = app.screen.query_one("#checks", DataTable)
        assert table.size.height >= 5  # the cursor row and a few around it stay in view


def test_doctor_screen_snapshot(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settled(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DoctorScreen)
        await select(pilot, screen, "component.flyteadmin")

    assert snap_compare(Host(), run_before=run_before, terminal_size=SIZE)
