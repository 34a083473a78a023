"""InstallPlan → flyte-deps values: only what differs from the chart's defaults.

Always off: the chart's ``webhook`` (an ExternalName Service named flyte-pod-webhook, which would take the
name of flyte-core's own webhook Service) and ``kubernetes-dashboard`` (a cluster-wide dashboard the sandbox
does not need). minio and PostgreSQL follow ``dependencies.storage`` / ``dependencies.database``.
"""

from __future__ import annotations

from typing import Any

from flyte_tui.charts.component import ImportResult
from flyte_tui.charts.flyte_deps.chart import MINIO, POSTGRES, POSTGRES_DB_DEFAULT
from flyte_tui.charts.flyte_deps.render_images import OWNED_PATHS as IMAGE_PATHS
from flyte_tui.charts.flyte_deps.render_images import image_values
from flyte_tui.model.plan import InstallPlan

ALWAYS_OFF = ("webhook", "kubernetes-dashboard")
"""Parts of the chart (enabled by its defaults) that a flyte-core sandbox must not get."""

OWNED_PATHS: frozenset[tuple[str, ...]] = frozenset(
    {
        *((key, "enabled") for key in (*ALWAYS_OFF, MINIO.values_key, POSTGRES.values_key)),
        (POSTGRES.values_key, "dbname"),
        *IMAGE_PATHS,
    }
)
"""Exactly the values paths flyte-tui writes (a stale one is removed on re-render)."""


def render_values(plan: InstallPlan) -> dict[str, Any]:
    """The flyte-deps values for a plan."""
    deps = plan.dependencies
    values: dict[str, Any] = {key: {"enabled": False} for key in ALWAYS_OFF}
    if not deps.storage:
        values[MINIO.values_key] = {"enabled": False}
    postgres: dict[str, Any] = {}
    if not deps.database:
        postgres["enabled"] = False
    elif plan.database.admin_database != POSTGRES_DB_DEFAULT:
        postgres["dbname"] = plan.database.admin_database
    if postgres:
        values[POSTGRES.values_key] = postgres
    return image_values(values, plan)


def is_owned(path: tuple[str, ...]) -> bool:
    """Whether flyte-tui manages the flyte-deps values key at ``path``."""
    return tuple(path) in OWNED_PATHS


def import_values(values: Any, environment: str | None = None) -> ImportResult:
    """The ``dependencies`` answers a flyte-deps values file says (what is bundled; the rest stays the chart's)."""

    def enabled(key: str) -> bool:
        block = values.get(key) if isinstance(values, dict) else None
        return bool(block.get("enabled", True)) if isinstance(block, dict) else True

    answers: dict[str, Any] = {
        "dependencies": {"storage": enabled(MINIO.values_key), "database": enabled(POSTGRES.values_key)}
    }
    if environment:
        answers["environment"] = environment
    block = values.get(POSTGRES.values_key) if isinstance(values, dict) else None
    if isinstance(block, dict) and isinstance(block.get("dbname"), str) and block["dbname"] != POSTGRES_DB_DEFAULT:
        answers["database"] = {"adminDatabase": block["dbname"]}
    return ImportResult(answers)
