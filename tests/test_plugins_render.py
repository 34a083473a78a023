"""The ``plugins`` answer rendered for both charts: the chart's default plugins kept, each chosen one enabled and
the default for its task types, its config block, flyte-binary's ClusterRole rules; and real ``helm template``
(3 and 4) of the fixture charts showing propeller's configuration and the ClusterRole hold them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.model.plugins import CATALOG, CHART_DEFAULT_PLUGINS
from tests.conftest import FIXTURE_CHART, helm_binaries
from tests.test_helm_template import config_files, objects, template
from tests.test_helm_template_binary import FIXTURE as BINARY_CHART
from tests.test_helm_template_binary import FULLNAME
from tests.test_plugins import binary, core

CORE_TASKS = ("configmap", "enabled_plugins", "tasks", "task-plugins")
BINARY_TASKS = ("enabled_plugins", "tasks", "task-plugins")
KUBE_PLUGINS = sorted(name for name in CATALOG if name != "connector")


def values(answers: dict[str, Any]) -> dict[str, Any]:
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return flyte_release(plan_releases(result.plan)).values


def on_binary(plugins: list[str], namespace: str = "flyte") -> dict[str, Any]:
    answers = {**binary("eks"), "plugins": plugins}
    answers["target"]["namespace"] = namespace
    return answers


def test_no_plugin_writes_no_plugin_key() -> None:
    for rendered, path in ((values(core([])), CORE_TASKS), (values(on_binary([])), BINARY_TASKS)):
        assert tree.get(rendered, path) is None
    assert tree.get(values(on_binary([])), ("rbac", "extraRules")) is None


@pytest.mark.parametrize("name", KUBE_PLUGINS)
def test_flyte_core_keeps_the_defaults_and_adds_the_plugin(name: str) -> None:
    rendered = values(core([name]))
    tasks = tree.get(rendered, CORE_TASKS)
    assert tasks["enabled-plugins"] == [*CHART_DEFAULT_PLUGINS, CATALOG[name].plugin_id]
    assert tasks["default-for-task-types"] == {name: name}  # the chart's own defaults are merged in by helm
    assert (tree.get(rendered, ("sparkoperator", "enabled")) is True) == (name == "spark")


@pytest.mark.parametrize("name", KUBE_PLUGINS)
def test_flyte_binary_adds_the_plugin_and_its_cluster_role_rule(name: str) -> None:
    rendered = values(on_binary([name]))
    tasks = tree.get(rendered, BINARY_TASKS)
    assert tasks["enabled-plugins"] == [*CHART_DEFAULT_PLUGINS, name]
    assert tasks["default-for-task-types"] == {name: name}
    crd = CATALOG[name].crds[0]
    assert rendered["rbac"]["extraRules"][:1] == [  # spark's creation rules follow (test_plugins_spark)
        {
            "apiGroups": [crd.group],
            "resources": [crd.plural],
            "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"],
        }
    ]
    spark = tree.get(rendered, ("configuration", "inline", "plugins", "spark", "spark-config-default"))
    assert (spark is not None) == (name == "spark")


def test_the_connector_deploys_the_subchart_with_its_endpoint_in_the_release_namespace() -> None:
    answers = core(["connector"])
    answers["target"]["namespace"] = "flyte-prod"
    rendered = values(answers)
    assert rendered["flyteconnector"]["enabled"] is True
    endpoint = ("flyteconnector", "plugin_config", "plugins", "connector-service", "defaultConnector", "endpoint")
    assert tree.get(rendered, endpoint) == "k8s://flyteconnector.flyte-prod:8000"
    assert tree.get(rendered, CORE_TASKS) is None  # connector-service is enabled by default
    fb = values(on_binary(["connector"], "flyte-prod"))
    assert fb["flyteconnector"]["enabled"] is True
    inline = ("configuration", "inline", "plugins", "connector-service", "defaultConnector", "endpoint")
    assert tree.get(fb, inline) == "k8s://flyteconnector.flyte-prod:8000"
    assert fb["rbac"]["extraRules"] == [
        {"apiGroups": [""], "resources": ["endpoints"], "verbs": ["get", "list", "watch"]}
    ]
    assert tree.get(values(on_binary(["connector"])), inline) is None


def test_several_plugins_share_one_list_and_kubeflow_plugins_get_one_rule_each() -> None:
    rendered = values(on_binary(["pytorch", "mpi", "ray"]))
    assert tree.get(rendered, (*BINARY_TASKS, "enabled-plugins"))[-3:] == ["pytorch", "mpi", "ray"]
    assert [r["resources"] for r in rendered["rbac"]["extraRules"]] == [["pytorchjobs"], ["mpijobs"], ["rayjobs"]]


def test_a_plugin_removed_from_the_answers_leaves_no_stale_key_in_the_values_file(tmp_path: Path) -> None:
    from flyte_tui.charts.values_file import write_values_file

    path = tmp_path / "values.yaml"
    for plugins in (["ray", "spark"], []):
        result = validate_answers(core(plugins))
        assert result.plan is not None
        write_values_file(result.plan, path)
    written = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert tree.get(written, CORE_TASKS) in (None, {})
    assert tree.get(written, ("sparkoperator", "enabled")) is True  # a key users write themselves: kept


HELM = pytest.mark.parametrize("helm", helm_binaries())


@HELM
def test_helm_template_flyte_core_propeller_config_holds_the_plugins(helm: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, FIXTURE_CHART, core(["ray", "pytorch", "connector"]), tmp_path)
    assert code == 0, err
    (enabled,) = config_files(docs, "enabled_plugins.yaml")
    tasks = enabled["tasks"]["task-plugins"]
    assert tasks["enabled-plugins"] == [*CHART_DEFAULT_PLUGINS, "ray", "pytorch"]
    assert tasks["default-for-task-types"] == {
        "container": "container",
        "sidecar": "sidecar",
        "container_array": "k8s-array",
        "ray": "ray",
        "pytorch": "pytorch",
    }
    (connector,) = config_files(docs, "connector_service.yaml")
    assert connector["plugins"]["connector-service"]["defaultConnector"]["endpoint"].startswith("k8s://flyteconnector.")


@HELM
def test_helm_template_flyte_binary_config_and_cluster_role_hold_the_plugins(helm: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, BINARY_CHART, on_binary(["dask", "spark"]), tmp_path)
    assert code == 0, err
    data = objects(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    tasks = YAML(typ="safe").load(data["001-plugins.yaml"])["tasks"]["task-plugins"]
    assert tasks["enabled-plugins"] == [*CHART_DEFAULT_PLUGINS, "dask", "spark"]
    assert tasks["default-for-task-types"]["dask"] == "dask" and tasks["default-for-task-types"]["spark"] == "spark"
    assert tasks["default-for-task-types"]["container_array"] == "k8s-array"
    inline = YAML(typ="safe").load(data["100-inline-config.yaml"])
    assert inline["plugins"]["spark"]["spark-config-default"]
    (role,) = objects(docs, "ClusterRole").values()
    groups = {g: r["resources"] for r in role["rules"] for g in r["apiGroups"]}
    assert groups["kubernetes.dask.org"] == ["daskjobs"] and groups["sparkoperator.k8s.io"] == ["sparkapplications"]
    assert groups["flyte.lyft.com"] == ["flyteworkflows"]  # the chart's own rules are kept
