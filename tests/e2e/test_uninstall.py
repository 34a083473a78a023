"""``flyte-tui uninstall`` end to end on the real control plane, with helm 3 and helm 4: the preview, the refusal
without --yes, what goes (the release, its pods, flyte-tui's Secrets) and what stays (the CRD with its
FlyteWorkflows, project namespaces and PVCs until --purge; everything flyte-tui and the chart did not create,
always), and releases left in pending-install or failed.

The FlyteWorkflow CRD is cluster-scoped: these tests create it (createCRDs: true) and delete it at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.charts.values_file import write_values_file
from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers, plan_of

pytestmark = pytest.mark.e2e

CRD = "flyteworkflows.flyte.lyft.com"
FLYTE_TUI_LABEL = "app.kubernetes.io/managed-by=flyte-tui"


@pytest.fixture
def crd_removed_after(testbed: Any) -> Iterator[None]:
    """The FlyteWorkflow CRD these tests create is gone afterwards (it is cluster-wide)."""
    yield
    testbed.kubectl_run("delete", "crd", CRD, "--ignore-not-found", "--wait=false", check=False)


def cli(testbed: Any, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``flyte-tui`` as a user runs it, with stdin not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", *args],
        env={**testbed.env, **(env or {})}, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def tools(testbed: Any, helm_bin: Path) -> list[str]:
    return [f"--helm={helm_bin}", f"--kubectl={testbed.kubectl}"]


def install(testbed: Any, helm_bin: Path, path: Path) -> None:
    env = {"FLYTE_TUI_DB_PASSWORD": "pw-" + secrets.token_hex(4), "FLYTE_TUI_S3_ACCESS_KEY": "AKIA1234",
           "FLYTE_TUI_S3_SECRET_KEY": secrets.token_hex(8)}  # fmt: skip
    done = cli(testbed, "install", str(path), "--yes", "--timeout=3m", *tools(testbed, helm_bin), env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def names(testbed: Any, kind: str, namespace: str, *args: str) -> set[str]:
    out = testbed.kubectl_run("get", kind, "-n", namespace, "-o", "name", *args).stdout
    return {line.split("/", 1)[1] for line in out.split()}


def exists(testbed: Any, *args: str) -> bool:
    done = testbed.kubectl_run("get", *args, "-o", "name", "--ignore-not-found", check=False)
    return done.returncode == 0 and bool(done.stdout.strip())


def bystanders(testbed: Any, namespace: str, other_namespace: str) -> None:
    """What flyte-tui and the chart did not create: a Secret and a Deployment in the release's namespace, and a
    namespace of a project's name that cluster-resource sync did not make (no project-quota in it)."""
    kh.apply(testbed, namespace, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "users-own"},
                                  "stringData": {"k": "v"}})  # fmt: skip
    kh.apply(testbed, namespace, {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "bystander", "labels": {"app.kubernetes.io/instance": "other"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "bystander"}},
                 "template": {"metadata": {"labels": {"app": "bystander"}},
                              "spec": {"containers": [{"name": "c", "image": "busybox"}]}}},
    })  # fmt: skip
    testbed.kubectl_run("create", "namespace", other_namespace)


def synced_project(testbed: Any, name: str) -> None:
    """What cluster-resource sync creates for a project and domain (the fixture chart's templates: the
    namespace and its ResourceQuota project-quota), with a task pod running in it."""
    testbed.kubectl_run("create", "namespace", name)
    kh.apply(testbed, name, {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "project-quota"},
                             "spec": {"hard": {"pods": "10"}}})  # fmt: skip
    kh.apply(testbed, name, kh.pod_manifest("task-1", init=()))


def test_uninstall_removes_what_flyte_tui_installed_keeps_the_crd_and_purge_removes_it(
    testbed, namespace, helm_bin, tmp_path, crd_removed_after
) -> None:
    project = "p" + secrets.token_hex(3)
    data = answers(testbed, namespace, flytepropeller={"createCRDs": True})
    data["projects"] = {"initialProjects": [project, "q" + project]}
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(data))
    install(testbed, helm_bin, path)
    ours = names(testbed, "secrets", namespace, "-l", FLYTE_TUI_LABEL)
    assert ours == {"db-pass", "flyte-storage"}
    synced_project(testbed, f"{project}-development")
    lookalike = f"q{project}-staging"  # a project's name, but not made by the sync
    bystanders(testbed, namespace, lookalike)
    claim = {"name": "data-minio-0", "labels": {"app.kubernetes.io/instance": "flyte"}}  # as a StatefulSet's claim
    kh.apply(testbed, namespace, {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": claim,
                                  "spec": {"accessModes": ["ReadWriteOnce"],
                                           "resources": {"requests": {"storage": "1Gi"}}}})  # fmt: skip
    kh.apply(testbed, namespace, {"apiVersion": "flyte.lyft.com/v1alpha1", "kind": "FlyteWorkflow",
                                  "metadata": {"name": "wf-1"}})  # fmt: skip

    # without --yes (and no terminal): the preview, exit 2, nothing removed
    refused = cli(testbed, "uninstall", str(path), *tools(testbed, helm_bin))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "refusing to uninstall without --yes" in refused.stderr
    preview = refused.stdout
    assert "  flyte: flyte-core-v1.16.8, revision 1, deployed, 7 pod(s)" in preview
    assert "Secrets flyte-tui created: db-pass, flyte-storage (deleted)" in preview
    assert f"{project}-development (1 pod(s)): kept (--purge deletes them)" in preview
    assert f"{lookalike}: not touched, it holds no resourcequota/project-quota" in preview
    assert f"CRD {CRD} (cluster-wide; 1 FlyteWorkflow object(s) in all namespaces): kept" in preview
    assert "PersistentVolumeClaims the releases created: data-minio-0: kept" in preview
    assert "users-own" not in preview and "bystander" not in preview
    assert kh.release_state(testbed, helm_bin, namespace) == "deployed"
    assert names(testbed, "secrets", namespace, "-l", FLYTE_TUI_LABEL) == ours

    done = cli(testbed, "uninstall", str(path), "--yes", "--json", *tools(testbed, helm_bin))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    events = [json.loads(line) for line in done.stdout.splitlines()]  # every line is one JSON event
    started = [e["step"] for e in events if e["event"] == "StepStarted"]
    assert started == ["keep-flyte", "uninstall-flyte", "pods", "secrets"]
    assert [e["step"] for e in events if e["event"] == "StepFinished"] == started
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True
    assert "kept: CRD flyteworkflows.flyte.lyft.com with 1 FlyteWorkflow object(s)" in " ".join(events[-1]["summary"])
    assert "Uninstall from namespace" in done.stderr  # the preview, off stdout
    assert kh.release_state(testbed, helm_bin, namespace) == "not installed"
    pods = {p["metadata"]["name"] for p in kh.pods(testbed, namespace)}
    assert pods and all(name.startswith("bystander-") for name in pods), pods
    assert names(testbed, "secrets", namespace, "-l", FLYTE_TUI_LABEL) == set()
    assert exists(testbed, "crd", CRD) and exists(testbed, "flyteworkflow", "wf-1", "-n", namespace)
    assert exists(testbed, "namespace", f"{project}-development")
    assert exists(testbed, "pvc", "data-minio-0", "-n", namespace)
    assert exists(testbed, "secret", "users-own", "-n", namespace)
    assert exists(testbed, "deployment", "bystander", "-n", namespace)

    # installed again (the kept CRD is adopted), then removed by name with --purge
    install(testbed, helm_bin, path)
    purged = cli(testbed, "uninstall", "--release=flyte", f"--namespace={namespace}", f"--context={testbed.context}",
                 "--yes", "--purge", *tools(testbed, helm_bin))  # fmt: skip
    assert purged.returncode == 0, purged.stdout[-3000:] + purged.stderr[-2000:]
    assert "deleted (--purge), and every FlyteWorkflow with it" in purged.stdout
    assert "Uninstalled." in purged.stdout
    assert kh.release_state(testbed, helm_bin, namespace) == "not installed"
    assert not exists(testbed, "crd", CRD)
    assert not exists(testbed, "namespace", f"{project}-development")
    assert not exists(testbed, "pvc", "data-minio-0", "-n", namespace)
    assert names(testbed, "secrets", namespace, "-l", FLYTE_TUI_LABEL) == set()  # named from the live release
    assert exists(testbed, "namespace", lookalike) and exists(testbed, "namespace", namespace)
    assert exists(testbed, "secret", "users-own", "-n", namespace)
    assert exists(testbed, "deployment", "bystander", "-n", namespace)
    testbed.kubectl_run("delete", "namespace", lookalike, "--wait=false")


def test_a_release_left_pending_install_or_failed_is_uninstalled(testbed, namespace, helm_bin, tmp_path) -> None:
    stuck = answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "crashloop"}})
    values = tmp_path / "stuck.yaml"
    write_values_file(plan_of(stuck), values)
    for state in ("pending-install", "failed"):
        if state == "pending-install":
            kh.leave_pending(testbed, helm_bin, "install", namespace, values)
        else:  # helm install --wait ran out of time: helm marks the release failed
            testbed.helm_run(helm_bin, "install", "flyte", f"{tb.REPO_NAME}/flyte-core", "--version", "v1.16.8",
                             "-n", namespace, f"--kube-context={testbed.context}", "--wait", "--timeout", "3s",
                             "-f", str(values), check=False)  # fmt: skip
        assert kh.release_state(testbed, helm_bin, namespace) == state
        done = cli(testbed, "uninstall", "--release=flyte", f"--namespace={namespace}", f"--context={testbed.context}",
                   "--yes", *tools(testbed, helm_bin))  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        assert f"  flyte: flyte-core-v1.16.8, revision 1, {state}" in done.stdout
        assert kh.release_state(testbed, helm_bin, namespace) == "not installed"
        assert kh.pods(testbed, namespace) == []


def test_ctrl_c_while_the_pods_go_exits_130_and_says_what_is_left(testbed, namespace, tmp_path) -> None:
    """A pod of the release that will not go (a finalizer holds it): the wait shows it; Ctrl-C stops the run
    with exit 130, the cancelled step and the release's state."""
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))
    install(testbed, Path(testbed.helm4), path)
    held = next(p["metadata"]["name"] for p in kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteadmin"))
    testbed.kubectl_run("patch", "pod", held, "-n", namespace, "--type=merge",
                        "-p", '{"metadata":{"finalizers":["e2e.flyte-tui.test/hold"]}}')  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "flyte_tui.cli", "uninstall", str(path), "--yes", "--json",
         *tools(testbed, Path(testbed.helm4))],
        env=testbed.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    events: list[dict[str, Any]] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            events.append(json.loads(line))
            if events[-1] == {"event": "OutputLine", "step": "pods", "text": f"1 pod(s) of the releases left: {held}",
                              "stream": "stdout"}:  # fmt: skip
                os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        testbed.kubectl_run("patch", "pod", held, "-n", namespace, "--type=merge",
                            "-p", '{"metadata":{"finalizers":null}}', check=False)  # fmt: skip
    assert code == 130, events[-3:]
    failed = [e for e in events if e["event"] == "StepFailed"]
    assert [e["step"] for e in failed] == ["pods"]
    assert failed[0]["message"] == "cancelled by the user: release flyte is uninstalled"
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is False
    assert "next: run the uninstall again to finish it" in events[-1]["summary"]


def dependency_chart(folder: Path) -> Path:
    """A chart named flyte-deps (one Deployment standing in for minio), as the sandbox's dependency release."""
    chart = folder / "flyte-deps"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: flyte-deps\nversion: 0.1.0\n")
    (chart / "templates" / "minio.yaml").write_text(dump({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "minio", "labels": {"app.kubernetes.io/instance": "{{ .Release.Name }}"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": "minio"}},
                 "template": {"metadata": {"labels": {"app.kubernetes.io/name": "minio"}},
                              "spec": {"containers": [{"name": "minio", "image": "minio/minio"}]}}},
    }))  # fmt: skip
    return chart


def test_the_dependency_release_is_found_by_name_and_removed_after_flyte(testbed, namespace, tmp_path) -> None:
    helm = Path(testbed.helm4)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))
    install(testbed, helm, path)
    testbed.helm_run(helm, "install", "flyte-deps", str(dependency_chart(tmp_path)), "-n", namespace,
                     f"--kube-context={testbed.context}")  # fmt: skip
    kh.wait_for("the minio pod", lambda: kh.pods(testbed, namespace, "app.kubernetes.io/name=minio"))
    done = cli(testbed, "uninstall", "--release=flyte", f"--namespace={namespace}", f"--context={testbed.context}",
               "--yes", "--json", *tools(testbed, helm))  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    started = [e["step"] for e in map(json.loads, done.stdout.splitlines()) if e["event"] == "StepStarted"]
    assert started == ["uninstall-flyte", "uninstall-flyte-deps", "pods", "secrets"]
    assert "  flyte-deps: flyte-deps-0.1.0, revision 1, deployed, 1 pod(s)" in done.stderr
    for release in ("flyte", "flyte-deps"):
        assert kh.release_state(testbed, helm, namespace, release) == "not installed"
    assert kh.pods(testbed, namespace) == []
