"""The Target step offers flyte-binary and flyte-core with the maintainers' advice; the chosen chart's
profile then decides what the environment preset fills and what validation accepts."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from flyte_tui.charts import flyte_release, plan_releases
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

from .keys import SIZE, next_step, ready, tab_to_id


async def test_choosing_flyte_binary_on_target_then_the_eks_preset(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # Start fresh
        await pilot.pause()
        assert app.current_step == "target"
        guidance = str(app.screen.query_one("#chart-guidance", Static).render())
        assert "Start with flyte-binary" in guidance and "1,000" in guidance and "flyteorg/flyte#5729" in guidance
        await tab_to_id(pilot, "chart")
        await pilot.press("up", "enter")  # flyte-core is chosen; the one above is flyte-binary
        await pilot.pause()
        assert app.state.get("target.chart.name") == "flyte-binary"
        name = app.screen.query_one(f"#{field_id('target.chart.name')}", FormField).query_one(Input)
        assert name.value == "flyte-binary"
        await next_step(pilot)
        assert app.current_step == "environment"
        await tab_to_id(pilot, "card-eks")
        await pilot.press("enter")
        await pilot.pause()
        # the eks preset sizes flyte-core's components: flyte-binary takes none of that, so nothing is refused
        assert app.state.get("resources.components") is None
        assert not [p for p in app.state.validation.problems if p.path.startswith("resources")]
        app.state.set("storage.metadataBucket", "acme-meta")
        app.state.set("storage.region", "us-east-2")
        app.state.set("identity.awsRoleArn", "arn:aws:iam::123456789012:role/flyte")
        app.state.set("database.host", "db.example.com")
        app.state.set("ingress.tls.certificateArn", "arn:aws:acm:us-east-2:123456789012:certificate/abc")
        app.state.set("ingress.host", "flyte.example.com")
        app.state.set("projects.taskRoleArn", "arn:aws:iam::123456789012:role/flyte-tasks")
        assert app.state.validation.ok, [str(p) for p in app.state.validation.errors]
        release = flyte_release(plan_releases(app.state.validation.plan))  # type: ignore[arg-type]
        assert release.profile is FLYTE_BINARY
        assert release.values["configuration"]["storage"]["metadataContainer"] == "acme-meta"
        # the Resources step sizes the chart's one Deployment, not flyte-core's components
        app.screen.jump("resources")
        await pilot.pause()
        await pilot.pause()
        assert app.current_step == "resources"
        assert app.screen.query(f"#{field_id('resources.components.flyte-binary.requests.cpu')}")
        assert not app.screen.query(f"#{field_id('resources.components.flyteadmin.requests.cpu')}")
