"""The project namespaces flyte-core's cluster-resource sync created, read from a release's values.

The sync (flyteadmin's ``clusterresource`` controller) creates ``<project>-<domain>`` for every project and
domain from the templates in ``cluster_resource_manager.templates``; it adds nothing of its own to what it
creates. So a namespace counts as the sync's only when it carries what those templates put there: the labels
and annotations of the Namespace template, and every other object the templates name (the ResourceQuota
``project-quota`` of the chart's defaults, …). A namespace of the same name made by someone else lacks them
and is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flyte_tui import tree
from flyte_tui.review.diff import parse_manifest

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
"""A variable of a cluster-resource template (flyteadmin's ``{{ namespace }}`` syntax, not helm's)."""


@dataclass(frozen=True)
class Candidate:
    """A namespace the sync would create, and what it puts into it."""

    name: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    objects: tuple[str, ...]
    """``resourcequota/project-quota`` …: kubectl's ``type/name`` of each other object the templates create."""


def _fill(template: str, project: str, domain: str, namespace: str) -> str:
    known = {"namespace": namespace, "project": project, "domain": domain}
    # other variables (quotas, role ARNs) do not decide what is created: any scalar will do
    return _VARIABLE.sub(lambda m: known.get(m.group(1), "0"), template)


def _text_map(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def candidates(values: Mapping[str, Any]) -> list[Candidate]:
    """The project namespaces a flyte-core release's values (``helm get values --all``) make the sync create
    ([] when the sync is off or there are no seeded projects)."""
    if tree.get(values, ("cluster_resource_manager", "enabled")) is not True:
        return []
    projects = [str(p) for p in tree.get(values, ("flyteadmin", "initialProjects")) or [] if p]
    domains = [
        str(d.get("id")) for d in tree.get(values, ("configmap", "domain", "domains")) or [] if isinstance(d, dict)
    ]
    templates = [
        str(t.get("value", ""))
        for t in tree.get(values, ("cluster_resource_manager", "templates")) or []
        if isinstance(t, dict)
    ]
    found: list[Candidate] = []
    for project in projects:
        for domain in domains:
            name = f"{project}-{domain}"
            labels: dict[str, str] = {}
            annotations: dict[str, str] = {}
            objects: list[str] = []
            for template in templates:
                for key, obj in parse_manifest(_fill(template, project, domain, name)).items():
                    meta = obj.get("metadata") or {}
                    if key.kind == "Namespace":
                        labels.update(_text_map(meta.get("labels")))
                        annotations.update(_text_map(meta.get("annotations")))
                    elif key.name:
                        kind = key.kind.lower() + (f".{key.group}" if key.group else "")
                        objects.append(f"{kind}/{key.name}")
            found.append(Candidate(name, labels, annotations, tuple(objects)))
    return found


def carries(candidate: Candidate, namespace: Mapping[str, Any], present: Sequence[str]) -> str:
    """Why a live namespace is not the sync's ("" when it carries everything the templates put on it):
    ``present`` is kubectl's ``type/name`` of the templates' objects found in it."""
    meta = namespace.get("metadata") or {}
    labels, annotations = _text_map(meta.get("labels")), _text_map(meta.get("annotations"))
    if labels.get("app.kubernetes.io/managed-by") == "Helm":
        return "a Helm release manages it"
    wrong = [k for k, v in candidate.labels.items() if labels.get(k) != v]
    wrong += [k for k, v in candidate.annotations.items() if annotations.get(k) != v]
    if wrong:
        return f"it lacks {', '.join(sorted(wrong))} that the sync's Namespace template sets"
    have = {p.lower() for p in present}
    missing = [o for o in candidate.objects if o.lower() not in have]
    if missing:
        return f"it holds no {', '.join(missing)}, which the sync creates in every project namespace"
    return ""
