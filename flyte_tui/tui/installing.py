"""The wizard's installs: the review's Save and install, the runner screen for a plan, and the session's exit code
(how its last install or upgrade ended)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flyte_tui import exit_codes
from flyte_tui.tui.settling import SettlesSecret
from flyte_tui.tui.state import WizardState
from flyte_tui.tui.steps import step_of

if TYPE_CHECKING:
    from rich.console import RenderableType

    from flyte_tui.charts import PlannedRelease
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tui.screens.review import ReviewScreen
    from flyte_tui.tui.screens.runner import RunFactory, RunnerResult, RunnerScreen


class Installing(SettlesSecret):
    """The app's installs and its exit code, each after the propeller secret is settled; the app provides the
    session, saving and navigation."""

    state: WizardState
    install_run: RunFactory | None
    """Stands in for the installer in tests (the runner screen's ``run``)."""
    last_run: RunnerScreen | None
    """The session's last install or upgrade: how it ended is the process's exit code (:meth:`outcome`)."""
    # what the app and saving provide
    goto: Callable[..., None]
    open_doctor: Callable[[], None]
    action_save: Callable[..., bool]

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
        elif self.state.upgrading:
            self.notify("Computing what the upgrade changes…")
            self.settle_then("review", validation.plan, self.state.install_options())
        else:  # a release that already exists goes through the upgrade review
            self.settle_then("install", validation.plan, self.state.install_options(), releases)

    def run_install(
        self, plan: InstallPlan, options: InstallOptions, releases: Sequence[PlannedRelease] | None = None
    ) -> None:
        """Push the runner screen for a plan (with its releases when already rendered, so none renders twice)."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        runner = RunnerScreen(plan, options, self.install_run, releases=releases, upgrade=self.state.upgrading)
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
