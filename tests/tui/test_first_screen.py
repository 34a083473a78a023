"""Start-up: the Welcome screen is the app's first screen (no blank screen painted before it, issue 10),
and the steps still replace it and come back to it."""

from __future__ import annotations

from collections.abc import Callable

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.screens.welcome import WelcomeScreen

from .keys import SIZE, ready


async def test_welcome_is_the_first_screen_and_the_steps_replace_it(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        assert [type(s) for s in app.screen_stack] == [WelcomeScreen]  # from the first frame on
        await ready(pilot)
        await pilot.press("ctrl+n")  # start fresh: the target step replaces the welcome screen
        await pilot.pause()
        assert app.current_step == "target" and len(app.screen_stack) == 1
        app.goto("welcome")
        await pilot.pause()
        assert app.current_step == "welcome" and len(app.screen_stack) == 1
