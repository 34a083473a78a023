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
from flyte_tui.model.plugins import chosen, put_task_plugins, task_plugins_owned

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
