"""Headless ``upgrade`` and ``install``: ``--json`` always ends with JSON events, whatever stops the run before the
install; a run the user cancels (Ctrl-C) exits 130, as shells report it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers
from tests.e2e.test_install_errors import SECRET_ENV, answers_file, flyte_tui, install_argv

pytestmark = pytest.mark.e2e


def upgrade_argv(answers: Path, helm: Path | str, *extra: str) -> list[str]:
    return ["upgrade", "--yes", "--json", "--helm", str(helm), "--timeout", "1m",
            "-o", str(answers.with_name("values.yaml")), *extra, str(answers)]  # fmt: skip


def test_upgrade_json_when_the_cluster_is_unreachable_at_the_start(
    testbed: Any, namespace: str, tmp_path: Path
) -> None:
    path = answers_file(testbed, namespace, tmp_path)
    down = kh.kubeconfig(testbed, tmp_path, "down", server=kh.DEAD_SERVER)
    run = flyte_tui(testbed, *upgrade_argv(path, testbed.helm4), kubeconfig=down)
    assert run.code == 1
    [(step, message)] = run.failures()
    assert step == "review" and "127.0.0.1:1" in message and "refused" in message
    assert run.finished["ok"] is False and run.finished["release_state"] == "unknown"


def test_upgrade_json_without_a_release(testbed: Any, namespace: str, tmp_path: Path) -> None:
    path = answers_file(testbed, namespace, tmp_path)
    run = flyte_tui(testbed, *upgrade_argv(path, testbed.helm4))
    assert run.code == 2
    [(step, message)] = run.failures()
    assert step == "review" and message.startswith(f"no release flyte in namespace {namespace}")
    assert run.finished["ok"] is False and run.finished["release_state"] == "not installed"


STUCK = {"flyteadmin": {"podLabels": {"sim.kwok.test/fault": "stuckinit"}}}
"""flyteadmin's init never finishes: the run is still going when the user presses Ctrl-C."""


def interrupted(testbed: Any, argv: list[str]) -> tuple[int, list[dict[str, Any]]]:
    """Run the CLI in its own process group and press Ctrl-C (SIGINT to the group, as a terminal does)
    as soon as helm starts; the exit code and the JSON events."""
    env = {**testbed.env, **SECRET_ENV}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flyte_tui.cli", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    events: list[dict[str, Any]] = []
    killer = threading.Timer(150, proc.kill)
    killer.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            event = json.loads(line)
            events.append(event)
            if event == {"event": "StepStarted", "step": "helm", "title": "helm upgrade --install"}:
                os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        killer.cancel()
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()
    return code, events


def test_a_cancelled_install_exits_130(testbed: Any, namespace: str, tmp_path: Path) -> None:
    path = answers_file(testbed, namespace, tmp_path, **STUCK)
    code, events = interrupted(testbed, [*install_argv(path, testbed.helm4, testbed.kubectl), "--json"])
    failed = [e for e in events if e["event"] == "StepFailed"]
    assert failed and failed[0]["step"] in ("helm", "readiness") and "cancel" in failed[0]["message"], failed
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is False
    assert code == 130


def test_a_cancelled_upgrade_exits_130(testbed: Any, namespace: str, tmp_path: Path) -> None:
    path = answers_file(testbed, namespace, tmp_path)
    assert flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl)).code == 0
    path.write_text(dump(answers(testbed, namespace, **STUCK)))
    code, events = interrupted(testbed, upgrade_argv(path, testbed.helm4))
    failed = [e for e in events if e["event"] == "StepFailed"]
    assert failed and failed[0]["step"] in ("helm", "readiness") and "cancel" in failed[0]["message"], failed
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is False
    assert code == 130


def test_an_upgrade_cancelled_during_its_review_exits_130_with_json(
    testbed: Any, namespace: str, tmp_path: Path
) -> None:
    path = answers_file(testbed, namespace, tmp_path)
    assert flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl)).code == 0
    path.write_text(dump(answers(testbed, namespace, **STUCK)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "flyte_tui.cli", *upgrade_argv(path, testbed.helm4)],
        env={**testbed.env, **SECRET_ENV},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stderr is not None and proc.stdout is not None
    first = proc.stderr.readline()  # the live release, printed before the review's helm calls
    assert first.startswith("release flyte in "), first
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    events = [json.loads(line) for line in out.splitlines()]
    assert proc.returncode == 130, err
    assert [e["event"] for e in events] == ["StepFailed", "InstallFinished"], events
    assert events[0]["message"] == "cancelled: the upgrade did not start"
    assert events[1]["release_state"] == "unchanged" and "Traceback" not in err
