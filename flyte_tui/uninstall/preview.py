"""What an uninstall removes and keeps, read from the cluster before anything is touched.

:func:`read_preview` looks once at each release (state, stored manifest, values), the Secrets flyte-tui
created, the project namespaces cluster-resource sync created, the FlyteWorkflow CRD and the
PersistentVolumeClaims; :meth:`Preview.lines` says it all in plain lines (the CLI prints them, the TUI shows
them before its confirm dialog).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flyte_tui.release import ReleaseInfo, find_release, live_answers, live_manifest, release_helm
from flyte_tui.review.diff import parse_manifest
from flyte_tui.tools import output
from flyte_tui.tools.helm import Helm
from flyte_tui.tools.kubectl import Kubectl
from flyte_tui.uninstall import projects
from flyte_tui.uninstall.target import DEPENDENCY_CHART, UninstallOptions, UninstallTarget, secret_names

INSTANCE_LABEL = "app.kubernetes.io/instance"
"""The label a chart's objects (and a StatefulSet's PersistentVolumeClaims) carry with their release's name."""
MANAGED_BY_FLYTE_TUI = ("app.kubernetes.io/managed-by", "flyte-tui")
"""What flyte-tui puts on the Secrets it creates (:data:`flyte_tui.install.secrets.MANAGED_BY`)."""
_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")


@dataclass(frozen=True)
class ReleaseToRemove:
    """One release ``helm uninstall`` removes, as it is now."""

    info: ReleaseInfo
    crds: tuple[str, ...] = ()
    """CustomResourceDefinitions in its manifest (``helm uninstall`` deletes them unless kept)."""
    manifest_pvcs: tuple[str, ...] = ()
    """PersistentVolumeClaims in its manifest."""
    selectors: tuple[Mapping[str, str], ...] = ()
    """The pod selectors of its workloads: its pods are those they match."""
    pods: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The release name."""
        return self.info.name


@dataclass(frozen=True)
class ProjectNamespace:
    """A namespace cluster-resource sync created, and the pods running in it."""

    name: str
    pods: int


@dataclass(frozen=True)
class CrdToKeep:
    """A CustomResourceDefinition a release templates: kept unless purged, with every object of its kind."""

    name: str
    release: str
    kind: str
    objects: int
    """Objects of its kind in all namespaces (deleted with it)."""


@dataclass(frozen=True)
class Preview:
    """Everything an uninstall would remove (and keep), and where."""

    context: str
    namespace: str
    releases: tuple[ReleaseToRemove, ...]
    """In the order they are removed: the reverse of the install order (Flyte before its dependencies)."""
    secrets: tuple[str, ...] = ()
    """Secrets flyte-tui created (they carry its label): deleted."""
    foreign_secrets: tuple[tuple[str, str], ...] = ()
    """(name, why) of Secrets with the names flyte-tui uses that it did not create: never touched."""
    project_namespaces: tuple[ProjectNamespace, ...] = ()
    foreign_namespaces: tuple[tuple[str, str], ...] = ()
    """(name, why) of namespaces with a project namespace's name that the sync did not create."""
    crds: tuple[CrdToKeep, ...] = ()
    pvcs: tuple[str, ...] = ()
    """PersistentVolumeClaims in the namespace that the releases created (in their manifests, or labelled)."""
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Nothing to remove at all."""
        return not (self.releases or self.secrets)

    def to_keep(self, release: ReleaseToRemove, purge: bool) -> tuple[str, ...]:
        """``Kind/name`` of the objects in ``release``'s manifest that must survive its ``helm uninstall``."""
        if purge:
            return ()
        return (*(f"CustomResourceDefinition/{c}" for c in release.crds),
                *(f"PersistentVolumeClaim/{p}" for p in release.manifest_pvcs))  # fmt: skip

    def lines(self, purge: bool) -> list[str]:
        """The preview as plain lines."""
        where = f"namespace {self.namespace}" + (f" (context {self.context})" if self.context else "")
        lines = [f"Uninstall from {where}:", "Releases, removed in this order (helm uninstall):"]
        for r in self.releases:
            lines.append(f"  {r.name}: {r.info.chart or '?'}, revision {r.info.revision}, {r.info.status}, "
                         f"{len(r.pods)} pod(s)")  # fmt: skip
        lines += [] if self.releases else ["  (none found)"]
        deleted = ", ".join(self.secrets) + " (deleted)" if self.secrets else "none"
        lines.append(f"Secrets flyte-tui created: {deleted}")
        lines += [f"  {name}: not deleted, {why}" for name, why in self.foreign_secrets]
        lines += self._namespace_lines(purge)
        lines += self._crd_lines(purge)
        verb = "deleted (--purge)" if purge else "kept (--purge deletes them)"
        claims = ", ".join(self.pvcs) + f": {verb}" if self.pvcs else "none"
        lines.append(f"PersistentVolumeClaims the releases created: {claims}")
        lines.append(f"Kept: namespace {self.namespace} itself, and all that flyte-tui and the charts did not create.")
        return lines + list(self.notes)

    def _namespace_lines(self, purge: bool) -> list[str]:
        if not self.project_namespaces:
            lines = ["Project namespaces cluster-resource sync created: none"]
        else:
            shown = ", ".join(f"{n.name} ({n.pods} pod(s))" for n in self.project_namespaces)
            verb = "deleted with everything in them (--purge)" if purge else "kept (--purge deletes them)"
            lines = [f"Project namespaces cluster-resource sync created: {shown}: {verb}"]
        return lines + [f"  {name}: not touched, {why}" for name, why in self.foreign_namespaces]

    def _crd_lines(self, purge: bool) -> list[str]:
        lines: list[str] = []
        for crd in self.crds:
            head = f"CRD {crd.name} (cluster-wide; {crd.objects} {crd.kind} object(s) in all namespaces): "
            if purge:
                lines.append(head + f"deleted (--purge), and every {crd.kind} with it")
                continue
            lines += [
                head + "kept",
                f"  how: helm reads the keep policy only from the release's stored manifest and the chart has no "
                f"value for it, so flyte-tui adds helm.sh/resource-policy: keep to the CRD in release {crd.release}'s "
                f"newest record (Secret sh.helm.release.v1.{crd.release}.v<revision>) just before helm uninstall; "
                "nothing else in the record changes. The CRD keeps its helm labels: installing the release again "
                "adopts it.",
            ]
        return lines or ["FlyteWorkflow CRD: not part of these releases (not touched)"]


def _selectors(objects: Mapping[Any, Mapping[str, Any]]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for key, obj in objects.items():
        spec = obj.get("spec") or {}
        if key.kind in _WORKLOADS:
            labels = (spec.get("selector") or {}).get("matchLabels")
        elif key.kind == "Job":
            labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
        else:
            continue
        if isinstance(labels, dict) and labels:
            found.append({str(k): str(v) for k, v in labels.items()})
    return found


def matches(labels: Mapping[str, str], selectors: Sequence[Mapping[str, str]]) -> bool:
    """Whether a pod's labels are matched by one of the selectors."""
    return any(all(labels.get(k) == v for k, v in s.items()) for s in selectors)


class _Reader:
    """The reads of one preview: helm and kubectl bound to the target's context and namespace."""

    def __init__(self, target: UninstallTarget, options: UninstallOptions, cancel: threading.Event) -> None:
        self.target = target
        self.helm = release_helm(options.helm, target.context, target.namespace, options.env, cancel)
        self.kubectl = Kubectl(options.kubectl, target.context, target.namespace, options.env, cancel)

    def releases(self) -> list[ReleaseInfo]:
        """The target's releases that exist, in install order (with ``--release``: ``R-deps`` of chart
        flyte-deps before ``R``, when it exists)."""
        found = [info for name in self.target.releases if (info := find_release(self.helm, name)) is not None]
        if self.target.find_dependencies and self.target.releases:
            deps = find_release(self.helm, f"{self.target.releases[-1]}-deps")
            if deps is not None and deps.chart.removesuffix(f"-{deps.chart_version}") == DEPENDENCY_CHART:
                found.insert(0, deps)
        return found

    def release(self, info: ReleaseInfo, pods: list[dict[str, Any]]) -> ReleaseToRemove:
        objects = parse_manifest(live_manifest(self.helm, info.name))
        selectors = _selectors(objects)
        return ReleaseToRemove(
            info,
            crds=tuple(k.name for k in objects if k.kind == "CustomResourceDefinition"),
            manifest_pvcs=tuple(k.name for k in objects if k.kind == "PersistentVolumeClaim"),
            selectors=tuple(selectors),
            pods=tuple(_name(p) for p in pods if matches(_labels(p), selectors)),
        )

    def values(self, release: str) -> dict[str, Any]:
        text = self.helm.check("get", "values", release, "--all", "-o", "json")
        return output.json_object(text, "helm get values --all", empty="null", nullable=True)

    def secrets(self, names: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
        """(flyte-tui's, (name, why) of the others) among the Secrets of these names that exist."""
        if not names:
            return [], []
        ours: list[str] = []
        others: list[tuple[str, str]] = []
        for item in self.kubectl.items("secrets", *names, "--ignore-not-found"):
            key, value = MANAGED_BY_FLYTE_TUI
            if _labels(item).get(key) == value:
                ours.append(_name(item))
            else:
                others.append((_name(item), f"it has no {key}={value} label (flyte-tui did not create it)"))
        return ours, others

    def project_namespaces(self, values: Mapping[str, Any]) -> tuple[list[ProjectNamespace], list[tuple[str, str]]]:
        wanted = [c for c in projects.candidates(values) if c.name != self.target.namespace]
        if not wanted:
            return [], []
        live = {_name(n): n for n in self.kubectl.get_json("namespaces", namespaced=False).get("items") or []}
        ours: list[ProjectNamespace] = []
        others: list[tuple[str, str]] = []
        for candidate in wanted:
            if candidate.name not in live:
                continue
            there = Kubectl(self.kubectl.binary, self.kubectl.context, candidate.name, self.kubectl.env,
                            self.kubectl.cancel)  # fmt: skip
            present: list[str] = []
            if candidate.objects:
                done = there.run("get", *candidate.objects, "-o", "name", "--ignore-not-found")
                if not done.ok:
                    others.append((candidate.name, f"its objects could not be read: {done.stderr.strip()[:120]}"))
                    continue
                present = [line.strip() for line in done.stdout.splitlines() if line.strip()]
            why = projects.carries(candidate, live[candidate.name], present)
            if why:
                others.append((candidate.name, why))
                continue
            ours.append(ProjectNamespace(candidate.name, len(there.items("pods"))))
        return ours, others

    def crd(self, name: str, release: str) -> CrdToKeep | None:
        done = self.kubectl.run("get", "customresourcedefinition", name, "-o", "json", namespaced=False)
        if not done.ok:
            return None  # not there (any more): nothing to keep or delete
        crd = output.json_object(done.stdout, "kubectl get customresourcedefinition")
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        kind, plural = str(names.get("kind", "")), str(names.get("plural", ""))
        count = self.kubectl.run("get", f"{plural}.{spec.get('group', '')}", "--all-namespaces", "-o", "name")
        objects = len([line for line in count.stdout.splitlines() if line.strip()]) if count.ok else 0
        return CrdToKeep(name, release, kind, objects)


def _name(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def _labels(obj: Mapping[str, Any]) -> dict[str, str]:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return {str(k): str(v) for k, v in labels.items()}


def read_preview(target: UninstallTarget, options: UninstallOptions, cancel: threading.Event | None = None) -> Preview:
    """Read what uninstalling ``target`` removes and keeps. Raises :class:`~flyte_tui.tools.helm.HelmError`,
    :class:`~flyte_tui.tools.kubectl.KubectlError` or :class:`~flyte_tui.tools.process.ProcessError` when the
    cluster cannot be read (Cancelled when ``cancel`` is set)."""
    read = _Reader(target, options, cancel or threading.Event())
    infos = read.releases()
    pods = read.kubectl.items("pods")
    releases = [read.release(info, pods) for info in reversed(infos)]
    notes: list[str] = []
    missing = [n for n in target.releases if n not in {i.name for i in infos}]
    notes += [f"Release {n} was not found in namespace {target.namespace}: nothing of it to remove." for n in missing]
    names = list(secret_names(target.plan)) if target.plan is not None else []
    flyte = next((r for r in releases if r.info.chart.startswith("flyte-core")), releases[0] if releases else None)
    project_namespaces: list[ProjectNamespace] = []
    foreign_namespaces: list[tuple[str, str]] = []
    if flyte is not None:
        values = read.values(flyte.name)
        project_namespaces, foreign_namespaces = read.project_namespaces(values)
        if target.plan is None:
            names = _live_secret_names(read.helm, flyte.info, notes)
    secrets, foreign_secrets = read.secrets(names)
    crds = [c for r in releases for name in r.crds if (c := read.crd(name, r.name)) is not None]
    pvcs = _pvcs(read.kubectl.items("persistentvolumeclaims"), releases)
    return Preview(
        target.context, target.namespace, tuple(releases), tuple(secrets), tuple(foreign_secrets),
        tuple(project_namespaces), tuple(foreign_namespaces), tuple(crds), tuple(pvcs), tuple(notes),
    )  # fmt: skip


def _live_secret_names(helm: Helm, info: ReleaseInfo, notes: list[str]) -> list[str]:
    """The Secret names flyte-tui uses for a live release, from its values read back into answers."""
    from flyte_tui.charts import validate_answers

    imported = live_answers(helm, info)
    plan = validate_answers(imported.answers).plan
    if plan is None:
        notes.append(f"The values of release {info.name} do not make valid answers: flyte-tui cannot tell which "
                     "Secrets it created for it, so none is deleted (give the answers file instead).")  # fmt: skip
        return []
    return list(secret_names(plan))


def _pvcs(items: list[dict[str, Any]], releases: Sequence[ReleaseToRemove]) -> list[str]:
    """PersistentVolumeClaims in a release's manifest or labelled with its name (a StatefulSet's claims)."""
    names = {r.name for r in releases}
    templated = {p for r in releases for p in r.manifest_pvcs}
    return sorted(_name(i) for i in items if _name(i) in templated or _labels(i).get(INSTANCE_LABEL) in names)
