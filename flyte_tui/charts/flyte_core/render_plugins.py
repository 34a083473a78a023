"""The ``plugins`` answer → flyte-core values: propeller's ``enabled_plugins.yaml`` keeps the chart's plugins and
adds the chosen ones (the list replaces the chart's, so it is written whole; ``default-for-task-types`` is a map
helm merges, so only the new task types); Spark's config block is the chart's own (``sparkoperator.enabled``
adds ``spark.yaml``; it installs no operator); the connector is the chart's flyteconnector subchart, with its
endpoint in the release namespace (written by ``render.py`` for every plan).
Propeller's ClusterRole already covers every group (NEXT-CAPABILITIES §3.3).
"""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.plugins import CATALOG, CHART_DEFAULT_PLUGINS, chosen, enabled_plugins, task_type_defaults

TASK_PLUGINS = ("configmap", "enabled_plugins", "tasks", "task-plugins")
"""Where flyte-core takes propeller's task plugins."""
OWNED: tuple[tuple[str, ...], ...] = (
    (*TASK_PLUGINS, "enabled-plugins"),
    *((*TASK_PLUGINS, "default-for-task-types", t) for p in CATALOG.values() for t in p.task_types),
)
"""The keys this module writes that a stale one is removed on re-render (not ``sparkoperator.enabled`` nor
``flyteconnector.enabled``: a user's own is kept)."""


def plugin_values(plan: InstallPlan) -> dict[str, Any]:
    """The values the chosen plugins add (empty when none is chosen)."""
    plugins = chosen(plan)
    values: dict[str, Any] = {}
    if not plugins:
        return values
    enabled = enabled_plugins(plan)
    if enabled != list(CHART_DEFAULT_PLUGINS):
        tree.put(values, (*TASK_PLUGINS, "enabled-plugins"), enabled)
    types = task_type_defaults(plan)
    if types:
        tree.put(values, (*TASK_PLUGINS, "default-for-task-types"), types)
    names = {p.name for p in plugins}
    if "spark" in names:
        tree.put(values, ("sparkoperator", "enabled"), True)
    if "connector" in names:
        tree.put(values, ("flyteconnector", "enabled"), True)  # its endpoint: render.py's namespace keys
    return values
