"""flyte-binary's readiness: its one Deployment, named after the release's fullname, found by its pods'
labels (the webhook and the cluster resource sync run inside it: no component of their own)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.charts.flyte_binary.components import fullname
from flyte_tui.readiness import desired_replicas, readiness, rollout_pending


@pytest.mark.parametrize(
    ("release", "values", "expected"),
    [
        ("flyte", {}, "flyte-flyte-binary"),
        ("flyte-binary", {}, "flyte-binary"),  # a release whose name contains the chart's is the fullname
        ("my-flyte-binary-prod", {}, "my-flyte-binary-prod"),
        ("flyte", {"fullnameOverride": "backend"}, "backend"),
        ("flyte", {"nameOverride": "fb"}, "flyte-fb"),
        ("a" * 53, {}, ("a" * 53 + "-flyte-binary")[:63]),
    ],
)
def test_the_deployment_is_named_as_the_chart_names_it(release: str, values: dict[str, Any], expected: str) -> None:
    assert fullname(release, values) == expected
    [component] = FLYTE_BINARY.expected_components(values, release)
    assert component.name == expected


def pod(name: str, release: str, ready: bool, app: str = "flyte-binary") -> dict[str, Any]:
    labels = {"app.kubernetes.io/name": app, "app.kubernetes.io/instance": release,
              "app.kubernetes.io/component": "flyte-binary"}  # fmt: skip
    status = "True" if ready else "False"
    return {
        "metadata": {"name": name, "uid": name, "labels": labels},
        "spec": {"initContainers": [{"name": "wait-for-db"}], "containers": [{"name": "flyte"}]},
        "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": status}],
            "initContainerStatuses": [{"name": "wait-for-db", "state": {"terminated": {"exitCode": 0}}}],
            "containerStatuses": [{"name": "flyte", "ready": ready, "restartCount": 0, "state": {"running": {}}}],
        },
    }


def test_its_pods_make_the_component_ready_and_another_releases_do_not() -> None:
    expected = FLYTE_BINARY.expected_components({}, "flyte")
    now = datetime.now(UTC)
    other = pod("other-flyte-binary-1", "other", True)
    waiting = readiness([other], "flyte", expected, {"flyte-flyte-binary": 1}, now)
    assert [(c.name, c.state) for c in waiting.components] == [("flyte-flyte-binary", "waiting")]
    starting = readiness([pod("flyte-flyte-binary-1", "flyte", False), other], "flyte", expected,
                         {"flyte-flyte-binary": 1}, now)  # fmt: skip
    assert starting.components[0].state == "progressing" and not starting.done
    ready = readiness([pod("flyte-flyte-binary-1", "flyte", True), other], "flyte", expected,
                      {"flyte-flyte-binary": 1}, now)  # fmt: skip
    assert ready.done and ready.components[0].summary == "flyte-flyte-binary 1/1 Running"


def test_the_rollout_check_reads_the_deployment_of_that_name() -> None:
    deployment = {
        "metadata": {"name": "flyte-flyte-binary", "generation": 2},
        "spec": {"replicas": 1},
        "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 0, "availableReplicas": 1},
    }
    assert desired_replicas([deployment]) == {"flyte-flyte-binary": 1}
    names = [c.name for c in FLYTE_BINARY.expected_components({}, "flyte")]
    assert rollout_pending([deployment], names) == ["flyte-flyte-binary"]


def test_the_objects_are_named_after_the_fullname() -> None:
    objects = FLYTE_BINARY.objects("flyte")
    assert objects.configmaps == {
        "flyte-flyte-binary": ("flyte-flyte-binary-config", "flyte-flyte-binary-cluster-resource-templates")
    }
    assert objects.ingress_backends == {"flyte-flyte-binary-http", "flyte-flyte-binary-grpc"}
    assert objects.storage_service_accounts == ("flyte-flyte-binary",)
