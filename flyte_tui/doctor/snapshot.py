"""Everything the doctor looks at, read once (by :mod:`flyte_tui.doctor.gather`): the checks are pure
functions over a :class:`Snapshot`. Secret *values* never reach this process: Secrets are listed with
their names, types and key names only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import ChartObjects, ChartProfile, Component, profile_for_chart
from flyte_tui.model.plan import DEFAULT_CHART, DEFAULT_NAMESPACE, DEFAULT_RELEASE, InstallPlan
from flyte_tui.readiness import Timing

Json = dict[str, Any]


@dataclass(frozen=True)
class DoctorTarget:
    """Which install to examine (the release, where it is, its chart's profile) and with which binaries."""

    namespace: str = DEFAULT_NAMESPACE
    release: str = DEFAULT_RELEASE
    context: str = ""
    kubectl: str = "kubectl"
    helm: str = "helm"
    env: Mapping[str, str] | None = None
    plan: InstallPlan | None = None
    """The answers file, when given: tells the environment (eks, gke, sandbox…) the install is meant for."""
    timing: Timing = field(default_factory=Timing)
    timeout: float = 20.0
    """Seconds allowed to each kubectl/helm call."""
    chart: ChartProfile | None = None
    """The profile of the release's chart (which components and objects to look for); None: the profile of
    the answers file's chart, else flyte-core's."""

    @property
    def profile(self) -> ChartProfile:
        """The profile of the release's chart."""
        if self.chart is not None:
            return self.chart
        return profile_for_chart(self.plan.target.chart.name if self.plan is not None else DEFAULT_CHART)

    @property
    def environment(self) -> str | None:
        """sandbox / eks / gke / generic from the answers file, or None when there is none."""
        return self.plan.environment if self.plan is not None else None


@dataclass(frozen=True)
class SecretInfo:
    """A Secret without its data: name, type and key names."""

    name: str
    type: str
    keys: tuple[str, ...]


@dataclass
class Snapshot:
    """What the cluster and helm said, once. Missing answers are recorded in ``errors``, never raised."""

    target: DoctorTarget
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    helm_version: str = ""
    kubectl_version: Json = field(default_factory=dict)
    """``kubectl version -o json`` (clientVersion, serverVersion when the cluster answered)."""
    objects: dict[str, list[Json]] = field(default_factory=dict)
    """Namespaced objects by plural kind (``pods``, ``deployments``…)."""
    secrets: dict[str, SecretInfo] = field(default_factory=dict)
    namespaces: list[Json] = field(default_factory=list)
    ingress_classes: list[Json] = field(default_factory=list)
    crd: Json | None = None
    webhook_config: Json | None = None
    quotas: list[Json] = field(default_factory=list)
    """ResourceQuotas of every namespace."""
    default_service_accounts: list[Json] = field(default_factory=list)
    """The ``default`` ServiceAccount of every namespace."""
    history: list[Json] | None = None
    """``helm history`` of the release, newest last; None when the release does not exist."""
    values: Json = field(default_factory=dict)
    """``helm get values --all``: the release's computed values (chart defaults + user values)."""
    logs: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(pod, container) → last log lines (the previous run's when the container restarted)."""
    contexts: list[str] | None = None
    """The kubeconfig's context names (None: not read)."""
    current_context: str = ""
    """The kubeconfig's current context (empty: none set, or not read)."""
    propeller_secret: str = ""
    """What comparing the propeller Secret's client_secret with the hash in flyteadmin's config found: match,
    mismatch or absent ("" when not compared: auth off, External, no hash). Never the value."""
    errors: dict[str, str] = field(default_factory=dict)
    """What could not be read, by what it was: ``kubectl``, ``helm``, ``pods``, ``secrets``, ``crd``…"""
    processes: int = 0
    """How many kubectl/helm processes gathering started."""
    elapsed: float = 0.0

    # -- reading helpers -----------------------------------------------------------------------

    @property
    def namespace(self) -> str:
        """The release namespace."""
        return self.target.namespace

    @property
    def release(self) -> str:
        """The release name."""
        return self.target.release

    def items(self, kind: str) -> list[Json]:
        """Namespaced objects of one plural kind ([] when not read)."""
        return self.objects.get(kind, [])

    def named(self, kind: str, name: str) -> Json | None:
        """One namespaced object by name."""
        return next((o for o in self.items(kind) if meta(o).get("name") == name), None)

    def value(self, path: str, default: Any = None) -> Any:
        """A release value by its dotted path (``storage.type``; a key with dots in quotes, see
        :func:`flyte_tui.tree.dotted`)."""
        return tree.get(self.values, tree.parse(path), default)

    @property
    def chart_objects(self) -> ChartObjects:
        """The names of the objects the release's chart creates (ConfigMaps, CRD, webhook …)."""
        return self.target.profile.objects(self.release)

    def expected_components(self) -> list[Component]:
        """The components the release's values make its chart create (every one when there are no values)."""
        profile = self.target.profile
        return profile.expected_components(self.values, self.release) if self.values else list(profile.components)

    @property
    def release_status(self) -> str | None:
        """deployed / failed / pending-install …, None when the release does not exist."""
        if not self.history:
            return None
        return str(self.history[-1].get("status", "unknown"))

    @property
    def context_used(self) -> str:
        """The kube context the doctor looked through: the one asked for, else the kubeconfig's current one."""
        return self.target.context or self.current_context

    @property
    def cluster_reachable(self) -> bool:
        """The API server answered ``kubectl version``."""
        return "serverVersion" in self.kubectl_version


def meta(obj: Mapping[str, Any]) -> Json:
    """An object's metadata ({} when absent)."""
    data = obj.get("metadata")
    return data if isinstance(data, dict) else {}


_SAVED = ("helm_version", "kubectl_version", "objects", "namespaces", "ingress_classes", "crd", "webhook_config",
          "quotas", "default_service_accounts", "history", "values", "contexts", "current_context", "errors",
          "processes", "elapsed", "propeller_secret")  # fmt: skip


def snapshot_to_json(snap: Snapshot) -> Json:
    """A snapshot as JSON (for test fixtures captured from a cluster, and for the bundle)."""
    out: Json = {name: getattr(snap, name) for name in _SAVED}
    out["now"] = snap.now.isoformat()
    out["secrets"] = {s.name: {"type": s.type, "keys": list(s.keys)} for s in snap.secrets.values()}
    out["logs"] = [{"pod": p, "container": c, "lines": lines} for (p, c), lines in snap.logs.items()]
    return out


def snapshot_from_json(data: Mapping[str, Any], target: DoctorTarget) -> Snapshot:
    """The inverse of :func:`snapshot_to_json`, for a given target."""
    snap = Snapshot(target, now=datetime.fromisoformat(str(data["now"])))
    for name in _SAVED:
        if name in data:
            setattr(snap, name, data[name])
    snap.secrets = {n: SecretInfo(n, str(s["type"]), tuple(s["keys"])) for n, s in (data.get("secrets") or {}).items()}
    snap.logs = {(str(e["pod"]), str(e["container"])): list(e["lines"]) for e in data.get("logs") or []}
    return snap
