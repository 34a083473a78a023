"""The ``plugins`` answer: its catalog and its rules, each at its field (a valid and an invalid case each)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.model.plugins import CATALOG, CHART_DEFAULT_PLUGINS, enabled_plugins
from tests.conftest import REALISTIC
from tests.test_flyte_binary_choice import binary


def core(plugins: list[str], **extra: Any) -> dict[str, Any]:
    """The realistic eks answers (flyte-core) with ``plugins``."""
    answers = copy.deepcopy(REALISTIC["eks"])
    answers["plugins"] = plugins
    if extra:
        answers["extraValues"] = extra
    return answers


def problems(answers: dict[str, Any]) -> dict[str, str]:
    """Every problem by its path (errors and warnings)."""
    result = validate_answers(answers)
    return {p.path: p.message for p in result.problems}


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_catalog_plugin_is_accepted_on_both_charts(name: str) -> None:
    for answers in (core([name]), {**binary("eks"), "plugins": [name]}):
        result = validate_answers(answers)
        assert result.ok, [str(p) for p in result.errors]
        assert result.plan is not None and result.plan.plugins == [name]


def test_every_plugin_names_its_operator_crds_and_install_command() -> None:
    for plugin in CATALOG.values():
        assert plugin.purpose and plugin.operator and plugin.install
        if plugin.name != "connector":
            assert plugin.crds and all(c.versions and "." in c.name for c in plugin.crds)
            assert plugin.task_types == (plugin.plugin_id,)


def test_an_unknown_plugin_is_refused_at_its_index_listing_the_accepted_ones() -> None:
    found = problems(core(["ray", "flink"]))
    assert "plugins.0" not in found
    assert "'flink' is not a task plugin" in found["plugins.1"]
    assert "spark, ray, pytorch, tensorflow, mpi, dask, connector" in found["plugins.1"]


def test_a_capitalised_name_is_refused_with_the_lower_case_one() -> None:
    assert "names are lower case: spark" in problems(core(["Spark"]))["plugins.0"]


def test_a_duplicate_is_refused_at_the_second() -> None:
    found = problems(core(["dask", "ray", "dask"]))
    assert found["plugins.2"] == "'dask' is listed twice"
    assert "plugins.0" not in found


def test_a_plugin_that_is_not_a_string_is_refused_by_the_model() -> None:
    result = validate_answers(core([3]))  # type: ignore[list-item]
    assert not result.ok and any(p.path.startswith("plugins") for p in result.errors)


def test_enabled_plugins_keeps_the_chart_defaults_and_adds_each_once() -> None:
    plan = validate_answers(core(["ray", "connector", "pytorch"])).plan
    assert plan is not None
    assert enabled_plugins(plan) == [*CHART_DEFAULT_PLUGINS, "ray", "pytorch"]


def test_an_enabled_plugins_list_in_extra_values_that_drops_defaults_is_refused() -> None:
    path = "extraValues.configmap.enabled_plugins.tasks.task-plugins.enabled-plugins"
    given = {"enabled_plugins": {"tasks": {"task-plugins": {"enabled-plugins": ["container", "ray"]}}}}
    found = problems(core(["ray"], configmap=given))
    assert "leaves out sidecar, k8s-array, connector-service, echo" in found[path]
    complete = {"enabled_plugins": {"tasks": {"task-plugins": {"enabled-plugins": [*CHART_DEFAULT_PLUGINS, "RAY"]}}}}
    assert path not in problems(core(["ray"], configmap=complete))


def test_flyte_binary_specifics_rbac_off_and_a_replacing_extra_rules_list_warn() -> None:
    answers = {**binary("eks"), "plugins": ["ray"], "extraValues": {"rbac": {"create": False, "extraRules": []}}}
    found = problems(answers)
    assert "no ClusterRole" in found["extraValues.rbac.create"]
    assert "replaces the rules" in found["extraValues.rbac.extraRules"]
    answers["plugins"] = []
    assert "extraValues.rbac.create" not in problems(answers)


def test_flyte_binary_enabled_plugins_list_is_read_at_its_own_key() -> None:
    given = {"enabled_plugins": {"tasks": {"task-plugins": {"enabled-plugins": ["container"]}}}}
    found = problems({**binary("eks"), "plugins": ["dask"], "extraValues": given})
    assert "leaves out" in found["extraValues.enabled_plugins.tasks.task-plugins.enabled-plugins"]


def test_spark_warns_only_when_a_template_list_would_replace_its_templates() -> None:
    assert "plugins" not in problems(core(["spark"]))  # flyte-tui writes its ServiceAccount, Role and RoleBinding
    replaced = {"cluster_resource_manager": {"templates": [{"key": "aa_namespace", "value": "kind: Namespace"}]}}
    found = problems(core(["spark"], **replaced))
    assert "Role spark-role" in found["extraValues.cluster_resource_manager.templates"]
    assert "extraValues.cluster_resource_manager.templates" not in problems(core(["ray"], **replaced))


def crd(name: str, *versions: tuple[str, bool]) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"versions": [{"name": v, "served": s} for v, s in versions]}}


def test_crd_problems_name_a_missing_crd_a_wrong_version_and_the_operator_command() -> None:
    from flyte_tui.model.plugins import crd_problems

    ray, spark = CATALOG["ray"], CATALOG["spark"]
    cluster = [
        crd("rayjobs.ray.io", ("v1alpha1", True)),
        crd("rayclusters.ray.io", ("v1", True)),
        crd("sparkapplications.sparkoperator.k8s.io", ("v1beta2", False), ("v1beta1", True)),
    ]
    found = [str(p) for p in crd_problems([ray, spark], cluster)]
    assert len(found) == 2
    assert "rayjobs.ray.io, which is served at v1alpha1, not v1" in found[0] and "kuberay-operator" in found[0]
    assert "sparkapplications.sparkoperator.k8s.io, which is served at v1beta1, not v1beta2" in found[1]
    assert crd_problems([ray], [crd("rayjobs.ray.io", ("v1", True)), crd("rayclusters.ray.io", ("v1", True))]) == []
    (missing,) = crd_problems([CATALOG["dask"]], cluster)
    assert "daskjobs.kubernetes.dask.org, which is not on the cluster" in str(missing)
