"""flyte-core's images on the answers' registry mirror, and the pull secret on every ServiceAccount.

Every image flyte-core pulls: each component's ``image.repository`` (flyteadmin's also runs its init
containers and the sync-resources job, flytepropeller's the webhook and its init container), flyteconsole's and
co-pilot's, which is a whole reference in propeller's config
(``configmap.copilot.plugins.k8s.co-pilot.image``), tagged with the chart version; and the flyteconnector subchart's
when the connector is deployed (``with_images`` adds it).
"""

from __future__ import annotations

from typing import Any

from flyte_tui.model.images import CONNECTOR_PULL_SECRETS, CONNECTOR_REPOSITORIES, Path, with_images
from flyte_tui.model.plan import DEFAULT_VERSION, InstallPlan

_SOURCE = "cr.flyte.org/flyteorg/"
_COMPONENTS = ("flyteadmin", "flytescheduler", "datacatalog", "flytepropeller", "flyteconsole")

REPOSITORIES: dict[Path, str] = {(key, "image", "repository"): _SOURCE + key for key in _COMPONENTS}
"""Values paths of an image repository → the chart's default."""
COPILOT: Path = ("configmap", "copilot", "plugins", "k8s", "co-pilot", "image")
"""Where propeller's config names the co-pilot sidecar's image (a whole ``repository:tag``)."""

PULL_SECRETS: tuple[Path, ...] = (
    *(
        (key, "serviceAccount", "imagePullSecrets")
        for key in ("flyteadmin", "flytescheduler", "datacatalog", "flytepropeller", "webhook")
    ),
    ("flyteconsole", "imagePullSecrets"),  # flyteconsole has no ServiceAccount of its own: its pod's list
)
"""Values paths of an ``imagePullSecrets`` list."""

OWNED_PATHS: frozenset[Path] = frozenset(
    (*REPOSITORIES, COPILOT, *PULL_SECRETS, *CONNECTOR_REPOSITORIES, *CONNECTOR_PULL_SECRETS)
)
"""The values paths this module writes."""


def image_values(values: dict[str, Any], plan: InstallPlan) -> dict[str, Any]:
    """``values`` with every flyte-core image on ``images.registry`` and ``images.pullSecret`` added."""
    version = plan.target.chart.version or DEFAULT_VERSION
    copilot = f"{_SOURCE}flytecopilot:{version if version.startswith('v') else 'v' + version}"
    return with_images(values, plan.images, REPOSITORIES, {COPILOT: copilot}, PULL_SECRETS)
