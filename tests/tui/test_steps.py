"""Per-step behaviour a user sees: chart source, custom storage YAML, live annotations, quotas, themes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .keys import SIZE, choose, click_into, next_step, ready, tab_to, tab_to_id, type_into, type_text
from .test_walk import start_and_pick


def shown(app: WizardApp, path: str) -> bool:
    return bool(app.screen.query_one(f"#{field_id(path)}", FormField).display)


async def test_chart_source_switches_between_repo_path_and_oci(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "target.chart.repo") and not shown(app, "target.chart.oci")
        await tab_to_id(pilot, "source")
        await pilot.press("down", "down", "enter")  # the highlight starts on the first choice: OCI is third
        await pilot.pause()
        assert shown(app, "target.chart.oci") and not shown(app, "target.chart.repo")
        assert app.state.get("target.chart.repo") == ""
        assert [p.path for p in app.state.errors_for("target")] == ["target.chart"]
        await type_into(pilot, "target.chart.oci", "oci://ghcr.io/flyteorg/helm-charts/flyte-core")
        assert app.state.errors_for("target") == []
        await next_step(pilot)
        assert app.current_step == "environment"


async def test_custom_storage_takes_a_yaml_block(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "generic")
        await choose(pilot, "storage.type", "custom", ("sandbox", "s3", "gcs", "custom"))
        assert app.state.get("storage.type") == "custom"
        assert shown(app, "storage.custom") and not shown(app, "storage.metadataBucket")
        await tab_to(pilot, "storage.custom")
        await type_text(pilot, "type: stow\ncontainer: my-bucket\n")
        assert app.state.get("storage.custom") == {"type": "stow", "container": "my-bucket"}
        await type_text(pilot, "[oops")
        error = app.screen.query_one(f"#{field_id('storage.custom')} .field-error", Static)
        assert "not valid YAML" in str(error.render())
        assert app.state.get("storage.custom") == {"type": "stow", "container": "my-bucket"}


async def test_ingress_annotations_preview_follows_the_controller(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "sandbox")
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "identity"
        preview = app.screen.query_one("#annotations", Static)
        assert "nginx.ingress.kubernetes.io/app-root: null" in str(preview.render())  # contour drops nginx's
        await choose(pilot, "ingress.controller", "nginx", ("nginx", "alb", "gce", "contour", "traefik", "none"))
        assert "no annotations" in str(preview.render())
        # nginx needs TLS and a separate gRPC ingress: the errors show under those fields
        tls_error = app.screen.query_one(f"#{field_id('ingress.tls.enabled')} .field-error", Static)
        assert "enable tls" in str(tls_error.render())


async def test_domain_list_drives_the_quota_rows(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:  # the whole table on screen, to click in it
        await start_and_pick(pilot, "sandbox")
        for _ in range(5):  # storage → database → identity → auth → plugins → resources
            await next_step(pilot)
        assert app.current_step == "resources"
        await click_into(pilot, "projects.domains", "development, qa")
        await pilot.pause()
        assert app.screen.query(f"#{field_id('projects.quotas.qa.cpu')}")
        assert not app.screen.query(f"#{field_id('projects.quotas.staging.cpu')}")
        assert any(p.path == "projects.quotas.qa" for p in app.state.errors_for("resources"))
        await click_into(pilot, "projects.quotas.qa.cpu", "4")
        await click_into(pilot, "projects.quotas.qa.memory", "8Gi")
        assert app.state.errors_for("resources") == []
        await click_into(pilot, "resources.components.flyteadmin.requests.cpu", "4")
        assert app.screen.query_one(f"#{field_id('resources.components.flyteadmin.requests.cpu')}").has_class("-error")
        assert "request 4 is above" in str(app.screen.query_one("#table-problems", Static).render())


async def test_odd_domain_names_are_errors_not_crashes(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await start_and_pick(pilot, "sandbox")
        app.goto("resources")
        await pilot.pause()
        await click_into(pilot, "projects.domains", "Dev Team, Dev Team, qa.1")
        await pilot.pause()
        assert app.current_step == "resources" and app.is_running
        paths = {p.path for p in app.state.errors_for("resources")}
        assert "projects.domains.0" in paths and "projects.domains.2" in paths
        assert len(app.screen.query("#quotas .field")) == 2 * 2  # one row per distinct domain


async def test_theme_toggles_between_light_and_dark(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is dark


async def test_no_color_is_respected(wizard: Callable[..., WizardApp], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = wizard()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.no_color
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_step == "target"


async def test_every_field_has_its_model_docstring_as_help(wizard: Callable[..., WizardApp]) -> None:
    from flyte_tui.tui.labels import field_help
    from flyte_tui.tui.steps import STEP_IDS

    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "generic")
        checked = 0
        for step in STEP_IDS[1:-1]:
            app.goto(step)
            await pilot.pause()
            for field in app.screen.query(FormField):
                assert field.help_text, f"{field.path} has no help"
                assert field.help_text == field_help(field.path)[1]
                checked += 1
        assert checked > 40
