"""The data planes of a multi-cluster install (answers ``dataPlanes``): a valid and an invalid case per rule,
through the answers' one validation (field errors and cross-field rules at the field)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from tests.conftest import REALISTIC

EU = {"name": "eu-1", "context": "eu-admin", "endpoint": "https://10.0.12.7:6443", "labels": ["gpu"]}
US = {"name": "us-1", "context": "us-admin", "endpoint": "https://abc.gr7.us-east-2.eks.amazonaws.com"}


def answers(*planes: dict[str, Any], **target: Any) -> dict[str, Any]:
    data = copy.deepcopy(REALISTIC["eks"])
    data["target"].update({"context": "control"}, **target)
    data["dataPlanes"] = [copy.deepcopy(p) for p in planes]
    return data


def errors(data: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.message for p in validate_answers(data).errors}


def test_two_data_planes_and_the_control_plane_executing_too_are_valid() -> None:
    shared = [{**EU, "weight": 0.7}, {**US, "labels": ["gpu"], "weight": 0.3}]
    data = answers(*shared, {"name": "control", "inCluster": True, "labels": ["small"]})
    result = validate_answers(data)
    assert result.errors == []
    assert result.plan is not None
    assert [(p.name, p.in_cluster, p.weight) for p in result.plan.data_planes] == [
        ("eu-1", False, 0.7),
        ("us-1", False, 0.3),
        ("control", True, None),
    ]


def test_no_data_planes_is_one_cluster_as_before() -> None:
    assert errors(answers()) == {}


def test_flyte_binary_is_refused_with_the_reason() -> None:
    binary = {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-binary", "version": "v1.16.8"}
    found = errors(answers(EU, chart=binary))
    assert "flyte-binary cannot run several clusters" in found["dataPlanes"]
    assert "dataPlanes" not in errors(answers(chart=binary))


@pytest.mark.parametrize(
    ("name", "said"), [("EU_1", "DNS-1123 label"), ("", "must not be empty"), ("-eu", "DNS-1123"), ("a" * 64, "63")]
)
def test_a_name_must_be_a_dns_label(name: str, said: str) -> None:
    found = errors(answers({**EU, "name": name}))
    assert list(found) == ["dataPlanes.0.name"]
    assert said in found["dataPlanes.0.name"]
    assert errors(answers({**EU, "name": "eu-west-1a"})) == {}


def test_names_must_be_unique() -> None:
    found = errors(answers(EU, {**US, "name": "eu-1"}))
    assert found == {"dataPlanes.1.name": "'eu-1' is dataPlanes.0's name too: each needs its own"}
    assert errors(answers(EU, US)) == {}


def test_a_label_two_clusters_share_needs_their_weights() -> None:
    found = errors(answers(EU, {**US, "labels": ["gpu"], "weight": 0.5}))
    assert list(found) == ["dataPlanes.0.weight"]
    assert "label gpu also sends work to us-1" in found["dataPlanes.0.weight"]
    assert errors(answers({**EU, "weight": 0.5}, {**US, "labels": ["gpu"], "weight": 0.5})) == {}
    assert errors(answers(EU, {**US, "labels": ["cpu"]})) == {}  # a label of one cluster needs no weight


@pytest.mark.parametrize("weight", [1.5, -0.1])
def test_a_weight_is_between_0_and_1(weight: float) -> None:
    assert "dataPlanes.0.weight" in errors(answers({**EU, "weight": weight}))


def test_the_control_planes_context_is_not_a_data_plane() -> None:
    found = errors(answers({**EU, "context": "control"}))
    assert "is the control plane's context (target.context)" in found["dataPlanes.0.context"]
    assert "inCluster: true" in found["dataPlanes.0.context"]
    assert errors(answers({"name": "control", "inCluster": True})) == {}


def test_a_context_is_one_data_plane_only() -> None:
    found = errors(answers(EU, {**US, "context": "eu-admin"}))
    assert found == {"dataPlanes.1.context": "'eu-admin' is dataPlanes.0's context too"}


def test_a_data_plane_needs_its_context_and_endpoint() -> None:
    found = errors(answers({"name": "eu-1"}))
    assert set(found) == {"dataPlanes.0.context", "dataPlanes.0.endpoint"}
    assert "https" in found["dataPlanes.0.endpoint"]


@pytest.mark.parametrize(
    "endpoint", ["http://10.0.12.7:6443", "10.0.12.7:6443", "https://", "https://admin:pw@10.0.12.7", "--server=x"]
)
def test_the_endpoint_is_an_https_url_without_credentials(endpoint: str) -> None:
    found = errors(answers({**EU, "endpoint": endpoint}))
    assert list(found) == ["dataPlanes.0.endpoint"]
    assert "pw" not in found["dataPlanes.0.endpoint"]


def test_the_control_plane_entry_has_no_context_or_endpoint_and_comes_once() -> None:
    found = errors(answers({"name": "control", "inCluster": True, "endpoint": "https://10.0.0.1"}))
    assert "must be empty with inCluster" in found["dataPlanes.0.endpoint"]
    twice = errors(answers({"name": "control", "inCluster": True}, {"name": "again", "inCluster": True}))
    assert twice == {"dataPlanes.1.inCluster": "dataPlanes.0 is the control plane already; only one can be"}


@pytest.mark.parametrize("labels", [["gpu", "gpu"], ["has space"], [""]])
def test_labels_are_words_listed_once(labels: list[str]) -> None:
    assert "dataPlanes.0.labels" in errors(answers({**EU, "labels": labels}))


def test_data_planes_warn_where_propeller_cannot_reach_the_control_plane() -> None:
    """No ingress host and no catalog endpoint: propeller on the data planes would dial Service names of the
    control plane's cluster; the warnings say so and name what to set. With both given, no warning."""
    unreached = answers(EU)
    del unreached["ingress"]["host"]
    warned = {p.path: p.message for p in validate_answers(unreached).warnings}
    assert "flyteadmin.flyte.svc.cluster.local:81" in warned["ingress.host"]
    assert "extraValues.configmap.catalog.catalog-cache.endpoint" in warned["dataPlanes"]
    assert "not installed yet" not in warned["dataPlanes"]
    reached = answers(EU)  # the EKS answers have an ingress host
    reached["extraValues"] = {"configmap": {"catalog": {"catalog-cache": {"endpoint": "catalog.internal:89"}}}}
    paths = {p.path for p in validate_answers(reached).warnings}
    assert not paths & {"ingress.host", "dataPlanes"}
    assert "dataPlanes" not in {p.path for p in validate_answers(answers()).warnings}


def test_a_chart_before_v1_16_8_is_said_to_turn_the_data_planes_cache_off() -> None:
    """Up to v1.16.7 flyte-core writes catalog-cache type noop where datacatalog is disabled: every data plane."""
    old = answers(EU)
    old["target"]["chart"] = {"name": "flyte-core", "repo": "https://flyteorg.github.io/flyte", "version": "v1.16.7"}
    warned = {p.path: p.message for p in validate_answers(old).warnings}
    assert "noop catalog" in warned["target.chart.version"]
    old["target"]["chart"]["version"] = "v1.16.8"
    assert "target.chart.version" not in {p.path for p in validate_answers(old).warnings}


def test_the_default_execution_label_is_one_of_the_data_planes_labels() -> None:
    assert errors({**answers(EU, US), "defaultExecutionLabel": "gpu"}) == {}
    found = errors({**answers(EU, US), "defaultExecutionLabel": "cpu"})
    assert found == {"defaultExecutionLabel": "'cpu' is no data plane's label; accepted: gpu"}
    # no plane with a label: each cluster's name is its label
    assert errors({**answers(US), "defaultExecutionLabel": "us-1"}) == {}


def test_a_default_execution_label_needs_data_planes() -> None:
    found = errors({**answers(), "defaultExecutionLabel": "gpu"})
    said = "needs dataPlanes: it picks the clusters of executions that name no label"
    assert found == {"defaultExecutionLabel": said}


def test_data_planes_with_the_sandbox_minio_are_warned_that_they_cannot_reach_it() -> None:
    data = {**answers(EU), "dependencies": {"storage": True}}
    warned = [p.message for p in validate_answers(data).warnings if p.path == "dataPlanes"]
    assert any("minio (dependencies.storage)" in m for m in warned), warned
    assert not any("minio" in p.message for p in validate_answers(answers(EU)).warnings)
