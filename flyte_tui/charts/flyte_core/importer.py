"""flyte-core values → answers file (best effort).

Everything understood becomes an answer; everything else is kept verbatim under ``extraValues`` and
reported, so rendering the imported answers gives back the same values.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import validate_answers
from flyte_tui.charts.component import ImportResult
from flyte_tui.charts.flyte_core import defaults
from flyte_tui.charts.flyte_core.components import SIZABLE_KEYS, STORAGE_USERS
from flyte_tui.charts.flyte_core.import_clusters import data_planes_of, default_label_of, with_data_planes
from flyte_tui.charts.flyte_core.render import IRSA_ANNOTATION, TASK_RESOURCE_KEYS, WI_ANNOTATION, render_values
from flyte_tui.charts.flyte_core.render_images import PULL_SECRETS, REPOSITORIES
from flyte_tui.charts.flyte_core.values_reader import ValuesReader
from flyte_tui.charts.import_shared import images_answer, name_target, values_only
from flyte_tui.charts.imported import finish_import
from flyte_tui.model.plan import DEFAULT_RELEASE
from flyte_tui.redact import secret_value


def _guess_environment(read: ValuesReader) -> str:
    annotations = [read.raw((c.values_key, "serviceAccount", "annotations")) for c in STORAGE_USERS]
    if any(IRSA_ANNOTATION in a for a in annotations if isinstance(a, dict)):
        return "eks"
    if any(WI_ANNOTATION in a for a in annotations if isinstance(a, dict)):
        return "gke"
    storage_type = read.raw(("storage", "type"))
    storage_type = defaults.STORAGE["type"] if storage_type is None else storage_type
    if storage_type == "gcs":
        return "gke"
    if storage_type == "sandbox":
        return "sandbox"
    return "generic"


def _controller(read: ValuesReader) -> str:
    ingress = read.map(("common", "ingress"))
    if ingress.get("enabled") is False:
        return "none"
    annotations = read.map(("common", "ingress", "annotations"))
    cls = ingress.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class")
    if cls in ("nginx", "alb", "gce", "contour", "traefik"):
        return str(cls)
    if any(str(k).startswith("alb.ingress.kubernetes.io/") for k in annotations):
        return "alb"
    return "nginx"


_MODELLED = ("cpu", "memory", "ephemeral-storage", "gpu")


def _quantities(read: ValuesReader, block: Any, path: tree.Path) -> dict[str, Any]:
    """The resource quantities the answers model (others stay in the values, kept under extraValues)."""
    out = {}
    for k, v in read.resources(block, path).items():
        if v is None or k not in _MODELLED:
            continue
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            out[k] = str(v)
        else:
            read.wrong((*path, k), "a quantity", v)
    return out


def _task_resources(read: ValuesReader, block: Any, path: tree.Path) -> dict[str, Any]:
    """flyteadmin's task resource names (``ephemeralStorage``) as the answers spell them."""
    if not isinstance(block, dict):
        return _quantities(read, block, path)
    theirs = {k: block[k] for k in block if k not in TASK_RESOURCE_KEYS}  # no answer spells these two ways
    theirs.update({ours: block[name] for ours, name in TASK_RESOURCE_KEYS.items() if name in block})
    return _quantities(read, theirs, path)


def answers_from_values(values: dict[str, Any], environment: str | None = None) -> dict[str, Any]:
    """The answers a values file implies (without extraValues), every section explicit."""
    return _answers(ValuesReader(values), environment)


def _without_credentials(endpoint: str) -> str:
    """The endpoint, or "" when it carries a credential (``https://KEY:SECRET@host``): the value then stays in
    what is left over, where the importer leaves it out of the answers with a warning, like any secret."""
    return "" if secret_value("endpoint", endpoint) else endpoint


def _answers(read: ValuesReader, environment: str | None) -> dict[str, Any]:
    env = environment or _guess_environment(read)
    stype = read.text(("storage", "type"), defaults.STORAGE["type"])
    bucket = read.text(("storage", "bucketName"), str(defaults.STORAGE["bucketName"]))
    raw_prefix = read.text(("configmap", "core", "propeller", "rawoutput-prefix"))
    raw_bucket = raw_prefix.split("://", 1)[1].strip("/") if "://" in raw_prefix else ""
    s3 = ("storage", "s3")
    custom = read.map(("storage", "custom")) if stype == "custom" else {}
    answers_storage: dict[str, Any] = {
        "type": stype,
        "metadataBucket": "" if stype == "custom" else bucket,
        "userDataBucket": raw_bucket if raw_bucket and raw_bucket != bucket else "",
        "region": read.text((*s3, "region")) if stype == "s3" else "",
        "endpoint": _without_credentials(read.text((*s3, "endpoint"))) if stype == "s3" else "",
        "auth": read.text((*s3, "authType"), "iam") if stype == "s3" else "iam",
        "credentialsSecret": read.text(("storage", "secretName")) if stype == "s3" else "",
        "projectId": read.text(("storage", "gcs", "projectId")) if stype == "gcs" else "",
        "custom": copy.deepcopy(custom),
    }
    if stype == "s3" and not answers_storage["region"]:
        answers_storage["region"] = defaults.STORAGE["region"]

    admin = ("db", "admin", "database")
    catalog = ("db", "datacatalog", "database")
    chart_admin: dict[str, Any] = defaults.DB["admin"]
    chart_catalog: dict[str, Any] = defaults.DB["datacatalog"]
    secret_name = read.text(("common", "databaseSecret", "name"))
    password_path = read.text((*admin, "passwordPath"))
    options = read.text((*admin, "options"))
    ssl_mode = "disable"
    for part in options.split():
        if part.startswith("sslmode="):
            ssl_mode = part.split("=", 1)[1]
    database = {
        "host": read.text((*admin, "host"), str(chart_admin["host"])),
        "port": read.integer((*admin, "port"), int(chart_admin["port"])),
        "username": read.text((*admin, "username"), str(chart_admin["username"])),
        "adminDatabase": read.text((*admin, "dbname"), str(chart_admin["dbname"])),
        "datacatalogDatabase": read.text((*catalog, "dbname"), str(chart_catalog["dbname"])),
        "passwordSecret": (
            {"name": secret_name, "key": password_path.rsplit("/", 1)[-1]} if secret_name and password_path else None
        ),
        "sslMode": ssl_mode,
    }

    sa = ("flyteadmin", "serviceAccount", "annotations")
    identity = {
        "awsRoleArn": read.text((*sa, IRSA_ANNOTATION)) if env == "eks" else "",
        "gcpServiceAccount": read.text((*sa, WI_ANNOTATION)) if env == "gke" else "",
    }

    ing = ("common", "ingress")
    controller = _controller(read)
    ingress = {
        "enabled": controller != "none",
        "controller": controller,
        "host": read.text((*ing, "host")),
        "separateGrpc": read.flag((*ing, "separateGrpcIngress"), False),
        "tls": {
            "enabled": read.flag((*ing, "tls", "enabled"), False),
            "secretName": read.text((*ing, "tls", "secretName")),
            "certificateArn": read.text((*ing, "annotations", "alb.ingress.kubernetes.io/certificate-arn")),
        },
    }

    components: dict[str, Any] = {}
    for key in SIZABLE_KEYS:
        chart = defaults.COMPONENT_RESOURCES.get(key, {})
        resources = read.map((key, "resources"))
        components[key] = {
            "replicas": read.integer((key, "replicaCount"), defaults.REPLICAS),
            "requests": {
                **chart.get("requests", {}),
                **_quantities(read, resources.get("requests"), (key, "resources", "requests")),
            },
            "limits": {
                **chart.get("limits", {}),
                **_quantities(read, resources.get("limits"), (key, "resources", "limits")),
            },
        }
    task_path = ("configmap", "task_resource_defaults", "task_resources")
    task = read.map(task_path)
    task_defaults = {
        "requests": _task_resources(read, task.get("defaults"), (*task_path, "defaults"))
        or _quantities(read, defaults.TASK_RESOURCES["defaults"], ()),
        "limits": _task_resources(read, task.get("limits"), (*task_path, "limits"))
        or _quantities(read, defaults.TASK_RESOURCES["limits"], ()),
    }
    for kind in ("requests", "limits"):
        for name in ("cpu", "memory", "gpu", "ephemeral-storage"):
            task_defaults[kind].setdefault(name, None)

    domains_path = ("configmap", "domain", "domains")
    domains_value = read.items(domains_path)
    domains = list(defaults.DOMAINS)
    if domains_value is not None:
        domains = []
        for i, d in enumerate(domains_value):
            name = read.text(("id",), within=d) if isinstance(d, dict) else ""
            if name:
                domains.append(name)
            else:
                read.wrong((*domains_path, i), "a mapping with an id", d)
    custom_path = ("cluster_resource_manager", "config", "cluster_resources", "customData")
    custom_data = read.items(custom_path)
    per_domain: dict[str, dict[str, str]] = {}
    if custom_data is not None:
        for i, item in enumerate(custom_data):
            if not isinstance(item, dict):
                read.wrong((*custom_path, i), "a mapping of domains", item)
                continue
            for domain, entries in item.items():
                here = (*custom_path, i, str(domain))
                flat: dict[str, str] = {}
                if not isinstance(entries, list):
                    if entries is not None:
                        read.wrong(here, "a list of variables", entries)
                    entries = []
                for j, entry in enumerate(entries):
                    if not isinstance(entry, dict):
                        read.wrong((*here, j), "a mapping", entry)
                        continue
                    for var, spec in entry.items():
                        flat[str(var)] = read.text(("value",), within=spec) if isinstance(spec, dict) else ""
                per_domain[str(domain)] = flat
    else:
        per_domain = {d: {"projectQuotaCpu": c, "projectQuotaMemory": m} for d, (c, m) in defaults.QUOTAS.items()}
    quotas = {
        d: {"cpu": per_domain[d]["projectQuotaCpu"], "memory": per_domain[d]["projectQuotaMemory"]}
        for d in domains
        if d in per_domain and "projectQuotaCpu" in per_domain[d] and "projectQuotaMemory" in per_domain[d]
    }
    first = next(iter(per_domain.values()), {})
    projects_path = ("flyteadmin", "initialProjects")
    initial = read.items(projects_path, list(defaults.INITIAL_PROJECTS)) or []
    initial_projects = []
    for i, project in enumerate(initial):
        if isinstance(project, str | int) and not isinstance(project, bool):
            initial_projects.append(str(project))
        else:
            read.wrong((*projects_path, i), "a project name", project)
    projects = {
        "domains": domains,
        "quotas": quotas,
        "taskRoleArn": first.get("defaultIamRole", "") if env == "eks" else "",
        "taskServiceAccount": first.get("gsa", "") if env == "gke" else "",
        "initialProjects": initial_projects,
    }
    lock_namespace = ("configmap", "core", "propeller", "leader-election", "lock-config-map", "namespace")
    namespace = read.text(lock_namespace, defaults.NAMESPACE)
    release = read.text((*ing, "annotations", "alb.ingress.kubernetes.io/group.name"), DEFAULT_RELEASE)
    return {
        "target": {"namespace": namespace, "release": release},
        "environment": env,
        "storage": answers_storage,
        "database": database,
        "identity": identity,
        "ingress": ingress,
        "resources": {"components": components, "taskDefaults": task_defaults},
        "projects": projects,
        **({"images": images} if (images := images_answer(read.values, REPOSITORIES, PULL_SECRETS)) else {}),
    }


def _residual(values: Any, rendered: Any, path: tuple[str, ...], out: dict[str, Any], paths: list[str]) -> None:
    """Put into ``out`` every part of ``values`` that ``rendered`` does not reproduce."""
    for key, value in values.items():
        here = (*path, str(key))
        if isinstance(rendered, dict) and key in rendered:
            mine = rendered[key]
            if isinstance(value, dict) and isinstance(mine, dict):
                sub: dict[str, Any] = {}
                _residual(value, mine, here, sub, paths)
                if sub:
                    out[key] = sub
                continue
            if value == mine:
                continue
        out[key] = copy.deepcopy(value)
        paths.extend(_leaf_paths(value, here))


def _leaf_paths(value: Any, path: tuple[str, ...]) -> list[str]:
    if isinstance(value, dict) and value:
        return [p for key, sub in value.items() for p in _leaf_paths(sub, (*path, str(key)))]
    return [".".join(path)]


@values_only
def import_values(
    values: dict[str, Any], environment: str | None = None, release: str | None = None, namespace: str | None = None
) -> ImportResult:
    """Turn a flyte-core values mapping into answers; keep what is not understood under extraValues."""
    read = ValuesReader(values)
    answers = _answers(read, environment)
    name_target(answers, release, namespace)
    first = validate_answers(answers)
    leftovers: list[str] = []
    extra: dict[str, Any] = {}
    planes = data_planes_of(values)  # their contexts are not in the values: validation asks for them
    label = default_label_of(values)
    if first.plan is not None:
        _residual(values, render_values(with_data_planes(first.plan, planes, label)), (), extra, leftovers)
        if planes:
            answers["dataPlanes"] = planes
        if label:
            answers["defaultExecutionLabel"] = label
    else:
        extra = copy.deepcopy(values)
        leftovers = sorted(str(k) for k in values)
    return finish_import(answers, extra, leftovers, list(read.problems))


def import_values_file(path: Path, **hints: str | None) -> ImportResult:
    """Read a values file from disk (through the one bounded YAML reader) and import it as flyte-core's."""
    from flyte_tui.charts.import_file import import_values_file as read_and_import

    return read_and_import(path, chart="flyte-core", **hints)
