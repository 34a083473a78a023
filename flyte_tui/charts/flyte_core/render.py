"""InstallPlan → flyte-core values: only what differs from the chart defaults, consistent across keys.

What FLYTE-CHART.md warns about is handled here: storage.yaml per type with the matching
``rawoutput-prefix`` and ``remoteData``; ``common.databaseSecret`` + ``passwordPath`` for both
databases; cloud IAM on the control-plane ServiceAccounts and the per-namespace default-SA template
for task pods; ingress annotations per controller (inherited nginx ones removed with ``null``); lists
replaced wholesale (domains ↔ customData); the hard-coded ``flyte`` namespace keys rewritten; never
``createClusterRole``/``clusterRole``. Secrets are only referenced, never written.
"""

from __future__ import annotations

import copy
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_core import defaults
from flyte_tui.charts.flyte_core.components import STORAGE_USERS
from flyte_tui.charts.flyte_core.render_auth import auth_values
from flyte_tui.charts.flyte_core.render_clusters import control_plane_values, data_plane_overlay
from flyte_tui.charts.flyte_core.render_images import image_values
from flyte_tui.charts.flyte_core.render_plugins import plugin_values, spark_cluster_templates
from flyte_tui.charts.flyte_deps import chart as deps
from flyte_tui.charts.render_shared import ALB as ALB
from flyte_tui.charts.render_shared import IRSA_ANNOTATION as IRSA_ANNOTATION
from flyte_tui.charts.render_shared import NGINX as NGINX
from flyte_tui.charts.render_shared import WI_ANNOTATION as WI_ANNOTATION
from flyte_tui.charts.render_shared import alb_annotations, domain_variables, put_parts, task_identity
from flyte_tui.model.plan import DataPlane, InstallPlan, ResourceList
from flyte_tui.model.plugins import wants_spark

DB_MOUNT = "/etc/db"
"""Where the chart mounts ``common.databaseSecret`` in every pod that reads the database."""


def render_values(plan: InstallPlan, data_plane: DataPlane | None = None) -> dict[str, Any]:
    """The flyte-core values for a plan, as plain ordered dicts (``extraValues`` merged last): the control
    plane's, or with ``data_plane`` that data plane's (:mod:`~flyte_tui.charts.flyte_core.render_clusters`)."""
    values = put_parts(
        plan,
        (_put_storage, _put_database, _put_identity, _put_ingress, _put_resources, _put_projects, _put_namespace_keys),
    )
    values.setdefault("workflow_scheduler", {}).update({"enabled": True, "type": "native"})
    values = tree.deep_merge(values, auth_values(plan))
    values = tree.deep_merge(values, plugin_values(plan))
    if data_plane is None:
        values = tree.deep_merge(values, control_plane_values(plan))
    else:
        values = data_plane_overlay(plan, data_plane, values)
    return image_values(tree.deep_merge(values, plan.extra_values), plan)


# -- storage -----------------------------------------------------------------------------------


def storage_block(plan: InstallPlan) -> dict[str, Any]:
    """The ``storage:`` values block for the plan's storage type."""
    s = plan.storage
    block: dict[str, Any] = {}
    if s.type != defaults.STORAGE["type"]:
        block["type"] = s.type
    bucket = s.metadata_bucket or (s.custom.get("container", "") if s.type == "custom" else "")
    if plan.dependencies.storage:
        bucket = deps.BUCKET  # the one bucket the bundled minio creates (validation refuses another)
    if bucket and bucket != defaults.STORAGE["bucketName"]:
        block["bucketName"] = bucket
    if s.type == "s3":
        s3: dict[str, Any] = {}
        if s.region and s.region != defaults.STORAGE["region"]:
            s3["region"] = s.region
        if s.endpoint:
            s3["endpoint"] = s.endpoint
        if s.auth != defaults.STORAGE["authType"]:
            s3["authType"] = s.auth
        if s3:
            block["s3"] = s3
        if s.auth == "accesskey":
            # Keys never sit in a ConfigMap: the whole storage config comes from this Secret.
            block["secretName"] = s.credentials_secret
    elif s.type == "gcs":
        block["gcs"] = {"projectId": s.project_id}
    elif s.type == "custom":
        block["custom"] = copy.deepcopy(s.custom)
    return block


def _raw_output_scheme(plan: InstallPlan) -> str:
    s = plan.storage
    if s.type == "gcs":
        return "gs"
    if s.type == "custom":
        kind = str(s.custom.get("stow", {}).get("kind", "")) if isinstance(s.custom.get("stow"), dict) else ""
        return {"google": "gs", "azure": "abfs"}.get(kind, "s3")
    return "s3"


def _put_storage(values: dict[str, Any], plan: InstallPlan) -> None:
    block = storage_block(plan)
    if block:
        values["storage"] = block
    s = plan.storage
    raw_bucket = (
        s.user_data_bucket or s.metadata_bucket or (str(s.custom.get("container", "")) if s.type == "custom" else "")
    )
    scheme = _raw_output_scheme(plan)
    # The chart's default is s3://<bucketName>/; write it out whenever that would be wrong.
    if raw_bucket and (scheme != "s3" or raw_bucket != (s.metadata_bucket or defaults.STORAGE["bucketName"])):
        tree.put(values, ("configmap", "core", "propeller", "rawoutput-prefix"), f"{scheme}://{raw_bucket}/")
    if s.type == "gcs":
        tree.put(values, ("configmap", "remoteData", "remoteData", "scheme"), "gcs")
    elif s.type == "s3" and s.region and s.region != defaults.REMOTE_DATA_REGION:
        tree.put(values, ("configmap", "remoteData", "remoteData", "region"), s.region)
    if s.type == "sandbox":
        # flyte-core's sandbox storage reads minio at minio.<namespace> with the sandbox's fixed keys (those
        # of flyte-deps' minio, bundled or already there); task pods get the same through their environment
        tree.put(
            values,
            ("configmap", "k8s", "plugins", "k8s", "default-env-vars"),
            [
                {"FLYTE_AWS_ENDPOINT": deps.minio_endpoint(plan.target.namespace)},
                {"FLYTE_AWS_ACCESS_KEY_ID": deps.MINIO_ACCESS_KEY},
                {"FLYTE_AWS_SECRET_ACCESS_KEY": deps.MINIO_SECRET_KEY},
            ],
        )


# -- database ----------------------------------------------------------------------------------


def database_address(plan: InstallPlan) -> tuple[str, int, str]:
    """(host, port, user) flyteadmin and datacatalog connect with: the bundled PostgreSQL's Service, port and
    user when the plan bundles it (``dependencies.database``), else the answers'."""
    if plan.dependencies.database:
        return deps.POSTGRES.name, deps.POSTGRES_PORT, deps.POSTGRES_USER
    db = plan.database
    return db.host, db.port, db.username


def _put_database(values: dict[str, Any], plan: InstallPlan) -> None:
    db = plan.database
    host, port, user = database_address(plan)
    for component, dbname in (("admin", db.admin_database), ("datacatalog", db.datacatalog_database)):
        block: dict[str, Any] = {"port": port, "username": user, "host": host, "dbname": dbname}
        if db.password_secret is not None:
            block["passwordPath"] = f"{DB_MOUNT}/{db.password_secret.key}"
        if db.ssl_mode != "disable" or block != defaults.DB[component]:
            block["options"] = f"sslmode={db.ssl_mode}"
        if block != defaults.DB[component]:
            tree.put(values, ("db", component, "database"), block)
    if db.password_secret is not None:
        tree.put(values, ("common", "databaseSecret", "name"), db.password_secret.name)


# -- identity ----------------------------------------------------------------------------------


def _put_identity(values: dict[str, Any], plan: InstallPlan) -> None:
    annotation = _sa_annotation(plan)
    if annotation is None:
        return
    key, value = annotation
    for component in STORAGE_USERS:
        tree.put(values, (component.values_key, "serviceAccount", "annotations"), {key: value})


def _sa_annotation(plan: InstallPlan) -> tuple[str, str] | None:
    if plan.environment == "eks" and plan.identity.aws_role_arn:
        return IRSA_ANNOTATION, plan.identity.aws_role_arn
    if plan.environment == "gke" and plan.identity.gcp_service_account:
        return WI_ANNOTATION, plan.identity.gcp_service_account
    return None


# -- ingress -----------------------------------------------------------------------------------


def ingress_annotations(plan: InstallPlan) -> tuple[dict[str, Any], dict[str, Any]]:
    """The annotations (main Ingress, gRPC-only additions) the plan's controller needs.

    A value of ``None`` removes an annotation the chart adds by default (Helm's null-removal).
    """
    ing = plan.ingress
    main: dict[str, Any] = {}
    grpc: dict[str, Any] = {}
    drop_nginx = {k: None for k in defaults.INGRESS_ANNOTATIONS}
    drop_nginx_grpc = {k: None for k in defaults.GRPC_INGRESS_ANNOTATIONS}
    if ing.controller == "nginx":
        if ing.tls.enabled:
            main[NGINX + "ssl-redirect"] = "true"
    elif ing.controller == "alb":
        main.update(drop_nginx)
        main.update(alb_annotations(plan))
        if ing.tls.enabled:
            main[ALB + "actions.ssl-redirect"] = (
                '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}'
            )
        grpc.update(drop_nginx_grpc)
        grpc[ALB + "backend-protocol-version"] = "GRPC"
    elif ing.controller == "gce":
        main.update(drop_nginx)
        main["kubernetes.io/ingress.class"] = "gce"
        grpc.update(drop_nginx_grpc)
    elif ing.controller in ("contour", "traefik"):
        main.update(drop_nginx)
        grpc.update(drop_nginx_grpc)
    return main, grpc


def _put_ingress(values: dict[str, Any], plan: InstallPlan) -> None:
    ing = plan.ingress
    if not ing.enabled or ing.controller == "none":
        tree.put(values, ("common", "ingress", "enabled"), False)
        return
    block: dict[str, Any] = {}
    if ing.controller != "gce":  # GKE's controller is chosen by annotation, not by class name
        block["ingressClassName"] = ing.controller
    if ing.separate_grpc:
        block["separateGrpcIngress"] = True
    if ing.host:
        block["host"] = ing.host
    main, grpc = ingress_annotations(plan)
    if main:
        block["annotations"] = main
    if grpc and ing.separate_grpc:
        block["separateGrpcIngressAnnotations"] = grpc
    if ing.controller == "alb" and ing.tls.enabled:
        block["albSSLRedirect"] = True
    if ing.tls.enabled:
        tls: dict[str, Any] = {"enabled": True}
        if ing.tls.secret_name:
            tls["secretName"] = ing.tls.secret_name
        block["tls"] = tls
    values.setdefault("common", {})["ingress"] = block
    if ing.controller == "contour":
        tree.put(values, ("flyteadmin", "service", "annotations"), {"projectcontour.io/upstream-protocol.h2c": "81"})


# -- resources ---------------------------------------------------------------------------------


TASK_RESOURCE_KEYS = {"ephemeral-storage": "ephemeralStorage"}
"""Answers' resource names that flyteadmin's task_resource_defaults spells differently (its TaskResourceSet
has cpu, gpu, memory, storage and ephemeralStorage)."""


def _resource_map(resources: ResourceList | None) -> dict[str, str]:
    return resources.items() if resources is not None else {}


def _put_resources(values: dict[str, Any], plan: InstallPlan) -> None:
    for key, comp in plan.resources.components.items():
        if comp.replicas is not None and comp.replicas != defaults.REPLICAS:
            tree.put(values, (key, "replicaCount"), comp.replicas)
        chart = defaults.COMPONENT_RESOURCES.get(key, {})
        for kind in ("requests", "limits"):
            wanted = _resource_map(getattr(comp, kind))
            changed = {k: v for k, v in wanted.items() if str(chart.get(kind, {}).get(k)) != v}
            if changed:
                tree.put(values, (key, "resources", kind), changed)
    td = plan.resources.task_defaults
    task: dict[str, Any] = {}
    for ours, theirs in (("requests", "defaults"), ("limits", "limits")):
        wanted = {TASK_RESOURCE_KEYS.get(k, k): v for k, v in _resource_map(getattr(td, ours)).items()}
        chart_task = {k: str(v) for k, v in defaults.TASK_RESOURCES[theirs].items()}
        if wanted != chart_task:
            task[theirs] = wanted
    if task:
        tree.put(values, ("configmap", "task_resource_defaults", "task_resources"), task)


# -- projects ----------------------------------------------------------------------------------


def _task_identity(plan: InstallPlan) -> tuple[str, str, str] | None:
    """(customData variable, annotation, value) giving task pods a cloud identity."""
    return task_identity(plan, gcp_variable="gsa")


def cluster_resource_templates(plan: InstallPlan) -> list[dict[str, str]]:
    """The cluster-resource templates (the whole list: Helm replaces lists, it never merges them)."""
    templates = [
        {
            "key": "aa_namespace",
            "value": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ namespace }}\n"
            "spec:\n  finalizers:\n  - kubernetes\n",
        }
    ]
    identity = _task_identity(plan)
    if identity:
        var, annotation, _ = identity
        templates.append(
            {
                "key": "aab_default_service_account",
                "value": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n"
                f"  namespace: {{{{ namespace }}}}\n  annotations:\n    {annotation}: {{{{ {var} }}}}\n",
            }
        )
    templates.append(
        {
            "key": "ab_project_resource_quota",
            "value": "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: project-quota\n"
            "  namespace: {{ namespace }}\nspec:\n  hard:\n"
            "    limits.cpu: {{ projectQuotaCpu }}\n    limits.memory: {{ projectQuotaMemory }}\n",
        }
    )
    return templates + spark_cluster_templates(plan, identity)


def _put_projects(values: dict[str, Any], plan: InstallPlan) -> None:
    proj = plan.projects
    if proj.domains != defaults.DOMAINS:
        tree.put(values, ("configmap", "domain", "domains"), [{"id": d, "name": d} for d in proj.domains])
    identity = _task_identity(plan)
    custom_data = [{domain: entries} for domain, entries in domain_variables(plan, identity).items()]
    default_data = [
        {d: [{"projectQuotaCpu": {"value": c}}, {"projectQuotaMemory": {"value": m}}]}
        for d, (c, m) in defaults.QUOTAS.items()
    ]
    if _by_domain(custom_data) != _by_domain(default_data):
        tree.put(values, ("cluster_resource_manager", "config", "cluster_resources", "customData"), custom_data)
    if identity or wants_spark(plan):
        tree.put(values, ("cluster_resource_manager", "templates"), cluster_resource_templates(plan))
    if proj.initial_projects != defaults.INITIAL_PROJECTS:
        tree.put(values, ("flyteadmin", "initialProjects"), list(proj.initial_projects))


def _by_domain(data: list[dict[str, Any]]) -> dict[str, Any]:
    return {k: v for item in data for k, v in item.items()}


# -- namespace -----------------------------------------------------------------------------------


def _put_namespace_keys(values: dict[str, Any], plan: InstallPlan) -> None:
    ns = plan.target.namespace
    uris = defaults.authorized_uris(ns)
    if plan.ingress.enabled and plan.ingress.controller != "none" and plan.ingress.host:
        scheme = "https" if plan.ingress.tls.enabled else "http"
        uris.insert(0, f"{scheme}://{plan.ingress.host}")
    if uris != defaults.authorized_uris(defaults.NAMESPACE):
        tree.put(values, ("configmap", "adminServer", "auth", "authorizedUris"), uris)
    if ns != defaults.NAMESPACE:
        tree.put(values, ("configmap", "core", "propeller", "leader-election", "lock-config-map", "namespace"), ns)
        tree.put(
            values,
            ("flyteconnector", "plugin_config", "plugins", "connector-service", "defaultConnector", "endpoint"),
            f"k8s://flyteconnector.{ns}:8000",
        )
