"""The install pipeline end to end on the real control plane, with helm 3 and helm 4.

Each test installs the fixture chart from the loopback chart repository into its own namespace. The
FlyteWorkflow CRD is cluster-scoped, so these installs leave it to the smoke test (createCRDs: false).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.events import ComponentsChanged, Event, InstallFinished, StepFailed, StepFinished, StepStarted, to_json
from flyte_tui.files.yamlio import dump
from flyte_tui.install import INSTALL_STEPS, Installer, InstallOptions
from flyte_tui.install.secrets import SecretValues
from flyte_tui.model import InstallPlan
from flyte_tui.readiness import Timing

pytestmark = pytest.mark.e2e

FAST = Timing(unschedulable_after=2.0, stuck_init_after=4.0)


def generic_answers(context: str, repo_url: str, namespace: str, chart: str = "flyte-core") -> dict[str, Any]:
    """Generic-environment answers for ``chart`` from the test bed's loopback repo, on the cluster of ``context``
    (keys and password from Secrets; small enough for the fake nodes)."""
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {
            "context": context,
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": repo_url, "name": chart, "version": "v1.16.8"},
        },
        "storage": {
            "metadataBucket": "acme-flyte-meta",
            "endpoint": "https://s3.example.com",
            "credentialsSecret": "flyte-storage",
        },
        "database": {"host": "db.example.com", "passwordSecret": {"name": "db-pass", "key": "pass.txt"}},
        "ingress": {"host": "flyte.example.com"},
    }


def answers(testbed: Any, namespace: str, **extra: Any) -> dict[str, Any]:
    """flyte-core answers on the test bed, its CRD left to the bed (``extra``: more extraValues)."""
    return {
        **generic_answers(testbed.context, testbed.repo_url, namespace),
        "extraValues": {"flytepropeller": {"createCRDs": False}, **extra},
    }


def plan_of(data: dict[str, Any]) -> InstallPlan:
    result = validate_answers(data)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def options(testbed: Any, helm_bin: Path, tmp_path: Path, **kw: Any) -> InstallOptions:
    kw.setdefault(
        "secrets", SecretValues("pw-" + secrets.token_hex(4), "AKIA" + secrets.token_hex(4), secrets.token_hex(8))
    )
    kw.setdefault("timing", FAST)
    kw.setdefault("timeout", 120.0)
    return InstallOptions(
        values_path=tmp_path / "values.yaml", helm=str(helm_bin), kubectl=str(testbed.kubectl), env=testbed.env, **kw
    )


def collect(installer: Installer) -> tuple[list[Event], float]:
    start = time.monotonic()
    events = list(installer.run())
    return events, time.monotonic() - start


def test_install_succeeds_and_reports_every_step_in_order(testbed, namespace, helm_bin, tmp_path) -> None:
    plan = plan_of(answers(testbed, namespace))
    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path)))
    started = [e.step for e in events if isinstance(e, StepStarted)]
    finished = [e.step for e in events if isinstance(e, StepFinished)]
    assert started == [s for s, _ in INSTALL_STEPS] == finished
    last = events[-1]
    assert isinstance(last, InstallFinished) and last.ok, [e for e in events if isinstance(e, StepFailed)]
    assert last.release_state == "deployed"
    assert "https://flyte.example.com/console" in " ".join(last.summary)
    table = [e for e in events if isinstance(e, ComponentsChanged)][-1].components
    assert {c.name for c in table} == {
        "flyteadmin",
        "datacatalog",
        "flytepropeller",
        "flyteconsole",
        "flytescheduler",
        "syncresources",
        "flyte-pod-webhook",
    }
    assert all(c.state == "ready" for c in table)
    pods = json.loads(testbed.kubectl_run("get", "pods", "-n", namespace, "-o", "json").stdout)["items"]
    assert pods and all(
        any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"]["conditions"]) for p in pods
    )
    assert (tmp_path / "values.yaml").exists()


@pytest.mark.parametrize(
    ("extra", "component", "reason_words"),
    [
        ({"flyteadmin": {"podLabels": {"sim.kwok.test/fault": "crashloop"}}}, "flyteadmin", "keeps crashing"),
        ({"datacatalog": {"podLabels": {"sim.kwok.test/fault": "imagepull"}}}, "datacatalog", "cannot pull its image"),
        (
            {"flytescheduler": {"podLabels": {"sim.kwok.test/fault": "stuckinit"}}},
            "flytescheduler",
            "without finishing",
        ),
        (
            {
                "flytepropeller": {
                    "createCRDs": False,
                    "resources": {"requests": {"cpu": "64"}, "limits": {"cpu": "64"}},
                }
            },
            "flytepropeller",
            "Insufficient cpu",
        ),
    ],
    ids=["crashloop", "imagepull", "stuckinit", "unschedulable"],
)
def test_failure_is_explained_early_naming_the_object(
    testbed, namespace, helm_bin, tmp_path, extra, component, reason_words
) -> None:
    plan = plan_of(answers(testbed, namespace, **extra))
    # the capacity preflight refuses the unschedulable case before helm (test_preflight_answers.py); skipped here,
    # as a user may skip it, the pod that cannot be scheduled is still named at readiness
    skip = ("capacity",) if component == "flytepropeller" else ()
    run_options = options(testbed, helm_bin, tmp_path, timeout=300.0, skip_preflight=skip)
    events, elapsed = collect(Installer(plan, run_options))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert len(failed) == 1 and failed[0].step == "readiness"
    explanation = failed[0].explanation
    assert explanation is not None
    assert explanation.component == component
    assert explanation.object.startswith(f"pod/{component}-")
    assert reason_words in failed[0].message
    assert elapsed < 90, "should stop as soon as the failure is clear, not at the 300 s timeout"
    assert isinstance(events[-1], InstallFinished) and not events[-1].ok
    if component == "flytepropeller":
        assert explanation.answer == "resources.components" and explanation.events
    if component == "flyteadmin":
        assert any("BackOff" in e for e in explanation.events)


def test_a_failed_first_install_with_rollback_is_explained_early_then_removed(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    """Rollback on failure does not hide the failure behind helm's --atomic wait: the crash loop is
    explained within seconds, then the release is removed (what --atomic does for an install)."""
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "crashloop"}}))
    opts = options(testbed, helm_bin, tmp_path, timeout=300.0, rollback_on_failure=True)
    events, elapsed = collect(Installer(plan, opts))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [e.step for e in failed] == ["readiness"]
    assert failed[0].explanation is not None and failed[0].explanation.component == "flyteadmin"
    assert any(isinstance(e, StepFinished) and e.step == "rollback" and e.ok for e in events)
    last = events[-1]
    assert isinstance(last, InstallFinished) and not last.ok and last.release_state == "not installed"
    assert "removed" in last.summary[0]
    assert elapsed < 90, "should not wait for helm's timeout"
    listed = testbed.helm_run(helm_bin, "list", "-n", namespace, "-q").stdout.split()
    assert "flyte" not in listed


def _our_processes(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.parametrize(("step", "after"), [("helm", 0.2), ("readiness", 1.5)])
def test_cancel_mid_install_kills_children_and_reports_the_release_state(
    testbed, namespace, helm_bin, tmp_path, step: str, after: float
) -> None:
    """Cancel while helm runs (it may just have finished on a fast bed) or while the pod watch runs on a
    pod whose init never finishes: no process is left and the release state is reported as helm has it."""
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    cancel = threading.Event()
    installer = Installer(
        plan,
        options(testbed, helm_bin, tmp_path, rollback_on_failure=True, timing=Timing(stuck_init_after=600)),
        cancel,
    )
    events: list[Event] = []

    def run() -> None:
        for event in installer.run():
            events.append(event)
            if isinstance(event, StepStarted) and event.step == step:
                threading.Timer(after, cancel.set).start()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    failed = [e for e in events if isinstance(e, StepFailed)]
    later = ["helm", "readiness"][["helm", "readiness"].index(step) :]
    assert failed and failed[0].step in later and "cancelled" in failed[0].message, failed
    assert not [e for e in events if isinstance(e, StepStarted) and e.step == "rollback"]  # cancel is not failure
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    assert _our_processes(namespace) == []
    actual = kh.release_state(testbed, helm_bin, namespace)
    assert finished.release_state == actual
    assert actual in " ".join(finished.summary)


def test_pending_release_is_detected_with_a_recovery(testbed, namespace, helm_bin, tmp_path) -> None:
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    values = tmp_path / "values.yaml"
    values.write_text(
        dump(
            {"flytepropeller": {"createCRDs": False}, "flyteadmin": {"podLabels": {"sim.kwok.test/fault": "stuckinit"}}}
        )
    )
    # An interrupted `helm install --wait` (killed hard, as when a laptop lid closes) leaves pending-install.
    kh.leave_pending(testbed, helm_bin, "install", namespace, values)
    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path)))
    stuck = [e for e in events if isinstance(e, StepFailed)]
    assert stuck[0].step == "preflight" and "pending-install" in stuck[0].message
    assert stuck[0].explanation is not None
    fix = stuck[0].explanation.fix  # the safe recovery first; the uninstall last, said to be destructive
    assert f"recover with `helm rollback flyte 1 -n {namespace}` (re-applies what the interrupted install" in fix
    assert fix.endswith(
        f"destructive: `helm uninstall flyte -n {namespace}` deletes the release and everything it created"
    )
    assert isinstance(events[-1], InstallFinished) and events[-1].release_state == "pending-install"


def test_secret_canary_never_leaks(testbed, namespace, helm_bin, tmp_path) -> None:
    canary = "CANARY-" + secrets.token_hex(8)
    key_canary = "CANARYKEY" + secrets.token_hex(6)
    plan = plan_of(answers(testbed, namespace))
    seen_argv: list[str] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            seen_argv.extend(_our_processes("CANARY"))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        installer = Installer(
            plan, options(testbed, helm_bin, tmp_path, secrets=SecretValues(canary, key_canary, key_canary + "s"))
        )
        events, _ = collect(installer)
    finally:
        done.set()
        sampler.join()
    assert isinstance(events[-1], InstallFinished) and events[-1].ok
    stream = "\n".join(json.dumps(to_json(e)) for e in events)
    assert canary not in stream and key_canary not in stream
    assert seen_argv == []
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert canary not in path.read_text(errors="replace"), path
    # ...and yet the password really reached the cluster, in the Secret the chart mounts.
    secret = json.loads(testbed.kubectl_run("get", "secret", "db-pass", "-n", namespace, "-o", "json").stdout)
    assert base64.b64decode(secret["data"]["pass.txt"]).decode() == canary
    storage = json.loads(testbed.kubectl_run("get", "secret", "flyte-storage", "-n", namespace, "-o", "json").stdout)
    assert key_canary in base64.b64decode(storage["data"]["storage.yaml"]).decode()
    # ...and only there: not in clear text in an annotation (client-side apply's last-applied-configuration)
    for name in ("db-pass", "flyte-storage"):
        described = testbed.kubectl_run("describe", "secret", name, "-n", namespace).stdout
        metadata = testbed.kubectl_run("get", "secret", name, "-n", namespace, "-o", "jsonpath={.metadata}").stdout
        assert canary not in described + metadata and key_canary not in described + metadata


def test_headless_install_exit_codes_and_json(testbed, namespace, tmp_path) -> None:
    helm = Path(testbed.helm4)
    good = tmp_path / "flyte-tui.yaml"
    good.write_text(dump(answers(testbed, namespace)))
    secret_env = {
        "FLYTE_TUI_DB_PASSWORD": "pw-e2e",
        "FLYTE_TUI_S3_ACCESS_KEY": "AKIAE2E",
        "FLYTE_TUI_S3_SECRET_KEY": "sk-e2e",
    }
    env = {**testbed.env, **secret_env}
    plain = [
        sys.executable,
        "-m",
        "flyte_tui.cli",
        "install",
        "--yes",
        "--helm",
        str(helm),
        "--kubectl",
        str(testbed.kubectl),
        "--timeout",
        "2m",
    ]
    base = [*plain, "--json"]
    proc = subprocess.run([*base, str(good)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[0] == {"event": "StepStarted", "step": "preflight", "title": "Preflight checks"}
    assert lines[-1]["event"] == "InstallFinished" and lines[-1]["ok"] is True

    broken = answers(testbed, namespace + "-b", flyteadmin={"podLabels": {"sim.kwok.test/fault": "crashloop"}})
    bad = tmp_path / "broken.yaml"
    bad.write_text(dump(broken))
    proc = subprocess.run([*plain, str(bad)], capture_output=True, text=True, env=env, timeout=300, check=False)
    testbed.kubectl_run("delete", "namespace", namespace + "-b", "--wait=false", check=False)
    assert proc.returncode == 1
    assert "Blocking object: pod/flyteadmin-" in proc.stdout

    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("environment: eks\n")
    proc = subprocess.run([*base, str(invalid)], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr

    # A values file that cannot be written is refused before anything reaches the cluster (invalid -o: exit 2).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, not a folder\n")
    other = answers(testbed, namespace + "-c")
    third = tmp_path / "third.yaml"
    third.write_text(dump(other))
    out = str(blocker / "values.yaml")
    argv = [*plain, "-o", out, str(third)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr
    assert f"cannot write the values file {out}: {blocker} is not a folder" in proc.stdout + proc.stderr
    leftover = testbed.kubectl_run("get", "secrets", "-n", namespace + "-c", "-o", "name", check=False)
    assert "db-pass" not in leftover.stdout


@pytest.mark.parametrize(
    ("scenario", "signature", "answer"),
    [
        ("db-auth-failed", "db-password", "database.passwordSecret"),
        ("db-unreachable", "db-unreachable", "database.host"),
        ("s3-access-denied", "s3-access-denied", "identity.awsRoleArn"),
    ],
)
def test_crash_log_is_matched_to_a_known_signature_and_the_answer_to_change(
    testbed, namespace, tmp_path, scenario, signature, answer
) -> None:
    plan = plan_of(
        answers(
            testbed,
            namespace,
            flyteadmin={
                "podLabels": {"sim.kwok.test/fault": "crashloop"},
                "podAnnotations": {"sim.kwok.test/logs": scenario},
            },
        )
    )
    events, _ = collect(Installer(plan, options(testbed, Path(testbed.helm4), tmp_path, timeout=300.0)))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed and failed[0].explanation is not None
    explanation = failed[0].explanation
    assert explanation.component == "flyteadmin"
    assert explanation.signature == signature
    assert explanation.answer == answer
    assert explanation.log_tail, "the failing container's log tail is shown"
