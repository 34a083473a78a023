"""Which flyte-core values keys flyte-tui writes: a stale one is removed on re-render, every other key is
kept (a user's own annotation, another component's replicas …), whatever its name looks like."""

from __future__ import annotations

from flyte_tui.charts.flyte_core import defaults, render_images
from flyte_tui.charts.flyte_core.components import SIZABLE_KEYS, STORAGE_USERS
from flyte_tui.charts.flyte_core.render import ALB, IRSA_ANNOTATION, NGINX, WI_ANNOTATION
from flyte_tui.charts.flyte_core.render_plugins import OWNED as PLUGINS_OWNED

_OWNED_DOTTED = (
    "storage.type",
    "storage.bucketName",
    "storage.s3",
    "storage.gcs",
    "storage.custom",
    "storage.secretName",
    "db.admin.database",
    "db.datacatalog.database",
    "common.databaseSecret.name",
    "common.ingress.enabled",
    "common.ingress.ingressClassName",
    "common.ingress.host",
    "common.ingress.separateGrpcIngress",
    "common.ingress.albSSLRedirect",
    "common.ingress.tls",
    "configmap.task_resource_defaults.task_resources",
    "configmap.domain.domains",
    "configmap.core.propeller.rawoutput-prefix",
    "configmap.core.propeller.leader-election.lock-config-map.namespace",
    "configmap.remoteData.remoteData.scheme",
    "configmap.remoteData.remoteData.region",
    "configmap.adminServer.auth.authorizedUris",
    "configmap.k8s.plugins.k8s.default-env-vars",
    "cluster_resource_manager.config.cluster_resources.customData",
    "cluster_resource_manager.templates",
    "flyteadmin.initialProjects",
    "workflow_scheduler.enabled",
    "workflow_scheduler.type",
    "flyteconnector.plugin_config.plugins.connector-service.defaultConnector.endpoint",
    # dataPlanes (render_clusters): removed again when the data planes are
    "configmap.clusters",
    "flyteadmin.additionalVolumes",
    "flyteadmin.additionalVolumeMounts",
    "flytepropeller.enabled",
)
_MAIN_ANNOTATIONS = (
    *defaults.INGRESS_ANNOTATIONS,
    NGINX + "ssl-redirect",
    *(
        ALB + name
        for name in ("scheme", "target-type", "group.name", "listen-ports", "certificate-arn", "actions.ssl-redirect")
    ),
    "kubernetes.io/ingress.class",
)
_GRPC_ANNOTATIONS = (*defaults.GRPC_INGRESS_ANNOTATIONS, ALB + "backend-protocol-version")

OWNED_PATHS: frozenset[tuple[str, ...]] = frozenset(
    (
        *(tuple(dotted.split(".")) for dotted in _OWNED_DOTTED),
        *PLUGINS_OWNED,
        *(("common", "ingress", "annotations", key) for key in _MAIN_ANNOTATIONS),
        *(("common", "ingress", "separateGrpcIngressAnnotations", key) for key in _GRPC_ANNOTATIONS),
        ("flyteadmin", "service", "annotations", "projectcontour.io/upstream-protocol.h2c"),
        *(
            (c.values_key, "serviceAccount", "annotations", key)
            for c in STORAGE_USERS
            for key in (IRSA_ANNOTATION, WI_ANNOTATION)
        ),
        *((key, "replicaCount") for key in SIZABLE_KEYS),
        *((key, "resources", kind) for key in SIZABLE_KEYS for kind in ("requests", "limits")),
        *render_images.OWNED_PATHS,
    )
)
"""Exactly the values paths flyte-tui writes: a stale one is removed on re-render, every other key is
kept (a user's own annotation, another component's replicas …), whatever its name looks like."""


def is_owned(path: tuple[str, ...]) -> bool:
    """Whether flyte-tui manages the values key at ``path`` (so a stale one may be removed)."""
    return tuple(path) in OWNED_PATHS
