"""Opt-in: the real flyte-core chart, installed by flyte-tui with ``chart.path`` into the test bed.

The chart cannot be committed. Point FLYTE_TUI_REAL_CHART at ``charts/flyte-core`` of a flyteorg/flyte
checkout (branch master) whose dependencies are built (``helm dependency build``), then run
``python3 -m pytest tests/e2e/test_real_chart.py``. Every Flyte component must reach Ready through KWOK,
on helm 3 and helm 4. Without the variable the test is skipped: CI has no copy of the chart.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flyte_tui.events import ComponentsChanged, InstallFinished, StepFailed
from flyte_tui.install import Installer
from tests.e2e.test_install import answers, collect, options, plan_of

REAL = os.environ.get("FLYTE_TUI_REAL_CHART", "")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not REAL, reason="set FLYTE_TUI_REAL_CHART to flyteorg/flyte's charts/flyte-core"),
]


@pytest.mark.parametrize("environment", ["generic", "eks"])
def test_the_real_chart_installs_and_every_component_gets_ready(
    testbed, namespace, helm_bin, tmp_path: Path, environment: str
) -> None:
    data = answers(testbed, namespace)
    data["target"]["chart"] = {"path": str(Path(REAL).resolve())}
    if environment == "eks":
        data["environment"] = "eks"
        data["storage"] = {"type": "s3", "metadataBucket": "acme-flyte-meta", "region": "us-east-2", "auth": "iam"}
        data["identity"] = {"awsRoleArn": "arn:aws:iam::123456789012:role/flyte-system"}
        tls = {"enabled": True, "secretName": "flyte-tls"}
        data["ingress"] = {"host": "flyte.example.com", "controller": "nginx", "tls": tls}
        data["projects"] = {"taskRoleArn": "arn:aws:iam::123456789012:role/flyte-tasks"}
    events, _ = collect(Installer(plan_of(data), options(testbed, helm_bin, tmp_path, timeout=300.0)))
    assert isinstance(events[-1], InstallFinished), events[-1]
    assert events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    final = [e for e in events if isinstance(e, ComponentsChanged)][-1]
    assert {c.name for c in final.components} == {
        "flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler", "syncresources",
        "flyte-pod-webhook",
    }  # fmt: skip
    assert all(c.state == "ready" for c in final.components), [c.summary for c in final.components]
