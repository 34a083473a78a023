"""Which flyte-binary values keys flyte-tui writes: a stale one is removed on re-render, every other key is
kept (a user's own annotation, sidecar, …), whatever its name looks like."""

from __future__ import annotations

from flyte_tui.charts.flyte_binary.render import (
    ALB,
    CONTOUR_H2C,
    INLINE,
    IRSA_ANNOTATION,
    NGINX,
    WI_ANNOTATION,
)
from flyte_tui.charts.flyte_binary.render_auth import OWNED as AUTH_OWNED
from flyte_tui.charts.flyte_binary.render_images import OWNED_PATHS as OWNED_IMAGES
from flyte_tui.charts.flyte_binary.render_plugins import OWNED as PLUGINS_OWNED

_OWNED_DOTTED = (
    "configuration.storage.provider",
    "configuration.storage.metadataContainer",
    "configuration.storage.userDataContainer",
    "configuration.storage.providerConfig.s3.region",
    "configuration.storage.providerConfig.s3.endpoint",
    "configuration.storage.providerConfig.s3.disableSSL",
    "configuration.storage.providerConfig.s3.authType",
    "configuration.storage.providerConfig.s3.accessKey",
    "configuration.storage.providerConfig.s3.secretKey",
    "configuration.storage.providerConfig.gcs.project",
    "configuration.storage.providerConfig.azure.account",
    "configuration.inlineSecretRef",
    "configuration.database.username",
    "configuration.database.host",
    "configuration.database.port",
    "configuration.database.dbname",
    "configuration.database.options",
    "configuration.database.passwordPath",
    "deployment.extraVolumes",
    "deployment.extraVolumeMounts",
    "deployment.resources.requests",
    "deployment.resources.limits",
    "ingress.create",
    "ingress.ingressClassName",
    "ingress.separateGrpcIngress",
    "ingress.host",
    "ingress.tls",
    "clusterResourceTemplates.inline",
    "flyte-core-components.admin.seedProjects",
    "flyte-core-components.admin.seedProjectsWithDetails",
)
_INLINE_OWNED = (
    "storage",
    "plugins.k8s.default-env-vars",
    "task_resources",
    "domains",
    "cluster_resources.customData",
)
_COMMON = (
    NGINX + "ssl-redirect",
    *(ALB + n for n in ("scheme", "target-type", "group.name", "listen-ports", "certificate-arn", "ssl-redirect")),
    "kubernetes.io/ingress.class",
)

OWNED_PATHS: frozenset[tuple[str, ...]] = frozenset(
    (
        *(tuple(dotted.split(".")) for dotted in _OWNED_DOTTED),
        *PLUGINS_OWNED,
        *((*INLINE, *dotted.split(".")) for dotted in _INLINE_OWNED),
        *(("ingress", "commonAnnotations", key) for key in _COMMON),
        ("ingress", "httpAnnotations", NGINX + "app-root"),
        ("ingress", "grpcAnnotations", NGINX + "backend-protocol"),
        ("ingress", "grpcAnnotations", ALB + "backend-protocol-version"),
        ("service", "httpAnnotations", CONTOUR_H2C),
        ("service", "grpcAnnotations", CONTOUR_H2C),
        ("serviceAccount", "annotations", IRSA_ANNOTATION),
        ("serviceAccount", "annotations", WI_ANNOTATION),
        *OWNED_IMAGES,
        *AUTH_OWNED,
    )
)
"""Exactly the values paths flyte-tui writes for flyte-binary."""


def is_owned(path: tuple[str, ...]) -> bool:
    """Whether flyte-tui manages the flyte-binary values key at ``path`` (so a stale one may be removed)."""
    return tuple(path) in OWNED_PATHS
