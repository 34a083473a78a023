"""Welcome offers what is obvious: the answers file in this directory, how to get helm, and a helm binary
picked from PATH (helm3 / helm4); Review warns before Save and install when helm is missing; a first save
keeps no backup and says none."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from flyte_tui.events import Event
from flyte_tui.files.answers import write_answers
from flyte_tui.install import InstallOptions
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools.detect import Detection, Tool
from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.screens.runner import RunnerScreen
from tests.conftest import HELM_BIN, REALISTIC

from .conftest import FIXED
from .keys import SIZE, on_screen, ready, shown_text, tab_to_id
from .test_behaviour import spy_notifications
from .test_keyboard import begin

NO_HELM = Detection(
    helm=Tool("helm", error="not found on PATH"), kubectl=FIXED.kubectl, contexts=FIXED.contexts,
    current_context=FIXED.current_context, release_exists=False, release_note=FIXED.release_note,
)


def tools_text(app: WizardApp) -> str:
    return str(app.screen.query_one("#tools", Static).render())


async def test_an_answers_file_in_this_directory_is_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_answers(REALISTIC["sandbox"], Path("flyte-tui.yaml"))
    app = make_app(None, recovery_dir=tmp_path / "state", detector=lambda: FIXED, deterministic=True)  # `flyte-tui`
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.current_step == "welcome"  # offered, not opened behind the user's back
        offer = app.screen.query_one("#open-existing")
        assert shown_text(offer).strip() == "Open ./flyte-tui.yaml" and on_screen(app, offer)
        await tab_to_id(pilot, "open-existing")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_step == "target"
        assert app.state.get("environment") == "sandbox"


async def test_without_helm_welcome_says_how_to_get_it(
    wizard: Callable[..., WizardApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no helm of any name
    app = wizard(detector=lambda: NO_HELM)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = tools_text(app)
        assert "✗ helm: not found on PATH" in text
        assert "https://helm.sh/docs/intro/install/" in text and "helm 3 or 4" in text
        assert not app.screen.query("#helm-binary")  # nothing to pick from


@pytest.mark.skipif(not (HELM_BIN / "helm4").exists(), reason=f"{HELM_BIN}/helm4 missing: tests/cluster/install-helm")
async def test_a_helm_binary_can_be_picked_from_path(
    wizard: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(HELM_BIN))  # as on the test bed: helm3 and helm4, no helm
    app = wizard(detector=lambda: NO_HELM)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause()
        await tab_to_id(pilot, "helm-binary")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("home", "down", "down", "enter")  # the blank line, helm3, helm4
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert tools_text(app).splitlines()[0].startswith("✓ helm v4.")
        assert "helm.sh/docs" not in tools_text(app)
        assert app.state.tools()[0] == str(HELM_BIN / "helm4")  # what the installer and doctor will run


async def test_review_warns_and_save_and_install_does_not_run_without_helm(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    ran: list[InstallPlan] = []

    def run(plan: InstallPlan, options: InstallOptions, _cancel: threading.Event) -> Iterator[Event]:
        ran.append(plan)
        yield from ()

    app = wizard(detector=lambda: NO_HELM, install_run=run)
    notes = spy_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "review")
        warning = app.screen.query_one("#helm-missing")
        assert "helm: not found on PATH" in shown_text(warning)
        assert "https://helm.sh/docs/intro/install/" in shown_text(warning)
        await tab_to_id(pilot, "install")
        assert on_screen(app, warning)  # above the button: read before pressing it
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, RunnerScreen) and ran == []
        assert any(n.startswith("Saved, not installed") for n in notes), notes
        assert answers_path.exists()  # the save itself went ahead


async def test_a_first_save_keeps_no_backup_and_says_none(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    notes = spy_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "review")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not list(answers_path.parent.glob("*.bak"))
        assert notes and "kept" not in notes[-1], notes
        app.state.set("database.host", "db2.example.com")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (answers_path.parent / "flyte-tui.yaml.bak").exists()
        assert f"Previous kept as {answers_path}.bak" in notes[-1], notes[-1]
