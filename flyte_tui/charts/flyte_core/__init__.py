"""The flyte-core chart: its components, values rendering, import and defaults, as one profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.component import Component

if TYPE_CHECKING:
    from flyte_tui.charts.flyte_core.importer import ImportResult
    from flyte_tui.model.plan import InstallPlan


class FlyteCore:
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-core (the modules beside this one do the work)."""

    name = "flyte-core"

    @property
    def components(self) -> Sequence[Component]:
        """The seven control-plane components."""
        from flyte_tui.charts.flyte_core.components import COMPONENTS

        return COMPONENTS

    def expected_components(self, values: Mapping[str, Any]) -> list[Component]:
        """The components these values make flyte-core create."""
        from flyte_tui.readiness import expected_components

        return expected_components(values)

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        """flyte-core values for ``plan``."""
        from flyte_tui.charts.flyte_core.render import render_values

        return render_values(plan)

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """Answers from flyte-core values."""
        from flyte_tui.charts.flyte_core.importer import import_values

        return import_values(values, environment=environment, release=release, namespace=namespace)

    def is_owned(self, path: tuple[str, ...]) -> bool:
        """Whether flyte-tui writes this flyte-core values key."""
        from flyte_tui.charts.flyte_core.render import is_owned

        return is_owned(path)


FLYTE_CORE = FlyteCore()
"""The flyte-core profile."""
