"""The rendered flyte-binary values work with real helm (3 and 4): `helm template` of a flyte-binary-shaped
chart for every preset, and the manifests carry the answers (storage, database, ingress, the ServiceAccount's
annotations, task defaults, quotas).

In the suite the chart is the project's own fixture (tests/charts/flyte-binary), which reads the same keys
as the real flyte-binary. Set FLYTE_TUI_REAL_CHART_BINARY to a checkout of flyteorg/flyte's
charts/flyte-binary (tag v1.16.8, with `helm dependency build` done: it needs ../flyteconnector beside it)
to run the very same assertions against it; without it, the ``real`` cases skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.charts import validate_answers
from flyte_tui.presets import PRESET_NAMES
from tests.conftest import helm_binaries
from tests.test_flyte_binary_choice import binary
from tests.test_helm_template import objects, template

FIXTURE = Path(__file__).parent / "charts" / "flyte-binary"
REAL = os.environ.get("FLYTE_TUI_REAL_CHART_BINARY", "")
CHARTS = [
    pytest.param(FIXTURE, id="fixture"),
    pytest.param(Path(REAL), id="real", marks=pytest.mark.skipif(
        not REAL, reason="set FLYTE_TUI_REAL_CHART_BINARY to flyteorg/flyte's charts/flyte-binary (v1.16.8)")),
]  # fmt: skip

pytestmark = [pytest.mark.parametrize("helm", helm_binaries()), pytest.mark.parametrize("chart", CHARTS)]

FULLNAME = "flyte-flyte-binary"
"""The objects' prefix for release flyte."""


def config(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every file of the ``<fullname>-config`` ConfigMap, parsed."""
    data = objects(docs, "ConfigMap")[f"{FULLNAME}-config"]["data"]
    return {name: YAML(typ="safe").load(text) for name, text in data.items()}


@pytest.mark.parametrize("env", PRESET_NAMES)
def test_every_preset_renders_its_answers_into_the_configuration(
    helm: Path, chart: Path, env: str, tmp_path: Path
) -> None:
    answers = binary(env)
    plan = validate_answers(answers).plan
    assert plan is not None
    code, err, docs = template(helm, chart, answers, tmp_path)
    assert code == 0, err
    assert set(objects(docs, "Deployment")) == {FULLNAME}
    assert {f"{FULLNAME}-http", f"{FULLNAME}-webhook"} <= set(objects(docs, "Service"))
    files = config(docs)
    db = files["002-database.yaml"]["database"]["postgres"]
    assert (db["host"], db["dbname"], db["options"]) == (
        plan.database.host,
        plan.database.admin_database,
        f"sslmode={plan.database.ssl_mode}",
    )
    assert "password" not in db
    storage = files["003-storage.yaml"]
    assert storage["storage"]["container"] == plan.storage.metadata_bucket
    raw = plan.storage.raw_bucket
    scheme = "gs" if plan.storage.type == "gcs" else "s3"
    assert storage["propeller"]["rawoutput-prefix"] == f"{scheme}://{raw}/data"
    assert "004-auth.yaml" not in files  # auth off
    inline = files["100-inline-config.yaml"]
    td = plan.resources.task_defaults
    assert inline["task_resources"] == {"defaults": td.requests.items(), "limits": td.limits.items()}
    quotas = {k: v for entry in inline["cluster_resources"]["customData"] for k, v in entry.items()}
    for domain, quota in plan.projects.quotas.items():
        assert {"projectQuotaCpu": {"value": quota.cpu}} in quotas[domain]
    templates = objects(docs, "ConfigMap")[f"{FULLNAME}-cluster-resource-templates"]["data"]
    assert "kind: ResourceQuota" in templates["003_resourcequota.yaml"]
    secret = objects(docs, "Secret")[f"{FULLNAME}-config-secret"]
    assert "012-database-secrets.yaml" not in (secret.get("stringData") or {})
    pod = objects(docs, "Deployment")[FULLNAME]["spec"]["template"]["spec"]
    # the one ServiceAccount carries the preset's identity (IRSA, Workload Identity), the Deployment runs as it
    [sa] = objects(docs, "ServiceAccount").values()
    annotations = sa["metadata"].get("annotations") or {}
    assert annotations.get("eks.amazonaws.com/role-arn", "") == plan.identity.aws_role_arn
    assert annotations.get("iam.gke.io/gcp-service-account", "") == plan.identity.gcp_service_account
    assert pod["serviceAccountName"] == sa["metadata"]["name"]
    # the Ingress (HTTP, and the separate gRPC one) on the answers' host, or none when it is off
    ingresses = objects(docs, "Ingress")
    if plan.ingress.enabled:
        grpc = {f"{FULLNAME}-grpc"} if plan.ingress.separate_grpc else set()
        assert set(ingresses) == {f"{FULLNAME}-http", *grpc}
        for ingress in ingresses.values():
            assert [r.get("host") for r in ingress["spec"]["rules"]] == [plan.ingress.host or None]
    else:
        assert ingresses == {}
    volumes = {v["name"]: v for v in pod["volumes"]}
    if plan.database.password_secret is not None:
        assert db["passwordPath"] == f"/etc/db/{plan.database.password_secret.key}"
        assert volumes["db-password"]["secret"]["secretName"] == plan.database.password_secret.name
        [flyte] = pod["containers"]
        assert {"name": "db-password", "mountPath": "/etc/db", "readOnly": True} in flyte["volumeMounts"]


def test_eks_irsa_alb_and_s3(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, binary("eks"), tmp_path)
    assert code == 0, err
    [sa] = objects(docs, "ServiceAccount").values()
    assert sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/flyte-system")
    ingresses = objects(docs, "Ingress")
    assert set(ingresses) == {f"{FULLNAME}-http", f"{FULLNAME}-grpc"}
    for ingress in ingresses.values():
        assert ingress["spec"]["ingressClassName"] == "alb"
        assert ingress["spec"]["rules"][0]["host"] == "flyte.acme.com"
    grpc = ingresses[f"{FULLNAME}-grpc"]
    assert grpc["metadata"]["annotations"]["alb.ingress.kubernetes.io/backend-protocol-version"] == "GRPC"
    assert {p["backend"]["service"]["name"] for p in grpc["spec"]["rules"][0]["http"]["paths"]} == {
        f"{FULLNAME}-grpc"
    }
    s3 = config(docs)["003-storage.yaml"]["storage"]["stow"]
    assert s3["kind"] == "s3" and s3["config"]["region"] == "us-east-2" and s3["config"]["auth_type"] == "iam"


def test_gke_gcs_and_workload_identity(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, binary("gke"), tmp_path)
    assert code == 0, err
    [sa] = objects(docs, "ServiceAccount").values()
    assert sa["metadata"]["annotations"]["iam.gke.io/gcp-service-account"].startswith("flyte-admin@")
    stow = config(docs)["003-storage.yaml"]["storage"]["stow"]
    assert stow["kind"] == "google" and stow["config"]["project_id"] == "acme-prod-123"
    tls = objects(docs, "Ingress")[f"{FULLNAME}-http"]["spec"]["tls"]
    assert tls == [{"secretName": "flyte-tls", "hosts": ["flyte.acme.dev"]}]


def test_generic_storage_keys_come_from_the_projected_secret(helm: Path, chart: Path, tmp_path: Path) -> None:
    code, err, docs = template(helm, chart, binary("generic"), tmp_path)
    assert code == 0, err
    secret = objects(docs, "Secret")[f"{FULLNAME}-config-secret"]
    assert "013-storage-secrets.yaml" not in (secret.get("stringData") or {})
    pod = objects(docs, "Deployment")[FULLNAME]["spec"]["template"]["spec"]
    sources = next(v for v in pod["volumes"] if v["name"] == "config")["projected"]["sources"]
    assert {"secret": {"name": "flyte-storage"}} in sources
