"""The dependencies step of a sandbox install: each dependency release (minio and PostgreSQL from flyte-deps)
gets its values file and its ``helm upgrade --install``, then a watch of its own pods, all before Flyte's helm.

A dependency that will not become ready ends the install there, explained like a Flyte component (the same
pod diagnosis), with the dependency release named; Flyte's own helm never runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from flyte_tui.charts import PlannedRelease
from flyte_tui.install.context import ReleaseRun, Step, StepError
from flyte_tui.install.steps import helm_upgrade
from flyte_tui.install.watch import wait_until_ready
from flyte_tui.model.plan import InstallPlan

STEP = "dependencies"
"""The step's id."""


def title(plan: InstallPlan) -> str:
    """The step's title: what the sandbox bundles, e.g. ``Dependencies: minio, postgres`` (named as in the
    components table)."""
    deps = plan.dependencies
    parts = [name for bundled, name in ((deps.storage, "minio"), (deps.database, "postgres")) if bundled]
    return "Dependencies: " + ", ".join(parts)


def dependency_run(run: ReleaseRun, release: PlannedRelease) -> ReleaseRun:
    """A run of one dependency release beside Flyte's ``run``: its own values file (beside Flyte's), the same
    options, cancel flag and what preflight learnt of helm."""
    options = dataclasses.replace(run.options, values_path=release.values_path(run.options.values_path))
    dep = ReleaseRun(run.plan, release, options, run.cancel)
    dep.helm_major = run.helm_major
    return dep


def install_dependencies(run: ReleaseRun, releases: Sequence[PlannedRelease]) -> Step:
    """Install each dependency release and wait until its components are ready; StepError naming the release
    and the component when one will not become ready."""
    details = []
    for release in releases:
        dep = dependency_run(run, release)
        if dep.release_state() == "not installed":  # unknown is not "new": never remove what may have been there
            run.created_dependencies.append(release.release)
        yield from helm_upgrade(dep, STEP)
        try:
            detail = yield from wait_until_ready(dep)
        except StepError as exc:
            raise StepError(f"dependency release {release.release}: {exc}", exc.explanation) from exc
        details.append(f"{release.release}: {detail}")
    return "; ".join(details)
