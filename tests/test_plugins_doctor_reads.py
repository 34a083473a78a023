"""The doctor's plugin reads and the connector check, from captured kubectl text: with plugins chosen, a healthy
propeller's recent log is read (bounded by --tail and --since) and its silent-fallback line is a warning; the
connector's Service must exist in the release namespace with ready endpoints."""

from __future__ import annotations

import json
from typing import Any

from flyte_tui.doctor import Snapshot
from flyte_tui.doctor.checks import all_checks, run_check
from flyte_tui.doctor.checks.plugins import LOG_SINCE, LOG_TAIL, connector_target, plugin_reads
from flyte_tui.tools.process import Completed
from tests.test_plugins import core
from tests.test_plugins_doctor import RAY, snapshot

FALLBACK = "No plugin found for Handler-type [ray], defaulting to [container]"
PROPELLER_LOG = f"""\
{{"json":{{"src":"controller.go:138"}},"level":"info","msg":"Started workers","ts":"2026-12-03T18:01:02Z"}}
{{"json":{{"exec_id":"a8x2","node":"n0","src":"handler.go:201"}},"level":"warning","msg":"{FALLBACK}"}}
"""
"""propeller's log (its JSON lines) while it is Ready, with the fallback line of a task run."""

PROPELLER_POD = json.loads("""{
  "kind": "Pod", "metadata": {"name": "flytepropeller-6d9c7b9f8-x2x7k", "namespace": "flyte",
    "labels": {"app.kubernetes.io/name": "flytepropeller", "app.kubernetes.io/instance": "flyte"}},
  "spec": {"containers": [{"name": "flytepropeller", "image": "cr.flyte.org/flyteorg/flytepropeller:v1.16.8"}]},
  "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
    "containerStatuses": [{"name": "flytepropeller", "ready": true, "restartCount": 0,
      "state": {"running": {"startedAt": "2026-12-03T18:00:00Z"}}}]}
}""")
"""``kubectl get pods -o json``'s item for a healthy propeller."""


class Kubectl:
    """Answers ``kubectl logs`` with the captured log and records each call's arguments."""

    def __init__(self, log: str) -> None:
        self.log = log
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, *args: str, **_options: Any) -> Completed:
        self.calls.append(args)
        return Completed(("kubectl", *args), 0, self.log if args[0] == "logs" else '{"items": []}', "")


def by_id(snap: Snapshot, check_id: str) -> Any:
    return run_check(next(c for c in all_checks() if c.id == check_id), snap)


def read_all(snap: Snapshot, kubectl: Kubectl) -> None:
    for read in plugin_reads(snap, kubectl).values():
        read(snap)


def test_a_healthy_propellers_recent_log_is_read_and_its_fallback_warns() -> None:
    snap = snapshot(core(["ray"]), [])
    snap.objects["pods"] = [PROPELLER_POD]
    kubectl = Kubectl(PROPELLER_LOG)
    read_all(snap, kubectl)
    logs = [c for c in kubectl.calls if c[0] == "logs"]
    assert logs == [("logs", "flytepropeller-6d9c7b9f8-x2x7k", "--container=flytepropeller", f"--tail={LOG_TAIL}",
                     f"--since={LOG_SINCE}")]  # fmt: skip
    snap.objects["plugin-crds"] = RAY
    finding = by_id(snap, "plugins.crds")
    assert finding.severity == "warn" and FALLBACK in finding.evidence[0], finding


def test_the_read_adds_to_a_log_already_read_and_none_without_plugins() -> None:
    snap = snapshot(core(["ray"]), [])
    snap.objects["pods"] = [PROPELLER_POD]
    key = ("flytepropeller-6d9c7b9f8-x2x7k", "flytepropeller")
    snap.logs[key] = ["panic: the previous run's last line"]
    read_all(snap, Kubectl(PROPELLER_LOG))
    assert snap.logs[key][0] == "panic: the previous run's last line" and len(snap.logs[key]) == 3
    quiet = snapshot(core([]), [])
    quiet.objects["pods"] = [PROPELLER_POD]
    kubectl = Kubectl(PROPELLER_LOG)
    read_all(quiet, kubectl)
    assert kubectl.calls == [] and quiet.logs == {}


SERVICE = {"kind": "Service", "metadata": {"name": "flyteconnector", "namespace": "flyte"},
           "spec": {"ports": [{"name": "connector-grpc", "port": 8000}]}}  # fmt: skip


def endpoints(ready: int, not_ready: int = 0) -> dict[str, Any]:
    """``kubectl get endpoints flyteconnector -o json`` with so many ready and not-ready addresses."""
    address = {"ip": "10.0.0.9", "targetRef": {"kind": "Pod", "name": "flyteconnector-7b9-abc"}}
    subset: dict[str, Any] = {"ports": [{"name": "connector-grpc", "port": 8000}]}
    if ready:
        subset["addresses"] = [address] * ready
    if not_ready:
        subset["notReadyAddresses"] = [address] * not_ready
    return {"kind": "Endpoints", "metadata": {"name": "flyteconnector"}, "subsets": [subset]}


def connector(services: list[Any], eps: list[Any], **extra: Any) -> Any:
    snap = snapshot(core(["connector"], **extra), [])
    snap.objects.update(services=services, endpoints=eps)
    return by_id(snap, "plugins.connector")


def test_the_connector_service_with_a_ready_endpoint_passes() -> None:
    finding = connector([SERVICE], [endpoints(1)])
    assert finding.severity == "pass" and "1 ready endpoint" in finding.summary


def test_the_connector_without_its_service_or_a_ready_pod_fails() -> None:
    missing = connector([], [])
    assert missing.severity == "fail" and "Service flyteconnector does not exist" in missing.summary
    waiting = connector([SERVICE], [endpoints(0, not_ready=1)])
    assert waiting.severity == "fail" and "no ready endpoints" in waiting.summary
    assert waiting.evidence == ("1 address(es) not ready",) and waiting.answer == "plugins"


def test_an_endpoint_in_another_namespace_fails_naming_both() -> None:
    override = {"flyteconnector": {"plugin_config": {"plugins": {"connector-service": {
        "defaultConnector": {"endpoint": "k8s://flyteconnector.flyte-old:8000"}}}}}}  # fmt: skip
    finding = connector([SERVICE], [endpoints(1)], **override)
    assert finding.severity == "fail" and "namespace flyte-old" in finding.summary and "are in flyte" in finding.summary


def test_without_the_connector_the_check_is_skipped() -> None:
    snap = snapshot(core(["ray"]), [])
    assert by_id(snap, "plugins.connector").severity == "skip"


def test_the_connector_target_of_each_endpoint_form() -> None:
    values = {"flyteconnector": {"plugin_config": {"plugins": {"connector-service": {"defaultConnector": {}}}}}}
    ends = values["flyteconnector"]["plugin_config"]["plugins"]["connector-service"]["defaultConnector"]
    for endpoint, expected in (
        ("k8s://flyteconnector.flyte:8000", ("flyteconnector", "flyte")),
        ("dns:///my-connector.ml.svc.cluster.local:8000", ("my-connector", "ml")),
        ("grpc.example.com:443", ("flyteconnector", "")),
    ):
        ends["endpoint"] = endpoint
        assert connector_target(values) == (endpoint, *expected)
