"""The install pipeline: preflight → repo → namespace → secrets → [dependencies] → helm → readiness → done, as
events.

Textual-free: :meth:`Installer.run` is a generator of :mod:`flyte_tui.events`; the runner screen and
the headless CLI both consume it. Every subprocess has a timeout and shares one cancel flag. A plan's
releases (:func:`flyte_tui.charts.plan_releases`, each with its own kube context and its values rendered
once) are installed in order: the dependency releases of a sandbox (minio, PostgreSQL) in their own step,
each waited for until Ready, before Flyte's ``helm upgrade --install``; the first failure ends the run. With data
planes (flyte-core multi-cluster, :mod:`flyte_tui.install.clusters`) the namespace and Secrets go to every cluster,
each data plane's release is a step of its own before the credentials and the control plane's, the readiness is
watched on every cluster at once, and the links are verified last.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence

from flyte_tui.charts import PlannedRelease, flyte_release, plan_releases
from flyte_tui.events import ComponentsChanged, Event, InstallFinished, StepFailed, StepFinished, StepStarted, masked
from flyte_tui.install import clusters, dependencies, undo
from flyte_tui.install.cancel import after_cancel
from flyte_tui.install.cluster_links import LINK_STEP, VERIFY_STEP, link_data_planes, verify_links
from flyte_tui.install.context import CANCELLED, FAILED, InstallOptions, ReleaseRun, Step, explanation_of
from flyte_tui.install.preflight import preflight
from flyte_tui.install.steps import create_secrets, helm_upgrade, namespace, repo
from flyte_tui.install.summary import ready_summary
from flyte_tui.install.watch import wait_until_ready
from flyte_tui.install.watch_clusters import wait_on_every_cluster
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
"""Every step of installing Flyte's release, in order, with its title (the runner screen lists them)."""


def install_steps(plan: InstallPlan, releases: Sequence[PlannedRelease] | None = None) -> tuple[tuple[str, str], ...]:
    """The steps of installing ``plan`` (its ``releases`` when already planned), in order: with bundled
    dependencies, their step comes before helm; with data planes, one step per data plane and the credentials
    before the control plane's helm, and the links' verification after the readiness."""
    planned = plan_releases(plan) if releases is None and plan.data_planes else (releases or ())
    before = clusters.cluster_steps(plan, planned)
    if plan.dependencies.bundled:
        before = ((dependencies.STEP, dependencies.title(plan)), *before)
    at = [s for s, _ in INSTALL_STEPS].index("helm")
    after = (clusters.VERIFY,) if clusters.has_data_planes(planned) else ()
    return (*INSTALL_STEPS[:at], *before, *INSTALL_STEPS[at:], *after)


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
        self.dependencies = [r for r in self.releases if r.serves]
        """The releases installed before Flyte's, in the dependencies step."""
        self.started = time.monotonic()
        self.components: tuple[ComponentStatus, ...] = ()
        """The last readiness table (what a cancel left not ready)."""
        self.planes: list[ReleaseRun] = []
        """A run of each data plane's release, made once per run: it keeps what the run created on that cluster."""

    def run(self) -> Iterator[Event]:
        """Yield the install's events, every secret value the user gave masked in them (once, here, for every
        face); the last one is always :class:`InstallFinished`."""
        for event in self._run():
            if isinstance(event, ComponentsChanged):
                self.components = event.components
            yield masked(event, self.options.secrets.all())  # the data planes' tokens join it during the run

    def _run(self) -> Iterator[Event]:
        self.started = time.monotonic()
        run = ReleaseRun(self.plan, flyte_release(self.releases), self.options, self.cancel)
        self.planes = clusters.data_plane_runs(run, self.releases)
        if (yield from self._install(run)):
            yield self._finish(run, True)

    def _steps(self) -> tuple[tuple[str, str], ...]:
        steps = install_steps(self.plan, self.releases)
        return steps if self.dependencies else tuple(s for s in steps if s[0] != dependencies.STEP)

    def _step(self, step: str, run: ReleaseRun) -> Step:
        if step == dependencies.STEP:
            return dependencies.install_dependencies(run, self.dependencies)
        if step == "preflight" and clusters.has_data_planes(self.releases):
            return clusters.preflight_every_cluster(run, self.dependencies, self.releases)
        if step == "preflight":
            return preflight(run, self.dependencies)
        if clusters.has_data_planes(self.releases):
            return self._cluster_step(step, run)
        return _RUN_STEP[step](run)

    def _cluster_step(self, step: str, run: ReleaseRun) -> Step:
        """A step of a multi-cluster install (:mod:`flyte_tui.install.clusters`)."""
        planes = self.planes
        for p in planes:
            p.helm_major = run.helm_major  # what preflight learnt of helm
        name = clusters.data_plane_of(step)
        if name:
            return clusters.install_data_plane(next(p for p in planes if p.release.data_plane == name))
        multi = {
            "namespace": lambda: clusters.namespaces(run, planes),
            "secrets": lambda: clusters.secrets(run, planes),
            LINK_STEP: lambda: link_data_planes(run, self.plan.data_planes),
            "readiness": lambda: wait_on_every_cluster(run, planes),
            VERIFY_STEP: lambda: verify_links(run, self.plan.data_planes),
        }
        return multi[step]() if step in multi else _RUN_STEP[step](run)

    def _install(self, run: ReleaseRun) -> Generator[Event, None, bool]:
        """Flyte's release's steps (the dependencies' among them); False (after the InstallFinished) when one
        failed."""
        for step, title in self._steps():
            yield StepStarted(step, title)
            began = time.monotonic()
            try:
                detail = yield from self._step(step, run)
            except CANCELLED:
                yield from self._cancelled(run, step)
                return False
            except FAILED as exc:
                yield StepFailed(step, run.clean(str(exc)), explanation_of(exc))
                removed = yield from self._remove_created(run, step)  # before helm: what this run created
                if undo.needs_undo(run, step):
                    yield from self._undo(run, step)
                    return False
                finished = self._finish(run, False)
                yield dataclasses.replace(finished, summary=(*finished.summary, *undo.offer(run, step), *removed))
                return False
            yield StepFinished(step, True, time.monotonic() - began, detail or "")
        return True

    def _remove_created(self, run: ReleaseRun, step: str) -> Generator[Event, None, tuple[str, ...]]:
        """After ``step`` failed: what this run created where helm recorded no release, on the control plane (a
        data plane's step or the credentials come before its helm too) and on each data plane."""
        steps = [s for s, _ in self._steps()]
        before_helm = steps.index(step) <= steps.index("helm") if self.planes else None
        removed = yield from undo.remove_created(run, step, before_helm)
        for plane in self.planes:
            removed += yield from undo.remove_created_on_data_plane(plane, step)
        return removed

    def _undo(self, run: ReleaseRun, failed: str) -> Iterator[Event]:
        """The rollback step after the ``failed`` step (see :mod:`flyte_tui.install.undo`), then the end."""
        how = undo.undo_for(run, failed)
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
        removed = (yield from undo.remove_created(run, failed)) if how.clean else ()
        finished = self._finish(run, False)
        yield dataclasses.replace(finished, summary=(how.done, *finished.summary, *removed))

    def _cancelled(self, run: ReleaseRun, step: str) -> Iterator[Event]:
        """The user cancelled during ``step``: the state that leaves (the components not ready yet included)
        and the next step, in the failed step and in the end summary (:mod:`flyte_tui.install.cancel`)."""
        finished = self._finish(run, False)
        after = after_cancel(run, step, finished.release_state, self.components if step != "helm" else ())
        yield StepFailed(step, after.message, after.explanation)
        yield dataclasses.replace(finished, summary=(*after.summary, *self._plane_states()))

    def _finish(self, run: ReleaseRun, ok: bool) -> InstallFinished:
        """The end: the release's state and what to do next (the console, the endpoint, the values file)."""
        elapsed = time.monotonic() - self.started
        state = "deployed" if ok else run.release_state()
        release, ns = run.release.release, run.release.namespace
        summary: list[str] = []
        if ok:
            summary += ready_summary(self.plan, ns, run.kubectl, run.release)
            summary.append(f"values file: {self.options.values_path}")
            path = self.options.values_path
            summary += [f"values file of {d.release}: {d.values_path(path)}" for d in self.dependencies]
            summary += [f"values file of data plane {p.release.data_plane}: {p.options.values_path}"
                        for p in self.planes]  # fmt: skip
        else:
            summary += [f"dependency release {d.release} is {self._state(run, d)}" for d in self.dependencies]
            summary += self._plane_states()
            summary.append(f"release {release} is {state}")
        return InstallFinished(ok, state, elapsed, tuple(summary))

    def _plane_states(self) -> list[str]:
        """Each data plane's release state (a run that did not finish may leave some installed)."""
        return [
            f"data plane {p.release.data_plane}: release {p.release.release} is {p.release_state()}"
            for p in self.planes
        ]

    @staticmethod
    def _state(run: ReleaseRun, release: PlannedRelease) -> str:
        return dependencies.dependency_run(run, release).release_state()
