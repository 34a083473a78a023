"""The Task plugins step (issue 16): one line per plugin saying what it is for and what it needs on the cluster;
switching Spark on puts ``plugins: [spark]`` in the saved answers and Spark's values in the review; a bad name from
an answers file shows on the step, and a problem of a chosen plugin under its own line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from flyte_tui.files.answers import load_answers
from flyte_tui.model.plugins import CATALOG
from flyte_tui.tui.app import WizardApp, make_app

from .conftest import fixed_detection
from .keys import SIZE, next_step, shown_text, tab_to_id
from .test_auth_step import to_auth
from .test_snapshots import go


async def to_plugins(pilot: Pilot[None], answers: dict[str, Any] | None = None) -> WizardApp:
    """The EKS answers, Authentication → Next → Task plugins."""
    app = await to_auth(pilot, answers)
    await next_step(pilot)
    assert app.current_step == "plugins"
    return app


def text(app: WizardApp, selector: str) -> str:
    """What the widget shows (a line: the texts in it), its wrapped lines joined again."""
    widget = app.screen.query_one(selector)
    parts = [widget] if isinstance(widget, Static) else list(widget.query(Static))
    return " ".join(" ".join(shown_text(w).split()) for w in parts if w.display)


async def test_each_plugin_says_what_it_is_for_and_needs(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await to_plugins(pilot)
        assert app.focused is not None and app.focused.id == "plugin-spark"
        spark = text(app, "#line-spark")
        assert "Spark jobs" in spark and "spark-operator" in spark and "sparkapplications.sparkoperator.k8s.io" in spark
        assert "rayjobs.ray.io" in text(app, "#line-ray") and "KubeRay" in text(app, "#line-ray")
        assert "flyteconnector" in text(app, "#line-connector")
        assert len(app.screen.query(".plugin-line")) == len(CATALOG)
        await next_step(pilot)  # none chosen: nothing to fix, and no answer written
        assert app.current_step == "resources" and app.state.get("plugins") is None


async def test_switching_spark_on_puts_it_in_the_answers_and_the_review_values(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await to_plugins(pilot)
        await tab_to_id(pilot, "plugin-spark")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.get("plugins") == ["spark"]
        assert app.state.errors_for("plugins") == []
        app.goto("review")
        await pilot.pause()
        values = text(app, "#values")
        assert "enabled-plugins:" in values and "- spark" in values and "sparkoperator: enabled: true" in values
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.state.dirty
        app.goto("plugins")
        await pilot.pause()
        await tab_to_id(pilot, "plugin-spark")
        await pilot.press("enter")  # off again: the answer goes
        await pilot.pause()
        assert app.state.get("plugins") is None
    assert load_answers(answers_path)["plugins"] == ["spark"]


async def test_problems_show_on_the_step(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await to_plugins(pilot, {"plugins": ["Spark", "ray", "ray"]})
        listed = text(app, "#step-problems")
        assert "plugins.0: 'Spark' is not a task plugin" in listed and "lower case: spark" in listed
        assert "'ray' is listed twice" in text(app, "#plugin-ray-problem")
        await next_step(pilot)
        assert app.current_step == "plugins"  # errors: Next refused
        await tab_to_id(pilot, "plugin-ray")
        await pilot.press("enter")  # off: both rays go, the unknown name stays
        await pilot.pause()
        assert app.state.get("plugins") == ["Spark"]
        assert not app.screen.query_one("#plugin-ray-problem").display


def test_snapshot_plugins_step(snap_compare: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("flyte-tui.yaml"), recovery_dir=tmp_path / "state", detector=fixed_detection,
                   deterministic=True)  # fmt: skip
    assert snap_compare(app, run_before=go("plugins", answers={"plugins": ["ray", "ray"]}), terminal_size=SIZE)
