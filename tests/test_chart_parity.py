"""The fixture chart reads each values key flyte-tui writes into the same object, config file and key as
flyte-core does (helm 3 and 4).

ROWS is taken from flyte-core's templates (v1.16.8): each row says where the real chart renders a values
key. Every preset's answers are rendered with flyte-tui's own renderer, merged over the chart's defaults
the way Helm coalesces them, and every row is checked in the fixture's `helm template` output: a
template that drops a config file or a key fails here. With FLYTE_TUI_REAL_CHART set to a checkout of
flyteorg/flyte's charts/flyte-core (after `helm dependency build`), the same table is checked against the
real chart too, and the fixture's ConfigMaps, config files, labels, selectors and Ingress paths are
compared with the real chart's, object by object.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.render import render_values
from tests.conftest import FIXTURE_CHART, REALISTIC, helm_binaries
from tests.test_helm_template import template

REAL = os.environ.get("FLYTE_TUI_REAL_CHART", "")
CHARTS = [pytest.param(FIXTURE_CHART, id="fixture")]
if REAL:
    CHARTS.append(pytest.param(Path(REAL), id="real"))

CASES: dict[str, dict[str, Any]] = {
    **REALISTIC,
    # flyte-tui writes flyteconnector's endpoint for a namespace other than flyte; it is rendered only when
    # the user enables flyteconnector (extraValues).
    "gke-connector": {**REALISTIC["gke"], "extraValues": {"flyteconnector": {"enabled": True}}},
    # an S3-compatible endpoint with the storage config in the ConfigMaps (no access keys)
    "generic-iam": {
        **REALISTIC["generic"],
        "storage": {**REALISTIC["generic"]["storage"], "auth": "iam", "credentialsSecret": ""},
    },
}

# (values key, kind/name of the object, config file in the ConfigMap or "" for the object itself, key path in it
#  ("" for all of it), when). The values key's value (the chart default, overridden by what flyte-tui writes)
# must be found at that path; maps are compared key by key (a key flyte-tui sets to null must be absent).
# A row applies when the value is not empty (the chart's `with`) and every `when` holds: values key ->
# required value, a list of allowed values, or "" / False for unset-or-empty.
S3 = {"storage.secretName": "", "storage.type": "s3"}
GCS = {"storage.secretName": "", "storage.type": "gcs"}
BUCKET = {"storage.secretName": "", "storage.type": ["s3", "gcs", "sandbox"]}
SCHEDULER = {"workflow_scheduler.enabled": True, "workflow_scheduler.type": "native"}
SYNC = {
    "cluster_resource_manager.enabled": True,
    "cluster_resource_manager.config.cluster_resources.standaloneDeployment": False,
}
INGRESS = {"common.ingress.enabled": True}
GRPC_INGRESS = {"common.ingress.enabled": True, "common.ingress.separateGrpcIngress": True}
TLS = {"common.ingress.enabled": True, "common.ingress.tls.enabled": True}
ROWS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # templates/propeller/configmap.yaml
    ("configmap.admin", "ConfigMap/flyte-propeller-config", "admin.yaml", "", {}),
    ("configmap.catalog", "ConfigMap/flyte-propeller-config", "catalog.yaml", "", {}),
    ("configmap.copilot", "ConfigMap/flyte-propeller-config", "copilot.yaml", "", {}),
    ("configmap.core", "ConfigMap/flyte-propeller-config", "core.yaml", "", {}),
    ("configmap.enabled_plugins", "ConfigMap/flyte-propeller-config", "enabled_plugins.yaml", "", {}),
    ("configmap.k8s", "ConfigMap/flyte-propeller-config", "k8s.yaml", "", {}),
    ("configmap.otel", "ConfigMap/flyte-propeller-config", "otel.yaml", "", {}),
    ("configmap.resource_manager", "ConfigMap/flyte-propeller-config", "resource_manager.yaml", "", {}),
    ("configmap.task_logs", "ConfigMap/flyte-propeller-config", "task_logs.yaml", "", {}),
    ("flyteconnector.plugin_config", "ConfigMap/flyte-propeller-config", "connector_service.yaml", "",
     {"flyteconnector.enabled": True}),
    # templates/propeller/configmap.yaml, storage.yaml from templates/_helpers.tpl "storage"
    ("storage.bucketName", "ConfigMap/flyte-propeller-config", "storage.yaml", "storage.container", BUCKET),
    ("storage.s3.region", "ConfigMap/flyte-propeller-config", "storage.yaml", "storage.connection.region", S3),
    ("storage.s3.endpoint", "ConfigMap/flyte-propeller-config", "storage.yaml", "storage.connection.endpoint", S3),
    ("storage.s3.authType", "ConfigMap/flyte-propeller-config", "storage.yaml", "storage.connection.auth-type", S3),
    ("storage.gcs.projectId", "ConfigMap/flyte-propeller-config", "storage.yaml",
     "storage.stow.config.project_id", GCS),
    # templates/admin/configmap.yaml
    ("configmap.clusters", "ConfigMap/flyte-admin-clusters-config", "clusters.yaml", "clusters", {}),
    ("db.admin", "ConfigMap/flyte-admin-base-config", "db.yaml", "", {}),
    ("configmap.domain", "ConfigMap/flyte-admin-base-config", "domain.yaml", "", {}),
    ("configmap.otel", "ConfigMap/flyte-admin-base-config", "otel.yaml", "", {}),
    ("configmap.adminServer", "ConfigMap/flyte-admin-base-config", "server.yaml", "", {}),
    ("configmap.remoteData", "ConfigMap/flyte-admin-base-config", "remoteData.yaml", "", {}),
    ("configmap.task_resource_defaults", "ConfigMap/flyte-admin-base-config", "task_resource_defaults.yaml", "", {}),
    ("cluster_resource_manager.config", "ConfigMap/flyte-admin-base-config", "cluster_resources.yaml", "",
     {"cluster_resource_manager.enabled": True}),
    ("storage.bucketName", "ConfigMap/flyte-admin-base-config", "storage.yaml", "storage.container", BUCKET),
    ("storage.s3.region", "ConfigMap/flyte-admin-base-config", "storage.yaml", "storage.connection.region", S3),
    ("storage.s3.endpoint", "ConfigMap/flyte-admin-base-config", "storage.yaml", "storage.connection.endpoint", S3),
    ("storage.s3.authType", "ConfigMap/flyte-admin-base-config", "storage.yaml", "storage.connection.auth-type", S3),
    ("storage.gcs.projectId", "ConfigMap/flyte-admin-base-config", "storage.yaml",
     "storage.stow.config.project_id", GCS),
    # templates/datacatalog/configmap.yaml
    ("db.datacatalog", "ConfigMap/datacatalog-config", "db.yaml", "", {}),
    ("configmap.otel", "ConfigMap/datacatalog-config", "otel.yaml", "", {}),
    ("configmap.datacatalogServer", "ConfigMap/datacatalog-config", "server.yaml", "", {}),
    ("storage.bucketName", "ConfigMap/datacatalog-config", "storage.yaml", "storage.container", BUCKET),
    ("storage.s3.region", "ConfigMap/datacatalog-config", "storage.yaml", "storage.connection.region", S3),
    ("storage.s3.endpoint", "ConfigMap/datacatalog-config", "storage.yaml", "storage.connection.endpoint", S3),
    ("storage.s3.authType", "ConfigMap/datacatalog-config", "storage.yaml", "storage.connection.auth-type", S3),
    ("storage.gcs.projectId", "ConfigMap/datacatalog-config", "storage.yaml", "storage.stow.config.project_id", GCS),
    # templates/flytescheduler/configmap.yaml
    ("configmap.admin", "ConfigMap/flyte-scheduler-config", "admin.yaml", "", SCHEDULER),
    ("db.admin", "ConfigMap/flyte-scheduler-config", "db.yaml", "", SCHEDULER),
    ("configmap.schedulerConfig", "ConfigMap/flyte-scheduler-config", "server.yaml", "", SCHEDULER),
    # templates/clusterresourcesync/configmap.yaml
    ("cluster_resource_manager.config", "ConfigMap/flyte-clusterresourcesync-config", "cluster_resources.yaml",
     "", SYNC),
    ("db.admin", "ConfigMap/flyte-clusterresourcesync-config", "db.yaml", "", SYNC),
    ("configmap.domain", "ConfigMap/flyte-clusterresourcesync-config", "domain.yaml", "", SYNC),
    ("configmap.clusters", "ConfigMap/flyte-clusterresourcesync-config", "clusters.yaml", "clusters", SYNC),
    # templates/console/configmap.yaml
    ("configmap.console", "ConfigMap/flyte-console-config", "", "data", {}),
    # templates/admin/rbac.yaml, templates/datacatalog/rbac.yaml, templates/propeller/rbac.yaml
    ("flyteadmin.serviceAccount.annotations", "ServiceAccount/flyteadmin", "", "metadata.annotations", {}),
    ("datacatalog.serviceAccount.annotations", "ServiceAccount/datacatalog", "", "metadata.annotations", {}),
    ("flytepropeller.serviceAccount.annotations", "ServiceAccount/flytepropeller", "", "metadata.annotations", {}),
    # templates/admin/service.yaml
    ("flyteadmin.service.annotations", "Service/flyteadmin", "", "metadata.annotations", {}),
    # templates/{admin,datacatalog,propeller,console}/deployment.yaml
    ("flyteadmin.replicaCount", "Deployment/flyteadmin", "", "spec.replicas", {}),
    ("datacatalog.replicaCount", "Deployment/datacatalog", "", "spec.replicas", {}),
    ("flytepropeller.replicaCount", "Deployment/flytepropeller", "", "spec.replicas", {}),
    ("flyteconsole.replicaCount", "Deployment/flyteconsole", "", "spec.replicas", {}),
    # the same, and templates/flytescheduler/deployment.yaml, templates/propeller/webhook.yaml
    ("flyteadmin.resources", "Deployment/flyteadmin", "", "spec.template.spec.containers.0.resources", {}),
    ("datacatalog.resources", "Deployment/datacatalog", "", "spec.template.spec.containers.0.resources", {}),
    ("flytepropeller.resources", "Deployment/flytepropeller", "", "spec.template.spec.containers.0.resources", {}),
    ("flyteconsole.resources", "Deployment/flyteconsole", "", "spec.template.spec.containers.0.resources", {}),
    ("flytescheduler.resources", "Deployment/flytescheduler", "",
     "spec.template.spec.containers.0.resources", SCHEDULER),
    ("webhook.resources", "Deployment/flyte-pod-webhook", "", "spec.template.spec.containers.0.resources", {}),
    # templates/common/ingress.yaml
    ("common.ingress.annotations", "Ingress/flyte-core", "", "metadata.annotations", INGRESS),
    ("common.ingress.ingressClassName", "Ingress/flyte-core", "", "spec.ingressClassName", INGRESS),
    ("common.ingress.host", "Ingress/flyte-core", "", "spec.rules.0.host", INGRESS),
    ("common.ingress.host", "Ingress/flyte-core", "", "spec.tls.0.hosts.0", TLS),
    ("common.ingress.tls.secretName", "Ingress/flyte-core", "", "spec.tls.0.secretName", TLS),
    ("common.ingress.annotations", "Ingress/flyte-core-grpc", "", "metadata.annotations", GRPC_INGRESS),
    ("common.ingress.separateGrpcIngressAnnotations", "Ingress/flyte-core-grpc", "",
     "metadata.annotations", GRPC_INGRESS),
    ("common.ingress.ingressClassName", "Ingress/flyte-core-grpc", "", "spec.ingressClassName", GRPC_INGRESS),
    ("common.ingress.host", "Ingress/flyte-core-grpc", "", "spec.rules.0.host", GRPC_INGRESS),
]  # fmt: skip

NOT_IN_TABLE = {
    "common.databaseSecret.name": "a volume of every Deployment that reads a database (tests/test_fixture_chart.py)",
    "flyteadmin.initialProjects": "the seed-projects init container's command (tests/test_fixture_chart.py)",
    "cluster_resource_manager.templates": "one <key>.yaml per template in clusterresource-template (below)",
    "common.ingress.albSSLRedirect": "the ssl-redirect path of the Ingress (below)",
}
"""Keys flyte-tui writes that become something other than a value at a path."""

# templates/common/ingress.yaml: the HTTP paths (after /* of albSSLRedirect), then the "grpcRoutes".
INGRESS_HTTP_PATHS = [
    ("/console", "flyteconsole"), ("/console/*", "flyteconsole"), ("/api", "flyteadmin"), ("/api/*", "flyteadmin"),
    ("/healthcheck", "flyteadmin"), ("/v1/*", "flyteadmin"), ("/.well-known", "flyteadmin"),
    ("/.well-known/*", "flyteadmin"), ("/login", "flyteadmin"), ("/login/*", "flyteadmin"), ("/logout", "flyteadmin"),
    ("/logout/*", "flyteadmin"), ("/callback", "flyteadmin"), ("/callback/*", "flyteadmin"), ("/me", "flyteadmin"),
    ("/config", "flyteadmin"), ("/config/*", "flyteadmin"), ("/oauth2", "flyteadmin"), ("/oauth2/*", "flyteadmin"),
]  # fmt: skip
INGRESS_GRPC_PATHS = [
    f"/{service}{suffix}"
    for service in ("flyteidl.service.SignalService", "flyteidl.service.AdminService",
                    "flyteidl.service.DataProxyService", "flyteidl.service.AuthMetadataService",
                    "flyteidl.service.IdentityService", "grpc.health.v1.Health")
    for suffix in ("", "/*")
]  # fmt: skip

MISSING = object()
Row = tuple[str, str, str, str, dict[str, Any]]
_RENDERS: dict[tuple[str, str, str], tuple[list[dict], dict[str, Any]]] = {}


def render(
    helm: Path, chart: Path, case: str, tmp_factory: pytest.TempPathFactory
) -> tuple[list[dict], dict[str, Any]]:
    """(the objects `helm template` renders, the values the chart sees) for a case; rendered once."""
    key = (str(helm), str(chart), case)
    if key not in _RENDERS:
        tmp = tmp_factory.mktemp(f"{case}-{helm.name}")
        code, err, docs = template(helm, chart, copy.deepcopy(CASES[case]), tmp)
        assert code == 0, err
        written = YAML(typ="safe").load((tmp / "values.yaml").read_text()) or {}
        defaults = YAML(typ="safe").load((chart / "values.yaml").read_text())
        _RENDERS[key] = (docs, coalesce(defaults, written))
    return _RENDERS[key]


def coalesce(defaults: Any, written: Any) -> Any:
    """Helm's merge of a values file over the chart's defaults: maps merge, anything else replaces. A null
    stays as None here (Helm deletes the key), so that a check can tell the key must be absent."""
    if isinstance(defaults, dict) and isinstance(written, dict):
        merged = dict(defaults)
        for k, v in written.items():
            merged[k] = coalesce(defaults.get(k), v) if k in defaults else v
        return merged
    return written


def lookup(tree: Any, dotted: str) -> Any:
    node = tree
    for part in dotted.split(".") if dotted else []:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return MISSING
    return node


def empty(value: Any) -> bool:
    """What the chart's ``with`` skips (a map whose keys are all set to null is empty once Helm drops them)."""
    if isinstance(value, dict):
        return all(v is None for v in value.values())
    return value is MISSING or value is None or value in ("", [])


def applies(row: Row, values: dict[str, Any]) -> bool:
    key, *_, when = row
    if empty(lookup(values, key)):
        return False
    for cond, wanted in when.items():
        got = lookup(values, cond)
        if isinstance(wanted, list):
            ok = got in wanted
        elif not wanted:
            ok = empty(got) or got is False
        else:
            ok = got == wanted
        if not ok:
            return False
    return True


def mismatch(expected: Any, got: Any, where: str = "") -> str | None:
    """Why ``got`` (rendered) is not ``expected`` (values), or None when it is."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{where or '.'}: expected a map, rendered {got!r}"
        for k, v in expected.items():
            if v is None:
                if k in got:
                    return f"{where}.{k}: set to null in the values, rendered {got[k]!r}"
            elif k not in got:
                return f"{where}.{k}: missing (expected {v!r})"
            elif (why := mismatch(v, got[k], f"{where}.{k}")) is not None:
                return why
        return None
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return f"{where or '.'}: expected {expected!r}, rendered {got!r}"
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            if (why := mismatch(e, g, f"{where}.{i}")) is not None:
                return why
        return None
    if isinstance(expected, str) and "{{" in expected:  # the chart renders it with tpl
        return None if isinstance(got, str) and "{{" not in got else f"{where}: {expected!r} rendered as {got!r}"
    return None if got == expected else f"{where or '.'}: expected {expected!r}, rendered {got!r}"


def find(docs: list[dict], row: Row) -> Any:
    """The rendered value a row points at, or a string saying what is missing."""
    _, obj_id, file, path, _ = row
    kind, name = obj_id.split("/", 1)
    obj = next((d for d in docs if d.get("kind") == kind and d["metadata"]["name"] == name), None)
    if obj is None:
        return f"no {kind}/{name}"
    if file:
        data = obj.get("data") or {}
        if file not in data:
            return f"no {file} in {kind}/{name} (it has {', '.join(sorted(data)) or 'nothing'})"
        obj = YAML(typ="safe").load(data[file])
    value = lookup(obj, path)
    return f"no {path} in {kind}/{name} {file}".rstrip() if value is MISSING else value


def row_id(row: Row) -> str:
    key, obj_id, file, path, _ = row
    return f"{key} -> {obj_id} {file} {path}".replace("  ", " ").strip()


def leaves(tree: Any, prefix: str = "") -> list[str]:
    if isinstance(tree, dict) and tree:
        return [leaf for k, v in tree.items() for leaf in leaves(v, f"{prefix}{k}.")]
    return [prefix.rstrip(".")]


helms = pytest.mark.parametrize("helm", helm_binaries())
charts = pytest.mark.parametrize("chart", CHARTS)
cases = pytest.mark.parametrize("case", sorted(CASES))


@helms
@charts
@cases
def test_every_values_key_lands_where_flyte_core_renders_it(
    helm: Path, chart: Path, case: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    docs, values = render(helm, chart, case, tmp_path_factory)
    failures = []
    for row in ROWS:
        if not applies(row, values):
            continue
        got = find(docs, row)
        expected = lookup(values, row[0])
        why = got if isinstance(got, str) and got.startswith("no ") else mismatch(expected, got)
        if why is not None:
            failures.append(f"{row_id(row)}: {why}")
    assert not failures, "\n".join(failures)


@helms
@charts
def test_every_row_applies_to_some_case(helm: Path, chart: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    used = {
        i
        for case in CASES
        for i, row in enumerate(ROWS)
        if applies(row, render(helm, chart, case, tmp_path_factory)[1])
    }
    unused = [row_id(r) for i, r in enumerate(ROWS) if i not in used]
    assert not unused, "rows no case exercises:\n" + "\n".join(unused)


@cases
def test_the_table_covers_every_key_flyte_tui_writes(case: str, tmp_path: Path) -> None:
    """A key flyte-tui starts writing needs a row (or a reason in NOT_IN_TABLE), so the parity is checked."""
    result = validate_answers(copy.deepcopy(CASES[case]))
    assert result.ok and result.plan is not None, [str(e) for e in result.errors]
    covered = [row[0] for row in ROWS] + [k for row in ROWS for k in row[4]] + list(NOT_IN_TABLE)
    uncovered = [
        leaf for leaf in leaves(render_values(result.plan))
        if not any(leaf == key or leaf.startswith(key + ".") for key in covered)
    ]  # fmt: skip
    assert uncovered == []


@helms
@charts
@cases
def test_cluster_resource_templates_become_one_file_each(
    helm: Path, chart: Path, case: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # templates/clusterresourcesync/cluster_resource_configmap.yaml
    docs, values = render(helm, chart, case, tmp_path_factory)
    cm = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "clusterresource-template")
    templates = values["cluster_resource_manager"]["templates"]
    assert {k: v.strip() for k, v in cm["data"].items()} == {f"{t['key']}.yaml": t["value"].strip() for t in templates}


@helms
@charts
@cases
def test_ingress_paths(helm: Path, chart: Path, case: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    # templates/common/ingress.yaml
    docs, values = render(helm, chart, case, tmp_path_factory)
    ingress = values["common"]["ingress"]
    found = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Ingress"}
    if not ingress["enabled"]:
        assert found == {}
        return
    grpc_port = 80 if values["configmap"]["adminServer"]["server"]["security"]["secure"] else 81
    grpc = [(p, "flyteadmin", grpc_port) for p in INGRESS_GRPC_PATHS]
    http = [(p, service, 80) for p, service in INGRESS_HTTP_PATHS]
    redirect = [("/*", "ssl-redirect", "use-annotation")] if ingress.get("albSSLRedirect") else []

    def paths(name: str) -> list[tuple[str, str, Any]]:
        port = lambda b: b["service"]["port"].get("number", b["service"]["port"].get("name"))  # noqa: E731
        rule = found[name]["spec"]["rules"][0]["http"]["paths"]
        return [(p["path"], p["backend"]["service"]["name"], port(p["backend"])) for p in rule]

    if ingress.get("separateGrpcIngress"):
        assert set(found) == {"flyte-core", "flyte-core-grpc"}
        assert paths("flyte-core") == redirect + http
        assert paths("flyte-core-grpc") == grpc
    else:
        assert set(found) == {"flyte-core"}
        assert paths("flyte-core") == redirect + http + grpc


# -- the fixture against the real chart, object by object (FLYTE_TUI_REAL_CHART only) ------------------------


def _comparable(doc: dict) -> dict[str, Any]:
    meta = doc["metadata"]
    out: dict[str, Any] = {
        "labels": {k: v for k, v in (meta.get("labels") or {}).items() if k != "helm.sh/chart"},
        "annotations": meta.get("annotations") or {},
    }
    spec = doc.get("spec") or {}
    if doc["kind"] == "ConfigMap":
        data = doc.get("data") or {}
        name = meta["name"]
        out["data"] = {
            f: (
                v.strip() if name == "clusterresource-template" or not f.endswith(".yaml") else YAML(typ="safe").load(v)
            )
            for f, v in data.items()
        }
    elif doc["kind"] == "Deployment":
        pod = spec["template"]
        out["selector"] = spec["selector"]
        out["podLabels"] = {k: v for k, v in pod["metadata"]["labels"].items() if k != "helm.sh/chart"}
        out["serviceAccountName"] = pod["spec"].get("serviceAccountName")
        for part in ("initContainers", "containers"):
            # where each container finds its config, secrets and the database password (the real chart's
            # scratch volumes elsewhere are not in the fixture)
            out[part] = {
                c["name"]: sorted(
                    m["mountPath"] for m in c.get("volumeMounts", []) if m["mountPath"].startswith("/etc/")
                )
                for c in pod["spec"].get(part, [])
            }
    elif doc["kind"] == "Service":
        out["selector"] = spec.get("selector")
        out["ports"] = spec.get("ports")
    elif doc["kind"] == "Secret":
        out["stringData"] = sorted(doc.get("stringData") or {})
    return out


@pytest.mark.skipif(not REAL, reason="set FLYTE_TUI_REAL_CHART to flyteorg/flyte's charts/flyte-core")
@helms
@cases
def test_the_fixture_renders_what_the_real_chart_renders(
    helm: Path, case: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ours, _ = render(helm, FIXTURE_CHART, case, tmp_path_factory)
    theirs, _ = render(helm, Path(REAL), case, tmp_path_factory)
    # the real chart's subcharts (flyteconnector) are not part of the fixture
    theirs = [d for d in theirs if not d["metadata"]["name"].startswith("flyteconnector")]
    key = lambda d: f"{d['kind']}/{d['metadata']['name']}"  # noqa: E731
    assert sorted(map(key, ours)) == sorted(map(key, theirs))
    skip = {"configChecksum"}
    real = {key(d): _comparable(d) for d in theirs}
    for doc in ours:
        mine = _comparable(doc)
        mine["annotations"] = {k: v for k, v in mine["annotations"].items() if k not in skip}
        real[key(doc)]["annotations"] = {k: v for k, v in real[key(doc)]["annotations"].items() if k not in skip}
        assert mine == real[key(doc)], key(doc)
