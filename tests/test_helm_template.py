"""The rendered values work with real helm (3 and 4): `helm template` of a flyte-core-shaped chart.

In the suite the chart is the project's own fixture (tests/charts/flyte-core), which reads the same
keys as the real flyte-core. Set FLYTE_TUI_REAL_CHART to a checkout of flyteorg/flyte's
charts/flyte-core (with `helm dependency build` done) to run the very same assertions against it.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_core.components import COMPONENTS
from flyte_tui.charts.values_file import write_values_file
from flyte_tui.tools.helm import template_argv
from tests.conftest import FIXTURE_CHART, REALISTIC, helm_binaries, set_path

CHARTS = [pytest.param(FIXTURE_CHART, id="fixture")]
if os.environ.get("FLYTE_TUI_REAL_CHART"):
    CHARTS.append(pytest.param(Path(os.environ["FLYTE_TUI_REAL_CHART"]), id="real"))


def helm_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HELM_CACHE_HOME": str(tmp_path / "hc"),
        "HELM_CONFIG_HOME": str(tmp_path / "hcfg"),
        "HELM_DATA_HOME": str(tmp_path / "hd"),
    }


def template(helm: Path, chart: Path, answers: dict[str, Any], tmp_path: Path) -> tuple[int, str, list[dict]]:
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    plan = result.plan.model_copy(
        update={
            "target": result.plan.target.model_copy(
                update={"chart": result.plan.target.chart.model_copy(update={"repo": "", "path": str(chart)})}
            )
        }
    )
    values = tmp_path / "values.yaml"
    write_values_file(plan, values)
    argv = template_argv(flyte_release(plan_releases(plan)), values, helm=str(helm)) + [
        "--api-versions",
        "apiextensions.k8s.io/v1/CustomResourceDefinition",
        "--api-versions",
        "networking.k8s.io/v1/Ingress",
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=helm_env(tmp_path), check=False)
    docs = [d for d in YAML(typ="safe").load_all(proc.stdout) if d] if proc.returncode == 0 else []
    return proc.returncode, proc.stderr, docs


def objects(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == kind}


def config_files(docs: list[dict], name: str) -> list[dict]:
    """Every config file called ``name`` in any ConfigMap, parsed."""
    return [
        YAML(typ="safe").load(cm["data"][name])
        for cm in objects(docs, "ConfigMap").values()
        if name in (cm.get("data") or {})
    ]


pytestmark = [pytest.mark.parametrize("helm", helm_binaries()), pytest.mark.parametrize("chart", CHARTS)]


@pytest.mark.parametrize("env", sorted(REALISTIC))
def test_every_preset_renders_all_components(helm: Path, chart: Path, env: str, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, copy.deepcopy(REALISTIC[env]), tmp_path)
    assert code == 0, err
    deployments = objects(docs, "Deployment")
    assert {c.name for c in COMPONENTS} <= set(deployments)
    assert "flyteworkflows.flyte.lyft.com" in objects(docs, "CustomResourceDefinition")
    for db in config_files(docs, "db.yaml"):
        assert "password" not in db["database"]


def test_eks_irsa_ingress_and_storage(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, copy.deepcopy(REALISTIC["eks"]), tmp_path)
    assert code == 0, err
    sas = objects(docs, "ServiceAccount")
    for name in ("flyteadmin", "datacatalog", "flytepropeller"):
        assert sas[name]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/flyte-system")
    ingresses = objects(docs, "Ingress")
    assert set(ingresses) == {"flyte-core", "flyte-core-grpc"}
    main = ingresses["flyte-core"]
    assert main["spec"]["ingressClassName"] == "alb"
    assert not [k for k in main["metadata"]["annotations"] if k.startswith("nginx.")]
    grpc = ingresses["flyte-core-grpc"]["metadata"]["annotations"]
    assert grpc["alb.ingress.kubernetes.io/backend-protocol-version"] == "GRPC"
    storages = config_files(docs, "storage.yaml")
    assert storages and all(s["storage"]["type"] == "s3" for s in storages)
    assert all(s["storage"]["container"] == "acme-flyte-meta" for s in storages)
    cores = config_files(docs, "core.yaml")
    assert any(c["propeller"]["rawoutput-prefix"] == "s3://acme-flyte-data/" for c in cores)
    dbs = config_files(docs, "db.yaml")
    assert dbs and all(d["database"]["passwordPath"] == "/etc/db/pass.txt" for d in dbs)


def test_gke_namespace_rewrite_and_gcs(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, copy.deepcopy(REALISTIC["gke"]), tmp_path)
    assert code == 0, err
    cores = config_files(docs, "core.yaml")
    assert any(c["propeller"]["leader-election"]["lock-config-map"]["namespace"] == "flyte-prod" for c in cores)
    assert any(c["propeller"]["rawoutput-prefix"] == "gs://acme-flyte-meta/" for c in cores)
    storages = config_files(docs, "storage.yaml")
    assert storages and all(s["storage"]["stow"]["config"]["project_id"] == "acme-prod-123" for s in storages)


def test_accesskey_storage_keeps_keys_out_of_configmaps(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, copy.deepcopy(REALISTIC["generic"]), tmp_path)
    assert code == 0, err
    assert config_files(docs, "storage.yaml") == []


def test_chart_refuses_the_deprecated_rbac_keys_our_validator_refuses(helm: Path, chart: Path, tmp_path: Path) -> None:
    answers = copy.deepcopy(REALISTIC["eks"])
    set_path(answers, "extraValues.flyteadmin.serviceAccount.createClusterRole", False)
    assert [p.path for p in validate_answers(answers).errors] == [
        "extraValues.flyteadmin.serviceAccount.createClusterRole"
    ]
    values = tmp_path / "values.yaml"
    values.write_text("flyteadmin:\n  serviceAccount:\n    createClusterRole: false\n")
    proc = subprocess.run(
        [str(helm), "template", "flyte", str(chart), "-f", str(values)],
        capture_output=True,
        text=True,
        timeout=120,
        env=helm_env(tmp_path),
        check=False,
    )
    # the chart's own refusal (helm's fail()), not any other error such as a wrong chart path
    first = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else ""
    assert proc.returncode == 1, proc.stderr
    assert re.match(r"Error: execution error at \(flyte-core/templates/[^)]+\): .*createClusterRole", first), first
