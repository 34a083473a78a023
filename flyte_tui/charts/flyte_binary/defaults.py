"""The few flyte-binary (v1.16.x) defaults that rendering compares against, so the values file holds only
what differs. Facts from the chart's values.yaml (and, where the chart writes nothing, flyteadmin's own
built-in defaults), restated; keep this table small."""

from __future__ import annotations

from typing import Any

CHART = "flyte-binary"
"""The chart's name: also its default ``nameOverride`` (what ``fullname`` is built from)."""

DATABASE: dict[str, Any] = {
    "username": "postgres",
    "host": "127.0.0.1",
    "port": 5432,
    "dbname": "flyte",
    "options": "sslmode=disable",
}
"""configuration.database (one database for flyteadmin and datacatalog)."""

STORAGE: dict[str, Any] = {
    "provider": "s3",
    "metadataContainer": "my-organization-flyte-container",
    "userDataContainer": "my-organization-flyte-container",
}
"""configuration.storage scalars."""

S3: dict[str, Any] = {"region": "us-east-1", "disableSSL": False, "v2Signing": False, "endpoint": "", "authType": "iam"}
"""configuration.storage.providerConfig.s3."""

TASK_RESOURCES: dict[str, dict[str, str]] = {
    "defaults": {"cpu": "2", "memory": "200Mi"},
    "limits": {"cpu": "2", "memory": "1Gi", "gpu": "1"},
}
"""flyteadmin's built-in task_resources (the chart writes none)."""

DOMAINS = ["development", "staging", "production"]
"""flyteadmin's built-in domains (the chart writes none)."""

SEED_PROJECTS = ["flytesnacks"]
"""flyte-core-components.admin.seedProjects (and the one project of seedProjectsWithDetails)."""

SEPARATE_GRPC_INGRESS = True
"""ingress.separateGrpcIngress."""

HTTP_PORT = 8088
"""The ``<fullname>-http`` Service's port (service.ports.http empty)."""
