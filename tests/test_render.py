"""Values rendering: what FLYTE-CHART.md warns about comes out right for every environment."""

from __future__ import annotations

from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.model import InstallPlan
from tests.conftest import set_path


def plan_of(answers: dict[str, Any]) -> InstallPlan:
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def get(tree: dict[str, Any], dotted: str) -> Any:
    node: Any = tree
    for key in dotted.split("|"):
        node = node[key]
    return node


def all_keys(tree: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(tree, dict):
        for k, v in tree.items():
            keys.add(str(k))
            keys |= all_keys(v)
    elif isinstance(tree, list):
        for v in tree:
            keys |= all_keys(v)
    return keys


def test_s3_storage_and_raw_output_bucket(realistic) -> None:
    values = render_values(plan_of(realistic["eks"]))
    assert values["storage"] == {"type": "s3", "bucketName": "acme-flyte-meta", "s3": {"region": "us-east-2"}}
    assert get(values, "configmap|core|propeller|rawoutput-prefix") == "s3://acme-flyte-data/"
    assert get(values, "configmap|remoteData|remoteData|region") == "us-east-2"


def test_gcs_storage_uses_gs_scheme_and_project(realistic) -> None:
    values = render_values(plan_of(realistic["gke"]))
    assert values["storage"] == {"type": "gcs", "bucketName": "acme-flyte-meta", "gcs": {"projectId": "acme-prod-123"}}
    assert get(values, "configmap|core|propeller|rawoutput-prefix") == "gs://acme-flyte-meta/"
    assert get(values, "configmap|remoteData|remoteData|scheme") == "gcs"


def test_accesskey_storage_goes_through_a_secret_and_never_holds_keys(realistic) -> None:
    values = render_values(plan_of(realistic["generic"]))
    storage = values["storage"]
    assert storage["secretName"] == "flyte-storage"
    assert storage["s3"]["authType"] == "accesskey"
    assert storage["s3"]["endpoint"] == "https://minio.storage.example.com"
    assert not {"accessKey", "secretKey", "access-key", "secret-key"} & all_keys(values)


def test_sandbox_renders_minio_env_for_the_release_namespace(realistic) -> None:
    answers = set_path(realistic["sandbox"], "target.namespace", "flyte-dev")
    values = render_values(plan_of(answers))
    env_vars = get(values, "configmap|k8s|plugins|k8s|default-env-vars")
    assert {"FLYTE_AWS_ENDPOINT": "http://minio.flyte-dev.svc.cluster.local:9000"} in env_vars
    assert "storage" not in values  # sandbox + default bucket: the chart's default is right
    assert "db" not in values  # postgres/postgres is the chart's default


def test_custom_storage_is_passed_verbatim(realistic) -> None:
    answers = realistic["generic"]
    for dotted, value in {
        "storage.type": "custom",
        "storage.auth": "iam",
        "storage.credentialsSecret": "",
        "storage.endpoint": "",
        "storage.metadataBucket": "",
        "storage.custom": {
            "type": "stow",
            "container": "blobs",
            "stow": {"kind": "azure", "config": {"account": "acme"}},
        },
    }.items():
        set_path(answers, dotted, value)
    values = render_values(plan_of(answers))
    assert values["storage"]["type"] == "custom"
    assert values["storage"]["custom"]["stow"]["kind"] == "azure"
    assert get(values, "configmap|core|propeller|rawoutput-prefix") == "abfs://blobs/"


def test_database_secret_and_password_path_for_both_databases(realistic) -> None:
    values = render_values(plan_of(realistic["generic"]))
    assert get(values, "common|databaseSecret|name") == "db-pass"
    for component in ("admin", "datacatalog"):
        db = get(values, f"db|{component}|database")
        assert db["passwordPath"] == "/etc/db/password"
        assert db["host"] == "pg.internal.example.com"
        assert db["options"] == "sslmode=prefer"
        assert "password" not in db
    assert "secretManifest" not in values["common"]["databaseSecret"]


def test_eks_irsa_on_control_plane_and_task_namespaces(realistic) -> None:
    values = render_values(plan_of(realistic["eks"]))
    for sa in ("flyteadmin", "datacatalog", "flytepropeller"):
        assert get(values, f"{sa}|serviceAccount|annotations") == {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/flyte-system"
        }
    templates = {t["key"]: t["value"] for t in get(values, "cluster_resource_manager|templates")}
    assert list(templates) == ["aa_namespace", "aab_default_service_account", "ab_project_resource_quota"]
    assert "eks.amazonaws.com/role-arn: {{ defaultIamRole }}" in templates["aab_default_service_account"]
    custom = get(values, "cluster_resource_manager|config|cluster_resources|customData")
    for item in custom:
        (entries,) = item.values()
        assert {"defaultIamRole": {"value": "arn:aws:iam::123456789012:role/flyte-tasks"}} in entries


def test_gke_workload_identity_on_control_plane_and_tasks(realistic) -> None:
    values = render_values(plan_of(realistic["gke"]))
    assert get(values, "datacatalog|serviceAccount|annotations") == {
        "iam.gke.io/gcp-service-account": "flyte-admin@acme-prod-123.iam.gserviceaccount.com"
    }
    templates = {t["key"]: t["value"] for t in get(values, "cluster_resource_manager|templates")}
    assert "iam.gke.io/gcp-service-account: {{ gsa }}" in templates["aab_default_service_account"]


def test_domains_and_custom_data_are_replaced_together(realistic) -> None:
    answers = set_path(realistic["generic"], "projects.domains", ["dev", "prod"])
    set_path(
        answers, "projects.quotas", {"dev": {"cpu": "4", "memory": "8Gi"}, "prod": {"cpu": "16", "memory": "32Gi"}}
    )
    values = render_values(plan_of(answers))
    assert get(values, "configmap|domain|domains") == [{"id": "dev", "name": "dev"}, {"id": "prod", "name": "prod"}]
    custom = get(values, "cluster_resource_manager|config|cluster_resources|customData")
    assert [next(iter(item)) for item in custom] == ["dev", "prod"]
    assert custom[1]["prod"] == [{"projectQuotaCpu": {"value": "16"}}, {"projectQuotaMemory": {"value": "32Gi"}}]


def test_alb_ingress_drops_inherited_nginx_annotations(realistic) -> None:
    values = render_values(plan_of(realistic["eks"]))
    ingress = get(values, "common|ingress")
    assert ingress["ingressClassName"] == "alb"
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/app-root"] is None
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/service-upstream"] is None
    assert ingress["annotations"]["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
    assert ingress["separateGrpcIngress"] is True
    assert ingress["separateGrpcIngressAnnotations"] == {
        "nginx.ingress.kubernetes.io/backend-protocol": None,
        "alb.ingress.kubernetes.io/backend-protocol-version": "GRPC",
    }
    assert ingress["albSSLRedirect"] is True


def test_nginx_ingress_with_tls_and_grpc(realistic) -> None:
    values = render_values(plan_of(realistic["gke"]))
    ingress = get(values, "common|ingress")
    assert ingress["ingressClassName"] == "nginx"
    assert ingress["tls"] == {"enabled": True, "secretName": "flyte-tls"}
    assert ingress["host"] == "flyte.acme.dev"
    assert ingress["separateGrpcIngress"] is True
    assert "separateGrpcIngressAnnotations" not in ingress  # the chart's GRPC default is right for nginx
    assert get(values, "configmap|adminServer|auth|authorizedUris")[0] == "https://flyte.acme.dev"


@pytest.mark.parametrize("controller", ["gce", "contour", "traefik"])
def test_other_controllers_remove_nginx_defaults(realistic, controller) -> None:
    answers = realistic["generic"]
    set_path(answers, "ingress.controller", controller)
    values = render_values(plan_of(answers))
    annotations = get(values, "common|ingress|annotations")
    assert annotations["nginx.ingress.kubernetes.io/app-root"] is None
    if controller == "gce":
        assert annotations["kubernetes.io/ingress.class"] == "gce"
        assert "ingressClassName" not in values["common"]["ingress"]
    else:
        assert values["common"]["ingress"]["ingressClassName"] == controller


def test_disabled_ingress(realistic) -> None:
    answers = set_path(realistic["sandbox"], "ingress", {"enabled": False, "controller": "none"})
    assert get(render_values(plan_of(answers)), "common|ingress") == {"enabled": False}


def test_namespace_other_than_flyte_rewrites_hard_coded_keys(realistic) -> None:
    values = render_values(plan_of(realistic["gke"]))  # namespace flyte-prod
    assert get(values, "configmap|core|propeller|leader-election|lock-config-map|namespace") == "flyte-prod"
    assert "http://flyteadmin.flyte-prod.svc.cluster.local:80" in get(
        values, "configmap|adminServer|auth|authorizedUris"
    )
    endpoint = get(values, "flyteconnector|plugin_config|plugins|connector-service|defaultConnector|endpoint")
    assert endpoint == "k8s://flyteconnector.flyte-prod:8000"


def test_namespace_flyte_needs_no_rewrite(realistic) -> None:
    values = render_values(plan_of(realistic["generic"]))
    assert "leader-election" not in get(values, "configmap|core|propeller") if "core" in values["configmap"] else True
    assert "flyteconnector" not in values


def test_resources_only_what_differs(realistic) -> None:
    values = render_values(plan_of(realistic["eks"]))
    assert get(values, "flytepropeller|replicaCount") == 2
    assert get(values, "flytepropeller|resources") == {
        "requests": {"cpu": "1", "memory": "2Gi"},
        "limits": {"cpu": "1", "memory": "2Gi"},
    }
    task = get(values, "configmap|task_resource_defaults|task_resources")
    assert task["defaults"] == {"cpu": "500m", "memory": "1Gi"}
    assert "webhook" not in values  # not sized: chart defaults stay


def test_scheduler_and_cluster_resource_manager_enabled_for_every_preset(realistic) -> None:
    for answers in realistic.values():
        values = render_values(plan_of(answers))
        assert values["workflow_scheduler"] == {"enabled": True, "type": "native"}
        assert values.get("cluster_resource_manager", {}).get("enabled", True) is True


def test_never_emits_deprecated_rbac_keys(realistic) -> None:
    for answers in realistic.values():
        keys = all_keys(render_values(plan_of(answers)))
        assert "createClusterRole" not in keys and "clusterRole" not in keys


def test_extra_values_merge_last_and_verbatim(realistic) -> None:
    answers = set_path(
        realistic["eks"],
        "extraValues",
        {
            "flyteadmin": {"replicaCount": 5, "podLabels": {"team": "ml"}},
            "common": {"ingress": {"annotations": {"alb.ingress.kubernetes.io/scheme": "internal"}}},
        },
    )
    values = render_values(plan_of(answers))
    assert get(values, "flyteadmin|replicaCount") == 5
    assert get(values, "flyteadmin|podLabels") == {"team": "ml"}
    assert get(values, "common|ingress|annotations|alb.ingress.kubernetes.io/scheme") == "internal"
    assert get(values, "common|ingress|annotations|alb.ingress.kubernetes.io/target-type") == "ip"
