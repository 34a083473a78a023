"""With a registry mirror, real helm (3 and 4) renders every image of the fixture charts from it, the pull
secret where the charts take one; and ``flyte-tui images`` lists exactly what ``helm template`` renders."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from flyte_tui.charts import validate_answers
from flyte_tui.charts.values_file import write_release_files
from flyte_tui.cli.commands import main
from flyte_tui.files.answers import answers_text
from flyte_tui.tools.helm import template_argv
from tests.conftest import REALISTIC, helm_binaries, set_path

CHARTS = Path(__file__).parent / "charts"
MIRROR = "registry.corp.example:5000"

pytestmark = pytest.mark.parametrize("helm", helm_binaries())


def sandbox(chart: str = "flyte-core", registry: str = MIRROR) -> dict[str, Any]:
    data = copy.deepcopy(REALISTIC["sandbox"])
    set_path(data, "target.chart", {"path": str(CHARTS / chart), "name": chart})
    set_path(data, "dependencies", {"storage": True, "database": True, "chart": {"path": str(CHARTS / "flyte-deps")}})
    if registry:
        data["images"] = {"registry": registry, "pullSecret": "images"}
    return data


def rendered(helm: Path, data: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    """Every object ``helm template`` renders for every release of the answers."""
    result = validate_answers(data)
    assert result.plan is not None, [str(p) for p in result.errors]
    docs: list[dict[str, Any]] = []
    env = {**os.environ, "HELM_CACHE_HOME": str(tmp_path / "hc"), "HELM_CONFIG_HOME": str(tmp_path / "hcfg")}
    for release, written in write_release_files(result.plan, tmp_path / "flyte-values.yaml"):
        argv = template_argv(release, written.path, helm=str(helm))
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        docs += [d for d in YAML(typ="safe").load_all(proc.stdout) if d]
    return docs


def pod_specs(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(object name, pod spec) of every workload: Deployments, Jobs, and CronJobs' job templates."""
    specs = []
    for d in docs:
        spec = d.get("spec") or {}
        template = spec.get("template") or (spec.get("jobTemplate") or {}).get("spec", {}).get("template")
        if template:
            specs.append((d["metadata"]["name"], template["spec"]))
    return specs


def images_in(docs: list[dict[str, Any]]) -> set[str]:
    """Our own reading of the manifests: every container's image and co-pilot's in any ConfigMap."""
    found = {
        c["image"]
        for _name, spec in pod_specs(docs)
        for c in [*spec.get("initContainers", []), *spec.get("containers", [])]
    }
    for d in docs:
        if d.get("kind") == "ConfigMap":
            for text in (d.get("data") or {}).values():
                found.update(re.findall(r"co-pilot:\s*\n(?:\s+.*\n)*?\s+image:\s*['\"]?([^\s'\"]+)", text + "\n"))
    return found


@pytest.mark.parametrize("chart", ["flyte-core", "flyte-binary"])
def test_every_image_in_the_manifests_is_on_the_mirror(helm: Path, chart: str, tmp_path: Path) -> None:
    docs = rendered(helm, sandbox(chart), tmp_path)
    found = images_in(docs)
    assert len({i.split("/", 2)[1] for i in found}) > 1  # flyteorg, bitnami, ubuntu, library … all of them
    assert found and all(image.startswith(MIRROR + "/") for image in found), sorted(found)
    if chart == "flyte-core":
        assert f"{MIRROR}/flyteorg/flytecopilot:v1.16.8" in found  # propeller's config
        assert {f"{MIRROR}/flyteorg/{c}:v1.16.8" for c in ("flyteadmin", "flytepropeller", "datacatalog")} <= found


@pytest.mark.parametrize("chart", ["flyte-core", "flyte-binary"])
def test_the_pull_secret_on_every_service_account_and_the_console(helm: Path, chart: str, tmp_path: Path) -> None:
    docs = rendered(helm, sandbox(chart), tmp_path)
    accounts = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ServiceAccount"}
    assert accounts
    for name, account in accounts.items():
        assert account.get("imagePullSecrets") == [{"name": "images"}], name
    for name, spec in pod_specs(docs):
        if spec.get("serviceAccountName") not in accounts and not name.startswith(("minio", "postgres")):
            assert spec.get("imagePullSecrets") == [{"name": "images"}], name  # flyteconsole: no account


def run_images(helm: Path, data: dict[str, Any], tmp_path: Path, *flags: str) -> Any:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(answers_text(data), encoding="utf-8")
    env = {"HELM_CACHE_HOME": str(tmp_path / "hc"), "HELM_CONFIG_HOME": str(tmp_path / "hcfg")}
    return CliRunner().invoke(main, ["images", str(answers), "--helm", str(helm), *flags], env=env)


@pytest.mark.parametrize("registry", [MIRROR, ""])
def test_images_lists_exactly_what_helm_template_renders(helm: Path, registry: str, tmp_path: Path) -> None:
    data = sandbox(registry=registry)
    expected = sorted(images_in(rendered(helm, data, tmp_path / "own")))
    text = run_images(helm, data, tmp_path)
    assert text.exit_code == 0, text.output
    assert text.output.splitlines() == expected
    as_json = run_images(helm, data, tmp_path, "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.output) == expected
    assert "cr.flyte.org/flyteorg/flytecopilot:v1.16.8" in expected or registry


def test_images_refuses_bad_answers_with_the_field(helm: Path, tmp_path: Path) -> None:
    data = sandbox(registry="")
    data["images"] = {"registry": "https://registry.corp.example"}
    result = run_images(helm, data, tmp_path)
    assert result.exit_code == 2
    assert "images.registry" in result.output and "host[:port][/path]" in result.output
    assert "Traceback" not in result.output
