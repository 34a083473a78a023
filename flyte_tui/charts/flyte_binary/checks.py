"""flyte-binary's own checks of a plan: what the single-binary chart cannot do is refused with the answer to
change, never silently dropped (separate sizing of flyte-core's components, more than one replica, flyte-core
values keys in extraValues, several clusters)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_binary.components import SIZING_KEY
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem

FLYTE_CORE_COMPONENTS = (
    "flyteadmin",
    "datacatalog",
    "flytepropeller",
    "flyteconsole",
    "flytescheduler",
    "webhook",
)
"""flyte-core's sizable components: accepted under resources.components only to be refused with the reason."""

CHOOSE_CORE = "or choose target.chart.name: flyte-core"

_FLYTE_CORE_KEYS = {
    "flyteadmin": "flyte-core-components.admin, deployment.* (one Deployment)",
    "datacatalog": "flyte-core-components.dataCatalog, deployment.* (one Deployment)",
    "flytepropeller": "flyte-core-components.propeller, deployment.* (one Deployment)",
    "flyteconsole": "deployment.* (the console is served by the one Deployment)",
    "flytescheduler": "flyte-core-components.admin.disableScheduler",
    "webhook": "flyte-core-components.propeller.disableWebhook",
    "cluster_resource_manager": "clusterResourceTemplates and configuration.inline.cluster_resources",
    "workflow_scheduler": "flyte-core-components.admin.disableScheduler",
    "db": "configuration.database (one database; answers: database.*)",
    "storage": "configuration.storage (answers: storage.*)",
    "common": "ingress.* (answers: ingress.*)",
    "configmap": "configuration.inline",
    "secrets": "configuration.auth",
    "sparkoperator": "configuration.inline.plugins",
}
"""Top-level flyte-core values keys flyte-binary does not read, and where flyte-binary takes the same."""


def check_plan(plan: InstallPlan) -> list[Problem]:
    """Every problem flyte-binary itself would have with the plan."""
    return [*_sizing(plan), *_extra_values(plan.extra_values), *_database(plan)]


def _sizing(plan: InstallPlan) -> Iterator[Problem]:
    for key, comp in plan.resources.components.items():
        if key in FLYTE_CORE_COMPONENTS:
            yield Problem(
                f"resources.components.{key}",
                f"flyte-binary runs {key} inside its one Deployment and cannot size it on its own: size "
                f"resources.components.{SIZING_KEY} instead, {CHOOSE_CORE} for separate component sizing",
            )
        elif key == SIZING_KEY and comp.replicas is not None and comp.replicas != 1:
            yield Problem(
                f"resources.components.{key}.replicas",
                f"{comp.replicas} is not accepted: flyte-binary runs exactly one replica (its Deployment is "
                f"fixed at 1, Recreate); leave replicas unset, {CHOOSE_CORE} to scale the components",
            )


def _extra_values(extra: Mapping[str, Any]) -> Iterator[Problem]:
    """What the answers' extraValues hold that flyte-binary does not read, or must not be written in values."""
    if tree.has(extra, ("configmap", "clusters")):
        yield Problem(
            "extraValues.configmap.clusters",
            f"flyte-binary runs on one cluster: several data-plane clusters are not supported; {CHOOSE_CORE} "
            "(its control-plane and data-plane releases)",
        )
        return
    for key, instead in _FLYTE_CORE_KEYS.items():
        if key in extra:
            yield Problem(
                f"extraValues.{key}",
                f"{key} is a flyte-core values key that flyte-binary does not read (it would be silently "
                f"ignored): flyte-binary's equivalent is {instead}, {CHOOSE_CORE}",
            )
    for keys, answer in (
        (("configuration", "database", "password"), "database.passwordSecret"),
        (("configuration", "storage", "providerConfig", "s3", "accessKey"), "storage.credentialsSecret"),
        (("configuration", "storage", "providerConfig", "s3", "secretKey"), "storage.credentialsSecret"),
    ):
        if tree.get(extra, keys):
            yield Problem(
                "extraValues." + ".".join(keys),
                f"must not be set: a secret in the values would be stored in the release; use {answer} (a Secret)",
            )


def _database(plan: InstallPlan) -> Iterator[Problem]:
    db = plan.database
    if db.datacatalog_database not in (db.admin_database, "datacatalog"):
        # "datacatalog" is the model's default (and the presets'): only a name the user chose is worth saying
        yield Problem(
            "database.datacatalogDatabase",
            f"flyte-binary keeps flyteadmin's and datacatalog's tables in one database "
            f"(adminDatabase {db.admin_database}); {db.datacatalog_database} is not used ({CHOOSE_CORE} for two)",
            "warning",
        )
