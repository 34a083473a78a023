"""The ``plugins`` answer → flyte-binary values: ``enabled_plugins.tasks.task-plugins`` keeps the chart's
plugins and adds the chosen ones (the list replaces the chart's, so it is written whole; ``default-for-task-types``
is a map helm merges, so only the new task types); the plugins' config under ``configuration.inline.plugins``;
the connector is the chart's flyteconnector subchart, with its endpoint in the release namespace; and the
ClusterRole rules propeller needs on each plugin's objects (``rbac.extraRules``: the chart's ClusterRole is
narrow, NEXT-CAPABILITIES §3.3).
"""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.model.plan import DEFAULT_NAMESPACE, InstallPlan
from flyte_tui.model.plugins import WRITE_VERBS, chosen, connector_endpoint, put_task_plugins, task_plugins_owned

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
    if "connector" in names:
        tree.put(values, ("flyteconnector", "enabled"), True)
        rules.append(ENDPOINTS_RULE)
        if plan.target.namespace != DEFAULT_NAMESPACE:
            endpoint = connector_endpoint(plan.target.namespace)
            tree.put(values, (*PLUGINS, "connector-service", "defaultConnector", "endpoint"), endpoint)
    if rules:
        tree.put(values, ("rbac", "extraRules"), rules)
    return values
