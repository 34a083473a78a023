"""The images answer: its rules at the field, the rendering onto a mirror for each chart, the pull secret, and
the diagnosis of an image the mirror does not have."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.charts.flyte_core.components import by_name
from flyte_tui.charts.flyte_core.owned import is_owned
from flyte_tui.diagnose import diagnose_pod
from flyte_tui.model.images import mirror_image
from flyte_tui.tree import get
from tests.conftest import REALISTIC, set_path

MIRROR = "registry.corp.example:5000"


def answers(env: str = "sandbox", **images: Any) -> dict[str, Any]:
    data = copy.deepcopy(REALISTIC[env])
    data["images"] = images
    return data


def errors(data: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.message for p in validate_answers(data).errors}


@pytest.mark.parametrize(
    "registry",
    [MIRROR, "registry.corp.example", "localhost:5000/flyte", "mirror.io/a/b-c", "10.0.0.7:5000", "[::1]:5000/m"],
)
def test_a_registry_host_port_path_is_accepted(registry: str) -> None:
    assert errors(answers(registry=registry)) == {}


@pytest.mark.parametrize(
    ("registry", "says"),
    [
        ("https://registry.corp.example", "has a scheme"),
        ("registry.corp.example/flyte:v1", "has a tag"),
        ("Registry.Corp.Example", "is not a registry"),
        ("registry.corp.example/", "is not a registry"),
        ("registry.corp.example:70000", "port 70000"),
        ("user@registry.corp.example", "digest or a user name"),
    ],
)
def test_a_bad_registry_is_refused_at_its_field(registry: str, says: str) -> None:
    found = errors(answers(registry=registry))
    assert list(found) == ["images.registry"] and says in found["images.registry"]
    assert "host[:port][/path]" in found["images.registry"]


def test_the_pull_secret_is_a_kubernetes_name() -> None:
    assert errors(answers(pullSecret="images")) == {}
    found = errors(answers(pullSecret="Not_A_Name"))
    assert list(found) == ["images.pullSecret"] and "not a valid Kubernetes object name" in found["images.pullSecret"]


def test_mirroring_keeps_path_and_tag_and_names_docker_hub_images_fully() -> None:
    assert mirror_image("cr.flyte.org/flyteorg/flyteadmin:v1.16.8", MIRROR) == f"{MIRROR}/flyteorg/flyteadmin:v1.16.8"
    assert mirror_image("postgres:15-alpine", MIRROR + "/m") == f"{MIRROR}/m/library/postgres:15-alpine"
    assert mirror_image("kubernetesui/dashboard:v2.2.0", MIRROR) == f"{MIRROR}/kubernetesui/dashboard:v2.2.0"
    assert mirror_image("localhost:5001/x/y@sha256:ab", MIRROR) == f"{MIRROR}/x/y@sha256:ab"
    assert mirror_image(f"{MIRROR}/flyteorg/x:1", MIRROR) == f"{MIRROR}/flyteorg/x:1"  # already there


def values(data: dict[str, Any]) -> list[dict[str, Any]]:
    result = validate_answers(data)
    assert result.plan is not None, [str(p) for p in result.errors]
    return [r.values for r in plan_releases(result.plan)]


def test_flyte_core_every_image_and_every_service_account_with_a_mirror() -> None:
    data = answers(registry=MIRROR, pullSecret="images")
    flyte, *_ = reversed(values(data))
    for key in ("flyteadmin", "flytescheduler", "datacatalog", "flytepropeller", "flyteconsole"):
        assert get(flyte, (key, "image", "repository")) == f"{MIRROR}/flyteorg/{key}"
    copilot = ("configmap", "copilot", "plugins", "k8s", "co-pilot", "image")
    assert get(flyte, copilot) == f"{MIRROR}/flyteorg/flytecopilot:v1.16.8"
    for key in ("flyteadmin", "flytescheduler", "datacatalog", "flytepropeller", "webhook"):
        assert get(flyte, (key, "serviceAccount", "imagePullSecrets")) == [{"name": "images"}]
    assert get(flyte, ("flyteconsole", "imagePullSecrets")) == [{"name": "images"}]
    assert is_owned(copilot) and is_owned(("flyteconsole", "imagePullSecrets"))


def test_without_the_answer_no_image_key_is_written() -> None:
    for release in values(answers()):
        assert "imagePullSecrets" not in str(release) and "repository" not in str(release)
        assert "co-pilot" not in str(release)


def test_a_user_s_own_image_in_extra_values_is_mirrored_too_and_its_secrets_kept() -> None:
    data = answers(registry=MIRROR, pullSecret="images")
    set_path(data, "extraValues.flyteadmin.image.repository", "ghcr.io/me/flyteadmin")
    set_path(data, "extraValues.flyteadmin.serviceAccount.imagePullSecrets", [{"name": "mine"}])
    flyte = values(data)[-1]
    assert get(flyte, ("flyteadmin", "image", "repository")) == f"{MIRROR}/me/flyteadmin"
    assert get(flyte, ("flyteadmin", "serviceAccount", "imagePullSecrets")) == [{"name": "mine"}, {"name": "images"}]


def test_the_dependency_chart_s_minio_and_postgres_on_the_mirror() -> None:
    deps, _flyte = values(answers(registry=MIRROR))
    assert get(deps, ("minio", "image", "repository")) == f"{MIRROR}/bitnami/minio"
    assert get(deps, ("postgres", "image", "repository")) == f"{MIRROR}/ubuntu/postgres"


def test_flyte_binary_its_image_the_wait_for_db_init_container_and_co_pilot() -> None:
    data = answers("generic", registry=MIRROR + "/flyte", pullSecret="images")
    set_path(data, "target.chart", {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-binary"})
    [binary] = values(data)
    mirror = MIRROR + "/flyte"
    assert get(binary, ("deployment", "image", "repository")) == f"{mirror}/flyteorg/flyte-binary"
    assert get(binary, ("deployment", "waitForDB", "image", "repository")) == f"{mirror}/library/postgres"
    assert get(binary, ("configuration", "co-pilot", "image", "repository")) == f"{mirror}/flyteorg/flytecopilot"
    assert get(binary, ("serviceAccount", "imagePullSecrets")) == [{"name": "images"}]


def _pulling(image: str) -> dict[str, Any]:
    return {"metadata": {"name": "flyteadmin-1"}, "spec": {"containers": [{"name": "flyteadmin", "image": image}]}}


def test_an_image_the_mirror_lacks_is_named_with_the_copy_to_make() -> None:
    image = f"{MIRROR}/flyteorg/flyteadmin:v1.16.8"
    events = [f'Failed: Failed to pull image "{image}": manifest unknown']
    found = diagnose_pod(
        by_name("flyteadmin"), _pulling(image), "flyteadmin", "ImagePullBackOff", "", events, [], "flyte", MIRROR
    )
    assert (found.signature, found.answer) == ("image-not-in-mirror", "images.registry")
    assert image in found.cause and MIRROR in found.cause
    assert f"crane copy cr.flyte.org/flyteorg/flyteadmin:v1.16.8 {image}" in found.fix


def test_an_image_elsewhere_keeps_the_general_diagnosis() -> None:
    image = "cr.flyte.org/flyteorg/flyteadmin:v9"
    events = [f'Failed: Failed to pull image "{image}": not found']
    found = diagnose_pod(
        by_name("flyteadmin"), _pulling(image), "flyteadmin", "ImagePullBackOff", "", events, [], "flyte", MIRROR
    )
    assert found.signature == "image-not-found"


def test_a_pull_secret_with_bundled_dependencies_warns_with_the_command_for_their_pods() -> None:
    data = answers(registry=MIRROR, pullSecret="images")
    data["dependencies"] = {"storage": True, "database": True}
    result = validate_answers(data)
    assert result.ok
    [warning] = [p for p in result.warnings if p.path == "images.pullSecret"]
    assert "patch serviceaccount default" in warning.message and '"name": "images"' in warning.message
    data["dependencies"] = {"storage": False, "database": False}
    data["database"] = {"host": "db.example.com"}
    assert not [p for p in validate_answers(data).problems if p.path.startswith("images")]


def test_the_pull_secret_s_name_is_not_masked_as_a_secret_value() -> None:
    from flyte_tui.redact import redact_data

    data = {"images": {"pullSecret": "images"}, "sa": {"imagePullSecrets": [{"name": "images"}]}, "clientSecret": "s3"}
    assert redact_data(data) == {**data, "clientSecret": "******"}
