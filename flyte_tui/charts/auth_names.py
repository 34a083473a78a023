"""The names of a plan's auth Secrets and config, from its chart's profile (flyte-core's fixed names, or
flyte-binary's made from the release's fullname)."""

from __future__ import annotations

from flyte_tui.charts import profile_for_chart
from flyte_tui.charts.component import AuthObjects
from flyte_tui.model.plan import InstallPlan


def auth_objects(plan: InstallPlan) -> AuthObjects:
    """Where the plan's release keeps its auth Secrets and the propeller hash."""
    t = plan.target
    return profile_for_chart(t.chart.name).objects(t.release).auth
