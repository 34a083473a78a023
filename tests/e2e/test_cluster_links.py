"""The links from the control plane (cluster 1) to two data planes (clusters 2 and 3) on the three-cluster bed:
made by link_data_planes through a real ReleaseRun, proved by verify_links over HTTPS with the credentials read
back, and found broken by the doctor once a data plane's token is revoked. No helm: cluster 2's flyteadmin
ServiceAccount and its rights are made here as flyte-core's data-plane release makes them; cluster 3 has
neither, as a data plane whose release did not make them."""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import multibed
import pytest

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.events import Event
from flyte_tui.files.yamlio import dump
from flyte_tui.install import cluster_links as cl
from flyte_tui.install.context import InstallOptions, ReleaseRun, Step, StepError
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process

pytestmark = pytest.mark.e2e

PLANES = {"east": 2, "west": 3}
"""Data plane name → cluster number."""


def _drive(step: Step) -> tuple[list[Event], str]:
    events: list[Event] = []
    while True:
        try:
            events.append(next(step))
        except StopIteration as done:
            return events, str(done.value)


def _answers(clusters: multibed.MultiBed, namespace: str) -> dict[str, Any]:
    planes = [{"name": name, "context": clusters.contexts[n - 1], "endpoint": clusters.cluster(n).api_url,
               "labels": [name]} for name, n in PLANES.items()]  # fmt: skip
    return {"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "sandbox",
            "target": {"namespace": namespace, "context": clusters.contexts[0]}, "dataPlanes": planes}  # fmt: skip


def _data_plane_release(clusters: multibed.MultiBed, namespace: str) -> None:
    """On cluster 2: what flyte-core's data-plane release gives flyteadmin (its ServiceAccount, ClusterRole
    flyte-flyteadmin with the chart's rbacRules, the binding)."""
    rbac, role = "rbac.authorization.k8s.io", f"flyte-flyteadmin-{namespace}"
    items = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "flyteadmin", "namespace": namespace}},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole", "metadata": {"name": role}, "rules": [cl.ADMIN_RULES]},
        {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding", "metadata": {"name": role},
         "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": role},
         "subjects": [{"kind": "ServiceAccount", "name": "flyteadmin", "namespace": namespace}]},
    ]  # fmt: skip
    manifest = json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    clusters.cluster(2).kubectl_run("apply", "-f", "-", input_text=manifest)


@pytest.fixture
def linked_namespace(clusters: multibed.MultiBed) -> Iterator[str]:
    """A namespace of its own on every cluster (the release namespace), removed afterwards with what was made."""
    ns = "links-" + secrets.token_hex(3)
    for n in (1, 2, 3):
        clusters.kubectl_run(n, "create", "namespace", ns)
    try:
        yield ns
    finally:
        for n in (1, 2, 3):
            clusters.kubectl_run(n, "delete", "namespace", ns, "--wait=false", check=False)
        clusters.kubectl_run(2, "delete", "clusterrole,clusterrolebinding", f"flyte-flyteadmin-{ns}", check=False)
        clusters.kubectl_run(3, "delete", "clusterrolebinding", f"{cl.CLUSTER_ROLE}-{ns}", check=False)


@pytest.fixture
def argv_seen(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every argument list flyte-tui runs (the real process.run still runs each)."""
    seen: list[list[str]] = []
    real = process.run

    def recording(argv: list[str], *args: Any, **kwargs: Any) -> process.Completed:
        seen.append(list(argv))
        return real(argv, *args, **kwargs)

    monkeypatch.setattr(process, "run", recording)
    return seen


def _run(clusters: multibed.MultiBed, plan: InstallPlan, tmp_path: Path) -> ReleaseRun:
    bed = clusters.cluster(1)
    options = InstallOptions(values_path=tmp_path / "flyte-values.yaml", kubectl=str(bed.kubectl), env=clusters.env)
    return ReleaseRun(plan, flyte_release(plan_releases(plan)), options, threading.Event())


def _sa_token(clusters: multibed.MultiBed, n: int, namespace: str) -> str:
    secret = kh.kjson(clusters.cluster(n), "get", "secret", cl.TOKEN_SECRET, "-n", namespace)
    return base64.b64decode(secret["data"]["token"]).decode()


def test_links_made_verified_then_a_revoked_token_is_named(
    clusters: multibed.MultiBed, linked_namespace: str, tmp_path: Path, argv_seen: list[list[str]]
) -> None:
    ns = linked_namespace
    _data_plane_release(clusters, ns)
    plan = validate_answers(_answers(clusters, ns)).plan
    assert plan is not None
    run = _run(clusters, plan, tmp_path)

    events, detail = _drive(cl.link_data_planes(run, plan.data_planes))
    assert "east, west" in detail
    secret = kh.kjson(clusters.cluster(1), "get", "secret", cl.CREDENTIALS_SECRET, "-n", ns)
    assert sorted(secret["data"]) == ["east_cacert", "east_token", "west_cacert", "west_token"]
    tokens = {name: _sa_token(clusters, n, ns) for name, n in PLANES.items()}
    for name, n in PLANES.items():
        assert base64.b64decode(secret["data"][f"{name}_token"]).decode() == tokens[name]
        ca = base64.b64decode(secret["data"][f"{name}_cacert"]).decode()
        assert ca.strip() == clusters.ca_file(n).read_text().strip()
    # cluster 3 had no ServiceAccount and no rights: both were made there
    made = [e.text for e in events if hasattr(e, "text") and e.text.startswith("west:")]
    assert any("created ServiceAccount" in t for t in made) and any(cl.CLUSTER_ROLE in t for t in made), made
    assert not any("created" in getattr(e, "text", "") for e in events if getattr(e, "text", "").startswith("east"))
    assert set(tokens.values()) <= set(run.options.secrets.all())  # masked in every event from now on

    verified, detail = _drive(cl.verify_links(run, plan.data_planes))
    assert detail == "2 data plane link(s) verified: east, west"

    clusters.kubectl_run(3, "delete", "secret", cl.TOKEN_SECRET, "-n", ns)  # revoked on the data plane

    def refused(*words: str) -> StepError:
        def probe() -> StepError | None:
            try:
                _drive(cl.verify_links(run, plan.data_planes))
            except StepError as exc:
                return exc if all(w in str(exc) for w in words) else None
            return None

        return kh.wait_for(f"verify_links to fail with {words}", probe, timeout=30)

    failure = refused("west")
    message = str(failure)
    assert "data plane west" in message and "west_token" in message and "east" not in message, message
    assert failure.explanation is not None and "flyte-tui upgrade" in failure.explanation.fix

    code, report = _doctor(clusters, ns, plan, tmp_path)
    found = {f["id"]: f for f in report["checks"]}
    link = found["clusters.links"]
    assert code != 0 and link["severity"] == "fail", link
    assert "west" in link["summary"] and "west_token" in link["summary"] and "east" not in link["summary"], link
    assert found["clusters.credentials"]["severity"] == "pass", found["clusters.credentials"]
    spaces = found["clusters.namespaces"]  # no sync ran: east (listed with its token) lacks them, west unlisted
    assert spaces["severity"] == "warn" and "east: flytesnacks-development" in spaces["summary"], spaces
    assert "west" not in spaces["summary"], spaces

    # east loses its rights (the binding gone), then its CA is another cluster's: each named with east's key
    clusters.kubectl_run(2, "delete", "clusterrolebinding", f"flyte-flyteadmin-{ns}")
    denied = str(refused("data plane east", "east_token may not create"))
    wrong_ca = json.dumps({"data": {"east_cacert": base64.b64encode(clusters.ca_file(3).read_bytes()).decode()}})
    clusters.kubectl_run(1, "patch", "secret", cl.CREDENTIALS_SECRET, "-n", ns, "--type=merge", "-p", wrong_ca)
    bad_ca = str(refused("data plane east", "key east_cacert does not verify the API server"))

    texts = json.dumps([repr(e) for e in events + verified]) + message + json.dumps(report) + denied + bad_ca
    for token in tokens.values():
        assert token not in texts
        assert not any(token in arg for argv in argv_seen for arg in argv)


def _doctor(
    clusters: multibed.MultiBed, namespace: str, plan: InstallPlan, tmp_path: Path
) -> tuple[int, dict[str, Any]]:
    """``flyte-tui doctor --json`` with the answers file, as a user runs it on the control plane: (exit code, the
    report with what it printed on stderr)."""
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(_answers(clusters, namespace)))
    bed = clusters.cluster(1)
    argv = [sys.executable, "-m", "flyte_tui.cli", "doctor", "--json", "--answers", str(answers), "--namespace",
            namespace, "--context", bed.context, "--kubectl", str(bed.kubectl), "--helm", str(bed.helm3)]  # fmt: skip
    done = subprocess.run(argv, env=clusters.env, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip(), done.stderr
    return done.returncode, {**json.loads(done.stdout), "stderr": done.stderr}


def test_only_the_control_plane_executing_still_gets_the_secret_the_cluster_sync_mounts(
    clusters: multibed.MultiBed, linked_namespace: str, tmp_path: Path
) -> None:
    # flyte-core mounts cluster-credentials into its cluster sync whenever labelClusterMap is set, which an
    # inCluster entry with a label sets: without the Secret that pod would never start
    answers = _answers(clusters, linked_namespace)
    answers["dataPlanes"] = [{"name": "local", "inCluster": True, "labels": ["gpu"]}]
    plan = validate_answers(answers).plan
    assert plan is not None
    _, detail = _drive(cl.link_data_planes(_run(clusters, plan, tmp_path), plan.data_planes))
    assert "empty" in detail
    secret = kh.kjson(clusters.cluster(1), "get", "secret", cl.CREDENTIALS_SECRET, "-n", linked_namespace)
    assert not secret.get("data")
    _, verified = _drive(cl.verify_links(_run(clusters, plan, tmp_path), plan.data_planes))
    assert "nothing to verify" in verified
