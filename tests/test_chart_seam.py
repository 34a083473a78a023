"""The chart seam: a second chart is a new profile, not a new branch.

A small profile (one component, plain data) is registered beside flyte-core; its release is planned,
rendered, its components and objects derived, its values imported and its objects looked up by the
doctor, all through the functions the pipeline, validation and the doctor call. And a plan is rendered
once per operation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from flyte_tui import charts
from flyte_tui.charts import (
    ChartObjects,
    Component,
    ImportResult,
    flyte_release,
    plan_releases,
    profile_for_chart,
    validate_answers,
)
from flyte_tui.charts.access import DatabaseSecret, Endpoints, Forward
from flyte_tui.charts.flyte_core import FLYTE_CORE
from flyte_tui.doctor import DoctorTarget, Snapshot
from flyte_tui.doctor.checks import config, network, runtime
from flyte_tui.doctor.gather import failing_containers
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem
from tests.conftest import REALISTIC

SERVER = Component("tiny-server", "server", (("app", "tiny-server"),), init_containers=("migrate",))


class Tiny:
    """A one-component chart: renders ``server.replicaCount`` and refuses ``extraValues.server.debug``."""

    name = "tiny"
    components: Sequence[Component] = (SERVER,)
    sizable_components: Sequence[str] = ("server",)
    accepted_components: Sequence[str] = ("server",)

    def __init__(self) -> None:
        self.renders = 0

    def expected_components(self, values: Mapping[str, Any], release: str = "") -> list[Component]:
        return [SERVER] if (values.get("server") or {}).get("enabled", True) else []

    def render(self, plan: InstallPlan) -> dict[str, Any]:
        self.renders += 1
        sized = plan.resources.components.get("server")
        replicas = sized.replicas if sized is not None and sized.replicas is not None else 1
        return {"server": {"enabled": True, "replicaCount": replicas}, **copy.deepcopy(plan.extra_values)}

    def import_values(
        self, values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
    ) -> ImportResult:
        replicas = (values.get("server") or {}).get("replicaCount", 1)
        answers = {
            "environment": environment or "sandbox",
            "target": {"release": release or "tiny", "chart": {"name": "tiny", "path": "./tiny"}},
            "resources": {"components": {"server": {"replicas": replicas}}},
        }
        return ImportResult(answers)

    def is_owned(self, path: tuple[str, ...]) -> bool:
        return path == ("server", "replicaCount")

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        return {"cpu": "100m"} if values_key == "server" else {}

    def check(self, plan: InstallPlan) -> list[Problem]:
        debug = (plan.extra_values.get("server") or {}).get("debug")
        return [Problem("extraValues.server.debug", "tiny refuses debug")] if debug is not None else []

    def objects(self, release: str) -> ChartObjects:
        return ChartObjects(
            configmaps={SERVER.name: (f"{release}-tiny-config",)},
            admin_config=f"{release}-tiny-config",
            propeller_config=f"{release}-tiny-config",
            storage_service_accounts=(f"{release}-tiny",),
            ingress_backends=frozenset({f"{release}-tiny"}),
        )

    def endpoints(self, values: Mapping[str, Any], release: str) -> Endpoints:
        service = f"{release}-tiny"
        return Endpoints(
            (Forward(service, ("8080:80",)),), service, "http://localhost:8080/", service, "dns:///localhost:8080"
        )

    def database_secret(self, values: Mapping[str, Any]) -> DatabaseSecret:
        return DatabaseSecret("")


@pytest.fixture
def tiny() -> Iterator[Tiny]:
    profile = Tiny()
    charts.register(profile)
    yield profile
    charts.unregister(profile.name)


def _answers(**more: Any) -> dict[str, Any]:
    answers = copy.deepcopy(REALISTIC["sandbox"])
    answers["target"] = {"namespace": "tools", "release": "small", "chart": {"name": "tiny", "path": "./tiny"}}
    answers.update(more)
    return answers


def test_validation_uses_the_profile_of_the_chart_the_answers_name(tiny: Tiny, tmp_path, monkeypatch) -> None:
    (tmp_path / "tiny").mkdir()  # a chart path must exist for validation to pass
    (tmp_path / "tiny" / "Chart.yaml").write_text("apiVersion: v2\nname: tiny\nversion: 0.1.0\n")
    monkeypatch.chdir(tmp_path)
    ok = validate_answers(_answers(resources={"components": {"server": {"replicas": 2}}}))
    assert ok.ok, ok.problems
    refused = validate_answers(_answers(resources={"components": {"flyteadmin": {"replicas": 2}}}))
    assert [(p.path, p.message) for p in refused.errors] == [
        ("resources.components", "unknown component flyteadmin; accepted: server")
    ]
    # the tiny chart's own check applies, flyte-core's (a forbidden createClusterRole) does not
    extra = {"server": {"debug": True}, "flyteadmin": {"serviceAccount": {"createClusterRole": False}}}
    checked = validate_answers(_answers(extraValues=extra))
    assert [p.path for p in checked.errors] == ["extraValues.server.debug"]
    # the chart's default limit takes part in the model's request-above-limit rule
    high = validate_answers(_answers(resources={"components": {"server": {"requests": {"cpu": "1"}}}}))
    assert [p.path for p in high.errors] == ["resources.components.server.requests.cpu"]


def test_a_release_of_the_second_chart_is_planned_rendered_and_imported(tiny: Tiny) -> None:
    plan = validate_answers(_answers(resources={"components": {"server": {"replicas": 3}}})).plan
    assert plan is not None
    release = flyte_release(plan_releases(plan))
    assert release.profile is tiny
    assert (release.release, release.namespace, release.chart.path) == ("small", "tools", "./tiny")
    assert release.values == {"server": {"enabled": True, "replicaCount": 3}}
    assert release.expected_components == [SERVER]
    assert release.objects.configmaps == {"tiny-server": ("small-tiny-config",)}
    back = profile_for_chart("tiny").import_values(release.values, release="small")
    assert validate_answers(back.answers).plan is not None
    assert back.answers["resources"]["components"]["server"]["replicas"] == 3
    assert tiny.renders == 1


def test_an_unregistered_chart_name_is_still_flyte_core() -> None:
    assert profile_for_chart("flyte-core") is FLYTE_CORE
    assert profile_for_chart("flyte-core-fork") is FLYTE_CORE
    with pytest.raises(KeyError):
        charts.profile_named("flyte-core-fork")


def _snapshot(plan: InstallPlan, **fields: Any) -> Snapshot:
    target = DoctorTarget(namespace="tools", release="small", plan=plan)
    return Snapshot(target, kubectl_version={"serverVersion": {"gitVersion": "v1.36.3"}}, **fields)


def test_the_doctor_looks_up_the_second_charts_objects(tiny: Tiny) -> None:
    plan = validate_answers(_answers()).plan
    assert plan is not None
    release = flyte_release(plan_releases(plan))
    snap = _snapshot(plan, values=release.values, objects={"configmaps": [], "ingresses": []})
    assert snap.target.profile is tiny
    missing = config.configmaps(snap)
    assert (missing.severity, missing.summary.split(" (")[0]) == ("fail", "missing ConfigMap: small-tiny-config")
    snap.objects["configmaps"] = [{"metadata": {"name": "small-tiny-config"}}]
    assert config.configmaps(snap).severity == "pass"
    # no CRD, no webhook, no hard-coded namespace: those checks do not apply to this chart
    assert runtime.crd(snap).severity == "skip"
    assert runtime.webhook_config(snap).severity == "skip"
    assert config.namespace_keys(snap).severity == "skip"
    routed = {"spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"name": "small-tiny"}}}]}}]}}
    snap.objects["ingresses"] = [routed, {"spec": {"rules": [{"http": {"paths": [{"backend": {"service": {
        "name": "flyteadmin"}}}]}}]}}]  # fmt: skip
    assert network.flyte_ingresses(snap) == [routed]
    crashing = {
        "metadata": {"name": "server-1", "labels": {"app": "tiny-server", "app.kubernetes.io/instance": "small"}},
        "status": {"containerStatuses": [{"name": "server", "restartCount": 3, "state": {"waiting": {
            "reason": "CrashLoopBackOff"}}}]},
    }  # fmt: skip
    snap.objects["pods"] = [crashing]
    assert failing_containers(snap) == [("server-1", "server", True)]


def test_plan_releases_renders_once_and_the_release_carries_the_values(monkeypatch: pytest.MonkeyPatch) -> None:
    from flyte_tui.charts.flyte_core import render

    calls: list[InstallPlan] = []
    real = render.render_values

    def counting(plan: InstallPlan) -> dict[str, Any]:
        calls.append(plan)
        return real(plan)

    monkeypatch.setattr(render, "render_values", counting)
    plan = validate_answers(copy.deepcopy(REALISTIC["eks"])).plan
    assert plan is not None
    calls.clear()  # validation may render (extraValues rules); planning is what is counted
    release = flyte_release(plan_releases(plan))
    assert len(calls) == 1
    names = [c.name for c in release.expected_components]
    assert "flyteadmin" in names and release.objects.crd == "flyteworkflows.flyte.lyft.com"
    assert len(calls) == 1  # components and objects come from the values it carries, not a new render
    assert release.values == real(plan)
