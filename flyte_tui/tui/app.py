"""The Textual wizard: wires the step screens to one WizardState. Logic lives in the core and the screens."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from flyte_tui.files.autosave import Recovery
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.screens.state import STEP_IDS, STEPS, WizardState, field_help, fresh_answers, step_of
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.tui.widgets.field import FormField

if TYPE_CHECKING:
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.screens.database import DatabaseScreen
    from flyte_tui.tui.screens.dialogs import QuitChoice
    from flyte_tui.tui.screens.environment import EnvironmentScreen
    from flyte_tui.tui.screens.review import ReviewScreen
    from flyte_tui.tui.screens.runner import RunFactory, RunnerResult
    from flyte_tui.tui.screens.storage import StorageScreen
    from flyte_tui.upgrade import Recovery as ReleaseRecovery
    from flyte_tui.upgrade import Review

DEFAULT_ANSWERS = Path("flyte-tui.yaml")
STYLES = Path(__file__).with_name("styles")
VALUES_NAME = "flyte-values.yaml"
RECOVERY_TIMEOUT = 300.0
"""Seconds the recovery of a stuck release (helm rollback / uninstall) may take."""

_SCREENS: dict[str, tuple[str, str]] = {
    "target": ("flyte_tui.tui.screens.target", "TargetScreen"),
    "environment": ("flyte_tui.tui.screens.environment", "EnvironmentScreen"),
    "storage": ("flyte_tui.tui.screens.storage", "StorageScreen"),
    "database": ("flyte_tui.tui.screens.database", "DatabaseScreen"),
    "identity": ("flyte_tui.tui.screens.identity", "IdentityScreen"),
    "resources": ("flyte_tui.tui.screens.resources", "ResourcesScreen"),
    "review": ("flyte_tui.tui.screens.review", "ReviewScreen"),
}


class Detected(Message):
    """The detection worker finished."""

    def __init__(self, detection: Detection) -> None:
        super().__init__()
        self.detection = detection


class LiveLoaded(Message):
    """The live release was read into answers (or could not be)."""

    def __init__(self, answers: dict[str, Any] | None, note: str) -> None:
        super().__init__()
        self.answers = answers
        self.note = note


class RecoveryNeeded(Message):
    """The live release is stuck in pending-*: its guided recovery (from the core) is ready to show."""

    def __init__(self, release: str, fix: ReleaseRecovery) -> None:
        super().__init__()
        self.release = release
        self.fix = fix


class RecoveryDone(Message):
    """The recovery command finished (or could not run)."""

    def __init__(self, fix: ReleaseRecovery, ok: bool, note: str) -> None:
        super().__init__()
        self.fix = fix
        self.ok = ok
        self.note = note


class ReviewReady(Message):
    """The upgrade review was computed (or could not be)."""

    def __init__(
        self,
        review: Review | None,
        error: str = "",
        plan: InstallPlan | None = None,
        options: InstallOptions | None = None,
    ) -> None:
        super().__init__()
        self.review = review
        self.error = error
        self.plan = plan
        self.options = options


class WizardApp(App[None]):
    """flyte-tui's wizard: from cluster target to a saved answers file and values file."""

    CSS_PATH = STYLES / "app.tcss"
    TITLE = "flyte-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

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
        self.answers_path = Path(answers_path) if answers_path else DEFAULT_ANSWERS
        self.values_path = Path(values_path) if values_path else self.answers_path.with_name(VALUES_NAME)
        self.recovery = Recovery(recovery_dir)
        self.detector = detector
        self.deterministic = deterministic
        if deterministic:
            self.animation_level = "none"  # no scrolling animations: tests and snapshots do not wait on them
        self.state = WizardState()
        self.detection: Detection | None = None
        self.started = False
        """Autosave starts once the user chose how to begin, so a recovery file is not overwritten unseen."""
        self.recovery_offered = self.recovery.exists()
        self._autosave_failed = False
        self.upgrading = False
        """The answers came from a live release: Install reviews the upgrade first and rolls back on failure."""
        self._open_at_start = answers_path if answers_path and Path(answers_path).exists() else None
        self.stopping = threading.Event()
        """Set when the app closes: cancels the helm and kubectl calls its workers are waiting on."""

    # -- start-up -------------------------------------------------------------------------------

    def on_unmount(self) -> None:
        # Helm and kubectl processes started for the app (live release, upgrade review) stop with it.
        self.stopping.set()

    def on_mount(self) -> None:
        self.push_screen(
            WelcomeScreen(self.state, self.recovery.path if self.recovery_offered else None, self.detection)
        )
        # Detection forks helm and kubectl: start it once the first frame is on screen.
        self.call_after_refresh(self.run_detection)
        if self._open_at_start is not None:
            self.call_after_refresh(self._start, "open", self._open_at_start)

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def run_detection(self) -> None:
        """Detect helm, kubectl, contexts and an existing release off the UI thread."""
        if self.detector is not None:
            result = self.detector()
        else:
            from flyte_tui.tools.detect import detect

            result = detect(self.state.get("target.namespace", "flyte"), self.state.get("target.release", "flyte"))
        self.post_message(Detected(result))

    @on(Detected)
    def _detected(self, message: Detected) -> None:
        self.detection = message.detection
        if not self.started and not self.state.get("target.context"):
            self.state.set("target.context", message.detection.current_context)
            self.state.dirty = False
        if isinstance(self.screen, WelcomeScreen):
            self.screen.show_detection(message.detection)

    @on(WelcomeScreen.Start)
    def _welcome_start(self, message: WelcomeScreen.Start) -> None:
        self._start(message.mode, message.path)

    def _start(self, mode: str, path: Path | None = None) -> None:
        if mode == "doctor":
            self.open_doctor()
            return
        if mode == "upgrade":
            self.notify("Reading the live release…")
            self.load_live()
            return
        if mode == "restore":
            restored = self.recovery.load()
            if restored is None:
                self.notify("The recovery file could not be read.", severity="error")
                return
            self.state.replace(restored, dirty=True)
        elif mode == "open" and path is not None:
            from flyte_tui.files.answers import load_answers

            try:
                self.state.replace(load_answers(path), dirty=False)
            except Exception as exc:  # unreadable or malformed file: say so, stay here
                self.notify(f"Cannot open {path}: {exc}", severity="error")
                return
            self.answers_path = path
            self.values_path = path.with_name(VALUES_NAME)
        elif mode == "import" and path is not None:
            if not self.import_values(path):
                return
        elif mode == "fresh" and not self.started:
            self.state.replace(fresh_answers(self.state.get("target.context", "")), dirty=False)
        self.started = True
        self._autosave()
        self.goto("target")

    def import_values(self, path: Path) -> bool:
        """Import an existing values file into the answers; False (and a message) when it cannot be read."""
        from flyte_tui.tui.screens.wizard_files import import_values

        imported = import_values(path)
        if imported.answers is None:
            self.notify(imported.message, title=f"Cannot import {path}", severity="error")
            return False
        self.state.replace(imported.answers, dirty=True)
        self.values_path = path
        if imported.message:
            self.notify(imported.message, title="Imported")
        return True

    # -- navigation ---------------------------------------------------------------------------

    def make_screen(self, step_id: str, focus: str | None = None) -> Screen[Any]:
        """A fresh screen for a step, reading the current answers."""
        if step_id == "welcome":
            return WelcomeScreen(self.state, None, self.detection)
        module, name = _SCREENS[step_id]
        cls = getattr(importlib.import_module(module), name)
        if step_id == "target":
            return cls(self.state, focus, self.detection)  # type: ignore[no-any-return]
        if step_id == "review":
            return cls(self.state, focus, self.answers_path, self.values_path)  # type: ignore[no-any-return]
        return cls(self.state, focus)  # type: ignore[no-any-return]

    def goto(self, step_id: str, focus: str | None = None) -> None:
        """Show a step (its answers are read from the state, so nothing typed is ever lost)."""
        self.state.visited.add(step_id)
        screen = self.screen
        if isinstance(screen, StepScreen) and step_id == screen.STEP_ID:
            if focus:
                screen.focus_field(focus)
            return
        self.switch_screen(self.make_screen(step_id, focus))

    @property
    def current_step(self) -> str:
        """The step on screen."""
        screen = self.screen
        return screen.STEP_ID if isinstance(screen, StepScreen) else "welcome"

    @on(StepScreen.Navigate)
    def _navigate(self, message: StepScreen.Navigate) -> None:
        current = self.current_step
        index = STEP_IDS.index(current)
        if message.to == "back":
            if index > 0:
                self.goto(STEP_IDS[index - 1])
            return
        if current == "welcome" and not self.started:
            self._start("fresh")
            return
        if message.to == "next":
            if index + 1 >= len(STEP_IDS):
                return
            errors = self.state.errors_for(current)
            if errors:
                self.notify(
                    "\n".join(f"• {p}" for p in errors[:8]),
                    title=f"Fix {len(errors)} error{'s' * (len(errors) != 1)} before going on",
                    severity="error",
                )
                if isinstance(self.screen, StepScreen):
                    self.screen.focus_field(errors[0].path)
                return
            self.goto(STEP_IDS[index + 1])
            return
        if message.to in STEP_IDS:
            self.goto(message.to, message.focus)

    # -- editing --------------------------------------------------------------------------------

    @on(FormField.Changed)
    def _field_changed(self, message: FormField.Changed) -> None:
        if self.state.set(message.path, message.value):
            self._autosave()
            if isinstance(self.screen, StepScreen) and not isinstance(self.screen, WelcomeScreen):
                self.screen.refresh_problems()

    # Handlers named after the messages, so the step modules load only when their screen is shown.

    def on_environment_screen_chosen(self, message: EnvironmentScreen.Chosen) -> None:
        """Apply the environment's preset and tell the screen what it filled."""
        filled = self.state.choose_environment(message.environment)
        self._autosave()
        screen = self.screen
        if hasattr(screen, "show_filled"):
            screen.show_filled(message.environment, filled)

    def on_database_screen_password_typed(self, message: DatabaseScreen.PasswordTyped) -> None:
        """Keep the typed database password in memory only (never in the answers)."""
        self.state.password = message.password

    def on_storage_screen_keys_typed(self, message: StorageScreen.KeysTyped) -> None:
        """Keep typed S3 access keys in memory only (never in the answers)."""
        self.state.s3_access_key = message.access_key
        self.state.s3_secret_key = message.secret_key

    def on_review_screen_save_requested(self, message: ReviewScreen.SaveRequested) -> None:
        """Save to the paths chosen on the review screen; then, for Install, hand the plan to the runner."""
        self.answers_path = message.answers
        self.values_path = message.values
        self.action_save()
        if message.install:
            self.install()

    def install(self) -> None:
        """Run the install on the runner screen (the typed password goes along, in memory only)."""
        validation = self.state.validation
        if not validation.ok or validation.plan is None or self.state.dirty:
            self.notify("Fix the errors on the review screen before installing.", severity="error")
            return
        from flyte_tui.install import InstallOptions
        from flyte_tui.tui.screens.wizard_files import secret_values

        options = InstallOptions(
            values_path=self.values_path, secrets=secret_values(self.state), source=self.answers_path.name
        )
        helm, kubectl = self.tools()
        options.helm, options.kubectl = helm, kubectl
        if self.upgrading:
            options.rollback_on_failure = True
            self.notify("Computing what the upgrade changes…")
            self.review_upgrade(validation.plan, options)
            return
        self.run_install(validation.plan, options)

    def run_install(self, plan: InstallPlan, options: InstallOptions) -> None:
        """Push the runner screen for a plan."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        runner = (
            RunnerScreen(plan, options)
            if self.install_run is None
            else RunnerScreen(plan, options, run=self.install_run)
        )
        self.push_screen(runner, self._install_done)

    def _install_done(self, result: RunnerResult | None) -> None:
        if result is not None and result.change_answer:
            self.goto(step_of(result.change_answer).id, result.change_answer)
        elif result is not None and result.open_doctor:
            self.open_doctor()

    # -- upgrade and doctor ---------------------------------------------------------------------

    def tools(self) -> tuple[str, str]:
        """The helm and kubectl binaries detection found (or the names, to be found on PATH)."""
        d = self.detection
        helm = d.helm.path if d is not None and d.helm.path else "helm"
        kubectl = d.kubectl.path if d is not None and d.kubectl.path else "kubectl"
        return helm, kubectl

    def _where(self) -> tuple[str, str, str]:
        return (
            self.state.get("target.context", ""),
            self.state.get("target.namespace", "flyte"),
            self.state.get("target.release", "flyte"),
        )

    @work(thread=True, exclusive=True, group="live", exit_on_error=False)
    def load_live(self) -> None:
        """Read the live release's user-supplied values into answers (off the UI thread)."""
        from flyte_tui.tools.helm import Helm, HelmError
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.upgrade import find_release, live_answers, recovery

        context, namespace, release = self._where()
        adapter = Helm(self.tools()[0], context, namespace, cancel=self.stopping)
        try:
            info = find_release(adapter, release)
            if info is None:
                self.post_message(LiveLoaded(None, f"no release {release} in namespace {namespace}"))
                return
            if info.pending:
                fix = recovery(adapter, info.name)
                if fix is not None:
                    self.post_message(RecoveryNeeded(info.name, fix))
                    return
            result = live_answers(adapter, info)
        except (HelmError, ProcessError, ValueError) as exc:
            self.post_message(LiveLoaded(None, str(exc)))
            return
        kept = f"; kept under extraValues: {', '.join(result.leftovers)}" if result.leftovers else ""
        self.post_message(
            LiveLoaded(result.answers, f"loaded {info.name} ({info.chart}, revision {info.revision}){kept}")
        )

    @on(LiveLoaded)
    def _live_loaded(self, message: LiveLoaded) -> None:
        if message.answers is None:
            self.notify(f"Cannot read the release: {message.note}", severity="error")
            return
        live = dict(message.answers)
        context, _, _ = self._where()
        live["target"] = {**fresh_answers(context)["target"], **live.get("target", {}), "context": context}
        self.notify(message.note, title="Upgrade")
        saved: dict[str, Any] | None = None
        if self.answers_path.exists():
            from flyte_tui.files.answers import load_answers
            from flyte_tui.upgrade import drift

            try:
                saved = load_answers(self.answers_path)
            except Exception:  # an unreadable saved file: continue from the live release
                saved = None
            changes = drift(saved, live) if saved is not None else []
            if saved is not None and changes:
                from flyte_tui.tui.screens.drift import DriftDialog

                def chosen(choice: str | None) -> None:
                    if choice == "live":
                        self._begin_upgrade(live)
                    elif choice == "saved" and saved is not None:
                        self._begin_upgrade(saved)

                self.push_screen(DriftDialog(changes, self.answers_path.name), chosen)
                return
        self._begin_upgrade(live)

    @on(RecoveryNeeded)
    def _recovery_needed(self, message: RecoveryNeeded) -> None:
        from flyte_tui.tui.screens.dialogs import RecoveryDialog

        fix = message.fix

        def chosen(run: bool | None) -> None:
            if run:
                self.notify("Running the recovery…", title="Recovery")
                self.run_recovery(fix)

        self.push_screen(RecoveryDialog(message.release, fix), chosen)

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def run_recovery(self, fix: ReleaseRecovery) -> None:
        """Run the core's recovery command (rollback or uninstall) off the UI thread; closing the app stops it."""
        from flyte_tui.tools import process

        try:
            done = process.run(fix.argv, RECOVERY_TIMEOUT, self.stopping)
        except process.ProcessError as exc:
            self.post_message(RecoveryDone(fix, False, str(exc)))
            return
        if not done.ok:
            lines = (done.stderr or done.stdout).strip().splitlines()
            self.post_message(RecoveryDone(fix, False, lines[-1] if lines else f"exit code {done.returncode}"))
            return
        self.post_message(RecoveryDone(fix, True, ""))

    @on(RecoveryDone)
    def _recovery_done(self, message: RecoveryDone) -> None:
        fix = message.fix
        if not message.ok:
            self.notify(f"The recovery failed: {message.note}", title="Recovery", severity="error")
            return
        self.run_detection()  # the welcome screen shows the release as it is now
        if fix.target_revision is None:
            self.notify(
                "Recovered: the interrupted install was uninstalled. Start fresh to install again.", title="Recovery"
            )
            return
        self.notify(
            f"Recovered: rolled back to revision {fix.target_revision}. Reading the live release…", title="Recovery"
        )
        self.load_live()

    def _begin_upgrade(self, answers: dict[str, Any]) -> None:
        self.upgrading = True
        self.state.replace(answers, dirty=True)
        self.started = True
        self._autosave()
        self.goto("target")

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def review_upgrade(self, plan: InstallPlan, options: InstallOptions) -> None:
        """Compute the three-layer review off the UI thread, then show it."""
        from flyte_tui.tools.helm import Helm, HelmError
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.upgrade import review_plan

        t = plan.target
        try:
            review = review_plan(plan, Helm(options.helm, t.context, t.namespace, cancel=self.stopping))
        except (HelmError, ProcessError, ValueError) as exc:
            self.post_message(ReviewReady(None, str(exc)))
            return
        self.post_message(ReviewReady(review, plan=plan, options=options))

    @on(ReviewReady)
    def _review_ready(self, message: ReviewReady) -> None:
        plan, options = message.plan, message.options
        if message.review is None or plan is None or options is None:
            self.notify(f"Cannot compute the upgrade: {message.error}", severity="error")
            return
        from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen

        def decided(apply: bool | None) -> None:
            if apply:
                self.run_install(plan, options)

        self.push_screen(UpgradeReviewScreen(message.review), decided)

    def open_doctor(self) -> None:
        """Diagnose the release the answers point at."""
        from flyte_tui.doctor import DoctorTarget
        from flyte_tui.tui.screens.doctor import DoctorScreen

        context, namespace, release = self._where()
        helm, kubectl = self.tools()
        plan = self.state.validation.plan if self.started else None
        self.push_screen(
            DoctorScreen(
                DoctorTarget(
                    namespace=namespace, release=release, context=context, kubectl=kubectl, helm=helm, plan=plan
                )
            )
        )

    def _autosave(self) -> None:
        if not (self.started and self.state.dirty):
            return
        try:
            self.recovery.save(self.state.raw)
        except OSError as exc:
            if not self._autosave_failed:  # say it once, keep working
                self._autosave_failed = True
                self.notify(f"Autosave to {self.recovery.path} failed: {exc}", severity="warning")

    # -- saving and quitting ------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the answers (always) and the values (when the answers are valid); both atomic, with .bak."""
        from flyte_tui.tui.screens.wizard_files import save

        if not self.started:
            self.notify("Choose how to start first.", severity="warning")
            return
        try:
            saved = save(self.state, self.answers_path, self.values_path)
        except OSError as exc:
            self.notify(f"Saving failed: {exc}", severity="error")
            return
        self.recovery.clear()
        if saved.values is not None:
            self.notify(f"Saved {saved.answers} and {saved.values}.", title="Saved")
        else:
            self.notify(
                f"Saved {saved.answers}. The values file was not written: {saved.errors} error(s) remain.",
                title="Saved answers only",
                severity="warning",
            )
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
            return
        if not (self.started and self.state.dirty):
            self.recovery.clear() if self.started else None
            self.exit()
            return
        from flyte_tui.tui.screens.dialogs import ConfirmQuit

        self.push_screen(ConfirmQuit(), self._quit_chosen)

    def _quit_chosen(self, choice: QuitChoice | None) -> None:
        if choice == "save":
            self.action_save()
            if not self.state.dirty:
                self.exit()
        elif choice == "discard":
            self.recovery.clear()
            self.exit()

    # -- help, theme, palette -------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys and the focused field's help (from the model's docstrings)."""
        from flyte_tui.tui.screens.dialogs import HelpDialog

        label = text = ""
        node = self.focused
        while node is not None and not isinstance(node, FormField):
            node = node.parent  # type: ignore[assignment]
        if isinstance(node, FormField):
            label, text = node.label_text, field_help(node.path)[1]
        self.push_screen(HelpDialog(label, text))

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.started:
            return
        for step in STEPS:
            yield SystemCommand(f"Go to {step.title}", f"Open the {step.title} step", self._goto_cb(step.id))
        yield SystemCommand("Save", "Save the answers and values files", self.action_save)

    def _goto_cb(self, step_id: str) -> Callable[[], None]:
        return lambda: self.goto(step_id)


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
        answers_path,
        values_path=values_path,
        recovery_dir=recovery_dir,
        detector=detector,
        deterministic=deterministic,
        install_run=install_run,
    )


def run_app(answers_path: Path | None = None) -> None:
    """Run the wizard in the terminal (``flyte-tui`` with no arguments)."""
    make_app(answers_path).run()
