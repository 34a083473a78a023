"""The sandbox's dependencies fields on the Storage step (issue 13): shown for a sandbox only, checked as typed
like every field, and written to the answers file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flyte_tui.files.yamlio import load_plain
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .keys import SIZE, type_into
from .test_walk import start_and_pick


def shown(app: WizardApp, path: str) -> bool:
    return bool(app.screen.query_one(f"#{field_id(path)}", FormField).display)


async def test_a_dependency_release_name_is_checked_and_saved(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "sandbox")  # picking the environment goes on to Storage
        assert app.current_step == "storage"
        for path in ("dependencies.storage", "dependencies.release", "dependencies.chart.repo"):
            assert shown(app, path), path
        await type_into(pilot, "dependencies.release", "Bad_Name")
        await pilot.pause()
        [error] = [p for p in app.state.errors_for("storage") if p.path == "dependencies.release"]
        assert "Bad_Name" in error.message or "lowercase" in error.message.lower(), error.message
        assert "dependencies.release" in {p.path for p in app.state.errors_for("storage")}
        await type_into(pilot, "dependencies.release", "my-deps")
        await pilot.pause()
        assert app.state.validation.plan is not None
        assert app.state.validation.plan.dependencies.release_for("flyte") == "my-deps"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_plain(answers_path.read_text())
    assert saved["dependencies"]["release"] == "my-deps"
