"""What every install step works with: the options of a run, one release's state as it goes, and how a
step says it failed."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flyte_tui.charts import PlannedRelease
from flyte_tui.events import Event, Explanation
from flyte_tui.install.secrets import SecretValues
from flyte_tui.model.plan import InstallPlan
from flyte_tui.readiness import Timing
from flyte_tui.redact import mask_values
from flyte_tui.release import release_helm
from flyte_tui.tools import operation, process, retry
from flyte_tui.tools.helm import Helm, HelmError
from flyte_tui.tools.kubectl import Kubectl, KubectlError

Step = Generator[Event, None, str]
"""A step yields events and returns a one-line detail for its StepFinished."""


class StepError(Exception):
    """A step failed; carries what to tell the user."""

    def __init__(self, message: str, explanation: Explanation | None = None) -> None:
        super().__init__(message)
        self.explanation = explanation


class WatchCancelled(Exception):
    """The readiness loop saw the cancel flag."""


CANCELLED = (process.Cancelled, WatchCancelled)
"""What a step raises when the user cancelled."""
FAILED = (StepError, KubectlError, HelmError, process.ProcessError)
"""What a step raises when it failed (the message is the user's to read)."""


def explanation_of(exc: BaseException) -> Explanation | None:
    """The explanation a step's failure carries, if it has one."""
    return exc.explanation if isinstance(exc, StepError) else None


@dataclass
class InstallOptions:
    """How to run an install."""

    values_path: Path
    helm: str = "helm"
    kubectl: str = "kubectl"
    env: Mapping[str, str] | None = None
    timeout: float = 900.0
    """Seconds to wait for every component to be ready."""
    rollback_on_failure: bool = False
    secrets: SecretValues = field(default_factory=SecretValues)
    timing: Timing = field(default_factory=Timing)
    source: str = "flyte-tui.yaml"
    skip_preflight: tuple[str, ...] = ()
    """Preflight checks (by id) whose failure is only a warning, said to be skipped by the user."""


@dataclass
class ReleaseRun:
    """One release's install as it goes: where it goes, the tools bound to its kube context and namespace,
    and what preflight learnt about it."""

    plan: InstallPlan
    release: PlannedRelease
    options: InstallOptions
    cancel: threading.Event
    helm_major: int = 3
    previous_revision: int | None = None
    """The last deployed revision, which a failed upgrade returns to (None: the release never had one)."""
    last_revision: int | None = None
    """The release's newest revision before this run, in whatever state (None: there was no release)."""
    created_namespace: bool = False
    """This run created the namespace (a failure before helm recorded anything removes it again)."""
    created_secrets: list[str] = field(default_factory=list)
    """The Secrets this run created that did not exist before (removed like the namespace)."""
    created_dependencies: list[str] = field(default_factory=list)
    """The dependency releases this run installed that did not exist before (a rollback removes them)."""
    helm: Helm = field(init=False)
    kubectl: Kubectl = field(init=False)

    def __post_init__(self) -> None:
        r, o = self.release, self.options
        # every read of the cluster is tried again on a transient error (refused, reset, timeout, 5xx)
        self.kubectl = Kubectl(o.kubectl, r.context, r.namespace, o.env, self.cancel, retries=retry.READS)
        self.helm = release_helm(o.helm, r.context, r.namespace, o.env, self.cancel)

    def recorded(self, verb: str) -> contextlib.AbstractContextManager[Callable[[int], None]]:
        """The record of a helm operation on this release while it runs (:mod:`flyte_tui.tools.operation`)."""
        return operation.recorded(self.release.context, self.release.namespace, self.release.release, verb)

    def live_operation(self) -> operation.LiveOperation | None:
        """A helm operation on this release that an earlier flyte-tui started and that still runs."""
        return operation.live(self.release.context, self.release.namespace, self.release.release)

    def note_new_secrets(self, names: list[str]) -> None:
        """Before the Secrets are applied: remember which of them do not exist yet (this run creates them)."""
        done = self.kubectl.run("get", "secrets", *names, "-o", "name", "--ignore-not-found")
        if not done.ok:
            return  # unknown: never remove what may have been there
        there = {line.strip().removeprefix("secret/") for line in done.stdout.splitlines()}
        self.created_secrets = [n for n in names if n not in there]

    def clean(self, text: str) -> str:
        """A text with every secret value the user gave masked."""
        return mask_values(text, self.options.secrets.all())

    def probe(self) -> Helm:
        """helm for questions asked after the run, with a fresh cancel flag (the user's may be set)."""
        return release_helm(self.helm.binary, self.helm.context, self.helm.namespace, self.helm.env)

    def release_state(self) -> str:
        """The release's state now, asked with a fresh cancel flag."""
        try:
            status = self.probe().status(self.release.release)
        except (HelmError, process.ProcessError, ValueError):
            return "unknown"
        return str((status or {}).get("info", {}).get("status", "unknown")) if status else "not installed"
