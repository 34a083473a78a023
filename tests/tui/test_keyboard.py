"""Keys only, at 80×24: Enter moves on to Next (never back), Tab reaches and scrolls to every text, a field
path focuses its field, arrows move between choices and cards without wrapping, the palette is in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.steps import STEP_IDS, STEPS, step_of

from .keys import SIZE, focused_path, on_screen, ready, send_key, shown_text, tab, tab_to_id
from .test_snapshots import EKS_ANSWERS


async def begin(pilot: Pilot[None], step: str, environment: str = "eks", answers: dict[str, Any] | None = None) -> None:
    """Start fresh (Enter on Welcome), with the environment's preset and these answers, on ``step``."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await ready(pilot)
    await pilot.press("enter")
    await pilot.pause()
    app.state.choose_environment(environment)
    for path, value in (EKS_ANSWERS if answers is None else answers).items():
        app.state.set(path, value)
    app.goto(step)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize(("environment", "step"), [
    ("sandbox", "storage"), ("sandbox", "identity"), ("sandbox", "resources"),
    ("eks", "database"), ("eks", "identity"), ("eks", "resources"),
])
async def test_enter_in_the_last_field_lands_on_next_and_enter_again_goes_on(
    environment: str, step: str, wizard: Callable[..., WizardApp]
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, step, environment, {} if environment == "sandbox" else None)
        await tab_to_id(pilot, "back")
        for _ in range(3):  # back from "← Back" to the last field of the form (past the text to read)
            send_key(pilot, "shift+tab")
            await pilot.pause()
            if app.focused is not None and not app.focused.has_class("-readable"):
                break
        assert isinstance(app.focused, Input), app.focused
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "next", app.focused
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_step == STEP_IDS[STEP_IDS.index(step) + 1]


@pytest.mark.parametrize("step", ["target", "storage", "database", "identity", "resources", "review"])
async def test_tab_never_stops_on_an_invisible_container(step: str, wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, step)
        seen = []
        for _ in range(60):
            await tab(pilot)
            focused = app.focused
            assert focused is not None
            invisible = type(focused).__name__ in ("VerticalScroll", "ScrollableContainer")
            assert not invisible, f"Tab stopped on {focused!r}"
            assert on_screen(app, focused) or focused.size.height > 10, f"{focused!r} is focused off screen"
            if focused in seen:
                break
            seen.append(focused)


async def test_the_values_yaml_on_review_is_a_visibly_focused_stop(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "review")
        await tab_to_id(pilot, "values")
        values = app.screen.query_one("#values")
        assert values.has_focus
        assert "flyteadmin" in shown_text(values)
        geometry = app.screen.find_widget(values)
        assert geometry.visible_region.height > 5  # scrolled to: the YAML fills the view


async def test_tab_reaches_and_shows_the_preset_summary(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "environment", "sandbox", {})
        await tab_to_id(pilot, "card-gke")
        await pilot.press("enter")
        await pilot.pause()
        filled = app.screen.query_one("#filled")
        assert "gke preset filled" in shown_text(filled)
        assert on_screen(app, filled)  # choosing scrolls it into view
        await tab_to_id(pilot, "filled")
        assert on_screen(app, filled)


async def test_tab_reaches_the_ingress_annotations_preview(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "identity")
        preview = app.screen.query_one("#annotations")
        assert not on_screen(app, preview)  # below the fields at 80×24
        await tab_to_id(pilot, "annotations")
        assert on_screen(app, preview)
        assert "alb.ingress.kubernetes.io" in shown_text(preview)


async def test_the_versions_error_is_shown_and_reachable(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()  # the fixed detection's helm (/usr/local/bin/helm) is not on this machine: listing fails
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target", answers={})
        await tab_to_id(pilot, "list-versions")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        versions = app.screen.query_one("#versions")
        assert shown_text(versions).startswith("Cannot list versions")
        assert on_screen(app, versions)
        await tab_to_id(pilot, "versions")
        assert on_screen(app, versions)


@pytest.mark.parametrize("step", ["target", "database"])
async def test_no_radio_label_is_cut(step: str, wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, step)
        for button in app.screen.query(RadioButton):
            assert str(button.label) in shown_text(button), shown_text(button)


@pytest.mark.parametrize(("path", "expected"), [
    ("database.passwordSecret", "database.passwordSecret.name"),  # a parent path: its first field
    ("database.passwordSecret.key", "database.passwordSecret.key"),
    ("database.sslMode", "database.sslMode"),
    ("projects.quotas.production.memory", "projects.quotas.production.memory"),
])
async def test_going_to_an_answer_focuses_its_field_in_view(
    path: str, expected: str, wizard: Callable[..., WizardApp]
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target")
        app.state.set("database.passwordSecret", {"name": "db-pass", "key": "pass.txt"})
        app.goto(step_of(path).id, path)  # what "Change the answer" on the runner does
        await pilot.pause()
        await pilot.pause()
        assert focused_path(app) == expected
        assert app.focused is not None and on_screen(app, app.focused)


async def test_arrows_stop_at_the_ends_of_a_radio_set(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target", answers={})
        await tab_to_id(pilot, "source")
        await pilot.press("enter")  # the highlighted first one: repository (already chosen)
        await pilot.press("up", "enter")  # no wrap to "OCI reference"
        await pilot.pause()
        assert app.screen.source == "repo"  # type: ignore[attr-defined]
        await pilot.press("down", "down", "down", "down", "enter")  # stops at the last
        await pilot.pause()
        assert app.screen.source == "oci"  # type: ignore[attr-defined]


async def test_arrows_move_between_environment_cards(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "environment", "sandbox", {})
        assert app.focused is not None and app.focused.id == "card-sandbox"
        for key, expected in (("right", "card-eks"), ("right", "card-eks"), ("down", "card-generic"),
                              ("left", "card-gke"), ("down", "card-gke"), ("up", "card-sandbox")):
            await pilot.press(key)
            assert app.focused is not None and app.focused.id == expected, (key, app.focused)


async def test_the_palette_lists_the_steps_in_wizard_order(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot, "target")
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        await pilot.pause()
        commands = app.screen.query_one(CommandList)
        prompts = [str(commands.get_option_at_index(i).prompt).splitlines()[0]
                   for i in range(commands.option_count)]
        steps = [p for p in prompts if p.startswith("Go to ")]
        assert steps == [f"Go to {s.title}" for s in STEPS], prompts
