"""The uninstall path of the wizard at 80×24: Welcome offers Uninstall for a detected release, the preview
screen shows what goes and what stays (purge switches it), the confirm dialog repeats it with the safe choice
focused, and the runner says Uninstalling and ends Uninstalled.

The preview and the events are plain data standing in for the core (whose own tests run on the real test
bed: tests/e2e/test_uninstall.py); these test the screens' own logic.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

from textual.app import App
from textual.widgets import Button, Static

from flyte_tui.events import Event, InstallFinished, OutputLine, StepFinished, StepStarted
from flyte_tui.release import ReleaseInfo, describe_release
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.screens.uninstall import ConfirmUninstall, UninstallScreen
from flyte_tui.tui.screens.uninstall_run import UninstallRunner
from flyte_tui.uninstall import Preview, UninstallOptions, UninstallTarget, for_release
from flyte_tui.uninstall.preview import CrdToKeep, ReleaseToRemove

from .conftest import FIXED
from .keys import SIZE, ready, tab_to_id

INFO = ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.8", 3, "deployed", "2026-11-29T10:02:33+01:00")
PREVIEW = Preview(
    "kind-flyte",
    "flyte",
    (ReleaseToRemove(INFO, crds=("flyteworkflows.flyte.lyft.com",), pods=("flyteadmin-1", "datacatalog-1")),),
    secrets=("db-pass",),
    crds=(CrdToKeep("flyteworkflows.flyte.lyft.com", "flyte", "FlyteWorkflow", 2),),
)


def events(preview: Preview, options: UninstallOptions, cancel: threading.Event) -> Iterator[Event]:
    for step, title in (("keep-flyte", "Keep the CRD/PVCs of flyte"), ("uninstall-flyte", "helm uninstall flyte")):
        yield StepStarted(step, title)
        yield OutputLine(step, f"{step} done")
        yield StepFinished(step, True, 0.1)
    yield InstallFinished(True, "uninstalled", 0.3, ("release flyte uninstalled",))


class Host(App[None]):
    """An app that shows the uninstall screen and remembers how it ended."""

    def __init__(self, target: UninstallTarget, tmp_log: Any) -> None:
        super().__init__()
        self.target = target
        self.log_file = tmp_log
        self.ended: list[bool | None] = []

    def on_mount(self) -> None:
        screen = UninstallScreen(self.target, UninstallOptions(), log_path=self.log_file,
                                 read=lambda *_: PREVIEW, run=events)  # fmt: skip
        self.push_screen(screen, self.ended.append)


def lines(app: App[Any]) -> str:
    return str(app.screen.query_one("#uninstall-lines", Static).render())


async def test_preview_confirm_and_run(tmp_path) -> None:
    app = Host(for_release("flyte", "flyte", "kind-flyte"), tmp_path / "uninstall.log")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(app.screen.query_one("#uninstall-title", Static).render()) == (
            "Uninstall release flyte in namespace flyte (kind-flyte)"
        )
        assert "  flyte: flyte-core-v1.16.8, revision 3, deployed, 2 pod(s)" in lines(app)
        assert "FlyteWorkflow object(s) in all namespaces): kept" in lines(app)
        assert not app.screen.query_one("#uninstall", Button).disabled
        await tab_to_id(pilot, "purge")
        await pilot.press("space")  # purge: the preview says what goes now
        assert "deleted (--purge), and every FlyteWorkflow with it" in lines(app)
        await pilot.press("space")
        await tab_to_id(pilot, "uninstall")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmUninstall)
        assert app.focused is not None and app.focused.id == "keep"  # the safe choice first
        await pilot.press("escape")  # kept: nothing ran
        assert isinstance(app.screen, UninstallScreen) and app.ended == []
        await pilot.press("enter")
        await tab_to_id(pilot, "confirm-uninstall")
        await pilot.press("enter")
        assert isinstance(app.screen, UninstallRunner)
        assert str(app.screen.query_one("#runner-title", Static).render()) == (
            "Uninstalling: release flyte in namespace flyte (kind-flyte)"
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#runner-status", Static).render())
        assert status.startswith("Uninstalled."), status
        steps = str(app.screen.query_one("#runner-steps", Static).render())
        assert [line.split()[:2] for line in steps.splitlines()] == [
            ["✓", "Keep"], ["✓", "flyte"], ["·", "Pods"], ["·", "Secrets"],
        ]  # the uninstall's own steps, short at 80 columns  # fmt: skip
        await pilot.press("escape")
        await pilot.pause()
        assert app.ended == [True]
    assert "helm uninstall flyte" in (tmp_path / "uninstall.log").read_text()


async def test_welcome_offers_uninstall_for_a_detected_release(wizard: Callable[..., WizardApp]) -> None:
    line, meaning = describe_release(INFO)
    found = dataclasses.replace(FIXED, release_exists=True, release_note=line, release=INFO, release_attention=meaning)
    app = wizard(detector=lambda: found)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tab_to_id(pilot, "uninstall")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UninstallScreen)
        assert app.screen.target == for_release("flyte", "flyte", "kind-flyte")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#release-buttons").display  # back on Welcome, nothing removed


async def test_welcome_has_no_uninstall_without_a_release(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not app.screen.query_one("#release-buttons").display  # Uninstall it is in that row
        assert app.screen.query_one("#uninstall", Button).parent is app.screen.query_one("#release-buttons")
