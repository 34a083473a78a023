"""Multi-cluster rendering (flyte-core): the control plane's ``configmap.clusters`` (labels and weights, the
token and CA paths) and credentials mounts, each data plane's own values, and the releases a plan installs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.model import InstallPlan
from tests.conftest import REALISTIC

EU = {"name": "eu-1", "context": "eu-admin", "endpoint": "https://10.0.12.7:6443"}
US = {"name": "us-1", "context": "us-admin", "endpoint": "https://abc.gr7.us-east-2.eks.amazonaws.com"}


def plan_of(*planes: dict[str, Any], extra: dict[str, Any] | None = None) -> InstallPlan:
    data = copy.deepcopy(REALISTIC["eks"])
    data["target"]["context"] = "control"
    data["dataPlanes"] = [copy.deepcopy(p) for p in planes]
    data.update(extra or {})
    result = validate_answers(data)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def test_labels_and_weights_make_the_label_cluster_map() -> None:
    plan = plan_of(
        {**EU, "labels": ["gpu", "eu"], "weight": 0.7},
        {**US, "labels": ["gpu"], "weight": 0.3},
        {"name": "control", "inCluster": True, "labels": ["small"]},
    )
    clusters = tree.get(flyte_release(plan_releases(plan)).values, ("configmap", "clusters"))
    assert clusters["labelClusterMap"] == {
        "gpu": [{"id": "eu-1", "weight": 0.7}, {"id": "us-1", "weight": 0.3}],
        "eu": [{"id": "eu-1", "weight": 0.7}],
        "small": [{"id": "control", "weight": 1}],
    }


def test_without_labels_each_cluster_is_labelled_with_its_name() -> None:
    """flyte-core mounts the credentials in the cluster-sync containers only for a non-empty labelClusterMap."""
    values = flyte_release(plan_releases(plan_of(EU, US))).values
    assert tree.get(values, ("configmap", "clusters", "labelClusterMap")) == {
        "eu-1": [{"id": "eu-1", "weight": 1}],
        "us-1": [{"id": "us-1", "weight": 1}],
    }


def test_cluster_configs_read_token_and_ca_from_the_mounted_secret() -> None:
    values = flyte_release(plan_releases(plan_of(EU, {"name": "control", "inCluster": True}))).values
    assert tree.get(values, ("configmap", "clusters", "clusterConfigs")) == [
        {
            "name": "eu-1",
            "endpoint": "https://10.0.12.7:6443",
            "enabled": True,
            "auth": {
                "type": "file_path",
                "tokenPath": "/var/run/credentials/eu-1_token",
                "certPath": "/var/run/credentials/eu-1_cacert",
            },
        },
        {"name": "control", "enabled": True, "inCluster": True},
    ]
    assert values["flyteadmin"]["additionalVolumes"] == [
        {"name": "cluster-credentials", "secret": {"secretName": "cluster-credentials"}}
    ]
    assert values["flyteadmin"]["additionalVolumeMounts"] == [
        {"name": "cluster-credentials", "mountPath": "/var/run/credentials"}
    ]
    # the control plane executes too: propeller stays
    assert "enabled" not in values.get("flytepropeller", {})


def test_the_control_plane_runs_no_propeller_unless_it_executes_too() -> None:
    values = flyte_release(plan_releases(plan_of(EU))).values
    assert values["flytepropeller"]["enabled"] is False
    names = [c.name for c in flyte_release(plan_releases(plan_of(EU))).expected_components]
    assert "flytepropeller" not in names and "flyte-pod-webhook" not in names and "flyteadmin" in names


def test_releases_go_data_planes_first_each_on_its_context() -> None:
    releases = plan_releases(plan_of(EU, US, {"name": "control", "inCluster": True}))
    assert [(r.data_plane, r.context, r.namespace, r.release) for r in releases] == [
        ("eu-1", "eu-admin", "flyte", "flyte"),
        ("us-1", "us-admin", "flyte", "flyte"),
        ("", "control", "flyte", "flyte"),
    ]
    assert flyte_release(releases).data_plane == ""
    assert [c.name for c in releases[0].expected_components] == ["flytepropeller", "flyte-pod-webhook"]
    at = Path("/tmp/x/flyte-values.yaml")
    assert [r.values_path(at).name for r in releases] == [
        "flyte-values-eu-1.yaml",
        "flyte-values-us-1.yaml",
        "flyte-values.yaml",
    ]


def test_a_data_plane_has_the_same_storage_no_ingress_and_reports_to_the_ingress_host() -> None:
    releases = plan_releases(plan_of(EU))
    data, control = releases[0].values, releases[1].values
    assert data["storage"] == control["storage"]
    assert data["common"]["ingress"] == {"enabled": False}
    for key in ("flyteadmin", "datacatalog", "flyteconsole", "flytescheduler", "cluster_resource_manager"):
        assert data[key]["enabled"] is False, key
    assert data["flyteadmin"]["serviceAccount"]["alwaysCreate"] is True
    # the EKS answers: TLS on the ingress host flyte.acme.com
    assert data["configmap"]["admin"]["admin"] == {"endpoint": "flyte.acme.com:443", "insecure": False}
    assert data["configmap"]["catalog"]["catalog-cache"]["endpoint"] == "datacatalog.flyte.svc.cluster.local:89"
    assert data["flytepropeller"]["clusterName"] == "eu-1"
    assert "clusters" not in data["configmap"]


def test_extra_values_endpoints_win_on_the_data_planes() -> None:
    extra = {"configmap": {"catalog": {"catalog-cache": {"endpoint": "catalog.internal:89", "insecure": True}}}}
    data = plan_releases(plan_of(EU, extra={"extraValues": extra}))[0].values
    assert data["configmap"]["catalog"]["catalog-cache"]["endpoint"] == "catalog.internal:89"


def test_no_data_planes_renders_as_before() -> None:
    data = copy.deepcopy(REALISTIC["eks"])
    result = validate_answers(data)
    assert result.plan is not None
    releases = plan_releases(result.plan)
    assert len(releases) == 1
    values = releases[0].values
    assert "clusters" not in values.get("configmap", {})
    assert "additionalVolumes" not in values.get("flyteadmin", {})
    assert "flytepropeller" not in values or "enabled" not in values["flytepropeller"]


def test_the_control_plane_values_import_back_as_data_planes_without_contexts() -> None:
    """The upgrade reads the live release's values back into answers: the data planes come back (their contexts
    are not in the values, so validation asks for them), nothing of them is left under extraValues."""
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    planes = [
        {**EU, "labels": ["gpu"], "weight": 0.7},
        {**US, "labels": ["gpu", "us"], "weight": 0.3},
        {"name": "control", "inCluster": True},
    ]
    values = flyte_release(plan_releases(plan_of(*planes))).values
    imported = FLYTE_CORE.import_values(values, environment="eks", release="flyte", namespace="flyte")
    assert imported.answers["dataPlanes"] == [{k: v for k, v in p.items() if k != "context"} for p in planes]
    assert imported.answers["extraValues"] == {}
    assert {p.path for p in imported.problems if p.severity == "error"} == {
        "dataPlanes.0.context",
        "dataPlanes.1.context",
    }


def test_a_clusters_config_flyte_tui_does_not_write_stays_under_extra_values() -> None:
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    values = flyte_release(plan_releases(plan_of(EU))).values
    values["configmap"]["clusters"]["clusterConfigs"][0]["auth"]["tokenPath"] = "/elsewhere/token"
    imported = FLYTE_CORE.import_values(values, environment="eks", release="flyte", namespace="flyte")
    assert "dataPlanes" not in imported.answers
    assert imported.answers["extraValues"]["configmap"]["clusters"]["clusterConfigs"][0]["name"] == "eu-1"


def test_the_default_execution_label_is_rendered_and_imported_back() -> None:
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    plan = plan_of({**EU, "labels": ["gpu"]}, US, extra={"defaultExecutionLabel": "gpu"})
    values = flyte_release(plan_releases(plan)).values
    assert tree.get(values, ("configmap", "clusters", "defaultExecutionLabel")) == "gpu"
    imported = FLYTE_CORE.import_values(values, environment="eks", release="flyte", namespace="flyte")
    assert imported.answers["defaultExecutionLabel"] == "gpu"
    assert imported.answers["extraValues"] == {}
    assert "defaultExecutionLabel" not in tree.get(flyte_release(plan_releases(plan_of(EU))).values,
                                                   ("configmap", "clusters"))  # fmt: skip
