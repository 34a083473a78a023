"""The clusters an upgrade adds to or removes from flyteadmin's ``configmap.clusters`` (day 2 of a multi-cluster
install, NEXT-CAPABILITIES §2.5 step 8), as pure functions over the control plane's values.

Adding a data plane: its ``clusterConfigs`` entry, the two keys of the credentials Secret flyteadmin reads it with
(``<name>_token``, ``<name>_cacert``; the installer writes that Secret, helm does not, so the manifests never show
them) and its own release, installed first. Removing one: flyteadmin sends it no new executions, but those
already running there go on, and its release is left in place (the command that removes it is said).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flyte_tui import tree
from flyte_tui.review.diff import LeafChange

CREDENTIALS_SECRET = "cluster-credentials"
"""The Secret on the control plane holding every data plane's token and CA (a name the chart hard-codes)."""
CLUSTER_CONFIGS: tree.Path = ("configmap", "clusters", "clusterConfigs")
"""Where the control plane's values list the clusters flyteadmin sends executions to."""


def credential_keys(name: str) -> tuple[str, str]:
    """The keys of a data plane's token and CA in :data:`CREDENTIALS_SECRET`."""
    return f"{name}_token", f"{name}_cacert"


def data_plane_names(values: Mapping[str, Any]) -> dict[str, str]:
    """The data planes (name → endpoint) a control plane's values send executions to; the in-cluster entry (the
    control plane itself) apart, as it has no credentials nor a release of its own."""
    entries = tree.get(values, CLUSTER_CONFIGS)
    found: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and entry.get("name") and not entry.get("inCluster"):
            found[str(entry["name"])] = str(entry.get("endpoint") or "")
    return found


@dataclass(frozen=True)
class ClusterChange:
    """A data plane the upgrade adds to flyteadmin's clusters, or removes from them."""

    name: str
    change: Literal["added", "removed"]
    endpoint: str = ""
    context: str = ""
    """The data plane's kube context (known for an added one: the answers'; "" for a removed one)."""

    def lines(self, release: str, namespace: str) -> list[str]:
        """What the change means, for the review (``release`` / ``namespace``: the data planes' release)."""
        token, ca = credential_keys(self.name)
        if self.change == "added":
            where = f" (context {self.context})" if self.context else ""
            return [
                f"+ data plane {self.name}: new cluster entry {self.name} ({self.endpoint or 'no endpoint'}) in "
                "configmap.clusters.clusterConfigs",
                f"  + Secret {CREDENTIALS_SECRET} keys {token}, {ca} added (the installer writes them; never shown)",
                f"  + release {release} in {namespace}{where}: to install, before the control plane's upgrade",
            ]
        return [
            f"⚠ data plane {self.name} ({self.endpoint or 'no endpoint'}) removed: flyteadmin sends it no new "
            "executions, but executions already started there may still run; wait for them or abort them first",
            f"  - Secret {CREDENTIALS_SECRET} keys {token}, {ca} are no longer read",
            f"  its release {release} is left in place; remove it when nothing runs there: "
            f"helm uninstall {release} --namespace {namespace} --kube-context <{self.name}'s context>",
        ]


def cluster_changes(
    old_values: Mapping[str, Any], new_values: Mapping[str, Any], contexts: Mapping[str, str] | None = None
) -> list[ClusterChange]:
    """The data planes added (in the new values' order) and removed (in the old ones') between the control plane's
    deployed values and the new ones; ``contexts`` names each new data plane's kube context."""
    old, new = data_plane_names(old_values), data_plane_names(new_values)
    known = contexts or {}
    added = [ClusterChange(n, "added", e, known.get(n, "")) for n, e in new.items() if n not in old]
    removed = [ClusterChange(n, "removed", e) for n, e in old.items() if n not in new]
    return added + removed


def changes_in(values: Iterable[LeafChange], contexts: Mapping[str, str] | None = None) -> list[ClusterChange]:
    """:func:`cluster_changes` from the control plane's values diff (its clusters list changes as one leaf: helm
    replaces lists whole), so the review needs no second read of the deployed values."""
    wanted = tree.dotted(CLUSTER_CONFIGS)
    change = next((c for c in values if c.path == wanted), None)
    if change is None:
        return []
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    tree.put(old, CLUSTER_CONFIGS, change.old)
    tree.put(new, CLUSTER_CONFIGS, change.new)
    return cluster_changes(old, new, contexts)


def change_lines(changes: Sequence[ClusterChange], release: str, namespace: str) -> list[str]:
    """Every change's lines, the added data planes first."""
    return [line for change in changes for line in change.lines(release, namespace)]
