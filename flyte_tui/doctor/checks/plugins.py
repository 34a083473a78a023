"""Task plugins: the CRDs of every plugin the release enables are served at a version Flyte talks to, and
propeller's log does not show the silent fallback of a task type to a plain pod (NEXT-CAPABILITIES §3)."""

from __future__ import annotations

from collections.abc import Callable

from flyte_tui import tree
from flyte_tui.diagnose import match
from flyte_tui.doctor.checks import Outcome, check, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Json, Snapshot
from flyte_tui.model.plugins import CATALOG, ENABLED_PATHS, Plugin, crd_problems
from flyte_tui.tools import output, process

CRDS = "plugin-crds"
"""Where the CRDs of the enabled plugins are kept in :attr:`Snapshot.objects` (and their read's error)."""


def enabled(values: Json) -> list[Plugin]:
    """The catalog plugins a release's values enable (flyte-core's or flyte-binary's ``enabled-plugins``)."""
    names: list[str] = []
    for path in ENABLED_PATHS.values():
        given = tree.get(values, path)
        names += [str(n).strip().lower() for n in given] if isinstance(given, list) else []
    return [p for p in CATALOG.values() if p.crds and p.plugin_id in names]


def plugin_reads(snap: Snapshot, kubectl: Callable[..., process.Completed]) -> dict[str, Callable[[Snapshot], None]]:
    """The one read the check needs once the values are known: the enabled plugins' CRDs (none enabled: none)."""
    names = [f"customresourcedefinitions/{crd.name}" for p in enabled(snap.values) for crd in p.crds]
    if not names:
        return {}

    def read(snap: Snapshot) -> None:
        done = kubectl("get", *names, "-o", "json", "--ignore-not-found", namespaced=False)
        if not done.ok:
            snap.errors[CRDS] = process.last_line(done.stderr or done.stdout) or "no answer"
            return
        try:
            data = output.json_object(done.stdout, "kubectl get customresourcedefinitions", output.KubeList)
        except output.UnexpectedOutput as exc:
            snap.errors[CRDS] = str(exc)
            return
        snap.objects[CRDS] = list(data.get("items") or []) if "items" in data else [data] if data else []

    return {CRDS: read}


@check("plugins.crds", "the enabled task plugins' CRDs are served", "plugins")
def plugin_crds(snap: Snapshot) -> Outcome:
    """Each plugin the release enables has its operator's CRDs, served at the version Flyte creates: without them
    the plugin's tasks fail at run time. A fallback to a plain pod in propeller's log is a warning."""
    if (gone := unreadable(snap, "values", CRDS)) is not None:
        return gone
    fallback = _fallback(snap)
    plugins = enabled(snap.values)
    if not plugins:
        return fallback or skip("no task plugin with an operator is enabled (container, sidecar, k8s-array, echo)")
    looked = tuple(f"CustomResourceDefinition {crd.name}" for p in plugins for crd in p.crds)
    problems = crd_problems(plugins, snap.items(CRDS))
    if problems:
        first = problems[0]
        return Outcome(
            "fail",
            f"{len(problems)} CRD(s) of the enabled plugins missing or at another version: "
            + ", ".join(p.crd.name for p in problems),
            looked,
            evidence=tuple(str(p) for p in problems),
            fix=f"install the {first.plugin.operator}, or remove {first.plugin.name} from plugins",
            commands=tuple(dict.fromkeys(p.plugin.install for p in problems)),
            answer="plugins",
        )
    return fallback or ok("served: " + ", ".join(crd.name for p in plugins for crd in p.crds), *looked)


def _fallback(snap: Snapshot) -> Outcome | None:
    """A warning when a log the doctor read shows propeller running a task type as a plain pod."""
    for (pod, container), lines in snap.logs.items():
        found = match(lines)
        if found is not None and found[0].id == "plugin-fallback":
            return Outcome(
                "warn",
                "propeller runs a task type with no enabled plugin as a plain pod",
                (f"logs of {pod}/{container}",),
                evidence=(found[1],),
                fix=found[0].fix,
                answer=found[0].answer,
            )
    return None
