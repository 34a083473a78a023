"""The fixture chart tests/charts/flyte-core renders the objects, names and labels of the real flyte-core
(FLYTE-CHART.md §4), reads the same values keys, and refuses what the real chart refuses. helm 3 and 4."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

CHART = Path(__file__).resolve().parent / "charts" / "flyte-core"
CACHE = Path(os.environ.get("FLYTE_TUI_E2E_CACHE") or Path.home() / ".cache" / "flyte-tui-e2e")

Doc = dict[str, Any]


@pytest.fixture(params=["helm3", "helm4"])
def helm(request: pytest.FixtureRequest) -> Path:
    path = CACHE / "helm" / "bin" / str(request.param)
    if not os.access(path, os.X_OK):
        reason = f"{request.param} not installed; run tests/cluster/install-helm"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def render(helm: Path, tmp_path: Path, values: dict[str, Any] | None = None) -> tuple[int, str, list[Doc]]:
    vfile = tmp_path / "values.json"
    vfile.write_text(json.dumps(values or {}))
    env = {**os.environ, "HELM_CACHE_HOME": str(tmp_path / "c"), "HELM_CONFIG_HOME": str(tmp_path / "g"),
           "HELM_DATA_HOME": str(tmp_path / "d")}  # fmt: skip
    proc = subprocess.run(
        [str(helm), "template", "flyte", str(CHART), "-n", "flyte", "-f", str(vfile)],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    docs = [d for d in YAML(typ="safe").load_all(proc.stdout) if d] if proc.returncode == 0 else []
    return proc.returncode, proc.stderr, docs


def by_kind(docs: list[Doc], kind: str) -> dict[str, Doc]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_objects_names_and_labels(helm: Path, tmp_path: Path) -> None:
    rc, err, docs = render(helm, tmp_path, {"workflow_scheduler": {"enabled": True, "type": "native"}})
    assert rc == 0, err
    deployments = by_kind(docs, "Deployment")
    assert set(deployments) == {"flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler",
                                "syncresources", "flyte-pod-webhook"}  # fmt: skip
    inits = {n: [c["name"] for c in d["spec"]["template"]["spec"].get("initContainers", [])]
             for n, d in deployments.items()}  # fmt: skip
    assert inits["flyteadmin"] == ["run-migrations", "seed-projects", "sync-cluster-resources", "generate-secrets"]
    assert inits["datacatalog"] == ["run-migrations"]
    assert inits["flytescheduler"] == ["flytescheduler-check"]
    assert inits["flyte-pod-webhook"] == ["generate-secrets"]
    for name in ("flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler"):
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert labels == {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": "flyte",
                          "helm.sh/chart": "flyte-core-v1.16.8", "app.kubernetes.io/managed-by": "Helm"}  # fmt: skip
        assert deployments[name]["spec"]["selector"]["matchLabels"] == {
            "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "flyte"}  # fmt: skip
    sync = deployments["syncresources"]["spec"]["template"]["metadata"]["labels"]
    assert sync["app.kubernetes.io/name"] == "flyteclusterresourcesync"
    hook = deployments["flyte-pod-webhook"]
    assert hook["spec"]["selector"]["matchLabels"] == {"app": "flyte-pod-webhook"}
    hook_labels = hook["spec"]["template"]["metadata"]["labels"]
    assert hook_labels["app.kubernetes.io/name"] == "flyte-pod-webhook"
    assert "app.kubernetes.io/instance" not in hook_labels
    assert set(by_kind(docs, "Service")) == {"flyteadmin", "datacatalog", "flyteconsole", "flyte-pod-webhook"}
    assert by_kind(docs, "Service")["datacatalog"]["spec"]["type"] == "NodePort"
    assert set(by_kind(docs, "ServiceAccount")) == {"flyteadmin", "datacatalog", "flytepropeller", "flytescheduler",
                                                     "flyte-pod-webhook"}  # fmt: skip
    assert {"flyte-admin-base-config", "flyte-admin-clusters-config", "datacatalog-config", "flyte-propeller-config",
            "flyte-console-config", "flyte-scheduler-config", "clusterresource-template",
            "flyte-clusterresourcesync-config"} == set(by_kind(docs, "ConfigMap"))  # fmt: skip
    assert set(by_kind(docs, "Secret")) == {"flyte-admin-secrets", "flyte-pod-webhook", "flyte-secret-auth"}
    assert set(by_kind(docs, "Ingress")) == {"flyte-core"}
    assert set(by_kind(docs, "CustomResourceDefinition")) == {"flyteworkflows.flyte.lyft.com"}
    assert "flyte-flyteadmin" in by_kind(docs, "ClusterRole")
    # as in flyte-core: no labels on these two, and the propeller's config files
    assert "labels" not in by_kind(docs, "CustomResourceDefinition")["flyteworkflows.flyte.lyft.com"]["metadata"]
    assert "labels" not in by_kind(docs, "Secret")["flyte-admin-secrets"]["metadata"]
    assert set(by_kind(docs, "ConfigMap")["flyte-propeller-config"]["data"]) == {
        "admin.yaml", "catalog.yaml", "copilot.yaml", "core.yaml", "enabled_plugins.yaml", "k8s.yaml", "otel.yaml",
        "resource_manager.yaml", "storage.yaml", "task_logs.yaml"}  # fmt: skip
    core = YAML(typ="safe").load(by_kind(docs, "ConfigMap")["flyte-propeller-config"]["data"]["core.yaml"])
    assert core["propeller"]["rawoutput-prefix"] == "s3://my-s3-bucket/"
    assert core["propeller"]["leader-election"]["lock-config-map"]["namespace"] == "flyte"


def test_values_keys_reach_the_objects(helm: Path, tmp_path: Path) -> None:
    values = {
        "flyteadmin": {"replicaCount": 2, "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:x"}},
                       "podLabels": {"sim.kwok.test/fault": "crashloop"}, "priorityClassName": "high",
                       "nodeSelector": {"disktype": "ssd"}, "initialProjects": []},
        "storage": {"type": "s3", "bucketName": "b", "s3": {"region": "eu-west-1", "authType": "iam"}},
        "db": {"admin": {"database": {"host": "rds", "passwordPath": "/etc/db/pass.txt"}}},
        "common": {"databaseSecret": {"name": "db-pass", "secretManifest": {
            "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db-pass"}, "stringData": {"pass.txt": "x"}}},
            "ingress": {"separateGrpcIngress": True, "host": "flyte.example.com", "ingressClassName": "nginx",
                        "tls": {"enabled": True}}},
    }  # fmt: skip
    rc, err, docs = render(helm, tmp_path, values)
    assert rc == 0, err
    admin = by_kind(docs, "Deployment")["flyteadmin"]
    pod = admin["spec"]["template"]
    assert admin["spec"]["replicas"] == 2
    assert pod["metadata"]["labels"]["sim.kwok.test/fault"] == "crashloop"
    assert pod["spec"]["priorityClassName"] == "high"
    assert pod["spec"]["nodeSelector"] == {"disktype": "ssd"}
    assert "seed-projects" not in [c["name"] for c in pod["spec"]["initContainers"]]
    for c in pod["spec"]["initContainers"][:1] + pod["spec"]["containers"]:
        assert {"name": "db-pass", "mountPath": "/etc/db"} in c["volumeMounts"]
    assert by_kind(docs, "ServiceAccount")["flyteadmin"]["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:x"}  # fmt: skip
    assert "db-pass" in by_kind(docs, "Secret")
    base = by_kind(docs, "ConfigMap")["flyte-admin-base-config"]["data"]
    storage = YAML(typ="safe").load(base["storage.yaml"])["storage"]
    assert storage["type"] == "s3" and storage["connection"]["region"] == "eu-west-1"
    assert YAML(typ="safe").load(base["db.yaml"])["database"]["host"] == "rds"
    ingresses = by_kind(docs, "Ingress")
    assert set(ingresses) == {"flyte-core", "flyte-core-grpc"}
    grpc = ingresses["flyte-core-grpc"]
    assert grpc["metadata"]["annotations"]["nginx.ingress.kubernetes.io/backend-protocol"] == "GRPC"
    assert grpc["spec"]["ingressClassName"] == "nginx"
    assert grpc["spec"]["rules"][0]["host"] == "flyte.example.com"
    assert ingresses["flyte-core"]["spec"]["tls"][0]["secretName"] == "flyte-flyte-tls"


def test_storage_secret_keeps_storage_out_of_configmaps(helm: Path, tmp_path: Path) -> None:
    rc, err, docs = render(helm, tmp_path, {"storage": {"secretName": "flyte-storage"}})
    assert rc == 0, err
    for cm in by_kind(docs, "ConfigMap").values():
        assert "storage.yaml" not in cm.get("data", {})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"flyteadmin": {"serviceAccount": {"createClusterRole": False}}}, "createClusterRole"),
        ({"flyteadmin": {"serviceAccount": {"clusterRole": "x"}}}, "clusterRole"),
        ({"flyteadmin": {"serviceAccount": {"rbacScope": "everywhere"}}}, "rbacScope"),
        ({"storage": {"type": "gcs"}}, "storage.gcs.projectId"),
    ],
)
def test_refuses_what_the_real_chart_refuses(helm: Path, tmp_path: Path, values: dict[str, Any], message: str) -> None:
    rc, err, _ = render(helm, tmp_path, values)
    assert rc != 0
    assert message in err
