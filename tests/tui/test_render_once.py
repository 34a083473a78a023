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
from flyte_tui.tui.steps import STEPS
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
    """Review, then Install: one render for the review's values preview, the saved values file and the
    installer (the values file module renders nothing itself)."""
    import sys

    from flyte_tui.charts.flyte_core import render as render_module
    from flyte_tui.files.answers import write_answers

    from .keys import next_step, tab_to_id

    renders: list[InstallPlan] = []
    direct = render_module.render_values

    def counting(plan: InstallPlan) -> dict[str, Any]:
        renders.append(plan)
        return direct(plan)

    # every render, whoever calls it: the profile (which imports it when it runs) and any module holding it
    for module in [m for name, m in sys.modules.items() if name.startswith("flyte_tui") and m is not None]:
        if getattr(module, "render_values", None) is direct:
            monkeypatch.setattr(module, "render_values", counting)
    write_answers(REALISTIC["eks"], answers_path)
    app = wizard()  # no stand-in: the runner drives the real Installer
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(len(STEPS) - 3):  # Target to the step before Review
            await next_step(pilot)
        renders.clear()  # from here on: the review screen (its preview), Save and install, the installer
        await next_step(pilot)
        assert app.current_step == "review"
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
        # One render for the whole operation: the review screen's preview (refreshed after the save), the saved
        # values file and the installer share it (it used to be three, then two).
        assert len(renders) == 1, "the preview, the values file or the installer rendered the plan again"
