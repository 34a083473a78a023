"""The doctor's plugin checks on the real control plane (flyte-binary with the connector, from the loopback
repository): the connector's Service has a ready endpoint while its pod is Ready, and none once its Deployment is
scaled to zero; and a healthy propeller's recent log is read, so the silent fallback of a task type to a plain pod
shows as a warning although nothing crashed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_doctor import by_id, doctor_cli
from tests.e2e.test_install_binary import binary_answers
from tests.e2e.test_install_plugins import install

pytestmark = pytest.mark.e2e

FALLBACK = "No plugin found for Handler-type [spark], defaulting to [container]"


def ready_addresses(testbed: Any, namespace: str) -> int:
    done = testbed.kubectl_run("get", "endpoints", "flyteconnector", "-n", namespace, "-o", "json", check=False)
    if done.returncode != 0:
        return 0
    return sum(len(s.get("addresses") or []) for s in json.loads(done.stdout).get("subsets") or [])


def wait_for(condition: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def test_the_connector_service_and_a_healthy_propellers_fallback_line(
    testbed: Any, namespace: str, helm_bin: Path, tmp_path: Path
) -> None:
    answers = {**binary_answers(testbed, namespace), "plugins": ["connector"]}
    done = install(testbed, helm_bin, tmp_path, answers)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    wait_for(lambda: ready_addresses(testbed, namespace) > 0)

    pods = json.loads(testbed.kubectl_run("get", "pods", "-n", namespace, "-l", "app.kubernetes.io/name=flyte-binary",
                                          "-o", "json").stdout)["items"]  # fmt: skip
    propeller = pods[0]["metadata"]["name"]
    testbed.set_pod_logs(namespace, propeller, ["Started workers", f"level=warning msg={FALLBACK}"])
    _code, report = doctor_cli(testbed, helm_bin, namespace)
    checks = by_id(report)
    assert checks["plugins.connector"]["severity"] == "pass", checks["plugins.connector"]
    assert "Service flyteconnector has 1 ready endpoint" in checks["plugins.connector"]["summary"]
    fallback = checks["plugins.crds"]  # the connector has no CRD: the log is what it looks at
    assert fallback["severity"] == "warn" and FALLBACK in fallback["evidence"][0], fallback
    assert any(propeller in looked for looked in fallback["lookedAt"]), fallback

    testbed.kubectl_run("scale", "deployment", "flyteconnector", "-n", namespace, "--replicas=0")
    wait_for(lambda: ready_addresses(testbed, namespace) == 0)
    _code, report = doctor_cli(testbed, helm_bin, namespace)
    finding = by_id(report)["plugins.connector"]
    assert finding["severity"] == "fail" and "no ready endpoints" in finding["summary"], finding
    assert any("get service,endpoints flyteconnector" in c for c in finding["commands"]), finding
