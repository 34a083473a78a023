"""flyte-binary's images on the answers' registry mirror, and the pull secret on its ServiceAccount.

Every image flyte-binary pulls: the one Deployment's (``deployment.image``), its wait-for-db init
container's (``deployment.waitForDB.image``, Docker Hub's ``postgres``) and co-pilot's, which the chart writes
into propeller's config from ``configuration.co-pilot.image``; and the flyteconnector subchart's when the connector
is deployed (``with_images`` adds it).
"""

from __future__ import annotations

from typing import Any

from flyte_tui.model.images import CONNECTOR_PULL_SECRETS, CONNECTOR_REPOSITORIES, Path, with_images
from flyte_tui.model.plan import InstallPlan

REPOSITORIES: dict[Path, str] = {
    ("deployment", "image", "repository"): "cr.flyte.org/flyteorg/flyte-binary",
    ("deployment", "waitForDB", "image", "repository"): "postgres",
    ("configuration", "co-pilot", "image", "repository"): "cr.flyte.org/flyteorg/flytecopilot",
}
"""Values paths of an image repository → the chart's default."""

PULL_SECRETS: tuple[Path, ...] = (("serviceAccount", "imagePullSecrets"),)
"""Values paths of an ``imagePullSecrets`` list (the one ServiceAccount the Deployment runs as)."""

OWNED_PATHS: frozenset[Path] = frozenset(
    (*REPOSITORIES, *PULL_SECRETS, *CONNECTOR_REPOSITORIES, *CONNECTOR_PULL_SECRETS)
)
"""The values paths this module writes."""


def image_values(values: dict[str, Any], plan: InstallPlan) -> dict[str, Any]:
    """``values`` with every flyte-binary image on ``images.registry`` and ``images.pullSecret`` added."""
    return with_images(values, plan.images, REPOSITORIES, pull_secret_paths=PULL_SECRETS)
