"""Each kwok failure mode shows up in the API exactly as a real kubelet would report it.

A mode is chosen with the pod label ``sim.kwok.test/fault`` (the chart sets it through ``<component>.podLabels``).
"""

from __future__ import annotations

import time

import k8s_helpers as kh
import pytest
import testbed as tb

pytestmark = pytest.mark.e2e

FAULT = tb.FAULT_LABEL


def _pod(bed: tb.TestBed, ns: str, name: str) -> kh.Json:
    return kh.kjson(bed, "get", "pod", name, "-n", ns)


def _status_column(bed: tb.TestBed, ns: str, name: str) -> str:
    """The STATUS column of `kubectl get pod` (kubectl derives it from the status like for a real kubelet)."""
    line = bed.kubectl_run("get", "pod", name, "-n", ns, "--no-headers").stdout.split()
    return line[2]


def _warnings(bed: tb.TestBed, ns: str, name: str) -> list[tuple[str, str]]:
    return [(e["reason"], e["message"]) for e in kh.events(bed, ns, name) if e["type"] == "Warning"]


def test_crashloop(testbed: tb.TestBed, namespace: str) -> None:
    kh.apply(testbed, namespace, kh.pod_manifest("crash", labels={FAULT: "crashloop"}))

    def crashing() -> kh.Json | None:
        p = _pod(testbed, namespace, "crash")
        cs = p["status"].get("containerStatuses", [{}])[0]
        return p if cs.get("restartCount", 0) >= 2 else None

    p = kh.wait_for("restartCount >= 2", crashing, timeout=60)
    assert p["status"]["phase"] == "Running"
    assert kh.condition(p, "Initialized") == "True"
    assert kh.condition(p, "Ready") == "False"
    assert kh.condition(p, "ContainersReady") == "False"
    cs = p["status"]["containerStatuses"][0]
    assert cs["ready"] is False
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert cs["state"]["waiting"]["message"].startswith("back-off ")
    assert "restarting failed container=main pod=crash_" in cs["state"]["waiting"]["message"]
    assert cs["lastState"]["terminated"]["reason"] == "Error"
    assert cs["lastState"]["terminated"]["exitCode"] == 1
    assert [s["state"]["terminated"]["reason"] for s in p["status"]["initContainerStatuses"]] == ["Completed"]
    assert ("BackOff", "Back-off restarting failed container") in _warnings(testbed, namespace, "crash")
    assert _status_column(testbed, namespace, "crash") == "CrashLoopBackOff"
    # it keeps restarting
    n = cs["restartCount"]
    kh.wait_for(
        "restartCount to grow",
        lambda: _pod(testbed, namespace, "crash")["status"]["containerStatuses"][0]["restartCount"] > n,
        timeout=30,
    )


def test_oom_killed(testbed: tb.TestBed, namespace: str) -> None:
    """A container killed for memory, as the kubelet reports it: exit 137, reason OOMKilled, then back-off."""
    manifest = kh.pod_manifest("oom", labels={FAULT: "crashloop"}, annotations={"sim.kwok.test/exit": "oom"})
    kh.apply(testbed, namespace, manifest)

    def restarted() -> kh.Json | None:
        p = _pod(testbed, namespace, "oom")
        cs = p["status"].get("containerStatuses", [{}])[0]
        return p if cs.get("restartCount", 0) >= 2 else None

    p = kh.wait_for("restartCount >= 2", restarted, timeout=60)
    cs = p["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert cs["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert cs["lastState"]["terminated"]["exitCode"] == 137
    assert _status_column(testbed, namespace, "oom") == "CrashLoopBackOff"


def test_imagepull(testbed: tb.TestBed, namespace: str) -> None:
    kh.apply(testbed, namespace, kh.pod_manifest("pull", labels={FAULT: "imagepull"}))

    def backoff() -> kh.Json | None:
        p = _pod(testbed, namespace, "pull")
        cs = p["status"].get("containerStatuses", [{}])[0]
        return p if cs.get("state", {}).get("waiting", {}).get("reason") == "ImagePullBackOff" else None

    p = kh.wait_for("ImagePullBackOff", backoff, timeout=60)
    assert p["status"]["phase"] == "Pending"
    assert kh.condition(p, "Ready") == "False"
    cs = p["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 0
    assert cs["state"]["waiting"]["message"] == 'Back-off pulling image "cr.flyte.org/flyteorg/flyteadmin:v1.16.8"'
    warnings = _warnings(testbed, namespace, "pull")
    assert ("Failed", "Error: ErrImagePull") in warnings
    assert ("Failed", "Error: ImagePullBackOff") in warnings
    assert _status_column(testbed, namespace, "pull") == "ImagePullBackOff"
    # stays that way: the default ready stage must not pick the pod up again
    time.sleep(2)
    p = _pod(testbed, namespace, "pull")
    assert p["status"]["phase"] == "Pending"
    assert p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ImagePullBackOff"


def test_stuck_init_container(testbed: tb.TestBed, namespace: str) -> None:
    inits = ("run-migrations", "seed-projects", "sync-cluster-resources", "generate-secrets")
    kh.apply(testbed, namespace, kh.pod_manifest("stuck", labels={FAULT: "stuckinit"}, init=inits))

    def first_init_running() -> kh.Json | None:
        p = _pod(testbed, namespace, "stuck")
        ics = p["status"].get("initContainerStatuses", [{}])
        return p if "running" in ics[0].get("state", {}) else None

    kh.wait_for("first init container running", first_init_running, timeout=60)
    time.sleep(2)  # and it never finishes
    p = _pod(testbed, namespace, "stuck")
    assert p["status"]["phase"] == "Pending"
    assert kh.condition(p, "Initialized") == "False"
    assert kh.condition(p, "Ready") == "False"
    ics = p["status"]["initContainerStatuses"]
    assert "running" in ics[0]["state"]
    assert [s["state"]["waiting"]["reason"] for s in ics[1:]] == ["PodInitializing"] * 3
    assert p["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "PodInitializing"
    assert _status_column(testbed, namespace, "stuck") == "Init:0/4"
    assert _warnings(testbed, namespace, "stuck") == []  # a running init container raises no Warning


def test_ready_then_crash(testbed: tb.TestBed, namespace: str) -> None:
    kh.apply(testbed, namespace, kh.pod_manifest("flaky", labels={FAULT: "readythencrash"}))
    kh.wait_for("Ready first", lambda: kh.is_ready(_pod(testbed, namespace, "flaky")), timeout=60, interval=0.1)

    def crashed() -> kh.Json | None:
        p = _pod(testbed, namespace, "flaky")
        return p if p["status"]["containerStatuses"][0]["restartCount"] >= 1 else None

    p = kh.wait_for("first crash", crashed, timeout=60)
    assert p["status"]["phase"] == "Running"
    assert kh.condition(p, "Ready") == "False"
    cs = p["status"]["containerStatuses"][0]
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert cs["lastState"]["terminated"]["reason"] == "Error"
    assert cs["lastState"]["terminated"]["exitCode"] == 1
    assert ("BackOff", "Back-off restarting failed container") in _warnings(testbed, namespace, "flaky")


def test_unschedulable_from_the_real_scheduler(testbed: tb.TestBed, namespace: str) -> None:
    kh.apply(testbed, namespace, kh.pod_manifest("huge", cpu="64"))
    kh.apply(testbed, namespace, kh.pod_manifest("picky", node_selector={"disktype": "ssd"}))

    def unschedulable(name: str) -> kh.Json | None:
        p = _pod(testbed, namespace, name)
        return p if kh.condition(p, "PodScheduled") == "False" else None

    for name, why in (("huge", "Insufficient cpu"), ("picky", "didn't match Pod's node affinity/selector")):
        p = kh.wait_for(f"{name} unschedulable", lambda n=name: unschedulable(n), timeout=60)  # type: ignore[misc]
        assert p["status"]["phase"] == "Pending"
        cond = next(c for c in p["status"]["conditions"] if c["type"] == "PodScheduled")
        assert cond["reason"] == "Unschedulable"
        assert why in cond["message"]
        assert "nodeName" not in p["spec"]
        reasons = kh.wait_for(
            "FailedScheduling event",
            lambda n=name: [m for r, m in _warnings(testbed, namespace, n) if r == "FailedScheduling"],  # type: ignore[misc]
        )
        assert why in reasons[0]


def test_chart_value_makes_flyteadmin_crashloop(testbed: tb.TestBed, namespace: str) -> None:
    """The fixture chart's real `flyteadmin.podLabels` key selects the failure mode for one component."""
    helm = testbed.helm3
    kh.helm(
        testbed, helm, "upgrade", "--install", "flyte", f"{tb.REPO_NAME}/flyte-core", "--version", "v1.16.8",
        "-n", namespace, "--set", "flytepropeller.createCRDs=false",
        "--set-string", "flyteadmin.podLabels.sim\\.kwok\\.test/fault=crashloop",
    )  # fmt: skip

    def admin_crashing() -> kh.Json | None:
        ps = kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteadmin")
        if not ps:
            return None
        cs = ps[0]["status"].get("containerStatuses", [{}])[0]
        return ps[0] if cs.get("state", {}).get("waiting", {}).get("reason") == "CrashLoopBackOff" else None

    admin = kh.wait_for("flyteadmin CrashLoopBackOff", admin_crashing, timeout=60)
    assert admin["metadata"]["labels"][FAULT] == "crashloop"
    # every other component comes up normally
    others = kh.wait_for(
        "other components Ready",
        lambda: (
            [p for p in kh.pods(testbed, namespace) if FAULT not in p["metadata"]["labels"]]
            if all(kh.is_ready(p) for p in kh.pods(testbed, namespace) if FAULT not in p["metadata"]["labels"])
            else None
        ),
    )
    assert len(others) == 5
    deploy = kh.kjson(testbed, "get", "deployment", "flyteadmin", "-n", namespace)
    assert deploy["status"].get("readyReplicas", 0) == 0


def test_kubectl_logs_from_a_scenario_annotation(testbed: tb.TestBed, namespace: str) -> None:
    """`<component>.podAnnotations: {sim.kwok.test/logs: db-auth-failed}` -> the doctor's log tail sees it."""
    kh.apply(
        testbed,
        namespace,
        kh.pod_manifest("admin", labels={FAULT: "crashloop"}, annotations={tb.LOGS_ANNOTATION: "db-auth-failed"}),
    )
    logs = kh.wait_for(
        "kubectl logs",
        lambda: testbed.kubectl_run("logs", "admin", "-n", namespace, "-c", "main", check=False).stdout,
        timeout=30,
    )
    assert "password authentication failed for user" in logs
    previous = testbed.kubectl_run("logs", "admin", "-n", namespace, "--previous", "--tail", "1").stdout
    assert previous.count("\n") == 1
    assert "SQLSTATE 28P01" in previous


def test_kubectl_logs_set_by_the_test(testbed: tb.TestBed, namespace: str) -> None:
    kh.apply(testbed, namespace, kh.pod_manifest("web"))
    kh.wait_for("Ready", lambda: kh.is_ready(_pod(testbed, namespace, "web")))
    testbed.set_pod_logs(namespace, "web", ["line one", "line two"], previous=["before the restart"])
    assert testbed.kubectl_run("logs", "web", "-n", namespace).stdout == "line one\nline two\n"
    assert testbed.kubectl_run("logs", "web", "-n", namespace, "--previous").stdout == "before the restart\n"
