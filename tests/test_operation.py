"""The record of a running helm operation (tools/operation.py) with real processes: found while it runs, dropped
once it has ended, never confused with a later process that reuses the pid."""

from __future__ import annotations

import json
import subprocess

import pytest

from flyte_tui.tools import operation


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))


def test_a_running_operation_is_found_until_it_ends() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        with operation.recorded("ctx", "flyte", "flyte", "upgrade --install") as started:
            started(child.pid)
            found = operation.live("ctx", "flyte", "flyte")
            assert found is not None and found.pid == child.pid and found.verb == "upgrade --install"
            assert found.line().startswith("a helm upgrade --install of release flyte in flyte started by flyte-tui")
            assert operation.live("ctx", "other", "flyte") is None  # another namespace: another release
    finally:
        child.kill()
        child.wait()
    assert operation.live("ctx", "flyte", "flyte") is None  # the block ended: no record


def test_a_record_left_by_a_killed_flyte_tui_is_dropped_once_helm_has_ended() -> None:
    child = subprocess.Popen(["sleep", "30"])
    recorder = operation.recorded("ctx", "flyte", "flyte", "upgrade --install")
    started = recorder.__enter__()  # never exited: as when flyte-tui is killed
    started(child.pid)
    assert operation.live("ctx", "flyte", "flyte") is not None
    child.kill()
    child.wait()
    assert operation.live("ctx", "flyte", "flyte") is None
    assert not list((operation.records_dir()).glob("*.json"))


def test_a_reused_pid_is_not_taken_for_the_operation() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        with operation.recorded("ctx", "flyte", "flyte", "upgrade --install") as started:
            started(child.pid)
            [path] = operation.records_dir().glob("*.json")
            entry = json.loads(path.read_text())
            entry["startTime"] = "1"  # the recorded process started at another time: this pid is someone else
            path.write_text(json.dumps(entry))
            assert operation.live("ctx", "flyte", "flyte") is None
    finally:
        child.kill()
        child.wait()
