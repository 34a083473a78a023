"""The flyte-deps chart: the sandbox's minio and PostgreSQL, as a profile of its own (installed before Flyte,
in the same namespace)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.access import DatabaseSecret, Endpoints
from flyte_tui.charts.component import ChartObjects
from flyte_tui.charts.profile import ModuleProfile

if TYPE_CHECKING:
    from flyte_tui.charts.component import Component, ImportResult


class FlyteDeps(ModuleProfile):
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-deps (the modules beside this one do the work). It sizes
    nothing: the answers size Flyte's components only."""

    name = "flyte-deps"
    package = __name__
    modules = MappingProxyType({"components": "chart", "owned": "render"})

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        """minio and PostgreSQL, each unless the values turn it off (their names do not follow the release)."""

        def enabled(key: str) -> bool:
            block = values.get(key)
            return bool(block.get("enabled", True)) if isinstance(block, dict) else True

        return [c for c in self.components if enabled(c.values_key)]

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """The ``dependencies`` answers from flyte-deps values."""
        from flyte_tui.charts.flyte_deps.render import import_values

        return import_values(values, environment)

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
