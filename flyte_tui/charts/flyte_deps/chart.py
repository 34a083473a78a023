"""What the flyte-deps chart (Flyte v1.16.8) creates, as flyte-tui relies on it: its two workloads, their
Services and ports, and the fixed settings of minio and PostgreSQL that Flyte's values must match.

The chart's templates fix these (they read no value for them): minio's keys and its one bucket, the
PostgreSQL user and its ``trust`` authentication (no password is asked), and the Services' node ports.
"""

from __future__ import annotations

from flyte_tui.charts.component import Component

MINIO = Component("minio", "minio", (("app.kubernetes.io/name", "minio"),), sizable=False, has_service_account=False)
"""minio: Deployment, Service and pod label ``app.kubernetes.io/name`` are all ``minio``."""
POSTGRES = Component(
    "postgres", "postgres", (("app.kubernetes.io/name", "postgres"),), sizable=False, has_service_account=False
)
"""PostgreSQL: Deployment, Service and pod label ``app.kubernetes.io/name`` are all ``postgres``."""

COMPONENTS: tuple[Component, ...] = (MINIO, POSTGRES)
"""Every workload of the chart that flyte-tui installs, in the order users see them."""

TITLES = {MINIO.name: "minio", POSTGRES.name: "PostgreSQL"}
"""How each is named to users."""

MINIO_PORT = 9000
"""minio's S3 API port (Service and container)."""
MINIO_ACCESS_KEY = "minio"
MINIO_SECRET_KEY = "miniostorage"
"""minio's keys: fixed in the chart's template (MINIO_ACCESS_KEY / MINIO_SECRET_KEY), the same that flyte-core's
``storage.type: sandbox`` writes; they are the sandbox's public defaults, not a secret anyone chose."""
BUCKET = "my-s3-bucket"
"""The one bucket the chart's minio creates (MINIO_DEFAULT_BUCKETS)."""

POSTGRES_PORT = 5432
POSTGRES_USER = "postgres"
"""The chart's PostgreSQL runs with ``POSTGRES_HOST_AUTH_METHOD=trust``: this user, no password."""
POSTGRES_DB_DEFAULT = "flyteadmin"
"""The database the chart creates (``postgres.dbname``); flyteadmin and datacatalog create theirs if missing."""

NODE_PORTS = {"minio": (30084, 30088), "postgres": (30089,)}
"""The node ports the chart's Services take (fixed in its templates: one flyte-deps release per cluster)."""


def minio_endpoint(namespace: str) -> str:
    """minio's S3 endpoint inside the cluster, for a release in ``namespace``."""
    return f"http://{MINIO.name}.{namespace}.svc.cluster.local:{MINIO_PORT}"
