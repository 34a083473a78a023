"""The answers' ingress against the cluster's IngressClasses (issue 13): a sandbox on a cluster without any is
installed with the ingress off, the plan changed before it is rendered; any other plan gets a warning that
names the answer. (The classes are plain data here; tests/e2e/test_no_ingress_class.py reads the test bed's.)"""

from __future__ import annotations

from typing import Any

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.install.ingress import fit_to_cluster, ingress_warning


def plan(**data: Any):
    result = validate_answers({"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", **data})
    assert result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def test_a_sandbox_on_a_cluster_without_ingress_class_is_installed_with_the_ingress_off() -> None:
    sandbox = plan(environment="sandbox")
    assert sandbox.ingress.enabled and sandbox.ingress.controller == "contour"
    fitted = fit_to_cluster(sandbox, ())
    assert fitted.plan.ingress.enabled is False
    assert "no IngressClass" in fitted.note and "ingress.enabled: false" in fitted.note
    values = flyte_release(plan_releases(fitted.plan)).values
    assert values["common"]["ingress"]["enabled"] is False  # what is rendered is what the note says
    assert ingress_warning(fitted.plan, ()) == ""


def test_nothing_changes_with_a_class_or_when_the_classes_are_unknown() -> None:
    sandbox = plan(environment="sandbox")
    for classes in (("contour",), None):
        fitted = fit_to_cluster(sandbox, classes)
        assert fitted.plan is sandbox and fitted.note == ""
    off = plan(environment="sandbox", ingress={"enabled": False})
    assert fit_to_cluster(off, ()).plan is off


def test_another_environment_is_not_changed_but_warned_naming_the_answer() -> None:
    gke = plan(environment="generic", storage={"metadataBucket": "acme-meta"}, database={"host": "db.example.com"})
    assert fit_to_cluster(gke, ()).plan is gke
    warning = ingress_warning(gke, ())
    assert warning.startswith(f"ingress.controller: {gke.ingress.controller} asks for an Ingress, but the cluster has")
    assert "would never be reached" in warning and "ingress.enabled: false" in warning


def test_a_class_of_another_name_is_warned_too() -> None:
    sandbox = plan(environment="sandbox")
    warning = ingress_warning(sandbox, ("nginx", "traefik"))
    assert "the cluster's IngressClasses are nginx, traefik, none named contour" in warning
    assert ingress_warning(sandbox, ("contour",)) == ""
