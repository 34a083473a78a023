"""What the chart profiles share: a profile whose work is done by the modules of its chart's own package.

Each chart package (``flyte_core``, ``flyte_binary``, ``flyte_deps``) names where its parts are, and
:class:`ModuleProfile` calls them: ``render_values`` in its ``render`` module, ``import_values`` in its
``importer``, ``is_owned`` in ``owned``, ``check_plan`` in ``checks``, ``database_secret`` in ``access`` and
``COMPONENTS`` in ``components``. The modules are imported when first asked for: they import the answers model,
which imports the chart seam. A chart whose part differs (flyte-core's limits, flyte-deps' empty endpoints)
overrides that one method; what each chart alone knows (its object names) is its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import import_module
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, cast

if TYPE_CHECKING:
    from flyte_tui.charts.access import DatabaseSecret
    from flyte_tui.charts.component import Component, ImportResult
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.model.rules import Problem


class ModuleProfile:
    """The parts of a :class:`flyte_tui.charts.ChartProfile` that every chart package has under the same names."""

    name: str
    """The chart's name (``flyte-core``)."""
    package: ClassVar[str]
    """The chart's package (``flyte_tui.charts.flyte_core``)."""
    modules: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """Where a part is when not in the module of its role's name: role (``owned``) → module (``render``)."""

    def module(self, role: str) -> ModuleType:
        """The module of the chart's package that holds the part of ``role`` (imported on first use)."""
        return import_module(f"{self.package}.{self.modules.get(role, role)}")

    @property
    def components(self) -> Sequence[Component]:
        """Every workload the chart can create, in the order users see them."""
        return cast("Sequence[Component]", self.module("components").COMPONENTS)

    @property
    def sizable_components(self) -> Sequence[str]:
        """The keys of the components the answers size (none unless the chart says so)."""
        return ()

    @property
    def accepted_components(self) -> Sequence[str]:
        """The keys the answers model accepts under ``resources.components``: the sizable ones."""
        return self.sizable_components

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        """The chart's values for ``plan``."""
        return cast("dict[str, Any]", self.module("render").render_values(plan))

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        """Answers from the chart's values (what is not understood stays under extraValues)."""
        importer = self.module("importer")
        return cast("ImportResult", importer.import_values(values, environment, release=release, namespace=namespace))

    def is_owned(self, path: tuple[str, ...]) -> bool:
        """Whether flyte-tui writes the chart's values key at ``path``."""
        return bool(self.module("owned").is_owned(path))

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """The chart's default resource limits of one component: none unless the chart sets some."""
        return {}

    def check(self, plan: InstallPlan) -> list[Problem]:
        """The chart's own problems with a plan."""
        return cast("list[Problem]", self.module("checks").check_plan(plan))

    def database_secret(self, values: Mapping[str, Any]) -> DatabaseSecret:
        """The Secret these values read the database password from, and its keys."""
        return cast("DatabaseSecret", self.module("access").database_secret(values))
