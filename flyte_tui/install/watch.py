"""The wait for the Flyte components: a watch of the namespace's pods (a thread) feeding the readiness
verdict, which stops early on a failure that waiting will not fix and explains it."""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Generator
from datetime import UTC, datetime
from typing import Any

from flyte_tui.diagnose import diagnose_pod
from flyte_tui.events import ComponentsChanged, Event, Explanation
from flyte_tui.install.context import ReleaseRun, Step, StepError, WatchCancelled
from flyte_tui.readiness import ComponentStatus, Readiness, desired_replicas, readiness, rollout_pending
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl, KubectlError

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
                yield from _last_look(run, pods, desired, last)
                raise WatchCancelled()
            first: Any
            try:
                first = events.get(timeout=0.25)
            except queue.Empty:
                first = _NOTHING
            for item in [first, *_queued(events)]:  # every event already there: the table is never behind
                if isinstance(item, BaseException):
                    if not isinstance(item, process.TimedOut | process.Cancelled):
                        raise StepError(f"watching pods failed: {item}")
                elif isinstance(item, tuple):
                    kind, pod = item
                    uid = _uid(pod)
                    if kind == "DELETED":
                        pods.pop(uid, None)
                    else:
                        pods[uid] = pod
            state = readiness(pods.values(), release, expected, desired, datetime.now(UTC), run.options.timing)
            summary = _summary(state)
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
            if state.failed or time.monotonic() >= deadline:
                # the watch may lag behind the pods (a re-run lists them all at once): look once more
                looked = yield from _last_look(run, pods, desired, last)
                failed = (looked.failed if looked is not None else []) or state.failed
                if failed:
                    raise _failure(run, failed[0], pods)
                raise _timed_out(run, looked or state)
    finally:
        stop_watch.set()
        watcher.join(timeout=5)


def _uid(pod: dict[str, Any]) -> str:
    return str(pod.get("metadata", {}).get("uid") or pod.get("metadata", {}).get("name"))


def _summary(state: Readiness) -> tuple[str, ...]:
    return tuple(c.summary + c.state for c in state.components)


def _queued(events: queue.Queue[PodEvent]) -> list[PodEvent]:
    """The events the watch thread has already handed over, without waiting."""
    items: list[PodEvent] = []
    while True:
        try:
            items.append(events.get_nowait())
        except queue.Empty:
            return items


def _last_look(
    run: ReleaseRun, pods: dict[str, dict[str, Any]], desired: dict[str, int], last: tuple[str, ...]
) -> Generator[Event, None, Readiness | None]:
    """When the wait stops (a failure, the time, a cancel): one list of the pods (with a fresh cancel flag:
    the user's may be set), so that the last table shows every component as it is at that moment; ``pods``
    is replaced by the list. None when the list cannot be read (the table stays as the watch left it)."""
    kubectl = dataclasses.replace(run.kubectl, cancel=threading.Event(), timeout=5.0)
    try:
        listed = kubectl.items("pods")
    except (KubectlError, process.ProcessError, ValueError):
        return None
    pods.clear()
    pods.update((_uid(p), p) for p in listed)
    release, expected = run.release.release, run.release.expected_components
    state = readiness(pods.values(), release, expected, desired, datetime.now(UTC), run.options.timing)
    if _summary(state) != last:
        yield ComponentsChanged(tuple(state.components))
    return state


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
