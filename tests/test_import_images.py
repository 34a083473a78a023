"""Importing a values file whose images all come from one private registry: the ``images`` answer is set (and the
repositories are not also kept under extraValues); images on several registries, or only some on the mirror, are
left as they are (kept verbatim), for both charts."""

from __future__ import annotations

import copy
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.charts.flyte_binary import render_images as binary_images
from flyte_tui.charts.flyte_core import render_images as core_images
from flyte_tui.charts.flyte_core.importer import import_values
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.model.images import mirror_repository
from tests.test_flyte_binary_choice import binary

MIRROR = "registry.corp.example:5000/flyte"


def plan_of(answers: dict[str, Any]) -> Any:
    result = validate_answers(answers)
    assert result.plan is not None and result.ok, [str(p) for p in result.errors]
    return result.plan


def on_mirror(values: dict[str, Any], repositories: dict[tuple[str, ...], str], registry: str) -> dict[str, Any]:
    """``values`` with every repository the chart takes written out on ``registry``, as a user's file would."""
    out = copy.deepcopy(values)
    for path, default in repositories.items():
        tree.put(out, path, mirror_repository(default, registry))
    return out


def test_flyte_core_images_on_one_mirror_become_the_images_answer(realistic: dict[str, Any]) -> None:
    values = on_mirror(render_values(plan_of(realistic["eks"])), core_images.REPOSITORIES, MIRROR)
    for path in core_images.PULL_SECRETS:
        tree.put(values, path, [{"name": "corp-pull"}])
    result = import_values(values)
    assert result.answers["images"] == {"registry": MIRROR, "pullSecret": "corp-pull"}
    assert result.leftovers == [], result.leftovers
    again = render_values(plan_of(result.answers))
    assert again["flyteadmin"]["image"]["repository"] == f"{MIRROR}/flyteorg/flyteadmin"
    assert again["flyteconsole"]["imagePullSecrets"] == [{"name": "corp-pull"}]


def test_flyte_core_images_not_all_on_the_mirror_are_kept_as_they_are(realistic: dict[str, Any]) -> None:
    values = on_mirror(render_values(plan_of(realistic["eks"])), core_images.REPOSITORIES, MIRROR)
    values["flyteconsole"]["image"]["repository"] = "cr.flyte.org/flyteorg/flyteconsole"  # the public one
    values["datacatalog"]["image"]["repository"] = "other.example/flyteorg/datacatalog"  # another registry
    result = import_values(values)
    assert "images" not in result.answers
    kept = result.answers["extraValues"]
    assert kept["flyteadmin"]["image"]["repository"] == f"{MIRROR}/flyteorg/flyteadmin"
    assert kept["datacatalog"]["image"]["repository"] == "other.example/flyteorg/datacatalog"


def test_a_registry_the_rules_refuse_is_not_an_answer(realistic: dict[str, Any]) -> None:
    values = on_mirror(render_values(plan_of(realistic["eks"])), core_images.REPOSITORIES, "Registry.Corp:5000")
    result = import_values(values)
    assert "images" not in result.answers
    assert result.answers["extraValues"]["flyteadmin"]["image"]["repository"].startswith("Registry.Corp:5000/")


def test_flyte_binary_images_on_one_mirror_become_the_images_answer() -> None:
    release = flyte_release(plan_releases(plan_of(binary("eks"))))
    values = on_mirror(release.values, binary_images.REPOSITORIES, MIRROR)
    imported = FLYTE_BINARY.import_values(values, environment="eks")
    assert imported.answers["images"] == {"registry": MIRROR}
    assert not imported.leftovers, imported.leftovers
    again = flyte_release(plan_releases(plan_of(imported.answers))).values
    assert again["deployment"]["waitForDB"]["image"]["repository"] == f"{MIRROR}/library/postgres"
