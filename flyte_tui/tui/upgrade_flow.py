"""The wizard's face of the upgrade sequence (:mod:`flyte_tui.upgrade`): each step runs in a worker, its
result comes back as a message, and the user decides between the steps in a dialog.

Upgrade on the welcome screen → the live release (:class:`LiveLoaded`), or its recovery first when it is
stuck (:class:`RecoveryNeeded` → the recovery dialog → :class:`RecoveryDone`) → the drift dialog when a
saved answers file disagrees → the wizard's steps with the live answers → Install → the review
(:class:`ReviewReady`) → the runner, with rollback on failure. :class:`UpgradeFlow` is a base of the app.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flyte_tui.charts import PlannedRelease
    from flyte_tui.install import InstallOptions
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.release import ReleaseFix
    from flyte_tui.tools.helm import Helm
    from flyte_tui.tui.state import WizardState
    from flyte_tui.upgrade import LiveAnswers, LiveRelease, Reviewed


@dataclass
class LiveLoaded(Message):
    """The live release was read into answers (or could not be: ``live`` is None and ``note`` says why)."""

    live: LiveAnswers | None
    note: str


@dataclass
class RecoveryNeeded(Message):
    """The live release is stuck in pending-*: its guided recovery (from the core) is ready to show."""

    release: str
    fix: ReleaseFix


@dataclass
class RecoveryDone(Message):
    """The recovery command finished (or could not run)."""

    fix: ReleaseFix
    ok: bool
    note: str


@dataclass
class ReviewReady(Message):
    """The upgrade review was computed (or could not be)."""

    reviewed: Reviewed | None
    error: str = ""
    plan: InstallPlan | None = None
    options: InstallOptions | None = None


@dataclass
class ExistingChecked(Message):
    """Whether the release a new install would change already exists (``found`` None: it does not, or the
    cluster could not be asked; the installer's preflight then says why)."""

    found: LiveRelease | None
    plan: InstallPlan
    options: InstallOptions
    releases: Sequence[PlannedRelease] | None


class UpgradeFlow(App[None]):
    """The upgrade flow of the wizard; the app provides the answers, the tools and the navigation."""

    state: WizardState
    """The session: the answers, their files, and whether they came from a live release (``upgrading``)."""
    stopping: threading.Event
    """Set when the app closes: cancels the helm calls the flow's workers are waiting on."""

    # -- what the app provides (it overrides these) -------------------------------------------------

    def goto(self, step_id: str, focus: str | None = None) -> None:
        """Show a wizard step."""
        raise NotImplementedError

    def _autosave(self) -> None:
        raise NotImplementedError

    def run_detection(self) -> object:
        """Detect the tools and the release again (the welcome screen shows it)."""
        raise NotImplementedError

    run_install: Callable[..., None]
    """Push the runner screen for a plan, with its releases when rendered (:mod:`~flyte_tui.tui.installing`)."""

    def _helm(self) -> Helm:
        """The helm of the release found on Welcome (built as every face builds it: reads retried)."""
        from flyte_tui.release import release_helm
        from flyte_tui.tui.detecting import looked_up

        context, namespace, _ = looked_up(self.state)
        return release_helm(self.state.tools()[0], context, namespace, cancel=self.stopping)

    def _release_helm(self, plan: InstallPlan, options: InstallOptions, timeout: float = 60.0) -> Helm:
        """The helm of a plan's release, with the options' binary and environment."""
        from flyte_tui.release import release_helm

        t = plan.target
        return release_helm(options.helm, t.context, t.namespace, options.env, self.stopping, timeout)

    # -- steps 1 and 3: the live release, or its fix first -----------------------------------------

    @work(thread=True, exclusive=True, group="live", exit_on_error=False)
    def load_live(self) -> None:
        """Find the live release and read it into answers (off the UI thread)."""
        from flyte_tui.tools.helm import HelmError
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.tui.detecting import looked_up
        from flyte_tui.upgrade import NoRelease, StuckRelease, find_live, read_live

        helm = self._helm()
        try:
            found = find_live(helm, looked_up(self.state)[2])
            if isinstance(found, NoRelease):
                self.post_message(LiveLoaded(None, found.message))
                return
            if isinstance(found, StuckRelease):
                self.post_message(RecoveryNeeded(found.info.name, found.fix))
                return
            live = read_live(helm, found.info, self.state.answers_path)
        except (HelmError, ProcessError, ValueError) as exc:
            self.post_message(LiveLoaded(None, str(exc)))
            return
        self.post_message(LiveLoaded(live, live.note))

    @on(LiveLoaded)
    def _live_loaded(self, message: LiveLoaded) -> None:
        from flyte_tui.tui.state import fresh_answers

        found = message.live
        if found is None:
            self.notify(f"Cannot read the release: {message.note}", severity="error")
            return
        live = dict(found.answers)
        context, _, _ = self.state.where()
        fresh = fresh_answers(context)["target"]
        target = {**fresh, **live.get("target", {}), "context": context}
        chart = target["chart"]
        if not any(chart.get(k) for k in ("repo", "path", "oci")):  # no saved answers say where it came from
            target["chart"] = {**fresh["chart"], **chart}
            self.notify(
                "helm does not record where a release's chart came from: Target shows the default repository. "
                "Change it there if this release came from another one.",
                title="Chart source",
                severity="warning",
            )
        live["target"] = target
        self.notify(message.note, title="Upgrade")
        saved = found.saved
        if saved is not None:  # the release is where it was found: in the context chosen on Welcome
            kept = saved.get("target")
            saved = {**saved, "target": {**(kept if isinstance(kept, dict) else {}), "context": context}}
        if saved is not None and not found.drift:  # the saved answers are what the user set: keep them
            self._begin_upgrade(saved)
            return
        if saved is not None and found.drift:
            from flyte_tui.tui.dialogs.drift import DriftDialog

            def chosen(choice: str | None) -> None:
                if choice == "live":
                    self._begin_upgrade(live)
                elif choice == "saved" and saved is not None:
                    self._begin_upgrade(saved)

            self.push_screen(DriftDialog(found.drift, self.state.answers_path.name), chosen)
            return
        self._begin_upgrade(live)

    def _begin_upgrade(self, answers: dict[str, Any]) -> None:
        self.state.upgrading = True
        self.state.replace(answers, dirty=True)
        self.state.started = True
        self._autosave()
        self.goto("target")

    # -- step 2: the fix of a stuck release --------------------------------------------------------

    @on(RecoveryNeeded)
    def _recovery_needed(self, message: RecoveryNeeded) -> None:
        from flyte_tui.tui.dialogs.recovery import RecoveryDialog

        fix = message.fix

        def chosen(run: bool | None) -> None:
            if run:
                self.notify("Running the recovery…", title="Recovery")
                self.run_recovery(fix)

        self.push_screen(RecoveryDialog(message.release, fix), chosen)

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def run_recovery(self, fix: ReleaseFix) -> None:
        """Run the core's recovery command (rollback or uninstall) off the UI thread; closing the app stops it."""
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.upgrade import fix_stuck

        try:
            done = fix_stuck(fix, self.stopping)
        except ProcessError as exc:
            self.post_message(RecoveryDone(fix, False, str(exc)))
            return
        self.post_message(RecoveryDone(fix, done.ok, done.error))

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

    # -- a new install that would change an existing release: the upgrade review first ---------------

    @work(thread=True, exclusive=True, group="existing", exit_on_error=False)
    def install_checked(
        self, plan: InstallPlan, options: InstallOptions, releases: Sequence[PlannedRelease] | None = None
    ) -> None:
        """Install, unless the release already exists (``flyte-tui -f ANSWERS`` for a deployed release): then
        it goes through the upgrade review, with rollback on failure, as every change of a release does."""
        from flyte_tui.tools.helm import HelmError
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.upgrade import NoRelease, find_live

        t = plan.target
        helm = self._release_helm(plan, options, timeout=20)
        try:
            found = find_live(helm, t.release)
        except (HelmError, ProcessError, ValueError):  # cannot ask: the installer's preflight says why
            found = NoRelease(t.release, t.namespace)
        existing = None if isinstance(found, NoRelease) or found.info.status == "uninstalled" else found
        self.post_message(ExistingChecked(existing, plan, options, releases))

    @on(ExistingChecked)
    def _existing_checked(self, message: ExistingChecked) -> None:
        from dataclasses import replace

        from flyte_tui.upgrade import StuckRelease

        found = message.found
        if found is None:
            self.run_install(message.plan, message.options, message.releases)
            return
        self.state.upgrading = True  # from now on Install of these answers is an upgrade
        if isinstance(found, StuckRelease):
            self.post_message(RecoveryNeeded(found.info.name, found.fix))
            return
        self.notify(f"{found.lines()[0]}: reviewing what the upgrade changes first…", title="Upgrade")
        self.review_upgrade(message.plan, replace(message.options, rollback_on_failure=True), message.releases)

    # -- steps 4 and 5: the review, then the install with rollback on failure ------------------------

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def review_upgrade(
        self, plan: InstallPlan, options: InstallOptions, releases: Sequence[PlannedRelease] | None = None
    ) -> None:
        """Compute the three-layer review off the UI thread (with the releases when already rendered), then
        show it."""
        from flyte_tui.tools.helm import HelmError
        from flyte_tui.tools.process import ProcessError
        from flyte_tui.upgrade import review_upgrade

        helm = self._release_helm(plan, options)
        try:
            reviewed = review_upgrade(plan, helm, releases)
        except (HelmError, ProcessError, ValueError) as exc:
            self.post_message(ReviewReady(None, str(exc)))
            return
        self.post_message(ReviewReady(reviewed, plan=plan, options=options))

    @on(ReviewReady)
    def _review_ready(self, message: ReviewReady) -> None:
        plan, options, reviewed = message.plan, message.options, message.reviewed
        if reviewed is None or plan is None or options is None:
            self.notify(f"Cannot compute the upgrade: {message.error}", severity="error")
            return
        from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen

        def decided(apply: bool | None) -> None:
            if apply:  # the releases the review rendered: the runner renders nothing again
                self.run_install(plan, options, reviewed.releases)

        self.push_screen(UpgradeReviewScreen(reviewed.review, reviewed.clusters, reviewed.notes), decided)
