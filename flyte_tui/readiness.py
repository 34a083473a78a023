"""Pods → per-component readiness and a verdict. Pure functions over pod JSON (as kubectl returns it).

A component is *ready* when it has at least its desired number of Ready pods and no pod of it is still
coming up; it has *failed* when a pod shows a state that will not fix itself (CrashLoopBackOff, image
pull errors, a bad container config, an unschedulable pod past a grace period, an init container stuck
past its limit, phase Failed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from flyte_tui.charts.component import Component
from flyte_tui.charts.flyte_core.components import COMPONENTS
from flyte_tui.charts.flyte_core.components import expected_components as expected_components  # moved: the profile

State = Literal["waiting", "progressing", "ready", "failed"]

FATAL_WAITING = {
    "CrashLoopBackOff": "keeps crashing",
    "ErrImagePull": "cannot pull its image",
    "ImagePullBackOff": "cannot pull its image",
    "InvalidImageName": "has an invalid image name",
    "CreateContainerConfigError": "has a bad container config (a missing Secret or ConfigMap?)",
    "CreateContainerError": "cannot create its container",
    "RunContainerError": "cannot start its container",
}
"""Container waiting reasons that do not fix themselves, with a plain-words description."""


@dataclass(frozen=True)
class Timing:
    """How long a state may last before it counts as a failure."""

    unschedulable_after: float = 20.0
    """Seconds a pod may stay unschedulable (a cluster autoscaler may add a node)."""
    stuck_init_after: float = 180.0
    """Seconds one init container may run before it counts as stuck."""


@dataclass(frozen=True)
class PodFailure:
    """Why one pod blocks the install."""

    pod: str
    container: str | None
    reason: str
    message: str


@dataclass(frozen=True)
class ComponentStatus:
    """What the user sees in the readiness table for one component."""

    name: str
    desired: int | None
    pods: int
    ready: int
    status: str
    """kubectl-style status of the least advanced pod: Running, Init:2/4, CrashLoopBackOff, Pending…"""
    restarts: int
    state: State
    failure: PodFailure | None = None

    @property
    def summary(self) -> str:
        """One line: ``flyteadmin 1/2 Init:2/4``."""
        want = self.desired if self.desired is not None else "?"
        return f"{self.name} {self.ready}/{want} {self.status}"


@dataclass(frozen=True)
class Readiness:
    """Every expected component's status and the overall verdict."""

    components: list[ComponentStatus] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Every expected component is ready."""
        return bool(self.components) and all(c.state == "ready" for c in self.components)

    @property
    def failed(self) -> list[ComponentStatus]:
        """Components that will not become ready by waiting."""
        return [c for c in self.components if c.state == "failed"]


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def matches(pod: Mapping[str, Any], component: Component, release: str) -> bool:
    """Whether a pod belongs to a component of a release (the webhook has no instance label)."""
    labels = (pod.get("metadata") or {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in component.pod_selector(release).items())


def pod_status(pod: Mapping[str, Any]) -> str:
    """The STATUS column of ``kubectl get pods``."""
    meta = pod.get("metadata") or {}
    status = pod.get("status") or {}
    if meta.get("deletionTimestamp"):
        return "Terminating"
    init_specs = (pod.get("spec") or {}).get("initContainers") or []
    inits = status.get("initContainerStatuses") or []
    for i, cs in enumerate(inits):
        state = cs.get("state") or {}
        if "terminated" in state and state["terminated"].get("exitCode", 1) == 0:
            continue
        if "waiting" in state and state["waiting"].get("reason") not in (None, "PodInitializing"):
            return f"Init:{state['waiting']['reason']}"
        if "terminated" in state:
            return f"Init:{state['terminated'].get('reason') or 'Error'}"
        return f"Init:{i}/{len(init_specs) or len(inits)}"
    for cs in status.get("containerStatuses") or []:
        state = cs.get("state") or {}
        if "waiting" in state and state["waiting"].get("reason"):
            return str(state["waiting"]["reason"])
        if "terminated" in state:
            return str(state["terminated"].get("reason") or "Terminated")
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return str(cond.get("reason") or "Pending")
    return str(status.get("phase") or "Pending")


def pod_ready(pod: Mapping[str, Any]) -> bool:
    """The pod's Ready condition is True."""
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return bool(cond.get("status") == "True")
    return False


def pod_failure(pod: Mapping[str, Any], now: datetime, timing: Timing) -> PodFailure | None:
    """Why this pod will not become ready by waiting, if it will not."""
    name = str((pod.get("metadata") or {}).get("name", "?"))
    status = pod.get("status") or {}
    if status.get("phase") == "Failed":
        return PodFailure(name, None, status.get("reason") or "Failed", status.get("message") or "the pod failed")
    for kind in ("initContainerStatuses", "containerStatuses"):
        for cs in status.get(kind) or []:
            waiting = (cs.get("state") or {}).get("waiting") or {}
            reason = waiting.get("reason")
            if reason in FATAL_WAITING:
                restarts = int(cs.get("restartCount") or 0)
                last = ((cs.get("lastState") or {}).get("terminated")) or {}
                detail = f"container {cs.get('name')} {FATAL_WAITING[reason]}"
                if restarts:
                    detail += f" (restarted {restarts} times"
                    if last:
                        detail += f", last exit code {last.get('exitCode')}"
                        if last.get("reason") == "OOMKilled":
                            detail += ", OOMKilled: raise its memory limit"
                    detail += ")"
                if waiting.get("message"):
                    detail += f": {waiting['message']}"
                return PodFailure(name, cs.get("name"), str(reason), detail)
    for cond in status.get("conditions") or []:
        unschedulable = cond.get("status") == "False" and cond.get("reason") == "Unschedulable"
        if cond.get("type") == "PodScheduled" and unschedulable:
            since = _parse_time(cond.get("lastTransitionTime"))
            if since is None or (now - since).total_seconds() >= timing.unschedulable_after:
                return PodFailure(name, None, "Unschedulable", str(cond.get("message") or "no node fits the pod"))
    for cs in status.get("initContainerStatuses") or []:
        running = (cs.get("state") or {}).get("running")
        if running:
            started = _parse_time(running.get("startedAt"))
            if started is not None and (now - started).total_seconds() >= timing.stuck_init_after:
                seconds = int((now - started).total_seconds())
                return PodFailure(
                    name,
                    cs.get("name"),
                    "StuckInit",
                    f"init container {cs.get('name')} has been running for {seconds}s without finishing",
                )
    return None


def component_status(
    component: Component,
    pods: Iterable[Mapping[str, Any]],
    release: str,
    desired: int | None,
    now: datetime,
    timing: Timing,
) -> ComponentStatus:
    """The status of one component from all pods in the namespace."""
    mine = [p for p in pods if matches(p, component, release)]
    live = [p for p in mine if not (p.get("metadata") or {}).get("deletionTimestamp")]
    ready = sum(1 for p in live if pod_ready(p))
    restarts = sum(
        int(cs.get("restartCount") or 0) for p in live for cs in (p.get("status") or {}).get("containerStatuses") or []
    )
    failure = next((f for f in (pod_failure(p, now, timing) for p in live) if f), None)
    unready = [p for p in live if not pod_ready(p)]
    shown = pod_status(unready[0]) if unready else (pod_status(live[0]) if live else "—")
    if failure is not None:
        state: State = "failed"
        shown = (
            failure.reason
            if failure.reason in ("Unschedulable", "StuckInit")
            else pod_status(next(p for p in live if (p.get("metadata") or {}).get("name") == failure.pod))
        )
    elif not live:
        state = "waiting"
    elif (desired is not None and ready >= desired and not unready) or (desired is None and ready and not unready):
        state = "ready"
    else:
        state = "progressing"
    return ComponentStatus(component.name, desired, len(live), ready, shown, restarts, state, failure)


def readiness(
    pods: Iterable[Mapping[str, Any]],
    release: str,
    expected: Iterable[Component] = COMPONENTS,
    desired: Mapping[str, int] | None = None,
    now: datetime | None = None,
    timing: Timing | None = None,
) -> Readiness:
    """Every expected component's status from the namespace's pods."""
    pod_list = list(pods)
    moment = now or datetime.now(UTC)
    wanted = desired or {}
    return Readiness(
        [component_status(c, pod_list, release, wanted.get(c.name), moment, timing or Timing()) for c in expected]
    )


def desired_replicas(deployments: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Desired replicas per Deployment name (the component names)."""
    out = {}
    for dep in deployments:
        name = str((dep.get("metadata") or {}).get("name", ""))
        out[name] = int((dep.get("spec") or {}).get("replicas", 1))
    return out


def rollout_pending(deployments: Iterable[Mapping[str, Any]], names: Iterable[str]) -> list[str]:
    """The named Deployments whose rollout is not finished, as ``kubectl rollout status`` decides it: the
    controller has seen the latest spec, every replica runs it and is available, and no old pod is left.

    Pods alone cannot tell: right after ``helm upgrade`` returns, the previous ReplicaSet's Ready pods
    would make a component look done before its new pods exist.
    """
    wanted = set(names)
    pending = []
    for dep in deployments:
        meta, spec, status = dep.get("metadata") or {}, dep.get("spec") or {}, dep.get("status") or {}
        name = str(meta.get("name", ""))
        if name not in wanted:
            continue
        replicas = int(spec.get("replicas", 1))
        updated = int(status.get("updatedReplicas") or 0)
        if (
            int(status.get("observedGeneration") or 0) < int(meta.get("generation") or 0)
            or updated < replicas
            or int(status.get("replicas") or 0) > updated
            or int(status.get("availableReplicas") or 0) < updated
        ):
            pending.append(name)
    return pending
