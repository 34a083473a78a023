"""The Textual wizard: wires the step screens to one WizardState (the session). The core, the session and
the screens hold the logic; the app shows the screens, autosaves, saves, quits and reports failures."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from flyte_tui.files.autosave import Autosave
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.tui.state import FromState, WizardState
from flyte_tui.tui.steps import step_of
from flyte_tui.tui.styles import APP_CSS
from flyte_tui.tui.upgrade_flow import UpgradeFlow

if TYPE_CHECKING:
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.dialogs.quit import QuitChoice
    from flyte_tui.tui.screens.review import ReviewScreen
    from flyte_tui.tui.screens.runner import RunFactory, RunnerResult

WORK = {
    "detect": "detecting helm, kubectl and the kube contexts", "versions": "listing the chart's versions",
    "live": "reading the live release", "recover": "recovering the release", "review": "computing the upgrade",
    "install": "installing", "doctor": "running the doctor", "bundle": "writing the support bundle",
}
"""What each worker group does, for the message when one fails unexpectedly."""
log = logging.getLogger(__name__)


class Detected(Message):
    """The detection worker finished."""

    def __init__(self, detection: Detection) -> None:
        super().__init__()
        self.detection = detection


class WizardApp(UpgradeFlow):
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
        self.install_run = install_run
        """Stands in for the installer in tests (the runner screen's ``run``)."""
        self.state = WizardState(answers_path=answers_path, values_path=values_path, steady=deterministic)
        self.autosave = Autosave(recovery_dir)
        self.detector = detector
        if deterministic:
            self.animation_level = "none"  # no scrolling animations: tests and snapshots do not wait on them
        self._autosave_failed = False
        self._open_at_start = answers_path if answers_path and Path(answers_path).exists() else None
        self.stopping = threading.Event()
        """Set when the app closes: cancels the helm and kubectl calls its workers are waiting on."""

    def tools(self) -> tuple[str, str]:
        """The helm and kubectl binaries detection found (or the names, to be found on PATH)."""
        return self.state.tools()

    def _where(self) -> tuple[str, str, str]:
        return self.state.where()

    # -- start-up and failures ------------------------------------------------------------------

    def on_mount(self) -> None:
        offered = self.autosave if self.autosave.exists() else None
        self.push_screen(WelcomeScreen(self.state, autosave=offered, open_at_start=self._open_at_start))
        # Detection forks helm and kubectl: start it once the first frame is on screen.
        self.call_after_refresh(self.run_detection)

    def on_unmount(self) -> None:
        # Helm and kubectl processes started for the app (live release, upgrade review) stop with it.
        self.stopping.set()

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def run_detection(self) -> None:
        """Detect helm, kubectl, contexts and an existing release off the UI thread."""
        if self.detector is not None:
            result = self.detector()
        else:
            from flyte_tui.tools.detect import detect

            result = detect(*self.state.where()[1:])
        self.post_message(Detected(result))

    @on(Detected)
    def _detected(self, message: Detected) -> None:
        self.state.detection = message.detection
        if not self.started and not self.state.get("target.context"):
            self.state.set("target.context", message.detection.current_context)
            self.state.dirty = False
        if isinstance(self.screen, WelcomeScreen):
            self.screen.detection = message.detection  # attributes down: the screen shows it

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place an unexpected worker error is reported: a notification in our words and a log line.
        The screens' workers reach it too (:class:`~flyte_tui.tui.screens.base.WorkScreen`)."""
        if event.state is not WorkerState.ERROR:
            return
        worker, error = event.worker, event.worker.error
        doing = WORK.get(worker.group, f"running {worker.name}")
        log.error("worker %s (%s) failed while %s", worker.name, worker.group, doing, exc_info=error)
        self.notify(
            f"Something went wrong while {doing}: {type(error).__name__}: {error}. "
            "The wizard goes on; what you typed is kept.",
            title="Internal error",
            severity="error",
        )

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
        screen = self.screen
        return screen.STEP_ID if isinstance(screen, StepScreen) else "welcome"

    @on(StepScreen.Edited)
    def _edited(self) -> None:
        self._autosave()

    # -- installing -------------------------------------------------------------------------------

    # Named after the message (not @on): the review module loads only when its screen is shown.
    def on_review_screen_save_requested(self, message: ReviewScreen.SaveRequested) -> None:
        """Save to the files chosen on the review screen; then, for Install, hand the plan to the runner."""
        self.action_save()
        if message.install:
            self.install()

    def install(self) -> None:
        """Run the install on the runner screen (the typed password goes along, in memory only); for an
        upgrade, show its review first."""
        validation = self.state.validation
        if not validation.ok or validation.plan is None or self.state.dirty:
            self.notify("Fix the errors on the review screen before installing.", severity="error")
        elif self.upgrading:
            self.notify("Computing what the upgrade changes…")
            self.review_upgrade(validation.plan, self.state.install_options())
        else:
            self.run_install(validation.plan, self.state.install_options())

    def run_install(self, plan: InstallPlan, options: InstallOptions) -> None:
        """Push the runner screen for a plan."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        run = self.install_run
        runner = RunnerScreen(plan, options) if run is None else RunnerScreen(plan, options, run)
        self.push_screen(runner, self._install_done)

    def _install_done(self, result: RunnerResult | None) -> None:
        if result is not None and result.change_answer:
            self.goto(step_of(result.change_answer).id, result.change_answer)
        elif result is not None and result.open_doctor:
            self.open_doctor()

    # -- the existing release: upgrade and doctor -------------------------------------------------

    def open_doctor(self) -> None:
        """Diagnose the release the answers point at."""
        from flyte_tui.tui.screens.doctor import DoctorScreen

        self.push_screen(DoctorScreen(self.state.doctor_target()))

    # -- saving and quitting ------------------------------------------------------------------

    def _autosave(self) -> None:
        if not (self.started and self.state.dirty):
            return
        try:
            self.autosave.save(self.state.raw)
        except OSError as exc:
            if not self._autosave_failed:  # say it once, keep working
                self._autosave_failed = True
                self.notify(f"Autosave to {self.autosave.path} failed: {exc}", severity="warning")

    def action_save(self) -> None:
        """Save the answers (always) and the values (when the answers are valid); both atomic, with .bak."""
        from flyte_tui.tui.wizard_files import save

        if not self.started:
            self.notify("Choose how to start first.", severity="warning")
            return
        try:
            saved = save(self.state)
        except OSError as exc:
            self.notify(f"Saving failed: {exc}", severity="error")
            return
        self.autosave.clear()
        message, title, severity = saved.note()
        self.notify(message, title=title, severity=severity)
        if isinstance(self.screen, StepScreen):
            self.screen.refresh_problems()

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit; with unsaved changes, ask first. A running install is cancelled (after asking) first, so
        quitting never leaves helm or kubectl running with nobody watching."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        running = next((s for s in self.screen_stack if isinstance(s, RunnerScreen) and s.finished is None), None)
        if running is not None:
            self.notify("An install is running: cancel it first, then quit.", severity="warning")
            if self.screen is running:
                running.action_cancel()
        elif self.started and self.state.dirty:
            from flyte_tui.tui.dialogs.quit import ConfirmQuit

            self.push_screen(ConfirmQuit(), self._quit_chosen)
        else:
            self.autosave.clear() if self.started else None
            self.exit()

    def _quit_chosen(self, choice: QuitChoice | None) -> None:
        if choice == "save":
            self.action_save()
            if not self.state.dirty:
                self.exit()
        elif choice == "discard":
            self.autosave.clear()
            self.exit()

    # -- help, theme, palette -------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys and the focused field's help (from the model's docstrings)."""
        from flyte_tui.tui.dialogs.help import HelpDialog
        from flyte_tui.tui.widgets.field import FormField

        around = self.focused.ancestors_with_self if self.focused is not None else []
        field = next((node for node in around if isinstance(node, FormField)), None)
        self.push_screen(HelpDialog(field.label_text, field.help_text) if field else HelpDialog())

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.started:
            return
        # "Go to <step>" comes from the step screens' own provider, in the wizard's order (palette.py)
        yield SystemCommand("Save", "Save the answers and values files", self.action_save)


def make_app(
    answers_path: Path | None = None,
    *,
    values_path: Path | None = None,
    recovery_dir: Path | None = None,
    detector: Callable[[], Detection] | None = None,
    deterministic: bool = False,
    install_run: RunFactory | None = None,
) -> WizardApp:
    """The one factory for the CLI and the tests (tests pass a fixed detector and recovery dir)."""
    return WizardApp(
        answers_path, values_path=values_path, recovery_dir=recovery_dir, detector=detector,
        deterministic=deterministic, install_run=install_run,
    )


def run_app(answers_path: Path | None = None) -> None:
    """Run the wizard in the terminal (``flyte-tui`` with no arguments)."""
    make_app(answers_path).run()
