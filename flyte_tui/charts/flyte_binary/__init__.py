"""The flyte-binary chart (one Deployment running all of Flyte): its component, values rendering, checks,
object names and defaults, as one profile. The maintainers' advice: start with flyte-binary; move to
flyte-core beyond about a thousand concurrent workflows, for independent scaling or several clusters
(flyteorg/flyte#5729)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.component import ChartObjects
from flyte_tui.charts.profile import ModuleProfile

if TYPE_CHECKING:
    from flyte_tui.charts.access import Endpoints
    from flyte_tui.charts.component import Component

GUIDANCE = (
    "Start with flyte-binary (one Deployment runs all of Flyte); choose flyte-core beyond about 1,000 "
    "concurrent workflows, to scale its components independently or to run several clusters "
    "(flyteorg/flyte#5729)."
)
"""When to pick which chart, in one sentence (the wizard's Target step shows it)."""


_VALUES = "it reads flyte-core's values keys ({keys}); flyte-binary keeps this in {where} (not checked yet)"
NOT_APPLICABLE = {
    "config.storage": _VALUES.format(keys="storage.type, storage.bucketName", where="configuration.storage"),
    "config.task-identity": _VALUES.format(
        keys="flyteadmin.initialProjects, configmap.domain.domains",
        where="flyte-core-components.admin.seedProjects and configuration.inline.domains",
    ),
    "runtime.projects": _VALUES.format(
        keys="cluster_resource_manager.*", where="clusterResourceTemplates and configuration.inline.cluster_resources"
    ),
    **{
        f"component.{name}": f"flyte-binary runs {name} inside its one Deployment (no Deployment of its own)"
        for name in ("flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler")
    },
    "component.syncresources": "flyte-binary syncs cluster resources inside its one Deployment",
    "component.flyte-pod-webhook": "flyte-binary serves the pod webhook from its one Deployment",
}
"""The doctor checks that do not apply to a flyte-binary release, with why."""


class FlyteBinary(ModuleProfile):
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-binary (the modules beside this one do the work)."""

    name = "flyte-binary"
    package = __name__

    @property
    def sizable_components(self) -> Sequence[str]:
        """The one Deployment's key under ``resources.components``."""
        from flyte_tui.charts.flyte_binary.components import SIZING_KEY

        return (SIZING_KEY,)

    @property
    def accepted_components(self) -> Sequence[str]:
        """Its own key, and flyte-core's (accepted by the model so that :meth:`check` refuses them with why)."""
        from flyte_tui.charts.flyte_binary.checks import FLYTE_CORE_COMPONENTS

        return (*self.sizable_components, *FLYTE_CORE_COMPONENTS)

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        """The Deployment these values make flyte-binary create for ``release``."""
        from flyte_tui.charts.flyte_binary.components import expected_components

        return expected_components(values, release)

    def objects(self, release: str) -> ChartObjects:
        """flyte-binary's object names: all prefixed with the release's fullname."""
        from flyte_tui.charts.flyte_binary.components import fullname
        from flyte_tui.charts.flyte_binary.render_auth import auth_objects

        full = fullname(release)
        config = f"{full}-config"
        return ChartObjects(
            configmaps={full: (config, f"{full}-cluster-resource-templates")},
            admin_config=config,
            propeller_config=config,
            storage_service_accounts=(full,),
            ingress_backends=frozenset({f"{full}-http", f"{full}-grpc"}),
            crd="flyteworkflows.flyte.lyft.com",
            crd_user=full,
            not_applicable=NOT_APPLICABLE,
            auth=auth_objects(full),
        )

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        """``<fullname>-http`` (the console, 8088) and ``<fullname>-grpc`` (8089)."""
        from flyte_tui.charts.flyte_binary.access import endpoints

        return endpoints(values, release)


FLYTE_BINARY = FlyteBinary()
"""The flyte-binary profile."""
