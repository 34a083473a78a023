"""The few flyte-core (v1.16.x) defaults that rendering compares against, so the values file holds
only what differs. Facts from the chart's values.yaml, restated; keep this table small."""

from __future__ import annotations

from typing import Any

_BACKEND_SIZES = {
    "flyteadmin": ("10m", "50Mi", "250m", "500Mi"),
    "flytescheduler": ("10m", "50Mi", "250m", "500Mi"),
    "datacatalog": ("10m", "50Mi", "500m", "500Mi"),
    "flytepropeller": ("10m", "100Mi", "200m", "200Mi"),
}
"""The Go components' cpu and memory (requests, then limits); each requests 50Mi of ephemeral storage and is
limited to 100Mi."""

COMPONENT_RESOURCES: dict[str, dict[str, dict[str, str]]] = {
    **{
        key: {
            "requests": {"cpu": cpu, "memory": memory, "ephemeral-storage": "50Mi"},
            "limits": {"cpu": cpu_limit, "memory": memory_limit, "ephemeral-storage": "100Mi"},
        }
        for key, (cpu, memory, cpu_limit, memory_limit) in _BACKEND_SIZES.items()
    },
    "flyteconsole": {"requests": {"cpu": "10m", "memory": "50Mi"}, "limits": {"cpu": "500m", "memory": "250Mi"}},
    "webhook": {"requests": {"cpu": "200m", "memory": "500Mi", "ephemeral-storage": "500Mi"}, "limits": {}},
}
"""Default requests and limits per component values key."""

REPLICAS = 1
"""Default replicaCount of every component."""

TASK_RESOURCES: dict[str, dict[str, Any]] = {
    "defaults": {"cpu": "100m", "memory": "500Mi"},
    "limits": {"cpu": 2, "memory": "1Gi", "gpu": 1},
}
"""configmap.task_resource_defaults.task_resources."""

DOMAINS = ["development", "staging", "production"]
"""configmap.domain.domains ids."""

INITIAL_PROJECTS = ["flytesnacks", "flytetester", "flyteexamples"]
"""flyteadmin.initialProjects."""

QUOTAS = {"production": ("5", "4000Mi"), "staging": ("2", "3000Mi"), "development": ("4", "3000Mi")}
"""cluster_resource_manager customData quotas (cpu, memory)."""

STORAGE = {"type": "sandbox", "bucketName": "my-s3-bucket", "region": "us-east-1", "authType": "iam"}
"""storage.* scalars."""

INGRESS_ANNOTATIONS = {
    "nginx.ingress.kubernetes.io/app-root": "/console",
    "nginx.ingress.kubernetes.io/service-upstream": "true",
}
"""common.ingress.annotations, merged into whatever the user adds."""

GRPC_INGRESS_ANNOTATIONS = {"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"}
"""common.ingress.separateGrpcIngressAnnotations."""

DB = {
    "admin": {"port": 5432, "username": "postgres", "host": "postgres", "dbname": "flyteadmin"},
    "datacatalog": {"port": 5432, "username": "postgres", "host": "postgres", "dbname": "datacatalog"},
}
"""db.<component>.database."""

REMOTE_DATA_REGION = "us-east-1"
"""configmap.remoteData.remoteData.region."""

NAMESPACE = "flyte"
"""The namespace hard-coded in several values keys."""


def authorized_uris(namespace: str) -> list[str]:
    """configmap.adminServer.auth.authorizedUris for a namespace (the chart hard-codes ``flyte``)."""
    return ["https://localhost:30081", "http://flyteadmin:80", f"http://flyteadmin.{namespace}.svc.cluster.local:80"]
