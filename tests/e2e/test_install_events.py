"""What the install's events tell the user on the real control plane: the readiness table at the moment
the run stopped, secrets masked in every face (``--json`` included) and the install log, and what a cancel
leaves behind with the next step."""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from flyte_tui.events import ComponentsChanged, StepFailed
from flyte_tui.files.yamlio import dump
from flyte_tui.install import Installer
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
    """An install whose flyteadmin pod cannot pull its image, and whose image tag is the database password:
    the pod's message (``Back-off pulling image "…:<password>"``) carries the password into the readiness
    table, the failed step's message and its explanation."""
    return answers(
        testbed,
        namespace,
        flyteadmin={"podLabels": {"sim.kwok.test/fault": "imagepull"}, "image": {"tag": password}},
    )


def test_json_plain_the_screen_and_the_log_never_show_a_known_secret(testbed, namespace, tmp_path) -> None:
    password = "pwleak" + secrets.token_hex(6)
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

    password = "pwleak" + secrets.token_hex(6)
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
