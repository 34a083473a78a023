"""Kubernetes Secrets the installer creates: the database password and S3 access keys.

The manifests only ever travel on kubectl's stdin; they are never logged, written to disk or passed as
arguments. :class:`SecretValues` hides its contents from ``repr`` so an accidental log line shows nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flyte_tui.files.yamlio import dump
from flyte_tui.model.plan import InstallPlan
from flyte_tui.redact import DB_PASSWORD_ENV, S3_ACCESS_KEY_ENV, S3_SECRET_KEY_ENV

MANAGED_BY = {"app.kubernetes.io/managed-by": "flyte-tui"}


@dataclass(frozen=True)
class SecretValues:
    """Secret material held in memory only."""

    db_password: str | None = field(default=None, repr=False)
    s3_access_key: str | None = field(default=None, repr=False)
    s3_secret_key: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        given = [n for n in ("db_password", "s3_access_key", "s3_secret_key") if getattr(self, n)]
        return f"SecretValues(given={given})"

    @classmethod
    def from_environment(cls, password_file: Path | None = None) -> SecretValues:
        """Secrets from FLYTE_TUI_* environment variables, the password optionally from a file."""
        password = os.environ.get(DB_PASSWORD_ENV) or None
        if password_file is not None:
            password = Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
        return cls(password, os.environ.get(S3_ACCESS_KEY_ENV) or None, os.environ.get(S3_SECRET_KEY_ENV) or None)

    def all(self) -> list[str]:
        """Every secret value given (for redaction checks)."""
        return [v for v in (self.db_password, self.s3_access_key, self.s3_secret_key) if v]


def _secret(name: str, namespace: str, data: dict[str, str]) -> str:
    manifest: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)},
        "type": "Opaque",
        "stringData": data,
    }
    return json.dumps(manifest)


def secret_name(manifest: str) -> str:
    """The name of a Secret manifest made by this module ("" when it has none)."""
    try:
        return str(json.loads(manifest)["metadata"]["name"])
    except (ValueError, KeyError, TypeError):
        return ""


def db_secret_manifest(plan: InstallPlan, password: str) -> str | None:
    """The database password Secret (None when the plan uses no password Secret)."""
    ref = plan.database.password_secret
    if ref is None:
        return None
    return _secret(ref.name, plan.target.namespace, {ref.key: password})


def storage_config(plan: InstallPlan, access_key: str, secret_key: str) -> dict[str, Any]:
    """The flytestdlib storage config the chart would write, with the keys (goes into a Secret only)."""
    s = plan.storage
    connection: dict[str, Any] = {
        "auth-type": "accesskey",
        "access-key": access_key,
        "secret-key": secret_key,
        "region": s.region or "us-east-1",
    }
    if s.endpoint:
        connection["endpoint"] = s.endpoint
        connection["disable-ssl"] = s.endpoint.startswith("http://")
    return {
        "storage": {
            "type": "s3",
            "container": s.metadata_bucket,
            "connection": connection,
            "enable-multicontainer": False,
            "limits": {"maxDownloadMBs": 10},
            "cache": {"max_size_mbs": 0, "target_gc_percent": 70},
        }
    }


def storage_secret_manifest(plan: InstallPlan, access_key: str, secret_key: str) -> str | None:
    """The storage Secret for accesskey auth (``storage.secretName``), holding ``storage.yaml``."""
    s = plan.storage
    if s.type != "s3" or s.auth != "accesskey" or not s.credentials_secret:
        return None
    text = dump(storage_config(plan, access_key, secret_key))
    return _secret(s.credentials_secret, plan.target.namespace, {"storage.yaml": text})
