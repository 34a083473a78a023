"""Undoing a failed run: uninstall a failed first install, or roll a failed upgrade back to the revision
that was deployed before it; or, with rollback on failure off, say how to go back and what that changes.

flyte-tui undoes a failed run itself instead of passing helm --atomic / --rollback-on-failure: helm would
wait for its whole timeout before undoing, while the readiness watch knows within seconds that a pod
crash-loops, and keeps the explanation of why.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

from flyte_tui.events import Event, OutputLine
from flyte_tui.install.context import ReleaseRun, Step, StepError
from flyte_tui.install.dependencies import STEP as DEPENDENCIES
from flyte_tui.install.steps import output_lines
from flyte_tui.install.watch import wait_until_ready
from flyte_tui.release import rollback_offer
from flyte_tui.tools import process
from flyte_tui.tools.helm import HelmError, display

UNDOABLE = (DEPENDENCIES, "helm", "readiness")
"""The steps whose failure can leave a new revision behind (of a dependency release, or of Flyte's)."""
BEFORE_HELM = ("secrets", DEPENDENCIES, "helm")
"""The steps after the namespace whose failure can come before helm recorded anything."""


@dataclass(frozen=True)
class Undo:
    """How to undo one failed run: the step's title, the step, and the summary's first line once it worked."""

    title: str
    step: Callable[[ReleaseRun], Step]
    done: str
    clean: bool = False
    """After it, nothing helm installed is left: the namespace and Secrets this run created go too."""


def needs_undo(run: ReleaseRun, step: str) -> bool:
    """Rollback on failure is on and the failed step left a new revision behind."""
    if not run.options.rollback_on_failure or step not in UNDOABLE:
        return False
    if step == "readiness":
        return True
    if step == DEPENDENCIES:  # Flyte's helm never ran: undo the dependency releases this run created
        return bool(_recorded(run, run.created_dependencies))
    # helm itself failed: undo only what it recorded (a render error records nothing)
    try:
        status = run.helm.status(run.release.release)
    except (HelmError, process.ProcessError, ValueError):
        return False
    if status is None:  # Flyte's helm recorded nothing: the dependency releases this run created may be left
        return bool(_recorded(run, run.created_dependencies))
    return run.last_revision is None or int(status.get("version", 0)) > run.last_revision


def undo_for(run: ReleaseRun, step: str = "readiness") -> Undo:
    """A rollback to the last deployed revision for an upgrade (of a deployed or a failed release); an
    uninstall only for a release that never had a deployed revision (a first install, or a re-run of one);
    after a failed dependencies step, the uninstall of the dependency releases this run created."""
    if step == DEPENDENCIES or (step == "helm" and _recorded(run, [run.release.release]) == []):
        names = ", ".join(run.created_dependencies)
        return Undo(
            f"Removing the dependency release {names} (created by this run)",
            _remove_dependencies,
            f"the install failed and dependency release {names}, created by this run, was removed "
            "(rollback on failure); the reason is above",
            clean=True,
        )
    revision = run.previous_revision
    if revision is None:
        return Undo(
            f"Removing the failed install of {run.release.release}",
            _remove,
            "the install failed and was removed (rollback on failure); the reason is above",
        )
    return Undo(
        f"Rolling back to revision {revision}",
        _roll_back,
        f"the upgrade failed and was rolled back to revision {revision}, which is ready again",
    )


def offer(run: ReleaseRun, step: str) -> tuple[str, ...]:
    """For a failed upgrade left as it is: the rollback command and what it would change."""
    if step not in UNDOABLE or run.previous_revision is None:
        return ()
    try:
        fix = rollback_offer(run.probe(), run.release.release)
    except (HelmError, process.ProcessError, ValueError):
        return ()
    if fix is None or fix.target_revision != run.previous_revision:
        return ()  # no new revision was recorded: there is nothing to go back from
    changes = ", ".join(f"{o.change} {o.key}" for o in fix.diff.objects) or "no object"
    return (f"to return to revision {fix.target_revision}: {display(fix.argv)}", f"  that changes: {changes}")


def _remove(run: ReleaseRun) -> Step:
    """Uninstall a failed first install (what helm's --atomic does for an install), then the dependency
    releases this run created."""
    yield from _helm(run, "uninstall", run.release.release)
    removed = yield from _remove_created_dependencies(run)
    return "; ".join(("release removed", *removed))


def _remove_dependencies(run: ReleaseRun) -> Step:
    """After a failed dependencies step: uninstall the dependency releases this run created that helm
    recorded (Flyte's release was never installed)."""
    recorded = _recorded(run, run.created_dependencies)
    if recorded is not None:
        run.created_dependencies = recorded
    removed = yield from _remove_created_dependencies(run)
    return "; ".join((*removed, f"release {run.release.release} was not installed"))


def _recorded(run: ReleaseRun, names: list[str]) -> list[str] | None:
    """Of the releases ``names``, those helm has a record of; None when helm cannot tell."""
    found = []
    for name in names:
        try:
            if run.probe().status(name) is not None:
                found.append(name)
        except (HelmError, process.ProcessError, ValueError):
            return None
    return found


def _roll_back(run: ReleaseRun) -> Step:
    """Return a failed upgrade to the revision deployed before it, and wait until it is ready again; the
    dependency releases this run created are removed."""
    revision = run.previous_revision
    yield from _helm(run, "rollback", run.release.release, str(revision))
    detail = yield from wait_until_ready(run)
    removed = yield from _remove_created_dependencies(run)
    return "; ".join((f"revision {revision}: {detail}", *removed))


def _remove_created_dependencies(run: ReleaseRun) -> Generator[Event, None, tuple[str, ...]]:
    """Uninstall the dependency releases this run installed (one that existed before the run is left alone);
    the step's detail about them (none when there were none)."""
    names = list(reversed(run.created_dependencies))  # the reverse of the install order
    for name in names:
        yield from _helm(run, "uninstall", name)
    run.created_dependencies = []
    return (f"dependency release {', '.join(names)} removed (created by this run)",) if names else ()


def _helm(run: ReleaseRun, verb: str, *args: str) -> Step:
    """``helm <verb> …`` as part of the rollback step, its output shown; StepError when it fails."""
    argv = run.helm.argv(verb, *args)
    yield OutputLine("rollback", "$ " + display(argv))
    with run.recorded(verb) as started:  # found by the next run if flyte-tui is killed meanwhile
        done = process.run(argv, 300, run.cancel, run.options.env, None, started)
    yield from output_lines(run, "rollback", done)
    if not done.ok:
        raise StepError(f"helm {verb} failed: {process.last_line(done.stderr)}")
    return ""


def remove_created(
    run: ReleaseRun, step: str, before_helm: bool | None = None
) -> Generator[Event, None, tuple[str, ...]]:
    """After a failure before helm recorded a release: remove the namespace this run created (its Secrets go
    with it), or else only the Secrets it created; a namespace or Secret that was there before is kept.
    ``before_helm``: the failed ``step`` came before this release's helm (default: it is one of
    :data:`BEFORE_HELM`; a multi-cluster install says so for its data planes' steps). Returns the summary's lines
    about it."""
    if not (step in BEFORE_HELM if before_helm is None else before_helm):
        return ()
    if not (run.created_namespace or run.created_secrets):
        return ()
    # a release helm recorded (Flyte's, or a dependency release this run created) is the rollback's business
    releases = ([run.release.release] if step == "helm" else []) + run.created_dependencies
    return (yield from _remove_unless_recorded(run, step, releases))


def remove_created_on_data_plane(plane: ReleaseRun, step: str) -> Generator[Event, None, tuple[str, ...]]:
    """After a multi-cluster install failed at ``step``: what this run created on one data plane's cluster (its
    namespace, or else its Secrets), unless helm recorded the data plane's release there."""
    if not (plane.created_namespace or plane.created_secrets):
        return ()
    where = f"data plane {plane.release.data_plane}: "
    return (yield from _remove_unless_recorded(plane, step, [plane.release.release], where))


def _remove_unless_recorded(
    run: ReleaseRun, step: str, releases: list[str], where: str = ""
) -> Generator[Event, None, tuple[str, ...]]:
    """Remove what ``run`` created unless helm has a record of one of ``releases``; ``where`` names the cluster."""
    if _recorded(run, releases) != []:
        return ()  # recorded, or unknown: remove nothing
    kubectl = run.kubectl
    ns = run.release.namespace
    if run.created_namespace:
        done = kubectl.run("delete", "namespace", ns, "--wait=false", "--ignore-not-found", namespaced=False)
        what = f"namespace {ns} (created by this run, with its Secrets)"
    else:
        names = run.created_secrets
        done = kubectl.run("delete", "secrets", *names, "--ignore-not-found", "--wait=false")
        what = "Secret" + ("s " if len(names) > 1 else " ") + ", ".join(names) + f" (created by this run in {ns})"
    if not done.ok:
        line = f"{where}could not remove {what}: {process.last_line(done.stderr, 'kubectl failed')}"
        yield OutputLine(step, run.clean(line), "stderr")
        return (line,)
    run.created_namespace, run.created_secrets = False, []
    yield OutputLine(step, f"{where}removed {what}: nothing was installed")
    return (f"{where}removed {what}, as nothing was installed",)
