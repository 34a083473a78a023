"""Preflights derived from the answers (issue 16, part 2) on the real control plane: requests larger than the test
bed's nodes (tests/cluster/testbed.py NODES: 4 + 4 + 8 CPUs) fail ``flyte-tui preflight`` naming the component,
stop ``install`` at preflight with nothing created, and pass as a "skipped" warning with ``--skip-preflight
capacity``; answers that fit exit 4 with exactly the warnings this machine and the test bed give."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import testbed as tb

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers
from tests.e2e.test_install_errors import assert_nothing_created, flyte_tui, install_argv, target

pytestmark = pytest.mark.e2e
__all__ = ["target"]  # the fixture, used by name

UNREACHABLE = "s3.flyte-e2e.invalid"
"""A bucket endpoint that resolves nowhere (``.invalid`` is reserved): the reach check warns."""
TOO_BIG = {
    "resources": {
        "components": {
            "flyteadmin": {
                "replicas": 3,
                "requests": {"cpu": "6", "memory": "1Gi"},
                "limits": {"cpu": "6", "memory": "1Gi"},
            }
        }
    }
}
"""3 × 6 CPUs: each pod fits the 8-CPU node, all of them not the 16 CPUs of the three nodes."""


@pytest.fixture
def database_port() -> Iterator[int]:
    """A TCP port on this machine that answers (the database host of the answers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


def answers_file(testbed: tb.TestBed, namespace: str, folder: Path, port: int, **extra: Any) -> Path:
    data = answers(testbed, namespace)
    data["database"] = {**data["database"], "host": "127.0.0.1", "port": port}
    data["storage"] = {**data["storage"], "endpoint": f"https://{UNREACHABLE}"}
    path = folder / "flyte-tui.yaml"
    path.write_text(dump({**data, **extra}))
    return path


def preflight(testbed: tb.TestBed, path: Path, *extra: str) -> tuple[int, dict[str, dict[str, Any]]]:
    done = flyte_tui(testbed, "preflight", "--json", "--helm", str(testbed.helm4), "--kubectl", str(testbed.kubectl),
                     *extra, str(path))  # fmt: skip
    assert done.stdout.startswith("{"), done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["exitCode"] == done.code
    return done.code, {c["id"]: c for c in report["checks"]}


def test_requests_larger_than_the_nodes_fail_preflight_naming_the_component_unless_skipped(
    testbed, target, tmp_path, database_port
) -> None:
    path = answers_file(testbed, target, tmp_path, database_port, **TOO_BIG)
    code, checks = preflight(testbed, path)
    assert code == 3
    capacity = checks["capacity"]
    assert capacity["level"] == "fail", capacity
    assert "flyteadmin (3 × cpu, 18 in all)" in capacity["evidence"], capacity
    assert "cpu 18" in capacity["evidence"] and "of 16" in capacity["evidence"], capacity
    assert [c for c, r in checks.items() if r["level"] == "fail"] == ["capacity"]

    code, checks = preflight(testbed, path, "--skip-preflight", "capacity")
    assert code == 4
    skipped = checks["capacity"]
    assert skipped["level"] == "warn" and skipped["skipped"] is True, skipped
    assert skipped["evidence"].startswith("skipped by the user (--skip-preflight capacity): "), skipped
    assert_nothing_created(testbed, target)


def test_install_stops_at_preflight_naming_the_component_and_creates_nothing(
    testbed, target, tmp_path, database_port
) -> None:
    path = answers_file(testbed, target, tmp_path, database_port, **TOO_BIG)
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl), "--json")
    assert run.code == 1, run.stdout[-3000:]
    [(step, message)] = run.failures()
    assert step == "preflight" and "flyteadmin" in message and "allocatable" in message, message
    events = [json.loads(line) for line in run.stdout.splitlines()]
    lines = [e["text"] for e in events if e["event"] == "OutputLine" and e["step"] == "preflight"]
    assert any(line.startswith("FAILED capacity: ") for line in lines), "\n".join(lines)
    assert any(line.startswith("ok kubernetes-version: ") for line in lines), "\n".join(lines)
    assert_nothing_created(testbed, target)

    # skipped, the check is a warning and the install goes on past preflight (the scheduler then refuses the pods)
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl, "--skip-preflight", "capacity"),
                    "--json")  # fmt: skip
    events = [json.loads(line) for line in run.stdout.splitlines()]
    lines = [e["text"] for e in events if e["event"] == "OutputLine" and e["step"] == "preflight"]
    assert any(line.startswith("warning capacity: ") and "skipped by the user" in line for line in lines), lines
    finished = [e["step"] for e in events if e["event"] == "StepFinished"]
    assert finished[:2] == ["preflight", "repo"], run.stdout[-3000:]


def test_answers_that_fit_pass_with_only_the_warnings_of_this_bed(testbed, target, tmp_path, database_port) -> None:
    code, checks = preflight(testbed, answers_file(testbed, target, tmp_path, database_port))
    warnings = {c: r["evidence"] for c, r in checks.items() if r["level"] != "ok"}
    # the test bed has no IngressClass and no GPU node (generic's tasks may ask for a GPU); the bucket's endpoint
    # resolves nowhere; the database port answers
    assert sorted(warnings) == ["bucket-reach", "gpu", "ingress-class"], warnings
    assert code == 4
    assert "it may be private to the cluster" in warnings["bucket-reach"]
    assert checks["database-reach"]["evidence"] == "answered"
    assert checks["capacity"]["level"] == "ok" and "16 schedulable" not in checks["capacity"]["evidence"]
    assert "3 schedulable node(s)" in checks["capacity"]["evidence"], checks["capacity"]
    assert checks["kubernetes-version"]["evidence"] == f"Kubernetes {tb.KUBE_VERSION} is within it"
    assert "'>= 1.25.0-0'" in checks["kubernetes-version"]["lookedAt"]


def test_the_tls_secret_named_in_the_answers_is_looked_for_by_name(testbed, target, tmp_path, database_port) -> None:
    tls = {"ingress": {"host": "flyte.example.com", "tls": {"enabled": True, "secretName": "flyte-e2e-tls"}}}
    path = answers_file(testbed, target, tmp_path, database_port, **tls)
    _, checks = preflight(testbed, path)
    missing = checks["tls-secret"]
    assert missing["level"] == "warn" and "flyte-e2e-tls" in missing["lookedAt"], missing
    assert "kubectl create secret tls flyte-e2e-tls" in missing["fix"], missing

    testbed.kubectl_run("create", "namespace", target)
    testbed.kubectl_run("create", "secret", "generic", "flyte-e2e-tls", "-n", target, "--type=kubernetes.io/tls",
                        "--from-literal=tls.crt=CERT", "--from-literal=tls.key=CANARYKEY")  # fmt: skip
    _, checks = preflight(testbed, path)
    assert checks["tls-secret"]["level"] == "ok" and checks["tls-secret"]["evidence"] == "exists", checks["tls-secret"]
