"""The Environment step's Private registry section (issue 16): the mirror and the pull secret are checked as typed
with the model's rules (the message under the field), a good mirror rewrites the review's images and the pull
secret goes into the values; with the sandbox's flyte-deps the pull secret warns that its chart cannot take it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from flyte_tui.files.answers import load_answers
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .keys import next_step, ready, shown_text, tab_to_id, type_into
from .test_snapshots import EKS_ANSWERS

BIG = (120, 60)


async def to_environment(pilot: Pilot[None], environment: str) -> WizardApp:
    """Welcome → Start fresh → Target → Environment, the card chosen."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await ready(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await next_step(pilot)
    assert app.current_step == "environment"
    await tab_to_id(pilot, f"card-{environment}")
    await pilot.press("enter")
    await pilot.pause()
    return app


def problem(app: WizardApp, path: str) -> str:
    return app.screen.query_one(f"#{field_id(path)}", FormField).problem_text


async def test_a_bad_mirror_and_secret_are_refused_at_their_fields(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=BIG) as pilot:
        await to_environment(pilot, "eks")
        await type_into(pilot, "images.registry", "https://registry.corp.example:5000")
        line = problem(app, "images.registry")
        assert line.startswith("✗") and "has a scheme" in line and "host[:port][/path]" in line, line
        await type_into(pilot, "images.registry", "registry.corp.example:99999")
        assert "port of 1-65535" in problem(app, "images.registry")
        await type_into(pilot, "images.pullSecret", "Reg_Cred")
        assert problem(app, "images.pullSecret").startswith("✗")
        await next_step(pilot)
        assert app.current_step == "environment"  # errors: Next refused
        await type_into(pilot, "images.registry", "registry.corp.example:5000")
        await type_into(pilot, "images.pullSecret", "regcred")
        assert problem(app, "images.registry") == "" and problem(app, "images.pullSecret") == ""
        assert app.state.errors_for("environment") == []


async def test_a_good_mirror_rewrites_the_reviews_images_and_is_saved(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=BIG) as pilot:
        await to_environment(pilot, "eks")
        for path, value in EKS_ANSWERS.items():  # the other steps' answers: the values render
            app.state.set(path, value)
        await type_into(pilot, "images.registry", "registry.corp.example:5000")
        await type_into(pilot, "images.pullSecret", "regcred")
        app.goto("review")
        await pilot.pause()
        values = "".join(shown_text(app.screen.query_one("#values")).splitlines())
        assert "repository: registry.corp.example:5000/flyteorg/flyteadmin" in values
        assert "cr.flyte.org/flyteorg/flyteadmin" not in values
        assert "- name: regcred" in values
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load_answers(answers_path)["images"] == {"registry": "registry.corp.example:5000", "pullSecret": "regcred"}


async def test_the_sandboxs_dependencies_warn_at_the_pull_secret(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=BIG) as pilot:
        await to_environment(pilot, "sandbox")
        await type_into(pilot, "images.pullSecret", "regcred")
        line = problem(app, "images.pullSecret")
        assert line.startswith("⚠") and "flyte-deps has no imagePullSecrets" in line, line
        assert "patch serviceaccount default" in line
