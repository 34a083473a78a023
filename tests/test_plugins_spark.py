"""Spark's data path (NEXT-CAPABILITIES §3.3): with ``plugins: [spark]`` every project namespace gets ServiceAccount
``spark`` (with the task identity's annotation on EKS), Role ``spark-role`` and its RoleBinding from the cluster
resource templates, after the chart's own; flyte-binary's ClusterRole may create them. Real ``helm template``
(3 and 4) of both fixture charts renders them into the templates ConfigMap and the ClusterRole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.model.plugins import SPARK_RESOURCES
from tests.conftest import FIXTURE_CHART, helm_binaries
from tests.test_helm_template import objects, template
from tests.test_helm_template_binary import FIXTURE as BINARY_CHART
from tests.test_plugins import core
from tests.test_plugins_render import on_binary, values

ROLE_ARN = "arn:aws:iam::123456789012:role/flyte-tasks"


def filled(text: str, **variables: str) -> Any:
    """A cluster-resource template as the cluster resource manager applies it: its variables filled in, parsed."""
    for name, value in {"namespace": "flytesnacks-development", **variables}.items():
        text = text.replace("{{ " + name + " }}", value)
    return YAML(typ="safe").load(text)


def by_kind(templates: list[str], **variables: str) -> dict[str, Any]:
    return {obj["kind"]: obj for obj in (filled(t, **variables) for t in templates)}


def check_spark_objects(found: dict[str, Any], annotated: bool) -> None:
    """ServiceAccount spark, Role spark-role on what the driver manages, and the binding of one to the other."""
    account, role, binding = found["ServiceAccount"], found["Role"], found["RoleBinding"]
    annotations = {"annotations": {"eks.amazonaws.com/role-arn": ROLE_ARN}} if annotated else {}
    assert account["metadata"] == {"name": "spark", "namespace": "flytesnacks-development", **annotations}
    assert role["apiVersion"] == "rbac.authorization.k8s.io/v1"  # not v1beta1, gone since Kubernetes 1.22
    assert role["rules"] == [{"apiGroups": [""], "resources": list(SPARK_RESOURCES), "verbs": ["*"]}]
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "spark-role"}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "spark", "namespace": "flytesnacks-development"}]


def test_flyte_core_adds_sparks_templates_after_the_charts_own() -> None:
    templates = values(core(["spark"]))["cluster_resource_manager"]["templates"]
    keys = [t["key"] for t in templates]
    assert keys[0] == "aa_namespace" and keys[-3:] == ["ac_spark_service_account", "ad_spark_role",
                                                       "ae_spark_role_binding"]  # fmt: skip
    assert keys == sorted(keys)  # applied in this order: the namespace first
    spark = [t["value"] for t in templates if "spark" in t["key"]]
    check_spark_objects(by_kind(spark, defaultIamRole=ROLE_ARN), annotated=True)


def test_without_spark_no_spark_template_nor_rule() -> None:
    core_values = values(core(["ray"]))
    templates = (core_values.get("cluster_resource_manager") or {}).get("templates") or []
    assert not [t for t in templates if "spark" in t["key"]]
    binary_values = values(on_binary(["ray"]))
    inline = (binary_values.get("clusterResourceTemplates") or {}).get("inline") or {}
    assert not [name for name in inline if "spark" in name]
    assert all("rbac.authorization.k8s.io" not in r["apiGroups"] for r in binary_values["rbac"]["extraRules"])


def test_flyte_binary_adds_sparks_templates_and_the_rules_to_create_them() -> None:
    rendered = values(on_binary(["spark"]))
    inline = rendered["clusterResourceTemplates"]["inline"]
    assert sorted(inline)[0] == "001_namespace.yaml"  # the chart's default it replaces: kept first
    spark = [text for name, text in inline.items() if "spark" in name]
    check_spark_objects(by_kind(spark, defaultIamRole=ROLE_ARN), annotated=True)
    rules = rendered["rbac"]["extraRules"]
    assert {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings"],
            "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]} in rules  # fmt: skip
    assert {"apiGroups": [""], "resources": list(SPARK_RESOURCES), "verbs": ["*"]} in rules


HELM = pytest.mark.parametrize("helm", helm_binaries())


@HELM
def test_helm_template_flyte_core_templates_config_map_holds_spark(helm: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, FIXTURE_CHART, core(["spark"]), tmp_path)
    assert code == 0, err
    data = objects(docs, "ConfigMap")["clusterresource-template"]["data"]
    assert "aa_namespace.yaml" in data and "ab_project_resource_quota.yaml" in data
    spark = [data[f"{key}.yaml"] for key in ("ac_spark_service_account", "ad_spark_role", "ae_spark_role_binding")]
    check_spark_objects(by_kind(spark, defaultIamRole=ROLE_ARN), annotated=True)


@HELM
def test_helm_template_flyte_binary_templates_and_cluster_role_hold_spark(helm: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, BINARY_CHART, on_binary(["spark"]), tmp_path)
    assert code == 0, err
    data = next(
        cm["data"] for name, cm in objects(docs, "ConfigMap").items() if name.endswith("-cluster-resource-templates")
    )
    assert "001_namespace.yaml" in data
    check_spark_objects(by_kind([v for k, v in data.items() if "spark" in k], defaultIamRole=ROLE_ARN), annotated=True)
    (role,) = objects(docs, "ClusterRole").values()
    rules = {(g, r): set(rule["verbs"]) for rule in role["rules"] for g in rule["apiGroups"] for r in rule["resources"]}
    assert {"create", "patch"} <= rules[("rbac.authorization.k8s.io", "roles")]
    assert {"create", "patch"} <= rules[("rbac.authorization.k8s.io", "rolebindings")]
    assert all(rules[("", r)] == {"*"} for r in ("services", "configmaps", "persistentvolumeclaims"))
