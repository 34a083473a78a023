"""The Textual wizard: wires the step screens to one WizardState (the session). The core, the session and
the screens hold the logic; the app shows the screens. Its bases bring the rest: detection
(:mod:`~flyte_tui.tui.detecting`), saving and quitting (:mod:`~flyte_tui.tui.saving`), the report of a failed
worker (:mod:`~flyte_tui.tui.failures`), the upgrade (:mod:`~flyte_tui.tui.upgrade_flow`), and the installs and
the exit code (:mod:`~flyte_tui.tui.installing`), each after the propeller secret is settled
(:mod:`~flyte_tui.tui.settling`)."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from flyte_tui.files.autosave import Autosave
from flyte_tui.tui.detecting import Detecting
from flyte_tui.tui.failures import ReportsFailures
from flyte_tui.tui.installing import Installing
from flyte_tui.tui.palette import system_commands
from flyte_tui.tui.saving import Saving
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.tui.state import FromState, WizardState
from flyte_tui.tui.styles import APP_CSS
from flyte_tui.tui.upgrade_flow import UpgradeFlow

if TYPE_CHECKING:

    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.screens.runner import RunFactory, RunnerScreen


class WizardApp(Detecting, Saving, ReportsFailures, UpgradeFlow, Installing):
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
