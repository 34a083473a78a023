"""The Textual wizard: wires the step screens to one WizardState (the session). The core, the session and
the screens hold the logic; the app shows the screens. Its bases bring the rest: detection
(:mod:`~flyte_tui.tui.detecting`), saving and quitting (:mod:`~flyte_tui.tui.saving`), the report of a failed
worker (:mod:`~flyte_tui.tui.failures`), the upgrade (:mod:`~flyte_tui.tui.upgrade_flow`) and the propeller secret
settled before an install (:mod:`~flyte_tui.tui.settling`)."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from flyte_tui import exit_codes
from flyte_tui.files.autosave import Autosave
from flyte_tui.tui.detecting import Detecting
from flyte_tui.tui.failures import ReportsFailures
from flyte_tui.tui.palette import system_commands
from flyte_tui.tui.saving import Saving
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.tui.settling import SettlesSecret
from flyte_tui.tui.state import FromState, WizardState
from flyte_tui.tui.steps import step_of
from flyte_tui.tui.styles import APP_CSS
from flyte_tui.tui.upgrade_flow import UpgradeFlow

if TYPE_CHECKING:
    from rich.console import RenderableType

    from flyte_tui.charts import PlannedRelease
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.screens.review import ReviewScreen
    from flyte_tui.tui.screens.runner import RunFactory, RunnerResult, RunnerScreen


class WizardApp(Detecting, Saving, ReportsFailures, UpgradeFlow, SettlesSecret):
    """flyte-tui's wizard: from cluster target to a saved answers file and values file."""

    CSS_PATH = APP_CSS
    TITLE = "flyte-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    # The session is self.state; these are its (read here by tests and the upgrade flow).
    answers_path: FromState[Path] = FromState()
    detection: FromState[Detection | None] = FromState()
    started: FromState[bool] = FromState()
    upgrading: FromState[bool] = FromState()

    def __init__(
        self,
        answers_path: Path | None = None,
        *,
        values_path: Path | None = None,
        recovery_dir: Path | None = None,
        detector: Callable[[], Detection] | None = None,
        deterministic: bool = False,
        install_run: RunFactory | None = None,
    ) -> None:
        super().__init__()
        self.install_run = install_run  # stands in for the installer in tests (the runner screen's ``run``)
        self.state = WizardState(answers_path=answers_path, values_path=values_path, steady=deterministic)
        self.autosave = Autosave(recovery_dir)
        self.detector = detector
        if deterministic:
            self.animation_level = "none"  # no scrolling animations: tests and snapshots do not wait on them
        self._open_at_start = answers_path if answers_path and Path(answers_path).exists() else None
        self.stopping = threading.Event()
        """Set when the app closes: cancels the helm and kubectl calls its workers are waiting on."""
        self.last_run: RunnerScreen | None = None
        """The session's last install or upgrade: how it ended is the process's exit code (:meth:`outcome`)."""

    def get_default_screen(self) -> Screen[Any]:
        """Welcome is the first screen, in the first frame painted (no blank screen is painted before it)."""
        offered = self.autosave if self.autosave.exists() else None
        welcome = WelcomeScreen(self.state, autosave=offered, open_at_start=self._open_at_start, first=True)
        welcome._push_result_callback(welcome, None)  # what switch_screen pops when the first step replaces it
        self.first_screen = welcome  # its controls and the detection start after the first frame (Detecting)
        return welcome

    def on_unmount(self) -> None:
        # Helm and kubectl processes started for the app (live release, upgrade review) stop with it.
        self.stopping.set()

    # -- moving between steps ---------------------------------------------------------------------

    @on(WelcomeScreen.Start)
    def _welcome_start(self, message: WelcomeScreen.Start) -> None:
        if message.mode == "doctor":
            self.open_doctor()
        else:
            self.notify("Reading the live release…")
            self.load_live()

    @on(WelcomeScreen.Begun)
    def _begun(self) -> None:
        self._autosave()
        self.goto("target")

    @on(StepScreen.Navigate)
    def _navigate(self, message: StepScreen.Navigate) -> None:
        self.goto(message.to, message.focus)

    def goto(self, step_id: str, focus: str | None = None) -> None:
        """Show a step (its answers are read from the state, so nothing typed is ever lost)."""
        self.state.visited.add(step_id)
        screen = self.screen
        if isinstance(screen, StepScreen) and step_id == screen.STEP_ID:
            if focus:
                screen.focus_field(focus)
            return
        from flyte_tui.tui.screens import step_screen

        self.switch_screen(step_screen(step_id)(self.state, focus))

    @property
    def current_step(self) -> str:
        """The step on screen."""
        return self.screen.STEP_ID if isinstance(self.screen, StepScreen) else "welcome"

    @on(StepScreen.Edited)
    def _edited(self) -> None:
        self._autosave()

    # -- installing -------------------------------------------------------------------------------

    # Named after the message (not @on): the review module loads only when its screen is shown.
    def on_review_screen_save_requested(self, message: ReviewScreen.SaveRequested) -> None:
        """Save to the files chosen on the review screen; for Install the values file only once the propeller
        secret is settled (:mod:`~flyte_tui.tui.settling` writes it with the plan that is installed), then run it."""
        if self.action_save(values=not message.install) and message.install:
            self.install(self.state.releases())

    def install(self, releases: Sequence[PlannedRelease] | None = None) -> None:
        """Run the install on the runner screen (the typed password in memory only); an upgrade's review first.
        The propeller secret is settled first (:mod:`~flyte_tui.tui.settling`): the settled plan is installed."""
        validation = self.state.validation
        if not validation.ok or validation.plan is None or self.state.dirty:
            self.notify("Fix the errors on the review screen before installing.", severity="error")
        elif self.upgrading:
            self.notify("Computing what the upgrade changes…")
            self.settle_then("review", validation.plan, self.state.install_options())
        else:  # a release that already exists goes through the upgrade review
            self.settle_then("install", validation.plan, self.state.install_options(), releases)

    def run_install(
        self, plan: InstallPlan, options: InstallOptions, releases: Sequence[PlannedRelease] | None = None
    ) -> None:
        """Push the runner screen for a plan (with its releases when already rendered, so none renders twice)."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        runner = RunnerScreen(plan, options, self.install_run, releases=releases, upgrade=self.upgrading)
        self.last_run = runner
        self.push_screen(runner, self._install_done)

    def _install_done(self, result: RunnerResult | None) -> None:
        if result is not None and result.change_answer:
            self.goto(step_of(result.change_answer).id, result.change_answer)
        elif result is not None and result.open_doctor:
            self.open_doctor()

    def outcome(self) -> int:
        """The wizard's exit code, from the session's last install or upgrade (README, "exit codes"): 130 when
        it was cancelled (as headless ``install``), 1 when it failed, 0 when it succeeded or none was run."""
        run = self.last_run
        if run is None or (run.finished is not None and run.finished.ok):
            return exit_codes.OK
        if run.cancel_event.is_set() or run.finished is None:  # the app closed with it running: it was stopped
            return exit_codes.CANCELLED
        return exit_codes.FAILED

    def exit(self, result: None = None, return_code: int = 0, message: RenderableType | None = None) -> None:
        """Quit; unless an error code is given, the code says how the last install or upgrade ended."""
        super().exit(result, return_code or self.outcome(), message)

    # -- the existing release: upgrade and doctor -------------------------------------------------

    def open_doctor(self) -> None:
        """Diagnose the release the answers point at."""
        from flyte_tui.tui.detecting import doctor_target
        from flyte_tui.tui.screens.doctor import DoctorScreen

        self.push_screen(DoctorScreen(doctor_target(self.state)))

    def run(self, **options: Any) -> None:
        """Run the app as :meth:`textual.app.App.run` does, with the objects made so far frozen first: they live
        as long as the process, so no full collection walks them. One did at start-up, right after the first
        frame was handed to the terminal's writer thread, and held it back."""
        gc.freeze()
        return super().run(**options)  # an exit value (the snapshot tests pass the screenshot through it)

    # -- help, theme, palette -------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys and the focused field's help (from the model's docstrings)."""
        from flyte_tui.tui.dialogs.help import help_for

        self.push_screen(help_for(self.focused))

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from system_commands(self.started, self.action_save)


make_app = WizardApp
"""The one factory for the CLI and the tests (tests pass a fixed detector and recovery dir)."""


def run_app(answers_path: Path | None = None) -> None:
    """Run the wizard in the terminal (``flyte-tui`` with no arguments); the process exits with the app's code
    (:meth:`WizardApp.outcome`, or 1 when the app itself crashed)."""
    app = WizardApp(answers_path)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
