"""Review → Install hands the saved plan to the runner screen, with the typed password in memory only."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from flyte_tui.events import Event, InstallFinished, StepFinished, StepStarted
from flyte_tui.files.answers import write_answers
from flyte_tui.install import InstallOptions
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.dialogs.cancel import ConfirmCancel
from flyte_tui.tui.screens.runner import RunnerScreen
from flyte_tui.tui.steps import STEPS
from tests.conftest import REALISTIC

from .keys import SIZE, next_step, ready, tab_to_id, type_text


async def test_install_runs_the_saved_plan_with_the_typed_password(
    wizard: Callable[..., WizardApp], answers_path: Path, tmp_path: Path
) -> None:
    canary = "CANARY-install-31c"
    write_answers(REALISTIC["eks"], answers_path)
    seen: list[tuple[InstallPlan, InstallOptions]] = []

    def run(plan: InstallPlan, options: InstallOptions, _cancel: threading.Event) -> Iterator[Event]:
        seen.append((plan, options))
        yield StepStarted("helm", "helm upgrade --install")
        yield StepFinished("helm", True, 0.1)
        yield InstallFinished(True, "deployed", 0.1, ())

    app = wizard(install_run=run)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.current_step == "target"  # the answers file given on the command line was opened
        for _ in range(3):
            await next_step(pilot)
        assert app.current_step == "database"
        await tab_to_id(pilot, "password-mode")
        await pilot.press("enter")  # "Type it now"
        await tab_to_id(pilot, "password")
        await type_text(pilot, canary)
        for _ in range(len(STEPS) - 5):  # Database to Review
            await next_step(pilot)
        assert app.current_step == "review"
        await tab_to_id(pilot, "install")
        await pilot.press("enter")
        for _ in range(50):
            if seen:
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, RunnerScreen)
    plan, options = seen[0]
    assert plan.environment == "eks"
    assert options.secrets.db_password == canary
    assert options.values_path == answers_path.with_name("flyte-values.yaml")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert canary not in path.read_text(encoding="utf-8", errors="replace"), path


async def test_typed_storage_keys_reach_the_installer_and_no_file(
    wizard: Callable[..., WizardApp], answers_path: Path, tmp_path: Path
) -> None:
    access, secret = "AKIACANARY0001", "CANARY-secret-key-9d2"
    write_answers(REALISTIC["generic"], answers_path)
    seen: list[InstallOptions] = []

    def run(_plan: InstallPlan, options: InstallOptions, _cancel: threading.Event) -> Iterator[Event]:
        seen.append(options)
        yield InstallFinished(True, "deployed", 0.1, ())

    app = wizard(install_run=run)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "storage"
        assert app.screen.query_one("#access-key").display
        await tab_to_id(pilot, "access-key")
        await type_text(pilot, access)
        await tab_to_id(pilot, "secret-key")
        await type_text(pilot, secret)
        assert (app.state.s3_access_key, app.state.s3_secret_key) == (access, secret)
        app.install()  # what "Save and install" does after saving
        await pilot.pause()
        for _ in range(50):
            if seen:
                break
            await pilot.pause(0.02)
    assert (seen[0].secrets.s3_access_key, seen[0].secrets.s3_secret_key) == (access, secret)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert access not in text and secret not in text, path


async def test_quitting_during_an_install_cancels_it_first(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    """Ctrl+Q never leaves helm running unwatched: it asks to cancel; the app quits once the run stopped."""
    write_answers(REALISTIC["eks"], answers_path)
    cancelled = threading.Event()

    def run(_plan: InstallPlan, _options: InstallOptions, cancel: threading.Event) -> Iterator[Event]:
        yield StepStarted("helm", "helm upgrade --install")
        cancel.wait(30)
        if cancel.is_set():
            cancelled.set()
        yield InstallFinished(False, "pending-install", 1.0, ("cancelled",))

    app = wizard(install_run=run)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(len(STEPS) - 2):  # Target to Review
            await next_step(pilot)
        assert app.current_step == "review"
        await tab_to_id(pilot, "install")
        await pilot.press("enter")
        for _ in range(50):
            if isinstance(app.screen, RunnerScreen):
                break
            await pilot.pause(0.02)
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmCancel)  # asked, not quit
        assert not cancelled.is_set()
        await tab_to_id(pilot, "yes")
        await pilot.press("enter")
        for _ in range(100):
            if runner.finished is not None:
                break
            await pilot.pause(0.02)
        assert cancelled.is_set() and runner.finished is not None
        await pilot.press("ctrl+q")  # the run is over: now it quits
        await pilot.pause()
        assert app.return_code == 130  # cancelled, as headless install exits (it was 0)


async def _install_and_quit(wizard: Callable[..., WizardApp], answers_path: Path, *ends: InstallFinished) -> int | None:
    """Install from Review once per ``ends`` (each run ends so), close the runner, then quit: the exit code."""
    write_answers(REALISTIC["eks"], answers_path)
    runs = iter(ends)

    def run(_plan: InstallPlan, _options: InstallOptions, _cancel: threading.Event) -> Iterator[Event]:
        yield StepStarted("helm", "helm upgrade --install")
        yield next(runs)

    app = wizard(install_run=run)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(len(STEPS) - 2):  # Target to Review
            await next_step(pilot)
        for _ in ends:
            assert app.current_step == "review"
            await tab_to_id(pilot, "install")
            await pilot.press("enter")
            for _ in range(100):
                if isinstance(app.screen, RunnerScreen) and app.screen.finished is not None:
                    break
                await pilot.pause(0.02)
            assert isinstance(app.screen, RunnerScreen) and app.screen.finished is not None
            await pilot.press("escape")  # close the finished runner: back to Review
            await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    return app.return_code


FAILED_RUN = InstallFinished(False, "failed", 1.0, ("release flyte is failed",))
READY_RUN = InstallFinished(True, "deployed", 1.0, ())


async def test_the_wizard_exits_1_after_a_failed_install(wizard: Callable[..., WizardApp], answers_path: Path) -> None:
    assert await _install_and_quit(wizard, answers_path, FAILED_RUN) == 1


async def test_the_wizard_exits_0_after_a_successful_install_even_after_a_failed_one(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    assert await _install_and_quit(wizard, answers_path, FAILED_RUN, READY_RUN) == 0


async def test_the_wizard_exits_0_when_nothing_was_installed(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_runner_screen_that_goes_away_cancels_its_install(tmp_path: Path) -> None:
    from textual.app import App

    from flyte_tui.charts import validate_answers

    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    cancelled = threading.Event()

    def run(_plan: InstallPlan, _options: InstallOptions, cancel: threading.Event) -> Iterator[Event]:
        yield StepStarted("helm", "helm upgrade --install")
        if cancel.wait(30):
            cancelled.set()
        yield InstallFinished(False, "pending-install", 1.0, ())

    screen = RunnerScreen(plan, InstallOptions(values_path=tmp_path / "values.yaml"), run=run)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test() as pilot:
        await pilot.pause(0.2)
        assert not cancelled.is_set()
    for _ in range(100):  # the app closed with the install still running
        if cancelled.is_set():
            break
        threading.Event().wait(0.02)
    assert cancelled.is_set()
