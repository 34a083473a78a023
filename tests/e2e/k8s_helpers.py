"""Small helpers for the e2e tests: JSON from kubectl, polling, pod/event queries."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import testbed as tb

T = TypeVar("T")

Json = dict[str, Any]


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 60, interval: float = 0.3) -> T:
    """Poll ``probe`` until it returns a truthy value; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def kjson(bed: tb.TestBed, *args: str) -> Json:
    out = bed.kubectl_run(*args, "-o", "json").stdout
    data: Json = json.loads(out)
    return data


def pods(bed: tb.TestBed, namespace: str, selector: str | None = None) -> list[Json]:
    args = ["get", "pods", "-n", namespace]
    if selector:
        args += ["-l", selector]
    items: list[Json] = kjson(bed, *args)["items"]
    return items


def condition(pod: Json, kind: str) -> str | None:
    for c in pod.get("status", {}).get("conditions", []):
        if c["type"] == kind:
            return str(c["status"])
    return None


def is_ready(pod: Json) -> bool:
    return condition(pod, "Ready") == "True"


def events(bed: tb.TestBed, namespace: str, name: str | None = None) -> list[Json]:
    args = ["get", "events", "-n", namespace]
    if name:
        args += ["--field-selector", f"involvedObject.name={name}"]
    items: list[Json] = kjson(bed, *args)["items"]
    return items


def apply(bed: tb.TestBed, namespace: str, manifest: Json) -> None:
    bed.kubectl_run("apply", "-n", namespace, "-f", "-", input_text=json.dumps(manifest))


def pod_manifest(
    name: str,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    init: tuple[str, ...] = ("run-migrations",),
    cpu: str = "10m",
    node_selector: dict[str, str] | None = None,
) -> Json:
    """A bare pod shaped like a Flyte component: init containers, one main container, tiny requests."""
    spec: Json = {
        "initContainers": [
            {"name": n, "image": "cr.flyte.org/flyteorg/flyteadmin:v1.16.8", "command": ["true"]} for n in init
        ],
        "containers": [
            {
                "name": "main",
                "image": "cr.flyte.org/flyteorg/flyteadmin:v1.16.8",
                "resources": {"requests": {"cpu": cpu, "memory": "50Mi"}},
            }
        ],
    }
    if node_selector:
        spec["nodeSelector"] = node_selector
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {}, "annotations": annotations or {}},
        "spec": spec,
    }


def helm(bed: tb.TestBed, helm_bin: Path, *args: str, timeout: float = 180) -> str:
    return bed.helm_run(helm_bin, *args, timeout=timeout).stdout


def release_state(bed: tb.TestBed, helm: Path, namespace: str, release: str = "flyte") -> str:
    """The release's status (``pending-upgrade``, ``deployed``…) or ``not installed``."""
    done = bed.helm_run(helm, "status", release, "-n", namespace, "-o", "json", check=False)
    return str(json.loads(done.stdout)["info"]["status"]) if done.returncode == 0 else "not installed"


def remove_namespace(bed: tb.TestBed, name: str) -> None:
    """Uninstall the namespace's Helm releases (their cluster-scoped objects, CRD and ClusterRoles, would
    outlive it), then delete it without waiting. Nothing happens when it does not exist."""
    releases = tb.run([bed.helm3, "list", "-q", "-a", "-n", name], env=bed.env, check=False)
    for release in releases.stdout.split():
        tb.run([bed.helm3, "uninstall", release, "-n", name, "--wait", "--timeout", "60s"],
               env=bed.env, check=False, timeout=90)  # fmt: skip
    bed.kubectl_run("delete", "namespace", name, "--wait=false", "--ignore-not-found", check=False)


def leave_pending(bed: tb.TestBed, helm: Path, verb: str, namespace: str, values: Path, release: str = "flyte") -> None:
    """Run ``helm <verb> --wait`` (install or upgrade) of the fixture chart and kill it hard once the release
    is ``pending-<verb>`` — as a closed laptop lid would. The values should keep a pod from getting Ready."""
    import os
    import signal
    import subprocess

    proc = subprocess.Popen(
        [str(helm), verb, release, f"{tb.REPO_NAME}/flyte-core", "--version", "v1.16.8", "-n", namespace,
         f"--kube-context={bed.context}", "--wait", "--timeout", "5m", "-f", str(values)],
        env=bed.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(f"pending-{verb}", lambda: release_state(bed, helm, namespace, release) == f"pending-{verb}")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# -- users with less access than the test bed's admin ---------------------------------------------------

DEAD_SERVER = "https://127.0.0.1:1"
"""An API server address where nothing listens (port 1 is never the test bed's)."""


def kubeconfig(bed: tb.TestBed, folder: Path, name: str, server: str | None = None, token: str = "") -> Path:
    """A copy of the test bed's kubeconfig (same context name), optionally with another server address or a
    bearer token in place of the admin's client certificate."""
    raw = json.loads(bed.kubectl_run("config", "view", "--raw", "--minify", "-o", "json").stdout)
    if server:
        raw["clusters"][0]["cluster"]["server"] = server
    if token:
        raw["users"][0]["user"] = {"token": token}
    path = folder / f"{name}.kubeconfig"
    path.write_text(json.dumps(raw))
    return path


def service_account_kubeconfig(bed: tb.TestBed, namespace: str, name: str, folder: Path) -> Path:
    """Create ServiceAccount ``name`` in ``namespace`` and return a kubeconfig that acts as it (a 1 h token)."""
    bed.kubectl_run("create", "serviceaccount", name, "-n", namespace)
    token = bed.kubectl_run("create", "token", name, "-n", namespace).stdout.strip()
    return kubeconfig(bed, folder, name, token=token)


def pods_only_user(bed: tb.TestBed, namespace: str, folder: Path, name: str = "viewer") -> Path:
    """A ServiceAccount that may only get and list pods in ``namespace``; its kubeconfig."""
    path = service_account_kubeconfig(bed, namespace, name, folder)
    bed.kubectl_run("create", "role", f"{name}-pods-only", "-n", namespace, "--verb=get,list", "--resource=pods")
    bed.kubectl_run("create", "rolebinding", f"{name}-pods-only", "-n", namespace, f"--role={name}-pods-only",
                    f"--serviceaccount={namespace}:{name}")  # fmt: skip
    return path
