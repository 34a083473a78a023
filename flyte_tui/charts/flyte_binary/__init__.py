"""The flyte-binary chart (one Deployment running all of Flyte): its component, values rendering, checks,
object names and defaults, as one profile. The maintainers' advice: start with flyte-binary; move to
flyte-core beyond about a thousand concurrent workflows, for independent scaling or several clusters
(flyteorg/flyte#5729)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flyte_tui.charts.access import DatabaseSecret, Endpoints
from flyte_tui.charts.component import ChartObjects, Component, ImportResult

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.model.rules import Problem

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


class FlyteBinary:
    """The :class:`flyte_tui.charts.ChartProfile` of flyte-binary (the modules beside this one do the work)."""

    name = "flyte-binary"

    @property
    def components(self) -> Sequence[Component]:
        """Its one Deployment (named as for a release that contains the chart's name)."""
        from flyte_tui.charts.flyte_binary.components import COMPONENTS

        return COMPONENTS

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

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        """flyte-binary values for ``plan``."""
        from flyte_tui.charts.flyte_binary.render import render_values

        return render_values(plan)

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """Answers from flyte-binary values (the chart's starter files too)."""
        from flyte_tui.charts.flyte_binary.importer import import_values

        return import_values(values, environment=environment, release=release, namespace=namespace)

    def is_owned(self, path: tuple[str, ...]) -> bool:
        """Whether flyte-tui writes this flyte-binary values key."""
        from flyte_tui.charts.flyte_binary.owned import is_owned

        return is_owned(path)

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """flyte-binary sets no resources of its own."""
        return {}

    def check(self, plan: InstallPlan) -> list[Problem]:
        """What flyte-binary cannot do, refused with the answer to change."""
        from flyte_tui.charts.flyte_binary.checks import check_plan

        return check_plan(plan)

    def objects(self, release: str) -> ChartObjects:
        """flyte-binary's object names: all prefixed with the release's fullname."""
        from flyte_tui.charts.flyte_binary.components import fullname

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
        )

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        """``<fullname>-http`` (the console, 8088) and ``<fullname>-grpc`` (8089)."""
        from flyte_tui.charts.flyte_binary.access import endpoints

        return endpoints(values, release)

    def database_secret(self, values: Mapping[str, Any]) -> DatabaseSecret:
        """The Secret volume mounted where ``configuration.database.passwordPath`` points."""
        from flyte_tui.charts.flyte_binary.access import database_secret

        return database_secret(values)


FLYTE_BINARY = FlyteBinary()
"""The flyte-binary profile."""
