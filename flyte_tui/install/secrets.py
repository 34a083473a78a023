"""Kubernetes Secrets the installer creates: the database password, S3 access keys and the auth client secrets.

The manifests only ever travel on kubectl's stdin; they are never logged, written to disk or passed as
arguments. :class:`SecretValues` hides its contents from ``repr`` so an accidental log line shows nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flyte_tui.charts.auth_names import auth_objects
from flyte_tui.files.yamlio import dump
from flyte_tui.model.auth import propeller_secret_matches
from flyte_tui.model.plan import InstallPlan
from flyte_tui.redact import (
    DB_PASSWORD_ENV,
    OIDC_CLIENT_SECRET_ENV,
    PROPELLER_CLIENT_SECRET_ENV,
    S3_ACCESS_KEY_ENV,
    S3_SECRET_KEY_ENV,
)

MANAGED_BY = {"app.kubernetes.io/managed-by": "flyte-tui"}


@dataclass(frozen=True)
class SecretValues:
    """Secret material held in memory only."""

    db_password: str | None = field(default=None, repr=False)
    s3_access_key: str | None = field(default=None, repr=False)
    s3_secret_key: str | None = field(default=None, repr=False)
    oidc_client_secret: str | None = field(default=None, repr=False)
    propeller_client_secret: str | None = field(default=None, repr=False)
    cluster_tokens: tuple[str, ...] = field(default=(), repr=False)
    """The data planes' ServiceAccount tokens an install read (:mod:`flyte_tui.install.cluster_links`)."""

    def __repr__(self) -> str:
        given = [n for n in _NAMES if getattr(self, n)]
        return f"SecretValues(given={given})"

    @classmethod
    def from_environment(cls, password_file: Path | None = None) -> SecretValues:
        """Secrets from FLYTE_TUI_* environment variables, the password optionally from a file; each auth client
        secret from its variable or from the file its variable with ``_FILE`` names (never a flag value)."""
        password = os.environ.get(DB_PASSWORD_ENV) or None
        if password_file is not None:
            password = _read(Path(password_file))
        return cls(
            password,
            os.environ.get(S3_ACCESS_KEY_ENV) or None,
            os.environ.get(S3_SECRET_KEY_ENV) or None,
            from_env_or_file(OIDC_CLIENT_SECRET_ENV),
            from_env_or_file(PROPELLER_CLIENT_SECRET_ENV),
        )

    def all(self) -> list[str]:
        """Every secret value given (for redaction checks)."""
        return [v for v in (getattr(self, n) for n in _NAMES) if v] + [t for t in self.cluster_tokens if t]


_NAMES = ("db_password", "s3_access_key", "s3_secret_key", "oidc_client_secret", "propeller_client_secret")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8").rstrip("\r\n")


def from_env_or_file(variable: str) -> str | None:
    """``$VARIABLE``, or the text of the file ``$VARIABLE_FILE`` names (OSError/UnicodeError if unreadable)."""
    named = os.environ.get(variable + "_FILE")
    if named:
        return _read(Path(named)) or None
    return os.environ.get(variable) or None


def _secret(name: str, namespace: str, data: dict[str, str], metadata: dict[str, Any] | None = None) -> str:
    manifest: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": metadata or {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)},
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


def propeller_secret_manifest(plan: InstallPlan, client_secret: str) -> str | None:
    """``flyte-secret-auth`` with ``client_secret`` (plain text), mounted by propeller and the scheduler (None when
    auth is off). For ``Self`` the secret must be the one ``auth.clients.propellerHash`` was made from: a mismatch
    would only show later as propeller's ``invalid_client``."""
    auth = plan.auth
    if not auth.enabled:
        return None
    if auth.authorization_server == "Self" and not propeller_secret_matches(client_secret, auth.clients.propeller_hash):
        raise ValueError(
            "auth.clients.propellerHash: the propeller client secret given does not match this hash; "
            "give the secret it was made from, or let flyte-tui make both again"
        )
    names = auth_objects(plan)
    return _secret(names.propeller_secret, plan.target.namespace, {names.propeller_key: client_secret})


def admin_secret_manifest(plan: InstallPlan, oidc_client_secret: str) -> str | None:
    """``flyte-admin-secrets`` with ``oidc_client_secret`` (None when auth is off). The chart renders this Secret
    itself (without the key), so it carries Helm's ownership: helm adopts it and keeps the key flyte-tui applied
    (as it keeps the keys flyteadmin's ``generate-secrets`` init container adds)."""
    if not plan.auth.enabled:
        return None
    ns = plan.target.namespace
    names = auth_objects(plan)
    metadata = {
        "name": names.oidc_secret,
        "namespace": ns,
        "labels": {"app.kubernetes.io/managed-by": "Helm"},
        "annotations": {"meta.helm.sh/release-name": plan.target.release, "meta.helm.sh/release-namespace": ns},
    }
    return _secret(names.oidc_secret, ns, {names.oidc_key: oidc_client_secret}, metadata)
