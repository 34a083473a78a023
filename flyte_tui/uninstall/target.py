"""What to uninstall: the releases of an answers file, or a release by name (with its dependency release),
and how to run the uninstall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flyte_tui.install.secrets import db_secret_manifest, secret_name, storage_secret_manifest

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan

DEPENDENCY_CHART = "flyte-deps"
"""The chart of the sandbox's dependency release (minio and PostgreSQL)."""
DEPENDENCY_SUFFIX = "-deps"
"""The dependency release's default name: ``<release>-deps``."""


@dataclass(frozen=True)
class UninstallTarget:
    """Where the releases are and which ones, in install order (they are removed in the reverse order)."""

    context: str
    namespace: str
    releases: tuple[str, ...]
    plan: InstallPlan | None = None
    """The answers file's plan: it names the Secrets flyte-tui created (None: read from the live release)."""
    find_dependencies: bool = False
    """Also remove ``<release>-deps`` when it exists and its chart is flyte-deps (``--release`` without answers)."""


@dataclass(frozen=True)
class UninstallOptions:
    """How to run an uninstall."""

    helm: str = "helm"
    kubectl: str = "kubectl"
    env: Mapping[str, str] | None = None
    purge: bool = False
    """Also delete the FlyteWorkflow CRD (and every FlyteWorkflow), the project namespaces and the PVCs."""
    timeout: float = 300.0
    """Seconds to wait for the pods (and, with purge, the namespaces) to be gone."""
    helm_timeout: float = 600.0
    """Seconds one ``helm uninstall`` may take."""


def from_plan(plan: InstallPlan, context: str | None = None) -> UninstallTarget:
    """The releases an answers file installs (:func:`flyte_tui.charts.plan_releases`), in install order."""
    from flyte_tui.charts import plan_releases

    t = plan.target
    releases = tuple(r.release for r in plan_releases(plan))
    return UninstallTarget(t.context if context is None else context, t.namespace, releases, plan)


def for_release(release: str, namespace: str, context: str = "") -> UninstallTarget:
    """A release by name; its dependency release ``<release>-deps`` goes with it when there is one."""
    return UninstallTarget(context, namespace, (release,), None, find_dependencies=True)


def secret_names(plan: InstallPlan) -> tuple[str, ...]:
    """The Secrets flyte-tui creates for a plan, named as :mod:`flyte_tui.install.secrets` names them (its
    manifests are built with a placeholder in memory only, for their names)."""
    manifests = [db_secret_manifest(plan, "-"), storage_secret_manifest(plan, "-", "-")]
    return tuple(dict.fromkeys(n for m in manifests if m and (n := secret_name(m))))
