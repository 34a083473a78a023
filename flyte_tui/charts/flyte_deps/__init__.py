"""The flyte-deps chart: the sandbox's minio and PostgreSQL, as a profile of its own (installed before Flyte,
in the same namespace)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.access import DatabaseSecret, Endpoints
from flyte_tui.charts.component import ChartObjects, Component

if TYPE_CHECKING:
    from flyte_tui.charts.component import ImportResult
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.model.rules import Problem


class FlyteDeps:
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-deps (the modules beside this one do the work)."""

    name = "flyte-deps"

    @property
    def components(self) -> Sequence[Component]:
        """minio and PostgreSQL."""
        from flyte_tui.charts.flyte_deps.chart import COMPONENTS

        return COMPONENTS

    @property
    def sizable_components(self) -> Sequence[str]:
        """None: the answers size Flyte's components only."""
        return ()

    @property
    def accepted_components(self) -> Sequence[str]:
        """None: the answers size Flyte's components only."""
        return ()

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        """minio and PostgreSQL, each unless the values turn it off (their names do not follow the release)."""
        from flyte_tui.charts.flyte_deps.chart import COMPONENTS

        def enabled(key: str) -> bool:
            block = values.get(key)
            return bool(block.get("enabled", True)) if isinstance(block, dict) else True

        return [c for c in COMPONENTS if enabled(c.values_key)]

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        """flyte-deps values for ``plan``."""
        from flyte_tui.charts.flyte_deps.render import render_values

        return render_values(plan)

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """The ``dependencies`` answers from flyte-deps values."""
        from flyte_tui.charts.flyte_deps.render import import_values

        return import_values(values, environment)

    def is_owned(self, path: tuple[str, ...]) -> bool:
        """Whether flyte-tui writes this flyte-deps values key."""
        from flyte_tui.charts.flyte_deps.render import is_owned

        return is_owned(path)

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """None that the answers' sizing compares with."""
        return {}

    def check(self, plan: InstallPlan) -> list[Problem]:
        """The answers a bundled minio or PostgreSQL must agree with."""
        from flyte_tui.charts.flyte_deps.checks import check_plan

        return check_plan(plan)

    def objects(self, release: str) -> ChartObjects:
        """flyte-deps creates no ConfigMap, CRD, webhook or Ingress flyte-tui reads."""
        return ChartObjects(
            configmaps={},
            admin_config="",
            propeller_config="",
            storage_service_accounts=(),
            ingress_backends=frozenset(),
        )

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        """flyte-deps serves no console and no gRPC API."""
        return Endpoints((), "", "", "", "")

    def database_secret(self, values: Mapping[str, Any]) -> DatabaseSecret:
        """flyte-deps runs the database; it reads no password Secret of Flyte's."""
        return DatabaseSecret("", without="flyte-deps runs the database itself")


FLYTE_DEPS = FlyteDeps()
"""The flyte-deps profile."""
