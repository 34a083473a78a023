"""The chart seam: everything that belongs to one Helm chart sits behind a :class:`ChartProfile`.

The install pipeline, readiness, the upgrade review and the doctor never ask "which chart is this?";
they ask the profile of each release in the plan. flyte-core is the first profile
(:data:`flyte_tui.charts.flyte_core.FLYTE_CORE`); flyte-binary and the sandbox's dependency chart are
new profiles, not new branches. A plan becomes one or more :class:`PlannedRelease` (today one; several
for a sandbox with its dependencies or a control plane with data planes), each with its own kube context
and its values rendered once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flyte_tui.charts.component import Component

if TYPE_CHECKING:
    from flyte_tui.charts.flyte_core.importer import ImportResult
    from flyte_tui.model.plan import ChartSource, InstallPlan

__all__ = ["ChartProfile", "Component", "PlannedRelease", "plan_releases", "profile_named"]


class ChartProfile(Protocol):
    """What the rest of flyte-tui needs to know about one chart."""

    name: str
    """The chart's name (``flyte-core``): also how a live release's chart is recognised."""

    @property
    def components(self) -> Sequence[Component]:
        """Every workload the chart can create, in the order users see them."""
        ...

    def expected_components(self, values: Mapping[str, Any]) -> list[Component]:
        """The components these values make the chart create (the chart's own enable conditions)."""
        ...

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        """The Helm values for this chart's release of ``plan``: only what differs from the chart's defaults."""
        ...

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """Answers made from this chart's values (what is not understood stays under extraValues)."""
        ...

    def is_owned(self, path: tuple[str, ...]) -> bool:
        """Whether flyte-tui writes the values key at ``path`` (a stale one is removed on re-render)."""
        ...


@dataclass(frozen=True)
class PlannedRelease:
    """One Helm release of a plan: which chart, where it goes, and its values (rendered once)."""

    profile: ChartProfile
    context: str
    """Kube context of the cluster it goes to (empty: the current context)."""
    namespace: str
    release: str
    chart: ChartSource
    values: dict[str, Any] = field(compare=False)
    """The rendered values, computed once per operation and passed along (never re-rendered)."""

    @property
    def expected_components(self) -> list[Component]:
        """The components this release's values make its chart create."""
        return self.profile.expected_components(self.values)


def profile_named(name: str) -> ChartProfile:
    """The profile of a chart by its name; KeyError for a chart flyte-tui does not know."""
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    profiles: dict[str, ChartProfile] = {FLYTE_CORE.name: FLYTE_CORE}
    return profiles[name]


def plan_releases(plan: InstallPlan) -> list[PlannedRelease]:
    """The releases a plan installs, in install order, each with its values rendered once."""
    profile = profile_named("flyte-core")
    t = plan.target
    return [PlannedRelease(profile, t.context, t.namespace, t.release, t.chart, profile.render(plan))]
