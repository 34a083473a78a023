"""The ``plugins`` answer → flyte-binary values: ``enabled_plugins.tasks.task-plugins`` keeps the chart's
plugins and adds the chosen ones (the list replaces the chart's, so it is written whole; ``default-for-task-types``
is a map helm merges, so only the new task types); the plugins' config under ``configuration.inline.plugins``;
the connector is the chart's flyteconnector subchart, with its endpoint in the release namespace; and the
ClusterRole rules propeller needs on each plugin's objects (``rbac.extraRules``: the chart's ClusterRole is
narrow, NEXT-CAPABILITIES §3.3). With Spark, the templates of its driver's ServiceAccount, Role and RoleBinding in
every project namespace (:func:`spark_cluster_templates`, added to those ``render.py`` writes), and the rules that let
the cluster resource manager create them.
"""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.model.plan import DEFAULT_NAMESPACE, InstallPlan
from flyte_tui.model.plugins import (
    SPARK_RESOURCES,
    WRITE_VERBS,
    chosen,
    connector_endpoint,
    put_task_plugins,
    spark_templates,
    task_plugins_owned,
    wants_spark,
)

TASK_PLUGINS = ("enabled_plugins", "tasks", "task-plugins")
"""Where flyte-binary takes propeller's task plugins."""
PLUGINS = ("configuration", "inline", "plugins")
"""Where the plugins' own config goes (``100-inline-config.yaml``, merged last)."""
SPARK_DEFAULTS = [
    {"spark.kubernetes.allocation.batch.size": "50"},
    {"spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version": "2"},
]
"""``spark-config-default``: flyte-core's own defaults that fit any store (flyte-binary ships none)."""
ENDPOINTS_RULE = {"apiGroups": [""], "resources": ["endpoints"], "verbs": ["get", "list", "watch"]}
"""The connector's ``k8s://`` endpoint is resolved by watching Endpoints, which the chart's ClusterRole lacks."""
SPARK_RULES = [
    {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings"], "verbs": list(WRITE_VERBS)},
    {"apiGroups": [""], "resources": list(SPARK_RESOURCES), "verbs": ["*"]},
]
"""What the cluster resource manager needs to create Spark's Role and RoleBinding: Kubernetes lets it grant only
what it holds itself."""
SPARK_FILES = {
    "service_account": "004_spark_serviceaccount.yaml",
    "role": "005_spark_role.yaml",
    "role_binding": "006_spark_rolebinding.yaml",
}
"""Each Spark template's file in ``clusterResourceTemplates.inline`` (applied in name order, after the namespace)."""

OWNED: tuple[tuple[str, ...], ...] = (
    *task_plugins_owned(TASK_PLUGINS),
    (*PLUGINS, "spark", "spark-config-default"),
    (*PLUGINS, "connector-service", "defaultConnector", "endpoint"),
)
"""The keys this module writes that a stale one is removed on re-render (not ``flyteconnector.enabled`` nor
``rbac.extraRules``: a user's own is kept)."""


def plugin_values(plan: InstallPlan) -> dict[str, Any]:
    """The values the chosen plugins add (empty when none is chosen)."""
    plugins = chosen(plan)
    values: dict[str, Any] = {}
    put_task_plugins(values, plan, TASK_PLUGINS)
    rules = [
        {"apiGroups": [p.crds[0].group], "resources": list(p.rbac_resources), "verbs": list(WRITE_VERBS)}
        for p in plugins
        if p.rbac_resources
    ]
    names = {p.name for p in plugins}
    if "spark" in names:
        tree.put(values, (*PLUGINS, "spark", "spark-config-default"), SPARK_DEFAULTS)
        rules += SPARK_RULES
    if "connector" in names:
        tree.put(values, ("flyteconnector", "enabled"), True)
        rules.append(ENDPOINTS_RULE)
        if plan.target.namespace != DEFAULT_NAMESPACE:
            endpoint = connector_endpoint(plan.target.namespace)
            tree.put(values, (*PLUGINS, "connector-service", "defaultConnector", "endpoint"), endpoint)
    if rules:
        tree.put(values, ("rbac", "extraRules"), rules)
    return values


def spark_cluster_templates(plan: InstallPlan, identity: tuple[str, str, str] | None) -> dict[str, str]:
    """The cluster-resource templates for Spark's driver, by file name (none without Spark); ``identity``
    (customData variable, annotation, value) annotates its ServiceAccount as the task pods' default one."""
    if not wants_spark(plan):
        return {}
    return {SPARK_FILES[name]: text for name, text in spark_templates(identity[:2] if identity else None).items()}
