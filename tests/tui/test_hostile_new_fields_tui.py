"""The Clusters and Task plugins steps given odd values from an answers file: the step opens, each error is said
on the step in our words, and a password in an endpoint never shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField

from .test_clusters_step import settle, to_clusters
from .test_plugins_step import text, to_plugins

ODD_PLANES: list[Any] = [
    "eu-1",
    {"eu-1": {"context": "eu"}},
    ["eu-1"],
    [None],
    [{"name": "eu-1", "endpoint": {"x": 1}, "labels": "gpu", "weight": "half", "inCluster": "yes"}],
    [{"name": "-eu", "context": "--kubeconfig=/x", "endpoint": "http://admin:hunter2@h:6443", "labels": ["-gpu"]}],
    [{"name": "eu-1", "weight": float("nan")}, {"name": "eu-1", "weight": -1}],
    [{"name": "eu-1", "labels": {"gpu": 1}}],
]


ODD_PLUGINS: list[Any] = ["spark", {"spark": True}, [None], [1, "ray"], [["spark"]], ["a" * 5000]]
CASES = [("clusters", "dataPlanes", v) for v in ODD_PLANES] + [("plugins", "plugins", v) for v in ODD_PLUGINS]


@pytest.mark.parametrize(("step", "key", "value"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
async def test_the_step_says_what_is_wrong_with_odd_values(
    wizard: Callable[..., WizardApp], step: str, key: str, value: Any
) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await (to_clusters if step == "clusters" else to_plugins)(pilot, {key: value})
        await settle(pilot)
        assert app.current_step == step
        errors = app.state.errors_for(step)
        assert errors
        said = " ".join([*(f.problem_text for f in app.screen.query(FormField)), text(app, "#step-problems")])
        for problem in errors:
            assert problem.message in said
        assert "hunter2" not in said and "Input should" not in said
        assert len(said) < 5000  # a 5000-character name is not repeated back whole


async def test_showing_a_data_plane_keeps_the_values_it_cannot_show_as_they_were(
    wizard: Callable[..., WizardApp],
) -> None:
    # an answer that is no text (a number, a list, a mapping) is shown as text: showing it must not write that text
    odd = [{"name": 7, "context": ["a"], "endpoint": {"x": 1}, "labels": [1, None]}]
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await to_clusters(pilot, {"dataPlanes": odd})
        await settle(pilot)
        assert app.state.get("dataPlanes") == odd
