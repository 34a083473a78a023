"""The steps of a multi-cluster install and upgrade (flyte-core data planes), and how the one readiness table
names each cluster's components. The run itself is tests/e2e/test_install_multicluster.py."""

from __future__ import annotations

import copy
from pathlib import Path

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.events import ComponentsChanged, OutputLine
from flyte_tui.install import InstallOptions
from flyte_tui.install.pipeline import INSTALL_STEPS, install_steps
from flyte_tui.install.watch_clusters import component_name, relay
from flyte_tui.model import InstallPlan
from flyte_tui.readiness import ComponentStatus
from flyte_tui.upgrade import apply_upgrade
from tests.conftest import REALISTIC

PLANES = [
    {"name": "eu-1", "context": "eu-admin", "endpoint": "https://10.0.12.7:6443"},
    {"name": "us-1", "context": "us-admin", "endpoint": "https://10.0.13.9:6443"},
    {"name": "control", "inCluster": True},
]


def plan_of(planes: list[dict[str, object]]) -> InstallPlan:
    data = copy.deepcopy(REALISTIC["eks"])
    data["target"]["context"] = "control-ctx"
    data["dataPlanes"] = copy.deepcopy(planes)
    result = validate_answers(data)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def test_a_plan_without_data_planes_has_the_steps_it_always_had() -> None:
    assert install_steps(plan_of([])) == INSTALL_STEPS


def test_data_planes_each_get_a_step_before_the_credentials_and_the_control_plane() -> None:
    steps = install_steps(plan_of(PLANES))
    assert steps == (
        ("preflight", "Preflight checks"),
        ("repo", "Chart repository"),
        ("namespace", "Namespace"),
        ("secrets", "Secrets"),
        ("data-plane:eu-1", "Data plane eu-1"),
        ("data-plane:us-1", "Data plane us-1"),
        ("data-plane-credentials", "Data plane credentials"),
        ("helm", "helm upgrade --install"),
        ("readiness", "Waiting for Flyte components"),
        ("verify-links", "Verify data plane links"),
    )


def test_an_upgrade_applies_the_data_planes_first_and_the_control_plane_last(tmp_path: Path) -> None:
    """The upgrade's step 5 is the same Installer over the reviewed releases: the order comes with them."""
    plan = plan_of(PLANES)
    installer = apply_upgrade(plan, InstallOptions(values_path=tmp_path / "v.yaml"), None)
    assert [(r.data_plane, r.context) for r in installer.releases] == [
        ("eu-1", "eu-admin"),
        ("us-1", "us-admin"),
        ("", "control-ctx"),
    ]
    assert install_steps(plan, installer.releases) == install_steps(plan, plan_releases(plan))


def _status(name: str, state: str = "ready") -> ComponentStatus:
    return ComponentStatus(name, 1, 1, 1 if state == "ready" else 0, "Running", 0, state)  # type: ignore[arg-type]


def test_one_table_names_each_data_plane_s_components_and_keeps_the_control_plane_s() -> None:
    assert component_name("eu-1", "flytepropeller") == "eu-1/flytepropeller"
    assert component_name("", "flyteadmin") == "flyteadmin"
    tables: dict[str, tuple[ComponentStatus, ...]] = {"": (), "eu-1": (), "us-1": ()}
    list(relay("", ComponentsChanged((_status("flyteadmin"),)), tables))
    list(relay("us-1", ComponentsChanged((_status("flytepropeller", "progressing"),)), tables))
    (event,) = list(relay("eu-1", ComponentsChanged((_status("flytepropeller"),)), tables))
    assert isinstance(event, ComponentsChanged)
    assert [(c.name, c.state) for c in event.components] == [
        ("flyteadmin", "ready"),
        ("eu-1/flytepropeller", "ready"),
        ("us-1/flytepropeller", "progressing"),
    ]
    (line,) = list(relay("us-1", OutputLine("readiness", "cannot reach the cluster"), tables))
    assert isinstance(line, OutputLine) and line.text == "us-1: cannot reach the cluster"
    (same,) = list(relay("", OutputLine("readiness", "cannot reach the cluster"), tables))
    assert isinstance(same, OutputLine) and same.text == "cannot reach the cluster"
