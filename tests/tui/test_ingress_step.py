"""The Ingress step on a cluster without an IngressClass (issue 13): the wizard says so and the ingress is off
by default, the Review's values agree, and switching it on stays the user's choice. (The detection is plain
data here, as in every Pilot test; tests/e2e/test_no_ingress_class.py detects the test bed's classes.)"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from textual.widgets import Static

from flyte_tui.charts import flyte_release
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .conftest import FIXED
from .keys import SIZE, next_step, tab_to
from .test_walk import start_and_pick

NO_CLASS = dataclasses.replace(FIXED, asked_context="kind-flyte", ingress_classes=())


def note(app: WizardApp) -> str:
    widget = app.screen.query_one("#no-ingress-class", Static)
    return str(widget.render()) if widget.display else ""


def switch_on(app: WizardApp) -> bool:
    return bool(app.screen.query_one(f"#{field_id('ingress.enabled')}", FormField).current_value())


async def to_identity(pilot, app: WizardApp) -> None:
    await start_and_pick(pilot, "sandbox")
    await next_step(pilot)
    await next_step(pilot)
    assert app.current_step == "identity"


async def test_no_ingress_class_means_the_ingress_is_off_and_said_so(wizard: Callable[..., WizardApp]) -> None:
    app = wizard(detector=lambda: NO_CLASS)
    async with app.run_test(size=SIZE) as pilot:
        await to_identity(pilot, app)
        assert app.state.get("ingress.enabled") is False and not switch_on(app)
        found = "Cluster kind-flyte has no IngressClass (no ingress controller)"
        assert note(app).startswith(f"{found}: the ingress is off"), note(app)
        plan = app.state.validation.plan
        assert plan is not None and plan.ingress.enabled is False
        values = flyte_release(app.state.releases()).values  # what Review shows, Save writes and Install runs
        assert values["common"]["ingress"]["enabled"] is False
        await tab_to(pilot, "ingress.enabled")
        await pilot.press("enter")  # the user switches it on: their choice
        await pilot.pause()
        assert app.state.get("ingress.enabled") is True and switch_on(app)
        assert "nothing would serve this Ingress until you install a controller" in note(app)
        await next_step(pilot)
        await pilot.press("escape")  # back to the step: the user's choice stays
        await pilot.pause()
        assert app.current_step == "identity"
        assert app.state.get("ingress.enabled") is True and switch_on(app)


async def test_with_an_ingress_class_or_no_answer_from_the_cluster_nothing_changes(
    wizard: Callable[..., WizardApp],
) -> None:
    for detection in (dataclasses.replace(NO_CLASS, ingress_classes=("contour",)), FIXED):
        app = wizard(detector=lambda detection=detection: detection)
        async with app.run_test(size=SIZE) as pilot:
            await to_identity(pilot, app)
            assert app.state.get("ingress.enabled") is True and switch_on(app)  # the sandbox preset's contour
            assert note(app) == ""


async def test_another_context_than_the_one_detected_is_not_concluded_about(
    wizard: Callable[..., WizardApp],
) -> None:
    app = wizard(detector=lambda: NO_CLASS)
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "sandbox")
        app.state.set("target.context", "prod-eks")  # chosen on Target after the detection read kind-flyte
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "identity"
        assert app.state.get("ingress.enabled") is True and note(app) == ""


async def test_an_upgrades_answers_are_never_changed(wizard: Callable[..., WizardApp]) -> None:
    """Answers read from a live release are what it runs: the step says there is no IngressClass, changes nothing."""
    app = wizard(detector=lambda: NO_CLASS)
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "sandbox")
        app.state.upgrading = True  # as after "Upgrade" on Welcome, which reads the live release's answers
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "identity"
        assert app.state.get("ingress.enabled") is True and switch_on(app)
        assert "nothing would serve this Ingress" in note(app)
