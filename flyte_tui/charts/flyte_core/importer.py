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
from flyte_tui.charts.flyte_core.render import IRSA_ANNOTATION, TASK_RESOURCE_KEYS, WI_ANNOTATION, render_values
from flyte_tui.model.plan import DEFAULT_RELEASE
from flyte_tui.model.rules import Problem
from flyte_tui.model.secret_values import secret_paths, without_secrets


def _guess_environment(values: dict[str, Any]) -> str:
    annotations = [tree.get(values, (c.values_key, "serviceAccount", "annotations"), {}) or {} for c in STORAGE_USERS]
    if any(IRSA_ANNOTATION in a for a in annotations if isinstance(a, dict)):
        return "eks"
    if any(WI_ANNOTATION in a for a in annotations if isinstance(a, dict)):
        return "gke"
    storage_type = tree.get(values, ("storage", "type"), defaults.STORAGE["type"])
    if storage_type == "gcs":
        return "gke"
    if storage_type == "sandbox":
        return "sandbox"
    return "generic"


def _controller(values: dict[str, Any]) -> str:
    ingress = tree.get(values, ("common", "ingress"), {}) or {}
    if ingress.get("enabled") is False:
        return "none"
    annotations = ingress.get("annotations") or {}
    cls = ingress.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class")
    if cls in ("nginx", "alb", "gce", "contour", "traefik"):
        return str(cls)
    if any(str(k).startswith("alb.ingress.kubernetes.io/") for k in annotations):
        return "alb"
    return "nginx"


_MODELLED = ("cpu", "memory", "ephemeral-storage", "gpu")


def _resources(block: Any) -> dict[str, Any]:
    """The resource quantities the answers model (others stay in the values, kept under extraValues)."""
    if not isinstance(block, dict):
        return {}
    return {k: str(v) for k, v in block.items() if v is not None and k in _MODELLED}


def _task_resources(block: Any) -> dict[str, Any]:
    """flyteadmin's task resource names (``ephemeralStorage``) as the answers spell them."""
    if not isinstance(block, dict):
        return {}
    theirs = {k: block[k] for k in block if k not in TASK_RESOURCE_KEYS}  # no answer spells these two ways
    theirs.update({ours: block[name] for ours, name in TASK_RESOURCE_KEYS.items() if name in block})
    return _resources(theirs)


def answers_from_values(values: dict[str, Any], environment: str | None = None) -> dict[str, Any]:
    """The answers a values file implies (without extraValues), every section explicit."""
    env = environment or _guess_environment(values)
    storage = tree.get(values, ("storage",), {}) or {}
    stype = storage.get("type", defaults.STORAGE["type"])
    bucket = str(storage.get("bucketName", defaults.STORAGE["bucketName"]))
    raw_prefix = str(tree.get(values, ("configmap", "core", "propeller", "rawoutput-prefix"), "") or "")
    raw_bucket = raw_prefix.split("://", 1)[1].strip("/") if "://" in raw_prefix else ""
    s3 = storage.get("s3") or {}
    answers_storage: dict[str, Any] = {
        "type": stype,
        "metadataBucket": "" if stype == "custom" else bucket,
        "userDataBucket": raw_bucket if raw_bucket and raw_bucket != bucket else "",
        "region": str(s3.get("region", "")) if stype == "s3" else "",
        "endpoint": str(s3.get("endpoint", "") or "") if stype == "s3" else "",
        "auth": str(s3.get("authType", "iam")) if stype == "s3" else "iam",
        "credentialsSecret": str(storage.get("secretName", "") or "") if stype == "s3" else "",
        "projectId": str(tree.get(storage, ("gcs", "projectId"), "") or "") if stype == "gcs" else "",
        "custom": copy.deepcopy(storage.get("custom") or {}) if stype == "custom" else {},
    }
    if stype == "s3" and not answers_storage["region"]:
        answers_storage["region"] = defaults.STORAGE["region"]

    admin_db = {**defaults.DB["admin"], **(tree.get(values, ("db", "admin", "database"), {}) or {})}
    catalog_db = {**defaults.DB["datacatalog"], **(tree.get(values, ("db", "datacatalog", "database"), {}) or {})}
    secret_name = tree.get(values, ("common", "databaseSecret", "name"), "") or ""
    password_path = str(admin_db.get("passwordPath", "") or "")
    options = str(admin_db.get("options", "") or "")
    ssl_mode = "disable"
    for part in options.split():
        if part.startswith("sslmode="):
            ssl_mode = part.split("=", 1)[1]
    database = {
        "host": str(admin_db["host"]),
        "port": int(admin_db["port"]),
        "username": str(admin_db["username"]),
        "adminDatabase": str(admin_db["dbname"]),
        "datacatalogDatabase": str(catalog_db["dbname"]),
        "passwordSecret": (
            {"name": secret_name, "key": password_path.rsplit("/", 1)[-1]} if secret_name and password_path else None
        ),
        "sslMode": ssl_mode,
    }

    admin_annotations = tree.get(values, ("flyteadmin", "serviceAccount", "annotations"), {}) or {}
    identity = {
        "awsRoleArn": str(admin_annotations.get(IRSA_ANNOTATION, "")) if env == "eks" else "",
        "gcpServiceAccount": str(admin_annotations.get(WI_ANNOTATION, "")) if env == "gke" else "",
    }

    ing = tree.get(values, ("common", "ingress"), {}) or {}
    controller = _controller(values)
    annotations = ing.get("annotations") or {}
    tls = ing.get("tls") or {}
    ingress = {
        "enabled": controller != "none",
        "controller": controller,
        "host": str(ing.get("host") or ""),
        "separateGrpc": bool(ing.get("separateGrpcIngress", False)),
        "tls": {
            "enabled": bool(tls.get("enabled", False)),
            "secretName": str(tls.get("secretName") or ""),
            "certificateArn": str(annotations.get("alb.ingress.kubernetes.io/certificate-arn") or ""),
        },
    }

    components: dict[str, Any] = {}
    for key in SIZABLE_KEYS:
        chart = defaults.COMPONENT_RESOURCES.get(key, {})
        comp = tree.get(values, (key,), {}) or {}
        resources = comp.get("resources") or {}
        components[key] = {
            "replicas": int(comp.get("replicaCount", defaults.REPLICAS)),
            "requests": {**chart.get("requests", {}), **_resources(resources.get("requests"))},
            "limits": {**chart.get("limits", {}), **_resources(resources.get("limits"))},
        }
    task = tree.get(values, ("configmap", "task_resource_defaults", "task_resources"), {}) or {}
    task_defaults = {
        "requests": _task_resources(task.get("defaults")) or _resources(defaults.TASK_RESOURCES["defaults"]),
        "limits": _task_resources(task.get("limits")) or _resources(defaults.TASK_RESOURCES["limits"]),
    }
    for kind in ("requests", "limits"):
        for name in ("cpu", "memory", "gpu", "ephemeral-storage"):
            task_defaults[kind].setdefault(name, None)

    domains_value = tree.get(values, ("configmap", "domain", "domains"))
    domains = (
        [str(d.get("id")) for d in domains_value if isinstance(d, dict)]
        if isinstance(domains_value, list)
        else list(defaults.DOMAINS)
    )
    custom_data = tree.get(values, ("cluster_resource_manager", "config", "cluster_resources", "customData"))
    per_domain: dict[str, dict[str, str]] = {}
    if isinstance(custom_data, list):
        for item in custom_data:
            for domain, entries in (item or {}).items():
                flat: dict[str, str] = {}
                for entry in entries or []:
                    for var, spec in (entry or {}).items():
                        flat[str(var)] = str((spec or {}).get("value", ""))
                per_domain[str(domain)] = flat
    else:
        per_domain = {d: {"projectQuotaCpu": c, "projectQuotaMemory": m} for d, (c, m) in defaults.QUOTAS.items()}
    quotas = {
        d: {"cpu": per_domain[d]["projectQuotaCpu"], "memory": per_domain[d]["projectQuotaMemory"]}
        for d in domains
        if d in per_domain and "projectQuotaCpu" in per_domain[d] and "projectQuotaMemory" in per_domain[d]
    }
    first = next(iter(per_domain.values()), {})
    projects = {
        "domains": domains,
        "quotas": quotas,
        "taskRoleArn": first.get("defaultIamRole", "") if env == "eks" else "",
        "taskServiceAccount": first.get("gsa", "") if env == "gke" else "",
        "initialProjects": list(tree.get(values, ("flyteadmin", "initialProjects"), defaults.INITIAL_PROJECTS)),
    }
    lock_namespace = ("configmap", "core", "propeller", "leader-election", "lock-config-map", "namespace")
    namespace = tree.get(values, lock_namespace, defaults.NAMESPACE)
    release = annotations.get("alb.ingress.kubernetes.io/group.name") or DEFAULT_RELEASE
    return {
        "target": {"namespace": str(namespace), "release": str(release)},
        "environment": env,
        "storage": answers_storage,
        "database": database,
        "identity": identity,
        "ingress": ingress,
        "resources": {"components": components, "taskDefaults": task_defaults},
        "projects": projects,
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


def import_values(
    values: Any, environment: str | None = None, release: str | None = None, namespace: str | None = None
) -> ImportResult:
    """Turn a flyte-core values mapping into answers; keep what is not understood under extraValues."""
    if not isinstance(values, dict):
        return ImportResult({}, [Problem("", "a values file must hold a YAML mapping")])
    try:
        answers = answers_from_values(values, environment)
    except (TypeError, ValueError, AttributeError) as exc:
        return ImportResult({}, [Problem("", f"cannot read these values: {exc}")])
    if release:
        answers["target"]["release"] = release
    if namespace:
        answers["target"]["namespace"] = namespace
    first = validate_answers(answers)
    leftovers: list[str] = []
    extra: dict[str, Any] = {}
    if first.plan is not None:
        _residual(values, render_values(first.plan), (), extra, leftovers)
    else:
        extra = copy.deepcopy(values)
        leftovers = sorted(str(k) for k in values)
    secrets = list(secret_paths(extra))
    if secrets:
        extra = without_secrets(extra)
        leftovers = [p for p in leftovers if not any(p == s or p.startswith(s + ".") for s in secrets)]
    answers["extraValues"] = extra
    final = validate_answers(answers)
    left_out = [
        Problem(
            path,
            "a secret in the values file was left out of the answers (flyte-tui keeps secrets in Kubernetes "
            "Secrets only): give it to the install (FLYTE_TUI_DB_PASSWORD, --db-password-file, FLYTE_TUI_S3_*) "
            "or name an existing Secret",
            "warning",
        )
        for path in secrets
    ]
    return ImportResult(answers, [*left_out, *final.problems], leftovers)


def import_values_file(path: Path, **hints: str | None) -> ImportResult:
    """Read a values file from disk and import it."""
    from flyte_tui.files.yamlio import YAMLError, load_plain

    try:
        values = load_plain(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        return ImportResult({}, [Problem("", f"cannot read {path}: {exc.strerror or exc}")])
    except UnicodeDecodeError:
        return ImportResult({}, [Problem("", f"{path} is not UTF-8 text (a values file is YAML)")])
    except YAMLError as exc:
        return ImportResult({}, [Problem("", f"{path} is not valid YAML: {' '.join(str(exc).split())}")])
    return import_values(values or {}, **hints)
