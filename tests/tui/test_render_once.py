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
