"""flyte-core values → ``dataPlanes`` answers: the control plane's ``configmap.clusters`` read back, when it is
exactly what :mod:`~flyte_tui.charts.flyte_core.render_clusters` writes (every token and CA under the credentials
mount, labels and weights it can render again); anything else stays under ``extraValues`` as before.

A data plane's kube context is not in the control plane's values: it is imported empty, and validation asks for
it (``dataPlanes.<i>.context: required``). The upgrade's answers and drift read both sides through the same
importer, so the contexts never show as a change there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flyte_tui import tree
from flyte_tui.model.clusters import CREDENTIALS_DIR, DataPlane, ca_key, token_key
from flyte_tui.model.plan import InstallPlan

_CLUSTERS = ("configmap", "clusters")
_DEFAULT = "defaultExecutionLabel"


def default_label_of(values: Mapping[str, Any]) -> str:
    """The ``defaultExecutionLabel`` of the values' ``configmap.clusters`` ("" when none is set, or when the data
    planes are not read back: :func:`data_planes_of` is empty)."""
    label = tree.get(values, (*_CLUSTERS, _DEFAULT))
    return label if isinstance(label, str) and data_planes_of(values) else ""


def data_planes_of(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``dataPlanes`` answers ``values`` were rendered from (empty when they have none, or when their
    ``configmap.clusters`` is not one flyte-tui writes)."""
    clusters = tree.get(values, _CLUSTERS)
    if not isinstance(clusters, Mapping) or set(clusters) - {"clusterConfigs", "labelClusterMap", _DEFAULT}:
        return []
    if not isinstance(clusters.get(_DEFAULT, ""), str):
        return []
    configs, labels = clusters.get("clusterConfigs"), clusters.get("labelClusterMap") or {}
    if not isinstance(configs, list) or not configs or not isinstance(labels, Mapping):
        return []
    planes = [_plane(entry) for entry in configs]
    if any(p is None for p in planes):
        return []
    found = [p for p in planes if p is not None]
    return found if _labelled(found, labels) else []


def _plane(entry: Any) -> dict[str, Any] | None:
    """One ``clusterConfigs`` entry as an answer (None: not one flyte-tui renders)."""
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) or entry.get("enabled") is not True:
        return None
    name = entry["name"]
    if entry.get("inCluster") is True:
        return {"name": name, "inCluster": True} if set(entry) == {"name", "enabled", "inCluster"} else None
    auth = {
        "type": "file_path",
        "tokenPath": f"{CREDENTIALS_DIR}/{token_key(name)}",
        "certPath": f"{CREDENTIALS_DIR}/{ca_key(name)}",
    }
    if set(entry) != {"name", "endpoint", "enabled", "auth"} or entry["auth"] != auth:
        return None
    endpoint = entry["endpoint"]
    return {"name": name, "endpoint": endpoint} if isinstance(endpoint, str) else None


def _labelled(planes: list[dict[str, Any]], label_map: Mapping[str, Any]) -> bool:
    """Put each cluster's labels and weight from ``labelClusterMap`` into ``planes``; False when the map is not
    one flyte-tui renders (an unknown cluster, a cluster with two weights). The map that labels each cluster with
    its own name alone (what flyte-tui writes when no cluster has a label) gives no labels."""
    by_name = {p["name"]: p for p in planes}
    own = {p["name"]: [{"id": p["name"], "weight": 1}] for p in planes}
    if dict(label_map) == own:
        return True
    for label, entries in label_map.items():
        if not isinstance(entries, list):
            return False
        for entry in entries:
            plane = by_name.get(entry.get("id")) if isinstance(entry, Mapping) else None
            weight = entry.get("weight") if isinstance(entry, Mapping) else None
            if plane is None or not isinstance(weight, int | float) or isinstance(weight, bool):
                return False
            if plane.get("weight", weight) != weight:
                return False
            plane.setdefault("labels", []).append(str(label))
            plane["weight"] = weight
    shared = {str(label) for label, entries in label_map.items() if len(entries) > 1}
    for plane in planes:
        if plane.get("weight") == 1 and not shared & set(plane.get("labels", [])):
            plane.pop("weight")  # the default: rendered as 1 again
        elif "weight" in plane:
            plane["weight"] = float(plane["weight"])
    return True


def with_data_planes(plan: InstallPlan, planes: list[dict[str, Any]], default_label: str = "") -> InstallPlan:
    """``plan`` with the imported data planes and default execution label (their contexts unknown: not validated
    as a whole here)."""
    if not planes:
        return plan
    update = {"data_planes": [DataPlane.model_validate(p) for p in planes], "default_execution_label": default_label}
    return plan.model_copy(update=update)
