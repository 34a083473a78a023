"""InstallPlan → flyte-binary values: only what differs from the chart's defaults.

One Deployment, one ServiceAccount, one database: ``configuration.database`` with the password read from
the answers' Secret (mounted through ``deployment.extraVolumes``, referenced by ``passwordPath``; never a
password in values); ``configuration.storage`` per provider with its ``providerConfig`` (S3 keys stay in the
installer's Secret, projected into the config directory by ``configuration.inlineSecretRef``); IRSA or
Workload Identity on ``serviceAccount.annotations``; ``ingress.*`` per controller with the separate gRPC
Ingress; ``deployment.resources``; task defaults, domains and quota data in ``configuration.inline`` and the
namespace templates in ``clusterResourceTemplates.inline`` (which replaces the chart's default template).
"""

from __future__ import annotations

import copy
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_binary import defaults
from flyte_tui.charts.flyte_binary.components import SIZING_KEY, fullname
from flyte_tui.charts.flyte_binary.render_auth import auth_values
from flyte_tui.charts.flyte_binary.render_images import image_values
from flyte_tui.charts.flyte_binary.render_plugins import plugin_values, spark_cluster_templates
from flyte_tui.charts.render_shared import ALB as ALB
from flyte_tui.charts.render_shared import IRSA_ANNOTATION as IRSA_ANNOTATION
from flyte_tui.charts.render_shared import NGINX as NGINX
from flyte_tui.charts.render_shared import WI_ANNOTATION as WI_ANNOTATION
from flyte_tui.charts.render_shared import alb_annotations, domain_variables, put_parts, task_identity
from flyte_tui.model.plan import InstallPlan, ResourceList
from flyte_tui.model.plugins import wants_spark

DB_MOUNT = "/etc/db"
"""Where the database password Secret is mounted in the Deployment."""
DB_VOLUME = "db-password"
"""The name of that volume (in ``deployment.extraVolumes``)."""

CONTOUR_H2C = "projectcontour.io/upstream-protocol.h2c"

INLINE = ("configuration", "inline")
"""Where flyte-binary takes any flyte configuration (``100-inline-config.yaml``, merged last)."""


def render_values(plan: InstallPlan) -> dict[str, Any]:
    """The flyte-binary values for a plan, as plain ordered dicts (``extraValues`` merged last)."""
    parts = (_put_storage, _put_database, _put_identity, _put_ingress, _put_resources, _put_projects)
    values = tree.deep_merge(put_parts(plan, parts), plugin_values(plan))
    values = tree.deep_merge(values, auth_values(plan, fullname(plan.target.release)))
    return image_values(_merge_extra(values, plan.extra_values), plan)


def _merge_extra(values: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extraValues`` merged last; the user's own extra volumes and mounts are kept beside the password's."""
    merged = tree.deep_merge(values, extra)
    for key in ("extraVolumes", "extraVolumeMounts"):
        ours = tree.get(values, ("deployment", key))
        theirs = tree.get(extra, ("deployment", key))
        if isinstance(ours, list) and isinstance(theirs, list):
            kept = [v for v in theirs if not (isinstance(v, dict) and v.get("name") == DB_VOLUME)]
            tree.put(merged, ("deployment", key), [*ours, *copy.deepcopy(kept)])
    return merged


# -- storage -----------------------------------------------------------------------------------


def _custom_provider(custom: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(provider, its stow config) of a raw flytestdlib storage block."""
    found = custom.get("stow")
    stow: dict[str, Any] = found if isinstance(found, dict) else {}
    found = stow.get("config")
    config: dict[str, Any] = found if isinstance(found, dict) else {}
    provider = {"google": "gcs", "azure": "azure"}.get(str(stow.get("kind", "")), "s3")
    return provider, config


def storage_block(plan: InstallPlan) -> dict[str, Any]:
    """The ``configuration.storage`` block for the plan's storage type."""
    s = plan.storage
    block: dict[str, Any] = {}
    s3: dict[str, Any] = {}
    provider = "s3"
    if s.type == "gcs":
        provider = "gcs"
        block["providerConfig"] = {"gcs": {"project": s.project_id}}
    elif s.type == "sandbox":
        # the sandbox's minio in the release namespace, with its well-known default keys (as flyte-core's
        # sandbox storage type has them)
        s3 = {
            "endpoint": f"http://minio.{plan.target.namespace}.svc.cluster.local:9000",
            "disableSSL": True,
            "authType": "accesskey",
            "accessKey": "minio",
            "secretKey": "miniostorage",
        }
    elif s.type == "s3":
        if s.region and s.region != defaults.S3["region"]:
            s3["region"] = s.region
        if s.endpoint:
            s3["endpoint"] = s.endpoint
            if s.endpoint.startswith("http://"):
                s3["disableSSL"] = True
        # accesskey: the keys come from the installer's Secret (projected by configuration.inlineSecretRef);
        # the generated 003-storage.yaml keeps auth_type iam so the chart asks for no keys in values
    elif s.type == "custom":
        provider, config = _custom_provider(s.custom)
        if provider == "gcs":
            block["providerConfig"] = {"gcs": {"project": str(config.get("project_id", ""))}}
        elif provider == "azure":
            block["providerConfig"] = {"azure": {"account": str(config.get("account", ""))}}
    if s3:
        block.setdefault("providerConfig", {})["s3"] = s3
    if provider != defaults.STORAGE["provider"]:
        block["provider"] = provider
    meta = s.metadata_bucket or (str(s.custom.get("container", "")) if s.type == "custom" else "")
    raw = s.user_data_bucket or meta
    if meta and meta != defaults.STORAGE["metadataContainer"]:
        block["metadataContainer"] = meta
    if raw and raw != defaults.STORAGE["userDataContainer"]:
        block["userDataContainer"] = raw
    return block


def _put_storage(values: dict[str, Any], plan: InstallPlan) -> None:
    block = storage_block(plan)
    if block:
        tree.put(values, ("configuration", "storage"), block)
    s = plan.storage
    if s.type == "s3" and s.auth == "accesskey" and s.credentials_secret:
        tree.put(values, ("configuration", "inlineSecretRef"), s.credentials_secret)
    elif s.type == "custom":
        tree.put(values, (*INLINE, "storage"), copy.deepcopy(s.custom))
    if s.type == "sandbox":
        minio = f"http://minio.{plan.target.namespace}.svc.cluster.local:9000"
        tree.put(
            values,
            (*INLINE, "plugins", "k8s", "default-env-vars"),
            [
                {"FLYTE_AWS_ENDPOINT": minio},
                {"FLYTE_AWS_ACCESS_KEY_ID": "minio"},
                {"FLYTE_AWS_SECRET_ACCESS_KEY": "miniostorage"},
            ],
        )


# -- database ----------------------------------------------------------------------------------


def _put_database(values: dict[str, Any], plan: InstallPlan) -> None:
    db = plan.database
    wanted: dict[str, Any] = {
        "username": db.username,
        "host": db.host,
        "port": db.port,
        "dbname": db.admin_database,
        "options": f"sslmode={db.ssl_mode}",
    }
    block = {k: v for k, v in wanted.items() if v != defaults.DATABASE[k]}
    ref = db.password_secret
    if ref is not None:
        block["passwordPath"] = f"{DB_MOUNT}/{ref.key}"
        deployment = values.setdefault("deployment", {})
        deployment["extraVolumes"] = [{"name": DB_VOLUME, "secret": {"secretName": ref.name}}]
        deployment["extraVolumeMounts"] = [{"name": DB_VOLUME, "mountPath": DB_MOUNT, "readOnly": True}]
    if block:
        tree.put(values, ("configuration", "database"), block)


# -- identity ----------------------------------------------------------------------------------


def _put_identity(values: dict[str, Any], plan: InstallPlan) -> None:
    if plan.environment == "eks" and plan.identity.aws_role_arn:
        tree.put(values, ("serviceAccount", "annotations"), {IRSA_ANNOTATION: plan.identity.aws_role_arn})
    elif plan.environment == "gke" and plan.identity.gcp_service_account:
        tree.put(values, ("serviceAccount", "annotations"), {WI_ANNOTATION: plan.identity.gcp_service_account})


# -- ingress -----------------------------------------------------------------------------------


def ingress_annotations(plan: InstallPlan) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The annotations (on both Ingresses, the HTTP one, the gRPC one) the plan's controller needs (the chart
    adds none of its own)."""
    ing = plan.ingress
    common: dict[str, str] = {}
    http: dict[str, str] = {}
    grpc: dict[str, str] = {}
    if ing.controller == "nginx":
        http[NGINX + "app-root"] = "/console"
        grpc[NGINX + "backend-protocol"] = "GRPC"
        if ing.tls.enabled:
            common[NGINX + "ssl-redirect"] = "true"
    elif ing.controller == "alb":
        common.update(alb_annotations(plan))
        if ing.tls.enabled:
            common[ALB + "ssl-redirect"] = "443"
        grpc[ALB + "backend-protocol-version"] = "GRPC"
    elif ing.controller == "gce":
        common["kubernetes.io/ingress.class"] = "gce"
    return common, http, grpc


def _put_ingress(values: dict[str, Any], plan: InstallPlan) -> None:
    ing = plan.ingress
    if not ing.enabled or ing.controller == "none":
        return  # the chart's default: no Ingress
    block: dict[str, Any] = {"create": True}
    if ing.controller != "gce":  # GKE's controller is chosen by annotation, not by class name
        block["ingressClassName"] = ing.controller
    if ing.separate_grpc != defaults.SEPARATE_GRPC_INGRESS:
        block["separateGrpcIngress"] = ing.separate_grpc
    if ing.host:
        block["host"] = ing.host
    common, http, grpc = ingress_annotations(plan)
    if not ing.separate_grpc:
        # one Ingress carries both: the gRPC-only annotations would break the HTTP routes
        grpc = {}
    for key, found in (("commonAnnotations", common), ("httpAnnotations", http), ("grpcAnnotations", grpc)):
        if found:
            block[key] = found
    if ing.tls.enabled and ing.controller != "alb":  # alb terminates TLS with the ACM certificate
        tls: dict[str, Any] = {"secretName": ing.tls.secret_name or f"{plan.target.release}-flyte-tls"}
        if ing.host:
            tls["hosts"] = [ing.host]
        block["tls"] = [tls]
    values["ingress"] = block
    if ing.controller == "contour":
        # contour speaks h2c to the gRPC port only when the Service says so (its port name)
        service_key = "grpcAnnotations" if ing.separate_grpc else "httpAnnotations"
        tree.put(values, ("service", service_key), {CONTOUR_H2C: "grpc"})


# -- resources ---------------------------------------------------------------------------------


TASK_RESOURCE_KEYS = {"ephemeral-storage": "ephemeralStorage"}
"""Answers' resource names that flyteadmin's task_resources spells differently."""


def _resource_map(resources: ResourceList | None) -> dict[str, str]:
    return resources.items() if resources is not None else {}


def _put_resources(values: dict[str, Any], plan: InstallPlan) -> None:
    comp = plan.resources.components.get(SIZING_KEY)
    if comp is not None:
        for kind in ("requests", "limits"):
            wanted = _resource_map(getattr(comp, kind))
            if wanted:  # the chart sets no resources of its own
                tree.put(values, ("deployment", "resources", kind), wanted)
    td = plan.resources.task_defaults
    task: dict[str, Any] = {}
    for ours, theirs in (("requests", "defaults"), ("limits", "limits")):
        wanted = {TASK_RESOURCE_KEYS.get(k, k): v for k, v in _resource_map(getattr(td, ours)).items()}
        if wanted != defaults.TASK_RESOURCES[theirs]:
            task[theirs] = wanted
    if task:
        tree.put(values, (*INLINE, "task_resources"), task)


# -- projects ----------------------------------------------------------------------------------


def _task_identity(plan: InstallPlan) -> tuple[str, str, str] | None:
    """(customData variable, annotation, value) giving task pods a cloud identity."""
    return task_identity(plan, gcp_variable="defaultIamServiceAccount")


def cluster_resource_templates(plan: InstallPlan, quotas: bool) -> dict[str, str]:
    """``clusterResourceTemplates.inline``: file name → template. It replaces the chart's default namespace
    template, so that one comes first."""
    templates = {"001_namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '{{ namespace }}'\n"}
    identity = _task_identity(plan)
    if identity:
        var, annotation, _ = identity
        templates["002_serviceaccount.yaml"] = (
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n"
            f"  namespace: '{{{{ namespace }}}}'\n  annotations:\n    {annotation}: '{{{{ {var} }}}}'\n"
        )
    if quotas:
        templates["003_resourcequota.yaml"] = (
            "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: project-quota\n"
            "  namespace: '{{ namespace }}'\nspec:\n  hard:\n"
            "    limits.cpu: '{{ projectQuotaCpu }}'\n    limits.memory: '{{ projectQuotaMemory }}'\n"
        )
    return {**templates, **spark_cluster_templates(plan, identity)}


def _put_projects(values: dict[str, Any], plan: InstallPlan) -> None:
    proj = plan.projects
    if proj.domains != defaults.DOMAINS:
        tree.put(values, (*INLINE, "domains"), [{"id": d, "name": d} for d in proj.domains])
    identity = _task_identity(plan)
    custom_data = [{domain: entries} for domain, entries in domain_variables(plan, identity).items() if entries]
    if custom_data:  # the chart's default has none
        tree.put(values, (*INLINE, "cluster_resources", "customData"), custom_data)
    if identity or proj.quotas or wants_spark(plan):
        tree.put(values, ("clusterResourceTemplates", "inline"), cluster_resource_templates(plan, bool(proj.quotas)))
    if proj.initial_projects != defaults.SEED_PROJECTS:
        admin = ("flyte-core-components", "admin")
        tree.put(values, (*admin, "seedProjects"), list(proj.initial_projects))
        # the chart's second list seeds flytesnacks too: it holds the same projects (Helm replaces lists)
        tree.put(
            values,
            (*admin, "seedProjectsWithDetails"),
            [{"name": p, "description": f"{p} (created by flyte-tui)"} for p in proj.initial_projects],
        )
