"""How a flyte-core release is reached without an ingress (its console and flyteadmin Services) and where its
values point the database password (``common.databaseSecret.name``, ``db.*.database.passwordPath``)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.access import DatabaseSecret, Endpoints, Forward
from flyte_tui.charts.flyte_core.render import DB_MOUNT

ENDPOINTS = Endpoints(
    forwards=(Forward("flyteconsole", ("8080:80",)), Forward("flyteadmin", ("8088:80", "8089:81"))),
    console_service="flyteconsole",
    console_url="http://localhost:8080/console",
    grpc_service="flyteadmin",
    grpc_address="dns:///localhost:8089",
)
"""flyteconsole serves the console on port 80; flyteadmin HTTP on 80 (the API the console calls), gRPC on 81
(flytectl, pyflyte). flyte-core names both without the release."""


def database_secret(values: Mapping[str, Any]) -> DatabaseSecret:
    """The Secret ``common.databaseSecret.name`` mounts at ``/etc/db`` and the keys ``passwordPath`` reads."""
    name = str(tree.get(values, ("common", "databaseSecret", "name")) or "")
    paths = {
        comp: str(tree.get(values, ("db", comp, "database", "passwordPath")) or "")
        for comp in ("admin", "datacatalog")
        if tree.get(values, ("db", comp, "database")) is not None
    }
    looked = ("values common.databaseSecret.name", *(f"values db.{c}.database.passwordPath" for c in paths))
    users = "flyteadmin and datacatalog"
    if not name:
        with_path = [c for c, p in paths.items() if p.startswith(DB_MOUNT + "/")]
        if with_path:
            return DatabaseSecret(
                "",
                looked_at=looked,
                problem=f"db.{with_path[0]}.database.passwordPath points into {DB_MOUNT} but "
                "common.databaseSecret.name is empty: no Secret is mounted there",
                fix="set common.databaseSecret.name to the Secret holding the password",
                users=users,
            )
        return DatabaseSecret("", looked_at=looked, users=users)
    missing_path = [c for c, p in paths.items() if not p]
    if missing_path:
        return DatabaseSecret(
            name,
            looked_at=looked,
            problem=f"common.databaseSecret.name is {name} but db.{missing_path[0]}.database.passwordPath is not "
            "set: the pods will not find the password (missing database password at specified path)",
            fix=f"set db.admin.database.passwordPath and db.datacatalog.database.passwordPath to {DB_MOUNT}/<key>",
            answer="database.passwordSecret.key",
            users=users,
        )
    keys = tuple(sorted({posixpath.basename(p) for p in paths.values()}))
    return DatabaseSecret(name, keys, looked, users=users)
