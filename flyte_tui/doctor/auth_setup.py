"""flyteadmin's authentication as the doctor reads it, and the reads its auth checks need beyond the others.

The setup comes from flyteadmin's own config (the ``server.yaml`` of its ConfigMap, what flyteadmin reads),
else from the release's values. With auth on, gathering also compares the propeller client secret with the hash
in that config: the Secret's ``client_secret`` is read on kubectl's stdout and compared here with bcrypt, and only
the outcome (``match``, ``mismatch``, ``absent``) reaches the snapshot, never the value. And it reads the log
tails of flyteadmin and flytepropeller, where auth failures show while their pods stay Ready.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.component import AuthObjects
from flyte_tui.charts.flyte_core.render_auth import propeller_hash_in_config
from flyte_tui.doctor.snapshot import Snapshot, meta
from flyte_tui.files import yamlio
from flyte_tui.files.yamlio import load_plain
from flyte_tui.model.auth import propeller_secret_matches
from flyte_tui.readiness import matches
from flyte_tui.tools import process

LOG_COMPONENTS = ("flyteadmin", "flytepropeller")
"""Where auth failures are logged (flyteadmin rejects tokens, propeller fails to get or use one); a chart with one
workload (flyte-binary) logs them all there."""
LOG_CONTAINERS = (*LOG_COMPONENTS, "flyte")
"""The containers whose log tails the auth checks read (``flyte``: flyte-binary's one container)."""
MATCH, MISMATCH, ABSENT = "match", "mismatch", "absent"
"""What comparing the propeller secret with its hash found (:attr:`Snapshot.propeller_secret`)."""


@dataclass(frozen=True)
class AuthSetup:
    """flyteadmin's authentication settings, from where the doctor read them."""

    enabled: bool
    """``server.security.useAuth`` is true."""
    server_type: str = "Self"
    """``auth.appAuth.authServerType``: Self or External."""
    authorized_uris: tuple[str, ...] = ()
    """``auth.authorizedUris``, in order (flyteadmin falls back to the first)."""
    propeller_id: str = "flytepropeller"
    """Propeller's client id (``secrets.adminOauthClientCredentials.clientId``)."""
    propeller_hash: str = field(default="", repr=False)
    """Self: the base64 bcrypt hash flyteadmin's static client for propeller carries ("" when none)."""
    propeller_secret: str = AuthObjects.propeller_secret
    """The Secret propeller's client secret is mounted from (flyte-core:
    ``secrets.adminOauthClientCredentials.secretName``)."""
    source: str = ""
    """Where the settings were read, e.g. ``ConfigMap flyte-admin-base-config (server.yaml)``."""
    names: AuthObjects = field(default_factory=AuthObjects)
    """The chart's auth Secrets, their keys and where it takes the hash from."""

    @property
    def propeller_key(self) -> str:
        """The key of propeller's client secret in its Secret."""
        return self.names.propeller_key

    @property
    def hash_path(self) -> str:
        """Where the propeller hash sits: flyteadmin's config, or the values key the chart takes it from."""
        if self.names.hash_value:
            return f"values {self.names.hash_value}"
        return f"auth.appAuth.selfAuthServer.staticClients.{self.propeller_id}.client_secret"

    @property
    def hash_where(self) -> str:
        """Where the hash was read, for a message: its values key, or its path in the config read."""
        return self.hash_path if self.names.hash_value else f"{self.hash_path} in {self.source}"

    @property
    def required_secrets(self) -> tuple[tuple[str, str], ...]:
        """(Secret, key) pairs the chart mounts for auth."""
        n = self.names
        return ((n.oidc_secret, n.oidc_key), (self.propeller_secret, n.propeller_key))


def _server_config(snap: Snapshot) -> tuple[dict[str, Any], str]:
    name = snap.chart_objects.admin_config
    config_map = snap.named("configmaps", name) if name else None
    data = (config_map or {}).get("data") or {}
    merged: dict[str, Any] = {}
    read: list[str] = []
    for key in snap.chart_objects.auth.config_keys:  # flyteadmin reads its files in this order
        text = data.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        try:
            parsed = load_plain(text)
        except (ValueError, yamlio.YAMLError):
            continue
        if isinstance(parsed, dict):
            merged = tree.deep_merge(merged, parsed)
            read.append(key)
    if read:
        return merged, f"ConfigMap {name} ({', '.join(read)})"
    found = snap.value("configmap.adminServer")
    return (found if isinstance(found, dict) else {}), "values configmap.adminServer"


def auth_setup(snap: Snapshot) -> AuthSetup:
    """The release's auth settings (``enabled`` False when auth is off)."""
    names = snap.chart_objects.auth
    server, source = _server_config(snap)
    if tree.get(server, ("server", "security", "useAuth")) is not True:
        return AuthSetup(False, source=source, names=names)
    credentials = snap.value("secrets.adminOauthClientCredentials") or {}
    credentials = credentials if isinstance(credentials, dict) else {}
    propeller_id = str(tree.get(server, ("admin", "clientId")) or credentials.get("clientId") or "flytepropeller")
    uris = tree.get(server, ("auth", "authorizedUris"))
    if names.hash_value:
        found = snap.value(names.hash_value)
        secret_hash = found if isinstance(found, str) else ""
    else:
        secret_hash = propeller_hash_in_config(server, propeller_id)
    return AuthSetup(
        True,
        str(tree.get(server, ("auth", "appAuth", "authServerType")) or "Self"),
        tuple(str(u) for u in uris) if isinstance(uris, list) else (),
        propeller_id,
        secret_hash,
        str(credentials.get("secretName") or names.propeller_secret),
        source,
        names,
    )


def compare_propeller_secret(encoded: str, secret_hash: str) -> str:
    """:data:`MATCH` or :data:`MISMATCH` for the base64 ``data`` of the Secret's key (:data:`ABSENT` when empty)."""
    if not encoded.strip():
        return ABSENT
    try:
        secret = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return MISMATCH
    return MATCH if propeller_secret_matches(secret, secret_hash) else MISMATCH


Read = Callable[[Snapshot], None]


def log_containers(snap: Snapshot) -> list[tuple[str, str]]:
    """(pod, container) of one running pod per :data:`LOG_COMPONENTS` component whose log is not read yet."""
    out: list[tuple[str, str]] = []
    components = snap.target.profile.components
    for component in components:
        if component.name not in LOG_COMPONENTS and len(components) > 1:
            continue
        pods = [p for p in snap.items("pods") if matches(p, component, snap.release)]
        for pod in pods[:1]:
            containers = (pod.get("spec") or {}).get("containers") or [{}]
            wanted = (str(meta(pod).get("name")), str(containers[0].get("name") or component.name))
            if wanted not in snap.logs:
                out.append(wanted)
    return out


def auth_reads(
    snap: Snapshot, kubectl: Callable[..., process.Completed], log_reader: Callable[[str, str, bool], Read]
) -> dict[str, Read]:
    """The reads the auth checks need once the rest is read (none when auth is off): the propeller secret
    compared with its hash (Self), and the auth components' log tails."""
    setup = auth_setup(snap)
    if not setup.enabled:
        return {}
    reads = {f"logs {pod}/{container}": log_reader(pod, container, False) for pod, container in log_containers(snap)}
    if setup.server_type == "Self" and setup.propeller_hash:

        def compare(snap: Snapshot) -> None:
            path = "jsonpath={.data." + setup.propeller_key + "}"
            done = kubectl("get", "secret", setup.propeller_secret, "--ignore-not-found", "-o", path)
            if done.ok:
                snap.propeller_secret = compare_propeller_secret(done.stdout, setup.propeller_hash)
            else:
                snap.errors["propeller-secret"] = process.last_line(done.stderr or done.stdout) or "no answer"

        reads["propeller-secret"] = compare
    return reads
