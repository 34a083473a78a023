"""Release operations both faces and the installer use: find a live release, describe it, read its values,
manifest and answers, get it out of a stuck pending-* state, and return it to an earlier revision.

Every helm call goes through :class:`~flyte_tui.tools.helm.Helm` (an argument list with a timeout and the
caller's cancel flag).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flyte_tui.diagnose import Explanation
from flyte_tui.review.diff import ManifestDiff, manifest_diff
from flyte_tui.tools import operation, output, process, retry
from flyte_tui.tools.helm import Helm, HelmError

if TYPE_CHECKING:
    from flyte_tui.charts import ChartProfile, ImportResult

FIX_TIMEOUT = 300.0
"""Seconds the fix of a stuck release (helm rollback / uninstall) may take."""


@dataclass(frozen=True)
class ReleaseInfo:
    """A release as ``helm list`` / ``helm status`` describe it."""

    name: str
    namespace: str
    chart: str
    """``flyte-core-v1.16.8``"""
    revision: int
    status: str
    updated: str

    @property
    def chart_version(self) -> str:
        """The chart version part of ``chart`` (``v1.16.8``)."""
        match = re.match(r"^(.*?)-(v?\d+\.\d+\.\d+.*)$", self.chart)
        return match.group(2) if match else ""

    @property
    def pending(self) -> bool:
        """An earlier helm operation did not finish."""
        return self.status.startswith("pending-")


# -- the adapter ------------------------------------------------------------------------------------


def release_helm(
    binary: str,
    context: str,
    namespace: str,
    env: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
    timeout: float = 60.0,
) -> Helm:
    """The helm adapter of one release, the one every face builds (the installer, the headless install,
    upgrade and diff, the wizard's upgrade flow): bound to the release's kube context and namespace, the
    caller's cancel flag, and every read of the cluster tried again on a transient error (:data:`retry.READS`),
    so that no face gives up on a release an API server blip hid for a second."""
    return Helm(binary, context, namespace, env, cancel or threading.Event(), timeout, retries=retry.READS)


# -- find and read ----------------------------------------------------------------------------------


def find_release(helm: Helm, release: str) -> ReleaseInfo | None:
    """The release in the helm adapter's namespace (its newest revision), or None.

    ``helm history`` reads the same on helm 3 and 4 (``helm list --all`` exists only on 3).
    """
    done = helm.run("history", release, "--max", "1", "-o", "json")
    if not done.ok:
        if "not found" in (done.stderr + done.stdout).lower():
            return None
        raise HelmError(process.last_line(done.stderr, "helm history failed"))
    entries = output.json_list(done.stdout, "helm history", output.HelmRevision)
    if not entries:
        return None
    last = entries[-1]
    return ReleaseInfo(
        name=release,
        namespace=helm.namespace,
        chart=str(last.get("chart", "")),
        revision=int(last.get("revision", 0)),
        status=str(last.get("status", "")),
        updated=str(last.get("updated", "")),
    )


def live_values(helm: Helm, release: str, revision: int | None = None) -> dict[str, Any]:
    """The user-supplied values of the release (``helm get values``)."""
    args = ["get", "values", release, "-o", "json"]
    if revision is not None:
        args += ["--revision", str(revision)]
    return output.json_object(helm.check(*args), "helm get values", empty="null", nullable=True)


def live_manifest(helm: Helm, release: str, revision: int | None = None) -> str:
    """The release's rendered manifest (``helm get manifest``)."""
    args = ["get", "manifest", release]
    if revision is not None:
        args += ["--revision", str(revision)]
    return helm.check(*args)


def live_answers(helm: Helm, info: ReleaseInfo, profile: ChartProfile | None = None) -> ImportResult:
    """The live release as an answers file (unknown keys under extraValues, and listed), read by its
    chart's profile (flyte-core unless told)."""
    from flyte_tui.charts import profile_named

    chart = profile or profile_named("flyte-core")
    return chart.import_values(live_values(helm, info.name), release=info.name, namespace=info.namespace)


# -- describe ---------------------------------------------------------------------------------------


def short_time(updated: str) -> str:
    """``2026-11-29T10:02:33.51+01:00`` (helm's JSON time) as ``2026-11-29 10:02``; other text unchanged."""
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})", updated.strip())
    return f"{match.group(1)} {match.group(2)}" if match else updated.strip()


def describe_release(info: ReleaseInfo) -> tuple[str, str]:
    """One line about a release (chart, revision, status, last deployed) and, for a failed or pending-*
    release, what that means and what to do (else "")."""
    when = short_time(info.updated) or "an unknown time"
    line = f"release {info.name} in {info.namespace}: {info.chart or '(unknown chart)'}, revision {info.revision}, "
    if info.status == "deployed":
        return line + f"deployed, last deployed {when}", ""
    line += f"{info.status or 'unknown status'}, last operation {when}"
    if info.status == "failed":
        meaning = (
            f"The last helm operation on revision {info.revision} failed: the cluster may hold part of it. "
            "Upgrading applies your answers again; the doctor shows what went wrong."
        )
    elif info.pending:
        verb = info.status.removeprefix("pending-")
        meaning = (
            f"A helm {verb} (revision {info.revision}) was interrupted and never finished: helm refuses any "
            "other change until the release is recovered. Choose Upgrade to see the guided recovery and "
            "what it changes."
        )
    else:
        meaning = f"helm reports the release as {info.status or 'unknown'}; the doctor can tell you more."
    return line, meaning


RECENT_OPERATION = 300.0
"""Seconds after its start during which a pending helm operation may still be running (helm's default
--timeout): recovering it before then would race that helm."""


def seconds_since(stamp: object, now: datetime | None = None) -> float | None:
    """Seconds from a helm time stamp (``2026-12-02T07:11:40.26507418Z``) to ``now``, None when it cannot be
    read."""
    if not isinstance(stamp, str) or not stamp:
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", stamp.strip()).replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return ((now or datetime.now(UTC)) - when).total_seconds()


def last_good_revision(history: Sequence[Mapping[str, Any]]) -> int | None:
    """The newest revision before the last one that was deployed (deployed, or superseded by a later one):
    where a rollback of a failed or stuck last revision goes. None: the release never had one."""
    good = [int(h.get("revision", 0)) for h in history[:-1] if str(h.get("status")) in ("deployed", "superseded")]
    return max(good, default=0) or None


def stuck_explanation(release: str, namespace: str, state: str, revision: int | None = None) -> Explanation:
    """Why a release in ``pending-*`` refuses another install or upgrade, and the safe command that frees it
    first (for a first install: re-applying its own revision), the destructive one last."""
    if state == "pending-install":
        rollback = f"helm rollback {release} {revision or 1} -n {namespace}"
        fix = (
            f"when no helm runs on it any more, recover with `{rollback}` (re-applies what the interrupted install "
            "applied and marks it deployed; nothing is deleted), then install again. Last resort, destructive: "
            f"`helm uninstall {release} -n {namespace}` deletes the release and everything it created"
        )
    else:
        fix = (
            f"when no helm runs on it any more, recover with `helm rollback {release} -n {namespace}` "
            "(back to the last deployed revision), then install again"
        )
    return Explanation(
        summary=f"release {release} is stuck in {state}",
        object=f"release/{release}",
        cause="a helm install/upgrade/rollback was interrupted, so helm refuses another one",
        fix=fix,
    )


# -- fix a stuck release, roll back -----------------------------------------------------------------


@dataclass
class ReleaseFix:
    """How to get a release out of a pending-* (or failed) state, and what that changes."""

    state: str
    description: str
    """What the interrupted operation was, when, and what it had applied."""
    argv: list[str]
    diff: ManifestDiff
    target_revision: int | None
    """The revision a rollback returns to (None: uninstall)."""
    last_resort: list[str] | None = None
    """A destructive fix to use only when this one fails (``helm uninstall``), or None."""
    busy: str = ""
    """Why the fix must not run now: a helm that flyte-tui started on this release still runs ("" when none)."""

    @property
    def outcome(self) -> str:
        """What the release is once the fix ran: ``rolled back to revision 1`` or ``uninstalled``."""
        if self.target_revision and self.state == "pending-install":
            return f"revision {self.target_revision} re-applied and deployed"
        return f"rolled back to revision {self.target_revision}" if self.target_revision else "uninstalled"


def stuck_release_fix(helm: Helm, release: str) -> ReleaseFix | None:
    """The guided recovery for a release stuck in pending-*, or None when the release is not stuck."""
    history = helm.history(release)
    if not history:
        return None
    last = history[-1]
    state = str(last.get("status", ""))
    if not state.startswith("pending-"):
        return None
    revision = int(last.get("revision", 0))
    description = (
        f"revision {revision} ({last.get('chart', '?')}) has been {state} since {last.get('updated', '?')}: "
        f"{last.get('description', '')}".strip()
    )
    live = operation.live(helm.context, helm.namespace, release)
    busy = live.line() if live is not None else ""
    if state != "pending-install":
        back = _back_to_earlier(helm, release, history, state, description)
        if back is not None:
            return dataclasses.replace(back, busy=busy)
    applied = live_manifest(helm, release, revision)
    uninstall = helm.argv("uninstall", release)
    if state == "pending-install":
        # not an uninstall first: the install may hold data (a database schema, projects); re-applying its
        # own revision ends the pending state and keeps everything
        return ReleaseFix(
            state,
            description,
            helm.argv("rollback", release, str(revision)),
            manifest_diff(applied, applied),
            revision,
            last_resort=uninstall,
            busy=busy,
        )
    return ReleaseFix(state, description, uninstall, manifest_diff(applied, ""), None, busy=busy)


def rollback_offer(helm: Helm, release: str) -> ReleaseFix | None:
    """How to return a release to the revision before its last one, with what that changes (None when
    there is no earlier revision to return to). For an upgrade that failed with rollback on failure off."""
    history = helm.history(release)
    if not history:
        return None
    last = history[-1]
    state = str(last.get("status", ""))
    description = f"revision {last.get('revision', '?')} ({last.get('chart', '?')}) is {state or '?'}"
    return _back_to_earlier(helm, release, history, state, description)


def _back_to_earlier(
    helm: Helm, release: str, history: Sequence[Mapping[str, Any]], state: str, description: str
) -> ReleaseFix | None:
    """A rollback from the last revision to the newest earlier one that was deployed (None: there is none)."""
    target = last_good_revision(history)
    if target is None:
        return None
    revision = int(history[-1].get("revision", 0))
    return ReleaseFix(
        state,
        description,
        helm.argv("rollback", release, str(target)),
        manifest_diff(live_manifest(helm, release, revision), live_manifest(helm, release, target)),
        target,
    )


def run_fix(fix: ReleaseFix, cancel: threading.Event | None = None, env: Mapping[str, str] | None = None) -> str:
    """Run a fix's command (helm rollback or uninstall): "" when it worked, else what helm said went wrong.

    Raises :class:`~flyte_tui.tools.process.ProcessError` when helm cannot run, times out or is cancelled.
    """
    if fix.busy:
        return fix.busy
    done = process.run(fix.argv, FIX_TIMEOUT, cancel, env)
    if done.ok:
        return ""
    return process.last_line(done.stderr or done.stdout, f"exit code {done.returncode}")
