"""A multi-cluster install on three real clusters (tests/cluster/multibed.py), helm 3 and helm 4: the control plane
on cluster 1, data planes dp-2 and dp-3 on clusters 2 and 3, with one headless ``flyte-tui install --json``.

What a user checks afterwards: every release Ready on its own cluster (propeller and the webhook on the data
planes, none on the control plane), events that name each cluster, the control plane's ``cluster-credentials``
holding exactly the data planes' tokens and CAs (each token works on its own API server, with its CA, and not on
another), and no token anywhere in what flyte-tui printed or wrote.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import multibed
import pytest
import testbed as tb
from multi_answers import answers_for, spread_namespace

from flyte_tui.files.yamlio import dump

pytestmark = pytest.mark.e2e

PLANES = {"dp-2": 2, "dp-3": 3}
"""Data plane name → its cluster's number."""


@pytest.fixture
def spread(clusters: multibed.MultiBed, helm_bin: Path) -> Iterator[str]:
    """A fresh namespace name for this install, removed from every cluster afterwards."""
    with spread_namespace(clusters, f"e2e-mc-{helm_bin.name}") as name:
        yield name


def _answers(clusters: multibed.MultiBed, namespace: str) -> dict[str, Any]:
    # two installs (helm 3, helm 4) share the clusters: the CRD is nobody's release (createCRDs off)
    return answers_for(clusters, namespace, PLANES)


def _run(
    clusters: multibed.MultiBed, helm_bin: Path, answers_data: dict[str, Any], tmp_path: Path, verb: str = "install"
) -> subprocess.CompletedProcess[str]:
    """``flyte-tui <verb> answers --yes --json`` (``install`` or ``upgrade``) against the three clusters."""
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(answers_data))
    env = {**clusters.env, "FLYTE_TUI_DB_PASSWORD": "pw-" + secrets.token_hex(4),
           "FLYTE_TUI_S3_ACCESS_KEY": "AKIA" + secrets.token_hex(4),
           "FLYTE_TUI_S3_SECRET_KEY": secrets.token_hex(8)}  # fmt: skip
    argv = [sys.executable, "-m", "flyte_tui.cli", verb, str(answers), "--yes", "--json", "--helm", str(helm_bin),
            "--kubectl", clusters.beds[0].kubectl, "--timeout", "4m",
            "-o", str(tmp_path / "flyte-values.yaml")]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600, check=False)


def _started(proc: subprocess.CompletedProcess[str]) -> dict[str, int]:
    """Each step's place in the run's order."""
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    return {e["step"]: i for i, e in enumerate(e for e in events if e["event"] == "StepStarted")}


def _deployments(clusters: multibed.MultiBed, number: int, namespace: str) -> set[str]:
    found = kh.kjson(clusters.cluster(number), "get", "deployments", "-n", namespace)["items"]
    return {d["metadata"]["name"] for d in found if (d.get("status") or {}).get("readyReplicas")}


def _can_i(clusters: multibed.MultiBed, number: int, token: str, ca: str, tmp_path: Path) -> tuple[int, str]:
    """`kubectl auth can-i create namespaces` at cluster ``number`` with only a token and a CA (as flyteadmin calls
    it; the FlyteWorkflow CRD is not installed on the bed, so kubectl could not name that resource)."""
    ca_file = tmp_path / f"ca-{number}-{secrets.token_hex(2)}.crt"
    ca_file.write_text(ca)
    bed = clusters.cluster(number)
    argv = [bed.kubectl, f"--server={bed.api_url}", f"--certificate-authority={ca_file}", f"--token={token}",
            "auth", "can-i", "create", "namespaces"]  # fmt: skip
    done = tb.run(argv, env={**clusters.env, "KUBECONFIG": os.devnull}, check=False)
    ca_file.unlink()
    return done.returncode, done.stdout.strip() or done.stderr.strip()


def test_install_spans_three_clusters(clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path) -> None:
    work = tmp_path / "out"
    work.mkdir()
    answers = _answers(clusters, spread)
    proc = _run(clusters, helm_bin, answers, work)
    assert proc.returncode == 0, (proc.stdout[-3000:], proc.stderr[-2000:])
    events = [json.loads(line) for line in proc.stdout.splitlines()]

    # one visible step per data plane before the control plane's helm, the links verified last
    at = _started(proc)
    assert at["data-plane:dp-2"] < at["data-plane:dp-3"] < at["data-plane-credentials"] < at["helm"]
    assert at["readiness"] < at["verify-links"] == len(at) - 1

    # the readiness table names each cluster's components, all Ready
    table = [e for e in events if e["event"] == "ComponentsChanged"][-1]["components"]
    named = {c["name"]: c["state"] for c in table}
    for plane in PLANES:
        assert named[f"{plane}/flytepropeller"] == named[f"{plane}/flyte-pod-webhook"] == "ready", named
    assert named["flyteadmin"] == "ready" and "flytepropeller" not in named
    assert all(state == "ready" for state in named.values()), named

    # every release Ready on its own cluster
    control = _deployments(clusters, 1, spread)
    assert {"flyteadmin", "datacatalog", "flyteconsole", "syncresources"} <= control
    assert not control & {"flytepropeller", "flyte-pod-webhook"}
    for n in PLANES.values():
        assert _deployments(clusters, n, spread) == {"flytepropeller", "flyte-pod-webhook"}, n
        assert not kh.kjson(clusters.cluster(n), "get", "ingress", "-n", spread)["items"]

    # cluster-credentials: exactly each data plane's token and CA, each working on its own cluster only
    secret = kh.kjson(clusters.cluster(1), "get", "secret", "cluster-credentials", "-n", spread)
    data = secret["data"]
    assert set(data) == {f"{p}_{k}" for p in PLANES for k in ("token", "cacert")}
    tokens = []
    for plane, n in PLANES.items():
        token, ca = (base64.b64decode(data[f"{plane}_{k}"]).decode() for k in ("token", "cacert"))
        tokens.append(token)
        assert _can_i(clusters, n, token, ca, tmp_path) == (0, "yes"), plane
        other = 5 - n  # the other data plane: its API server refuses this token
        code, said = _can_i(clusters, other, token, base64.b64decode(data[f"dp-{other}_cacert"]).decode(), tmp_path)
        assert code != 0 and "Unauthorized" in said, (plane, said)

    # the canary: no token in what flyte-tui printed or wrote
    written = [p for p in work.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"flyte-values.yaml", "flyte-values-dp-2.yaml", "flyte-values-dp-3.yaml"}
    for token in tokens:
        assert token not in proc.stdout and token not in proc.stderr
        for path in written:
            assert token not in path.read_text(errors="replace"), path

    # day 2: a label for dp-2, through the upgrade: the data planes first, the control plane last
    answers["dataPlanes"][0]["labels"] = ["gpu"]
    upgraded = _run(clusters, helm_bin, answers, work, "upgrade")
    assert upgraded.returncode == 0, (upgraded.stdout[-3000:], upgraded.stderr[-2000:])
    at = _started(upgraded)
    assert at["data-plane:dp-2"] < at["data-plane:dp-3"] < at["helm"] < at["verify-links"]
    config = kh.kjson(clusters.cluster(1), "get", "configmap", "flyte-admin-clusters-config", "-n", spread)
    assert "- id: dp-2" in config["data"]["clusters.yaml"] and "gpu:" in config["data"]["clusters.yaml"]
    for token in tokens:
        assert token not in upgraded.stdout and token not in upgraded.stderr


@pytest.mark.parametrize("helm_bin", ["helm4"], indirect=True)
def test_a_data_plane_that_will_not_come_up_is_named(
    clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path
) -> None:
    """propeller crash-loops on the data planes (the control plane has none): the wait stops early on every
    cluster, and the failure names the data plane and its component."""
    answers = _answers(clusters, spread)
    answers["extraValues"]["flytepropeller"]["podLabels"] = {"sim.kwok.test/fault": "crashloop"}
    proc = _run(clusters, helm_bin, answers, tmp_path)
    assert proc.returncode == 1, (proc.stdout[-3000:], proc.stderr[-2000:])
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    (failed,) = [e for e in events if e["event"] == "StepFailed"]
    assert failed["step"] == "readiness"
    assert failed["message"].startswith(("data plane dp-2: flytepropeller", "data plane dp-3: flytepropeller"))
    plane = failed["message"].split()[2].rstrip(":")
    table = {c["name"]: c["state"] for c in [e for e in events if e["event"] == "ComponentsChanged"][-1]["components"]}
    assert table[f"{plane}/flytepropeller"] == "failed", table
    finished = events[-1]
    assert finished["event"] == "InstallFinished" and not finished["ok"]
    assert finished["elapsed"] < 200, finished  # stopped early, not at the 4m timeout
    assert any(line.startswith("data plane dp-2: release flyte is") for line in finished["summary"]), finished


@pytest.mark.parametrize("helm_bin", ["helm4"], indirect=True)
def test_an_unreachable_data_plane_stops_preflight_before_anything_is_made(
    clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path
) -> None:
    answers = _answers(clusters, spread)
    answers["dataPlanes"][1]["context"] = "no-such-context"
    proc = _run(clusters, helm_bin, answers, tmp_path)
    assert proc.returncode == 1, (proc.stdout[-3000:], proc.stderr[-2000:])
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    (failed,) = [e for e in events if e["event"] == "StepFailed"]
    assert failed["step"] == "preflight"
    assert failed["message"].startswith("data plane dp-3: cannot reach the cluster of context no-such-context")
    assert failed["explanation"]["answer"] == "dataPlanes.1.context"
    for n in (1, 2):
        seen = clusters.kubectl_run(n, "get", "namespace", spread, "--ignore-not-found", "-o", "name").stdout
        assert not seen.strip(), n


@pytest.mark.parametrize("helm_bin", ["helm4"], indirect=True)
def test_a_cancel_during_the_wait_stops_every_cluster_s_watch(
    clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path
) -> None:
    """Cancelled at the first readiness table: the run ends at once (every cluster's watch stops), says what
    each release is left as, and the table kept each cluster's components."""
    import threading

    from flyte_tui.charts import validate_answers
    from flyte_tui.events import ComponentsChanged, InstallFinished, StepFailed
    from flyte_tui.install import Installer, InstallOptions
    from flyte_tui.install.secrets import SecretValues

    result = validate_answers(_answers(clusters, spread))
    assert result.plan is not None
    cancel = threading.Event()
    given = SecretValues("pw-" + secrets.token_hex(4), "AKIA1", secrets.token_hex(8))
    options = InstallOptions(values_path=tmp_path / "flyte-values.yaml", helm=str(helm_bin),
                             kubectl=str(clusters.beds[0].kubectl), env=clusters.env, timeout=240.0,
                             secrets=given)  # fmt: skip
    events = []
    for event in Installer(result.plan, options, cancel).run():
        events.append(event)
        if isinstance(event, ComponentsChanged):
            cancel.set()
    (failed,) = [e for e in events if isinstance(e, StepFailed)]
    assert failed.step == "readiness" and failed.message.startswith("cancelled by the user"), failed
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    assert finished.elapsed < 120, finished
    assert "data plane dp-2: release flyte is deployed" in finished.summary, finished.summary
    assert "data plane dp-3: release flyte is deployed" in finished.summary, finished.summary


@pytest.mark.parametrize("helm_bin", ["helm4"], indirect=True)
def test_a_data_plane_helm_failure_removes_what_the_run_made_where_nothing_was_installed(
    clusters: multibed.MultiBed, helm_bin: Path, spread: str, tmp_path: Path
) -> None:
    """dp-3's helm fails (a ClusterRole of its chart is already there, nobody's release): the namespaces this run
    made on dp-3's cluster and on the control plane's (nothing installed on either) are removed again, with their
    Secrets; dp-2's, where its release is installed, is kept, and the summary says which is which."""
    role = f"{spread}-flytepropeller"
    clusters.kubectl_run(3, "create", "clusterrole", role, "--verb=get", "--resource=pods")
    try:
        proc = _run(clusters, helm_bin, _answers(clusters, spread), tmp_path)
    finally:
        clusters.kubectl_run(3, "delete", "clusterrole", role, "--ignore-not-found", check=False)
    assert proc.returncode == 1, (proc.stdout[-3000:], proc.stderr[-2000:])
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    (failed,) = [e for e in events if e["event"] == "StepFailed"]
    assert failed["message"].startswith("data plane dp-3: "), failed
    assert "helm" not in _started(proc)  # the control plane's helm never ran

    def namespace_on(number: int) -> str:
        return clusters.kubectl_run(number, "get", "namespace", spread, "-o", "jsonpath={.status.phase}",
                                    "--ignore-not-found").stdout.strip()  # fmt: skip

    assert namespace_on(1) in ("", "Terminating") and namespace_on(3) in ("", "Terminating")
    assert namespace_on(2) == "Active"  # dp-2's release is installed there
    summary = events[-1]["summary"]
    assert f"removed namespace {spread} (created by this run, with its Secrets), as nothing was installed" in summary
    assert (
        f"data plane dp-3: removed namespace {spread} (created by this run, with its Secrets), as nothing was "
        "installed" in summary
    ), summary
    assert not any(line.startswith("data plane dp-2: removed") for line in summary), summary
    assert "data plane dp-2: release flyte is deployed" in summary, summary
