"""The flyte-core chart: its components, values rendering, import, checks, object names and defaults, as one
profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.component import ChartObjects
from flyte_tui.charts.profile import ModuleProfile

if TYPE_CHECKING:
    from flyte_tui.charts.access import Endpoints
    from flyte_tui.charts.component import Component

CONFIGMAPS: dict[str, tuple[str, ...]] = {
    "flyteadmin": ("flyte-admin-base-config", "flyte-admin-clusters-config"),
    "datacatalog": ("datacatalog-config",),
    "flytepropeller": ("flyte-propeller-config",),
    "flytescheduler": ("flyte-scheduler-config",),
    "syncresources": ("clusterresource-template", "flyte-clusterresourcesync-config"),
    "flyteconsole": ("flyte-console-config",),
}
"""The ConfigMaps each component mounts (flyte-core names them without the release)."""


class FlyteCore(ModuleProfile):
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-core (the modules beside this one do the work)."""

    name = "flyte-core"
    package = __name__

    @property
    def sizable_components(self) -> Sequence[str]:
        """Values keys of the components whose replicas and resources the answers may set (flyte-core refuses
        no component key of its own: these are the accepted ones too)."""
        from flyte_tui.charts.flyte_core.components import SIZABLE_KEYS

        return SIZABLE_KEYS

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        """The components these values make flyte-core create (its names do not depend on the release)."""
        from flyte_tui.charts.flyte_core.components import expected_components

        return expected_components(values)

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """flyte-core's default limits of one component."""
        from flyte_tui.charts.flyte_core.defaults import COMPONENT_RESOURCES

        return COMPONENT_RESOURCES.get(values_key, {}).get("limits", {})

    def objects(self, release: str) -> ChartObjects:
        """flyte-core's object names (fixed: the chart does not prefix them with the release)."""
        from flyte_tui.charts.flyte_core import defaults
        from flyte_tui.charts.flyte_core.components import (
            FLYTEADMIN,
            FLYTECONSOLE,
            FLYTEPROPELLER,
            STORAGE_USERS,
            WEBHOOK,
        )

        return ChartObjects(
            configmaps=CONFIGMAPS,
            admin_config=CONFIGMAPS["flyteadmin"][0],
            propeller_config=CONFIGMAPS["flytepropeller"][0],
            storage_service_accounts=tuple(c.name for c in STORAGE_USERS),
            ingress_backends=frozenset({FLYTEADMIN.name, FLYTECONSOLE.name}),
            crd="flyteworkflows.flyte.lyft.com",
            crd_user=FLYTEPROPELLER.name,
            webhook=WEBHOOK.name,
            webhook_secret_keys=("ca.crt", "tls.crt", "tls.key"),
            hardcoded_namespace=defaults.NAMESPACE,
        )

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        """flyteconsole and flyteadmin (named without the release)."""
        from flyte_tui.charts.flyte_core.access import ENDPOINTS

        return ENDPOINTS


FLYTE_CORE = FlyteCore()
"""The flyte-core profile."""
