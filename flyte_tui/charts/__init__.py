"""The chart seam: everything that belongs to one Helm chart sits behind a :class:`ChartProfile`.

The install pipeline, readiness, validation, the upgrade review and the doctor never ask "which chart is
this?"; they ask the profile of each release in the plan. flyte-core is the first profile
(:data:`flyte_tui.charts.flyte_core.FLYTE_CORE`); flyte-binary and the sandbox's dependency chart are
new profiles (:func:`register`), not new branches. A plan becomes one or more :class:`PlannedRelease`
(one; a sandbox that bundles minio or PostgreSQL has its dependency release first, flyte-deps
(:data:`flyte_tui.charts.flyte_deps.FLYTE_DEPS`), then Flyte's), each with its own kube context and its values
rendered once.

    for release in plan_releases(plan):          # rendered once, here
        release.values, release.expected_components, release.objects
    validate_answers(raw)                        # the model's rules plus the chart's own
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from flyte_tui import tree
from flyte_tui.charts.access import DatabaseSecret, Endpoints
from flyte_tui.charts.component import ChartObjects, Component, ImportResult
from flyte_tui.model.rules import Problem
from flyte_tui.model.validate import Validation, read_answers, validate_with

if TYPE_CHECKING:
    from flyte_tui.model.plan import ChartSource, InstallPlan

__all__ = [
    "ChartObjects",
    "ChartProfile",
    "Component",
    "DatabaseSecret",
    "Endpoints",
    "ImportResult",
    "PlannedRelease",
    "dependency_problems",
    "flyte_release",
    "plan_releases",
    "profile_for_chart",
    "profile_named",
    "register",
    "unregister",
    "validate_answers",
    "validate_file",
]


class ChartProfile(Protocol):
    """What the rest of flyte-tui needs to know about one chart."""

    name: str
    """The chart's name (``flyte-core``): also how a live release's chart is recognised."""

    @property
    def components(self) -> Sequence[Component]:
        """Every workload the chart can create, in the order users see them."""
        ...

    @property
    def sizable_components(self) -> Sequence[str]:
        """The keys of the components the chart sizes under ``resources.components`` (the wizard's rows; an
        environment preset's sizing of any other component is left out)."""
        ...

    @property
    def accepted_components(self) -> Sequence[str]:
        """The keys the answers model accepts under ``resources.components``: the sizable ones, and any that
        :meth:`check` refuses with its reason (another chart's components)."""
        ...

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        """The components these values make the chart create (the chart's own enable conditions), named as
        for ``release`` (a chart that names its Deployments after the release needs it)."""
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

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """The chart's default resource limits of one component (by its values key)."""
        ...

    def check(self, plan: InstallPlan) -> list[Problem]:
        """The chart's own problems with a plan: values keys it refuses, its consistency rules on the values
        as they will be written (renders only when it must: this runs on every keystroke in the wizard)."""
        ...

    def objects(self, release: str) -> ChartObjects:
        """The names of the objects a release of this chart creates (ConfigMaps, CRD, webhook, …)."""
        ...

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        """The Services that reach a release's console and gRPC API without an ingress (the end summary)."""
        ...

    def database_secret(self, values: Mapping[str, Any]) -> DatabaseSecret:
        """The Secret these values read the database password from, and its keys (the doctor checks it)."""
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
    serves: str = ""
    """The release this one is a dependency of ("" for Flyte's own release)."""
    data_plane: str = ""
    """The data plane's name (``dataPlanes[].name``) this release goes to; "" for the control plane and for
    dependency releases."""

    @property
    def expected_components(self) -> list[Component]:
        """The components this release's values make its chart create."""
        return self.profile.expected_components(self.values, self.release)

    @property
    def objects(self) -> ChartObjects:
        """The names of the objects this release creates."""
        return self.profile.objects(self.release)

    def values_path(self, flyte_values: Path) -> Path:
        """Where this release's values file goes, given Flyte's: beside it, ``flyte-values.yaml`` →
        ``flyte-values-deps.yaml`` for a dependency release, ``flyte-values-<name>.yaml`` for a data plane's
        (Flyte's own is ``flyte_values`` itself)."""
        suffix = flyte_values.suffix or ".yaml"
        if self.data_plane:
            return flyte_values.with_name(f"{flyte_values.stem}-{self.data_plane}{suffix}")
        if not self.serves:
            return flyte_values
        return flyte_values.with_name(f"{flyte_values.stem}-deps{suffix}")


_REGISTERED: dict[str, ChartProfile] = {}


def register(profile: ChartProfile) -> None:
    """Make a profile known by its chart's name (a second chart is one call, not a branch)."""
    _REGISTERED[profile.name] = profile


def unregister(name: str) -> None:
    """Forget a registered profile (flyte-core's cannot be forgotten)."""
    _REGISTERED.pop(name, None)


def _profiles() -> dict[str, ChartProfile]:
    from flyte_tui.charts.flyte_binary import FLYTE_BINARY
    from flyte_tui.charts.flyte_core import FLYTE_CORE
    from flyte_tui.charts.flyte_deps import FLYTE_DEPS

    return {
        FLYTE_CORE.name: FLYTE_CORE,
        FLYTE_BINARY.name: FLYTE_BINARY,
        FLYTE_DEPS.name: FLYTE_DEPS,
        **_REGISTERED,
    }


def profile_named(name: str) -> ChartProfile:
    """The profile of a chart by its name; KeyError for a chart flyte-tui does not know."""
    return _profiles()[name]


def profile_for_chart(name: str) -> ChartProfile:
    """The profile that installs a chart of this name: flyte-core's unless another profile claims the name
    (a renamed copy of flyte-core in a private repository is still flyte-core)."""
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    return _profiles().get(name, FLYTE_CORE)


def plan_releases(plan: InstallPlan) -> list[PlannedRelease]:
    """The releases a plan installs, in install order, each with its values rendered once: the sandbox's
    dependencies (when it bundles any) in Flyte's namespace and context, then each data plane's (flyte-core
    multi-cluster: its own context, the same namespace and release name), then the control plane's (Flyte's
    own): the Flyte docs upgrade data planes first, the control plane last."""
    from flyte_tui.charts.flyte_deps import FLYTE_DEPS

    t, deps = plan.target, plan.dependencies
    profile = profile_for_chart(t.chart.name)
    found: list[PlannedRelease] = []
    if deps.bundled:
        # the flyte-deps profile whatever the chart is called (a local copy may be renamed)
        release = deps.release_for(t.release)
        found.append(
            PlannedRelease(FLYTE_DEPS, t.context, t.namespace, release, deps.chart, FLYTE_DEPS.render(plan), t.release)
        )
    found += _data_plane_releases(plan, profile)
    found.append(PlannedRelease(profile, t.context, t.namespace, t.release, t.chart, profile.render(plan)))
    return found


def _data_plane_releases(plan: InstallPlan, profile: ChartProfile) -> list[PlannedRelease]:
    """One release per data plane that is a cluster of its own (flyte-core's only: validation refuses another
    chart with data planes)."""
    from flyte_tui.charts.flyte_core import FLYTE_CORE
    from flyte_tui.charts.flyte_core.render import render_values
    from flyte_tui.model.clusters import remote_planes

    t = plan.target
    if profile is not FLYTE_CORE:
        return []
    return [
        PlannedRelease(
            profile, plane.context, t.namespace, t.release, t.chart, render_values(plan, plane), data_plane=plane.name
        )
        for plane in remote_planes(plan.data_planes)
    ]


def flyte_release(releases: Sequence[PlannedRelease]) -> PlannedRelease:
    """Flyte's own release among a plan's releases (the control plane's: the one no other release is a
    dependency of, on no data plane)."""
    return next(r for r in releases if not r.serves and not r.data_plane)


def dependency_problems(plan: InstallPlan) -> list[Problem]:
    """The problems of the plan's ``dependencies`` answers (the flyte-deps profile's checks)."""
    from flyte_tui.charts.flyte_deps import FLYTE_DEPS

    return FLYTE_DEPS.check(plan)


def validate_answers(raw: Any, use_preset: bool = True) -> Validation:
    """Validate raw answers (a dict from YAML or the wizard's fields) for the chart they install; never raises.

    The model's fields and cross-field rules, then the chart profile's own checks."""
    from flyte_tui.model.plan import DEFAULT_CHART

    named = tree.get(raw, ("target", "chart", "name"))
    chart = named if isinstance(named, str) and named else DEFAULT_CHART
    result = validate_with(raw, profile_for_chart(chart), use_preset)
    if result.plan is not None:
        result.problems.extend(dependency_problems(result.plan))
    return result


def validate_file(path: Path) -> Validation:
    """Read and validate an answers file; unreadable or malformed YAML becomes a problem, not an exception."""
    raw = read_answers(path)
    return raw if isinstance(raw, Validation) else validate_answers(raw)
