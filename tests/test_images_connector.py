"""The connector's image on the mirror (issue 16): with ``plugins: [connector]`` the flyteconnector subchart's image
is rewritten by ``images.registry`` and its ServiceAccount gets the pull secret, for both charts; real helm (3 and
4) renders the fixture charts' flyteconnector from the mirror and ``flyte-tui images`` lists it. Without the
connector nothing of it is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from tests.conftest import helm_binaries
from tests.test_images_helm import MIRROR, images_in, rendered, run_images, sandbox

CONNECTOR = ("flyteconnector", "image", "repository")


def with_connector(chart: str, registry: str = MIRROR) -> dict[str, Any]:
    data = sandbox(chart, registry)
    data["plugins"] = ["connector"]
    return data


def flyte_values(data: dict[str, Any]) -> dict[str, Any]:
    result = validate_answers(data)
    assert result.plan is not None and result.ok, [str(p) for p in result.errors]
    return flyte_release(plan_releases(result.plan)).values


@pytest.mark.parametrize("chart", ["flyte-core", "flyte-binary"])
def test_the_connectors_image_and_pull_secret_follow_the_images_answer(chart: str) -> None:
    values = flyte_values(with_connector(chart))
    assert tree.get(values, CONNECTOR) == f"{MIRROR}/flyteorg/flyteagent"
    assert tree.get(values, ("flyteconnector", "serviceAccount", "imagePullSecrets")) == [{"name": "images"}]
    without = flyte_values(sandbox(chart))
    assert tree.get(without, ("flyteconnector", "image")) is None  # not deployed: nothing written for it


HELM = pytest.mark.parametrize("helm", helm_binaries())


@HELM
@pytest.mark.parametrize("chart", ["flyte-core", "flyte-binary"])
def test_helm_renders_the_connector_from_the_mirror_and_images_lists_it(helm: Path, chart: str, tmp_path: Path) -> None:
    data = with_connector(chart)
    docs = rendered(helm, data, tmp_path / "own")
    (deployment,) = [d for d in docs if d.get("kind") == "Deployment" and d["metadata"]["name"] == "flyteconnector"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == f"{MIRROR}/flyteorg/flyteagent:1.15.3"
    (account,) = [d for d in docs if d.get("kind") == "ServiceAccount" and d["metadata"]["name"] == "flyteconnector"]
    assert account["imagePullSecrets"] == [{"name": "images"}]
    listed = run_images(helm, data, tmp_path)
    assert listed.exit_code == 0, listed.output
    assert f"{MIRROR}/flyteorg/flyteagent:1.15.3" in listed.output.splitlines()
    assert listed.output.splitlines() == sorted(images_in(docs))
