"""The answers of a flyte-core install spanning the three-cluster test bed: the control plane on cluster 1, the
given data planes on theirs (shared by the multi-cluster e2e tests)."""

from __future__ import annotations

from typing import Any

import multibed


def answers_for(clusters: multibed.MultiBed, namespace: str, planes: dict[str, int]) -> dict[str, Any]:
    """A generic install in ``namespace`` with ``planes`` (data plane name → cluster number) as data planes."""
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {
            "context": clusters.contexts[0],
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": clusters.repo_url, "name": "flyte-core", "version": "v1.16.8"},
        },
        "storage": {
            "metadataBucket": "acme-flyte-meta",
            "endpoint": "https://s3.example.com",
            "credentialsSecret": "flyte-storage",
        },
        "database": {"host": "db.example.com", "passwordSecret": {"name": "db-pass", "key": "pass.txt"}},
        "ingress": {"host": "flyte.example.com"},
        "dataPlanes": [
            {"name": name, "context": clusters.contexts[n - 1], "endpoint": clusters.cluster(n).api_url}
            for name, n in planes.items()
        ],
        "extraValues": {"flytepropeller": {"createCRDs": False}},  # other tests share the clusters
    }
