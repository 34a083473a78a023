"""``flyte-tui install`` on a release that exists already (issue 19, item 2): the same sequence as
``flyte-tui upgrade`` — the review of what changes, then the upgrade, rolled back on failure — never a blind
``helm upgrade --install``; and the rollback of a failed release goes to its last deployed revision (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers
from tests.e2e.test_install_errors import SECRET_ENV

pytestmark = pytest.mark.e2e

CRASHLOOP = {"flyteadmin": {"podLabels": {tb.FAULT_LABEL: "crashloop"}}}
"""flyteadmin crash-loops: the readiness watch stops the run early."""
REFUSED = {"flyteadmin": {"replicaCount": -1}}
"""A Deployment the API server refuses: helm itself fails and records a failed revision."""


Done = subprocess.CompletedProcess[str]


def flyte_tui(testbed: Any, helm: Path | str, command: str, path: Path, *extra: str) -> Done:
    """``flyte-tui <command> --yes … ANSWERS`` as a user runs it headless; never a traceback."""
    argv = [sys.executable, "-m", "flyte_tui.cli", command, "--yes", "--helm", str(helm), "--kubectl",
            str(testbed.kubectl), "--timeout", "1m", "-o", str(path.with_name("values.yaml")), *extra,
            str(path)]  # fmt: skip
    done = subprocess.run(argv, env={**testbed.env, **SECRET_ENV}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done


def history(testbed: Any, helm: Path, namespace: str) -> list[dict[str, Any]]:
    done = testbed.helm_run(helm, "history", "flyte", "-n", namespace, "-o", "json")
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def events_of(done: Done) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.splitlines()]  # nothing but JSON on stdout


def test_install_again_reviews_the_change_then_upgrades_and_rolls_back_a_crash_loop(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    path = tmp_path / "flyte-tui.yaml"
    data = answers(testbed, namespace)
    path.write_text(dump(data))
    first = flyte_tui(testbed, helm_bin, "install", path)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    assert "Answers (" not in first.stdout  # a first install has nothing to review

    # one answer changed: the review names it and the object it changes, then helm upgrades (revision 2)
    data["resources"] = {"components": {"flyteconsole": {"replicas": 2}}}
    path.write_text(dump(data))
    again = flyte_tui(testbed, helm_bin, "install", path)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    out = again.stdout
    assert f"release flyte in {namespace}: flyte-core-v1.16.8, revision 1, deployed" in out
    assert "Answers (1 changed):" in out and "resources.components.flyteconsole.replicas" in out
    assert "  changed Deployment/flyteconsole" in out
    assert out.index("Manifests (") < out.index("==> Preflight checks")  # the review comes before any change
    assert [(h["revision"], h["status"]) for h in history(testbed, helm_bin, namespace)] == [
        (1, "superseded"),
        (2, "deployed"),
    ]

    # a change that makes flyteadmin crash-loop: rolled back to revision 2 (on by default), exit 1; --json
    # gives upgrade's events (the review on stderr)
    data["extraValues"].update(CRASHLOOP)
    path.write_text(dump(data))
    bad = flyte_tui(testbed, helm_bin, "install", path, "--json")
    assert bad.returncode == 1, bad.stderr[-2000:]
    assert "changed Deployment/flyteadmin" in bad.stderr
    events = events_of(bad)
    assert [e["step"] for e in events if e["event"] == "StepFailed"] == ["readiness"]
    assert {"event": "StepStarted", "step": "rollback", "title": "Rolling back to revision 2"} in events
    finished = events[-1]
    assert finished["event"] == "InstallFinished" and finished["ok"] is False
    assert finished["release_state"] == "deployed"
    assert finished["summary"][0] == "the upgrade failed and was rolled back to revision 2, which is ready again"
    revisions = history(testbed, helm_bin, namespace)
    assert [h["status"] for h in revisions] == ["superseded", "superseded", "superseded", "deployed"]
    assert revisions[-1]["description"] == "Rollback to 2"


def test_a_failed_release_with_a_deployed_revision_is_rolled_back_not_uninstalled(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    """Revision 1 deployed; an upgrade that helm fails, with --no-rollback, leaves the release failed; a second
    failing install (rollback on failure by default) returns it to revision 1 instead of uninstalling it."""
    path = tmp_path / "flyte-tui.yaml"
    data = answers(testbed, namespace)
    path.write_text(dump(data))
    assert flyte_tui(testbed, helm_bin, "install", path).returncode == 0

    data["extraValues"].update(REFUSED)
    path.write_text(dump(data))
    kept = flyte_tui(testbed, helm_bin, "install", path, "--no-rollback", "--json")
    assert kept.returncode == 1
    assert [e["step"] for e in events_of(kept) if e["event"] == "StepStarted"][-1] == "helm"  # no rollback step
    assert [h["status"] for h in history(testbed, helm_bin, namespace)] == ["deployed", "failed"]

    again = flyte_tui(testbed, helm_bin, "install", path, "--json")
    assert again.returncode == 1
    assert "revision 2, failed" in again.stderr  # the live release, then its review
    events = events_of(again)
    assert {"event": "StepStarted", "step": "rollback", "title": "Rolling back to revision 1"} in events
    assert events[-1]["release_state"] == "deployed"
    revisions = history(testbed, helm_bin, namespace)
    assert [h["status"] for h in revisions][1:] == ["failed", "failed", "deployed"]  # kept, and back at 1
    assert revisions[-1]["description"] == "Rollback to 1"


def test_install_of_a_pending_release_is_refused_unless_recover(testbed, namespace, tmp_path) -> None:
    helm = Path(testbed.helm4)
    stuck = tmp_path / "stuck.yaml"
    stuck_admin = {"podLabels": {tb.FAULT_LABEL: "stuckinit"}}
    stuck.write_text(dump({"flytepropeller": {"createCRDs": False}, "flyteadmin": stuck_admin}))
    kh.leave_pending(testbed, helm, "install", namespace, stuck)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))

    refused = flyte_tui(testbed, helm, "install", path)
    assert refused.returncode == 1
    assert f"Recovery: {helm} rollback flyte 1 --namespace {namespace}" in refused.stdout
    assert "error: release flyte is pending-install: run again with --recover" in refused.stderr
    assert kh.release_state(testbed, helm, namespace) == "pending-install"  # nothing ran

    recovered = flyte_tui(testbed, helm, "install", path, "--recover", "--json")
    assert recovered.returncode == 0, recovered.stdout[-2000:] + recovered.stderr[-2000:]
    assert "recovered: release flyte revision 1 re-applied and deployed" in recovered.stderr
    assert events_of(recovered)[-1]["ok"] is True
    assert [h["status"] for h in history(testbed, helm, namespace)][-1] == "deployed"


def test_the_upgrade_reads_the_release_through_a_moment_of_api_server_outage(testbed, namespace, tmp_path) -> None:
    """The API server is down when ``flyte-tui upgrade`` first reads the release and back about a second
    later: the read is tried again (the upgrade path's helm retries transient reads, as install's does)."""
    helm = Path(testbed.helm4)
    path = tmp_path / "flyte-tui.yaml"
    data = answers(testbed, namespace)
    path.write_text(dump(data))
    assert flyte_tui(testbed, helm, "install", path).returncode == 0
    data["resources"] = {"components": {"flyteconsole": {"replicas": 2}}}
    path.write_text(dump(data))

    result: list[Done] = []
    with testbed.apiserver_down():
        worker = threading.Thread(target=lambda: result.append(flyte_tui(testbed, helm, "upgrade", path)))
        worker.start()
        time.sleep(1.5)
    worker.join(timeout=300)
    [done] = result
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"release flyte in {namespace}: flyte-core-v1.16.8, revision 1, deployed" in done.stdout
    assert [h["status"] for h in history(testbed, helm, namespace)] == ["superseded", "deployed"]
