"""flyte-binary values → answers file (best effort), e.g. from the chart's eks-starter.yaml, eks-production.yaml
or gke-starter.yaml.

Everything understood becomes an answer; everything else is kept verbatim under ``extraValues`` and reported,
so rendering the imported answers gives back the same values. Secrets (a database password, S3 keys, OIDC
client secrets) are left out with a warning; ``<PLACEHOLDER>``s are reported by validation.
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Mapping
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.component import ImportResult
from flyte_tui.charts.flyte_binary import defaults
from flyte_tui.charts.flyte_binary.components import SIZING_KEY
from flyte_tui.charts.flyte_binary.render import ALB, INLINE, IRSA_ANNOTATION, TASK_RESOURCE_KEYS, WI_ANNOTATION
from flyte_tui.charts.flyte_binary.render_images import PULL_SECRETS, REPOSITORIES
from flyte_tui.charts.flyte_core.values_reader import ValuesReader
from flyte_tui.charts.import_shared import images_answer, name_target, values_only
from flyte_tui.charts.imported import finish_import
from flyte_tui.model.plan import API_VERSION, DEFAULT_NAMESPACE, DEFAULT_REPO, DEFAULT_VERSION, KIND
from flyte_tui.model.rules import Problem

_QUANTITIES = ("cpu", "memory", "ephemeral-storage", "gpu")
_TASK_IDENTITY = {"defaultIamRole": "taskRoleArn", "defaultIamServiceAccount": "taskServiceAccount",
                  "gsa": "taskServiceAccount"}  # fmt: skip
"""customData variables that carry the task pods' cloud identity, and their answer."""


_OWN_KEYS = ("configuration", "deployment", "flyte-core-components", "clusterResourceTemplates")
"""Top-level values keys only flyte-binary reads."""
_FLYTE_CORE_KEYS = ("flyteadmin", "flytepropeller", "datacatalog", "configmap", "common", "db")
"""Top-level values keys only flyte-core reads."""


def looks_like_flyte_binary(values: Mapping[str, Any]) -> bool:
    """Whether a values mapping was written for flyte-binary (its own keys, none of flyte-core's)."""
    return any(k in values for k in _OWN_KEYS) and not any(k in values for k in _FLYTE_CORE_KEYS)


def _quantities(read: ValuesReader, block: Any, path: tree.Path) -> dict[str, str]:
    out = {}
    for key, value in read.resources(block, path).items():
        key = {v: k for k, v in TASK_RESOURCE_KEYS.items()}.get(key, key)
        if key in _QUANTITIES and isinstance(value, str | int | float) and not isinstance(value, bool):
            out[key] = str(value)
    return out


def _environment(read: ValuesReader, provider: str, s3: dict[str, Any]) -> str:
    annotations = read.map(("serviceAccount", "annotations"))
    if IRSA_ANNOTATION in annotations:
        return "eks"
    if WI_ANNOTATION in annotations or provider == "gcs":
        return "gke"
    if "minio." in str(s3.get("endpoint", "")) and s3.get("accessKey") == "minio":
        return "sandbox"
    return "generic"


def _storage(read: ValuesReader, env: str) -> dict[str, Any]:
    base = ("configuration", "storage")
    provider = read.text((*base, "provider"), defaults.STORAGE["provider"])
    meta = read.text((*base, "metadataContainer"), defaults.STORAGE["metadataContainer"])
    raw = read.text((*base, "userDataContainer"), defaults.STORAGE["userDataContainer"])
    storage: dict[str, Any] = {"metadataBucket": meta, "userDataBucket": raw if raw != meta else ""}
    if provider == "gcs":
        return {**storage, "type": "gcs", "projectId": read.text((*base, "providerConfig", "gcs", "project"))}
    if provider == "azure":
        account = read.text((*base, "providerConfig", "azure", "account"))
        custom = {"type": "stow", "container": meta, "stow": {"kind": "azure", "config": {"account": account}}}
        inline_storage = read.map((*INLINE, "storage"))
        return {"type": "custom", "custom": tree.deep_merge(custom, inline_storage)}
    if env == "sandbox":
        return {"type": "sandbox", "metadataBucket": meta}
    secret = read.text(("configuration", "inlineSecretRef"))
    auth = read.text((*base, "providerConfig", "s3", "authType"), "iam")
    return {
        **storage,
        "type": "s3",
        "region": read.text((*base, "providerConfig", "s3", "region"), str(defaults.S3["region"])),
        "endpoint": read.text((*base, "providerConfig", "s3", "endpoint")),
        "auth": "accesskey" if secret or auth == "accesskey" else "iam",
        "credentialsSecret": secret,
    }


def _database(read: ValuesReader) -> dict[str, Any]:
    base = ("configuration", "database")
    dbname = read.text((*base, "dbname"), defaults.DATABASE["dbname"])
    ssl_mode = "disable"
    for part in read.text((*base, "options"), defaults.DATABASE["options"]).split():
        if part.startswith("sslmode="):
            ssl_mode = part.split("=", 1)[1]
    database: dict[str, Any] = {
        "host": read.text((*base, "host"), defaults.DATABASE["host"]),
        "port": read.integer((*base, "port"), defaults.DATABASE["port"]),
        "username": read.text((*base, "username"), defaults.DATABASE["username"]),
        "adminDatabase": dbname,
        "datacatalogDatabase": dbname,
        "sslMode": ssl_mode,
    }
    path = read.text((*base, "passwordPath"))
    if path:
        folder, key = posixpath.split(path)
        mounts = read.items(("deployment", "extraVolumeMounts"), []) or []
        volumes = read.items(("deployment", "extraVolumes"), []) or []
        volume = next((m.get("name") for m in mounts if isinstance(m, dict) and m.get("mountPath") == folder), None)
        secret = next(
            (tree.get(v, ("secret", "secretName")) for v in volumes if isinstance(v, dict) and v.get("name") == volume),
            None,
        )
        if isinstance(secret, str) and secret:
            database["passwordSecret"] = {"name": secret, "key": key}
    return database


def _ingress(read: ValuesReader) -> dict[str, Any]:
    if not read.flag(("ingress", "create"), False):
        return {"enabled": False, "controller": "none"}
    common = read.map(("ingress", "commonAnnotations"))
    cls = read.text(("ingress", "ingressClassName")) or str(common.get("kubernetes.io/ingress.class", ""))
    if cls not in ("nginx", "alb", "gce", "contour", "traefik"):
        cls = "alb" if any(str(k).startswith(ALB) for k in common) else "nginx"
    tls = read.items(("ingress", "tls"), []) or []
    first = tls[0] if tls and isinstance(tls[0], dict) else {}
    arn = str(common.get(ALB + "certificate-arn", ""))
    return {
        "enabled": True,
        "controller": cls,
        "host": read.text(("ingress", "host")),
        "separateGrpc": read.flag(("ingress", "separateGrpcIngress"), defaults.SEPARATE_GRPC_INGRESS),
        "tls": {
            "enabled": bool(tls) or bool(arn),
            "secretName": str(first.get("secretName", "")),
            "certificateArn": arn,
        },
    }


def _projects(read: ValuesReader, env: str) -> dict[str, Any]:
    domains = list(defaults.DOMAINS)
    found = read.items((*INLINE, "domains"))
    if found is not None:
        domains = [str(d["id"]) for d in found if isinstance(d, dict) and d.get("id")]
    per_domain: dict[str, dict[str, str]] = {}
    for item in read.items((*INLINE, "cluster_resources", "customData"), []) or []:
        if not isinstance(item, dict):
            continue
        for domain, entries in item.items():
            flat = per_domain.setdefault(str(domain), {})
            for entry in entries if isinstance(entries, list) else []:
                for var, spec in (entry.items() if isinstance(entry, dict) else []):
                    flat[str(var)] = str(spec.get("value", "")) if isinstance(spec, dict) else ""
    quotas = {
        d: {"cpu": v["projectQuotaCpu"], "memory": v["projectQuotaMemory"]}
        for d, v in per_domain.items()
        if d in domains and "projectQuotaCpu" in v and "projectQuotaMemory" in v
    }
    projects: dict[str, Any] = {"domains": domains, "quotas": quotas, "taskRoleArn": "", "taskServiceAccount": ""}
    first = next(iter(per_domain.values()), {})
    for var, answer in _TASK_IDENTITY.items():
        if var in first and (answer == "taskRoleArn") == (env == "eks") and env in ("eks", "gke"):
            projects[answer] = first[var]
    seeds = read.items(("flyte-core-components", "admin", "seedProjects"))
    projects["initialProjects"] = [str(p) for p in seeds] if seeds is not None else list(defaults.SEED_PROJECTS)
    return projects


def answers_from_values(values: dict[str, Any], environment: str | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The answers flyte-binary values imply (without extraValues), and the values' type problems."""
    read = ValuesReader(values)
    provider = read.text(("configuration", "storage", "provider"), defaults.STORAGE["provider"])
    env = environment or _environment(read, provider, read.map(("configuration", "storage", "providerConfig", "s3")))
    annotations = read.map(("serviceAccount", "annotations"))
    resources = read.map(("deployment", "resources"))
    sizing = {
        kind: _quantities(read, resources.get(kind), ("deployment", "resources", kind))
        for kind in ("requests", "limits")
    }
    task = read.map((*INLINE, "task_resources"))
    task_defaults: dict[str, dict[str, str | None]] = {}
    for ours, theirs in (("requests", "defaults"), ("limits", "limits")):
        found = _quantities(read, task.get(theirs), (*INLINE, "task_resources", theirs))
        task_defaults[ours] = {**(found or defaults.TASK_RESOURCES[theirs])}
    for kind in ("requests", "limits"):
        for name in _QUANTITIES:
            task_defaults[kind].setdefault(name, None)  # an explicit null: the preset's does not fill it
    answers = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "target": {
            "namespace": DEFAULT_NAMESPACE,
            "chart": {"repo": DEFAULT_REPO, "name": defaults.CHART, "version": DEFAULT_VERSION},
        },
        "environment": env,
        "storage": _storage(read, env),
        "database": _database(read),
        "identity": {
            "awsRoleArn": str(annotations.get(IRSA_ANNOTATION, "")) if env == "eks" else "",
            "gcpServiceAccount": str(annotations.get(WI_ANNOTATION, "")) if env == "gke" else "",
        },
        "ingress": _ingress(read),
        "resources": {
            "components": {SIZING_KEY: {k: v for k, v in sizing.items() if v}} if any(sizing.values()) else {},
            "taskDefaults": task_defaults,
        },
        "projects": _projects(read, env),
    }
    if images := images_answer(read.values, REPOSITORIES, PULL_SECRETS):
        answers["images"] = images
    return answers, read.problems


def _residual(values: Any, rendered: Any, path: tuple[str, ...], out: dict[str, Any], paths: list[str]) -> None:
    """Put into ``out`` every part of ``values`` that ``rendered`` does not reproduce (chart defaults given
    explicitly count as reproduced)."""
    for key, value in values.items():
        here = (*path, str(key))
        mine = rendered.get(key) if isinstance(rendered, dict) else None
        if isinstance(value, dict) and (isinstance(mine, dict) or mine is None):
            sub: dict[str, Any] = {}
            _residual(value, mine or {}, here, sub, paths)
            if sub:
                out[key] = sub
            continue
        if value == mine or (mine is None and value == tree.get(_CHART_DEFAULTS, here)):
            continue
        if here == _CUSTOM_DATA and _variables(value) <= _variables(mine):
            continue  # the answers keep every variable (and add the quotas flyte-tui requires)
        out[key] = copy.deepcopy(value)
        paths.append(".".join(here))


_CUSTOM_DATA = (*INLINE, "cluster_resources", "customData")


def _variables(custom_data: Any) -> set[tuple[str, str, str]]:
    """(domain, variable, value) of every entry of a customData list."""
    found = set()
    for item in custom_data if isinstance(custom_data, list) else []:
        for domain, entries in (item.items() if isinstance(item, dict) else []):
            for entry in entries if isinstance(entries, list) else []:
                for var, spec in (entry.items() if isinstance(entry, dict) else []):
                    value = spec.get("value") if isinstance(spec, dict) else spec
                    found.add((str(domain), str(var), str(value)))
    return found


_CHART_DEFAULTS: dict[str, Any] = {
    "configuration": {
        "database": {**defaults.DATABASE, "password": "", "passwordPath": ""},
        "storage": {**defaults.STORAGE, "providerConfig": {"s3": defaults.S3}},
        "auth": {
            "enabled": False,
            "oidc": {"baseUrl": "", "clientId": "", "clientSecret": ""},
            "internal": {"clientId": "flytepropeller", "clientSecret": "", "clientSecretHash": ""},
            "authorizedUris": [],
        },
    },
    "ingress": {"create": False, "separateGrpcIngress": defaults.SEPARATE_GRPC_INGRESS},
    "serviceAccount": {"create": True},
    "rbac": {"create": True},
}
"""Values the chart has as defaults: written out in a values file, they need no extraValues."""


_STAND_INS = {
    "metadataBucket": "flyte-tui-stand-in-{n}",
    "userDataBucket": "flyte-tui-stand-in-{n}",
    "region": "us-east-{n}",
    "host": "flyte-tui-stand-in-{n}.invalid",
    "awsRoleArn": "arn:aws:iam::000000000000:role/flyte-tui-stand-in-{n}",
    "taskRoleArn": "arn:aws:iam::000000000000:role/flyte-tui-stand-in-{n}",
    "certificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/flyte-tui-stand-in-{n}",
    "gcpServiceAccount": "flyte-tui-stand-in-{n}@stand-in.iam.gserviceaccount.com",
    "taskServiceAccount": "flyte-tui-stand-in-{n}@stand-in.iam.gserviceaccount.com",
    "projectId": "flyte-tui-stand-in-{n}",
}
"""Valid stand-ins for answers that hold a starter file's ``<PLACEHOLDER>`` (only to find what the answers
render; the answers keep the placeholder, which validation reports)."""


def _with_stand_ins(answers: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers with every placeholder answer replaced by a valid stand-in, and stand-in → placeholder."""
    from flyte_tui.model.rules import find_placeholders

    stood_in = copy.deepcopy(answers)
    back: dict[str, str] = {}
    for n, problem in enumerate(find_placeholders(answers), start=1):
        keys = tuple(problem.path.split("."))
        pattern = _STAND_INS.get(keys[-1])
        value = tree.get(answers, keys)
        if pattern and isinstance(value, str):
            stand_in = pattern.format(n=n)
            tree.put(stood_in, keys, stand_in)
            back[stand_in] = value
    return stood_in, back


def _swap_back(node: Any, back: dict[str, str]) -> Any:
    """``node`` with every stand-in string put back to the placeholder it stands for."""
    if isinstance(node, dict):
        return {k: _swap_back(v, back) for k, v in node.items()}
    if isinstance(node, list):
        return [_swap_back(v, back) for v in node]
    return back.get(node, node) if isinstance(node, str) else node


@values_only
def import_values(
    values: dict[str, Any], environment: str | None = None, release: str | None = None, namespace: str | None = None
) -> ImportResult:
    """Turn a flyte-binary values mapping into answers; keep what is not understood under extraValues."""
    from flyte_tui.charts import validate_answers
    from flyte_tui.charts.flyte_binary.render import render_values

    answers, problems = answers_from_values(values, environment)
    name_target(answers, release, namespace)
    stood_in, back = _with_stand_ins(answers)
    first = validate_answers(stood_in)
    extra: dict[str, Any] = {}
    leftovers: list[str] = []
    # what the answers render (a placeholder rendered where it stands), compared with the values
    rendered = _swap_back(render_values(first.plan), back) if first.plan is not None else {}
    _residual(values, rendered, (), extra, leftovers)
    return finish_import(answers, extra, leftovers, list(problems))
