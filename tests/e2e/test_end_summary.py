"""The end summary of a headless install on the test bed: the ingress endpoint when there is one, port-forwards
when there is none, every line within 80 columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers
from tests.e2e.test_install_errors import answers_file, flyte_tui, install_argv

pytestmark = pytest.mark.e2e


def summary(stdout: str) -> list[str]:
    """The lines after ``Flyte is ready.``"""
    lines = stdout.splitlines()
    return lines[lines.index("Flyte is ready.") + 1 :]


def test_with_an_ingress_the_summary_gives_its_console_and_grpc_endpoint(
    testbed: Any, namespace: str, tmp_path: Path
) -> None:
    path = answers_file(testbed, namespace, tmp_path)  # nginx ingress at flyte.example.com, TLS, separate gRPC
    done = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl))
    assert done.code == 0, done.stdout[-2000:]
    lines = summary(done.stdout)[:-1]  # the values file's path is as long as the user's path
    assert "  Flyte console: https://flyte.example.com/console" in lines
    assert "  flytectl/pyflyte endpoint: dns:///flyte.example.com" in lines
    assert not any("port-forward" in line for line in lines)
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]


def test_without_an_ingress_the_summary_gives_port_forwards_within_80_columns(
    testbed: Any, flyte_namespace: str, tmp_path: Path
) -> None:
    namespace = flyte_namespace  # the usual one (the test's own namespaces are 50 characters long)
    data = answers(testbed, namespace)
    data["ingress"] = {"enabled": False}
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(data))
    done = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl))
    assert done.code == 0, done.stdout[-2000:]
    lines = summary(done.stdout)[:-1]  # the values file's path is as long as the user's path
    at = lines.index(f"    kubectl --context={testbed.context} --namespace={namespace} \\")
    assert lines[at + 1] == "      port-forward svc/flyteconsole 8080:80"
    assert lines[at + 3] == "      port-forward svc/flyteadmin 8088:80 8089:81"
    assert "  Then open http://localhost:8080/console (the Flyte console)" in lines  # its Service has endpoints
    assert "  flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)" in lines
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
