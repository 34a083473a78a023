"""Whether the releases' pods fit this cluster: their requests against the schedulable nodes' allocatable
(``capacity``), GPU task limits against nodes that advertise ``nvidia.com/gpu`` (``gpu``), the namespace's
ResourceQuota (``quota``) and LimitRange (``limit-range``).

The pods come from the rendered values of every :class:`~flyte_tui.charts.PlannedRelease`: each expected
component's replicas and its requests and limits, the chart's defaults where the values set none. Everything
here is arithmetic over plain data (the nodes', quotas' and limit ranges' JSON as kubectl prints it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flyte_tui.charts import PlannedRelease
from flyte_tui.charts.flyte_core.defaults import COMPONENT_RESOURCES
from flyte_tui.install.preflight_checks import CheckResult
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.quantity import parse_quantity

RESOURCES = ("cpu", "memory")
"""What is compared (ephemeral storage and GPUs are not scheduled against here)."""
GPU = "nvidia.com/gpu"

DEPS_RESOURCES: dict[str, dict[str, dict[str, str]]] = {
    "minio": {"requests": {"cpu": "10m", "memory": "128Mi"}, "limits": {"cpu": "200m", "memory": "512Mi"}},
    "postgres": {"requests": {"cpu": "10m", "memory": "128Mi"}, "limits": {"cpu": "1000m", "memory": "512Mi"}},
}
"""flyte-deps v0.1.10's minio and PostgreSQL resources (its values.yaml), where the values set none."""


@dataclass(frozen=True)
class Pod:
    """The pods of one component: how many, and what each requests and is limited to (cpu in cores, memory
    in bytes)."""

    component: str
    key: str
    """The component's key under ``resources.components`` in the answers."""
    release: str
    replicas: int
    requests: Mapping[str, Decimal]
    limits: Mapping[str, Decimal]


def _quantities(block: Any) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    if isinstance(block, Mapping):
        for key, value in block.items():
            try:
                out[str(key)] = parse_quantity(str(value))
            except ValueError:
                continue  # validation refused bad quantities already; a chart default we cannot read counts 0
    return out


def _block(values: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any]:
    node: Any = values
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def release_pods(release: PlannedRelease) -> list[Pod]:
    """The pods ``release``'s rendered values make its chart create (its expected components)."""
    values = release.values
    pods = []
    for component in release.profile.expected_components(values, release.release):
        if release.profile.name == "flyte-binary":
            block, defaults = _block(values, ("deployment",)), {}
        else:
            block = _block(values, (component.values_key,))
            table = DEPS_RESOURCES if release.profile.name == "flyte-deps" else COMPONENT_RESOURCES
            defaults = table.get(component.values_key, {})
        kinds = {}
        for kind in ("requests", "limits"):
            kinds[kind] = _quantities({**defaults.get(kind, {}), **_block(block, ("resources", kind))})
        replicas = block.get("replicaCount", 1)
        count = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
        pods.append(
            Pod(component.name, component.values_key, release.release, count, kinds["requests"], kinds["limits"])
        )
    return [p for p in pods if p.replicas > 0]


def show(resource: str, amount: Decimal) -> str:
    """A quantity as people read it: cores with millicores, memory in Mi or Gi."""
    if resource == "cpu":
        milli = int(amount * 1000)
        return f"{milli}m" if milli % 1000 else f"{milli // 1000}"
    size = Decimal(amount)
    if size >= 2**30:
        return f"{size / 2**30:.1f}Gi".replace(".0Gi", "Gi")
    return f"{int(size / 2**20)}Mi"


def _schedulable(node: Mapping[str, Any]) -> bool:
    spec = node.get("spec") or {}
    if spec.get("unschedulable"):
        return False
    taints = spec.get("taints") or []
    return not any(isinstance(t, Mapping) and t.get("effect") in ("NoSchedule", "NoExecute") for t in taints)


def node_allocatable(nodes: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """Each schedulable node's allocatable cpu, memory and GPUs (unschedulable and NoSchedule-tainted nodes are
    left out: the chart's pods carry no tolerations)."""
    out = {}
    for node in nodes:
        if not _schedulable(node):
            continue
        name = str((node.get("metadata") or {}).get("name") or "?")
        allocatable = (node.get("status") or {}).get("allocatable") or {}
        out[name] = {k: v for k, v in _quantities(allocatable).items() if k in (*RESOURCES, GPU)}
    return out


def _totals(pods: Sequence[Pod], kind: str = "requests") -> dict[str, Decimal]:
    return {r: sum((getattr(p, kind).get(r, Decimal(0)) * p.replicas for p in pods), Decimal(0)) for r in RESOURCES}


def capacity(pods: Sequence[Pod], nodes: Sequence[Mapping[str, Any]]) -> CheckResult:
    """The pods' requests fit the schedulable nodes' allocatable in sum, and each pod fits one node."""
    looked = "the releases' pod requests against the schedulable nodes' allocatable"
    allocatable = node_allocatable(nodes)
    if not allocatable:
        none = f"no schedulable node among {len(nodes)} node(s)"
        return CheckResult(
            "capacity", "fail", looked, none, "add a node, or uncordon or untaint one, before installing"
        )
    need, have = (
        _totals(pods),
        {r: sum((n.get(r, Decimal(0)) for n in allocatable.values()), Decimal(0)) for r in RESOURCES},
    )
    fix = "add nodes, or lower resources.components.<component>.requests (or replicas) in the answers"
    for pod in sorted(pods, key=lambda p: -p.requests.get("cpu", Decimal(0))):
        if not any(
            all(pod.requests.get(r, Decimal(0)) <= n.get(r, Decimal(0)) for r in RESOURCES)
            for n in allocatable.values()
        ):
            asks = ", ".join(f"{r} {show(r, pod.requests.get(r, Decimal(0)))}" for r in RESOURCES)
            biggest = ", ".join(
                f"{r} {show(r, max(n.get(r, Decimal(0)) for n in allocatable.values()))}" for r in RESOURCES
            )
            too_big = f"one pod of {pod.component} requests {asks}: no node has that much allocatable"
            return CheckResult("capacity", "fail", looked, f"{too_big} (the largest: {biggest})", fix)
    short = [r for r in RESOURCES if need[r] > have[r]]
    totals = ", ".join(f"{r} {show(r, need[r])} of {show(r, have[r])}" for r in RESOURCES)
    nodes_said = f"{len(allocatable)} schedulable node(s)"
    if short:
        top = max(pods, key=lambda p: p.requests.get(short[0], Decimal(0)) * p.replicas)
        part = show(short[0], top.requests.get(short[0], Decimal(0)) * top.replicas)
        largest = f"the largest is {top.component} ({top.replicas} × {short[0]}, {part} in all)"
        return CheckResult(
            "capacity", "fail", looked, f"the pods request {totals} allocatable on {nodes_said}; {largest}", fix
        )
    return CheckResult("capacity", "ok", looked, f"the pods request {totals} allocatable on {nodes_said}")


def _gpu_limit(plan: InstallPlan) -> Decimal:
    """The GPUs a task may ask for (``resources.taskDefaults.limits.gpu``; 0 when none)."""
    gpu = plan.resources.task_defaults.limits.gpu
    return parse_quantity(str(gpu)) if gpu is not None else Decimal(0)


def gpu(plan: InstallPlan, nodes: Sequence[Mapping[str, Any]]) -> CheckResult:
    """GPU task limits in the answers on a cluster where no node advertises ``nvidia.com/gpu``: a warning."""
    looked = f"resources.taskDefaults.limits.gpu against the nodes' {GPU}"
    wanted = _gpu_limit(plan)
    with_gpu = [name for name, a in node_allocatable(nodes).items() if a.get(GPU, Decimal(0)) > 0]
    if wanted <= 0:
        return CheckResult("gpu", "ok", looked, f"the task limits allow no GPU; {len(with_gpu)} GPU node(s)")
    if with_gpu:
        return CheckResult("gpu", "ok", looked, f"tasks may ask for {wanted} GPU; GPU nodes: {', '.join(with_gpu)}")
    pending = f"tasks may ask for {wanted} GPU, but no schedulable node advertises {GPU}: such tasks would stay Pending"
    add = "add GPU nodes (with the NVIDIA device plugin), or remove resources.taskDefaults.limits.gpu"
    return CheckResult("gpu", "warn", looked, pending, add)


QUOTA_KEYS = {
    "requests.cpu": ("requests", "cpu"),
    "cpu": ("requests", "cpu"),
    "requests.memory": ("requests", "memory"),
    "memory": ("requests", "memory"),
    "limits.cpu": ("limits", "cpu"),
    "limits.memory": ("limits", "memory"),
}
"""ResourceQuota keys and what of the pods they count."""


def quota(pods: Sequence[Pod], quotas: Sequence[Mapping[str, Any]], namespace: str, existing: bool) -> CheckResult:
    """The namespace's ResourceQuotas leave room for the pods (hard minus used; for an existing release its
    pods are counted in ``used`` already, so against hard alone), and the pods set what a quota demands."""
    looked = f"ResourceQuota in namespace {namespace}"
    if not quotas:
        return CheckResult("quota", "ok", looked, "none")
    fix = f"raise the ResourceQuota in {namespace}, or lower the components' requests and limits in the answers"
    pod_count = sum(p.replicas for p in pods)
    for q in quotas:
        name = str((q.get("metadata") or {}).get("name") or "?")
        hard = _quantities((q.get("spec") or {}).get("hard") or (q.get("status") or {}).get("hard"))
        used = {} if existing else _quantities((q.get("status") or {}).get("used"))
        for key, limit in hard.items():
            left = limit - used.get(key, Decimal(0))
            if key == "pods" and pod_count > left:
                return CheckResult(
                    "quota", "fail", looked, f"{name} allows {left} more pod(s); the install runs {pod_count}", fix
                )
            if key not in QUOTA_KEYS:
                continue
            kind, resource = QUOTA_KEYS[key]
            missing = [p.component for p in pods if resource not in getattr(p, kind)]
            missing_keys = [p.key for p in pods if resource not in getattr(p, kind)]
            if missing:
                unset = f"{', '.join(missing)} set(s) no {kind}.{resource} (the API server refuses those pods)"
                set_it = f"set resources.components.{missing_keys[0]}.{kind}.{resource} in the answers"
                demand = f"{name} limits {key}, so every pod must set it; {unset}"
                return CheckResult(
                    "quota", "fail", looked, demand, f"{set_it}, or add a LimitRange default in {namespace}"
                )
            total = _totals(pods, kind)[resource]
            if total > left:
                room = f"{name} leaves {key} {show(resource, left)}; the pods need {show(resource, total)}"
                return CheckResult("quota", "fail", looked, room, fix)
    return CheckResult("quota", "ok", looked, f"{len(quotas)} quota(s) leave room for {pod_count} pod(s)")


def limit_range(pods: Sequence[Pod], ranges: Sequence[Mapping[str, Any]], namespace: str) -> CheckResult:
    """No Container or Pod LimitRange in the namespace refuses a component's requests or limits (max against
    the limits, else the requests; min against the requests)."""
    looked = f"LimitRange in namespace {namespace}"
    if not ranges:
        return CheckResult("limit-range", "ok", looked, "none")
    for lr in ranges:
        name = str((lr.get("metadata") or {}).get("name") or "?")
        for item in (lr.get("spec") or {}).get("limits") or []:
            if not isinstance(item, Mapping) or item.get("type") not in ("Container", "Pod"):
                continue
            high, low = _quantities(item.get("max")), _quantities(item.get("min"))
            for pod in pods:
                for r in RESOURCES:
                    top = pod.limits.get(r, pod.requests.get(r))
                    if r in high and top is not None and top > high[r]:
                        return _refused(name, item, pod, r, f"{show(r, top)} above its max {show(r, high[r])}")
                    ask = pod.requests.get(r)
                    if r in low and ask is not None and ask < low[r]:
                        return _refused(name, item, pod, r, f"{show(r, ask)} below its min {show(r, low[r])}")
    return CheckResult("limit-range", "ok", looked, f"{len(ranges)} LimitRange(s) accept every component's resources")


def _refused(name: str, item: Mapping[str, Any], pod: Pod, resource: str, what: str) -> CheckResult:
    looked, change = f"LimitRange {name} ({item.get('type')})", f"change resources.components.{pod.key} in the answers"
    refused = f"{pod.component} asks for {resource} {what}: the API server refuses the pod"
    return CheckResult("limit-range", "fail", looked, refused, f"{change}, or the LimitRange")
