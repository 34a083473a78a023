"""Choosing flyte-binary: `target.chart.name: flyte-binary` (same repository) routes the answers to its
profile; every environment preset works with both charts; what flyte-binary cannot do is refused with the
answer to change, never silently dropped."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flyte_tui.charts import flyte_release, plan_releases, profile_for_chart, validate_answers
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.charts.flyte_core import FLYTE_CORE
from flyte_tui.model.plan import DEFAULT_REPO
from flyte_tui.presets import PRESET_NAMES
from tests.conftest import REALISTIC, set_path


def binary(env: str) -> dict[str, Any]:
    """The realistic answers of an environment, for flyte-binary (without flyte-core's component sizing)."""
    answers = copy.deepcopy(REALISTIC[env])
    answers["target"]["chart"] = {"repo": DEFAULT_REPO, "name": "flyte-binary", "version": "v1.16.8"}
    answers.get("resources", {}).pop("components", None)
    return answers


def test_the_chart_name_picks_the_profile() -> None:
    assert profile_for_chart("flyte-binary") is FLYTE_BINARY
    assert profile_for_chart("flyte-core") is FLYTE_CORE
    plan = validate_answers(binary("eks")).plan
    assert plan is not None
    release = flyte_release(plan_releases(plan))
    assert release.profile is FLYTE_BINARY
    assert release.chart.repo == DEFAULT_REPO and release.chart.reference() == "flyte-binary"
    assert [c.name for c in release.expected_components] == ["flyte-flyte-binary"]


@pytest.mark.parametrize("env", PRESET_NAMES)
@pytest.mark.parametrize("chart", ["flyte-binary", "flyte-core"])
def test_every_preset_works_with_both_charts(env: str, chart: str) -> None:
    answers = binary(env)
    answers["target"]["chart"]["name"] = chart
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    assert result.plan is not None
    sized = set(result.plan.resources.components)
    if chart == "flyte-binary":
        assert sized <= {"flyte-binary"}  # the preset's flyte-core sizing is left out, not refused
    else:
        assert sized == set(REALISTIC_PRESET_SIZING[env])


REALISTIC_PRESET_SIZING = {
    "sandbox": [],
    "eks": ["flyteadmin", "datacatalog", "flytepropeller", "flyteconsole"],
    "gke": ["flyteadmin", "flytepropeller"],
    "generic": [],
}
"""The components each preset sizes for flyte-core (flyte_tui/presets/*.yaml)."""


def test_sizing_a_flyte_core_component_is_refused_with_the_answer() -> None:
    answers = set_path(binary("eks"), "resources.components.flyteadmin.replicas", 2)
    [problem] = validate_answers(answers).errors
    assert problem.path == "resources.components.flyteadmin"
    assert "resources.components.flyte-binary" in problem.message
    assert "target.chart.name: flyte-core" in problem.message


def test_more_than_one_replica_is_refused() -> None:
    answers = set_path(binary("generic"), "resources.components.flyte-binary.replicas", 3)
    [problem] = validate_answers(answers).errors
    assert problem.path == "resources.components.flyte-binary.replicas"
    assert "exactly one replica" in problem.message
    sized = set_path(binary("generic"), "resources.components.flyte-binary.requests.cpu", "2")
    assert validate_answers(sized).ok


def test_an_unknown_component_is_refused_by_the_model() -> None:
    answers = set_path(binary("generic"), "resources.components.flyteworker.replicas", 1)
    [problem] = validate_answers(answers).errors
    assert problem.path == "resources.components"
    assert "flyteworker" in problem.message and "flyte-binary" in problem.message


def test_multi_cluster_and_flyte_core_values_keys_are_refused() -> None:
    clusters = set_path(binary("eks"), "extraValues.configmap.clusters.labelClusterMap", {"team": []})
    [problem] = validate_answers(clusters).errors
    assert problem.path == "extraValues.configmap.clusters"
    assert "one cluster" in problem.message and "flyte-core" in problem.message
    core_key = set_path(binary("eks"), "extraValues.flyteadmin.replicaCount", 2)
    [problem] = validate_answers(core_key).errors
    assert problem.path == "extraValues.flyteadmin"
    assert "does not read" in problem.message and "deployment" in problem.message
    # the same keys are flyte-core's own: accepted there
    core_key["target"]["chart"]["name"] = "flyte-core"
    assert validate_answers(core_key).ok


def test_a_password_in_extra_values_is_refused() -> None:
    answers = set_path(binary("generic"), "extraValues.configuration.database.password", "hunter2")
    problems = validate_answers(answers).errors
    assert "extraValues.configuration.database.password" in [p.path for p in problems]
    assert all("hunter2" not in p.message for p in problems)


def test_a_second_database_name_is_a_warning_naming_the_one_used() -> None:
    answers = set_path(binary("generic"), "database.datacatalogDatabase", "catalog")
    result = validate_answers(answers)
    assert result.ok
    [warning] = result.warnings
    assert warning.path == "database.datacatalogDatabase" and "one database" in warning.message
