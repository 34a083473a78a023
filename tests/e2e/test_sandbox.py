"""A sandbox on a bare namespace, end to end on the real control plane, helm 3 and 4 (issue 13): the
dependency release (minio and postgres of the flyte-deps-shaped fixture chart) installed and Ready before
Flyte's helm runs, then every Flyte component Ready, and the doctor's storage and database checks pass with
nothing else created by the test; a crash-looping postgres ends the install there, naming the dependency.

Opt-in: FLYTE_TUI_REAL_DEPS_CHART=<flyteorg/flyte checkout>/charts/flyte-deps (after ``helm dependency
build``: helm wants its subcharts present even when they are off) installs the real chart as the dependencies.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest

from flyte_tui.events import ComponentsChanged, InstallFinished, StepFailed, StepStarted
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.install import Installer, InstallOptions
from flyte_tui.install.secrets import SecretValues
from tests.e2e.test_doctor import by_id, doctor_cli
from tests.e2e.test_install import FAST, collect, plan_of
from tests.e2e.test_uninstall import cli, names, tools

pytestmark = pytest.mark.e2e

DEPS_FIXTURE = Path(__file__).resolve().parents[1] / "charts" / "flyte-deps"
REAL_DEPS = os.environ.get("FLYTE_TUI_REAL_DEPS_CHART", "")


def sandbox(testbed: Any, namespace: str, deps_chart: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a new user writes for a bare local cluster (the charts from the loopback repo)."""
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "sandbox",
        "target": {
            "context": testbed.context,
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": testbed.repo_url, "name": "flyte-core", "version": "v1.16.8"},
        },
        "dependencies": {"chart": deps_chart or {"repo": testbed.repo_url, "version": "v1.16.8"}},
        # the FlyteWorkflow CRD is cluster-wide: left to the smoke test, as in test_install
        "extraValues": {"flytepropeller": {"createCRDs": False}},
    }


def run_install(testbed: Any, helm_bin: Path, tmp_path: Path, answers: dict[str, Any]) -> list[Any]:
    options = InstallOptions(
        values_path=tmp_path / "flyte-values.yaml", helm=str(helm_bin), kubectl=str(testbed.kubectl),
        env=testbed.env, timeout=120.0, timing=FAST, secrets=SecretValues(),
    )  # fmt: skip
    events, _elapsed = collect(Installer(plan_of(answers), options))
    return events


def test_a_bare_namespace_gets_its_dependencies_then_flyte(testbed, namespace, helm_bin, tmp_path) -> None:
    events = run_install(testbed, helm_bin, tmp_path, sandbox(testbed, namespace))
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and finished.ok, [e for e in events if isinstance(e, StepFailed)]
    steps = [e.step for e in events if isinstance(e, StepStarted)]
    assert steps == ["preflight", "repo", "namespace", "secrets", "dependencies", "helm", "readiness"]
    assert next(e.title for e in events if isinstance(e, StepStarted) and e.step == "dependencies") == (
        "Dependencies: minio, postgres"
    )
    # the dependencies' own readiness, all ready before Flyte's helm started
    before_helm = events[: next(i for i, e in enumerate(events) if isinstance(e, StepStarted) and e.step == "helm")]
    last_deps = [e for e in before_helm if isinstance(e, ComponentsChanged)][-1]
    assert {(c.name, c.state) for c in last_deps.components} == {("minio", "ready"), ("postgres", "ready")}
    # both releases deployed, each with its own values file
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-deps") == "deployed"
    assert kh.release_state(testbed, helm_bin, namespace, "flyte") == "deployed"
    assert load_plain((tmp_path / "flyte-values-deps.yaml").read_text())["webhook"] == {"enabled": False}
    ready = [p["metadata"]["labels"]["app.kubernetes.io/name"] for p in kh.pods(testbed, namespace) if kh.is_ready(p)]
    assert {"minio", "postgres", "flyteadmin", "datacatalog", "flytepropeller", "flyteconsole"} <= set(ready)
    # the doctor finds storage and the database without anything the test created
    _code, report = doctor_cli(testbed, helm_bin, namespace)
    checks = by_id(report)
    for check in ("config.storage", "config.db-secret", "release.status", "dependency.minio", "dependency.postgres",
                  "dependency.db-auth"):  # fmt: skip
        assert checks[check]["severity"] == "pass", checks[check]
    assert f"a minio Service runs in {namespace}" in checks["config.storage"]["summary"]
    # and it can all be removed: uninstall with the same answers takes Flyte, then its dependencies
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(sandbox(testbed, namespace)))
    done = cli(testbed, "uninstall", str(answers), "--yes", "--json", *tools(testbed, helm_bin))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    started = [e["step"] for e in map(json.loads, done.stdout.splitlines()) if e["event"] == "StepStarted"]
    assert started[:2] == ["uninstall-flyte", "uninstall-flyte-deps"]
    for release in ("flyte", "flyte-deps"):
        assert kh.release_state(testbed, helm_bin, namespace, release) == "not installed"
    assert kh.pods(testbed, namespace) == []
    assert names(testbed, "secrets", namespace, "-l", "app.kubernetes.io/managed-by=flyte-tui") == set()


def test_a_crash_looping_postgres_is_named_and_flytes_helm_never_runs(testbed, namespace, helm_bin, tmp_path) -> None:
    chart = tmp_path / "flyte-deps"  # a local copy, as an offline user points dependencies.chart.path at one
    shutil.copytree(DEPS_FIXTURE, chart)
    values = load_plain((chart / "values.yaml").read_text())
    values["postgres"]["podLabels"] = {"sim.kwok.test/fault": "crashloop"}
    (chart / "values.yaml").write_text(dump(values))
    events = run_install(testbed, helm_bin, tmp_path, sandbox(testbed, namespace, {"path": str(chart)}))
    [failed] = [e for e in events if isinstance(e, StepFailed)]
    assert failed.step == "dependencies"
    assert failed.message.startswith("dependency release flyte-deps: postgres will not become ready")
    assert "keeps crashing" in failed.message
    assert failed.explanation is not None and failed.explanation.component == "postgres"
    assert failed.explanation.object.startswith("pod/postgres-")
    assert "helm" not in [e.step for e in events if isinstance(e, StepStarted)]
    assert kh.release_state(testbed, helm_bin, namespace, "flyte") == "not installed"
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    assert "dependency release flyte-deps is deployed" in finished.summary
    # the doctor names it the same way
    _code, report = doctor_cli(testbed, helm_bin, namespace, "--release", "flyte")
    postgres = by_id(report)["dependency.postgres"]
    assert postgres["severity"] == "fail" and postgres["summary"].startswith("dependency postgres")


@pytest.mark.skipif(not REAL_DEPS, reason="set FLYTE_TUI_REAL_DEPS_CHART to flyteorg/flyte's charts/flyte-deps")
def test_the_real_dependency_chart_gets_ready(testbed, namespace, helm_bin, tmp_path) -> None:
    real = {"path": str(Path(REAL_DEPS).resolve())}
    events = run_install(testbed, helm_bin, tmp_path, sandbox(testbed, namespace, real))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-deps") == "deployed"
