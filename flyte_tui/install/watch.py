"""The wait for the Flyte components: a watch of the namespace's pods (a thread) feeding the readiness
verdict, which stops early on a failure that waiting will not fix and explains it."""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from datetime import UTC, datetime
from typing import Any

from flyte_tui.diagnose import diagnose_pod
from flyte_tui.events import ComponentsChanged, Explanation
from flyte_tui.install.context import ReleaseRun, Step, StepError, WatchCancelled
from flyte_tui.readiness import ComponentStatus, Readiness, desired_replicas, readiness, rollout_pending
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl

PodEvent = tuple[str, dict[str, Any]] | BaseException | None
"""What the watch thread hands the loop: a pod event, the error that stopped it, or None at its end."""
_NOTHING = object()


def wait_until_ready(run: ReleaseRun) -> Step:
    """Follow the pods until every expected component is ready (and its rollout done), one fails, or the
    time is up; yields the readiness table whenever it changes."""
    expected = run.release.expected_components
    release = run.release.release
    desired = desired_replicas(run.kubectl.items("deployments"))
    pods: dict[str, dict[str, Any]] = {}
    events: queue.Queue[PodEvent] = queue.Queue()
    deadline = time.monotonic() + run.options.timeout
    stop_watch = threading.Event()
    watcher = threading.Thread(
        target=_watch_pods,
        args=(dataclasses.replace(run.kubectl, cancel=stop_watch), events, stop_watch, deadline),
        name="pod-watch",
        daemon=True,
    )
    watcher.start()
    last: tuple[str, ...] = ()
    next_rollout_check = 0.0
    try:
        while True:
            if run.cancel.is_set():
                raise WatchCancelled()
            item: Any
            try:
                item = events.get(timeout=0.25)
            except queue.Empty:
                item = _NOTHING
            if isinstance(item, BaseException):
                if not isinstance(item, process.TimedOut | process.Cancelled):
                    raise StepError(f"watching pods failed: {item}")
            elif isinstance(item, tuple):
                kind, pod = item
                uid = str(pod.get("metadata", {}).get("uid") or pod.get("metadata", {}).get("name"))
                if kind == "DELETED":
                    pods.pop(uid, None)
                else:
                    pods[uid] = pod
            state = readiness(pods.values(), release, expected, desired, datetime.now(UTC), run.options.timing)
            summary = tuple(c.summary + c.state for c in state.components)
            if summary != last:
                last = summary
                yield ComponentsChanged(tuple(state.components))
            if state.done and time.monotonic() >= next_rollout_check:
                # pods say done; the Deployments confirm that the pods are the new ones
                deployments = run.kubectl.items("deployments")
                desired = desired_replicas(deployments)
                if not rollout_pending(deployments, (c.name for c in state.components)):
                    return f"all {len(state.components)} components ready"
                next_rollout_check = time.monotonic() + 0.5
            if state.failed:
                raise _failure(run, state.failed[0], pods)
            if time.monotonic() >= deadline:
                raise _timed_out(run, state)
    finally:
        stop_watch.set()
        watcher.join(timeout=5)


def _watch_pods(kubectl: Kubectl, events: queue.Queue[PodEvent], stop: threading.Event, deadline: float) -> None:
    """The watch thread. The API server closes watches now and then: start again (a fresh list) until told
    to stop."""
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            for item in kubectl.watch("pods", max(deadline - time.monotonic(), 1) + 5):
                events.put(item)
    except process.Cancelled:
        pass
    except BaseException as exc:  # handed to the main loop
        events.put(exc)
    events.put(None)


def _failure(run: ReleaseRun, failed: ComponentStatus, pods: dict[str, dict[str, Any]]) -> StepError:
    """The failed component, explained by the one failed-pod diagnosis (events and log tail masked)."""
    failure = failed.failure
    assert failure is not None
    message = f"{failed.name} will not become ready: {failure.message}"
    pod = next((p for p in pods.values() if p.get("metadata", {}).get("name") == failure.pod), {})
    warnings = [e for e in run.kubectl.events_for(failure.pod) if e.get("type") == "Warning"]
    events = [f"{e.get('reason')}: {e.get('message')}" for e in warnings]
    logs: list[str] = []
    if failure.container and failure.reason not in ("ErrImagePull", "ImagePullBackOff", "InvalidImageName"):
        logs = run.kubectl.logs(failure.pod, failure.container, previous=True) or run.kubectl.logs(
            failure.pod, failure.container
        )
    component = next(c for c in run.release.expected_components if c.name == failed.name)
    found = diagnose_pod(
        component,
        pod or {"metadata": {"name": failure.pod}},
        failure.container,
        failure.reason,
        failure.message,
        [run.clean(e) for e in events],
        [run.clean(line) for line in logs],
        run.release.namespace,
    )
    return StepError(message, found)


def _timed_out(run: ReleaseRun, state: Readiness) -> StepError:
    waiting = [c for c in state.components if c.state != "ready"]
    message = f"timed out after {run.options.timeout:.0f}s waiting for " + ", ".join(c.summary for c in waiting)
    if not waiting:
        return StepError(message)
    blocking = waiting[0]
    cause = "the component did not become ready in time"
    if blocking.name == "flytescheduler":
        cause = "flytescheduler waits for flyteadmin's gRPC port before it starts"
    return StepError(
        message,
        Explanation(
            summary=f"{blocking.summary} ({blocking.state})",
            object=f"deployment/{blocking.name}",
            component=blocking.name,
            cause=cause,
            fix=f"kubectl -n {run.release.namespace} describe deployment {blocking.name}",
        ),
    )
