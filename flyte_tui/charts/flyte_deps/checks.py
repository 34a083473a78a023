"""The answers a bundled minio or PostgreSQL must agree with: the chart fixes minio's bucket and keys, the
PostgreSQL Service, port and user, and bundles only in the sandbox environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flyte_tui.charts.flyte_deps.chart import BUCKET, POSTGRES, POSTGRES_PORT, POSTGRES_USER
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem

OWN_STORE = "set dependencies.storage: false to use a store you already run"
OWN_DATABASE = "set dependencies.database: false to use a PostgreSQL you already run"


def check_plan(plan: InstallPlan) -> list[Problem]:
    """Every problem of the plan's ``dependencies`` answers (none when nothing is bundled)."""
    if plan.environment != "sandbox":
        return list(_environment(plan))
    return [*_release(plan), *_storage(plan), *_database(plan)]


def _environment(plan: InstallPlan) -> Iterator[Problem]:
    for key, what in (("storage", "minio"), ("database", "PostgreSQL")):
        if getattr(plan.dependencies, key):
            yield Problem(
                f"dependencies.{key}",
                f"true is accepted only with environment sandbox: flyte-tui installs {what} for a local or test "
                f"cluster, not for {plan.environment}; set dependencies.{key}: false and use your own",
            )


def _release(plan: InstallPlan) -> Iterator[Problem]:
    deps = plan.dependencies
    if not deps.bundled:
        return
    name = deps.release_for(plan.target.release)
    if name == plan.target.release:
        yield Problem("dependencies.release", f"{name!r} is Flyte's own release (target.release): choose another")
    elif not deps.release and len(name) > 53:
        yield Problem(
            "dependencies.release",
            f"the default {name!r} is {len(name)} characters, more than helm's 53: name the release",
        )
    path = deps.chart.path
    if path and not (Path(path).expanduser() / "Chart.yaml").is_file() and not Path(path).expanduser().is_file():
        yield Problem("dependencies.chart.path", f"{path!r} is not a chart directory (with Chart.yaml) or a .tgz")


def _storage(plan: InstallPlan) -> Iterator[Problem]:
    if not plan.dependencies.storage:
        return
    s = plan.storage
    if s.type != "sandbox":
        yield Problem(
            "storage.type",
            f"{s.type} does not fit the bundled minio (dependencies.storage): use sandbox, or {OWN_STORE}",
        )
        return
    for field, bucket in (("metadataBucket", s.metadata_bucket), ("userDataBucket", s.user_data_bucket)):
        if bucket and bucket != BUCKET:
            yield Problem(
                f"storage.{field}",
                f"{bucket!r} does not exist in the bundled minio, which creates only {BUCKET}: use {BUCKET}, "
                f"or {OWN_STORE}",
            )


def _database(plan: InstallPlan) -> Iterator[Problem]:
    if not plan.dependencies.database:
        return
    db = plan.database
    fixed = (
        ("host", db.host, POSTGRES.name, "the bundled PostgreSQL's Service"),
        ("port", db.port, POSTGRES_PORT, "its port"),
        ("username", db.username, POSTGRES_USER, "its user"),
        ("sslMode", db.ssl_mode, "disable", "it serves no TLS"),
    )
    for field, value, wanted, what in fixed:
        if value != wanted:
            yield Problem(
                f"database.{field}",
                f"{value!r} does not fit the bundled PostgreSQL (dependencies.database): {what} is {wanted}; "
                f"leave it at that, or {OWN_DATABASE}",
            )
