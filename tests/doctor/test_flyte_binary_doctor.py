"""The doctor on a flyte-binary release: it looks up flyte-binary's object names, and the checks that read
flyte-core's values keys or components are skipped with the chart's reason (never a false failure)."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.doctor import DoctorTarget, Snapshot
from flyte_tui.doctor.checks import all_checks, run_check
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
