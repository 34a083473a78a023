"""The doctor on a flyte-binary release: it looks up flyte-binary's object names, and the checks that read
flyte-core's values keys or components are skipped with the chart's reason (never a false failure)."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.doctor import DoctorTarget, Snapshot
from flyte_tui.doctor.checks import all_checks, run_check
from flyte_tui.doctor.snapshot import SecretInfo
from tests.test_flyte_binary_choice import binary


def _snapshot(**objects: Any) -> Snapshot:
    plan = validate_answers(binary("eks")).plan
    assert plan is not None
    release = flyte_release(plan_releases(plan))
    target = DoctorTarget(namespace="flyte", release="flyte", plan=plan)
    return Snapshot(target, kubectl_version={"serverVersion": {"gitVersion": "v1.36.3"}}, values=release.values,
                    objects={"configmaps": [], "ingresses": [], "pods": [], "deployments": [], **objects})  # fmt: skip


def run(snap: Snapshot, check_id: str) -> Any:
    return run_check(next(c for c in all_checks() if c.id == check_id), snap)


def test_the_checks_that_do_not_apply_are_skipped_with_the_reason() -> None:
    snap = _snapshot()
    assert snap.target.profile is FLYTE_BINARY
    for check_id, reason in FLYTE_BINARY.objects("flyte").not_applicable.items():
        finding = run(snap, check_id)
        assert (finding.severity, finding.summary) == ("skip", reason), check_id
    storage = run(snap, "config.storage")
    assert "flyte-core's values keys" in storage.summary and "configuration.storage" in storage.summary
    admin = run(snap, "component.flyteadmin")
    assert "inside its one Deployment" in admin.summary


def test_the_configmaps_are_looked_up_by_flyte_binarys_names() -> None:
    missing = run(_snapshot(), "config.configmaps")
    assert missing.severity == "fail" and "flyte-flyte-binary-config" in missing.summary
    present = [{"metadata": {"name": n}} for n in ("flyte-flyte-binary-config",
                                                  "flyte-flyte-binary-cluster-resource-templates")]  # fmt: skip
    assert run(_snapshot(configmaps=present), "config.configmaps").severity == "pass"
    # no pod webhook object of its own to look up, and no hard-coded namespace
    assert run(_snapshot(), "runtime.webhook-config").severity == "skip"
    assert run(_snapshot(), "config.namespace-keys").severity == "skip"


def test_flyte_core_releases_skip_nothing_new() -> None:
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    assert FLYTE_CORE.objects("flyte").not_applicable == {}


def _pod(name: str, ready: bool, release: str = "flyte") -> dict[str, Any]:
    labels = {"app.kubernetes.io/name": "flyte-binary", "app.kubernetes.io/component": "flyte-binary",
              "app.kubernetes.io/instance": release}  # fmt: skip
    status = "True" if ready else "False"
    return {
        "metadata": {"name": name, "namespace": "flyte", "labels": labels},
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": status}],
            "containerStatuses": [{"name": "flyte", "ready": ready, "restartCount": 0, "state": {"running": {}}}],
        },
    }


def test_the_component_check_reads_the_release_named_deployment_and_its_pods() -> None:
    deployment = {"metadata": {"name": "flyte-flyte-binary"}, "spec": {"replicas": 1}}
    healthy = run(_snapshot(pods=[_pod("flyte-flyte-binary-abc", True)], deployments=[deployment]),
                  "component.flyte-binary")  # fmt: skip
    assert (healthy.severity, healthy.summary) == ("pass", "1/1 pods Ready")
    assert "deployment flyte-flyte-binary" in healthy.looked_at
    gone = run(_snapshot(), "component.flyte-binary")
    assert gone.severity == "fail" and "no Deployment flyte-flyte-binary" in gone.summary
    # another release's pod in the namespace is not this release's
    other = run(_snapshot(pods=[_pod("other-flyte-binary-x", True, "other")], deployments=[deployment]),
                "component.flyte-binary")  # fmt: skip
    assert other.severity == "fail" and "has no pods" in other.summary


def test_a_flyte_core_release_skips_the_flyte_binary_component() -> None:
    from tests.doctor.test_checks import load

    finding = run(load("deployed"), "component.flyte-binary")
    assert finding.severity == "skip" and "flyte-core has no flyte-binary" in finding.summary


def test_the_db_secret_check_follows_password_path_to_the_mounted_secret() -> None:
    snap = _snapshot()
    missing = run(snap, "config.db-secret")
    assert missing.severity == "fail" and "Secret db-pass does not exist" in missing.summary
    assert "flyte-binary cannot start" in missing.summary
    assert any("create secret generic db-pass --from-file=pass.txt=" in c for c in missing.commands)
    snap.secrets["db-pass"] = SecretInfo("db-pass", "Opaque", ("password",))
    wrong = run(snap, "config.db-secret")
    assert wrong.severity == "fail" and "expects pass.txt" in wrong.summary
    snap.secrets["db-pass"] = SecretInfo("db-pass", "Opaque", ("pass.txt",))
    assert run(snap, "config.db-secret").severity == "pass"


def test_a_password_path_nothing_mounts_fails_and_no_path_passes_with_why() -> None:
    snap = _snapshot()
    snap.values["deployment"]["extraVolumeMounts"][0]["mountPath"] = "/etc/elsewhere"
    unmounted = run(snap, "config.db-secret")
    assert unmounted.severity == "fail" and "no deployment.extraVolumeMounts entry mounts /etc/db" in unmounted.summary
    del snap.values["configuration"]["database"]["passwordPath"]
    snap.values["configuration"]["inlineSecretRef"] = "flyte-extra"
    inline = run(snap, "config.db-secret")
    assert inline.severity == "pass" and "configuration.inlineSecretRef flyte-extra" in inline.summary
