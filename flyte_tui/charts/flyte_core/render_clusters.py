"""``dataPlanes`` → flyte-core values: the control plane's ``configmap.clusters`` and credentials mounts, and each
data plane's own values (NEXT-CAPABILITIES §2).

The control plane gets flyte-core's controlplane overlay (propeller, its webhook and the connector off, unless an
entry is ``inCluster``: the control plane executes too), ``configmap.clusters`` (one ``clusterConfigs`` entry per
data plane, reading its token and CA from the Secret ``cluster-credentials`` mounted at ``/var/run/credentials``;
``labelClusterMap`` from the labels and weights) and that Secret's volume and mount in flyteadmin. flyte-core
v1.16.8 mounts ``flyteadmin.additionalVolumeMounts`` into the ``sync-cluster-resources`` init container, and the
Secret into the syncresources Deployment, only when ``labelClusterMap`` is not empty; so when no data plane has a
label, each cluster is given its own name as a label (a missing mount makes flyteadmin panic).

A data plane gets the dataplane overlay (everything but propeller and its webhook off, flyteadmin's
ServiceAccount created all the same: its token is the control plane's credential; no Ingress), the same storage,
and propeller's admin and catalog endpoints pointed at the control plane (:func:`control_plane_endpoints`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from flyte_tui import tree
from flyte_tui.model.clusters import CREDENTIALS_DIR, CREDENTIALS_SECRET, DataPlane, ca_key, remote_planes, token_key
from flyte_tui.model.plan import InstallPlan

CREDENTIALS_VOLUME = "cluster-credentials"
"""The volume's name in flyteadmin's pod."""

_ADMIN_ENDPOINT = ("configmap", "admin", "admin")
_CATALOG_ENDPOINT = ("configmap", "catalog", "catalog-cache")
_DATA_PLANE_OFF = (
    "flyteadmin",
    "cluster_resource_manager",
    "workflow_scheduler",
    "flytescheduler",
    "datacatalog",
    "flyteconsole",
)
"""What flyte-core's values-dataplane.yaml turns off (the connector too, unless a plugin needs it)."""


def control_plane_executes(plan: InstallPlan) -> bool:
    """Whether the control plane runs executions too (an ``inCluster`` entry): it keeps propeller and its webhook."""
    return any(p.in_cluster for p in plan.data_planes)


@dataclass(frozen=True)
class ControlPlaneEndpoint:
    """Where propeller on a data plane reaches one control-plane service, and why that address."""

    endpoint: str
    insecure: bool
    why: str


def control_plane_endpoints(plan: InstallPlan) -> tuple[ControlPlaneEndpoint, ControlPlaneEndpoint]:
    """(flyteadmin, datacatalog) as propeller on a data plane reaches them.

    flyteadmin: an endpoint written under ``extraValues.configmap.admin.admin`` wins; else the control plane's
    Ingress host (port 443 with TLS, else 80: flyte-core routes flyteadmin's gRPC there); without one,
    flyteadmin's Service name, which resolves only inside the control plane's cluster (said in ``why``).
    datacatalog is not behind flyte-core's Ingress and has no auth: ``extraValues.configmap.catalog.catalog-cache``
    (an internal load balancer, as Flyte's guide suggests) wins, else its Service name, which says the same."""
    ns = plan.target.namespace
    ing = plan.ingress
    given = tree.get(plan.extra_values, (*_ADMIN_ENDPOINT, "endpoint"))
    if isinstance(given, str) and given:
        insecure = bool(tree.get(plan.extra_values, (*_ADMIN_ENDPOINT, "insecure"), False))
        admin = ControlPlaneEndpoint(given, insecure, "extraValues.configmap.admin.admin.endpoint")
    elif ing.enabled and ing.controller != "none" and ing.host:
        port = 443 if ing.tls.enabled else 80
        admin = ControlPlaneEndpoint(
            f"{ing.host}:{port}", not ing.tls.enabled, f"the control plane's Ingress host (ingress.host), port {port}"
        )
    else:
        admin = ControlPlaneEndpoint(
            f"flyteadmin.{ns}.svc.cluster.local:81",
            True,
            "no ingress.host: flyteadmin's Service name resolves only inside the control plane's cluster; set "
            "ingress.host, or extraValues.configmap.admin.admin.endpoint to an address the data planes reach",
        )
    given = tree.get(plan.extra_values, (*_CATALOG_ENDPOINT, "endpoint"))
    if isinstance(given, str) and given:
        insecure = bool(tree.get(plan.extra_values, (*_CATALOG_ENDPOINT, "insecure"), True))
        catalog = ControlPlaneEndpoint(given, insecure, "extraValues.configmap.catalog.catalog-cache.endpoint")
    else:
        catalog = ControlPlaneEndpoint(
            f"datacatalog.{ns}.svc.cluster.local:89",
            True,
            "datacatalog is not behind flyte-core's Ingress: its Service name resolves only inside the control "
            "plane's cluster; expose it (an internal load balancer) and set "
            "extraValues.configmap.catalog.catalog-cache.endpoint",
        )
    return admin, catalog


def label_cluster_map(plan: InstallPlan) -> dict[str, list[dict[str, Any]]]:
    """``labelClusterMap``: each execution label → the clusters it sends work to, with their weights (1 when a
    label has one cluster and no weight was given). When no entry has a label, each cluster is labelled with its
    own name: flyte-core mounts the credentials into the cluster-sync containers only when this map is not
    empty."""
    found: dict[str, list[dict[str, Any]]] = {}
    for plane in plan.data_planes:
        for label in plane.labels:
            found.setdefault(label, []).append({"id": plane.name, "weight": _weight(plane)})
    if found:
        return found
    return {plane.name: [{"id": plane.name, "weight": _weight(plane)}] for plane in plan.data_planes}


def _weight(plane: DataPlane) -> float | int:
    weight = 1.0 if plane.weight is None else plane.weight
    return int(weight) if weight == int(weight) else weight


def cluster_configs(plan: InstallPlan) -> list[dict[str, Any]]:
    """``clusterConfigs``: every data plane with its API server and the token and CA files flyteadmin reads;
    the ``inCluster`` entry with flyteadmin's in-cluster credentials instead."""
    configs: list[dict[str, Any]] = []
    for plane in plan.data_planes:
        if plane.in_cluster:
            configs.append({"name": plane.name, "enabled": True, "inCluster": True})
            continue
        configs.append(
            {
                "name": plane.name,
                "endpoint": plane.endpoint,
                "enabled": True,
                "auth": {
                    "type": "file_path",
                    "tokenPath": f"{CREDENTIALS_DIR}/{token_key(plane.name)}",
                    "certPath": f"{CREDENTIALS_DIR}/{ca_key(plane.name)}",
                },
            }
        )
    return configs


def control_plane_values(plan: InstallPlan) -> dict[str, Any]:
    """What the data planes add to the control plane's values (empty without data planes)."""
    if not plan.data_planes:
        return {}
    values: dict[str, Any] = {}
    if not control_plane_executes(plan):
        tree.put(values, ("flytepropeller", "enabled"), False)
        tree.put(values, ("flyteconnector", "enabled"), False)
    clusters: dict[str, Any] = {"labelClusterMap": label_cluster_map(plan), "clusterConfigs": cluster_configs(plan)}
    if plan.default_execution_label:
        clusters["defaultExecutionLabel"] = plan.default_execution_label
    tree.put(values, ("configmap", "clusters"), clusters)
    if remote_planes(plan.data_planes):
        tree.put(
            values,
            ("flyteadmin", "additionalVolumes"),
            [{"name": CREDENTIALS_VOLUME, "secret": {"secretName": CREDENTIALS_SECRET}}],
        )
        tree.put(
            values,
            ("flyteadmin", "additionalVolumeMounts"),
            [{"name": CREDENTIALS_VOLUME, "mountPath": CREDENTIALS_DIR}],
        )
    return values


def data_plane_overlay(plan: InstallPlan, plane: DataPlane, values: dict[str, Any]) -> dict[str, Any]:
    """A data plane's values made from the plan's own (``values``, before extraValues): the dataplane overlay,
    no Ingress, and propeller's admin and catalog endpoints at the control plane."""
    out = copy.deepcopy(values)
    for key in _DATA_PLANE_OFF:
        tree.put(out, (key, "enabled"), False)
    tree.put(out, ("flyteadmin", "serviceAccount", "alwaysCreate"), True)
    if not tree.get(out, ("flyteconnector", "enabled")):
        tree.put(out, ("flyteconnector", "enabled"), False)
    out.setdefault("common", {})["ingress"] = {"enabled": False}
    admin, catalog = control_plane_endpoints(plan)
    tree.put(out, (*_ADMIN_ENDPOINT, "endpoint"), admin.endpoint)
    tree.put(out, (*_ADMIN_ENDPOINT, "insecure"), admin.insecure)
    tree.put(out, (*_CATALOG_ENDPOINT, "endpoint"), catalog.endpoint)
    tree.put(out, (*_CATALOG_ENDPOINT, "insecure"), catalog.insecure)
    tree.put(out, ("flytepropeller", "clusterName"), plane.name)
    return out


def endpoint_warnings(plan: InstallPlan) -> list[tuple[str, str]]:
    """(answers path, message) for each control-plane address propeller on the data planes would not reach:
    a Service name, which resolves only inside the control plane's cluster; and a chart version whose data planes
    cache nothing (the chart's checks warn with them)."""
    if not remote_planes(plan.data_planes):
        return []
    admin, catalog = control_plane_endpoints(plan)
    found: list[tuple[str, str]] = []
    if admin.endpoint.endswith(".svc.cluster.local:81"):
        found.append(("ingress.host", f"propeller on the data planes reports to {admin.endpoint}: {admin.why}"))
    if catalog.endpoint.endswith(".svc.cluster.local:89"):
        found.append(
            ("dataPlanes", f"propeller on the data planes reads the cache at {catalog.endpoint}: {catalog.why}")
        )
    if plan.dependencies.storage:
        found.append(
            (
                "dataPlanes",
                "the sandbox's minio (dependencies.storage) runs in the control plane's cluster, behind a Service "
                "name the data planes cannot resolve: their propeller would not reach the bucket; use storage "
                "every cluster reaches (S3, GCS or an external endpoint)",
            )
        )
    version = plan.target.chart.version
    if _before(version, (1, 16, 8)):
        found.append(
            (
                "target.chart.version",
                f"flyte-core {version} writes a noop catalog on a data plane (its datacatalog is off there): tasks "
                "are never cached; use v1.16.8 or newer",
            )
        )
    return found


def _before(version: str, newest: tuple[int, ...]) -> bool:
    """Whether a chart version (``v1.16.7``, ``1.16.7-rc1``) is a release before ``newest`` (unknown: no)."""
    parts = version.removeprefix("v").split("-", 1)[0].split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    return tuple(int(p) for p in parts) < newest
