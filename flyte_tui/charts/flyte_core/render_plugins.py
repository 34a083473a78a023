"""The ``plugins`` answer → flyte-core values: propeller's ``enabled_plugins.yaml`` keeps the chart's plugins and
adds the chosen ones (the list replaces the chart's, so it is written whole; ``default-for-task-types`` is a map
helm merges, so only the new task types); Spark's config block is the chart's own (``sparkoperator.enabled``
adds ``spark.yaml``; it installs no operator); the connector is the chart's flyteconnector subchart, with its
endpoint in the release namespace (written by ``render.py`` for every plan).
Spark's driver needs ServiceAccount ``spark``, a Role and a RoleBinding in every project namespace: cluster-resource
templates (:func:`spark_cluster_templates`, added to the list ``render.py`` writes). Propeller's ClusterRole already
covers every group, and flyteadmin's lets the templates create Roles (NEXT-CAPABILITIES §3.3).
"""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.plugins import chosen, put_task_plugins, spark_templates, task_plugins_owned, wants_spark

TASK_PLUGINS = ("configmap", "enabled_plugins", "tasks", "task-plugins")
"""Where flyte-core takes propeller's task plugins."""
OWNED = task_plugins_owned(TASK_PLUGINS)
"""The keys this module writes that a stale one is removed on re-render (not ``sparkoperator.enabled`` nor
``flyteconnector.enabled``: a user's own is kept)."""


def plugin_values(plan: InstallPlan) -> dict[str, Any]:
    """The values the chosen plugins add (empty when none is chosen)."""
    values: dict[str, Any] = {}
    put_task_plugins(values, plan, TASK_PLUGINS)
    names = {p.name for p in chosen(plan)}
    if "spark" in names:
        tree.put(values, ("sparkoperator", "enabled"), True)
    if "connector" in names:
        tree.put(values, ("flyteconnector", "enabled"), True)  # its endpoint: render.py's namespace keys
    return values


SPARK_KEYS = {
    "service_account": "ac_spark_service_account",
    "role": "ad_spark_role",
    "role_binding": "ae_spark_role_binding",
}
"""Each Spark template's key in ``cluster_resource_manager.templates`` (applied in key order, after the namespace)."""


def spark_cluster_templates(plan: InstallPlan, identity: tuple[str, str, str] | None) -> list[dict[str, str]]:
    """The cluster-resource templates for Spark's driver (none without Spark); ``identity`` (customData variable,
    annotation, value) annotates its ServiceAccount as the task pods' default one."""
    if not wants_spark(plan):
        return []
    found = spark_templates(identity[:2] if identity else None)
    return [{"key": SPARK_KEYS[name], "value": text} for name, text in found.items()]
