"""The Clusters step (issue 17): one cluster by default; data planes added, edited and removed with the keyboard;
the context picked from the kubeconfig's contexts (not the control plane's) and checked reachable as it is chosen,
by the real kubectl against a kubeconfig of this test's (its server refuses: the reason shows, and the endpoint is
prefilled from the kubeconfig); every field's problem at the field; flyte-binary says why it cannot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Label

from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note

from .conftest import fixed_detection
from .keys import SIZE, choose, next_step, ready, tab, tab_to, type_into
from .test_snapshots import go

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: eks
  cluster: {server: "https://127.0.0.1:1"}
- name: kind
  cluster: {server: "https://127.0.0.1:2"}
contexts:
- name: prod-eks
  context: {cluster: eks, user: u}
- name: kind-flyte
  context: {cluster: kind, user: u}
users:
- name: u
  user: {username: nobody}
current-context: kind-flyte
"""
"""The contexts of the fixed detection (kind-flyte the control plane's): nothing listens at either server."""


@pytest.fixture(autouse=True)
def kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(path))
    return path


def field(app: WizardApp, path: str) -> FormField:
    return app.screen.query_one(f"#{field_id(path)}", FormField)


def shown(app: WizardApp) -> set[str]:
    return {f.path for f in app.screen.query(FormField) if f.display}


async def settle(pilot: Pilot[None]) -> None:
    """Let a rebuild of the boxes and a reachability check finish."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
    await app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


async def to_clusters(pilot: Pilot[None], answers: dict[str, Any] | None = None) -> WizardApp:
    """Welcome → Start fresh, sandbox, then Resources → Next → Clusters."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await ready(pilot)
    await pilot.press("enter")
    await pilot.pause()
    app.state.choose_environment("sandbox")
    app.state.set("target.context", "kind-flyte")
    for path, value in (answers or {}).items():
        app.state.set(path, value)
    app.goto("resources")
    await pilot.pause()
    await next_step(pilot)
    assert app.current_step == "clusters"
    return app


async def switch_on(pilot: Pilot[None]) -> None:
    await tab_to(pilot, "dataPlanes")
    await pilot.press("enter")
    await settle(pilot)


async def test_one_cluster_by_default_and_the_step_sits_between_resources_and_review(
    wizard: Callable[..., WizardApp],
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_clusters(pilot)
        assert field(app, "dataPlanes").current_value() is False
        assert shown(app) == {"dataPlanes"}
        assert "One cluster" in app.screen.query_one("#clusters-note", Note).text
        await next_step(pilot)
        assert app.current_step == "review"
        assert "dataPlanes" not in app.state.raw


async def test_add_edit_check_and_remove_data_planes(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_clusters(pilot)
        await switch_on(pilot)
        assert app.state.get("dataPlanes") == [{"name": "dataplane-1"}]
        context = field(app, "dataPlanes.0.context")
        assert context.choices == ("prod-eks",)  # the kubeconfig's, the control plane's (kind-flyte) left out
        await choose(pilot, "dataPlanes.0.context", "prod-eks", context.choices)
        await settle(pilot)
        reach = app.screen.query_one("#reach-0", Note).text
        assert reach.startswith("✗ prod-eks is not reachable (https://127.0.0.1:1): ")
        assert "refused" in reach  # kubectl's own reason
        assert field(app, "dataPlanes.0.endpoint").current_value() == "https://127.0.0.1:1"  # from the kubeconfig
        await type_into(pilot, "dataPlanes.0.endpoint", "https://10.0.12.7:6443")
        await type_into(pilot, "dataPlanes.0.labels", "gpu, eu")
        await type_into(pilot, "dataPlanes.0.weight", "0.5")
        assert app.state.get("dataPlanes") == [
            {
                "name": "dataplane-1",
                "context": "prod-eks",
                "endpoint": "https://10.0.12.7:6443",
                "labels": ["gpu", "eu"],
                "weight": 0.5,
            }
        ]
        await tab_to(pilot, "dataPlanes.0.weight")
        while app.focused is None or app.focused.id != "add-plane":
            await tab(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [p["name"] for p in app.state.get("dataPlanes")] == ["dataplane-1", "dataplane-2"]
        await type_into(pilot, "dataPlanes.1.name", "Bad_Name")
        await settle(pilot)
        name = field(app, "dataPlanes.1.name")
        assert name.has_class("-error") and "DNS-1123" in name.problem_text
        assert "required" in field(app, "dataPlanes.1.context").problem_text or name.problem_text
        await next_step(pilot)
        assert app.current_step == "clusters"  # refused while a data plane is wrong
        app.screen.query_one("#remove-1", Button).press()
        await settle(pilot)
        assert [p["name"] for p in app.state.get("dataPlanes")] == ["dataplane-1"]
        assert "dataPlanes.1.name" not in shown(app)
        app.screen.query_one("#remove-0", Button).press()
        await settle(pilot)
        assert "dataPlanes" not in app.state.raw
        assert field(app, "dataPlanes").current_value() is False


async def test_in_cluster_hides_context_and_endpoint(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_clusters(pilot)
        await switch_on(pilot)
        assert {"dataPlanes.0.context", "dataPlanes.0.endpoint"} <= shown(app)
        await tab_to(pilot, "dataPlanes.0.inCluster")
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.get("dataPlanes") == [{"name": "dataplane-1", "inCluster": True}]
        assert not {"dataPlanes.0.context", "dataPlanes.0.endpoint"} & shown(app)
        assert not app.state.errors_for("clusters")


async def test_an_answers_files_data_planes_fill_the_step_and_their_problems_show_at_the_field(
    wizard: Callable[..., WizardApp],
) -> None:
    planes = [{"name": "east", "context": "kind-flyte", "endpoint": "https://east:6443", "labels": ["gpu"]}]
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_clusters(pilot, {"dataPlanes": planes})
        assert field(app, "dataPlanes").current_value() is True
        assert field(app, "dataPlanes.0.name").current_value() == "east"
        assert field(app, "dataPlanes.0.labels").current_value() == ["gpu"]
        assert "control plane's context" in field(app, "dataPlanes.0.context").problem_text


async def test_flyte_binary_says_why_there_are_no_data_planes(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_clusters(pilot, {"target.chart.name": "flyte-binary"})
        assert "Not available with flyte-binary" in app.screen.query_one("#clusters-note", Note).text
        assert app.screen.query_one("#add-plane", Button).disabled


EAST = {"name": "east", "context": "prod-eks", "endpoint": "https://10.0.12.7:6443", "labels": ["gpu"], "weight": 1}


def test_clusters_snapshot(snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("flyte-tui.yaml"), recovery_dir=tmp_path / "state", detector=fixed_detection,
                   deterministic=True)  # fmt: skip
    answers = {"target.context": "kind-flyte", "dataPlanes": [EAST]}
    assert snap_compare(app, run_before=go("clusters", "sandbox", answers), terminal_size=(80, 40))


async def test_the_review_shows_one_values_file_per_cluster(wizard: Callable[..., WizardApp]) -> None:
    from .keys import shown_text

    app = wizard()
    async with app.run_test(size=(100, 40)) as pilot:
        await to_clusters(pilot, {"ingress.host": "flyte.example.com", "dataPlanes": [EAST]})
        await next_step(pilot)
        assert app.current_step == "review"
        await settle(pilot)
        screen = app.screen
        assert str(screen.query_one("#values-label", Label).render()).startswith("Values of the control plane")
        box = screen.query_one("#planes-values")
        titles = [str(label.render()) for label in box.query(Label)]
        assert titles == [
            "Values of data plane east (flyte-values-east.yaml, context prod-eks): installed before the control plane"
        ]
        east = shown_text(box.query_one(".plane-values", Note))
        control = shown_text(screen.query_one("#values", Note))
        assert "flytepropeller" in east and "clusterConfigs" not in east  # the data plane's own values
        assert "clusterConfigs" in control and "https://10.0.12.7:6443" in control
