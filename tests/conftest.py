"""Shared fixtures: realistic answers per environment, and the real helm binaries."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

CACHE = Path(os.environ.get("FLYTE_TUI_E2E_CACHE", Path.home() / ".cache" / "flyte-tui-e2e"))
HELM_BIN = CACHE / "helm" / "bin"
FIXTURE_CHART = Path(__file__).parent / "charts" / "flyte-core"

REALISTIC: dict[str, dict[str, Any]] = {
    "sandbox": {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "sandbox",
        "target": {"namespace": "flyte", "release": "flyte"},
    },
    "eks": {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "target": {
            "namespace": "flyte",
            "release": "flyte",
            "chart": {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-core", "version": "v1.16.8"},
        },
        "environment": "eks",
        "storage": {
            "type": "s3",
            "metadataBucket": "acme-flyte-meta",
            "userDataBucket": "acme-flyte-data",
            "region": "us-east-2",
            "auth": "iam",
        },
        "database": {
            "host": "flyte.abc.us-east-2.rds.amazonaws.com",
            "passwordSecret": {"name": "db-pass", "key": "pass.txt"},
            "sslMode": "require",
        },
        "identity": {"awsRoleArn": "arn:aws:iam::123456789012:role/flyte-system"},
        "ingress": {
            "controller": "alb",
            "host": "flyte.acme.com",
            "tls": {"enabled": True, "certificateArn": "arn:aws:acm:us-east-2:123456789012:certificate/abc-123"},
        },
        "resources": {
            "components": {
                "flytepropeller": {
                    "replicas": 2,
                    "requests": {"cpu": "1", "memory": "2Gi"},
                    "limits": {"cpu": "1", "memory": "2Gi"},
                },
            },
        },
        "projects": {
            "quotas": {"production": {"cpu": "8", "memory": "16Gi"}},
            "taskRoleArn": "arn:aws:iam::123456789012:role/flyte-tasks",
        },
    },
    "gke": {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "gke",
        "target": {"namespace": "flyte-prod", "release": "flyte"},
        "storage": {"type": "gcs", "metadataBucket": "acme-flyte-meta", "projectId": "acme-prod-123"},
        "database": {"host": "10.20.30.40", "passwordSecret": {"name": "db-pass", "key": "pass.txt"}},
        "identity": {"gcpServiceAccount": "flyte-admin@acme-prod-123.iam.gserviceaccount.com"},
        "ingress": {
            "controller": "nginx",
            "host": "flyte.acme.dev",
            "tls": {"enabled": True, "secretName": "flyte-tls"},
        },
        "projects": {"taskServiceAccount": "flyte-tasks@acme-prod-123.iam.gserviceaccount.com"},
    },
    "generic": {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {"namespace": "flyte", "release": "flyte"},
        "storage": {
            "type": "s3",
            "metadataBucket": "flyte-meta",
            "endpoint": "https://minio.storage.example.com",
            "auth": "accesskey",
            "credentialsSecret": "flyte-storage",
        },
        "database": {"host": "pg.internal.example.com", "passwordSecret": {"name": "db-pass", "key": "password"}},
        "ingress": {"controller": "nginx", "host": "flyte.example.com", "tls": {"enabled": True}},
    },
}
"""Answers a platform engineer would write for each environment (presets fill the rest)."""


@pytest.fixture
def realistic() -> dict[str, dict[str, Any]]:
    """A fresh copy of the realistic answers, keyed by environment."""
    return copy.deepcopy(REALISTIC)


def set_path(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """Set ``a.b.c`` in nested dicts (creating maps on the way); returns ``data``."""
    keys = dotted.split(".")
    node = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return data


def helm_binaries() -> list[Any]:
    """pytest params for every real helm the project installed (tests/cluster/install-helm)."""
    params = []
    for name in ("helm3", "helm4"):
        path = HELM_BIN / name
        # On CI a missing binary must fail the test, never skip it.
        marks = (
            []
            if path.exists() or os.environ.get("CI")
            else [pytest.mark.skip(reason=f"{path} missing: run tests/cluster/install-helm")]
        )
        params.append(pytest.param(path, id=name, marks=marks))
    return params
