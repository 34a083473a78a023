"""Sandbox leftovers of issue 13 on the real test bed, helm 3 and 4: preflight checks the dependency chart's
source like Flyte's (a dead dependencies.chart.repo stops there, nothing installed)."""

from __future__ import annotations

import k8s_helpers as kh
import pytest

from flyte_tui.events import InstallFinished, StepFailed, StepStarted
from tests.e2e.test_sandbox import run_install, sandbox

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
