"""Every doctor check, passing and failing, on snapshots captured from the test bed and edited per test."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from doctor_scenarios import add, iso, load, obj, run

from flyte_tui.charts import validate_answers
from flyte_tui.doctor.snapshot import SecretInfo
from flyte_tui.readiness import Timing


def plan(environment: str, namespace: str = "flyte", **extra: object):
    data = {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": environment,
        "target": {"namespace": namespace},
        **extra,
    }
    result = validate_answers(data)
    assert result.plan is not None, [str(p) for p in result.errors]
    return result.plan


# -- tools and cluster -------------------------------------------------------------------------------


def test_tools_pass_on_the_test_bed() -> None:
    snap = load("deployed")
    assert run(snap, "tools.helm").severity == "pass"
    kubectl = run(snap, "tools.kubectl")
    assert kubectl.severity == "pass" and "Kubernetes v1.36" in kubectl.summary


def test_missing_helm_and_old_helm_fail() -> None:
    snap = load("deployed")
    snap.helm_version = ""
    snap.errors["helm"] = "cannot run helm: No such file or directory"
    finding = run(snap, "tools.helm")
    assert finding.severity == "fail" and "No such file" in finding.summary
    snap = load("deployed")
    snap.helm_version = "v2.17.0"
    assert run(snap, "tools.helm").severity == "fail"


def test_old_kubernetes_fails() -> None:
    snap = load("deployed")
    snap.kubectl_version["serverVersion"] = {"major": "1", "minor": "18+", "gitVersion": "v1.18.20"}
    finding = run(snap, "tools.kubectl")
    assert finding.severity == "fail" and "1.19" in finding.summary


def test_unreachable_cluster_fails_reachability_and_skips_the_rest() -> None:
    snap = load("deployed")
    del snap.kubectl_version["serverVersion"]
    snap.errors["cluster"] = "dial tcp 10.0.0.1:443: connect: connection refused"
    assert run(snap, "cluster.reachable").severity == "fail"
    assert run(snap, "cluster.credentials").severity == "skip"
    assert run(snap, "component.flyteadmin").severity == "skip"
    assert run(snap, "runtime.crd").severity == "skip"


def test_missing_kubectl_fails_the_tool_check_only() -> None:
    snap = load("deployed")
    snap.kubectl_version = {}
    snap.errors["kubectl"] = "cannot run /opt/kubectl: No such file or directory"
    finding = run(snap, "tools.kubectl")
    assert finding.severity == "fail" and "No such file" in finding.summary
    assert run(snap, "cluster.reachable").severity == "skip"


def test_refused_credentials_fail_the_credentials_check() -> None:
    snap = load("deployed")
    del snap.kubectl_version["serverVersion"]
    snap.errors["cluster"] = "error: You must be logged in to the server (Unauthorized)"
    assert run(snap, "cluster.credentials").severity == "fail"
    assert run(snap, "cluster.reachable").severity == "skip"


def test_rbac_refusal_is_named() -> None:
    snap = load("deployed")
    assert run(snap, "cluster.rbac").severity == "pass"
    snap.errors["secrets"] = 'secrets is forbidden: User "dev" cannot list resource "secrets"'
    finding = run(snap, "cluster.rbac")
    assert finding.severity == "fail" and "secrets" in finding.summary
    assert any("auth can-i list secrets" in c for c in finding.commands)
    assert run(snap, "config.db-secret").severity == "skip"


def test_missing_namespace_fails() -> None:
    snap = load("deployed", namespace="nowhere")
    finding = run(snap, "cluster.namespace")
    assert finding.severity == "fail" and "nowhere" in finding.summary


# -- release -------------------------------------------------------------------------------------------


def test_release_deployed_passes_and_names_the_chart() -> None:
    snap = load("deployed")
    assert run(snap, "release.status").severity == "pass"
    assert "flyte-core-v1.16.8" in run(snap, "release.chart").summary


def test_missing_release_fails() -> None:
    snap = load("deployed")
    snap.history = None
    assert run(snap, "release.status").severity == "fail"
    assert run(snap, "release.chart").severity == "skip"


def test_pending_install_is_recovered_safely_first_and_uninstalled_only_as_a_last_resort() -> None:
    """A first install interrupted 30 s ago: wait for the helm that may still run it, then roll back to its own
    revision (nothing deleted); the uninstall is last, marked destructive, and a comment: copying the commands
    (the doctor screen's "c") and pasting them never runs it."""
    snap = load("deployed")
    assert snap.history is not None
    snap.now = snap.now.replace(microsecond=0)  # iso() writes whole seconds
    snap.history[-1].update(status="pending-install", updated=iso(snap.now - timedelta(seconds=30)))
    finding = run(snap, "release.status")
    assert finding.severity == "fail"
    assert finding.commands[:2] == ("helm history flyte -n flyte", "helm rollback flyte 1 -n flyte")
    assert finding.commands[-1] == (
        "# last resort, destructive (deletes the release and everything it created): helm uninstall flyte -n flyte"
    )
    assert not any(c.startswith("helm uninstall") for c in finding.commands)
    fix = finding.fix
    assert "started 30s ago" in fix and "wait until it ends" in fix
    assert fix.index("wait") < fix.index("roll back") < fix.index("uninstall")
    assert "nothing is deleted" in fix and "destructive" in fix


def test_pending_upgrade_rolls_back_to_the_last_deployed_revision() -> None:
    snap = load("deployed", context="prod")
    assert snap.history is not None
    snap.history[-1]["status"] = "superseded"
    snap.history.append({"revision": 2, "status": "failed", "chart": "flyte-core-v1.16.8", "description": "boom"})
    long_ago = iso(snap.now - timedelta(hours=2))
    snap.history.append({"revision": 3, "status": "pending-upgrade", "chart": "flyte-core-v1.16.8",
                         "description": "Preparing upgrade", "updated": long_ago})  # fmt: skip
    finding = run(snap, "release.status")
    scope = "-n flyte --kube-context prod"
    assert finding.commands[1] == f"helm rollback flyte 1 {scope}"  # not the failed revision 2
    assert finding.commands[-1].startswith("# last resort, destructive")
    assert "make sure no helm is still working on it" in finding.fix and "back to revision 1" in finding.fix


def test_pending_upgrade_without_a_deployed_revision_has_no_rollback() -> None:
    snap = load("deployed")
    assert snap.history is not None
    snap.history[-1]["status"] = "failed"
    snap.history.append({"revision": 2, "status": "pending-upgrade", "chart": "flyte-core-v1.16.8"})
    finding = run(snap, "release.status")
    assert not any("rollback" in c for c in finding.commands)
    assert finding.commands == (
        "helm history flyte -n flyte",
        "# last resort, destructive (deletes the release and everything it created): helm uninstall flyte -n flyte",
    )
    assert "never had a deployed revision" in finding.fix


def test_failed_release_offers_rollback_to_last_good_revision() -> None:
    snap = load("deployed")
    assert snap.history is not None
    snap.history[-1]["status"] = "superseded"
    snap.history.append({"revision": 2, "status": "failed", "chart": "flyte-core-v1.16.8", "description": "boom"})
    finding = run(snap, "release.status")
    assert finding.severity == "fail"
    assert "helm rollback flyte 1 -n flyte" in finding.commands


# -- components ----------------------------------------------------------------------------------------


def test_ready_components_pass_and_disabled_scheduler_is_skipped() -> None:
    snap = load("deployed")
    for name in ("flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "syncresources", "flyte-pod-webhook"):
        assert run(snap, f"component.{name}").severity == "pass", name
    assert run(snap, "component.flytescheduler").severity == "skip"


def test_crashloop_shows_log_tail_and_the_db_password_signature() -> None:
    finding = run(load("sick"), "component.flyteadmin")
    assert finding.severity == "fail"
    assert "CrashLoopBackOff" in finding.summary and "database rejected the password" in finding.summary
    assert finding.signature == "db-password"
    assert finding.answer == "database.passwordSecret"
    assert any("password authentication failed" in line for line in finding.evidence)
    assert any(c.endswith("-c flyteadmin --previous") for c in finding.commands)
    assert "back-off 5m0s" not in finding.summary


def test_image_pull_is_reported_with_the_image() -> None:
    finding = run(load("sick"), "component.datacatalog")
    assert finding.severity == "fail"
    assert "ImagePullBackOff" in finding.summary and "datacatalog:v1.16.8" in finding.summary


def _first_pod(snap, name: str) -> dict:
    return next(p for p in snap.items("pods") if p["metadata"]["name"].startswith(name))


def test_oom_killed_names_the_memory_limit_answer() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "flytepropeller")
    status = pod["status"]["containerStatuses"][0]
    status["restartCount"] = 3
    status["lastState"] = {"terminated": {"reason": "OOMKilled", "exitCode": 137}}
    finding = run(snap, "component.flytepropeller")
    assert finding.severity == "warn" and "OOMKilled" in finding.summary  # back up and Ready, for now
    assert finding.answer == "resources.components.flytepropeller"
    status["state"] = {"waiting": {"reason": "CrashLoopBackOff"}}
    pod["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    finding = run(snap, "component.flytepropeller")
    assert finding.severity == "fail" and "OOMKilled" in finding.summary
    assert finding.answer == "resources.components.flytepropeller"


def test_pod_waiting_for_a_node_warns_with_the_schedulers_message() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "flyteconsole")
    pod["status"] = {
        "phase": "Pending",
        "conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "lastTransitionTime": iso(snap.now),
             "message": "0/3 nodes are available: 3 Insufficient memory."}
        ],
    }  # fmt: skip
    finding = run(snap, "component.flyteconsole")
    assert finding.severity == "warn" and "3 Insufficient memory" in finding.summary


def test_unschedulable_pod_carries_the_schedulers_reason() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "flyteconsole")
    long_ago = iso(snap.now - timedelta(minutes=5))
    pod["status"] = {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "lastTransitionTime": long_ago,
                "message": "0/3 nodes are available: 3 Insufficient cpu.",
            }
        ],
    }
    finding = run(snap, "component.flyteconsole")
    assert finding.severity == "fail"
    assert "Insufficient cpu" in finding.summary and finding.answer == "resources.components.flyteconsole"


def test_stuck_init_container_fails_after_the_limit() -> None:
    snap = load("deployed", timing=Timing(stuck_init_after=60))
    pod = _first_pod(snap, "flyte-pod-webhook")
    pod["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    pod["status"]["initContainerStatuses"] = [
        {"name": "generate-secrets", "state": {"running": {"startedAt": iso(snap.now - timedelta(minutes=5))}}}
    ]
    finding = run(snap, "component.flyte-pod-webhook")
    assert finding.severity == "fail" and "generate-secrets" in finding.summary


def test_pod_still_starting_warns() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "flyteconsole")
    pod["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    assert run(snap, "component.flyteconsole").severity == "warn"


def test_missing_deployment_fails() -> None:
    snap = load("deployed")
    snap.objects["pods"] = [p for p in snap.items("pods") if not p["metadata"]["name"].startswith("flyteconsole")]
    snap.objects["deployments"] = [d for d in snap.items("deployments") if d["metadata"]["name"] != "flyteconsole"]
    finding = run(snap, "component.flyteconsole")
    assert finding.severity == "fail" and "no Deployment flyteconsole" in finding.summary


def test_ready_but_restarting_warns_with_log_tail() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "datacatalog")
    pod["status"]["containerStatuses"][0]["restartCount"] = 2
    snap.logs[(pod["metadata"]["name"], "datacatalog")] = ["failed to initialize storage: AccessDenied: Access Denied"]
    finding = run(snap, "component.datacatalog")
    assert finding.severity == "warn" and finding.signature == "s3-access-denied"


# -- configuration ---------------------------------------------------------------------------------------


def test_db_secret_missing_fails_and_offers_the_create_command() -> None:
    finding = run(load("sick"), "config.db-secret")
    assert finding.severity == "fail" and "Secret db-pass does not exist" in finding.summary
    assert any("create secret generic db-pass --from-file=pass.txt=" in c for c in finding.commands)


def test_db_secret_key_must_match_password_path() -> None:
    snap = load("sick")
    snap.secrets["db-pass"] = SecretInfo("db-pass", "Opaque", ("password",))
    finding = run(snap, "config.db-secret")
    assert finding.severity == "fail" and "expects pass.txt" in finding.summary
    snap.secrets["db-pass"] = SecretInfo("db-pass", "Opaque", ("pass.txt",))
    assert run(snap, "config.db-secret").severity == "pass"


def test_db_secret_without_password_path_fails() -> None:
    snap = load("sick")
    snap.secrets["db-pass"] = SecretInfo("db-pass", "Opaque", ("pass.txt",))
    del snap.values["db"]["datacatalog"]["database"]["passwordPath"]
    finding = run(snap, "config.db-secret")
    assert finding.severity == "fail" and "passwordPath is not set" in finding.summary


def test_sandbox_storage_without_minio_fails_and_with_minio_passes() -> None:
    snap = load("deployed")
    assert run(snap, "config.storage").severity == "fail"
    add(snap, "services", obj("minio"))
    assert run(snap, "config.storage").severity == "pass"


def test_sandbox_storage_on_an_eks_answers_file_fails_even_with_minio() -> None:
    snap = load("deployed", plan=plan("sandbox"))
    add(snap, "services", obj("minio"))
    assert run(snap, "config.storage").severity == "pass"
    snap = load("deployed", plan=plan("eks"))
    add(snap, "services", obj("minio"))
    finding = run(snap, "config.storage")
    assert finding.severity == "fail" and finding.answer == "storage.type"


def test_s3_storage_with_a_bucket_passes() -> None:
    assert run(load("sick"), "config.storage").severity == "pass"


def test_irsa_missing_on_eks_fails_and_present_passes() -> None:
    eks = plan("eks", identity={"awsRoleArn": "arn:aws:iam::123456789012:role/flyte"})
    snap = load("sick", plan=eks)
    finding = run(snap, "config.cloud-identity")
    assert finding.severity == "fail"
    assert "flyteadmin, datacatalog, flytepropeller" in finding.summary
    assert "eks.amazonaws.com/role-arn=arn:aws:iam::123456789012:role/flyte" in finding.commands[0]
    for sa in snap.items("serviceaccounts"):
        sa["metadata"].setdefault("annotations", {})["eks.amazonaws.com/role-arn"] = "arn:aws:iam::1:role/flyte"
    assert run(snap, "config.cloud-identity").severity == "pass"


def test_irsa_only_where_the_cluster_is_eks() -> None:
    generic = plan("generic", namespace="sick", storage={"type": "s3", "metadataBucket": "b", "region": "us-east-1"})
    for snap in (load("sick", plan=generic), load("sick")):  # s3 auth iam, generic / the test bed's plain server
        finding = run(snap, "config.cloud-identity")
        assert finding.severity == "skip" and "eks.amazonaws.com" not in finding.summary + (finding.fix or "")
        assert run(snap, "config.task-identity").severity == "skip"
    snap = load("sick")
    snap.kubectl_version["serverVersion"]["gitVersion"] = "v1.30.4-eks-a737599"  # no answers: the server says EKS
    assert run(snap, "config.cloud-identity").severity == "warn"
    assert run(load("deployed"), "config.cloud-identity").severity == "skip"


def test_task_namespaces_default_sa_without_identity_warns() -> None:
    snap = load("sick", plan=plan("eks", namespace="sick"))
    assert run(snap, "config.task-identity").severity == "skip"  # no project namespace yet
    snap.default_service_accounts = [
        obj("default", "flytesnacks-development"),
        obj("default", "flytesnacks-staging", annotations={"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/t"}),
    ]
    finding = run(snap, "config.task-identity")
    assert finding.severity == "warn" and "flytesnacks-development" in finding.summary
    assert "flytesnacks-staging" not in finding.summary


def test_missing_configmap_fails() -> None:
    snap = load("deployed")
    assert run(snap, "config.configmaps").severity == "pass"
    snap.objects["configmaps"] = [c for c in snap.items("configmaps") if c["metadata"]["name"] != "datacatalog-config"]
    finding = run(snap, "config.configmaps")
    assert finding.severity == "fail" and "datacatalog-config" in finding.summary


def test_placeholder_values_fail() -> None:
    snap = load("deployed")
    assert run(snap, "config.placeholders").severity == "pass"
    snap.values["db"]["admin"]["database"]["host"] = "<RDS_HOST>"
    finding = run(snap, "config.placeholders")
    assert finding.severity == "fail" and "db.admin.database.host" in finding.summary


def test_namespace_keys_not_rewritten_fail() -> None:
    snap = load("sick")
    finding = run(snap, "config.namespace-keys")
    assert finding.severity == "fail" and "lock-config-map" in finding.summary
    snap.values["configmap"]["core"]["propeller"]["leader-election"]["lock-config-map"]["namespace"] = "sick"
    assert run(snap, "config.namespace-keys").severity == "pass"
    assert run(load("deployed"), "config.namespace-keys").severity == "skip"


# -- network -------------------------------------------------------------------------------------------


def _ingress(snap):
    return next(i for i in snap.items("ingresses") if i["metadata"]["name"] == "flyte-core")


def test_ingress_without_address_fails_and_with_address_passes() -> None:
    snap = load("deployed")
    finding = run(snap, "network.ingress-address")
    assert finding.severity == "fail" and "flyte-core" in finding.summary
    _ingress(snap)["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.7"}]}}
    finding = run(snap, "network.ingress-address")
    assert finding.severity == "pass" and "203.0.113.7" in finding.summary


def test_alb_advice_only_for_an_alb_ingress() -> None:
    snap = load("deployed")  # nginx
    assert "aws-load-balancer-controller" not in (run(snap, "network.ingress-address").fix or "")
    _ingress(snap)["spec"]["ingressClassName"] = "alb"
    assert "aws-load-balancer-controller" in (run(snap, "network.ingress-address").fix or "")


def test_login_advice_names_the_cloud_of_the_environment_only() -> None:
    def fix(environment: str | None) -> str:
        snap = load("deployed", plan=plan(environment) if environment else None)
        del snap.kubectl_version["serverVersion"]
        snap.errors["cluster"] = "error: You must be logged in to the server (Unauthorized)"
        return run(snap, "cluster.credentials").fix or ""

    assert "aws eks update-kubeconfig" in fix("eks") and "gcloud" not in fix("eks")
    assert "gcloud container clusters get-credentials" in fix("gke") and "aws" not in fix("gke")
    assert "aws" not in fix("sandbox") and "gcloud" not in fix("sandbox")


def test_no_ingress_is_skipped() -> None:
    snap = load("deployed")
    snap.objects["ingresses"] = []
    snap.values["common"]["ingress"]["enabled"] = False
    assert run(snap, "network.ingress-address").severity == "skip"


def test_ingress_class_must_exist_and_agree() -> None:
    snap = load("deployed")
    assert run(snap, "network.ingress-class").severity == "fail"  # no class, no default class
    ing = _ingress(snap)
    ing["spec"]["ingressClassName"] = "nginx"
    finding = run(snap, "network.ingress-class")
    assert finding.severity == "fail" and "IngressClass nginx does not exist" in finding.summary
    snap.ingress_classes = [obj("nginx", "", spec={"controller": "k8s.io/ingress-nginx"})]
    assert run(snap, "network.ingress-class").severity == "pass"
    ing["metadata"]["annotations"]["kubernetes.io/ingress.class"] = "alb"
    assert "disagree" in run(snap, "network.ingress-class").summary


def test_nginx_needs_a_separate_grpc_ingress_with_tls() -> None:
    snap = load("deployed")
    snap.ingress_classes = [obj("nginx", "", spec={"controller": "k8s.io/ingress-nginx"})]
    _ingress(snap)["spec"]["ingressClassName"] = "nginx"
    assert run(snap, "network.grpc-ingress").severity == "fail"
    grpc = add(
        snap,
        "ingresses",
        obj(
            "flyte-core-grpc",
            annotations={"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"},
            spec={
                "ingressClassName": "nginx",
                "rules": [{"http": {"paths": [{"backend": {"service": {"name": "flyteadmin"}}}]}}],
            },
        ),
    )
    finding = run(snap, "network.grpc-ingress")
    assert finding.severity == "warn" and "TLS" in finding.summary
    grpc["spec"]["tls"] = [{"secretName": "flyte-flyte-tls"}]
    assert run(snap, "network.grpc-ingress").severity == "pass"


def test_contour_needs_no_separate_grpc_ingress() -> None:
    snap = load("deployed")
    snap.ingress_classes = [obj("contour", "", spec={"controller": "projectcontour.io/contour"})]
    _ingress(snap)["spec"]["ingressClassName"] = "contour"
    assert run(snap, "network.grpc-ingress").severity == "skip"


# -- runtime objects -----------------------------------------------------------------------------------


def test_crd_owned_by_this_release_passes_missing_fails_elsewhere_warns() -> None:
    snap = load("deployed")
    assert run(snap, "runtime.crd").severity == "pass"
    assert run(load("sick"), "runtime.crd").severity == "warn"  # owned by release flyte in namespace flyte
    snap.crd = None
    assert run(snap, "runtime.crd").severity == "fail"


def _webhook_config(namespace: str = "flyte", ca: str = "LS0tLS1CRUdJTg==") -> dict:
    return obj(
        "flyte-pod-webhook",
        "",
        webhooks=[
            {
                "name": "flyte-pod-webhook.flyte.org",
                "clientConfig": {"caBundle": ca, "service": {"name": "flyte-pod-webhook", "namespace": namespace}},
            }
        ],
    )


def test_webhook_configuration_needs_a_ca_bundle_and_this_namespace() -> None:
    snap = load("deployed")
    assert run(snap, "runtime.webhook-config").severity == "fail"
    snap.webhook_config = _webhook_config(ca="")
    assert "CA bundle" in run(snap, "runtime.webhook-config").summary
    snap.webhook_config = _webhook_config(namespace="other")
    assert run(snap, "runtime.webhook-config").severity == "warn"
    snap.webhook_config = _webhook_config()
    assert run(snap, "runtime.webhook-config").severity == "pass"


def test_webhook_secret_needs_certificates_and_endpoints() -> None:
    snap = load("deployed")
    finding = run(snap, "runtime.webhook-secret")
    assert finding.severity == "fail" and "ca.crt" in finding.summary
    snap.secrets["flyte-pod-webhook"] = SecretInfo("flyte-pod-webhook", "Opaque", ("ca.crt", "tls.crt", "tls.key"))
    assert run(snap, "runtime.webhook-secret").severity == "pass"
    snap.objects["endpoints"] = [e for e in snap.items("endpoints") if e["metadata"]["name"] != "flyte-pod-webhook"]
    assert "no ready endpoints" in run(snap, "runtime.webhook-secret").summary


def test_project_namespaces_and_quotas() -> None:
    snap = load("deployed")
    finding = run(snap, "runtime.projects")
    assert finding.severity == "fail" and "9 of 9" in finding.summary
    names = [f"{p}-{d}" for p in ("flytesnacks", "flytetester", "flyteexamples") for d in ("development", "staging")]
    names += [f"{p}-production" for p in ("flytesnacks", "flytetester", "flyteexamples")]
    snap.namespaces += [obj(n, "") for n in names]
    templates = " ".join(t.get("value", "") for t in snap.values["cluster_resource_manager"]["templates"])
    if "ResourceQuota" in templates:
        assert run(snap, "runtime.projects").severity == "warn"
        snap.quotas = [obj("project-quota", n) for n in names]
    assert run(snap, "runtime.projects").severity == "pass"


def test_recent_warning_events_warn_and_old_ones_do_not() -> None:
    snap = load("sick")
    finding = run(snap, "events.warnings")
    assert finding.severity == "warn" and "BackOff" in finding.summary
    old = iso(snap.now - timedelta(hours=3))
    for event in snap.items("events"):
        event["lastTimestamp"] = old
    assert run(snap, "events.warnings").severity == "pass"


def test_self_repaired_control_plane_events_are_not_findings() -> None:
    snap = load("sick")
    for event in snap.items("events"):
        event["reason"] = "ClusterIPNotAllocated"  # the API server's ClusterIP repair loop, self-healing
    assert run(snap, "events.warnings").severity == "pass"


@pytest.mark.parametrize("check_id", ["config.db-secret", "config.storage", "config.placeholders"])
def test_config_checks_skip_without_a_release(check_id: str) -> None:
    snap = load("deployed")
    snap.values = {}
    snap.history = None
    assert run(snap, check_id).severity == "skip"


LOGS = Path(__file__).resolve().parents[1] / "cluster" / "kwok" / "logs"


@pytest.mark.parametrize(
    ("scenario", "component", "signature", "answer"),
    [
        ("db-auth-failed", "flyteadmin", "db-password", "database.passwordSecret"),
        ("db-unreachable", "datacatalog", "db-unreachable", "database.host"),
        ("s3-access-denied", "flytepropeller", "s3-access-denied", "identity.awsRoleArn"),
    ],
)
def test_test_bed_crash_logs_match_their_signature(scenario: str, component: str, signature: str, answer: str) -> None:
    snap = load("deployed")
    pod = _first_pod(snap, component)
    main = pod["status"]["containerStatuses"][0]
    main.update(restartCount=4, ready=False, state={"waiting": {"reason": "CrashLoopBackOff"}})
    main["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error"}}
    pod["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    snap.logs[(pod["metadata"]["name"], main["name"])] = (LOGS / f"{scenario}.log").read_text().splitlines()
    finding = run(snap, f"component.{component}")
    assert (finding.severity, finding.signature, finding.answer) == ("fail", signature, answer)
    if signature == "db-unreachable":
        assert any("pg_isready -h postgres -p 5432" in c for c in finding.commands)


def test_scheduler_waiting_for_admin_is_recognised() -> None:
    snap = load("deployed")
    pod = _first_pod(snap, "flyteadmin")
    pod["metadata"]["labels"]["app.kubernetes.io/name"] = "flytescheduler"
    snap.values["workflow_scheduler"] = {"enabled": True, "type": "native"}
    main = pod["status"]["containerStatuses"][0]
    main.update(restartCount=2, state={"waiting": {"reason": "CrashLoopBackOff"}})
    snap.logs[(pod["metadata"]["name"], main["name"])] = [
        "connection error: dial tcp 10.96.12.7:81: connect: connection refused"
    ]
    finding = run(snap, "component.flytescheduler")
    assert finding.signature == "admin-unreachable"
    assert any(c.endswith("get endpoints flyteadmin") for c in finding.commands)


def test_secrets_in_log_evidence_are_masked() -> None:
    snap = load("sick")
    key = next(k for k in snap.logs if k[0].startswith("flyteadmin"))
    snap.logs[key] = [*snap.logs[key], "retrying with password=hunter2-canary"]
    finding = run(snap, "component.flyteadmin")
    assert not any("hunter2-canary" in line for line in finding.evidence)
    assert any("password=******" in line for line in finding.evidence)


def test_report_order_does_not_depend_on_import_order() -> None:
    """A module imported early (as a test or a plugin might) does not move its checks to the top."""
    import subprocess
    import sys

    code = "from flyte_tui.doctor.checks import {first}, all_checks; print([c.id for c in all_checks()])"
    orders = {
        first: subprocess.run(
            [sys.executable, "-c", code.format(first=first)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        for first in ("cluster", "runtime", "network")
    }
    assert len(set(orders.values())) == 1, orders
    assert orders["cluster"].startswith("['tools.")


# -- runtime objects missing while their creator is Ready: say what else to look at -----------------


def _not_ready(snap, name_prefix: str) -> None:
    for pod in snap.items("pods"):
        if pod["metadata"]["name"].startswith(name_prefix):
            for cond in pod["status"].get("conditions") or []:
                if cond.get("type") in ("Ready", "ContainersReady"):
                    cond["status"] = "False"
            for cs in pod["status"].get("containerStatuses") or []:
                cs["ready"] = False


def test_missing_webhook_configuration_with_the_webhook_ready_points_at_rbac_secret_and_log() -> None:
    snap = load("deployed")  # the test bed: every pod 1/1 Ready, no MutatingWebhookConfiguration
    finding = run(snap, "runtime.webhook-config")
    assert finding.severity == "fail" and "although flyte-pod-webhook is Ready" in finding.summary
    assert "make flyte-pod-webhook Ready" not in (finding.fix or "")
    assert "mutatingwebhookconfigurations" in (finding.fix or "") and "ca.crt" in (finding.fix or "")
    commands = "\n".join(finding.commands)
    assert "auth can-i create mutatingwebhookconfigurations --as=system:serviceaccount:flyte:flyte-pod-webhook" in (
        commands
    )
    assert "logs deploy/flyte-pod-webhook" in commands and "rollout restart deploy/flyte-pod-webhook" in commands

    _not_ready(snap, "flyte-pod-webhook")
    assert "make flyte-pod-webhook Ready" in (run(snap, "runtime.webhook-config").fix or "")


def test_webhook_configuration_turned_off_in_the_values_is_named() -> None:
    snap = load("deployed")
    snap.values.setdefault("configmap", {}).setdefault("core", {})["webhook"] = {
        "disableCreateMutatingWebhookConfig": True
    }
    fix = run(snap, "runtime.webhook-config").fix or ""
    assert "disableCreateMutatingWebhookConfig is true" in fix and "create it yourself" in fix


def test_missing_project_namespaces_with_syncresources_ready_point_at_rbac_templates_and_seeding() -> None:
    snap = load("deployed")
    finding = run(snap, "runtime.projects")
    assert finding.severity == "fail" and "although syncresources is Ready" in finding.summary
    fix = finding.fix or ""
    assert "make syncresources Ready" not in fix
    assert "ServiceAccount flyteadmin needs create on namespaces" in fix and "seed-projects" in fix
    commands = "\n".join(finding.commands)
    assert "auth can-i create namespaces --as=system:serviceaccount:flyte:flyteadmin" in commands
    assert "get configmap clusterresource-template" in commands and "logs deploy/syncresources" in commands

    _not_ready(snap, "syncresources")
    assert "make syncresources Ready" in (run(snap, "runtime.projects").fix or "")


def test_webhook_secret_without_certificates_with_the_webhook_ready_points_at_its_init_log() -> None:
    snap = load("deployed")
    finding = run(snap, "runtime.webhook-secret")
    assert "make flyte-pod-webhook Ready" not in (finding.fix or "") and "generate-secrets" in (finding.fix or "")
