"""The doctor across clusters on the captured test-bed snapshot: with data planes in the answers (or clusterConfigs
in the values) the credentials Secret's keys, each link as gathering found it, the mounts in flyteadmin and its
cluster-sync init container, project namespaces per data plane and labelClusterMap; every check skips with its
reason without data planes."""

from __future__ import annotations

from typing import Any

import pytest
from doctor_scenarios import load, run

from flyte_tui.charts import validate_answers
from flyte_tui.doctor.checks.clusters import DATA_PLANES, data_planes
from flyte_tui.doctor.checks.config import project_namespaces
from flyte_tui.doctor.snapshot import SecretInfo, Snapshot
from flyte_tui.model.plan import InstallPlan

CHECKS = ("clusters.credentials", "clusters.links", "clusters.mounts", "clusters.namespaces", "clusters.labels")
KEYS = ("east_token", "east_cacert", "west_token", "west_cacert")
PROJECTS = project_namespaces(load("deployed"))
"""The release's seeded projects × its domains (flytesnacks-development …)."""


def plan() -> InstallPlan:
    planes = [{"name": n, "context": f"ctx-{n}", "endpoint": f"https://{n}.example:6443", "labels": [n]}
              for n in ("east", "west")]  # fmt: skip
    data = {"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "sandbox", "dataPlanes": planes}
    result = validate_answers(data)
    assert result.plan is not None, result.errors
    return result.plan


def answered(name: str, problem: dict[str, str] | None = None, namespaces: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "endpoint": f"https://{name}.example:6443", "problem": problem, "namespaces": namespaces}


def mount_credentials(snap: Snapshot, *, init: bool = True, admin: bool = True) -> None:
    deployment = snap.named("deployments", "flyteadmin")
    assert deployment is not None
    spec = deployment["spec"]["template"]["spec"]
    spec["volumes"].append({"name": "cluster-secrets", "secret": {"secretName": "cluster-credentials"}})
    mount = {"name": "cluster-secrets", "mountPath": "/var/run/credentials"}
    for kind, name, wanted in (("containers", "flyteadmin", admin), ("initContainers", "sync-cluster-resources", init)):
        if wanted:
            container = next(c for c in spec[kind] if c["name"] == name)
            container.setdefault("volumeMounts", []).append(mount)


def linked(**changes: Any) -> Snapshot:
    """The deployed snapshot as a healthy two-data-plane install leaves it."""
    snap = load("deployed", plan=plan())
    snap.secrets["cluster-credentials"] = SecretInfo("cluster-credentials", "Opaque", KEYS)
    snap.objects[DATA_PLANES] = [answered("east", namespaces=PROJECTS), answered("west", namespaces=PROJECTS)]
    mount_credentials(snap)
    snap.values["configmap"]["clusters"] = {
        "labelClusterMap": {"east": [{"id": "east", "weight": 1}], "west": [{"id": "west", "weight": 1}]},
        "clusterConfigs": [{"name": n, "endpoint": f"https://{n}.example:6443", "enabled": True}
                           for n in ("east", "west")],
    }  # fmt: skip
    return snap


def test_every_cluster_check_skips_with_one_cluster() -> None:
    snap = load("deployed")
    for check_id in CHECKS:
        finding = run(snap, check_id)
        assert finding.severity == "skip" and "one cluster" in finding.summary, (check_id, finding.summary)


def test_every_cluster_check_passes_on_a_healthy_install() -> None:
    snap = linked()
    for check_id in CHECKS:
        finding = run(snap, check_id)
        assert finding.severity == "pass", (check_id, finding.summary)


def test_without_answers_the_data_planes_come_from_the_release_values() -> None:
    snap = linked()
    snap.target = load("deployed").target
    snap.values["configmap"]["clusters"]["clusterConfigs"] += [
        {"name": "off", "endpoint": "https://off.example:6443", "enabled": False},
        {"name": "control", "inCluster": True, "enabled": True},
    ]
    assert data_planes(snap) == [("east", "https://east.example:6443"), ("west", "https://west.example:6443")]
    assert run(snap, "clusters.credentials").severity == "pass"


def test_a_missing_key_fails_naming_it() -> None:
    snap = linked()
    snap.secrets["cluster-credentials"] = SecretInfo("cluster-credentials", "Opaque", KEYS[:3])
    finding = run(snap, "clusters.credentials")
    assert finding.severity == "fail" and "west_cacert" in finding.summary and "panics" in finding.summary
    assert finding.fix and finding.commands
    del snap.secrets["cluster-credentials"]
    assert "does not exist" in run(snap, "clusters.credentials").summary


def test_a_broken_link_fails_naming_the_data_plane_and_its_key() -> None:
    snap = linked()
    problem = {"key": "west_token", "summary": "data plane west: the API server refuses the token in key west_token",
               "fix": "run flyte-tui upgrade"}  # fmt: skip
    snap.objects[DATA_PLANES][1] = answered("west", problem)
    finding = run(snap, "clusters.links")
    assert finding.severity == "fail" and finding.summary == problem["summary"]
    assert finding.evidence == ("Secret cluster-credentials key west_token",) and finding.fix == problem["fix"]
    # its namespaces could not be listed: the namespace check says so and judges east alone
    namespaces = run(snap, "clusters.namespaces")
    assert namespaces.severity == "pass" and "west not listed" in namespaces.summary


def test_an_unread_credentials_secret_skips_the_link_checks() -> None:
    snap = linked()
    del snap.objects[DATA_PLANES]
    snap.errors[DATA_PLANES] = "Forbidden"
    for check_id in ("clusters.links", "clusters.namespaces"):
        finding = run(snap, check_id)
        assert finding.severity == "skip" and "Forbidden" in finding.summary


@pytest.mark.parametrize(
    ("admin", "init", "named"),
    [(True, False, "init container sync-cluster-resources"), (False, True, "container flyteadmin")],
)
def test_a_missing_mount_fails_naming_the_container(admin: bool, init: bool, named: str) -> None:
    snap = linked()
    deployment = snap.named("deployments", "flyteadmin")
    assert deployment is not None
    snap.objects["deployments"].remove(deployment)
    fresh = load("deployed").named("deployments", "flyteadmin")
    assert fresh is not None
    snap.objects["deployments"].append(fresh)
    mount_credentials(snap, admin=admin, init=init)
    finding = run(snap, "clusters.mounts")
    assert finding.severity == "fail" and named in finding.summary, finding.summary
    assert ("flyteadmin" in finding.summary) and "panics" in finding.summary


def test_no_credentials_volume_fails_the_mounts() -> None:
    snap = load("deployed", plan=plan())
    finding = run(snap, "clusters.mounts")
    assert finding.severity == "fail" and "no volume of Secret cluster-credentials" in finding.summary


def test_missing_project_namespaces_on_a_data_plane_warn() -> None:
    snap = linked()
    snap.objects[DATA_PLANES][0] = answered("east", namespaces=[n for n in PROJECTS if n != "flytesnacks-staging"])
    finding = run(snap, "clusters.namespaces")
    assert finding.severity == "warn"
    assert finding.summary == "project namespaces missing: east: flytesnacks-staging"


def test_a_label_naming_a_disabled_or_unknown_cluster_fails() -> None:
    snap = linked()
    clusters = snap.values["configmap"]["clusters"]
    clusters["labelClusterMap"]["gpu"] = [{"id": "gone", "weight": 1}]
    clusters["clusterConfigs"][1]["enabled"] = False
    clusters["defaultExecutionLabel"] = "nowhere"
    finding = run(snap, "clusters.labels")
    assert finding.severity == "fail"
    for words in ("west → west", "gpu → gone", "defaultExecutionLabel nowhere"):
        assert words in finding.summary, finding.summary
    assert finding.answer == "dataPlanes"
