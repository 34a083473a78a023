"""The preflight checks derived from the answers, over plain data (issue 16, part 2): the releases' pods from
their rendered values, capacity arithmetic against nodes, ResourceQuota and LimitRange comparisons, the Kubernetes
version range, the CRD's owner, and how levels become exit codes and skips become warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flyte_tui import exit_codes
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.install import preflight_capacity as capacity
from flyte_tui.install import preflight_cluster as cluster
from flyte_tui.install.preflight_checks import CHECK_IDS, CheckResult, apply_skips, exit_code, refusal
from flyte_tui.model.plan import InstallPlan


def plan(**extra: Any) -> InstallPlan:
    data = {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {"namespace": "flyte", "release": "flyte"},
        "storage": {"metadataBucket": "acme", "endpoint": "https://s3.example.com", "credentialsSecret": "s3"},
        "database": {"host": "db.example.com", "passwordSecret": {"name": "db", "key": "pw"}},
        "ingress": {"host": "flyte.example.com"},
        **extra,
    }
    result = validate_answers(data)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def node(name: str, cpu: str, memory: str, **spec: Any) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": spec, "status": {"allocatable": {"cpu": cpu, "memory": memory}}}


NODES = [node("a", "4", "16Gi"), node("b", "4", "16Gi"), node("c", "8", "32Gi")]
"""The test bed's nodes (tests/cluster/testbed.py NODES)."""


def pod(component: str, replicas: int, cpu: str, memory: str, limits: dict[str, str] | None = None) -> capacity.Pod:
    requests = {"cpu": Decimal(cpu), "memory": Decimal(memory)}
    limited = {k: Decimal(v) for k, v in (limits or {}).items()}
    return capacity.Pod(component, component, "flyte", replicas, requests, limited)


GI = str(2**30)


def test_the_pods_come_from_the_rendered_values_with_the_chart_defaults_where_they_set_none() -> None:
    sized = {"flyteadmin": {"replicas": 3, "requests": {"cpu": "2"}, "limits": {"cpu": "2"}}}
    release = flyte_release(plan_releases(plan(resources={"components": sized})))
    pods = {p.component: p for p in capacity.release_pods(release)}
    assert pods["flyteadmin"].replicas == 3
    assert pods["flyteadmin"].requests == {"cpu": Decimal(2), "memory": 50 * 2**20, "ephemeral-storage": 50 * 2**20}
    assert pods["datacatalog"].requests["cpu"] == Decimal("0.01") and pods["datacatalog"].replicas == 1
    assert pods["flyte-pod-webhook"].requests["cpu"] == Decimal("0.2")


def test_requests_that_fit_the_nodes_pass_with_the_totals() -> None:
    result = capacity.capacity([pod("flyteadmin", 2, "1", GI), pod("datacatalog", 1, "0.5", GI)], NODES)
    assert result.level == "ok"
    assert (
        result.evidence == "the pods request cpu 2500m of 16, memory 3Gi of 64Gi allocatable on 3 schedulable node(s)"
    )


def test_a_total_above_the_allocatable_fails_naming_the_largest_component_and_the_numbers() -> None:
    result = capacity.capacity([pod("flyteadmin", 3, "6", GI), pod("datacatalog", 1, "0.5", GI)], NODES)
    assert result.level == "fail"
    assert "cpu 18500m of 16" in result.evidence
    assert "the largest is flyteadmin (3 × cpu, 18 in all)" in result.evidence


def test_a_pod_larger_than_every_node_fails_even_when_the_sum_fits() -> None:
    result = capacity.capacity([pod("flytepropeller", 1, "9", GI)], NODES)
    assert result.level == "fail"
    assert result.evidence.startswith("one pod of flytepropeller requests cpu 9, memory 1Gi: no node has that much")
    assert "(the largest: cpu 8, memory 32Gi)" in result.evidence


def test_cordoned_and_tainted_nodes_are_not_counted() -> None:
    nodes = [node("a", "4", "16Gi", unschedulable=True), node("b", "4", "16Gi", taints=[{"effect": "NoSchedule"}])]
    assert capacity.capacity([pod("flyteadmin", 1, "1", GI)], nodes).level == "fail"
    nodes.append(node("c", "2", "4Gi"))
    result = capacity.capacity([pod("flyteadmin", 1, "1", GI)], nodes)
    assert result.level == "ok" and "cpu 1 of 2" in result.evidence and "1 schedulable node(s)" in result.evidence


def test_gpu_task_limits_without_gpu_nodes_warn_and_pass_with_one() -> None:
    p = plan(resources={"taskDefaults": {"limits": {"cpu": "2", "memory": "1Gi", "gpu": "2"}}})
    assert capacity.gpu(p, NODES).level == "warn"
    gpu_node = node("g", "8", "32Gi")
    gpu_node["status"]["allocatable"]["nvidia.com/gpu"] = "4"
    assert capacity.gpu(p, [*NODES, gpu_node]).level == "ok"
    none = plan(resources={"taskDefaults": {"limits": {"cpu": "2", "memory": "1Gi", "gpu": "0"}}})
    assert capacity.gpu(none, NODES).level == "ok"


def quota(hard: dict[str, str], used: dict[str, str] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": "q"}, "spec": {"hard": hard}, "status": {"hard": hard, "used": used or {}}}


def test_a_quota_with_room_passes_and_one_without_fails_with_what_is_left() -> None:
    pods = [pod("flyteadmin", 2, "1", GI, {"cpu": "1", "memory": GI})]
    assert capacity.quota(pods, [quota({"requests.cpu": "4", "pods": "10"})], "flyte", False).level == "ok"
    full = capacity.quota(pods, [quota({"requests.cpu": "4"}, {"requests.cpu": "3"})], "flyte", False)
    assert full.level == "fail" and full.evidence == "q leaves requests.cpu 1; the pods need 2"
    # an upgrade: the release's own pods are in "used" already, so only hard counts
    assert capacity.quota(pods, [quota({"requests.cpu": "4"}, {"requests.cpu": "3"})], "flyte", True).level == "ok"
    few = capacity.quota(pods, [quota({"pods": "1"})], "flyte", False)
    assert few.level == "fail" and "allows 1 more pod(s); the install runs 2" in few.evidence


def test_a_quota_on_limits_refuses_pods_that_set_none() -> None:
    result = capacity.quota([pod("flyte-pod-webhook", 1, "0.2", GI)], [quota({"limits.cpu": "8"})], "flyte", False)
    assert result.level == "fail"
    assert "flyte-pod-webhook set(s) no limits.cpu" in result.evidence
    assert "resources.components.flyte-pod-webhook.limits.cpu" in result.fix


def limit_range(kind: str, **bounds: dict[str, str]) -> dict[str, Any]:
    return {"metadata": {"name": "lr"}, "spec": {"limits": [{"type": kind, **bounds}]}}


def test_a_limit_range_max_and_min_against_limits_and_requests() -> None:
    pods = [pod("flyteadmin", 1, "0.5", GI, {"cpu": "2", "memory": GI})]
    assert capacity.limit_range(pods, [limit_range("Container", max={"cpu": "4"})], "flyte").level == "ok"
    high = capacity.limit_range(pods, [limit_range("Container", max={"cpu": "1"})], "flyte")
    assert high.level == "fail" and high.evidence.startswith("flyteadmin asks for cpu 2 above its max 1")
    low = capacity.limit_range(pods, [limit_range("Pod", min={"memory": "2Gi"})], "flyte")
    assert low.level == "fail" and "memory 1Gi below its min 2Gi" in low.evidence
    ignored = capacity.limit_range(pods, [limit_range("PersistentVolumeClaim", max={"storage": "1Gi"})], "flyte")
    assert ignored.level == "ok"


@pytest.mark.parametrize(
    ("server", "constraint", "level"),
    [
        ("v1.36.3", ">= 1.25.0-0", "ok"),
        ("v1.24.9", ">= 1.25.0-0", "fail"),
        ("v1.30.1", ">=1.25, <1.31", "ok"),
        ("v1.32.0", ">=1.25 <1.31 || >= 1.33", "fail"),
        ("v1.30.0+k3s1", "~1.30", "warn"),
        ("v1.18.2", "", "fail"),
        ("v1.19.0", "", "ok"),
    ],
)
def test_the_kubernetes_version_against_the_chart_or_the_floor(server: str, constraint: str, level: str) -> None:
    chart_yaml = f"name: flyte-core\nkubeVersion: {constraint!r}\n" if constraint else "name: flyte-core\n"
    result = cluster.kubernetes_version(server, "flyte-core", chart_yaml)
    assert result.level == level, result
    assert (repr(constraint) if constraint else "flyte-tui's floor >= 1.19") in result.looked_at


def crd(**annotations: str) -> dict[str, Any]:
    return {"metadata": {"name": "flyteworkflows.flyte.lyft.com", "annotations": annotations}}


def test_the_flyteworkflow_crd_is_absent_or_owned_by_this_release() -> None:
    release = flyte_release(plan_releases(plan()))
    assert cluster.crd_owner(release, []).level == "ok"
    ours = crd(**{cluster.RELEASE_NAME: "flyte", cluster.RELEASE_NAMESPACE: "flyte"})
    assert cluster.crd_owner(release, [ours]).level == "ok"
    theirs = cluster.crd_owner(release, [crd(**{cluster.RELEASE_NAME: "flyte", cluster.RELEASE_NAMESPACE: "other"})])
    assert theirs.level == "fail" and "owned by release flyte in namespace other" in theirs.evidence
    assert cluster.crd_owner(release, [crd()]).level == "fail"
    kept = flyte_release(plan_releases(plan(extraValues={"flytepropeller": {"createCRDs": False}})))
    assert cluster.crd_owner(kept, [crd()]).level == "ok"


def test_a_volume_needs_a_default_storage_class() -> None:
    default = {"metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}}
    assert cluster.storage_class(["postgres"], [default]).level == "ok"
    assert cluster.storage_class(["postgres"], [{"metadata": {"name": "slow"}}]).level == "fail"
    assert cluster.storage_class([], []).level == "ok"


def test_levels_become_the_doctors_exit_codes_and_a_skip_a_warning() -> None:
    ok = CheckResult("capacity", "ok", "x", "fits")
    warn = CheckResult("gpu", "warn", "x", "no GPU")
    fail = CheckResult("capacity", "fail", "x", "too big", "add nodes")
    assert exit_code([ok]) == exit_codes.OK
    assert exit_code([ok, warn]) == exit_codes.WARNINGS
    assert exit_code([warn, fail]) == exit_codes.CHECK_FAILED
    [skipped] = apply_skips([fail], ["capacity"])
    assert skipped.level == "warn" and skipped.skipped
    assert skipped.evidence == "skipped by the user (--skip-preflight capacity): too big"
    assert exit_code([skipped]) == exit_codes.WARNINGS
    assert apply_skips([warn], ["gpu"]) == [warn]  # only a failure is turned
    assert refusal(["capacity"]) == ""
    assert refusal(["capacty"]).startswith("--skip-preflight: unknown check capacty; accepted: cluster, chart")
    assert set(CHECK_IDS) >= {"capacity", "gpu", "quota", "limit-range", "kubernetes-version", "crd-owner"}


@pytest.mark.parametrize("command", ["preflight", "install", "upgrade"])
def test_an_unknown_check_to_skip_is_refused_with_the_ids(command: str, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main

    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: generic\n")
    done = CliRunner().invoke(main, [command, "--skip-preflight", "capacty", str(answers)])
    assert done.exit_code == exit_codes.INVALID, done.output
    assert "unknown check capacty; accepted: cluster, chart, can-i" in done.output
    assert "Traceback" not in done.output


def test_preflight_refuses_an_invalid_answers_file_as_validate_does(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main

    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: nowhere\n")
    done = CliRunner().invoke(main, ["preflight", str(answers)])
    assert done.exit_code == exit_codes.INVALID
    assert "environment" in done.output and "nothing checked" in done.output


def test_reach_tries_a_real_tcp_connect_and_warns_when_nothing_answers() -> None:
    import socket
    import threading

    from flyte_tui.install import preflight_reach as reach

    cancel = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        answered = reach.reach("database-reach", "the database", "127.0.0.1", port, "database.host", cancel)
    assert answered.level == "ok" and answered.evidence == "answered"
    closed = reach.reach("database-reach", "the database", "127.0.0.1", port, "database.host", cancel)
    assert closed.level == "warn" and "it may be private to the cluster" in closed.evidence
    assert "fix database.host" in closed.fix
    inside = reach.database_reach(
        plan(database={"host": "postgres.flyte.svc", "passwordSecret": {"name": "d", "key": "k"}}), cancel
    )
    assert inside.level == "ok" and "inside the cluster: not tried" in inside.evidence


def test_the_bucket_endpoint_comes_from_the_storage_answers() -> None:
    from flyte_tui.install.preflight_reach import bucket_endpoint

    assert bucket_endpoint(plan()) == ("s3.example.com", 443, "storage.endpoint")
    local = plan(storage={"metadataBucket": "acme", "endpoint": "http://minio.corp:9000", "credentialsSecret": "s"})
    assert bucket_endpoint(local) == ("minio.corp", 9000, "storage.endpoint")
    aws = plan(storage={"type": "s3", "metadataBucket": "acme", "region": "eu-west-1", "credentialsSecret": "s"})
    assert bucket_endpoint(aws) == ("s3.eu-west-1.amazonaws.com", 443, "storage.region")
