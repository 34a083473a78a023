"""flyte-binary → flyte-core on the real control plane: `flyte-tui migrate --yes` installs the flyte-core
release, waits until it is Ready, and only then removes the flyte-binary release (the DB Secret and the
FlyteWorkflow CRD kept, the new answers valid); a flyte-core install that fails leaves flyte-binary deployed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import validate_answers, validate_file
from flyte_tui.files.yamlio import dump
from flyte_tui.migrate import live_binary_answers, migrate_answers
from flyte_tui.release import release_helm
from tests.e2e import k8s_helpers as kh
from tests.e2e.test_install_binary import binary_answers

pytestmark = pytest.mark.e2e

CRD = "flyteworkflows.flyte.lyft.com"
# The CRD as flyte-binary's propeller creates it at run time: no Helm release owns it.
UNOWNED_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": CRD},
    "spec": {
        "group": "flyte.lyft.com",
        "names": {"kind": "FlyteWorkflow", "plural": "flyteworkflows", "singular": "flyteworkflow",
                  "shortNames": ["fly"]},
        "scope": "Namespaced",
        "versions": [{"name": "v1alpha1", "served": True, "storage": True,
                      "schema": {"openAPIV3Schema": {"type": "object",
                                                     "x-kubernetes-preserve-unknown-fields": True}}}],
    },
}  # fmt: skip


@pytest.fixture
def crd_removed_after(testbed: Any) -> Any:
    """The CRD (cluster-wide) is gone before and after."""
    testbed.kubectl_run("delete", "crd", CRD, "--ignore-not-found", check=False)
    yield
    testbed.kubectl_run("delete", "crd", CRD, "--ignore-not-found", "--wait=false", check=False)


def cli(testbed: Any, helm: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``flyte-tui`` as a user runs it, stdin not a terminal."""
    argv = [sys.executable, "-m", "flyte_tui.cli", *args, f"--helm={helm}", f"--kubectl={testbed.kubectl}"]
    return subprocess.run(argv, env={**testbed.env, **(env or {})}, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def install_binary(testbed: Any, helm: Path, namespace: str, tmp_path: Path) -> Path:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(binary_answers(testbed, namespace)))
    env = {"FLYTE_TUI_DB_PASSWORD": "pw-e2e", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E", "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e"}
    done = cli(testbed, helm, "install", "--yes", "--timeout=2m", f"--values-out={tmp_path / 'values.yaml'}",
               str(answers), env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return answers


def test_migrate_installs_flyte_core_then_removes_flyte_binary(
    testbed, namespace, helm_bin, tmp_path, crd_removed_after
) -> None:
    answers = install_binary(testbed, helm_bin, namespace, tmp_path)
    testbed.kubectl_run("apply", "-f", "-", input_text=json.dumps(UNOWNED_CRD))
    # without the answers file: the live release's answers, through the flyte-binary importer, map as well
    live, _kept = live_binary_answers(release_helm(str(helm_bin), testbed.context, namespace, testbed.env), "flyte")
    live["target"]["chart"]["repo"] = testbed.repo_url
    from_live = migrate_answers(live)
    checked = validate_answers(from_live.answers)
    assert checked.ok and checked.plan is not None, [str(p) for p in checked.errors]
    assert checked.plan.storage.metadata_bucket == "acme-flyte-meta"
    assert checked.plan.ingress.host == "flyte.example.com"
    assert checked.plan.target.chart.version == "v1.16.8" and from_live.new_release == "flyte-core"
    new_answers = tmp_path / "core.yaml"
    done = cli(testbed, helm_bin, "migrate", str(answers), "--yes", "--json", "--timeout=2m", f"--output={new_answers}")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines()]  # stdout: only events
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True, events[-1]
    steps = [e["step"] for e in events if e["event"] == "StepStarted"]
    # the old release goes only after the new one's readiness step, and the Ingress moves last
    assert steps.index("old-uninstall-flyte") > steps.index("readiness") and steps[-1] == "ingress-readiness", steps
    assert "old-secrets" in steps and steps.index("ingress-helm") > steps.index("old-uninstall-flyte")
    assert "Old release: flyte (flyte-binary)" in done.stderr and "Left behind" in done.stderr  # the review
    assert kh.release_state(testbed, helm_bin, namespace, "flyte-core") == "deployed"
    assert kh.release_state(testbed, helm_bin, namespace, "flyte") == "not installed"
    secrets = testbed.kubectl_run("get", "secret", "db-pass", "flyte-storage", "-n", namespace, "-o", "name")
    assert "secret/db-pass" in secrets.stdout and "secret/flyte-storage" in secrets.stdout
    crd = json.loads(testbed.kubectl_run("get", "crd", CRD, "-o", "json").stdout)
    assert crd["metadata"]["annotations"]["meta.helm.sh/release-name"] == "flyte-core"
    ingresses = json.loads(testbed.kubectl_run("get", "ingress", "-n", namespace, "-o", "json").stdout)["items"]
    hosts = {r["host"] for i in ingresses for r in i["spec"]["rules"]}
    owners = {i["metadata"]["annotations"]["meta.helm.sh/release-name"] for i in ingresses}
    assert hosts == {"flyte.example.com"} and owners == {"flyte-core"}, ingresses
    result = validate_file(new_answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.problems]
    assert (result.plan.target.chart.name, result.plan.target.release) == ("flyte-core", "flyte-core")
    assert "pw-e2e" not in done.stdout + done.stderr + new_answers.read_text()


def test_a_failed_flyte_core_install_leaves_flyte_binary_deployed(testbed, namespace, tmp_path) -> None:
    helm = testbed.helm4
    answers = install_binary(testbed, helm, namespace, tmp_path)
    unconfirmed = cli(testbed, helm, "migrate", str(answers))  # no --yes, no terminal: nothing changes
    assert unconfirmed.returncode == 2 and "refusing to migrate without --yes" in unconfirmed.stderr
    assert kh.release_state(testbed, helm, namespace, "flyte-core") == "not installed"
    answers.write_text(answers.read_text().replace("v1.16.8", "v9.9.9"))  # no flyte-core chart of that version
    done = cli(testbed, helm, "migrate", str(answers), "--yes", "--timeout=1m")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-2000:]
    assert "release flyte (flyte-binary) is untouched: still deployed" in done.stdout
    assert kh.release_state(testbed, helm, namespace, "flyte") == "deployed"
    pods = testbed.kubectl_run("get", "deployment", "flyte-flyte-binary", "-n", namespace, "-o", "name")
    assert "flyte-flyte-binary" in pods.stdout
