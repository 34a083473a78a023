"""The wait for the Flyte components: a watch of the namespace's pods (a thread) feeding the readiness
verdict, which stops early on a failure that waiting will not fix and explains it.

When the API server cannot be reached the wait says so at once, tries again with back-off (never a burst of
kubectl processes), says when it answers again, and, if the time runs out meanwhile, names the outage
rather than the components (their last known state is stale, so no failure verdict is drawn from it).
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flyte_tui.diagnose import diagnose_pod
from flyte_tui.events import ComponentsChanged, Event, Explanation, OutputLine
from flyte_tui.install.context import ReleaseRun, Step, StepError, WatchCancelled
from flyte_tui.readiness import ComponentStatus, Readiness, desired_replicas, readiness, rollout_pending
from flyte_tui.tools import process, retry
from flyte_tui.tools.kubectl import Kubectl, KubectlError

WATCH_BACKOFF = retry.Backoff(first=0.5, most=8.0)
"""Waits between watch starts while the API server cannot be reached: 0.5 s doubling to 8 s."""
QUIET_PROBE = 10.0
"""Seconds without a word from the pod watch after which the API server is asked whether it still answers."""
REMIND_EVERY = 30.0
"""Seconds between the reminders that the cluster is still unreachable."""
SETTLE_AFTER_OUTAGE = 10.0
"""Seconds after an outage during which no pod is called failed: the kubelets' reports catch up first (a
pod's init container seems to have run for the whole outage)."""


@dataclass(frozen=True)
class Unreachable:
    """The watch thread could not reach the API server (kubectl's own words) and waits ``retry_in`` s."""

    reason: str
    retry_in: float


class Reachable:
    """A watch started again after :class:`Unreachable` (it says nothing more: no fields)."""


PodEvent = tuple[str, dict[str, Any]] | Unreachable | Reachable | BaseException | None
"""What the watch thread hands the loop: a pod event, an outage or its end, the error that stopped it, or None."""
_NOTHING = object()


@dataclass
class Outage:
    """The API server is not answering: since when, what kubectl said, when it was last said."""

    since: float
    reason: str
    told: float

    def line(self, now: float) -> str:
        """What the user reads about it."""
        return f"cannot reach the cluster for {now - self.since:.0f}s: {self.reason}"


def wait_until_ready(run: ReleaseRun) -> Step:
    """Follow the pods until every expected component is ready (and its rollout done), one fails, or the
    time is up; yields the readiness table whenever it changes, and a line when the cluster stops or starts
    answering."""
    expected = run.release.expected_components
    release = run.release.release
    outage: Outage | None = None
    desired: dict[str, int] = {}
    try:
        desired = desired_replicas(run.kubectl.items("deployments"))
    except KubectlError as exc:  # read again at the rollout check; the watch tells the user about an outage
        if not retry.is_transient(str(exc)):
            raise
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
    heard = next_probe = time.monotonic()
    settled = 0.0
    try:
        while True:
            if run.cancel.is_set():
                if outage is None:
                    yield from _last_look(run, pods, desired, last)
                raise WatchCancelled()
            first: Any
            try:
                first = events.get(timeout=0.25)
            except queue.Empty:
                first = _NOTHING
            now = time.monotonic()
            for item in [first, *_queued(events)]:  # every event already there: the table is never behind
                if isinstance(item, Unreachable | Reachable):
                    outage, line = _outage_news(outage, item, now)
                    if line:
                        yield line
                elif isinstance(item, BaseException):
                    if not isinstance(item, process.TimedOut | process.Cancelled):
                        raise StepError(f"watching pods failed: {item}")
                elif isinstance(item, tuple):
                    heard = now
                    if outage is not None:  # a hung connection came back without the watch restarting
                        outage, line = _outage_news(outage, Reachable(), now)
                        if line:
                            yield line
                    kind, pod = item
                    uid = _uid(pod)
                    if kind == "DELETED":
                        pods.pop(uid, None)
                    else:
                        pods[uid] = pod
            if now - heard >= QUIET_PROBE and now >= next_probe:
                # a watch on a connection that hangs (the server or the network stopped) hears nothing: ask
                reason = _probe(run.kubectl)
                next_probe = time.monotonic() + QUIET_PROBE
                if not reason:
                    heard = time.monotonic()
                news = Unreachable(reason, QUIET_PROBE) if reason else Reachable()
                outage, line = _outage_news(outage, news, time.monotonic())
                if line:
                    yield line
            if outage is not None and now - outage.told >= REMIND_EVERY:
                outage.told = now
                yield OutputLine("readiness", f"still {outage.line(now)}; trying again", "stderr")
            state = readiness(pods.values(), release, expected, desired, datetime.now(UTC), run.options.timing)
            summary = _summary(state)
            if summary != last:
                last = summary
                yield ComponentsChanged(tuple(state.components))
            if state.done and outage is None and time.monotonic() >= next_rollout_check:
                # pods say done; the Deployments confirm that the pods are the new ones
                next_rollout_check = time.monotonic() + 0.5
                try:
                    deployments = run.kubectl.items("deployments")
                except KubectlError as exc:
                    if not retry.is_transient(str(exc)):
                        raise
                    next_rollout_check = time.monotonic() + 2
                else:
                    desired = desired_replicas(deployments)
                    if not rollout_pending(deployments, (c.name for c in state.components)):
                        return f"all {len(state.components)} components ready"
            if outage is not None:
                settled = time.monotonic() + SETTLE_AFTER_OUTAGE
            # during an outage, and a moment after, the pods' state is stale: no verdict from it
            failing = bool(state.failed) and outage is None and time.monotonic() >= settled
            if failing or time.monotonic() >= deadline:
                if outage is not None:
                    raise _outage_timeout(run, outage)
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
    kubectl = dataclasses.replace(run.kubectl, cancel=threading.Event(), timeout=5.0, retries=retry.ONCE)
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


def _outage_news(
    outage: Outage | None, item: Unreachable | Reachable, now: float
) -> tuple[Outage | None, Event | None]:
    """The outage after the watch thread's news, and the line to show (None: nothing new to say)."""
    if isinstance(item, Reachable):
        if outage is None:
            return None, None
        return None, OutputLine("readiness", f"the cluster answers again (after {now - outage.since:.0f}s)")
    if outage is None:
        outage = Outage(now, item.reason, now)
        return outage, OutputLine(
            "readiness", f"cannot reach the cluster: {item.reason} (trying again with back-off)", "stderr"
        )
    outage.reason = item.reason
    return outage, None


def _probe(kubectl: Kubectl) -> str:
    """Whether the API server answers (one quick request, no retry): "" when it does, else kubectl's words."""
    once = dataclasses.replace(kubectl, retries=retry.ONCE)
    try:
        done = once.run("get", "--raw=/readyz", "--request-timeout=5s", namespaced=False, timeout=15)
    except process.TimedOut:
        return "the API server did not answer within 15s"
    if done.ok:
        return ""
    reason = process.last_line(done.stderr, "no answer")
    return reason if retry.is_transient(reason) else ""  # it answered, if with a refusal: it is reachable


def _watch_pods(kubectl: Kubectl, events: queue.Queue[PodEvent], stop: threading.Event, deadline: float) -> None:
    """The watch thread. The API server closes watches now and then: start again (a fresh list) until told
    to stop. A watch that cannot reach the API server is started again with back-off, and the loop told."""
    delays: Iterator[float] | None = None
    try:
        while not stop.is_set() and time.monotonic() < deadline:
            began = time.monotonic()
            seen = False
            reason = ""
            try:
                for item in kubectl.watch("pods", max(deadline - time.monotonic(), 1) + 5):
                    if not seen and delays is not None:
                        events.put(Reachable())
                    seen, delays = True, None
                    events.put(item)
            except KubectlError as exc:
                if not retry.is_transient(str(exc)):
                    raise
                reason = str(exc)
            if seen or (not reason and time.monotonic() - began >= 1):
                continue  # closed by the server after a while: start again at once
            delays = delays or WATCH_BACKOFF.delays()
            wait = next(delays)
            if reason:
                events.put(Unreachable(reason, wait))
            if stop.wait(min(wait, max(deadline - time.monotonic(), 0))):
                break
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
        registry=run.plan.images.registry,
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


def _outage_timeout(run: ReleaseRun, outage: Outage) -> StepError:
    """The time ran out while the cluster was unreachable: that is the cause, not the components."""
    now = time.monotonic()
    context = run.release.context or "the current context"
    return StepError(
        f"timed out after {run.options.timeout:.0f}s: the cluster of {context} has not answered for the last "
        f"{now - outage.since:.0f}s ({outage.reason})",
        Explanation(
            summary=f"the API server of {context} is unreachable",
            object="cluster",
            cause="the API server stopped answering during the wait, so the components' state is unknown; "
            "helm had applied the release before",
            fix="check the cluster and the network (kubectl cluster-info), then run the same install again: "
            "it continues where this one stopped",
        ),
    )
