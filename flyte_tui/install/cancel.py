"""What a cancelled run leaves behind, and what to do next: the release's state as helm has it, the
components that were not ready yet, and the next step (run again, roll back, remove). The runner screen,
its log and the headless output all show these lines (they are the events' text)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flyte_tui.events import CANCELLED_MESSAGE, Explanation
from flyte_tui.install.context import ReleaseRun
from flyte_tui.readiness import ComponentStatus
from flyte_tui.tools.helm import display


@dataclass(frozen=True)
class AfterCancel:
    """A cancelled run explained: the failed step's message and explanation, and the end summary."""

    message: str
    explanation: Explanation
    summary: tuple[str, ...]


def after_cancel(run: ReleaseRun, step: str, state: str, components: Sequence[ComponentStatus] = ()) -> AfterCancel:
    """The state a cancel during ``step`` left release ``run.release`` in (``state``, as helm reports it),
    and the next step. ``components``: the last readiness table, when the wait had begun."""
    release, ns = run.release.release, run.release.namespace
    cause, fix = _cause(run, step, state, [c for c in components if c.state != "ready"])
    explanation = Explanation(summary=f"release {release} is {state}", object=f"release {release} in {ns}",
                              cause=cause, fix=fix)  # fmt: skip
    summary = (f"cancelled: release {release} is {state}", cause, f"next: {fix}")
    return AfterCancel(f"{CANCELLED_MESSAGE}: release {release} is {state}", explanation, summary)


def _cause(run: ReleaseRun, step: str, state: str, not_ready: list[ComponentStatus]) -> tuple[str, str]:
    """Why the release is in ``state`` after the cancel, and what to do next."""
    release, ns = run.release.release, run.release.namespace
    again = "run the install again"
    if state == "not installed":
        return "helm had not created the release when you cancelled: nothing of the chart was installed", again
    if state.startswith("pending"):
        return (
            f"helm was stopped before it recorded the result, so the release is locked in {state}",
            f"{again}: its preflight finds the {state} release and offers the recovery"
            + (f" ({_back(run)})" if run.previous_revision else ""),
        )
    if state == "failed":
        return (
            "helm was stopped mid-way ('context canceled'): the release is marked failed and what helm had "
            "applied stays in the cluster",
            f"{again} (helm upgrade --install takes over a failed release), or {_back(run)}",
        )
    if state == "deployed":
        if step in ("readiness", "rollback") and not_ready:
            names = ", ".join(c.summary for c in not_ready)
            return (
                f"helm had finished; not ready when you cancelled: {names} (they keep starting in the cluster: "
                f"kubectl -n {ns} get pods)",
                f"{again} to wait for them, or {_back(run)}",
            )
        if step in ("readiness", "rollback"):
            return "helm had finished and every component was ready", f"{again} to confirm; nothing else to do"
        return (
            "helm had finished: the new revision is deployed, but its components were not checked",
            f"{again} to wait for them, or {_back(run)}",
        )
    if state == "unknown":
        status = display(run.helm.argv("status", release))
        return "the release's state could not be read", f"check it with: {status}; then {again}"
    return f"helm reports the release as {state}", again


def _back(run: ReleaseRun) -> str:
    """How to go back: roll an upgrade back to the revision before it, or remove a first install."""
    release = run.release.release
    if run.previous_revision is not None:
        argv = run.helm.argv("rollback", release, str(run.previous_revision))
        return f"go back to revision {run.previous_revision}: {display(argv)}"
    return f"remove it: {display(run.helm.argv('uninstall', release))}"
