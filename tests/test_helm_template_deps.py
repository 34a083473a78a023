"""The sandbox's dependency values work with real helm (3 and 4): `helm template` of a flyte-deps-shaped chart,
and Flyte's values point at the Services and ports it creates.

In the suite the chart is the project's own fixture (tests/charts/flyte-deps). Set FLYTE_TUI_REAL_DEPS_CHART to
a checkout of flyteorg/flyte's charts/flyte-deps (with `helm dependency build` done) to run the same
assertions against it.
"""

from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.charts import PlannedRelease, flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_core.render import database_address
from flyte_tui.charts.values_file import write_release_files
from flyte_tui.readiness import matches
from flyte_tui.tools.helm import template_argv
from tests.conftest import REALISTIC, helm_binaries, set_path
from tests.test_helm_template import helm_env, objects

DEPS_CHART = Path(__file__).parent / "charts" / "flyte-deps"
CHARTS = [pytest.param(DEPS_CHART, id="fixture")]
if os.environ.get("FLYTE_TUI_REAL_DEPS_CHART"):
    CHARTS.append(pytest.param(Path(os.environ["FLYTE_TUI_REAL_DEPS_CHART"]), id="real"))

pytestmark = [pytest.mark.parametrize("helm", helm_binaries()), pytest.mark.parametrize("chart", CHARTS)]


def template(helm: Path, chart: Path, answers: dict[str, Any], tmp_path: Path) -> tuple[PlannedRelease, list[dict]]:
    """The dependency release of ``answers`` (its chart the local ``chart``) and what helm renders for it."""
    answers = copy.deepcopy(answers)
    set_path(answers, "dependencies.chart", {"path": str(chart)})
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    written = write_release_files(result.plan, tmp_path / "flyte-values.yaml")
    deps, values = next((r, w.path) for r, w in written if r.serves)
    argv = template_argv(deps, values, helm=str(helm))
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=helm_env(tmp_path), check=False)
    assert proc.returncode == 0, proc.stderr
    return deps, [d for d in YAML(typ="safe").load_all(proc.stdout) if d]


def env_of(deployment: dict) -> dict[str, str]:
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", "") for e in container.get("env", [])}


def test_minio_and_postgres_as_the_profile_expects_them(helm: Path, chart: Path, tmp_path: Path) -> None:
    deps, docs = template(helm, chart, REALISTIC["sandbox"], tmp_path)
    deployments, services = objects(docs, "Deployment"), objects(docs, "Service")
    # exactly minio and postgres: the webhook's ExternalName Service (flyte-core's name) and the dashboard are off
    assert set(deployments) == {"minio", "postgres"}
    assert set(services) == {"minio", "postgres"}
    for component in deps.expected_components:
        pod = {"metadata": deployments[component.name]["spec"]["template"]["metadata"]}
        assert matches(pod, component, deps.release), component.name  # readiness finds its pods
        selector = services[component.name]["spec"]["selector"]
        assert selector == component.pod_selector(deps.release)
    minio = env_of(deployments["minio"])
    assert (minio["MINIO_ACCESS_KEY"], minio["MINIO_SECRET_KEY"]) == ("minio", "miniostorage")
    assert minio["MINIO_DEFAULT_BUCKETS"] == "my-s3-bucket"
    postgres = env_of(deployments["postgres"])
    assert postgres == {"POSTGRES_HOST_AUTH_METHOD": "trust", "POSTGRES_DB": "flyteadmin"}
    assert "POSTGRES_PASSWORD" not in postgres  # trust: the DB Secret, if any, needs no matching password


def test_flytes_values_point_at_the_services_the_chart_creates(helm: Path, chart: Path, tmp_path: Path) -> None:
    answers = copy.deepcopy(REALISTIC["sandbox"])
    set_path(answers, "target.namespace", "lab")
    _deps, docs = template(helm, chart, answers, tmp_path)
    ports = {name: {p["name"]: p["port"] for p in s["spec"]["ports"]} for name, s in objects(docs, "Service").items()}
    plan = validate_answers(answers).plan
    assert plan is not None
    host, port, user = database_address(plan)
    assert (host, port) == ("postgres", ports["postgres"]["postgres"])
    assert user == "postgres"
    flyte = flyte_release(plan_releases(plan)).values
    endpoint = flyte["configmap"]["k8s"]["plugins"]["k8s"]["default-env-vars"][0]["FLYTE_AWS_ENDPOINT"]
    assert endpoint == f"http://minio.lab.svc.cluster.local:{ports['minio']['minio']}"


def test_one_part_off_and_another_admin_database(helm: Path, chart: Path, tmp_path: Path) -> None:
    answers = copy.deepcopy(REALISTIC["sandbox"])
    answers["dependencies"] = {"storage": False}
    answers["storage"] = {"type": "sandbox", "metadataBucket": "lab-bucket"}
    answers["database"] = {"adminDatabase": "admin_db"}
    _deps, docs = template(helm, chart, answers, tmp_path)
    deployments = objects(docs, "Deployment")
    assert set(deployments) == {"postgres"}
    assert env_of(deployments["postgres"])["POSTGRES_DB"] == "admin_db"
