"""flyte-binary answers → flyte-core answers: what carries over, what changes, what is left behind.

The answers model is the same for both charts, so most sections carry over as they are (storage, database,
ingress, identity, task defaults, projects). What is chart-specific is said, never silently dropped: the one
Deployment's sizing (flyte-core sizes each component), raw flyte-binary values under extraValues (flyte-core
reads other keys), a chart given as a flyte-binary path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_binary.components import SIZING_KEY
from flyte_tui.model.names import check_dns_label
from flyte_tui.model.plan import DEFAULT_RELEASE, DEPS_SUFFIX

BINARY = "flyte-binary"
"""The chart migrated from."""
CORE = "flyte-core"
"""The chart migrated to."""
CORE_SUFFIX = "-core"
"""The new release's default name: the old release's name and this."""


class MigrationError(ValueError):
    """The answers cannot be migrated; the message names the field and what is accepted."""


@dataclass
class MigratedAnswers:
    """The flyte-core answers and what the mapping did."""

    answers: dict[str, Any]
    old_release: str
    new_release: str
    namespace: str
    changed: list[str] = field(default_factory=list)
    """``path: what changed and why``."""
    left_behind: list[str] = field(default_factory=list)
    """``path: why it does not carry over`` (not in the new answers)."""
    notes: list[str] = field(default_factory=list)
    """What to do by hand outside flyte-tui."""


def default_release(old: str) -> str:
    """The new release's default name: ``<old>-core`` (cut to Helm's 53 characters)."""
    return (old + CORE_SUFFIX)[:53].rstrip("-")


def migrate_answers(raw: dict[str, Any], new_release: str | None = None) -> MigratedAnswers:
    """The flyte-core answers for flyte-binary answers ``raw`` (left unchanged); raises :class:`MigrationError`."""
    chart = tree.get(raw, ("target", "chart", "name"))
    if chart != BINARY:
        raise MigrationError(
            f"target.chart.name is {chart!r}: migrate moves a flyte-binary install to flyte-core; "
            "it accepts answers whose target.chart.name is flyte-binary"
        )
    out = copy.deepcopy(raw)
    target = out.setdefault("target", {})
    old = str(target.get("release") or DEFAULT_RELEASE)
    namespace = str(target.get("namespace") or "flyte")
    new = new_release if new_release is not None else default_release(old)
    try:
        check_dns_label(new, max_len=53)
    except ValueError as exc:
        raise MigrationError(f"--release {new!r}: {exc}") from exc
    if new == old:
        raise MigrationError(
            f"--release {new!r} is the flyte-binary release's name: the new release needs another name (both run "
            "side by side until flyte-core is Ready), e.g. " + default_release(old)
        )
    result = MigratedAnswers(out, old, new, namespace)
    target["release"] = new
    result.changed.append(f"target.release: {old} -> {new} (a second release; {old} is removed once {new} is Ready)")
    _chart(target, result)
    _dependencies(out, old, result)
    _database(out, result)
    _sizing(out, result)
    _extra_values(out, result)
    _identity(out, result)
    return result


def _chart(target: dict[str, Any], result: MigratedAnswers) -> None:
    chart = target["chart"]
    chart["name"] = CORE
    if chart.get("path"):
        result.left_behind.append(
            f"target.chart.path: {chart['path']} is the flyte-binary chart; give flyte-core's (repo, path or oci) "
            "in the new answers"
        )
        chart.pop("path")
        chart["repo"] = "https://flyteorg.github.io/flyte"
        result.changed.append("target.chart.repo: https://flyteorg.github.io/flyte (the chart path was flyte-binary's)")
    elif chart.get("oci"):
        ref = str(chart["oci"])
        head, _, last = ref.rpartition("/")
        chart["oci"] = f"{head}/{CORE}" if last == BINARY else ref
        result.changed.append(f"target.chart.oci: {ref} -> {chart['oci']}")
    version = chart.get("version") or "the newest"
    result.changed.append(f"target.chart.name: flyte-binary -> flyte-core (version {version}, as before)")


def _dependencies(out: dict[str, Any], old: str, result: MigratedAnswers) -> None:
    deps = out.get("dependencies")
    if not isinstance(deps, dict) or not (deps.get("storage") or deps.get("database")):
        return
    release = str(deps.get("release") or old + DEPS_SUFFIX)
    deps["release"] = release
    result.changed.append(f"dependencies.release: {release} (the minio/PostgreSQL already there, kept and shared)")


def _database(out: dict[str, Any], result: MigratedAnswers) -> None:
    db = out.setdefault("database", {})
    admin = db.get("adminDatabase") or "flyteadmin"
    if db.get("datacatalogDatabase") not in (None, admin):
        result.left_behind.append(
            f"database.datacatalogDatabase: {db['datacatalogDatabase']} was not used by flyte-binary (it keeps "
            f"datacatalog's tables in {admin}); set to {admin} so the cached data carries over"
        )
    db["datacatalogDatabase"] = admin
    result.changed.append(f"database.datacatalogDatabase: {admin} (flyte-binary kept both in one database)")


def _sizing(out: dict[str, Any], result: MigratedAnswers) -> None:
    components = tree.get(out, ("resources", "components"))
    if not isinstance(components, dict) or SIZING_KEY not in components:
        return
    sizing = components.pop(SIZING_KEY)
    result.left_behind.append(
        f"resources.components.{SIZING_KEY}: {_short(sizing)} sized flyte-binary's one Deployment; flyte-core sizes "
        "each component (flyteadmin, datacatalog, flytepropeller, flyteconsole, flytescheduler, webhook): its "
        "defaults apply until you set them"
    )
    if not components:
        out["resources"].pop("components")


def _extra_values(out: dict[str, Any], result: MigratedAnswers) -> None:
    extra = out.get("extraValues")
    if not isinstance(extra, dict) or not extra:
        return
    for key in list(extra):
        result.left_behind.append(
            f"extraValues.{key}: a flyte-binary values key; flyte-core reads other keys (see its values file), "
            "so it is not carried over"
        )
    out.pop("extraValues")


def _identity(out: dict[str, Any], result: MigratedAnswers) -> None:
    identity = out.get("identity") or {}
    if identity.get("awsRoleArn") or identity.get("gcpServiceAccount"):
        result.notes.append(
            "identity: flyte-core's ServiceAccounts are flyteadmin, datacatalog and flytepropeller (flyte-binary "
            "used one): let them use the role / service account (IRSA trust policy, Workload Identity binding) "
            "before the switch"
        )


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
