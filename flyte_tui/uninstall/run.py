"""The uninstall, step by step, as the same typed events as the install (:mod:`flyte_tui.events`).

Order: for each release, Flyte's first and its dependencies after (the reverse of the install order), the
objects to keep marked in its record, then ``helm uninstall`` with its output streamed; then a watch until
the releases' pods are gone; then the Secrets flyte-tui created; with purge, the PersistentVolumeClaims and
the project namespaces (and the wait until they are gone). Every subprocess has a timeout and shares one
cancel flag; the first failure ends the run, with the state it leaves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from flyte_tui.events import (
    CANCELLED_MESSAGE,
    Event,
    InstallFinished,
    OutputLine,
    StepFailed,
    StepFinished,
    StepStarted,
)
from flyte_tui.install.context import CANCELLED, FAILED, Step, StepError, explanation_of
from flyte_tui.release import find_release, release_helm
from flyte_tui.tools import process
from flyte_tui.tools.helm import HelmError, display
from flyte_tui.tools.kubectl import Kubectl
from flyte_tui.uninstall.preview import Preview, ReleaseToRemove, matches
from flyte_tui.uninstall.record import RecordError, keep_through_uninstall
from flyte_tui.uninstall.target import UninstallOptions

POLL_SECONDS = 0.5
"""How often the wait for the pods to be gone looks again."""
UNINSTALLED = "uninstalled"
"""The releases' state once the run ended well."""


class Uninstaller:
    """Runs one uninstall of a :class:`~flyte_tui.uninstall.preview.Preview` and yields what happens."""

    def __init__(self, preview: Preview, options: UninstallOptions, cancel: threading.Event | None = None) -> None:
        self.preview = preview
        self.options = options
        self.cancel = cancel or threading.Event()
        p, o = preview, options
        self.helm = release_helm(o.helm, p.context, p.namespace, o.env, self.cancel)
        self.kubectl = Kubectl(o.kubectl, p.context, p.namespace, o.env, self.cancel)
        self.started = time.monotonic()

    def steps(self) -> list[tuple[str, str, Callable[[], Step]]]:
        """Every step of this uninstall, in order: (id, title, run)."""
        out: list[tuple[str, str, Callable[[], Step]]] = []
        for r in self.preview.releases:
            if self.preview.to_keep(r, self.options.purge):
                out.append((f"keep-{r.name}", f"Keep the CRD/PVCs of {r.name}", partial(self._keep, r)))
            out.append((f"uninstall-{r.name}", f"helm uninstall {r.name}", partial(self._uninstall, r)))
        out.append(("pods", "Waiting for the pods to go", self._pods_gone))
        out.append(("secrets", "Secrets flyte-tui created", self._secrets))
        if self.options.purge:
            out.append(("purge", "Purge: PVCs and project namespaces", self._purge))
        return out

    def titles(self) -> list[tuple[str, str]]:
        """(id, title) of every step: what the runner screen lists before they run."""
        return [(step, title) for step, title, _ in self.steps()]

    def run(self) -> Iterator[Event]:
        """Yield the uninstall's events; the last one is always :class:`InstallFinished`."""
        self.started = time.monotonic()
        for step, title, run in self.steps():
            yield StepStarted(step, title)
            began = time.monotonic()
            try:
                detail = yield from run()
            except CANCELLED:
                state = self._state()
                yield StepFailed(step, f"{CANCELLED_MESSAGE}: {state}")
                yield self._finish(False, state, (f"cancelled during '{title}': {state}",
                                                  "next: run the uninstall again to finish it"))  # fmt: skip
                return
            except (*FAILED, RecordError) as exc:
                yield StepFailed(step, str(exc), explanation_of(exc))
                state = self._state()
                again = "next: fix what the step says, then run the uninstall again"
                yield self._finish(False, state, (f"stopped at '{title}': {state}", again))
                return
            yield StepFinished(step, True, time.monotonic() - began, detail or "")
        yield self._finish(True, UNINSTALLED, tuple(self._kept()))

    # -- the steps ------------------------------------------------------------------------------------

    def _keep(self, release: ReleaseToRemove) -> Step:
        keep = self.preview.to_keep(release, purge=False)
        kept = keep_through_uninstall(self.kubectl, release.name, keep)
        for obj in kept.objects:
            yield OutputLine(f"keep-{release.name}", f"{obj}: helm.sh/resource-policy: keep (in {kept.secret})")
        return f"{len(kept.objects)} object(s) marked keep in {kept.secret}"

    def _uninstall(self, release: ReleaseToRemove) -> Step:
        step = f"uninstall-{release.name}"
        argv = self.helm.argv("uninstall", release.name)
        yield OutputLine(step, "$ " + display(argv))
        lines: list[str] = []
        stream = process.Lines(process.stream(argv, self.options.helm_timeout, self.cancel, self.options.env))
        for line in stream:
            lines.append(line.text)
            yield OutputLine(step, line.text, line.stream)
        if stream.code != 0:
            raise StepError(f"helm uninstall {release.name} failed: {process.error_summary(chr(10).join(lines))}")
        return f"release {release.name} uninstalled"

    def _pods_gone(self) -> Step:
        selectors = [s for r in self.preview.releases for s in r.selectors]
        names = {n for r in self.preview.releases for n in r.pods}

        def left() -> list[str]:
            pods = self.kubectl.items("pods")
            return sorted(_name(p) for p in pods if _name(p) in names or matches(_labels(p), selectors))

        yield from self._wait("pods", "pod(s) of the releases", left)
        return "every pod of the releases is gone"

    def _secrets(self) -> Step:
        if not self.preview.secrets:
            yield from ()
            return "none to delete"
        done = self.kubectl.check("delete", "secret", *self.preview.secrets, "--ignore-not-found")
        for line in done.splitlines():
            if line.strip():
                yield OutputLine("secrets", line.strip())
        return ", ".join(self.preview.secrets) + " deleted"

    def _purge(self) -> Step:
        p = self.preview
        if p.pvcs:
            out = self.kubectl.check("delete", "persistentvolumeclaim", *p.pvcs, "--ignore-not-found", "--wait=false")
            for line in out.splitlines():
                yield OutputLine("purge", line.strip())
        namespaces = [n.name for n in p.project_namespaces]
        if namespaces:
            out = self.kubectl.check("delete", "namespace", *namespaces, "--ignore-not-found", "--wait=false",
                                     namespaced=False)  # fmt: skip
            for line in out.splitlines():
                yield OutputLine("purge", line.strip())

            def left() -> list[str]:
                live = self.kubectl.get_json("namespaces", namespaced=False).get("items") or []
                return sorted(set(namespaces) & {_name(n) for n in live})

            yield from self._wait("purge", "project namespace(s)", left)
        return f"{len(p.pvcs)} PVC(s), {len(namespaces)} project namespace(s) deleted"

    def _wait(self, step: str, what: str, left: Callable[[], list[str]]) -> Iterator[Event]:
        """Look again every :data:`POLL_SECONDS` until ``left()`` is empty; a line each time it changes."""
        deadline = time.monotonic() + self.options.timeout
        shown: list[str] | None = None
        while True:
            remaining = left()
            if remaining != shown:
                text = f"{len(remaining)} {what} left: {', '.join(remaining[:6])}" if remaining else f"no {what} left"
                yield OutputLine(step, text + (" …" if len(remaining) > 6 else ""))
                shown = remaining
            if not remaining:
                return
            if time.monotonic() > deadline:
                raise StepError(f"{len(remaining)} {what} still there after {self.options.timeout:.0f}s: "
                                f"{', '.join(remaining[:6])}")  # fmt: skip
            if self.cancel.wait(POLL_SECONDS):
                raise process.Cancelled("cancelled")

    # -- the end --------------------------------------------------------------------------------------

    def _state(self) -> str:
        """Each release's state now (asked with a fresh cancel flag: the user's may be set)."""
        probe = release_helm(self.helm.binary, self.helm.context, self.helm.namespace, self.helm.env)
        states = []
        for r in self.preview.releases:
            try:
                info = find_release(probe, r.name)
            except (HelmError, process.ProcessError, ValueError):
                states.append(f"release {r.name} is in an unknown state")
                continue
            states.append(f"release {r.name} is {info.status if info else UNINSTALLED}")
        return "; ".join(states) or "no release"

    def _kept(self) -> list[str]:
        p, purge = self.preview, self.options.purge
        lines = [f"release {r.name} uninstalled" for r in p.releases]
        if p.secrets:
            lines.append(f"Secrets deleted: {', '.join(p.secrets)}")
        if not purge:
            lines += [f"kept: CRD {c.name} with {c.objects} {c.kind} object(s) (--purge deletes it)" for c in p.crds]
            if p.project_namespaces:
                lines.append("kept: project namespaces " + ", ".join(n.name for n in p.project_namespaces))
            if p.pvcs:
                lines.append("kept: PersistentVolumeClaims " + ", ".join(p.pvcs))
        return lines

    def _finish(self, ok: bool, state: str, summary: tuple[str, ...]) -> InstallFinished:
        return InstallFinished(ok, state, time.monotonic() - self.started, summary)


def _name(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _labels(obj: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in ((obj.get("metadata") or {}).get("labels") or {}).items()}
