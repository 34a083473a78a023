"""The upgrade review screen: navigation, collapse, jump, apply — and an SVG snapshot.

The review is built by the core's own diff functions from two small manifests (plain data): the
screen is a view over it, tested here; the review itself is tested on the real test bed.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Static

from flyte_tui.release import ReleaseInfo
from flyte_tui.review.diff import ChartChangeWarning, answers_diff, manifest_diff, values_diff
from flyte_tui.review.review import Review
from flyte_tui.tui.screens.upgrade_review import UpgradeReviewScreen

OLD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: flyteadmin, labels: {helm.sh/chart: flyte-core-v1.16.7}}
spec: {replicas: 1, template: {spec: {containers: [{name: flyteadmin, image: "flyteadmin:v1.16.7"}]}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: flyte-admin-base-config}
data: {db.yaml: "database: {host: db.example.com}"}
---
apiVersion: v1
kind: Secret
metadata: {name: flyte-secret-auth}
stringData: {client_secret: old-secret-value}
---
apiVersion: v1
kind: Service
metadata: {name: flyteadmin, labels: {helm.sh/chart: flyte-core-v1.16.7}}
spec: {ports: [{port: 80}]}
"""
NEW = (
    OLD.replace("v1.16.7", "v1.16.8")
    .replace("replicas: 1", "replicas: 2")
    .replace("db.example.com", "db2.example.com")
    .replace("old-secret-value", "new-secret-value")
    + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: flytescheduler}\n"
)


def make_review() -> Review:
    return Review(
        release=ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.7", 3, "deployed", "2026-11-29"),
        answers=answers_diff(
            {"database": {"host": "db.example.com"}, "resources": {"replicas": 1}},
            {"database": {"host": "db2.example.com"}, "resources": {"replicas": 2}},
        ),
        values=values_diff({"db": {"host": "db.example.com"}}, {"db": {"host": "db2.example.com"}}),
        manifests=manifest_diff(OLD, NEW),
        warnings=[ChartChangeWarning("flyteadmin.image.tag", "chart default changed: 'v1.16.7' → 'v1.16.8'")],
        helm_diff={
            "Deployment/flyteadmin",
            "ConfigMap/flyte-admin-base-config",
            "Secret/flyte-secret-auth",
            "Service/flyteadmin",
            "ServiceAccount/flytescheduler",
        },
        noise_only=["Service/flyteadmin"],
    )


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.result: Any = "unset"

    def on_mount(self) -> None:
        self.push_screen(UpgradeReviewScreen(make_review()), lambda r: setattr(self, "result", r))


def test_the_review_lists_exactly_the_real_changes() -> None:
    review = make_review()
    assert [str(o.key) for o in review.manifests.objects] == [
        "ConfigMap/flyte-admin-base-config",
        "Deployment/flyteadmin",
        "Secret/flyte-secret-auth",
        "ServiceAccount/flytescheduler",
    ]  # the Service differs only in its chart label
    secret = next(o for o in review.manifests.objects if o.key.kind == "Secret")
    assert secret.secret_keys == (("client_secret", "changed"),)
    assert "secret-value" not in "\n".join(secret.lines)


async def test_navigate_collapse_jump_and_apply() -> None:
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, UpgradeReviewScreen)
        view = screen.view

        def shown() -> str:
            return str(view.render())

        assert len(view.objects) == 4 and "▼" not in shown()
        title = str(screen.query_one("#manifests-title", Static).render())
        assert "ConfigMap ~1" in title and "ServiceAccount +1" in title
        await pilot.press("n")
        assert screen.current == 0
        await pilot.press("enter")
        await pilot.pause()
        assert "▼ ~ ConfigMap/flyte-admin-base-config" in shown() and "+  db.yaml" in shown()
        await pilot.press("n", "n", "n", "n")  # wraps around to the first again
        assert screen.current == 0
        await pilot.press("p")
        assert screen.current == 3
        await pilot.press("e")
        await pilot.pause()
        assert shown().count("▼") == 4 and "secret key client_secret: changed" in shown()
        await pilot.press("c")
        await pilot.pause()
        assert "▼" not in shown()
        await pilot.press("a")
        await pilot.pause()
    assert app.result is True


async def test_escape_goes_back_without_applying() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is False


def test_upgrade_review_snapshot(snap_compare: Any) -> None:
    async def expand_first(pilot: Any) -> None:
        await pilot.press("n", "enter")
        await pilot.pause()

    assert snap_compare(Host(), terminal_size=(120, 40), run_before=expand_first)


def cluster_reviews() -> tuple[list[Any], list[str]]:
    """Two data planes (one new: its release to install) and the control plane, in the core's order, and the
    notes of the new data plane."""
    from dataclasses import replace

    from flyte_tui.charts import flyte_release, plan_releases, validate_answers
    from flyte_tui.review.clusters import change_lines, cluster_changes
    from flyte_tui.upgrade import ClusterReview

    checked = validate_answers({"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "sandbox"})
    assert checked.plan is not None
    control = flyte_release(plan_releases(checked.plan))
    east = replace(control, context="ctx-east", data_plane="east")
    west = replace(control, context="ctx-west", data_plane="west")
    propeller = "kind: Deployment\nmetadata: {name: flytepropeller}\n"
    new = Review(None, [], values_diff({}, {"flytepropeller": {"enabled": True}}), manifest_diff("", propeller))
    clusters = [ClusterReview(east, make_review()), ClusterReview(west, new), ClusterReview(control, make_review())]
    old_values = {"configmap": {"clusters": {"clusterConfigs": [{"name": "east", "endpoint": "https://e:6443"}]}}}
    new_values = {"configmap": {"clusters": {"clusterConfigs": [
        {"name": "east", "endpoint": "https://e:6443"}, {"name": "west", "endpoint": "https://w:6443"}]}}}  # fmt: skip
    notes = change_lines(cluster_changes(old_values, new_values, {"west": "ctx-west"}), "flyte", "flyte")
    return clusters, notes


class ClustersHost(App[None]):
    def on_mount(self) -> None:
        clusters, notes = cluster_reviews()
        self.push_screen(UpgradeReviewScreen(clusters[-1].review, clusters, notes))


async def test_each_cluster_has_its_tab_data_planes_first_and_the_new_data_plane_is_said() -> None:
    from textual.widgets import TabbedContent, Tabs

    app = ClustersHost()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, UpgradeReviewScreen)
        tabs = screen.query_one(Tabs)
        labels = [str(tab.label) for tab in tabs.query("Tab")]
        assert labels == ["east", "west (new)", "control plane"]
        titles = [str(screen.query_one(f"#cluster-title-{i}", Static).render()) for i in range(3)]
        assert titles == [
            "data plane east (context ctx-east): release flyte in flyte",
            "data plane west (context ctx-west): release flyte in flyte, new: to install",
            "control plane (context current): release flyte in flyte",
        ]
        notes = str(screen.query_one("#review-notes", Static).render())
        assert "new cluster entry west (https://w:6443)" in notes
        assert "Secret cluster-credentials keys west_token, west_cacert added" in notes
        assert "east" not in notes.split("west", 1)[0].replace("data plane", "")  # the new one only
        assert len(screen.view.objects) == 4  # the first tab: east's changes
        screen.query_one(TabbedContent).active = "cluster-1"
        await pilot.pause()
        assert [str(o.key) for o in screen.view.objects] == ["Deployment/flytepropeller"]
        await pilot.press("n", "enter")
        await pilot.pause()
        assert "▼ + Deployment/flytepropeller" in str(screen.view.render())
