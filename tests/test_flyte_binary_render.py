"""flyte-binary values rendered from the answers of every preset: each answer lands on the key flyte-binary
reads, only where it differs from the chart's defaults, and no secret is ever in the values."""

from __future__ import annotations

from typing import Any

import pytest

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.values_file import render_text
from flyte_tui.files.yamlio import load_plain
from flyte_tui.model.plan import InstallPlan
from flyte_tui.presets import PRESET_NAMES
from tests.conftest import set_path
from tests.test_flyte_binary_choice import binary


def plan_of(answers: dict[str, Any]) -> InstallPlan:
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def values_of(answers: dict[str, Any]) -> dict[str, Any]:
    release = flyte_release(plan_releases(plan_of(answers)))
    return release.values


def inline(values: dict[str, Any]) -> dict[str, Any]:
    return values["configuration"]["inline"]


@pytest.mark.parametrize("env", PRESET_NAMES)
def test_every_preset_renders_database_task_defaults_and_quotas(env: str) -> None:
    answers = binary(env)
    values = values_of(answers)
    plan = plan_of(answers)
    db = values["configuration"]["database"]
    assert db["host"] == plan.database.host and db["dbname"] == plan.database.admin_database
    assert "password" not in db
    if plan.database.password_secret is not None:
        ref = plan.database.password_secret
        assert db["passwordPath"] == f"/etc/db/{ref.key}"
        [volume] = values["deployment"]["extraVolumes"]
        assert volume["secret"] == {"secretName": ref.name}
        [mount] = values["deployment"]["extraVolumeMounts"]
        assert (mount["name"], mount["mountPath"]) == (volume["name"], "/etc/db")
    td = plan.resources.task_defaults
    assert inline(values)["task_resources"]["defaults"] == td.requests.items()
    assert inline(values)["task_resources"]["limits"] == td.limits.items()
    custom = {k: v for entry in inline(values)["cluster_resources"]["customData"] for k, v in entry.items()}
    assert set(custom) == set(plan.projects.domains)
    for domain, quota in plan.projects.quotas.items():
        assert {"projectQuotaCpu": {"value": quota.cpu}} in custom[domain]
        assert {"projectQuotaMemory": {"value": quota.memory}} in custom[domain]
    templates = values["clusterResourceTemplates"]["inline"]
    assert "kind: Namespace" in templates["001_namespace.yaml"]  # the chart's default template is replaced
    assert "limits.cpu: '{{ projectQuotaCpu }}'" in templates["003_resourcequota.yaml"]
    text = render_text(plan_of(answers))
    assert "hunter2" not in text and "password:" not in text


def test_eks_s3_irsa_and_alb() -> None:
    values = values_of(binary("eks"))
    storage = values["configuration"]["storage"]
    assert storage == {
        "providerConfig": {"s3": {"region": "us-east-2"}},
        "metadataContainer": "acme-flyte-meta",
        "userDataContainer": "acme-flyte-data",
    }
    assert values["serviceAccount"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/flyte-system"
    }
    ingress = values["ingress"]
    assert (ingress["create"], ingress["ingressClassName"], ingress["host"]) == (True, "alb", "flyte.acme.com")
    assert "separateGrpcIngress" not in ingress  # the chart's default: a separate gRPC Ingress
    common = ingress["commonAnnotations"]
    assert common["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
    assert ingress["grpcAnnotations"] == {"alb.ingress.kubernetes.io/backend-protocol-version": "GRPC"}
    assert "tls" not in ingress  # the ALB terminates TLS with the ACM certificate
    custom = inline(values)["cluster_resources"]["customData"]
    assert all({"defaultIamRole": {"value": "arn:aws:iam::123456789012:role/flyte-tasks"}} in e[d] for e in custom
               for d in e)  # fmt: skip
    sa = values["clusterResourceTemplates"]["inline"]["002_serviceaccount.yaml"]
    assert "eks.amazonaws.com/role-arn: '{{ defaultIamRole }}'" in sa


def test_gke_gcs_workload_identity_and_nginx_tls() -> None:
    values = values_of(binary("gke"))
    storage = values["configuration"]["storage"]
    assert storage["provider"] == "gcs" and storage["providerConfig"] == {"gcs": {"project": "acme-prod-123"}}
    assert storage["metadataContainer"] == storage["userDataContainer"] == "acme-flyte-meta"
    assert values["serviceAccount"]["annotations"] == {
        "iam.gke.io/gcp-service-account": "flyte-admin@acme-prod-123.iam.gserviceaccount.com"
    }
    ingress = values["ingress"]
    assert ingress["ingressClassName"] == "nginx"
    assert ingress["tls"] == [{"secretName": "flyte-tls", "hosts": ["flyte.acme.dev"]}]
    assert ingress["grpcAnnotations"] == {"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"}
    assert ingress["commonAnnotations"] == {"nginx.ingress.kubernetes.io/ssl-redirect": "true"}
    sa = values["clusterResourceTemplates"]["inline"]["002_serviceaccount.yaml"]
    assert "iam.gke.io/gcp-service-account: '{{ defaultIamServiceAccount }}'" in sa  # as gke-starter.yaml


def test_generic_access_keys_come_from_the_secret_never_the_values() -> None:
    values = values_of(binary("generic"))
    storage = values["configuration"]["storage"]
    assert storage["providerConfig"]["s3"] == {"endpoint": "https://minio.storage.example.com"}
    assert values["configuration"]["inlineSecretRef"] == "flyte-storage"
    text = render_text(plan_of(binary("generic")))
    assert "accessKey" not in text and "secretKey" not in text


def test_sandbox_minio_and_contour_on_one_ingress() -> None:
    values = values_of(binary("sandbox"))
    s3 = values["configuration"]["storage"]["providerConfig"]["s3"]
    assert s3["endpoint"] == "http://minio.flyte.svc.cluster.local:9000" and s3["disableSSL"] is True
    assert values["configuration"]["database"] == {"host": "postgres", "dbname": "flyteadmin"}
    assert "deployment" not in values  # no password Secret: nothing mounted
    assert values["ingress"] == {"create": True, "ingressClassName": "contour", "separateGrpcIngress": False}
    assert values["service"] == {"httpAnnotations": {"projectcontour.io/upstream-protocol.h2c": "grpc"}}


def test_answers_equal_to_the_chart_defaults_write_nothing() -> None:
    answers = binary("generic")
    answers["ingress"] = {"enabled": False}
    answers["resources"] = {"taskDefaults": {"requests": {"cpu": "2", "memory": "200Mi"},
                                             "limits": {"cpu": "2", "memory": "1Gi", "gpu": "1"}}}  # fmt: skip
    answers["database"] = {"host": "127.0.0.1", "username": "postgres", "adminDatabase": "flyte",
                           "sslMode": "disable", "passwordSecret": None}  # fmt: skip
    values = values_of(answers)
    assert "ingress" not in values
    assert set(values["clusterResourceTemplates"]["inline"]) == {"001_namespace.yaml", "003_resourcequota.yaml"}
    assert set(inline(values)) == {"cluster_resources"}  # the preset's quotas only: no domains, task defaults
    assert "database" not in values["configuration"]
    assert "deployment" not in values
    assert "flyte-core-components" not in values


def test_resources_domains_and_seed_projects() -> None:
    answers = binary("generic")
    set_path(answers, "resources.components.flyte-binary", {"requests": {"cpu": "1", "memory": "2Gi"},
                                                              "limits": {"memory": "4Gi"}})  # fmt: skip
    answers["projects"] = {
        "domains": ["development", "production"],
        "quotas": {"development": {"cpu": "4", "memory": "8Gi"}, "production": {"cpu": "8", "memory": "16Gi"}},
        "initialProjects": ["ml", "etl"],
    }
    values = values_of(answers)
    assert values["deployment"]["resources"] == {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"memory": "4Gi"}}
    assert inline(values)["domains"] == [{"id": "development", "name": "development"},
                                         {"id": "production", "name": "production"}]  # fmt: skip
    admin = values["flyte-core-components"]["admin"]
    assert admin["seedProjects"] == ["ml", "etl"]
    assert [p["name"] for p in admin["seedProjectsWithDetails"]] == ["ml", "etl"]


def test_custom_storage_goes_inline_with_its_provider() -> None:
    answers = binary("generic")
    answers["storage"] = {
        "type": "custom",
        "custom": {"type": "stow", "container": "blobs", "stow": {"kind": "azure", "config": {"account": "acme"}}},
    }
    values = values_of(answers)
    storage = values["configuration"]["storage"]
    assert storage["provider"] == "azure" and storage["providerConfig"] == {"azure": {"account": "acme"}}
    assert storage["metadataContainer"] == "blobs"
    assert inline(values)["storage"]["stow"]["kind"] == "azure"


def test_extra_values_merge_last_and_keep_the_password_volume() -> None:
    answers = binary("generic")
    answers["extraValues"] = {
        "deployment": {"extraVolumes": [{"name": "certs", "configMap": {"name": "ca"}}]},
        "configuration": {"logging": {"level": 4}},
    }
    values = values_of(answers)
    assert [v["name"] for v in values["deployment"]["extraVolumes"]] == ["db-password", "certs"]
    assert values["configuration"]["logging"] == {"level": 4}


def test_merge_into_an_existing_values_file_keeps_comments_and_unknown_keys() -> None:
    first = binary("gke")
    existing = render_text(plan_of(first))
    edited = existing.replace("ingress:\n", "# my own note about the ingress\ningress:\n", 1)
    edited = edited.replace("deployment:\n", "deployment:\n  podLabels:\n    team: ml  # who runs it\n", 1)
    second = binary("gke")
    second["ingress"] = {"controller": "contour", "host": "", "tls": {"enabled": False}}
    merged = render_text(plan_of(second), existing=edited)
    assert "# my own note about the ingress" in merged and "team: ml  # who runs it" in merged
    data = load_plain(merged)
    assert "host" not in data["ingress"] and "tls" not in data["ingress"]  # stale answers removed
    assert data["deployment"]["podLabels"] == {"team": "ml"}
    assert data["deployment"]["extraVolumes"][0]["name"] == "db-password"
    assert "commonAnnotations" not in data["ingress"] and "grpcAnnotations" not in data["ingress"]  # nginx's
    assert data["ingress"]["ingressClassName"] == "contour"
