"""Environment presets: partial answers files that supply defaults for sandbox, eks, gke and generic."""

from __future__ import annotations

import copy
from collections.abc import Collection
from functools import cache
from importlib import resources
from typing import Any

from flyte_tui import tree

PRESET_NAMES: tuple[str, ...] = ("sandbox", "eks", "gke", "generic")
"""Every environment that has a preset."""

DESCRIPTIONS: dict[str, str] = {
    "sandbox": "Local or test cluster; flyte-tui installs minio and postgres (flyte-deps) first.",
    "eks": "AWS EKS: S3 via IRSA, RDS PostgreSQL, ALB ingress with ACM TLS.",
    "gke": "Google GKE: GCS via Workload Identity, Cloud SQL, nginx ingress with TLS.",
    "generic": "Any cluster: S3-compatible store with keys in a Secret, your PostgreSQL, nginx.",
}
"""One line each on what an environment means."""


@cache
def _load(name: str) -> dict[str, Any]:
    from flyte_tui.files.yamlio import load_plain

    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = load_plain(text)
    if not isinstance(data, dict):  # pragma: no cover - our own files
        raise ValueError(f"preset {name} is not a mapping")
    return data


def preset(name: str) -> dict[str, Any]:
    """A deep copy of the preset for an environment (plain dicts and lists)."""
    if name not in PRESET_NAMES:
        raise KeyError(name)
    return copy.deepcopy(_load(name))


def apply_preset(answers: dict[str, Any], sizable: Collection[str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """The answers with their environment's preset underneath, and the dotted paths the preset filled.

    Preset quotas for domains the answers dropped are left out, so a shorter domain list stays valid, and
    a storage type other than the preset's takes none of the preset's storage fields. With ``sizable`` (the
    chart's sizable components), the preset's sizing of any other component is left out: a chart with other
    components (flyte-binary's one Deployment) takes none of it.
    """
    env = answers.get("environment")
    if not isinstance(env, str) or env not in PRESET_NAMES:
        return copy.deepcopy(answers), []
    base = preset(env)
    components = tree.get(base, ("resources", "components"))
    if sizable is not None and isinstance(components, dict):
        kept = {k: v for k, v in components.items() if k in sizable}
        if kept:
            base["resources"]["components"] = kept
        else:
            del base["resources"]["components"]
    own_storage = answers.get("storage")
    chosen = own_storage.get("type") if isinstance(own_storage, dict) else None
    if chosen and chosen != (base.get("storage") or {}).get("type"):
        # the preset's storage block describes its own storage type: another type takes none of it
        base = {k: v for k, v in base.items() if k != "storage"}
    merged = tree.deep_merge(base, answers)
    projects = merged.get("projects")
    own = answers.get("projects")
    own_projects: dict[str, Any] = own if isinstance(own, dict) else {}
    if (
        isinstance(projects, dict)
        and isinstance(projects.get("domains"), list)
        and isinstance(projects.get("quotas"), dict)
    ):
        own_q = own_projects.get("quotas")
        own_quotas: dict[str, Any] = own_q if isinstance(own_q, dict) else {}
        projects["quotas"] = {
            d: q for d, q in projects["quotas"].items() if d in projects["domains"] or d in own_quotas
        }
    return merged, sorted(_filled(base, answers))


def _filled(base: dict[str, Any], answers: dict[str, Any], prefix: str = "") -> set[str]:
    """Dotted paths the preset supplies because the answers leave them out (an explicit null is an answer)."""
    paths: set[str] = set()
    for key, value in base.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(answers, dict) and key in answers:
            theirs = answers[key]
            if isinstance(value, dict) and isinstance(theirs, dict):
                paths |= _filled(value, theirs, path)
        elif isinstance(value, dict) and value:
            paths |= _filled(value, {}, path)
        else:
            paths.add(path)
    return paths
