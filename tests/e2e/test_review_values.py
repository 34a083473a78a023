"""The values layer of an upgrade review on the real control plane: only the leaves that change.

helm returns the deployed values with sorted keys while flyte-tui writes the chart's order; the layer
compares the trees, so one changed replica count is one line, in the review, on the upgrade review
screen at 80×24 and in headless ``diff``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from flyte_tui.cli.run import review_lines
from flyte_tui.review.review import Review, review_plan
from flyte_tui.tools.helm import Helm
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen
from tests.e2e.test_install import answers, plan_of
from tests.e2e.test_upgrade import install

pytestmark = pytest.mark.e2e
LEAF = "+ flyteadmin.replicaCount: 2"
"""The deployed values leave the replica count at the chart's default: the new values add it."""


class Host(App[None]):
    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    def on_mount(self) -> None:
        self.push_screen(UpgradeReviewScreen(self.review))


async def test_one_changed_replica_count_is_one_line_of_the_values_layer(
    testbed: Any, namespace: str, helm_bin: Path, tmp_path: Path
) -> None:
    old = answers(testbed, namespace)
    install(testbed, helm_bin, tmp_path, old)
    new: dict[str, Any] = copy.deepcopy(old)
    new["resources"] = {"components": {"flyteadmin": {"replicas": 2}}}
    result = review_plan(plan_of(new), Helm(str(helm_bin), testbed.context, namespace, testbed.env))

    assert [c.line() for c in result.values.changes] == [LEAF]
    assert list(result.values.lines) == [LEAF]
    shown = review_lines(result)
    at = shown.index("Values (1 changed):")
    assert shown[at + 1 : at + 2] == [f"  {LEAF}"] and not shown[at + 2].startswith("  ")

    app = Host(result)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        layer = str(app.screen.query_one("#layer-values", Static).render()).strip()
    assert layer == LEAF
