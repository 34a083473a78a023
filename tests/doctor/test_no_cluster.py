"""The doctor and the bundle as a new user meets them (issue 11, items 6-7; issue 12, item 30): no helm on
PATH and an empty kubeconfig, with the real kubectl and real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CACHE

KUBECTL = next(iter(sorted(CACHE.glob("k8s-*/bin/kubectl"))), None) or (
    Path(found) if (found := shutil.which("kubectl")) else None
)
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="needs a kubectl binary (tests/cluster/build)")


def doctor(tmp_path: Path, *args: str, kubeconfig: str = "") -> subprocess.CompletedProcess[str]:
    bare = tmp_path / "bin"  # no helm here
    bare.mkdir(exist_ok=True)
    config = tmp_path / "kubeconfig"
    config.write_text(kubeconfig)
    env = {
        "PATH": str(bare),
        "HOME": str(tmp_path),
        "KUBECONFIG": str(config),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    argv = [sys.executable, "-m", "flyte_tui.cli", *args, "--kubectl", str(KUBECTL)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path, check=False)


def test_no_helm_and_no_context_is_exit_1_with_what_was_not_checked(tmp_path: Path) -> None:
    done = doctor(tmp_path, "doctor", "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["release.status"]["severity"] == "skip"
    assert "helm did not run" in checks["release.status"]["summary"]
    assert checks["cluster.reachable"]["severity"] == "fail"
    assert "no contexts" in checks["cluster.reachable"]["summary"]
    assert "localhost:8080" not in checks["cluster.reachable"]["summary"]
    assert checks["tools.helm"]["severity"] == "fail"
    assert report["exitCode"] == 1

    text = doctor(tmp_path, "doctor")
    assert text.returncode == 1 and "no release flyte" not in text.stdout


DEAD_CONTEXT = """\
apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: me, user: {token: not-a-real-token}}]
contexts: [{name: dead-ctx, context: {cluster: dead, user: me}}]
current-context: dead-ctx
"""


def test_the_json_names_the_context_actually_used(tmp_path: Path) -> None:
    done = doctor(tmp_path, "doctor", "--json", kubeconfig=DEAD_CONTEXT)
    report = json.loads(done.stdout)
    assert report["target"]["context"] == "dead-ctx"
    assert done.returncode == 1  # the cluster did not answer: the doctor could not run
    asked = doctor(tmp_path, "doctor", "--json", "--context", "other", kubeconfig=DEAD_CONTEXT)
    checks = {c["id"]: c for c in json.loads(asked.stdout)["checks"]}
    assert "context other is not in the kubeconfig" in checks["cluster.reachable"]["summary"]


def test_a_bundle_with_nothing_of_the_cluster_says_so_and_fails(tmp_path: Path) -> None:
    done = doctor(tmp_path, "bundle", "-o", str(tmp_path / "s.tar.gz"))
    assert done.returncode == 1, done.stderr
    assert "could not be collected" in done.stderr and "nothing of the cluster was collected" in done.stderr
    assert "pods" in done.stderr and "Traceback" not in done.stderr
