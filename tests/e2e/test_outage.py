"""Faults of the cluster during an install, on the real test bed: the API server stopped (connection
refused) or paused (no answer), and started again with the same port and certificates (issue 12, 24-25)."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.events import ComponentsChanged, Event, InstallFinished, OutputLine, StepFailed, StepFinished
from flyte_tui.install import Installer
from flyte_tui.readiness import Timing
from flyte_tui.tools import operation, retry
from tests.e2e.test_install import answers, options, plan_of
from tests.e2e.test_install_errors import SECRET_ENV, answers_file, install_argv

pytestmark = pytest.mark.e2e


def test_the_test_bed_stops_and_restarts_its_api_server(testbed: tb.TestBed) -> None:
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3
    with testbed.apiserver_down():
        down = testbed.kubectl_run("get", "nodes", check=False)
        assert down.returncode == 1
        assert down.stderr.strip().endswith("was refused - did you specify the right host or port?")
        began = time.monotonic()
    assert time.monotonic() - began < 30  # started again and ready
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3


def test_the_test_bed_pauses_and_resumes_its_api_server(testbed: tb.TestBed) -> None:
    testbed.pause_component()
    try:
        hung = testbed.kubectl_run("get", "nodes", "--request-timeout=1s", check=False, timeout=20)
    finally:
        testbed.resume_component()
    assert hung.returncode == 1
    assert "Unable to connect to the server" in hung.stderr or "deadline exceeded" in hung.stderr, hung.stderr
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3


# -- an install while the API server goes away (issue 12, items 24 and 25) ------------------------------------


def counting_kubectl(testbed: tb.TestBed, folder: Path) -> tuple[Path, Path]:
    """The real kubectl behind a wrapper that notes each start's arguments (one line each) in a file."""
    log = folder / "kubectl-starts.log"
    wrapper = folder / "kubectl"
    real = shlex.quote(str(testbed.kubectl))
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, log


def watch_starts(log: Path) -> int:
    return sum("--watch" in line for line in log.read_text().splitlines()) if log.exists() else 0


def installer(testbed: tb.TestBed, namespace: str, tmp_path: Path, kubectl: Path, timeout: float) -> Installer:
    # the test bed's kwok moves pods on only through the API server: after an outage the pods' init containers
    # seem to have run all along, so the thresholds are the defaults' order, not the fast ones of other tests
    slow = Timing(unschedulable_after=30.0, stuck_init_after=60.0)
    opts = dataclasses.replace(
        options(testbed, testbed.helm4, tmp_path, timeout=timeout, timing=slow), kubectl=str(kubectl)
    )
    return Installer(plan_of(answers(testbed, namespace)), opts)


def lines_of(events: list[tuple[float, Event]]) -> list[tuple[float, str]]:
    return [(t, e.text) for t, e in events if isinstance(e, OutputLine) and e.step == "readiness"]


def test_an_api_server_outage_during_the_wait_is_said_backed_off_and_survived(testbed, namespace, tmp_path) -> None:
    kubectl, starts = counting_kubectl(testbed, tmp_path)
    seen: list[tuple[float, Event]] = []
    outage: dict[str, float] = {}

    def outage_of_ten_seconds() -> None:
        time.sleep(10)
        outage["starts"] = watch_starts(starts) - outage["starts_before"]
        testbed.start_apiserver()
        outage["up"] = time.monotonic()

    restarter = threading.Thread(target=outage_of_ten_seconds)
    try:
        for event in installer(testbed, namespace, tmp_path, kubectl, timeout=180).run():
            seen.append((time.monotonic(), event))
            if "down" not in outage and isinstance(event, ComponentsChanged):  # the watch runs: stop the API server
                testbed.stop_apiserver()
                outage["down"] = time.monotonic()
                outage["starts_before"] = watch_starts(starts)
                restarter.start()
    finally:
        if restarter.is_alive() or "down" in outage:
            restarter.join()
    told = [(t, text) for t, text in lines_of(seen) if text.startswith("cannot reach the cluster: ")]
    assert told, [text for _, text in lines_of(seen)]
    assert told[0][0] - outage["down"] < 5  # said at once, not at the end of the wait
    assert retry.is_unreachable(told[0][1]) and told[0][1].endswith("(trying again with back-off)")
    assert 2 <= outage["starts"] <= 8  # 0.5 s doubling to 8 s: about 5 kubectl starts in 10 s, not hundreds
    back = [text for t, text in lines_of(seen) if text.startswith("the cluster answers again")]
    assert len(back) == 1
    failed = [e for _, e in seen if isinstance(e, StepFailed)]
    assert not failed, failed
    finished = seen[-1][1]
    assert isinstance(finished, InstallFinished) and finished.ok and finished.release_state == "deployed"


def test_an_api_server_that_hangs_during_the_wait_is_noticed_and_survived(testbed, namespace, tmp_path) -> None:
    """Paused (SIGSTOP) once the watch has delivered pods, the API server keeps the watch's connection open
    and says nothing: a quiet watch is followed by a quick question to the API server, whose silence is the
    outage."""
    kubectl, _starts = counting_kubectl(testbed, tmp_path)
    seen: list[tuple[float, Event]] = []
    paused: dict[str, float] = {}

    def resume_later() -> None:
        time.sleep(25)
        testbed.resume_component()

    resumer = threading.Thread(target=resume_later)
    try:
        for event in installer(testbed, namespace, tmp_path, kubectl, timeout=180).run():
            seen.append((time.monotonic(), event))
            if "at" not in paused and isinstance(event, ComponentsChanged) and any(c.pods for c in event.components):
                testbed.pause_component()  # the watch runs and has delivered pods
                paused["at"] = time.monotonic()
                resumer.start()
    finally:
        if resumer.ident is not None:
            resumer.join()
        testbed.resume_component()
    told = [(t, text) for t, text in lines_of(seen) if text.startswith("cannot reach the cluster: ")]
    assert told, [text for _, text in lines_of(seen)]
    assert told[0][0] - paused["at"] < 25  # 10 s of silence, then at most 15 s for the question
    assert [text for _, text in lines_of(seen) if text.startswith("the cluster answers again")]
    finished = seen[-1][1]
    assert isinstance(finished, InstallFinished) and finished.ok, [e for _, e in seen if isinstance(e, StepFailed)]


def test_an_outage_past_the_timeout_is_named_not_the_components(testbed, namespace, tmp_path) -> None:
    path = answers_file(testbed, namespace, tmp_path)
    argv = install_argv(path, testbed.helm4, testbed.kubectl, "--json")
    argv[argv.index("--timeout") + 1] = "15s"
    env = {**testbed.env, **SECRET_ENV}
    proc = subprocess.Popen([sys.executable, "-m", "flyte_tui.cli", *argv], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    out: list[str] = []
    stopped = False
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line)
            if not stopped and '"event": "ComponentsChanged"' in line:
                testbed.stop_apiserver()
                stopped = True
        code = proc.wait(timeout=120)
        err = proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
        if stopped:
            testbed.start_apiserver()
    assert "Traceback" not in err, err[-3000:]
    events = [json.loads(line) for line in out]
    assert stopped and code == 1
    [failure] = [e for e in events if e["event"] == "StepFailed"]
    assert failure["step"] == "readiness"
    assert failure["message"].startswith(f"timed out after 15s: the cluster of {testbed.context} has not answered")
    assert retry.is_unreachable(failure["message"])
    assert failure["explanation"]["summary"] == f"the API server of {testbed.context} is unreachable"
    assert "did not become ready" not in "".join(out)
    assert any(e["event"] == "OutputLine" and e["text"].startswith("cannot reach the cluster: ") for e in events)


def test_a_short_outage_right_after_helm_does_not_fail_the_install(testbed, namespace, tmp_path) -> None:
    """The Deployments are read right after helm reported deployed: a refused connection there is retried."""
    kubectl, _starts = counting_kubectl(testbed, tmp_path)
    seen: list[Event] = []
    restarter = threading.Thread(target=lambda: (time.sleep(1.5), testbed.start_apiserver()))
    try:
        for event in installer(testbed, namespace, tmp_path, kubectl, timeout=180).run():
            seen.append(event)
            if isinstance(event, StepFinished) and event.step == "helm":
                testbed.stop_apiserver()
                restarter.start()
    finally:
        if restarter.ident is not None:
            restarter.join()
    assert not [e for e in seen if isinstance(e, StepFailed)], seen[-3:]
    finished = seen[-1]
    assert isinstance(finished, InstallFinished) and finished.ok and finished.release_state == "deployed"


# -- flyte-tui killed while helm runs (issue 12, item 26) ----------------------------------------------------


def slow_helm(testbed: tb.TestBed, folder: Path, seconds: int) -> tuple[Path, Path]:
    """The real helm 4, whose `upgrade` starts ``seconds`` later (as a slow apply would take): each `upgrade`
    start is noted (pid and argv) in a file."""
    log = folder / "helm-upgrades.log"
    wrapper = folder / "helm"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'case "$1" in upgrade) echo "$$ $*" >> {shlex.quote(str(log))}; sleep {seconds};; esac\n'
        f'exec {shlex.quote(str(testbed.helm4))} "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper, log


def test_a_killed_flyte_tui_leaves_helm_recorded_and_a_rerun_does_not_start_a_second(
    testbed, namespace, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    helm, upgrades = slow_helm(testbed, tmp_path, 12)
    path = answers_file(testbed, namespace, tmp_path)
    argv = [sys.executable, "-m", "flyte_tui.cli", *install_argv(path, helm, testbed.kubectl, "--json")]
    env = {**testbed.env, **SECRET_ENV, "XDG_STATE_HOME": str(tmp_path / "state")}
    first = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        assert first.stdout is not None
        for line in first.stdout:
            if line.startswith('{"event": "OutputLine", "step": "helm", "text": "$ '):
                break
        kh.wait_for("helm started", lambda: upgrades.exists() and upgrades.read_text().strip(), timeout=30)
        records = tmp_path / "state" / "flyte-tui" / "operations"
        kh.wait_for("helm recorded", lambda: list(records.glob("*.json")), timeout=10)
    finally:
        first.kill()  # SIGKILL: no clean-up of any kind
        first.wait()
    helm_pid = int(upgrades.read_text().split()[0])
    os.kill(helm_pid, 0)  # helm lives on without flyte-tui (in its own session)

    began = time.monotonic()
    again = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in again.stderr, again.stderr[-3000:]
    assert time.monotonic() - began < 12, "the re-run must answer while helm still runs"
    events = [json.loads(line) for line in again.stdout.splitlines()]
    [failure] = [e for e in events if e["event"] == "StepFailed"]
    assert again.returncode == 1 and failure["step"] == "preflight"
    assert "started by flyte-tui" in failure["message"] and f"is still running (pid {helm_pid})" in failure["message"]
    assert failure["explanation"]["fix"].startswith("wait until that helm has ended")
    assert len(upgrades.read_text().splitlines()) == 1  # no second helm was started
    os.kill(helm_pid, 0)

    kh.wait_for("helm to end", lambda: not operation._running(helm_pid, ""), timeout=120)
    # once that helm has ended (here: on its first write to the pipe of the killed flyte-tui), a run may go on
    assert operation.live(testbed.context, namespace, "flyte") is None
