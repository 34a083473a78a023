"""The migration's review: both releases (the old one kept until the new one is Ready, the new one's values),
what carries over, what is left behind, and the order of the steps."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts import flyte_release, plan_releases
from flyte_tui.files.yamlio import dump
from flyte_tui.migrate.answers import MigratedAnswers
from flyte_tui.migrate.run import MigrationPlan


def review_lines(migrated: MigratedAnswers, migration: MigrationPlan) -> list[str]:
    """The review as plain lines (no secret: the answers and values hold none)."""
    plan = migration.plan
    chart = plan.target.chart
    lines = [
        f"Migrate flyte-binary -> flyte-core in namespace {migration.namespace}"
        + (f" (context {plan.target.context})" if plan.target.context else ""),
        f"Old release: {migration.old_release} (flyte-binary): kept, serving, until {migration.new_release} is "
        "Ready; then uninstalled (CRD and Secrets kept)",
        f"New release: {migration.new_release} (flyte-core {chart.version or 'newest'}): same database "
        f"{plan.database.host}/{plan.database.admin_database}"
        + (f", Secret {plan.database.password_secret.name}" if plan.database.password_secret else "")
        + (f", bucket {plan.storage.metadata_bucket}" if plan.storage.metadata_bucket else "")
        + (f", host {plan.ingress.host}" if plan.ingress.enabled and plan.ingress.host else ""),
        "Carried over as they are: storage, database, ingress, identity, task defaults, projects",
        "Changed:",
        *[f"  {line}" for line in migrated.changed],
        f"Left behind ({len(migrated.left_behind)}):",
        *([f"  {line}" for line in migrated.left_behind] or ["  (nothing)"]),
    ]
    if migrated.notes:
        lines += ["To do by hand:", *[f"  {line}" for line in migrated.notes]]
    lines += ["Order:", *[f"  {line}" for line in migration.order()]]
    lines += [f"Values of {migration.new_release}:", *[f"  {line}" for line in new_values_text(migration).splitlines()]]
    return lines


def new_values(migration: MigrationPlan) -> dict[str, Any]:
    """The new release's Helm values (its Ingress on: what it ends with)."""
    return flyte_release(plan_releases(migration.plan)).values


def new_values_text(migration: MigrationPlan) -> str:
    """The new release's values as YAML."""
    return dump(new_values(migration))
