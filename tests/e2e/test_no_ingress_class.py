"""A cluster without an ingress controller (issue 13): the test bed has no IngressClass (unless a test creates
one, as the last test here does and removes). A sandbox installs with the ingress off and says so; another
environment is warned at preflight naming the answer; the end summary gives the port-forwards with the
context and namespace, and "open http://localhost:8080/console" only while the console's Service has ready
endpoints; the wizard's detection reads the classes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import testbed as tb

from flyte_tui.charts import validate_answers
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.install.summary import ready_summary
from flyte_tui.tools.detect import Tool, detect_ingress_classes
from flyte_tui.tools.kubectl import Kubectl
from tests.e2e.test_install import answers
from tests.e2e.test_install_errors import flyte_tui, install_argv

pytestmark = pytest.mark.e2e


def sandbox(testbed: tb.TestBed, namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "sandbox",
        "target": {
            "context": testbed.context,
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": testbed.repo_url, "name": "flyte-core", "version": "v1.16.8"},
        },
        "dependencies": {"chart": {"repo": testbed.repo_url, "version": "v1.16.8"}},  # minio, postgres: its own
        "extraValues": {"flytepropeller": {"createCRDs": False}},
    }


def no_ingress_class(testbed: tb.TestBed) -> None:
    assert testbed.kubectl_run("get", "ingressclasses", "-o", "name").stdout.strip() == ""


def test_a_sandbox_installs_with_the_ingress_off_and_ends_with_port_forwards(
    testbed: Any, namespace: str, helm_bin: Path, tmp_path: Path
) -> None:
    no_ingress_class(testbed)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(sandbox(testbed, namespace)))
    done = flyte_tui(testbed, *install_argv(path, helm_bin, testbed.kubectl))
    assert done.code == 0, done.stdout[-3000:] + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("note: the cluster has no IngressClass (no ingress controller): environment sandbox "
                               "installs with the ingress off (ingress.enabled: false instead of controller contour)")
    values = load_plain(path.with_name("values.yaml").read_text())
    assert values["common"]["ingress"]["enabled"] is False  # the values written are the ones installed
    live = testbed.helm_run(helm_bin, "get", "values", "flyte", f"--namespace={namespace}", "-o", "json").stdout
    assert json.loads(live)["common"]["ingress"]["enabled"] is False
    assert testbed.kubectl_run("get", "ingress", f"--namespace={namespace}", "-o", "name").stdout.strip() == ""
    summary = lines[lines.index("Flyte is ready.") + 1 :]
    at = summary.index(f"    kubectl --context={testbed.context} --namespace={namespace} \\")
    assert summary[at + 1 : at + 4] == [
        "      port-forward svc/flyteconsole 8080:80",
        f"    kubectl --context={testbed.context} --namespace={namespace} \\",
        "      port-forward svc/flyteadmin 8088:80 8089:81",
    ]
    assert "  Then open http://localhost:8080/console (the Flyte console)" in summary  # the Service has endpoints
    assert "  flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)" in summary

    # The console's pods gone: its Service has no ready endpoint, and the summary no longer says "open".
    testbed.kubectl_run("scale", "deployment/flyteconsole", "--replicas=0", f"--namespace={namespace}")
    kubectl = Kubectl(str(testbed.kubectl), testbed.context, namespace, env=testbed.env)
    for _ in range(60):
        if kubectl.ready_endpoints("flyteconsole") == 0:
            break
        time.sleep(0.5)
    plan = validate_answers(sandbox(testbed, namespace) | {"ingress": {"enabled": False}}).plan
    assert plan is not None
    text = ready_summary(plan, namespace, kubectl)
    assert not any("http://localhost:8080" in line for line in text), text
    assert "Not yet for the Flyte console: Service flyteconsole has no ready endpoint; see" in text
    assert "flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)" in text  # flyteadmin still answers


def test_another_environment_asking_for_an_ingress_is_warned_at_preflight(
    testbed: Any, namespace: str, tmp_path: Path
) -> None:
    no_ingress_class(testbed)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))  # generic: nginx at flyte.example.com
    done = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl), "--json")
    assert done.code == 0, done.stdout[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines()]
    warnings = [e["text"] for e in events if e["event"] == "OutputLine" and "IngressClass" in e["text"]]
    assert warnings == [
        "warning: ingress.controller: nginx asks for an Ingress, but the cluster has no IngressClass (no ingress "
        "controller): nothing would serve it, so Flyte would never be reached through it; install that "
        "controller first, or set ingress.enabled: false and use the port-forwards shown at the end"
    ]
    assert next(e for e in events if e["event"] == "OutputLine" and e["text"] == warnings[0])["step"] == "preflight"


def test_the_wizards_detection_reads_the_ingress_classes(testbed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", testbed.env["KUBECONFIG"])  # as the user's shell has it
    kubectl = Tool("kubectl", str(testbed.kubectl))
    assert detect_ingress_classes(kubectl, testbed.context) == ()
    tb.run([testbed.kubectl, f"--context={testbed.context}", "apply", "-f", "-"], env=testbed.env,
           input_text=INGRESS_CLASS)  # fmt: skip
    try:
        assert detect_ingress_classes(kubectl, testbed.context) == ("contour",)
    finally:
        testbed.kubectl_run("delete", "ingressclass", "contour")  # cluster-wide: the other tests expect none
    assert detect_ingress_classes(kubectl, "no-such-context") is None


INGRESS_CLASS = dump({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "contour"},
                      "spec": {"controller": "projectcontour.io/ingress-controller"}})  # fmt: skip
