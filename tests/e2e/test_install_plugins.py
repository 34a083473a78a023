"""A chosen task plugin on the real control plane (flyte-binary from the loopback repository): without its
CRD the install stops at preflight naming the CRD and the operator's helm command, and helm installs nothing;
with the CRD applied (a minimal one made here, as the dask operator's chart would) the install goes on and the
ConfigMap on the cluster enables the plugin for its task type; the doctor's plugins.crds passes, and fails
once the CRD is deleted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.files.yamlio import dump
from flyte_tui.model.plugins import CATALOG
from tests.e2e.test_doctor import by_id, doctor_cli
from tests.e2e.test_install_binary import binary_answers

pytestmark = pytest.mark.e2e

DASK = CATALOG["dask"]
CRD = DASK.crds[0]


def crd_manifest() -> str:
    """A minimal CRD for DaskJobs, served at the version Flyte creates."""
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": CRD.name},
        "spec": {
            "group": CRD.group,
            "names": {"kind": "DaskJob", "plural": CRD.plural, "singular": "daskjob", "listKind": "DaskJobList"},
            "scope": "Namespaced",
            "versions": [
                {
                    "name": CRD.versions[0],
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
                }
            ],
        },
    }
    return json.dumps(crd)


def install(testbed: Any, helm_bin: Path, tmp_path: Path, answers: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers))
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-e2e", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e"}  # fmt: skip
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--json", "--helm", str(helm_bin),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m", "-o", str(tmp_path / "values.yaml"),
            str(path)]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)


def releases(testbed: Any, namespace: str) -> list[dict[str, Any]]:
    return json.loads(testbed.helm_run(testbed.helm3, "list", "-a", "-n", namespace, "-o", "json").stdout or "[]")


def test_a_missing_crd_stops_at_preflight_and_an_applied_one_lets_the_install_go_on(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    answers = {**binary_answers(testbed, namespace), "plugins": ["dask"]}
    testbed.kubectl_run("delete", "crd", CRD.name, "--ignore-not-found", "--wait=true")
    stopped = install(testbed, helm_bin, tmp_path, answers)
    assert stopped.returncode != 0, stopped.stdout[-2000:]
    out = stopped.stdout + stopped.stderr
    assert f"needs CRD {CRD.name}, which is not on the cluster" in out, out[-3000:]
    assert "helm install dask-kubernetes-operator" in out
    assert "Traceback" not in out
    assert releases(testbed, namespace) == []

    testbed.kubectl_run("apply", "-f", "-", input_text=crd_manifest())
    try:
        testbed.kubectl_run("wait", "--for=condition=Established", f"crd/{CRD.name}", "--timeout=60s")
        done = install(testbed, helm_bin, tmp_path, answers)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert f"plugins' CRDs served: {CRD.name}" in done.stdout
        config = json.loads(testbed.kubectl_run("get", "configmap", "flyte-flyte-binary-config", "-n", namespace,
                                                "-o", "json").stdout)["data"]  # fmt: skip
        tasks = YAML(typ="safe").load(config["001-plugins.yaml"])["tasks"]["task-plugins"]
        assert "dask" in tasks["enabled-plugins"] and "container" in tasks["enabled-plugins"]
        assert tasks["default-for-task-types"]["dask"] == "dask"
        role = json.loads(testbed.kubectl_run("get", "clusterrole", "-o", "json").stdout)["items"]
        ours = [r for r in role if r["metadata"]["name"] == "flyte-flyte-binary-cluster-role"]
        rules = [rule for r in ours for rule in r.get("rules", [])]
        assert any(CRD.group in rule.get("apiGroups", []) and CRD.plural in rule.get("resources", []) for rule in rules)
        # the doctor reads the release's enabled plugins and checks their CRDs: served, then gone
        _, report = doctor_cli(testbed, helm_bin, namespace)
        assert by_id(report)["plugins.crds"]["severity"] == "pass", by_id(report)["plugins.crds"]
        testbed.kubectl_run("delete", "crd", CRD.name, "--wait=true")
        _, report = doctor_cli(testbed, helm_bin, namespace)
        finding = by_id(report)["plugins.crds"]
        assert finding["severity"] == "fail" and CRD.name in finding["summary"], finding
    finally:
        testbed.kubectl_run("delete", "crd", CRD.name, "--ignore-not-found", check=False)
