"""flyte-binary installed headless on the real control plane (helm 3 and 4): the fixture chart from the
loopback repository reaches Ready, and the `--json` events name its one component, the Deployment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import generic_answers

pytestmark = pytest.mark.e2e


def binary_answers(testbed: Any, namespace: str) -> dict[str, Any]:
    """Generic-environment answers for flyte-binary from the loopback repo (keys and password from Secrets)."""
    return generic_answers(testbed.context, testbed.repo_url, namespace, "flyte-binary")


def test_headless_install_reaches_ready_and_names_the_deployment(testbed, namespace, helm_bin, tmp_path) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(binary_answers(testbed, namespace)))
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-e2e", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e"}  # fmt: skip
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--json", "--helm", str(helm_bin),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m", "-o", str(tmp_path / "values.yaml"),
            str(answers)]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True, events[-1]
    tables = [e["components"] for e in events if e["event"] == "ComponentsChanged"]
    assert tables, "no readiness table"
    assert {c["name"] for table in tables for c in table} == {"flyte-flyte-binary"}
    [last] = tables[-1]
    assert last["state"] == "ready" and last["ready"] == 1
    # what the chart made of the answers, on the cluster: the one Deployment, its pod's Secrets mounted
    deployment = json.loads(testbed.kubectl_run("get", "deployment", "flyte-flyte-binary", "-n", namespace,
                                                "-o", "json").stdout)  # fmt: skip
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert volumes["db-password"]["secret"]["secretName"] == "db-pass"
    assert {"secret": {"name": "flyte-storage"}} in volumes["config"]["projected"]["sources"]
    config = json.loads(testbed.kubectl_run("get", "configmap", "flyte-flyte-binary-config", "-n", namespace,
                                            "-o", "json").stdout)["data"]  # fmt: skip
    assert "passwordPath: /etc/db/pass.txt" in config["002-database.yaml"]
    assert "pw-e2e" not in json.dumps(config) and "sk-e2e" not in (tmp_path / "values.yaml").read_text()
    assert Path(tmp_path / "values.yaml").read_text().count("flyte-storage") == 1
