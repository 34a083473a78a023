"""What the install's events tell the user on the real control plane: the readiness table at the moment
the run stopped, secrets masked in every face (``--json`` included) and the install log, and what a cancel
leaves behind with the next step."""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from flyte_tui.events import ComponentsChanged, Event, InstallFinished, StepFailed, StepStarted
from flyte_tui.files.yamlio import dump
from flyte_tui.install import Installer
from flyte_tui.readiness import Timing
from tests.e2e.test_install import answers, collect, options, plan_of

pytestmark = pytest.mark.e2e


def test_a_rerun_that_stops_early_shows_every_component_as_it_is(testbed, namespace, helm_bin, tmp_path) -> None:
    """A first install whose datacatalog crash-loops (the other six come up), then the same install again:
    the re-run stops at once on the crash loop, and its last readiness table shows the six as they are
    (1/1 Running), not 0/1 because the watch had not been read to its end."""
    plan = plan_of(answers(testbed, namespace, datacatalog={"podLabels": {"sim.kwok.test/fault": "crashloop"}}))
    first, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path, timeout=300.0)))
    assert [e.step for e in first if isinstance(e, StepFailed)] == ["readiness"]
    ready_before = _ready_components(testbed, namespace)
    assert len(ready_before) >= 5, ready_before  # the others are up (one may still be starting)
    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path, timeout=300.0)))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [e.step for e in failed] == ["readiness"] and "datacatalog" in failed[0].message
    table = {c.name: c for c in [e for e in events if isinstance(e, ComponentsChanged)][-1].components}
    for name in ready_before:  # Ready pods stay Ready: kubectl shows them 1/1 Running still
        assert table[name].state == "ready" and table[name].ready == 1, (name, table[name])
    assert table["datacatalog"].state == "failed"


def _ready_components(testbed, namespace: str) -> set[str]:
    """The components whose pods kubectl shows Ready (1/1 Running)."""
    import json

    pods = json.loads(testbed.kubectl_run("get", "pods", "-n", namespace, "-o", "json").stdout)["items"]
    ready = set()
    for pod in pods:
        conditions = pod.get("status", {}).get("conditions") or []
        if any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
            name = pod["metadata"]["labels"].get("app.kubernetes.io/name", "")
            ready.add({"flyteclusterresourcesync": "syncresources"}.get(name, name))
    return ready - {""}


def leaky_answers(testbed, namespace: str, password: str) -> dict:
    """An install whose flyteadmin pod cannot pull its image, and whose image name ends in the database
    password (``flyteadmin:<tag>`` is the password; the tag alone is not, so validation, which refuses a known
    secret in the values, lets it through): the pod's message (``Back-off pulling image "…/flyteadmin:<tag>"``)
    carries the password into the readiness table, the failed step's message and its explanation."""
    assert password.startswith("flyteadmin:")
    return answers(
        testbed,
        namespace,
        flyteadmin={
            "podLabels": {"sim.kwok.test/fault": "imagepull"},
            "image": {"tag": password.removeprefix("flyteadmin:")},
        },
    )


def test_json_plain_the_screen_and_the_log_never_show_a_known_secret(testbed, namespace, tmp_path) -> None:
    password = "flyteadmin:pwleak" + secrets.token_hex(6)
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": password, "FLYTE_TUI_S3_ACCESS_KEY": "AKIALEAK",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-leak"}  # fmt: skip
    leaky = tmp_path / "flyte-tui.yaml"
    leaky.write_text(dump(leaky_answers(testbed, namespace, password)))
    base = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--helm", str(testbed.helm4), "--kubectl",
            str(testbed.kubectl), "--timeout", "2m", "-o", str(tmp_path / "values.yaml")]  # fmt: skip
    for face in (["--json"], []):
        proc = subprocess.run([*base, *face, str(leaky)], capture_output=True, text=True, env=env, timeout=300,
                              check=False)  # fmt: skip
        assert proc.returncode != 0, proc.stdout[-2000:]
        assert "cannot pull its image" in proc.stdout, proc.stdout[-2000:]
        assert password not in proc.stdout + proc.stderr, face
        if face:  # the fields that leaked: the failed component's message and the explanation's summary
            events = [json.loads(line) for line in proc.stdout.splitlines()]
            failed = next(e for e in events if e["event"] == "StepFailed")
            assert "******" in failed["explanation"]["summary"], failed
            messages = [c["failure"]["message"] for e in events if e["event"] == "ComponentsChanged"
                        for c in e["components"] if c["failure"]]  # fmt: skip
            assert messages and all("******" in m for m in messages), messages


async def test_the_runner_screen_and_its_log_never_show_a_known_secret(testbed, namespace, tmp_path) -> None:
    from textual.app import App

    from flyte_tui.install.secrets import SecretValues
    from flyte_tui.tui.screens.runner import RunnerScreen
    from flyte_tui.tui.widgets.live_log import LiveLog

    password = "flyteadmin:pwleak" + secrets.token_hex(6)
    plan = plan_of(leaky_answers(testbed, namespace, password))
    opts = options(testbed, Path(testbed.helm4), tmp_path, secrets=SecretValues(password, "AKIALEAK", "sk-leak"))
    screen = RunnerScreen(plan, opts)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test(size=(80, 24)) as pilot:
        for _ in range(1200):
            if screen.finished is not None:
                break
            await asyncio.sleep(0.1)
        await pilot.pause()
        assert screen.finished is not None and not screen.finished.ok
        panel = str(screen.query_one("#runner-failure-text").render())
        assert "cannot pull its image" in panel and password not in panel
        assert all(password not in line for line in screen.query_one("#runner-log", LiveLog).lines)
        cells = screen.query_one("#runner-components").get_row("flyteadmin")  # type: ignore[attr-defined]
        assert password not in " ".join(str(c) for c in cells)
    log = screen.log_path.read_text()
    assert "cannot pull its image" in log and "FAILED: flyteadmin will not become ready" in log
    assert password not in log


def cancel_at(installer: Installer, step: str, after: float) -> list[Event]:
    """Run the installer, cancelling ``after`` seconds into ``step``; its events."""
    events: list[Event] = []

    def run() -> None:
        for event in installer.run():
            events.append(event)
            if isinstance(event, StepStarted) and event.step == step:
                threading.Timer(after, installer.cancel.set).start()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    return events


def test_a_cancel_during_the_wait_says_what_is_not_ready_and_the_next_step(testbed, namespace, tmp_path) -> None:
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    opts = options(testbed, Path(testbed.helm4), tmp_path, timing=Timing(stuck_init_after=600))
    events = cancel_at(Installer(plan, opts, threading.Event()), "readiness", 1.5)
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert [e.step for e in failed] == ["readiness"]
    assert failed[0].message == "cancelled by the user: release flyte is deployed"
    explanation = failed[0].explanation
    assert explanation is not None
    assert "not ready when you cancelled: flyteadmin 0/1 Init:" in explanation.cause  # named, with its state
    last = [e for e in events if isinstance(e, ComponentsChanged)][-1].components
    assert all(c.name not in explanation.cause for c in last if c.state == "ready")  # only the ones not ready
    assert explanation.fix.startswith("run the install again to wait for them, or remove it: ")
    assert f"uninstall flyte --namespace {namespace}" in explanation.fix  # a first install: remove, not roll back
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and finished.release_state == "deployed"
    assert finished.summary[0] == "cancelled: release flyte is deployed"
    assert finished.summary[-1].startswith("next: run the install again to wait for them")


def test_a_cancel_during_helm_says_the_release_state_and_the_next_step(testbed, namespace, tmp_path) -> None:
    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    opts = options(testbed, Path(testbed.helm4), tmp_path, timing=Timing(stuck_init_after=600))
    events = cancel_at(Installer(plan, opts, threading.Event()), "helm", 0.2)
    failed = [e for e in events if isinstance(e, StepFailed)]
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    state = finished.release_state
    assert failed[0].message == f"cancelled by the user: release flyte is {state}"
    assert failed[0].explanation is not None and failed[0].explanation.cause and failed[0].explanation.fix
    assert finished.summary[0] == f"cancelled: release flyte is {state}"
    assert finished.summary[-1].startswith("next: run the install again")
    if state == "failed":
        assert "context canceled" in finished.summary[1] and "uninstall flyte" in finished.summary[-1]


async def test_the_runner_log_records_the_cancel_and_the_summary(testbed, namespace, tmp_path) -> None:
    from textual.app import App

    from flyte_tui.tui.screens.runner import RunnerScreen

    plan = plan_of(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}}))
    opts = options(testbed, Path(testbed.helm4), tmp_path, timeout=300.0, timing=Timing(stuck_init_after=600))
    screen = RunnerScreen(plan, opts)

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    async with Host().run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            if screen.step_state["readiness"][0] == "▶":
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        for _ in range(600):
            if screen.finished is not None:
                break
            await asyncio.sleep(0.1)
        await pilot.pause()
        panel = str(screen.query_one("#runner-failure-text").render())
        assert "cancelled by the user: release flyte is deployed" in panel
        assert "Fix: run the install again to wait for them" in panel
    log = screen.log_path.read_text().splitlines()
    assert "FAILED: cancelled by the user: release flyte is deployed" in log
    assert "Install did not finish." in log and "  cancelled: release flyte is deployed" in log
    assert any(line.startswith("  next: run the install again to wait for them") for line in log), log[-6:]


def test_headless_cancel_prints_the_state_and_the_next_step(testbed, namespace, tmp_path) -> None:
    stuck = tmp_path / "flyte-tui.yaml"
    stuck.write_text(dump(answers(testbed, namespace, flyteadmin={"podLabels": {"sim.kwok.test/fault": "stuckinit"}})))
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-cancel", "FLYTE_TUI_S3_ACCESS_KEY": "AKIACANCEL",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-cancel"}  # fmt: skip
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--helm", str(testbed.helm4), "--kubectl",
            str(testbed.kubectl), "--timeout", "5m", "-o", str(tmp_path / "values.yaml"), str(stuck)]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    out: list[str] = []
    for line in proc.stdout:
        out.append(line.rstrip("\n"))
        if "flyteadmin 0/1 Init:" in line:
            proc.send_signal(signal.SIGINT)
            break
    rest, _ = proc.communicate(timeout=120)
    out += rest.splitlines()
    assert proc.returncode != 0
    assert "FAILED: cancelled by the user: release flyte is deployed" in out, out[-12:]
    assert "  cancelled: release flyte is deployed" in out
    assert any(line.startswith("  next: run the install again to wait for them") for line in out), out[-6:]
