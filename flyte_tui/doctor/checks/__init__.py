"""The doctor's checks: small independent functions over a :class:`~flyte_tui.doctor.snapshot.Snapshot`.

Adding a check is adding one function with the :func:`check` decorator (and its test). A check returns
one :class:`Outcome`; :func:`run_check` turns it into a :class:`Finding` carrying the check's id and title.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Literal

from flyte_tui.diagnose import Explanation
from flyte_tui.doctor.snapshot import Snapshot
from flyte_tui.redact import known_secrets, mask_known

Severity = Literal["pass", "warn", "fail", "skip"]
SEVERITIES: tuple[Severity, ...] = ("fail", "warn", "pass", "skip")
"""Worst first."""


@dataclass(frozen=True)
class Outcome:
    """What a check found."""

    severity: Severity
    summary: str
    """The finding, one line."""
    looked_at: tuple[str, ...] = ()
    """What the check read, e.g. ``Secret db-pass`` or ``pods -l app.kubernetes.io/name=flyteadmin``."""
    evidence: tuple[str, ...] = ()
    """Lines that show it: a log tail, events, a condition's message."""
    fix: str = ""
    """What to do, in words."""
    commands: tuple[str, ...] = ()
    """Exact commands to look further or to fix it."""
    diagnosis: Explanation | None = None
    """The failed-pod diagnosis (:func:`flyte_tui.diagnose.diagnose_pod`) this finding reports, if any."""
    answer: str | None = None
    """The answers-file path to change, when one answer fixes it."""

    @property
    def signature(self) -> str | None:
        """The known failure signature matched (see :mod:`flyte_tui.diagnose`)."""
        return self.diagnosis.signature if self.diagnosis is not None else None


@dataclass(frozen=True, kw_only=True)
class Finding(Outcome):
    """A check's outcome with the check's identity: the unit of the report and of the doctor screen."""

    id: str
    """The check's id, e.g. ``component.flyteadmin``."""
    title: str
    area: str
    """tools, cluster, release, components, config, network, auth, plugins, clusters, runtime or events."""


CheckFn = Callable[[Snapshot], Outcome]


@dataclass(frozen=True)
class Check:
    """One registered check."""

    id: str
    title: str
    area: str
    fn: CheckFn = field(repr=False)


REGISTRY: list[Check] = []


def check(id_: str, title: str, area: str) -> Callable[[CheckFn], CheckFn]:
    """Register a function as a check."""

    def register(fn: CheckFn) -> CheckFn:
        REGISTRY.append(Check(id_, title, area, fn))
        return fn

    return register


def run_check(item: Check, snap: Snapshot) -> Finding:
    """Run one check; a check that breaks is reported as a warning, never as a crash of the doctor. A check the
    release's chart says does not apply to it is skipped with the chart's reason."""
    try:
        reason = snap.chart_objects.not_applicable.get(item.id)
        out = skip(reason) if reason else item.fn(snap)
    except Exception as exc:  # a bug in one check must not hide the others
        out = Outcome("warn", f"the check itself failed: {type(exc).__name__}: {exc}")
    known = known_secrets(snap.target.env)  # logs and pod messages may quote the password the user gave
    found = {f.name: mask_known(getattr(out, f.name), known) for f in fields(Outcome)}
    return Finding(**found, id=item.id, title=item.title, area=item.area)


REPORT_ORDER = ("cluster", "components", "dependencies", "config", "network", "auth", "plugins", "clusters", "runtime")
"""The check modules in report order: the order never depends on which module was imported first."""


def all_checks() -> list[Check]:
    """Every check, in report order (importing the modules registers them)."""
    from flyte_tui.doctor.checks import (  # noqa: F401
        auth,
        cluster,
        clusters,
        components,
        config,
        dependencies,
        network,
        plugins,
        runtime,
    )

    def position(item: Check) -> int:
        return REPORT_ORDER.index(item.fn.__module__.rsplit(".", 1)[-1])

    return sorted(REGISTRY, key=position)  # stable: a module's checks keep the order they are written in


def ok(summary: str, *looked_at: str) -> Outcome:
    """A passing outcome."""
    return Outcome("pass", summary, tuple(looked_at))


def skip(summary: str, *looked_at: str) -> Outcome:
    """Not applicable, or could not be examined for a reason another check reports."""
    return Outcome("skip", summary, tuple(looked_at))


def unreadable(snap: Snapshot, *keys: str) -> Outcome | None:
    """A skip outcome when the cluster or one of the reads behind a check failed."""
    if not snap.cluster_reachable:
        return skip("not checked: the cluster did not answer (see cluster.reachable)")
    for key in keys:
        if key in snap.errors:
            return skip(f"not checked: cannot read {key}: {snap.errors[key]}")
    return None


def kubectl_cmd(snap: Snapshot, namespace: str | None = None) -> str:
    """``kubectl [--context C] -n NS``: the start of every command a finding suggests (in Flyte's namespace
    unless another is given), always with the context the doctor read."""
    ctx = f" --context {shlex.quote(snap.target.context)}" if snap.target.context else ""
    return f"kubectl{ctx} -n {shlex.quote(namespace or snap.namespace)}"  # pasted into a shell as it stands
