"""The answers of a flyte-core install spanning the three-cluster test bed: the control plane on cluster 1, the
given data planes on theirs, and the namespace they go to (shared by the multi-cluster e2e tests)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import k8s_helpers as kh
import multibed

from tests.e2e.test_install import generic_answers


@contextlib.contextmanager
def spread_namespace(clusters: multibed.MultiBed, prefix: str) -> Iterator[str]:
    """A fresh namespace name ``<prefix>-<hex>``, removed from every cluster afterwards."""
    name = f"{prefix}-{secrets.token_hex(3)}"
    try:
        yield name
    finally:
        for bed in clusters.beds:
            kh.remove_namespace(bed, name)


def answers_for(clusters: multibed.MultiBed, namespace: str, planes: dict[str, int]) -> dict[str, Any]:
    """A generic install in ``namespace`` with ``planes`` (data plane name → cluster number) as data planes."""
    return {
        **generic_answers(clusters.contexts[0], clusters.repo_url, namespace),
        "dataPlanes": [
            {"name": name, "context": clusters.contexts[n - 1], "endpoint": clusters.cluster(n).api_url}
            for name, n in planes.items()
        ],
        "extraValues": {"flytepropeller": {"createCRDs": False}},  # other tests share the clusters
    }
