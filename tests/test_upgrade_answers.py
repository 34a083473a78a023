"""The answers an upgrade starts from, on plain data: only what the user set (a chart default stays a default),
the chart source the saved answers name (helm does not record it), and drift that includes the target."""

from __future__ import annotations

import copy
from typing import Any

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.release import ReleaseInfo
from flyte_tui.upgrade import drift, live_chart, without_defaults

SET_BY_USER: dict[str, Any] = {
    "apiVersion": "flyte-tui/v1",
    "kind": "InstallPlan",
    "environment": "generic",
    "target": {
        "context": "kind-flyte",
        "namespace": "flyte",
        "release": "flyte",
        "chart": {"repo": "https://charts.mirror.example.com/flyte", "name": "flyte-core", "version": "v1.16.8"},
    },
    "storage": {"metadataBucket": "acme-flyte-meta", "endpoint": "https://s3.example.com"},
    "database": {"host": "db.example.com"},
    "ingress": {"host": "flyte.example.com"},
    "resources": {"components": {"flyteconsole": {"replicas": 3}}},
    "extraValues": {"flytepropeller": {"createCRDs": False}},
}
INFO = ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.7", 1, "deployed", "2026-12-01T10:00:00Z")


def as_imported(answers: dict[str, Any]) -> dict[str, Any]:
    """What reading the release of these answers back gives: every chart default spelt out."""
    plan = validate_answers(answers).plan
    assert plan is not None
    release = plan_releases(plan)[0]
    imported = release.profile.import_values(release.values, environment="generic", release="flyte", namespace="flyte")
    return {"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", **imported.answers, "target": answers["target"]}


def test_a_live_release_read_back_keeps_only_what_the_user_set() -> None:
    imported = as_imported(SET_BY_USER)
    assert set(imported["resources"]["components"]) >= {"flyteadmin", "datacatalog", "flytepropeller"}  # defaults

    kept = without_defaults(imported)

    assert kept["resources"] == {"components": {"flyteconsole": {"replicas": 3}}}
    assert {k: kept[k] for k in ("storage", "database", "ingress")} == {
        k: SET_BY_USER[k] for k in ("storage", "database", "ingress")
    }
    assert "projects" not in kept and "identity" not in kept
    before, after = (plan_releases(validate_answers(a).plan)[0].values for a in (imported, kept))  # type: ignore[arg-type]
    assert before == after  # the same values file


def test_the_defaults_go_also_when_the_chart_source_is_not_known() -> None:
    imported = as_imported(SET_BY_USER)
    imported["target"] = {"namespace": "flyte", "release": "flyte", "chart": {"name": "flyte-core", "version": "v1"}}
    kept = without_defaults(imported)
    assert kept["resources"] == {"components": {"flyteconsole": {"replicas": 3}}}
    assert kept["target"] == imported["target"]  # the source stays unknown: the wizard asks


def test_answers_that_do_not_validate_are_left_as_they_are() -> None:
    broken = copy.deepcopy(SET_BY_USER)
    broken["database"]["port"] = "not a port"
    assert without_defaults(broken) == broken


def test_the_chart_source_of_a_live_release_is_the_saved_one() -> None:
    assert live_chart(INFO, SET_BY_USER) == {
        "repo": "https://charts.mirror.example.com/flyte", "name": "flyte-core", "version": "v1.16.7",
    }  # fmt: skip
    by_path = copy.deepcopy(SET_BY_USER)
    by_path["target"]["chart"] = {"path": "./charts/flyte-core", "repo": ""}
    assert live_chart(INFO, by_path) == {"path": "./charts/flyte-core", "name": "flyte-core", "version": "v1.16.7"}
    assert live_chart(INFO, None) == {"name": "flyte-core", "version": "v1.16.7"}  # unknown: the caller asks


def test_drift_compares_the_target() -> None:
    live = without_defaults(as_imported(SET_BY_USER))
    live["target"] = {"namespace": "flyte", "release": "flyte", "chart": live_chart(INFO, SET_BY_USER)}
    assert [(c.path, c.old, c.new) for c in drift(SET_BY_USER, live)] == [
        ("target.chart.version", "v1.16.8", "v1.16.7")
    ]
    live["target"]["chart"]["version"] = "v1.16.8"
    assert drift(SET_BY_USER, live) == []
