"""flyte-deps' images (minio and PostgreSQL) on the answers' registry mirror.

The chart has no ``imagePullSecrets`` for them: its pods run as the namespace's ``default``
ServiceAccount, which is where a pull secret for them goes (validation warns with the command).
"""

from __future__ import annotations

from typing import Any

from flyte_tui.charts.flyte_deps.chart import MINIO, POSTGRES
from flyte_tui.model.images import Path, with_images
from flyte_tui.model.plan import InstallPlan

REPOSITORIES: dict[Path, str] = {
    (POSTGRES.values_key, "image", "repository"): "ecr.flyte.org/ubuntu/postgres",
    (MINIO.values_key, "image", "repository"): "ecr.flyte.org/bitnami/minio",
}
"""Values paths of an image repository → the chart's default."""

OWNED_PATHS: frozenset[Path] = frozenset(REPOSITORIES)
"""The values paths this module writes."""


def image_values(values: dict[str, Any], plan: InstallPlan) -> dict[str, Any]:
    """``values`` with minio's and PostgreSQL's images on ``images.registry``."""
    return with_images(values, plan.images, REPOSITORIES)
