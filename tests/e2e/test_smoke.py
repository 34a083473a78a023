"""Smoke test: the fixture chart installs from the loopback repo with helm 3 and helm 4, every pod gets Ready."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import k8s_helpers as kh
import pytest
import testbed as tb

pytestmark = pytest.mark.e2e

DEPLOYMENTS = {"flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "syncresources", "flyte-pod-webhook"}


def test_api_server_reports_a_real_semver(testbed: tb.TestBed) -> None:
    version = json.loads(testbed.kubectl_run("version", "-o", "json").stdout)
    assert version["serverVersion"]["gitVersion"] == tb.KUBE_VERSION
    assert version["clientVersion"]["gitVersion"] == tb.KUBE_VERSION


def test_fake_nodes_are_ready_with_realistic_capacity(testbed: tb.TestBed) -> None:
    nodes = kh.kjson(testbed, "get", "nodes")["items"]
    assert {n["metadata"]["name"] for n in nodes} == set(tb.NODES)
    for n in nodes:
        assert kh.condition(n, "Ready") == "True"
        assert n["status"]["allocatable"]["cpu"] == tb.NODES[n["metadata"]["name"]][0]


def test_install_from_loopback_repo_all_pods_ready(testbed: tb.TestBed, namespace: str, helm_bin: Path) -> None:
    out = kh.helm(testbed, helm_bin, "search", "repo", f"{tb.REPO_NAME}/flyte-core", "--versions", "-o", "json")
    assert {c["version"] for c in json.loads(out)} == set(tb.FIXTURE_CHART_VERSIONS)

    kh.helm(
        testbed, helm_bin, "upgrade", "--install", "flyte", f"{tb.REPO_NAME}/flyte-core",
        "--version", "v1.16.8", "-n", namespace, "--wait", "--timeout", "120s",
        "--set", "workflow_scheduler.enabled=true", "--set", "workflow_scheduler.type=native",
    )  # fmt: skip

    deployments = kh.kjson(testbed, "get", "deployments", "-n", namespace)["items"]
    assert {d["metadata"]["name"] for d in deployments} == DEPLOYMENTS | {"flytescheduler"}
    for d in deployments:
        assert d["status"].get("readyReplicas") == d["spec"]["replicas"], d["metadata"]["name"]

    pods = kh.pods(testbed, namespace)
    assert len(pods) == len(DEPLOYMENTS) + 1
    for p in pods:
        assert p["status"]["phase"] == "Running"
        assert kh.is_ready(p), p["metadata"]["name"]
        for s in p["status"].get("initContainerStatuses", []):
            assert s["state"]["terminated"]["reason"] == "Completed"
        assert p["spec"]["nodeName"] in tb.NODES

    admin = kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteadmin")[0]
    assert [c["name"] for c in admin["spec"]["initContainers"]] == [
        "run-migrations", "seed-projects", "sync-cluster-resources", "generate-secrets",
    ]  # fmt: skip
    assert admin["metadata"]["labels"]["app.kubernetes.io/instance"] == "flyte"
    assert admin["metadata"]["labels"]["helm.sh/chart"] == "flyte-core-v1.16.8"
    assert admin["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    webhook = kh.pods(testbed, namespace, "app=flyte-pod-webhook")[0]
    assert webhook["metadata"]["labels"]["app.kubernetes.io/name"] == "flyte-pod-webhook"
    assert "app.kubernetes.io/instance" not in webhook["metadata"]["labels"]
    testbed.kubectl_run("get", "crd", "flyteworkflows.flyte.lyft.com")


def test_pod_delay_is_configurable_per_pod(testbed: tb.TestBed, namespace: str) -> None:
    """Each kwok step waits the bed's delay, or the pod annotation `sim.kwok.test/delay` (a Go duration)."""
    kh.apply(testbed, namespace, kh.pod_manifest("slow", annotations={"sim.kwok.test/delay": "2s"}))
    kh.apply(testbed, namespace, kh.pod_manifest("quick"))

    def ready(name: str) -> kh.Json | None:
        pod = kh.kjson(testbed, "get", "pod", name, "-n", namespace)
        return pod if kh.is_ready(pod) else None

    kh.wait_for("quick Ready", lambda: ready("quick"))
    assert ready("slow") is None
    slow = kh.wait_for("slow Ready", lambda: ready("slow"), timeout=30)
    start = datetime.fromisoformat(slow["metadata"]["creationTimestamp"])
    became_ready = datetime.fromisoformat(
        next(c["lastTransitionTime"] for c in slow["status"]["conditions"] if c["type"] == "Ready")
    )
    # create, init running, init completed, ready: four steps of 2 s
    assert (became_ready - start).total_seconds() >= 7
