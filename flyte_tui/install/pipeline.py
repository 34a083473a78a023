"""The install pipeline: preflight → repo → namespace → secrets → helm → readiness → done, as events.

Textual-free: :meth:`Installer.run` is a generator of :mod:`flyte_tui.events`; the runner screen and
the headless CLI both consume it. Every subprocess has a timeout and shares one cancel flag. A plan's
releases (:func:`flyte_tui.charts.plan_releases`, each with its own kube context and its values rendered
once) are installed one after the other; the first that fails ends the run.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence

from flyte_tui.charts import PlannedRelease, plan_releases
from flyte_tui.events import ComponentsChanged, Event, InstallFinished, StepFailed, StepFinished, StepStarted, masked
from flyte_tui.install import undo
from flyte_tui.install.cancel import after_cancel
from flyte_tui.install.context import CANCELLED, FAILED, InstallOptions, ReleaseRun, Step, explanation_of
from flyte_tui.install.preflight import preflight
from flyte_tui.install.steps import create_secrets, helm_upgrade, namespace, repo
from flyte_tui.install.summary import ready_summary
from flyte_tui.install.watch import wait_until_ready
from flyte_tui.model.plan import InstallPlan
from flyte_tui.readiness import ComponentStatus

INSTALL_STEPS = (
    ("preflight", "Preflight checks"),
    ("repo", "Chart repository"),
    ("namespace", "Namespace"),
    ("secrets", "Secrets"),
    ("helm", "helm upgrade --install"),
    ("readiness", "Waiting for Flyte components"),
)
"""Every step of installing one release, in order, with its title (the runner screen lists them)."""

_RUN_STEP: dict[str, Callable[[ReleaseRun], Step]] = {
    "preflight": preflight,
    "repo": repo,
    "namespace": namespace,
    "secrets": create_secrets,
    "helm": helm_upgrade,
    "readiness": wait_until_ready,
}


class Installer:
    """Runs one install or upgrade of a plan and yields what happens."""

    def __init__(
        self,
        plan: InstallPlan,
        options: InstallOptions,
        cancel: threading.Event | None = None,
        releases: Sequence[PlannedRelease] | None = None,
    ) -> None:
        self.plan = plan
        self.options = options
        self.cancel = cancel or threading.Event()
        self.releases = list(releases) if releases is not None else plan_releases(plan)
        """The plan's releases in install order (rendered once: pass them in when already rendered)."""
        self.started = time.monotonic()
        self.components: tuple[ComponentStatus, ...] = ()
        """The last readiness table (what a cancel left not ready)."""

    def run(self) -> Iterator[Event]:
        """Yield the install's events, every secret value the user gave masked in them (once, here, for every
        face); the last one is always :class:`InstallFinished`."""
        secrets = self.options.secrets.all()
        for event in self._run():
            if isinstance(event, ComponentsChanged):
                self.components = event.components
            yield masked(event, secrets)

    def _run(self) -> Iterator[Event]:
        self.started = time.monotonic()
        run: ReleaseRun | None = None
        for release in self.releases:
            run = ReleaseRun(self.plan, release, self.options, self.cancel)
            if not (yield from self._install(run)):
                return
        if run is not None:
            yield self._finish(run, True)

    def _install(self, run: ReleaseRun) -> Generator[Event, None, bool]:
        """One release's steps; False (after its InstallFinished) when one failed."""
        for step, title in INSTALL_STEPS:
            yield StepStarted(step, title)
            began = time.monotonic()
            try:
                detail = yield from _RUN_STEP[step](run)
            except CANCELLED:
                yield from self._cancelled(run, step)
                return False
            except FAILED as exc:
                yield StepFailed(step, run.clean(str(exc)), explanation_of(exc))
                removed = yield from undo.remove_created(run, step)  # before helm: what this run created
                if undo.needs_undo(run, step):
                    yield from self._undo(run)
                    return False
                finished = self._finish(run, False)
                yield dataclasses.replace(finished, summary=(*finished.summary, *undo.offer(run, step), *removed))
                return False
            yield StepFinished(step, True, time.monotonic() - began, detail or "")
        return True

    def _undo(self, run: ReleaseRun) -> Iterator[Event]:
        """The rollback step after a failure (see :mod:`flyte_tui.install.undo`), then the end."""
        how = undo.undo_for(run)
        yield StepStarted("rollback", how.title)
        began = time.monotonic()
        try:
            detail = yield from how.step(run)
        except CANCELLED:
            yield from self._cancelled(run, "rollback")
            return
        except FAILED as exc:
            yield StepFailed("rollback", run.clean(str(exc)), explanation_of(exc))
            yield self._finish(run, False)
            return
        yield StepFinished("rollback", True, time.monotonic() - began, detail)
        finished = self._finish(run, False)
        yield dataclasses.replace(finished, summary=(how.done, *finished.summary))

    def _cancelled(self, run: ReleaseRun, step: str) -> Iterator[Event]:
        """The user cancelled during ``step``: the state that leaves (the components not ready yet included)
        and the next step, in the failed step and in the end summary (:mod:`flyte_tui.install.cancel`)."""
        finished = self._finish(run, False)
        after = after_cancel(run, step, finished.release_state, self.components if step != "helm" else ())
        yield StepFailed(step, after.message, after.explanation)
        yield dataclasses.replace(finished, summary=after.summary)

    def _finish(self, run: ReleaseRun, ok: bool) -> InstallFinished:
        """The end: the release's state and what to do next (the console, the endpoint, the values file)."""
        elapsed = time.monotonic() - self.started
        state = "deployed" if ok else run.release_state()
        release, ns = run.release.release, run.release.namespace
        summary: list[str] = []
        if ok:
            summary += ready_summary(self.plan, ns, run.kubectl)
            summary.append(f"values file: {self.options.values_path}")
        else:
            summary.append(f"release {release} is {state}")
        return InstallFinished(ok, state, elapsed, tuple(summary))
