"""Multi-cluster values with real helm (3 and 4): `helm template` of every release of a plan with data planes.

The control plane has flyteadmin's clusters config, the credentials mounted in flyteadmin, its cluster-sync init
container and syncresources, and no propeller; a data plane has propeller and its webhook, no admin, console or
Ingress, flyteadmin's ServiceAccount, and propeller pointed at the control plane. Run against the real chart too
with FLYTE_TUI_REAL_CHART (see tests/test_helm_template.py).
"""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.charts import PlannedRelease, validate_answers
from flyte_tui.charts.values_file import write_release_files
from flyte_tui.tools.helm import template_argv
from tests.conftest import REALISTIC, helm_binaries
from tests.test_helm_template import CHARTS, config_files, helm_env, objects

PLANES = [
    {"name": "eu-1", "context": "eu-admin", "endpoint": "https://10.0.12.7:6443", "labels": ["gpu"], "weight": 0.6},
    {"name": "us-1", "context": "us-admin", "endpoint": "https://10.0.13.9:6443", "labels": ["gpu"], "weight": 0.4},
]

pytestmark = [pytest.mark.parametrize("helm", helm_binaries()), pytest.mark.parametrize("chart", CHARTS)]


def template_all(helm: Path, chart: Path, tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every release's rendered objects, by data plane name ("" for the control plane)."""
    answers = copy.deepcopy(REALISTIC["eks"])
    answers["target"].update({"context": "control", "chart": {"name": "flyte-core", "path": str(chart)}})
    answers["dataPlanes"] = copy.deepcopy(PLANES)
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    written = write_release_files(result.plan, tmp_path / "flyte-values.yaml")
    found: dict[str, list[dict[str, Any]]] = {}
    for release, files in written:
        found[release.data_plane] = _template(helm, release, files.path, tmp_path)
    return found


def _template(helm: Path, release: PlannedRelease, values: Path, tmp_path: Path) -> list[dict[str, Any]]:
    argv = template_argv(release, values, helm=str(helm)) + [
        "--api-versions",
        "apiextensions.k8s.io/v1/CustomResourceDefinition",
        "--api-versions",
        "networking.k8s.io/v1/Ingress",
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=helm_env(tmp_path), check=False)
    assert proc.returncode == 0, proc.stderr
    return [d for d in YAML(typ="safe").load_all(proc.stdout) if d]


def _mounts(container: dict[str, Any]) -> dict[str, str]:
    return {m["name"]: m["mountPath"] for m in container.get("volumeMounts") or []}


def test_control_plane_has_the_clusters_config_and_every_mount(helm: Path, chart: Path, tmp_path: Path) -> None:
    docs = template_all(helm, chart, tmp_path)[""]
    deployments = objects(docs, "Deployment")
    assert "flytepropeller" not in deployments and "flyte-pod-webhook" not in deployments
    assert "flyteworkflows.flyte.lyft.com" not in objects(docs, "CustomResourceDefinition")
    clusters = next(c for c in config_files(docs, "clusters.yaml"))["clusters"]
    assert clusters["labelClusterMap"] == {"gpu": [{"id": "eu-1", "weight": 0.6}, {"id": "us-1", "weight": 0.4}]}
    assert [(c["name"], c["endpoint"], c["enabled"]) for c in clusters["clusterConfigs"]] == [
        ("eu-1", "https://10.0.12.7:6443", True),
        ("us-1", "https://10.0.13.9:6443", True),
    ]
    assert clusters["clusterConfigs"][0]["auth"]["tokenPath"] == "/var/run/credentials/eu-1_token"
    assert clusters["clusterConfigs"][1]["auth"]["certPath"] == "/var/run/credentials/us-1_cacert"
    admin = deployments["flyteadmin"]["spec"]["template"]["spec"]
    main = next(c for c in admin["containers"] if c["name"] == "flyteadmin")
    sync = next(c for c in admin["initContainers"] if c["name"] == "sync-cluster-resources")
    for container in (main, sync):
        assert _mounts(container)["cluster-credentials"] == "/var/run/credentials", container["name"]
    volumes = {v["name"]: v for v in admin["volumes"]}
    assert volumes["cluster-credentials"]["secret"]["secretName"] == "cluster-credentials"
    syncresources = deployments["syncresources"]["spec"]["template"]["spec"]
    assert "/var/run/credentials" in _mounts(syncresources["containers"][0]).values()
    assert any((v.get("secret") or {}).get("secretName") == "cluster-credentials" for v in syncresources["volumes"])


def test_data_plane_runs_propeller_pointed_at_the_control_plane(helm: Path, chart: Path, tmp_path: Path) -> None:
    rendered = template_all(helm, chart, tmp_path)
    for name in ("eu-1", "us-1"):
        docs = rendered[name]
        assert set(objects(docs, "Deployment")) == {"flytepropeller", "flyte-pod-webhook"}, name
        assert not objects(docs, "Ingress")
        assert "flyteadmin" in objects(docs, "ServiceAccount")
        assert "flyteworkflows.flyte.lyft.com" in objects(docs, "CustomResourceDefinition")
        propeller = objects(docs, "ConfigMap")["flyte-propeller-config"]["data"]
        admin = YAML(typ="safe").load(propeller["admin.yaml"])["admin"]
        assert (admin["endpoint"], admin["insecure"]) == ("flyte.acme.com:443", False)
        catalog = YAML(typ="safe").load(propeller["catalog.yaml"])["catalog-cache"]
        assert catalog["endpoint"] == "datacatalog.flyte.svc.cluster.local:89"
        assert not config_files(docs, "clusters.yaml") or not any(
            c.get("clusters", {}).get("clusterConfigs") for c in config_files(docs, "clusters.yaml")
        )
