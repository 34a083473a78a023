"""Errors and choices a user can read at 80×24, with or without colour: the table cell's error where the
cursor is, errors that match the text in the field (also while pasting), glyphs for radio and switch
states, the chart-source error at the source fields, labelled S3 key inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .keys import SIZE, on_screen, shown_text, tab_to, tab_to_id, type_into, type_text
from .test_keyboard import begin

CELL = "resources.components.flyteadmin.requests.cpu"


def cell(app: WizardApp, path: str) -> FormField:
    return app.screen.query_one(f"#{field_id(path)}", FormField)


@pytest.mark.parametrize("no_color", [False, True])
@pytest.mark.parametrize("bad", ["two", "2GB"])
async def test_a_bad_table_cell_is_marked_and_its_message_is_in_view(
    bad: str, no_color: bool, wizard: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "resources")
        await type_into(pilot, CELL, bad)
        mark = cell(app, CELL).query_one(".cell-mark")
        assert on_screen(app, mark) and shown_text(mark) == "✗"  # a glyph beside the cell, not only red
        line = app.screen.query_one("#cell-problem")
        assert on_screen(app, line)  # the message, where the cursor is: always in view at 80×24
        assert shown_text(line).startswith(f"✗ {CELL}: ") and bad in shown_text(line)
        text = cell(app, CELL).query_one(Input)
        styles = [s.style for s in text.render_lines(text.region.reset_offset)[0] if s.text.strip()]
        assert styles and all(s is not None and s.bold and s.underline for s in styles)  # not dimmer: bold
        await tab_to(pilot, "resources.components.flyteadmin.limits.cpu")
        assert shown_text(line) == "" or not line.display  # the next cell is fine: no message
        await type_into(pilot, CELL, "250m")
        assert not mark.display and not line.display


async def test_errors_follow_the_text_in_the_field_while_pasting(wizard: Callable[..., WizardApp]) -> None:
    """Each repaint of the field's error is for the text the field holds at that moment: the error of a
    partial value never shows after the full value is in the field."""
    app = wizard()
    stale: list[tuple[str, Any]] = []
    original = FormField.show_problems

    def show_problems(self: FormField, problems: list[Any]) -> None:
        if self.path == "target.namespace":
            held = self.query_one(Input).value
            if app.state.get(self.path) != held:
                stale.append((held, app.state.get(self.path)))
        original(self, problems)

    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target", answers={})
        await tab_to(pilot, "target.namespace")
        await pilot.press("end", "ctrl+u")
        FormField.show_problems = show_problems  # type: ignore[method-assign]
        try:
            await type_text(pilot, "flyte-production-namespace-for-the-acme-data-team")  # a fast paste
            for _ in range(5):
                await pilot.pause()
        finally:
            FormField.show_problems = original  # type: ignore[method-assign]
        assert app.state.get("target.namespace") == "flyte-production-namespace-for-the-acme-data-team"
        assert stale == []


async def test_radio_and_switch_states_have_glyphs(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "database")
        mode = app.screen.query_one("#password-mode")
        lines = [shown_text(b) for b in mode.query("RadioButton")]
        assert sum("●" in line for line in lines) == 1 and sum("○" in line for line in lines) == 2, lines
        shared = app.screen.query_one("#shared")
        assert "on" in shown_text(shared)
        await tab_to_id(pilot, "shared")
        await pilot.press("space")
        await pilot.pause()
        assert "off" in shown_text(shared)


async def test_path_mode_hides_the_version_listing_and_the_missing_source_shows_at_its_field(
    wizard: Callable[..., WizardApp]
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target", answers={})
        assert app.screen.query_one("#list-versions").display
        await tab_to_id(pilot, "source")
        await pilot.press("down", "enter")  # "Local chart directory or .tgz"
        await pilot.pause()
        assert not app.screen.query_one("#list-versions").display
        path_field = cell(app, "target.chart.path")
        assert "exactly one of repo, path or oci" in path_field.problem_text
        assert "exactly one of repo" not in shown_text(app.screen.query_one("#step-problems"))
        await tab_to(pilot, "target.chart.path")
        assert on_screen(app, path_field.query_one(".field-error"))
        await type_text(pilot, "./charts/flyte-core")
        assert "exactly one of" not in path_field.problem_text


async def test_the_s3_key_inputs_keep_their_labels_once_typed(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "storage", "generic", {"storage.metadataBucket": "acme-flyte-meta"})
        for widget_id, title in (("access-key", "Access key ID"), ("secret-key", "Secret access key")):
            await tab_to_id(pilot, widget_id)
            await type_text(pilot, "AKIAEXAMPLE")
            label = app.screen.query_one(f"#{widget_id}-label")
            assert shown_text(label) == title and on_screen(app, label)
