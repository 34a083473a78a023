"""The upgrade review across clusters, from plain plans and values (no cluster): one review per cluster titled
with its data plane and context, data planes first; a data plane added shows its cluster entry, its two
credentials keys and its release to install; one removed warns that executions may still run there and says how
to uninstall the release left in place."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.cli.run import reviewed_lines
from flyte_tui.model.plan import InstallPlan
from flyte_tui.review.clusters import changes_in, cluster_changes, data_plane_names
from flyte_tui.review.diff import ManifestDiff, manifest_diff, values_diff
from flyte_tui.review.review import Review
from flyte_tui.upgrade import ClusterReview, Reviewed, cluster_notes


def answers(*planes: dict[str, Any]) -> dict[str, Any]:
    """Sandbox answers on context ``control`` with these data planes."""
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "sandbox",
        "target": {"context": "control", "namespace": "flyte", "release": "flyte"},
        "dataPlanes": list(planes),
    }


EAST = {"name": "east", "context": "ctx-east", "endpoint": "https://10.0.0.2:6443", "labels": ["gpu"]}
WEST = {"name": "west", "context": "ctx-west", "endpoint": "https://10.0.0.3:6443"}


def plan_of(raw: dict[str, Any]) -> InstallPlan:
    checked = validate_answers(raw)
    assert checked.plan is not None, checked.problems
    return checked.plan


def clusters_values(*names: str, in_cluster: bool = False) -> dict[str, Any]:
    """A control plane's values listing these data planes in configmap.clusters (as flyteadmin reads them)."""
    configs: list[dict[str, Any]] = [
        {
            "name": n,
            "endpoint": f"https://{n}.example:6443",
            "enabled": True,
            "auth": {"tokenPath": f"/var/run/credentials/{n}_token", "certPath": f"/var/run/credentials/{n}_cacert"},
        }
        for n in names
    ]
    if in_cluster:
        configs.append({"name": "control", "enabled": True, "inCluster": True})
    return {"configmap": {"clusters": {"clusterConfigs": configs}}, "flyteadmin": {"replicaCount": 1}}


def test_the_data_planes_of_a_control_planes_values_leave_the_in_cluster_entry_out() -> None:
    assert data_plane_names(clusters_values("east", in_cluster=True)) == {"east": "https://east.example:6443"}
    assert data_plane_names({"configmap": {}}) == {}


def test_a_data_plane_added_shows_its_entry_its_credentials_keys_and_its_release_to_install() -> None:
    diff = values_diff(clusters_values("east"), clusters_values("east", "west"))
    changes = changes_in(diff.changes, {"west": "ctx-west"})
    assert [(c.name, c.change, c.context) for c in changes] == [("west", "added", "ctx-west")]
    text = "\n".join(changes[0].lines("flyte", "flyte"))
    assert "new cluster entry west (https://west.example:6443)" in text
    assert "Secret cluster-credentials keys west_token, west_cacert added" in text
    assert "release flyte in flyte (context ctx-west): to install" in text
    assert "east" not in text  # only what is new is named


def test_a_data_plane_removed_warns_that_executions_may_still_run_and_says_how_to_uninstall_it() -> None:
    changes = cluster_changes(clusters_values("east", "west"), clusters_values("west"))
    assert [(c.name, c.change) for c in changes] == [("east", "removed")]
    text = "\n".join(changes[0].lines("flyte", "flyte"))
    assert "executions already started there may still run" in text
    assert "its release flyte is left in place" in text
    assert "helm uninstall flyte --namespace flyte --kube-context <east's context>" in text


def test_nothing_is_said_when_the_clusters_stay_the_same() -> None:
    old = clusters_values("east")
    new = {**clusters_values("east"), "flyteadmin": {"replicaCount": 2}}
    assert changes_in(values_diff(old, new).changes) == []
    assert cluster_changes(old, old) == []


def review_of(old: dict[str, Any], new: dict[str, Any], installed: bool = True) -> Review:
    """A review as the core builds it, from plain values (no manifests)."""
    from flyte_tui.release import ReleaseInfo

    info = ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.8", 3, "deployed", "") if installed else None
    return Review(info, [], values_diff(old, new), ManifestDiff([]))


def test_each_cluster_is_reviewed_under_its_title_data_planes_first_the_new_one_to_install() -> None:
    plan = plan_of(answers(EAST, WEST))
    control = flyte_release(plan_releases(plan))
    east = replace(control, context="ctx-east", data_plane="east")
    west = replace(control, context="ctx-west", data_plane="west")
    control_review = review_of(clusters_values("east"), clusters_values("east", "west"))
    new_release = Review(None, [], values_diff({}, {"flytepropeller": {"enabled": True}}),
                         manifest_diff("", "kind: Deployment\nmetadata: {name: flytepropeller}\n"))  # fmt: skip
    clusters = (
        ClusterReview(east, review_of({}, {})),
        ClusterReview(west, new_release),
        ClusterReview(control, control_review),
    )
    reviewed = Reviewed(control_review, [east, west, control], clusters, cluster_notes(plan, control_review))
    titles = [c.title for c in reviewed.clusters]
    assert titles == [
        "data plane east (context ctx-east): release flyte in flyte",
        "data plane west (context ctx-west): release flyte in flyte, new: to install",
        "control plane (context control): release flyte in flyte",
    ]
    assert reviewed.has_changes
    lines = reviewed_lines(reviewed)
    headers = [line for line in lines if line.startswith("== ")]
    assert headers == [f"== {t} ==" for t in titles] + ["== data planes added / removed =="]
    west_part = lines[lines.index(headers[1]) : lines.index(headers[2])]
    assert "  added Deployment/flytepropeller" in west_part
    assert "No release yet: everything below is new." in west_part
    assert any("Secret cluster-credentials keys west_token, west_cacert added" in line for line in lines)
    data = reviewed.to_json()
    assert [c["dataPlane"] for c in data["clusters"]] == ["east", "west", ""]
    assert data["clusters"][1]["release"] is None


def test_one_cluster_prints_as_before() -> None:
    review = review_of({"a": 1}, {"a": 2})
    reviewed = Reviewed(review, [])
    from flyte_tui.cli.run import review_lines

    assert reviewed_lines(reviewed) == review_lines(review)
    assert reviewed.to_json() == review.to_json()
