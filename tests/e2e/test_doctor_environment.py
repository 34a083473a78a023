"""The doctor and the bundle in the user's environment: a kubeconfig whose current context is another (dead)
cluster while ``--context`` names the test bed (issue 19, item 14), and secrets the user gave flyte-tui in
its own environment variables showing up in pods' logs and messages (issue 12, item 17)."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.files.yamlio import dump

pytestmark = pytest.mark.e2e


def two_contexts(testbed: tb.TestBed, folder: Path) -> Path:
    """The test bed's kubeconfig with a second context, on a server where nothing listens, as the current one."""
    raw = json.loads(testbed.kubectl_run("config", "view", "--raw", "--minify", "-o", "json").stdout)
    raw["clusters"].append({"name": "dead", "cluster": {"server": kh.DEAD_SERVER, "insecure-skip-tls-verify": True}})
    raw["contexts"].append({"name": "dead", "context": {"cluster": "dead", "user": raw["users"][0]["name"]}})
    raw["current-context"] = "dead"
    path = folder / "two.kubeconfig"
    path.write_text(json.dumps(raw))
    return path


def install(testbed: tb.TestBed, namespace: str, folder: Path, values: dict[str, Any]) -> None:
    path = folder / "values.yaml"
    path.write_text(dump({"flytepropeller": {"createCRDs": False}, **values}))
    testbed.helm_run(testbed.helm4, "upgrade", "--install", "flyte", f"{tb.REPO_NAME}/flyte-core", "--version",
                     "v1.16.8", "-n", namespace, "-f", str(path))  # fmt: skip


def flyte_tui(testbed: tb.TestBed, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", *args], env={**testbed.env, **(env or {})}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done


def test_doctor_reads_the_context_it_is_given_not_the_current_one(testbed, namespace, tmp_path) -> None:
    install(testbed, namespace, tmp_path, {})
    env = {"KUBECONFIG": str(two_contexts(testbed, tmp_path))}
    done = flyte_tui(
        testbed, "doctor", "--json", "--context", testbed.context, "--namespace", namespace,
        "--helm", str(testbed.helm4), "--kubectl", str(testbed.kubectl), env=env,
    )  # fmt: skip
    report = json.loads(done.stdout)
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["cluster.reachable"]["severity"] == "pass", checks["cluster.reachable"]
    assert checks["release.status"]["severity"] != "skip", checks["release.status"]
    ingress = checks["network.ingress-class"]
    assert ingress["severity"] != "skip" and "cannot read" not in ingress["summary"], ingress
    # every kubectl command a finding suggests runs against the cluster the doctor read
    suggested = [cmd for c in report["checks"] for cmd in c["commands"] if cmd.startswith("kubectl ")]
    assert any(" get ingressclass" in cmd for cmd in suggested), suggested
    context = f"--context {testbed.context}"
    wrong = [cmd for cmd in suggested if not cmd.startswith("kubectl config ") and context not in cmd]
    assert wrong == []


def test_doctor_and_bundle_mask_the_secrets_given_in_the_environment(testbed, namespace, tmp_path) -> None:
    """The database password and S3 keys flyte-tui takes from its environment appear in a crashing pod's log and
    in a Warning event, in no pattern a mask knows (no ``password=``): neither the doctor nor the bundle shows them."""
    password, access, secret = (f"{p}{secrets.token_hex(6)}" for p in ("Pw", "AK", "Sk"))
    env = {"FLYTE_TUI_DB_PASSWORD": password, "FLYTE_TUI_S3_ACCESS_KEY": access, "FLYTE_TUI_S3_SECRET_KEY": secret}
    install(testbed, namespace, tmp_path, {"flyteadmin": {"podLabels": {tb.FAULT_LABEL: "crashloop"}}})
    admin = kh.wait_for(
        "flyteadmin restarted",
        lambda: [p for p in kh.pods(testbed, namespace, "app.kubernetes.io/name=flyteadmin")
                 if (p["status"].get("containerStatuses") or [{}])[0].get("restartCount", 0) > 0],
        timeout=60,
    )[0]["metadata"]["name"]  # fmt: skip
    lines = [f"connecting to db.example.com as flyte with {password}", f"s3 client {access}/{secret} refused"]
    testbed.set_pod_logs(namespace, admin, lines, previous=lines)
    kh.apply(testbed, namespace, {
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": f"{admin}.leak"}, "type": "Warning",
        "reason": "BackOff", "message": f"Back-off restarting: login {password} failed",
        "involvedObject": {"kind": "Pod", "name": admin, "namespace": namespace},
    })  # fmt: skip
    common = ["--context", testbed.context, "--namespace", namespace, "--helm", str(testbed.helm4),
              "--kubectl", str(testbed.kubectl)]  # fmt: skip
    doctor_json = flyte_tui(testbed, "doctor", "--json", *common, env=env)
    doctor_text = flyte_tui(testbed, "doctor", *common, env=env)
    out = tmp_path / "support.tar.gz"
    bundle = flyte_tui(testbed, "bundle", "-o", str(out), *common, env=env)
    assert bundle.returncode == 0, bundle.stderr
    with tarfile.open(out) as tar:
        members = {m.name: tar.extractfile(m).read().decode() for m in tar.getmembers() if m.isfile()}
    log = next(text for name, text in members.items() if name.endswith(f"logs/{admin}/flyteadmin.log"))
    assert "connecting to db.example.com as flyte with ******" in log  # the line kept, the password masked
    report = json.loads(doctor_json.stdout)
    shown = json.dumps(report) + doctor_text.stdout
    assert "connecting to db.example.com as flyte with ******" in shown or "login ****** failed" in shown
    for value in (password, access, secret):
        assert value not in doctor_json.stdout + doctor_json.stderr, value
        assert value not in doctor_text.stdout + doctor_text.stderr, value
        assert value not in bundle.stdout + bundle.stderr, value
        assert [name for name, text in members.items() if value in text or value in name] == [], value
