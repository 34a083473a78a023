"""flyte-core's own checks of a plan: the values keys the chart refuses and its consistency rules
(FLYTE-CHART.md §8) on the values as they will be written, extraValues merged last."""

from __future__ import annotations

from collections.abc import Iterator

from flyte_tui import tree
from flyte_tui.charts.flyte_core import defaults
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem

_FORBIDDEN_EXTRA = {
    ("flyteadmin", "serviceAccount", "createClusterRole"): "deprecated; the chart refuses to render when it is set",
    ("flyteadmin", "serviceAccount", "clusterRole"): "deprecated; the chart refuses to render when it is set",
}

_RAW_OUTPUT = ("configmap", "core", "propeller", "rawoutput-prefix")
_ADMIN_PASSWORD_PATH = ("db", "admin", "database", "passwordPath")
_CATALOG_PASSWORD_PATH = ("db", "datacatalog", "database", "passwordPath")
_SECRET_NAME = ("common", "databaseSecret", "name")
_DOMAINS = ("configmap", "domain", "domains")
_CUSTOM_DATA = ("cluster_resource_manager", "config", "cluster_resources", "customData")


def check_plan(plan: InstallPlan) -> list[Problem]:
    """Every problem flyte-core itself would have with the plan's values."""
    from flyte_tui.charts.flyte_core.render_clusters import endpoint_warnings

    data_planes = [Problem(path, message, "warning") for path, message in endpoint_warnings(plan)]
    return [*_single_replica(plan), *_extra_values(plan), *_merged_values(plan), *data_planes]


_ONE_REPLICA = {
    "flytescheduler": "flyte-core runs exactly one flytescheduler (it reads no replicaCount); leave replicas unset",
    "webhook": (
        "flyte-core runs exactly one webhook (it reads no webhook.replicaCount); leave replicas unset, or "
        "scale it with extraValues.webhook.autoscaling (enabled, minReplicas, maxReplicas)"
    ),
}
"""The components whose replicas flyte-core fixes at one, and what to do instead."""


def _single_replica(plan: InstallPlan) -> Iterator[Problem]:
    for key, why in _ONE_REPLICA.items():
        comp = plan.resources.components.get(key)
        if comp is not None and comp.replicas is not None and comp.replicas != 1:
            yield Problem(f"resources.components.{key}.replicas", f"{comp.replicas} is not accepted: {why}")


def _extra_values(plan: InstallPlan) -> Iterator[Problem]:
    extra = plan.extra_values
    for keys, why in _FORBIDDEN_EXTRA.items():
        if tree.has(extra, keys):
            yield Problem("extraValues." + ".".join(keys), f"must not be set (even to false): {why}")
    for comp in ("flyteadmin", "webhook"):
        scope = tree.get(extra, (comp, "serviceAccount", "rbacScope"))
        if scope is not None and scope not in ("cluster", "namespace"):
            yield Problem(
                f"extraValues.{comp}.serviceAccount.rbacScope", f"{scope!r} is not accepted: cluster or namespace"
            )


def _merged_values(plan: InstallPlan) -> Iterator[Problem]:
    """The answers are consistent by construction, so these look only where ``extraValues`` (merged last)
    sets one side of a pair."""
    extra = plan.extra_values
    if not extra:
        return
    from flyte_tui.charts.flyte_core.render import render_values

    final = render_values(plan)

    def where(*paths: tuple[str, ...]) -> str | None:
        """The first of ``paths`` that extraValues sets, as an answers path."""
        hit = next((p for p in paths if tree.has(extra, p)), None)
        return "extraValues." + ".".join(hit) if hit else None

    at = where(("storage", "type"), _RAW_OUTPUT)
    prefix, kind = tree.get(final, _RAW_OUTPUT), tree.get(final, ("storage", "type"))
    scheme = {"gcs": "gs://", "s3": "s3://", "sandbox": "s3://"}.get(str(kind))
    if at and isinstance(prefix, str) and scheme and not prefix.startswith(scheme):
        yield Problem(at, f"storage type {kind} needs a rawoutput-prefix starting with {scheme}, not {prefix!r}")

    at = where(_ADMIN_PASSWORD_PATH, _CATALOG_PASSWORD_PATH, _SECRET_NAME)
    paths = [p for p in (tree.get(final, _ADMIN_PASSWORD_PATH), tree.get(final, _CATALOG_PASSWORD_PATH)) if p]
    if at and paths and not tree.get(final, _SECRET_NAME):
        yield Problem(
            at,
            f"passwordPath {paths[0]} needs common.databaseSecret.name (the Secret mounted there); "
            "set database.passwordSecret instead",
        )

    at = where(_DOMAINS, _CUSTOM_DATA)
    domains = tree.get(final, _DOMAINS) or [{"id": d} for d in defaults.DOMAINS]
    custom = tree.get(final, _CUSTOM_DATA) or [{d: []} for d in defaults.QUOTAS]
    if at and isinstance(domains, list) and isinstance(custom, list):
        ids = {str(d.get("id")) for d in domains if isinstance(d, dict)}
        keyed = {str(k) for entry in custom if isinstance(entry, dict) for k in entry}
        if ids != keyed:
            yield Problem(
                at,
                f"domains {sorted(ids)} and the cluster resource customData {sorted(keyed)} differ: every domain "
                "needs its customData entry (set projects.domains and projects.quotas instead)",
                "warning",
            )
