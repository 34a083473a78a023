"""How a flyte-binary release is reached without an ingress and where its values point the database password.

The chart's Services (``templates/service/``): ``<fullname>-http`` serves the console (at ``/console``) and
the HTTP API on ``service.ports.http`` (default 8088); ``<fullname>-grpc`` serves gRPC on
``service.ports.grpc`` (default 8089) when ``ingress.separateGrpcIngress`` (the default), else the HTTP
Service carries the gRPC port too.

The password: ``configuration.database.password`` makes the chart write it into its own config Secret;
``configuration.database.passwordPath`` names a file the Deployment mounts, from a Secret volume in
``deployment.extraVolumes`` mounted by ``deployment.extraVolumeMounts`` (what flyte-tui renders); with
neither, it may come from the Secret ``configuration.inlineSecretRef`` projects into the config directory.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.access import DatabaseSecret, Endpoints, Forward
from flyte_tui.charts.flyte_binary.components import fullname

HTTP_PORT = 8088
GRPC_PORT = 8089
PATH = "configuration.database.passwordPath"


def _port(values: Mapping[str, Any], name: str, default: int) -> int:
    found = tree.get(values, ("service", "ports", name))
    return int(found) if isinstance(found, int | str) and str(found).isdigit() else default


def endpoints(values: Mapping[str, Any], release: str) -> Endpoints:
    """The port-forwards to a flyte-binary release's Services (named after its fullname)."""
    full = fullname(release, values)
    http, grpc = _port(values, "http", HTTP_PORT), _port(values, "grpc", GRPC_PORT)
    http_service, grpc_service = f"{full}-http", f"{full}-grpc"
    forwards: tuple[Forward, ...]
    if tree.get(values, ("ingress", "separateGrpcIngress"), True) is False:
        grpc_service = http_service
        forwards = (Forward(http_service, (f"{HTTP_PORT}:{http}", f"{GRPC_PORT}:{grpc}")),)
    else:
        forwards = (Forward(http_service, (f"{HTTP_PORT}:{http}",)), Forward(grpc_service, (f"{GRPC_PORT}:{grpc}",)))
    return Endpoints(
        forwards,
        console_service=http_service,
        console_url=f"http://localhost:{HTTP_PORT}/console",
        grpc_service=grpc_service,
        grpc_address=f"dns:///localhost:{GRPC_PORT}",
    )


def _named(items: Any, name: str) -> Mapping[str, Any]:
    found = [i for i in items if isinstance(i, Mapping) and i.get("name") == name] if isinstance(items, list) else []
    return found[0] if found else {}


def _mounting(mounts: Any, directory: str) -> Mapping[str, Any] | None:
    """The volume mount whose mountPath is ``directory``."""
    if not isinstance(mounts, list):
        return None
    found = (m for m in mounts if isinstance(m, Mapping) and str(m.get("mountPath", "")).rstrip("/") == directory)
    return next(found, None)


def database_secret(values: Mapping[str, Any]) -> DatabaseSecret:
    """The Secret the volume mounted where ``passwordPath`` points comes from, and the key it reads."""
    path = str(tree.get(values, ("configuration", "database", "passwordPath")) or "")
    looked: tuple[str, ...] = (f"values {PATH}",)
    users = "flyte-binary"
    if not path:
        inline = str(tree.get(values, ("configuration", "inlineSecretRef")) or "")
        if tree.get(values, ("configuration", "database", "password")):
            without = "the password is in the values (the chart's own config Secret)"
        elif inline:
            without = f"no passwordPath: the password, if any, comes from configuration.inlineSecretRef {inline}"
        else:
            without = "no passwordPath and no password: none needed"
        return DatabaseSecret("", looked_at=(*looked, "values configuration.inlineSecretRef"), without=without,
                              users=users)  # fmt: skip
    looked += ("values deployment.extraVolumeMounts", "values deployment.extraVolumes")
    mount = _mounting(tree.get(values, ("deployment", "extraVolumeMounts")), posixpath.dirname(path))
    if mount is None:
        return DatabaseSecret(
            "",
            looked_at=looked,
            problem=f"{PATH} is {path} but no deployment.extraVolumeMounts entry mounts {posixpath.dirname(path)}: "
            "the pod will not find the password",
            fix="mount the password Secret there (flyte-tui renders it from database.passwordSecret) and upgrade",
            users=users,
        )
    secret = _named(tree.get(values, ("deployment", "extraVolumes")), str(mount.get("name", ""))).get("secret")
    name = str(secret.get("secretName") or "") if isinstance(secret, Mapping) else ""
    if not name:
        return DatabaseSecret(
            "",
            looked_at=looked,
            problem=f"{PATH} is {path}, mounted from volume {mount.get('name')}, which is not a Secret volume "
            "in deployment.extraVolumes",
            fix="make that volume the password Secret (flyte-tui renders it from database.passwordSecret)",
            users=users,
        )
    return DatabaseSecret(name, (posixpath.basename(path),), looked, users=users)
