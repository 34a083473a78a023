"""The doctor on the real control plane: a healthy install where every check passes, a broken one where each
check finds its problem, cluster access failures, and a support bundle grepped for a canary secret.

KWOK runs no webhook pod and no ingress controller, so the objects those would make (the
MutatingWebhookConfiguration, the webhook certificates, Ingress addresses, project namespaces) are created
here for the passing scenario and left missing for the failing one.
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.charts import validate_answers
from flyte_tui.doctor import DoctorTarget, Report, gather
from flyte_tui.files.yamlio import dump
from flyte_tui.readiness import Timing

pytestmark = pytest.mark.e2e

FAST = Timing(unschedulable_after=2.0, stuck_init_after=4.0)
CRD = "flyteworkflows.flyte.lyft.com"
CANARY = "canary-" + secrets.token_hex(8)
IRSA = "eks.amazonaws.com/role-arn"
ROLE = "arn:aws:iam::123456789012:role/flyte"


def doctor_cli(testbed: tb.TestBed, helm: Path, namespace: str, *extra: str) -> tuple[int, dict[str, Any]]:
    """``flyte-tui doctor --json`` as a user runs it; (exit code, report)."""
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "doctor", "--json", "--context", testbed.context,
         "--namespace", namespace, "--helm", str(helm), "--kubectl", str(testbed.kubectl), *extra],
        env=testbed.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report["checks"]}


def install(testbed: tb.TestBed, helm: Path, namespace: str, values: dict[str, Any], tmp_path: Path, *flags: str):
    path = tmp_path / "values.yaml"
    path.write_text(dump(values))
    return testbed.helm_run(
        helm, "upgrade", "--install", "flyte", f"{tb.REPO_NAME}/flyte-core", "--version", "v1.16.8",
        "-n", namespace, "-f", str(path), *flags, check=False,
    )  # fmt: skip


def crd_owner(testbed: tb.TestBed) -> tuple[bool, str | None]:
    """(exists, owning release namespace) of the FlyteWorkflow CRD."""
    done = testbed.kubectl_run("get", "crd", CRD, "-o", "json", "--ignore-not-found", check=False)
    if not done.stdout.strip():
        return False, None
    annotations = json.loads(done.stdout)["metadata"].get("annotations") or {}
    return True, annotations.get("meta.helm.sh/release-namespace")


@pytest.fixture
def cluster_objects(testbed: tb.TestBed) -> Iterator[list[str]]:
    """Cluster-scoped objects a test creates (``kind/name``), deleted afterwards."""
    made: list[str] = []
    yield made
    for ref in reversed(made):
        testbed.kubectl_run("delete", ref, "--ignore-not-found", "--wait=false", check=False)


# -- healthy ----------------------------------------------------------------------------------------------


def make_healthy(testbed: tb.TestBed, namespace: str, helm: Path, tmp_path: Path, cluster_objects: list[str]) -> None:
    """Install the fixture chart so that every check can pass, and make what KWOK cannot: the webhook
    registration and certificates, Ingress addresses, the project namespaces with their quotas."""
    token = secrets.token_hex(3)
    project, ingress_class = f"p{token}", f"nginx-{token}"
    crd_exists, _owner = crd_owner(testbed)
    irsa = {"serviceAccount": {"annotations": {IRSA: ROLE}}}
    values = {
        "flytepropeller": {"createCRDs": not crd_exists, **irsa},
        "flyteadmin": {"initialProjects": [project], **irsa},
        "datacatalog": irsa,
        "common": {
            "databaseSecret": {"name": "db-pass"},
            "ingress": {"ingressClassName": ingress_class, "separateGrpcIngress": True, "tls": {"enabled": True}},
        },
        "db": {c: {"database": {"passwordPath": "/etc/db/pass.txt"}} for c in ("admin", "datacatalog")},
        "storage": {"type": "s3", "bucketName": "acme-flyte", "s3": {"authType": "iam"}},
        # flyte-core's defaults that name the namespace flyte, rewritten as flyte-tui render does
        "configmap": {
            "core": {"propeller": {"leader-election": {"lock-config-map": {"namespace": namespace}}}},
            "adminServer": {"auth": {"authorizedUris": [
                "https://localhost:30081", "http://flyteadmin:80", f"http://flyteadmin.{namespace}.svc.cluster.local:80"]}},
        },
        "flyteconnector": {"plugin_config": {"plugins": {"connector-service": {
            "defaultConnector": {"endpoint": f"k8s://flyteconnector.{namespace}:8000"}}}}},
    }  # fmt: skip
    testbed.kubectl_run("create", "secret", "generic", "db-pass", "-n", namespace, "--from-literal=pass.txt=pw")
    kind = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass"}
    kh.apply(testbed, "", {**kind, "metadata": {"name": ingress_class}, "spec": {"controller": "k8s.io/ingress-nginx"}})
    cluster_objects.append(f"ingressclass/{ingress_class}")
    done = install(testbed, helm, namespace, values, tmp_path, "--wait", "--timeout", "90s")
    assert done.returncode == 0, done.stderr
    # what a real ingress controller, webhook pod and cluster-resource sync would have made
    address = json.dumps({"status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}})
    for ing in ("flyte-core", "flyte-core-grpc"):
        testbed.kubectl_run(
            "patch", "ingress", ing, "-n", namespace, "--subresource=status", "--type=merge", "-p", address
        )
    certs = {k: base64.b64encode(b"x").decode() for k in ("ca.crt", "tls.crt", "tls.key")}
    testbed.kubectl_run("patch", "secret", "flyte-pod-webhook", "-n", namespace, "--type=merge",
                        "-p", json.dumps({"data": certs}))  # fmt: skip
    cluster_objects.append("mutatingwebhookconfiguration/flyte-pod-webhook")
    kh.apply(testbed, "", webhook_configuration(namespace))
    for domain in ("development", "staging", "production"):
        ns = f"{project}-{domain}"
        testbed.kubectl_run("create", "namespace", ns)
        cluster_objects.append(f"namespace/{ns}")
        kh.apply(testbed, ns, {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "project-quota"},
                               "spec": {"hard": {"limits.cpu": "4"}}})  # fmt: skip
        kh.wait_for(f"ServiceAccount default in {ns}",
                    lambda ns=ns: testbed.kubectl_run("annotate", "serviceaccount", "default", "-n", ns,
                                                      f"{IRSA}={ROLE}", check=False).returncode == 0)  # fmt: skip


def test_healthy_install_passes_every_check(testbed, namespace, helm_bin, tmp_path, cluster_objects) -> None:
    make_healthy(testbed, namespace, helm_bin, tmp_path, cluster_objects)
    crd_exists, crd_ns = crd_owner(testbed)
    code, report = doctor_cli(testbed, helm_bin, namespace)
    checks = by_id(report)
    problems = {i: c["summary"] for i, c in checks.items() if c["severity"] in ("warn", "fail")}
    if crd_exists and crd_ns not in (None, namespace):
        # another test's release owns the cluster-wide CRD: the doctor says so, and nothing else is wrong
        assert set(problems) == {"runtime.crd"} and checks["runtime.crd"]["severity"] == "warn"
        assert code == 4
    else:
        assert problems == {} and code == 0
    skipped = {i for i, c in checks.items() if c["severity"] == "skip"}
    # not enabled by default; and no IRSA check: without answers the test bed's API server is no EKS
    # nor the sandbox's dependency checks: nothing is bundled here
    # and flyte-binary's Deployment: this release's chart is flyte-core; nor auth: it is off; nor the checks
    # across clusters: it has no data planes
    assert skipped == {"component.flytescheduler", "config.cloud-identity", "config.task-identity",
                       "dependency.minio", "dependency.postgres", "dependency.db-auth",
                       "component.flyte-binary", "auth.secrets", "auth.propeller-hash", "auth.authorized-uris",
                       "auth.logs", "plugins.crds", "plugins.connector", "clusters.credentials", "clusters.links",
                       "clusters.mounts", "clusters.namespaces", "clusters.labels"}  # fmt: skip
    assert "has no flyte-binary" in checks["component.flyte-binary"]["summary"]
    assert report["gather"]["processes"] <= 12

    # told the install is on eks, the IRSA annotations are checked, and pass
    eks = tmp_path / "eks.yaml"
    eks.write_text(json.dumps({"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "eks",
                               "target": {"namespace": namespace}, "identity": {"awsRoleArn": ROLE}}))  # fmt: skip
    _code, report = doctor_cli(testbed, helm_bin, namespace, "--answers", str(eks))
    checks = by_id(report)
    assert {checks[i]["severity"] for i in ("config.cloud-identity", "config.task-identity")} == {"pass"}


def webhook_configuration(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": "flyte-pod-webhook"},
        "webhooks": [
            {
                "name": "flyte-pod-webhook.flyte.org",
                "admissionReviewVersions": ["v1"],
                "sideEffects": "None",
                "failurePolicy": "Ignore",
                "objectSelector": {"matchLabels": {"inject-flyte-secrets": "true", "never": "matches"}},
                "clientConfig": {
                    "caBundle": base64.b64encode(b"-----BEGIN CERTIFICATE-----").decode(),
                    "service": {"name": "flyte-pod-webhook", "namespace": namespace, "path": "/mutate--v1-pod"},
                },
                "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
            }
        ],
    }


# -- broken -----------------------------------------------------------------------------------------------


def eks_answers(testbed: tb.TestBed, namespace: str, tmp_path: Path) -> Path:
    data = {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "eks",
        "target": {"context": testbed.context, "namespace": namespace, "release": "flyte"},
        "identity": {"awsRoleArn": "arn:aws:iam::123456789012:role/flyte"},
    }
    assert validate_answers(data).plan is not None
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(data))
    return path


def test_broken_install_every_problem_found_with_evidence(testbed, namespace, tmp_path, cluster_objects) -> None:
    helm = tb.helm_bin_dir() / "helm3"
    fault, logs = tb.FAULT_LABEL, tb.LOGS_ANNOTATION
    values = {
        "flytepropeller": {"createCRDs": False, "resources": {"requests": {"cpu": "64"}, "limits": {"cpu": "64"}}},
        "flyteadmin": {"podLabels": {fault: "crashloop"}, "podAnnotations": {logs: "db-auth-failed"}},
        "datacatalog": {"podLabels": {fault: "imagepull"}},
        "workflow_scheduler": {"enabled": True, "type": "native"},
        "flytescheduler": {"podLabels": {fault: "stuckinit"}},
        "common": {"databaseSecret": {"name": "db-pass"}},
        "db": {
            "admin": {"database": {"passwordPath": "/etc/db/pass.txt", "host": "<RDS_HOST>"}},
            "datacatalog": {"database": {"passwordPath": "/etc/db/pass.txt"}},
        },
        "secrets": {"adminOauthClientCredentials": {"clientSecret": CANARY}},
        "webhook": {"podLabels": {fault: "crashloop"}},
        "flyteconsole": {"podLabels": {fault: "crashloop"}, "podAnnotations": {"sim.kwok.test/exit": "oom"}},
        "cluster_resource_manager": {
            "podLabels": {fault: "readythencrash"},
            "podAnnotations": {logs: "s3-access-denied"},
        },
    }
    project = f"q{secrets.token_hex(3)}"
    values["flyteadmin"]["initialProjects"] = [project]
    # no FlyteWorkflow CRD (a release of an earlier test may have left one; this install makes none)
    testbed.kubectl_run("delete", "crd", CRD, "--ignore-not-found", "--wait=true", timeout=60)
    testbed.kubectl_run("create", "namespace", f"{project}-development")  # the only one of three "synced"
    cluster_objects.append(f"namespace/{project}-development")
    # --wait on pods that never get ready: the release ends up failed
    done = install(testbed, helm, namespace, values, tmp_path, "--wait", "--timeout", "8s")
    assert done.returncode != 0
    testbed.kubectl_run("delete", "configmap", "datacatalog-config", "-n", namespace)
    admin = kh.wait_for(
        "flyteadmin in CrashLoopBackOff",
        lambda: [p for p in kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteadmin")
                 if "CrashLoopBackOff" in json.dumps(p["status"])],
        timeout=60,
    )  # fmt: skip
    kh.wait_for(
        "syncresources restarted",
        lambda: [p for p in kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteclusterresourcesync")
                 if p["status"].get("containerStatuses", [{}])[0].get("restartCount", 0) > 0],
        timeout=60,
    )  # fmt: skip
    console = kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteconsole")[0]["metadata"]["name"]
    testbed.set_pod_logs(namespace, console, [f"login token={CANARY} for user admin", "serving on :8080"])
    answers = eks_answers(testbed, namespace, tmp_path)

    target = DoctorTarget(namespace=namespace, release="flyte", context=testbed.context, kubectl=str(testbed.kubectl),
                    helm=str(helm), env=testbed.env, plan=validate_answers(
                        {"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "eks"}).plan,
                    timing=FAST)  # fmt: skip
    report = Report.build(gather(target))
    found = {f.id: f for f in report.findings}

    def failed(check_id: str, *words: str) -> Any:
        finding = found[check_id]
        assert finding.severity == "fail", (check_id, finding.summary)
        for word in words:
            assert word in finding.summary, (check_id, word, finding.summary)
        return finding

    assert found["release.status"].severity == "fail" and "failed" in found["release.status"].summary
    admin_finding = failed("component.flyteadmin", "CrashLoopBackOff", "database rejected the password")
    assert admin_finding.signature == "db-password"
    assert any("password authentication failed" in line for line in admin_finding.evidence)
    assert admin[0]["metadata"]["name"] in " ".join(admin_finding.commands)
    failed("component.datacatalog", "ImagePullBackOff")
    failed("component.flytepropeller", "Insufficient cpu")
    failed("component.flytescheduler", "flytescheduler-check")
    failed("config.db-secret", "Secret db-pass does not exist")
    failed("config.storage", "sandbox", "eks")
    failed("config.cloud-identity", "flyteadmin, datacatalog, flytepropeller")
    failed("config.configmaps", "datacatalog-config")
    failed("config.placeholders", "db.admin.database.host")
    failed("config.namespace-keys", "lock-config-map")
    failed("network.ingress-address", "flyte-core")
    failed("network.ingress-class")
    failed("network.grpc-ingress", "separate gRPC Ingress")
    failed("runtime.webhook-config", "does not exist")
    failed("runtime.webhook-secret", "ca.crt")
    failed("component.flyte-pod-webhook", "CrashLoopBackOff")
    console_finding = failed("component.flyteconsole", "CrashLoopBackOff", "ran out of memory (OOMKilled)")
    assert console_finding.answer == "resources.components.flyteconsole" and "memory limit" in console_finding.fix
    sync = found["component.syncresources"]
    # ready first, then crashed: from the first crash on it stays in CrashLoopBackOff (the restart was waited for)
    assert sync.severity == "fail" and "CrashLoopBackOff" in sync.summary and sync.signature == "s3-access-denied", sync
    failed("runtime.projects", "2 of 3", f"{project}-staging")
    task_identity = found["config.task-identity"]
    assert task_identity.severity == "warn" and f"{project}-development" in task_identity.summary
    failed("runtime.crd", f"CRD {CRD} does not exist")  # removed above, and createCRDs: false
    assert found["events.warnings"].severity == "warn"
    assert CANARY not in json.dumps(report.to_json())

    # the headless command: exit 3, the eks answers file read, every finding in the JSON
    code, data = doctor_cli(testbed, helm, namespace, "--answers", str(answers))
    assert code == 3 and data["exitCode"] == 3
    assert by_id(data)["config.cloud-identity"]["severity"] == "fail"
    assert "arn:aws:iam::123456789012:role/flyte" in " ".join(by_id(data)["config.cloud-identity"]["commands"])

    # the support bundle: everything a maintainer needs, and never the canary
    out = tmp_path / "support.tar.gz"
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "bundle", "-o", str(out), "--context", testbed.context,
         "--namespace", namespace, "--helm", str(helm), "--kubectl", str(testbed.kubectl), "--log-lines", "50"],
        env=testbed.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with tarfile.open(out) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read().decode() for m in tar.getmembers() if m.isfile()}
    for name in ("doctor/report.json", "namespace/pods.json", "namespace/events.json", "namespace/describe-pods.txt",
                 "release/values.yaml", "release/manifest.yaml", "namespace/secrets.txt"):  # fmt: skip
        assert files.get(name), name
    leaked = [name for name, text in files.items() if CANARY in text]
    assert leaked == []
    assert "flyte-secret-auth\tOpaque\tkeys: client_secret" in files["namespace/secrets.txt"]
    assert "token=******" in files[f"logs/{console}/flyteconsole.log"]
    assert any("password authentication failed" in t for n, t in files.items() if n.startswith("logs/flyteadmin"))
    assert json.loads(files["doctor/report.json"])["exitCode"] == 3


# -- cluster access ---------------------------------------------------------------------------------------


def doctor_with(
    testbed: tb.TestBed, config: Path, namespace: str, helm: str, kubectl: str = ""
) -> tuple[int, dict[str, Any]]:
    env = {**testbed.env, "KUBECONFIG": str(config)}
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "doctor", "--json", "--namespace", namespace, "--helm", helm,
         "--kubectl", kubectl or str(testbed.kubectl)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout)


def test_cluster_access_problems_are_named(testbed, namespace, tmp_path) -> None:
    helm = str(tb.helm_bin_dir() / "helm3")
    # unreachable API server, and a helm that is not there
    code, report = doctor_with(testbed, kh.kubeconfig(testbed, tmp_path, "down", server=kh.DEAD_SERVER),
                               namespace, "/nonexistent/helm")  # fmt: skip
    checks = by_id(report)
    assert code == 1  # the doctor could not read the cluster (issue 11, item 6): not "a check failed"
    assert checks["cluster.reachable"]["severity"] == "fail"
    assert checks["tools.helm"]["severity"] == "fail"
    assert checks["component.flyteadmin"]["severity"] == "skip"
    # credentials the API server refuses
    code, report = doctor_with(testbed, kh.kubeconfig(testbed, tmp_path, "bogus", token="not-a-token"), namespace, helm)
    assert code == 1 and by_id(report)["cluster.credentials"]["severity"] == "fail"
    # a user allowed to see pods only
    code, report = doctor_with(testbed, kh.pods_only_user(testbed, namespace, tmp_path), namespace, helm)
    rbac = by_id(report)["cluster.rbac"]
    assert code == 3 and rbac["severity"] == "fail"
    assert "secrets" in rbac["summary"] and "pods" not in rbac["summary"].split(":", 1)[1].split(", ")
    assert by_id(report)["cluster.credentials"]["severity"] == "pass"
    # no such namespace (with the test bed's own credentials), and a kubectl that is not there
    own = Path(testbed.kubeconfig)
    code, report = doctor_with(testbed, own, f"{namespace}-absent", helm)
    assert code == 3 and by_id(report)["cluster.namespace"]["severity"] == "fail"
    assert by_id(report)["release.status"]["severity"] == "fail"
    code, report = doctor_with(testbed, own, namespace, helm, kubectl="/nonexistent/kubectl")
    assert code == 1 and by_id(report)["tools.kubectl"]["severity"] == "fail"


def test_release_stuck_in_pending_upgrade_points_to_recovery(testbed, namespace, tmp_path) -> None:
    """An interrupted `helm upgrade --wait` leaves pending-upgrade: the release check fails with the rollback."""
    helm = testbed.helm4
    assert install(testbed, helm, namespace, {"flytepropeller": {"createCRDs": False}}, tmp_path).returncode == 0
    stuck = tmp_path / "stuck.yaml"
    stuck.write_text(
        dump(
            {"flytepropeller": {"createCRDs": False}, "flyteadmin": {"podLabels": {"sim.kwok.test/fault": "stuckinit"}}}
        )
    )
    kh.leave_pending(testbed, helm, "upgrade", namespace, stuck)
    code, report = doctor_cli(testbed, helm, namespace)
    assert code == 3
    release = by_id(report)["release.status"]
    assert release["severity"] == "fail" and "pending-upgrade" in release["summary"]
    assert any(cmd.startswith("helm rollback flyte") for cmd in release["commands"])
