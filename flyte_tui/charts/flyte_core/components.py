"""The catalog of Flyte control-plane components: the one place their names and labels are written.

Readiness, the doctor, the runner screen, the answers model and the tests all read from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flyte_tui.charts.component import Component

FLYTEADMIN = Component(
    "flyteadmin",
    "flyteadmin",
    (("app.kubernetes.io/name", "flyteadmin"),),
    init_containers=("run-migrations", "seed-projects", "sync-cluster-resources", "generate-secrets"),
)
DATACATALOG = Component(
    "datacatalog", "datacatalog", (("app.kubernetes.io/name", "datacatalog"),), init_containers=("run-migrations",)
)
FLYTEPROPELLER = Component("flytepropeller", "flytepropeller", (("app.kubernetes.io/name", "flytepropeller"),))
FLYTECONSOLE = Component(
    "flyteconsole", "flyteconsole", (("app.kubernetes.io/name", "flyteconsole"),), has_service_account=False
)
FLYTESCHEDULER = Component(
    "flytescheduler",
    "flytescheduler",
    (("app.kubernetes.io/name", "flytescheduler"),),
    init_containers=("flytescheduler-check",),
)
SYNCRESOURCES = Component(
    "syncresources",
    "cluster_resource_manager",
    (("app.kubernetes.io/name", "flyteclusterresourcesync"),),
    sizable=False,
    has_service_account=False,
)
WEBHOOK = Component(
    "flyte-pod-webhook",
    "webhook",
    (("app", "flyte-pod-webhook"),),
    instance_label=False,
    init_containers=("generate-secrets",),
)

COMPONENTS: tuple[Component, ...] = (
    FLYTEADMIN,
    DATACATALOG,
    FLYTEPROPELLER,
    FLYTECONSOLE,
    FLYTESCHEDULER,
    SYNCRESOURCES,
    WEBHOOK,
)
"""Every component of a flyte-core install, in the order users see them."""

SIZABLE_KEYS: tuple[str, ...] = tuple(c.values_key for c in COMPONENTS if c.sizable)
"""Keys accepted under ``resources.components`` in the answers file."""

STORAGE_USERS: tuple[Component, ...] = (FLYTEADMIN, DATACATALOG, FLYTEPROPELLER)
"""Components that read and write the metadata bucket and so need cloud IAM on their ServiceAccount."""


def by_name(name: str) -> Component:
    """Look a component up by its name or its values key."""
    for component in COMPONENTS:
        if name in (component.name, component.values_key):
            return component
    raise KeyError(name)


def expected_components(values: Mapping[str, Any]) -> list[Component]:
    """The components a values file makes flyte-core create (the chart's own enable conditions)."""

    def enabled(key: str, default: bool = True) -> bool:
        block = values.get(key)
        return bool(block.get("enabled", default)) if isinstance(block, dict) else default

    scheduler = values.get("workflow_scheduler") or {}
    rules = {
        "flyteadmin": enabled("flyteadmin"),
        "datacatalog": enabled("datacatalog"),
        "flytepropeller": enabled("flytepropeller"),
        "flyteconsole": enabled("flyteconsole"),
        "flytescheduler": bool(scheduler.get("enabled")) and scheduler.get("type") == "native",
        "syncresources": enabled("cluster_resource_manager"),
        "flyte-pod-webhook": enabled("flytepropeller") and enabled("webhook"),
    }
    return [c for c in COMPONENTS if rules.get(c.name, True)]
