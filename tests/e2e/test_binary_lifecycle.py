"""A flyte-binary release from install to uninstall on the real control plane (helm 3 and 4), one install
shared by every step: the end summary forwards flyte-binary's own Services; a changed answer's diff names
only the object it changes, and the upgrade applies it; the doctor finds the release healthy, then names
the database Secret once it is deleted; uninstall --yes leaves no release, no pod, no Secret of flyte-tui's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.yamlio import dump
from tests.e2e import k8s_helpers as kh
from tests.e2e.test_install_binary import binary_answers

pytestmark = pytest.mark.e2e

SECRETS_ENV = {
    "FLYTE_TUI_DB_PASSWORD": "pw-e2e",
    "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E",
    "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e",
}
DEPLOYMENT = "flyte-flyte-binary"
FLYTE_TUI_LABEL = "app.kubernetes.io/managed-by=flyte-tui"


def cli(testbed: Any, helm_bin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``flyte-tui`` as a user runs it (stdin not a terminal), with the test bed's binaries."""
    argv = [sys.executable, "-m", "flyte_tui.cli", *args, f"--helm={helm_bin}"]
    if args[0] != "diff":
        argv.append(f"--kubectl={testbed.kubectl}")
    return subprocess.run(argv, env={**testbed.env, **SECRETS_ENV}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def checks(testbed: Any, helm_bin: Path, namespace: str) -> tuple[int, dict[str, dict[str, Any]]]:
    done = cli(testbed, helm_bin, "doctor", "--json", f"--context={testbed.context}", f"--namespace={namespace}")
    assert done.stdout.strip(), done.stderr
    return done.returncode, {c["id"]: c for c in json.loads(done.stdout)["checks"]}


def secrets_of_ours(testbed: Any, namespace: str) -> set[str]:
    out = testbed.kubectl_run("get", "secrets", "-n", namespace, "-l", FLYTE_TUI_LABEL, "-o", "name").stdout
    return {line.split("/", 1)[1] for line in out.split()}


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "flyteworkflows.flyte.lyft.com"},
    "spec": {
        "group": "flyte.lyft.com",
        "names": {"kind": "FlyteWorkflow", "plural": "flyteworkflows", "singular": "flyteworkflow"},
        "scope": "Namespaced",
        "versions": [{"name": "v1alpha1", "served": True, "storage": True,
                      "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}],
    },
}  # fmt: skip
"""The FlyteWorkflow CRD: the real chart renders it (templates/crds) or its propeller creates it; the fixture
chart does not, so the test gives the cluster what a real install would have."""


@pytest.fixture
def flyte_crd(testbed):
    """The CRD present for the test (removed after when the test made it)."""
    had = testbed.kubectl_run("get", "crd", CRD["metadata"]["name"], check=False).returncode == 0
    if not had:
        kh.apply(testbed, "default", CRD)
    yield
    if not had:
        testbed.kubectl_run("delete", "crd", CRD["metadata"]["name"], "--wait=false", check=False)


def test_binary_install_upgrade_doctor_uninstall(testbed, namespace, helm_bin, tmp_path, flyte_crd) -> None:
    data = binary_answers(testbed, namespace)
    data["ingress"] = {"enabled": False}
    data["resources"] = {"components": {"flyte-binary": {"requests": {"cpu": "100m"}}}}
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(data))

    installed = cli(testbed, helm_bin, "install", "--yes", "--timeout=2m", str(answers))
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-2000:]
    assert f"port-forward svc/{DEPLOYMENT}-http 8088:8088" in installed.stdout
    assert f"port-forward svc/{DEPLOYMENT}-grpc 8089:8089" in installed.stdout
    assert "Then open http://localhost:8088/console (the Flyte console)" in installed.stdout
    assert "flyteconsole" not in installed.stdout and "svc/flyteadmin" not in installed.stdout

    data["resources"]["components"]["flyte-binary"]["requests"]["cpu"] = "150m"
    answers.write_text(dump(data))
    diff = cli(testbed, helm_bin, "diff", "--json", str(answers))
    assert diff.returncode == 2, diff.stdout[-3000:] + diff.stderr[-2000:]
    report = json.loads(diff.stdout)
    assert [a["path"] for a in report["answers"]] == ["resources.components.flyte-binary.requests.cpu"]
    assert [(m["kind"], m["name"], m["change"]) for m in report["manifests"]] == [
        ("Deployment", DEPLOYMENT, "changed")
    ]
    upgraded = cli(testbed, helm_bin, "upgrade", "--yes", "--timeout=2m", str(answers))
    assert upgraded.returncode == 0, upgraded.stdout[-3000:] + upgraded.stderr[-2000:]
    deployment = json.loads(testbed.kubectl_run("get", "deployment", DEPLOYMENT, "-n", namespace, "-o", "json").stdout)
    assert deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "150m"

    code, found = checks(testbed, helm_bin, namespace)
    failed = {i: c["summary"] for i, c in found.items() if c["severity"] == "fail"}
    warned = {i: c["summary"] for i, c in found.items() if c["severity"] == "warn"}
    assert code in (0, 4) and not failed, (code, failed, warned)
    assert set(warned) <= {"events.warnings", "cluster.nodes"}, warned  # the test bed has no node
    assert found["component.flyte-binary"]["severity"] == "pass", found["component.flyte-binary"]
    assert found["config.db-secret"]["severity"] == "pass", found["config.db-secret"]
    assert found["component.flyteadmin"]["severity"] == "skip"

    testbed.kubectl_run("delete", "secret", "db-pass", "-n", namespace)
    code, found = checks(testbed, helm_bin, namespace)
    assert code == 3
    assert found["config.db-secret"]["severity"] == "fail"
    assert "Secret db-pass does not exist" in found["config.db-secret"]["summary"]

    removed = cli(testbed, helm_bin, "uninstall", "--yes", str(answers))
    assert removed.returncode == 0, removed.stdout[-3000:] + removed.stderr[-2000:]
    assert kh.release_state(testbed, helm_bin, namespace) == "not installed"
    assert kh.pods(testbed, namespace) == []
    assert secrets_of_ours(testbed, namespace) == set()
