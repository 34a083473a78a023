"""Render once in the wizard: an upgrade's review renders the plan's values, and applying it hands those
releases to the installer, which renders nothing again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.charts.flyte_core import FlyteCore
from flyte_tui.install import InstallOptions
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.screens.runner import RunnerScreen
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen
from flyte_tui.tui.upgrade_flow import ReviewReady
from flyte_tui.upgrade import Reviewed
from tests.conftest import REALISTIC

from .keys import SIZE, ready
from .test_upgrade_review import make_review


async def test_an_applied_upgrade_review_is_not_rendered_again(
    wizard: Callable[..., WizardApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[InstallPlan] = []
    render = FlyteCore.render

    def counting(self: FlyteCore, plan: InstallPlan) -> dict[str, Any]:
        renders.append(plan)
        return render(self, plan)

    monkeypatch.setattr(FlyteCore, "render", counting)
    plan = validate_answers(REALISTIC["eks"]).plan
    assert plan is not None
    missing = str(tmp_path / "no-such-helm")  # the real installer stops at its preflight: no helm
    options = InstallOptions(values_path=tmp_path / "flyte-values.yaml", helm=missing, kubectl=missing, timeout=30)
    app = wizard()  # no stand-in: the runner drives the real Installer
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        reviewed = Reviewed(make_review(), plan_releases(plan))  # the review's one render
        assert len(renders) == 1
        app.post_message(ReviewReady(reviewed, plan=plan, options=options))
        for _ in range(100):
            if isinstance(app.screen, UpgradeReviewScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, UpgradeReviewScreen)
        await pilot.press("a")  # apply
        for _ in range(100):
            if isinstance(app.screen, RunnerScreen):
                break
            await pilot.pause(0.02)
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        for _ in range(500):
            if runner.finished is not None:
                break
            await pilot.pause(0.02)
        assert runner.finished is not None and not runner.finished.ok
        assert len(renders) == 1, "the runner rendered the reviewed plan again"


async def test_a_new_install_renders_its_values_once(
    wizard: Callable[..., WizardApp], answers_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Install on the review screen: one render for the saved values file and the installer (the review
    screen's preview renders on its own)."""
    from flyte_tui.charts.flyte_core import render as render_module
    from flyte_tui.files import values as values_module
    from flyte_tui.files.answers import write_answers

    from .keys import next_step, tab_to_id

    renders: list[InstallPlan] = []
    render = FlyteCore.render

    def counting(self: FlyteCore, plan: InstallPlan) -> dict[str, Any]:
        renders.append(plan)
        return render(self, plan)

    direct = render_module.render_values

    def counting_direct(plan: InstallPlan) -> dict[str, Any]:
        renders.append(plan)
        return direct(plan)

    monkeypatch.setattr(FlyteCore, "render", counting)
    monkeypatch.setattr(values_module, "render_values", counting_direct)  # the values file's own render
    write_answers(REALISTIC["eks"], answers_path)
    app = wizard()  # no stand-in: the runner drives the real Installer
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(6):
            await next_step(pilot)
        assert app.current_step == "review"
        renders.clear()
        await tab_to_id(pilot, "install")
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, RunnerScreen):
                break
            await pilot.pause(0.02)
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        for _ in range(1000):
            if runner.finished is not None:
                break
            await pilot.pause(0.02)
        assert runner.finished is not None  # no cluster here: it stops at its preflight
        assert app.state.values_path.exists()
        # One render for the install (the saved values file and the installer share it) and one for the review
        # screen's values preview, refreshed after the save (the installer used to render a third time).
        assert len(renders) == 2, "the values file and the installer rendered the plan each"
