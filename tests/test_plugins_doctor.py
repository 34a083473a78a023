"""The doctor's ``plugins.crds`` check over a snapshot of a release whose values enable plugins, and the
diagnosis of propeller's plugin log lines (the silent fallback, an inconsistent enabled_plugins)."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.diagnose import match
from flyte_tui.doctor import DoctorTarget, Snapshot
from flyte_tui.doctor.checks import all_checks, run_check
from flyte_tui.doctor.checks.plugins import CRDS, enabled
from tests.test_plugins import binary, core, crd


def snapshot(answers: dict[str, Any], crds: list[dict[str, Any]], **more: Any) -> Snapshot:
    plan = validate_answers(answers).plan
    assert plan is not None
    values = flyte_release(plan_releases(plan)).values
    target = DoctorTarget(namespace="flyte", release="flyte", plan=plan)
    return Snapshot(target, kubectl_version={"serverVersion": {"gitVersion": "v1.36.3"}}, values=values,
                    objects={CRDS: crds}, **more)  # fmt: skip


def run(snap: Snapshot) -> Any:
    return run_check(next(c for c in all_checks() if c.id == "plugins.crds"), snap)


RAY = [crd("rayjobs.ray.io", ("v1", True)), crd("rayclusters.ray.io", ("v1", True))]


def test_enabled_reads_either_charts_values() -> None:
    for answers in (core(["ray", "connector"]), {**binary("eks"), "plugins": ["ray"]}):
        plan = validate_answers(answers).plan
        assert plan is not None
        assert [p.name for p in enabled(flyte_release(plan_releases(plan)).values)] == ["ray"]


def test_served_crds_pass_and_are_named() -> None:
    finding = run(snapshot(core(["ray"]), RAY))
    assert finding.severity == "pass" and "rayjobs.ray.io" in finding.summary and finding.area == "plugins"


def test_a_missing_crd_fails_with_the_operator_command() -> None:
    finding = run(snapshot({**binary("eks"), "plugins": ["ray", "pytorch"]}, RAY))
    assert finding.severity == "fail"
    assert "pytorchjobs.kubeflow.org" in finding.summary and finding.answer == "plugins"
    assert any("training-operator" in c for c in finding.commands)


def test_no_plugin_enabled_is_a_skip_and_a_read_error_too() -> None:
    assert run(snapshot(core([]), [])).severity == "skip"
    snap = snapshot(core(["ray"]), [])
    snap.errors[CRDS] = "forbidden"
    finding = run(snap)
    assert finding.severity == "skip" and "forbidden" in finding.summary


def test_the_silent_fallback_in_a_log_read_is_a_warning_naming_the_line() -> None:
    line = "No plugin found for Handler-type [spark], defaulting to [container]"
    snap = snapshot(core([]), [], logs={("flytepropeller-0", "flytepropeller"): ["x", line]})
    finding = run(snap)
    assert finding.severity == "warn" and finding.evidence == (line,) and finding.answer == "plugins"


def test_propellers_fatal_plugin_config_lines_are_diagnosed() -> None:
    found = match(["cannot set default plugin [spark] for task types [spark] when it is not configured"])
    assert found is not None and found[0].id == "plugin-default-not-enabled"
    found = match(["Multiple plugins registered to handle task type: ray"])
    assert found is not None and found[0].id == "plugin-default-not-enabled"
    assert match(["all plugins loaded"]) is None
