"""Sandbox leftovers of issue 13 on the real test bed, helm 3 and 4: preflight checks the dependency chart's
source like Flyte's (a dead dependencies.chart.repo stops there, nothing installed); rollback on failure
removes the dependency release the run created, and leaves alone one that was there before, whether Flyte's
readiness failed or the dependencies step itself (a crash-looping postgres)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest

from flyte_tui.events import InstallFinished, StepFailed, StepFinished, StepStarted
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.install import Installer, InstallOptions
from flyte_tui.install.secrets import SecretValues
from tests.e2e.test_install import FAST, collect, plan_of
from tests.e2e.test_sandbox import DEPS_FIXTURE, run_install, sandbox
from tests.e2e.test_uninstall import names

pytestmark = pytest.mark.e2e

DEAD_REPO = "http://127.0.0.1:9/charts"
"""A repository nobody answers at (the discard port on loopback: refused at once)."""


def test_a_dead_dependency_repo_stops_preflight_and_nothing_is_installed(testbed, namespace, helm_bin, tmp_path):
    answers = sandbox(testbed, namespace, {"repo": DEAD_REPO, "version": "v1.16.8"})
    events = run_install(testbed, helm_bin, tmp_path, answers)
    [failed] = [e for e in events if isinstance(e, StepFailed)]
    assert failed.step == "preflight"
    assert failed.message.startswith(f"dependencies.chart.repo: chart flyte-deps v1.16.8 not reachable at {DEAD_REPO}")
    assert [e.step for e in events if isinstance(e, StepStarted)] == ["preflight"]
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    for release in ("flyte", "flyte-deps"):
        assert kh.release_state(testbed, helm_bin, namespace, release) == "not installed"
    assert kh.pods(testbed, namespace) == []
    assert not (tmp_path / "flyte-values.yaml").exists()


CRASHING_ADMIN = {
    "flytepropeller": {"createCRDs": False},
    "flyteadmin": {"podLabels": {"sim.kwok.test/fault": "crashloop"}},
}
"""Answers' extraValues that make Flyte's flyteadmin pod crash-loop on the test bed."""


def install(testbed: Any, helm_bin: Path, tmp_path: Path, answers: dict[str, Any], rollback: bool) -> list[Any]:
    options = InstallOptions(
        values_path=tmp_path / "flyte-values.yaml", helm=str(helm_bin), kubectl=str(testbed.kubectl),
        env=testbed.env, timeout=120.0, timing=FAST, secrets=SecretValues(), rollback_on_failure=rollback,
    )  # fmt: skip
    events, _elapsed = collect(Installer(plan_of(answers), options))
    return events


def test_rollback_removes_the_dependency_release_it_created_only(testbed, namespace, helm_bin, tmp_path) -> None:
    answers = {**sandbox(testbed, namespace), "extraValues": CRASHING_ADMIN}
    # a first install whose flyteadmin crash-loops, rollback on: neither release is left
    events = install(testbed, helm_bin, tmp_path, answers, rollback=True)
    [failed] = [e for e in events if isinstance(e, StepFailed)]
    assert failed.step == "readiness" and "flyteadmin" in failed.message
    [rollback] = [e for e in events if isinstance(e, StepFinished) and e.step == "rollback"]
    assert "dependency release flyte-deps removed (created by this run)" in rollback.detail
    for release in ("flyte", "flyte-deps"):
        assert kh.release_state(testbed, helm_bin, namespace, release) == "not installed"
    # the dependency release there before the run (left by a run without rollback, Flyte's removed) is kept
    install(testbed, helm_bin, tmp_path, answers, rollback=False)
    kh.helm(testbed, helm_bin, "uninstall", "flyte", "--namespace", namespace)
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-deps") == "deployed"
    events = install(testbed, helm_bin, tmp_path, answers, rollback=True)
    [rollback] = [e for e in events if isinstance(e, StepFinished) and e.step == "rollback"]
    assert "dependency" not in rollback.detail
    assert kh.release_state(testbed, helm_bin, namespace, "flyte") == "not installed"
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-deps") == "deployed"
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and "dependency release flyte-deps is deployed" in finished.summary


def crashing_postgres(tmp_path: Path) -> dict[str, str]:
    """A local copy of the dependency chart whose postgres pod crash-loops on the test bed (its chart source)."""
    chart = tmp_path / "flyte-deps"
    shutil.copytree(DEPS_FIXTURE, chart)
    values = load_plain((chart / "values.yaml").read_text())
    values["postgres"]["podLabels"] = {"sim.kwok.test/fault": "crashloop"}
    (chart / "values.yaml").write_text(dump(values))
    return {"path": str(chart)}


def test_rollback_after_a_failed_dependencies_step_leaves_nothing(testbed, namespace, helm_bin, tmp_path) -> None:
    answers = sandbox(testbed, namespace, crashing_postgres(tmp_path))
    events = install(testbed, helm_bin, tmp_path, answers, rollback=True)
    [failed] = [e for e in events if isinstance(e, StepFailed)]
    assert failed.step == "dependencies" and failed.message.startswith("dependency release flyte-deps: postgres")
    steps = [e.step for e in events if isinstance(e, StepStarted)]
    assert steps[-2:] == ["dependencies", "rollback"] and "helm" not in steps
    [rollback] = [e for e in events if isinstance(e, StepFinished) and e.step == "rollback"]
    assert rollback.detail == (
        "dependency release flyte-deps removed (created by this run); release flyte was not installed"
    )
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    assert finished.summary[0].startswith("the install failed and dependency release flyte-deps, created by this run,")
    assert "dependency release flyte-deps is not installed" in finished.summary
    # what a user checks: no release, no pod, no Secret flyte-tui created is left in the namespace
    for release in ("flyte", "flyte-deps"):
        assert kh.release_state(testbed, helm_bin, namespace, release) == "not installed"
    kh.wait_for("the dependency pods to go", lambda: kh.pods(testbed, namespace) == [] or None)
    assert names(testbed, "secrets", namespace, "-l", "app.kubernetes.io/managed-by=flyte-tui") == set()
    # a dependency release there before the run (left by a run without rollback) is kept
    install(testbed, helm_bin, tmp_path, answers, rollback=False)
    events = install(testbed, helm_bin, tmp_path, answers, rollback=True)
    assert [e.step for e in events if isinstance(e, StepFailed)] == ["dependencies"]
    assert "rollback" not in [e.step for e in events if isinstance(e, StepStarted)]
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-deps") == "deployed"
    assert kh.release_state(testbed, helm_bin, namespace, "flyte") == "not installed"
