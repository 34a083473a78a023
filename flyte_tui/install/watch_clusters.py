"""The readiness wait of a multi-cluster install: every cluster's release watched at once, one table.

Each cluster's wait is :func:`flyte_tui.install.watch.wait_until_ready` (the same verdicts, outage handling and
diagnosis) in a thread of its own with a cancel flag of its own; their events meet here. The table holds every
cluster's components, a data plane's named ``<data plane>/<component>`` (``eu-1/flytepropeller``), the control
plane's as in a single-cluster install; a data plane's lines begin with its name. The first cluster that fails
stops the others and names its data plane; a cancel stops them all (each takes its last look first).
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from flyte_tui.events import ComponentsChanged, Event, OutputLine
from flyte_tui.install.context import ReleaseRun, Step, StepError, WatchCancelled
from flyte_tui.install.watch import wait_until_ready
from flyte_tui.readiness import ComponentStatus


@dataclass(frozen=True)
class _Ended:
    """One cluster's wait returned (its detail) or raised (``error``)."""

    detail: str = ""
    error: BaseException | None = None


def component_name(data_plane: str, name: str) -> str:
    """A component as the multi-cluster table names it: ``<data plane>/<name>``; the control plane's as is."""
    return f"{data_plane}/{name}" if data_plane else name


def _follow(label: str, run: ReleaseRun, out: queue.Queue[tuple[str, Event | _Ended]]) -> None:
    """The thread of one cluster's wait: its events, then how it ended."""
    waiting = wait_until_ready(run)
    try:
        while True:
            out.put((label, next(waiting)))
    except StopIteration as done:
        out.put((label, _Ended(str(done.value or ""))))
    except BaseException as exc:  # handed to the loop, which raises it in the install's thread
        out.put((label, _Ended(error=exc)))


def wait_on_every_cluster(run: ReleaseRun, planes: Sequence[ReleaseRun]) -> Step:
    """Wait until every cluster's components are ready (the control plane's ``run`` and each data plane's);
    StepError naming the data plane when one will not become ready, WatchCancelled when the user cancelled."""
    own = {r.release.data_plane: dataclasses.replace(r, cancel=threading.Event()) for r in (run, *planes)}
    events: queue.Queue[tuple[str, Event | _Ended]] = queue.Queue()
    threads = [
        threading.Thread(target=_follow, args=(label, r, events), name=f"wait-{label or 'control'}", daemon=True)
        for label, r in own.items()
    ]
    for thread in threads:
        thread.start()
    tables: dict[str, tuple[ComponentStatus, ...]] = {label: () for label in own}
    details: dict[str, str] = {}
    failure: BaseException | None = None
    try:
        while len(details) < len(own):
            if run.cancel.is_set() or failure is not None:
                for r in own.values():
                    r.cancel.set()
            try:
                label, item = events.get(timeout=0.25)
            except queue.Empty:
                continue
            if isinstance(item, _Ended):
                details[label] = item.detail
                failure = failure or _failure_of(label, item.error, run)
                continue
            yield from relay(label, item, tables)
    finally:
        for r in own.values():
            r.cancel.set()
        for thread in threads:
            thread.join(timeout=5)
    if run.cancel.is_set():
        raise WatchCancelled()
    if failure is not None:
        raise failure
    ready = sum(len(t) for t in tables.values())
    return f"all {ready} components ready on {len(own)} clusters"


def _failure_of(label: str, error: BaseException | None, run: ReleaseRun) -> BaseException | None:
    """What a cluster's wait ending with ``error`` makes of the whole wait: None when it ended well, or was
    stopped (by the user's cancel or another cluster's failure); its StepError naming its data plane."""
    if error is None or isinstance(error, WatchCancelled):
        return None
    if isinstance(error, StepError) and label:
        return StepError(f"data plane {label}: {error}", error.explanation)
    return error


def relay(label: str, item: Event, tables: dict[str, tuple[ComponentStatus, ...]]) -> Iterator[Event]:
    """One cluster's event as the install shows it: its components in the one table, its lines named."""
    if isinstance(item, ComponentsChanged):
        tables[label] = tuple(dataclasses.replace(c, name=component_name(label, c.name)) for c in item.components)
        yield ComponentsChanged(tuple(c for table in tables.values() for c in table))
    elif isinstance(item, OutputLine) and label:
        yield dataclasses.replace(item, text=f"{label}: {item.text}")
    else:
        yield item
