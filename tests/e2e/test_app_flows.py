"""The wizard's upgrade and doctor flows on the real test bed: welcome → live answers → review → upgrade."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.install import Installer
from flyte_tui.tools.detect import Detection, Tool
from flyte_tui.tools.helm import Helm
from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.screens.doctor import DoctorScreen
from flyte_tui.tui.screens.runner import RunnerScreen
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.upgrade import find_release
from tests.e2e.test_install import answers, collect, options, plan_of

pytestmark = pytest.mark.e2e


def detection(testbed: Any) -> Detection:
    return Detection(
        helm=Tool("helm", str(testbed.helm4), "v4.1.4"),
        kubectl=Tool("kubectl", str(testbed.kubectl), "v1.36.3"),
        contexts=(testbed.context,),
        current_context=testbed.context,
        release_exists=True,
        release_note="release flyte: deployed",
    )


async def until(pilot: Any, check: Any, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if check():
            await pilot.pause()
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out waiting in the app")


def wizard(testbed: Any, answers_path: Path, tmp_path: Path) -> WizardApp:
    """The wizard as a user on this cluster gets it, with a private recovery dir and a fixed detection."""
    return make_app(
        answers_path, recovery_dir=tmp_path / "state", detector=lambda: detection(testbed), deterministic=True
    )


@pytest.fixture
def cluster_env(testbed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's helm and kubectl reach the test bed as a user's would: through the environment."""
    for key, value in testbed.env.items():
        monkeypatch.setenv(key, value)


async def test_upgrade_from_the_welcome_screen(testbed, namespace, cluster_env, tmp_path: Path) -> None:
    old = answers(testbed, namespace)
    old["target"]["chart"]["version"] = "v1.16.7"
    events, _ = collect(Installer(plan_of(old), options(testbed, Path(testbed.helm4), tmp_path)))
    assert events[-1].ok

    app = wizard(testbed, tmp_path / "work" / "flyte-tui.yaml", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.detection is not None)
        app.state.set("target.namespace", namespace)
        app.state.set("target.context", testbed.context)
        assert isinstance(app.screen, WelcomeScreen)
        app.screen.post_message(WelcomeScreen.Start("upgrade"))
        await until(pilot, lambda: app.upgrading and app.current_step == "target")
        assert app.state.get("storage.metadataBucket") == "acme-flyte-meta"  # read from the live release
        app.state.set("target.chart.repo", testbed.repo_url)
        app.state.set("target.chart.version", "v1.16.8")
        app.state.set("database.host", "db2.example.com")
        app.state.password = "pw"
        app.state.s3_access_key, app.state.s3_secret_key = "a", "b"
        app.state.dirty = False
        app.install()
        await until(pilot, lambda: isinstance(app.screen, UpgradeReviewScreen))
        review = app.screen.review
        assert [c.path for c in review.answers] == ["database.host"]
        assert "ConfigMap/flyte-admin-base-config" in {str(o.key) for o in review.manifests.objects}
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, RunnerScreen))
        runner = app.screen
        assert isinstance(runner, RunnerScreen) and runner.options.rollback_on_failure
        await until(pilot, lambda: runner.finished is not None)
        assert runner.finished is not None and runner.finished.ok
    info = find_release(Helm(str(testbed.helm4), testbed.context, namespace, testbed.env), "flyte")
    assert info is not None and info.revision == 2 and info.chart == "flyte-core-v1.16.8"


async def test_doctor_from_the_welcome_screen(testbed, namespace, cluster_env, tmp_path: Path) -> None:
    events, _ = collect(
        Installer(plan_of(answers(testbed, namespace)), options(testbed, Path(testbed.helm4), tmp_path))
    )
    assert events[-1].ok
    app = wizard(testbed, tmp_path / "flyte-tui.yaml", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.detection is not None)
        app.state.set("target.namespace", namespace)
        app.screen.post_message(WelcomeScreen.Start("doctor"))
        await until(pilot, lambda: isinstance(app.screen, DoctorScreen))
        doctor = app.screen
        assert isinstance(doctor, DoctorScreen)
        await until(pilot, lambda: doctor.report is not None, 60)
        report = doctor.report
        assert report is not None and report.snapshot.target.namespace == namespace
        # the components are healthy; what KWOK cannot provide (ingress addresses, the webhook's own
        # objects) is the doctor's business and is tested with its own e2e scenarios
        components = [f for f in report.findings if f.area == "components"]
        assert len(components) == 7 and all(f.severity == "pass" for f in components), components


async def test_target_screen_lists_the_repository_versions(testbed, cluster_env, tmp_path: Path) -> None:
    app = wizard(testbed, tmp_path / "flyte-tui.yaml", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.detection is not None)
        app.screen.post_message(WelcomeScreen.Start("fresh"))
        await until(pilot, lambda: app.current_step == "target")
        app.state.set("target.chart.repo", testbed.repo_url)
        app.state.set("target.chart.version", "")
        app.goto("review")
        await pilot.pause()
        app.goto("target")
        await pilot.pause()
        from textual.widgets import Button, Static

        app.screen.query_one("#list-versions", Button).press()
        await until(pilot, lambda: "Available" in str(app.screen.query_one("#versions", Static).render()), 60)
        assert "v1.16.8, v1.16.7" in str(app.screen.query_one("#versions", Static).render())
        await until(pilot, lambda: app.state.get("target.chart.version") == "v1.16.8", 10)
