"""Task plugins: the CRDs of every plugin the release enables are served at a version Flyte talks to, propeller's
log does not show the silent fallback of a task type to a plain pod (its recent log is read even while it is
healthy, when plugins are chosen), and the connector's Service has ready endpoints (NEXT-CAPABILITIES §3)."""

from __future__ import annotations

from collections.abc import Callable

from flyte_tui import tree
from flyte_tui.diagnose import match
from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Json, Snapshot, meta
from flyte_tui.model.plugins import CATALOG, ENABLED_PATHS, Plugin, crd_problems
from flyte_tui.readiness import matches
from flyte_tui.tools import output, process

CRDS = "plugin-crds"
"""Where the CRDs of the enabled plugins are kept in :attr:`Snapshot.objects` (and their read's error)."""
PROPELLER_COMPONENTS = ("flytepropeller", "flyte-binary")
"""The components whose pod runs propeller (flyte-core's, flyte-binary's one Deployment)."""
LOG_TAIL = 500
LOG_SINCE = "1h"
"""How much of a healthy propeller's log is read for the fallback line: the last lines of the last hour."""
CONNECTOR_ENDPOINTS = (
    ("flyteconnector", "plugin_config", "plugins", "connector-service", "defaultConnector", "endpoint"),
    ("configuration", "inline", "plugins", "connector-service", "defaultConnector", "endpoint"),
)
"""Where flyte-core and flyte-binary name the connector's endpoint in propeller's config."""
CONNECTOR = "flyteconnector"
"""The connector's Service in both charts (the subchart's alias)."""


def enabled(values: Json) -> list[Plugin]:
    """The catalog plugins a release's values enable (flyte-core's or flyte-binary's ``enabled-plugins``)."""
    names: list[str] = []
    for path in ENABLED_PATHS.values():
        given = tree.get(values, path)
        names += [str(n).strip().lower() for n in given] if isinstance(given, list) else []
    return [p for p in CATALOG.values() if p.crds and p.plugin_id in names]


def chosen(snap: Snapshot) -> bool:
    """Whether the answers choose plugins or the release's values enable one beyond the chart's (the connector too)."""
    plan = snap.target.plan
    return bool(plan is not None and plan.plugins) or bool(enabled(snap.values)) or connector_enabled(snap.values)


def connector_enabled(values: Json) -> bool:
    """Whether the release deploys the flyteconnector subchart."""
    return tree.get(values, ("flyteconnector", "enabled")) is True


def propeller_logs(snap: Snapshot) -> list[tuple[str, str]]:
    """(pod, container) of one running propeller pod per propeller component."""
    out: list[tuple[str, str]] = []
    for component in snap.target.profile.components:
        if component.name not in PROPELLER_COMPONENTS:
            continue
        for pod in [p for p in snap.items("pods") if matches(p, component, snap.release)][:1]:
            containers = (pod.get("spec") or {}).get("containers") or [{}]
            out.append((str(meta(pod).get("name")), str(containers[0].get("name") or component.name)))
    return out


def plugin_reads(snap: Snapshot, kubectl: Callable[..., process.Completed]) -> dict[str, Callable[[Snapshot], None]]:
    """The reads the checks need once the values are known: the enabled plugins' CRDs, and with plugins chosen
    propeller's recent log (bounded), added to any log already read of it."""
    reads: dict[str, Callable[[Snapshot], None]] = {}
    if chosen(snap):
        for pod, container in propeller_logs(snap):
            reads[f"logs {pod}/{container} (plugins)"] = _log_read(kubectl, pod, container)
    names = [f"customresourcedefinitions/{crd.name}" for p in enabled(snap.values) for crd in p.crds]
    if not names:
        return reads

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

    return {**reads, CRDS: read}


def _log_read(kubectl: Callable[..., process.Completed], pod: str, container: str) -> Callable[[Snapshot], None]:
    def read(snap: Snapshot) -> None:
        done = kubectl("logs", pod, f"--container={container}", f"--tail={LOG_TAIL}", f"--since={LOG_SINCE}")
        if done.ok:
            snap.logs[(pod, container)] = merge_lines(snap.logs.get((pod, container), []), done.stdout.splitlines())

    return read


def merge_lines(read: list[str], more: list[str]) -> list[str]:
    """The lines already read of a log (e.g. a crashed run's), then those of ``more`` not among them."""
    seen = set(read)
    return [*read, *(line for line in more if line not in seen)]


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


def connector_target(values: Json) -> tuple[str, str, str]:
    """(endpoint, Service, namespace) propeller calls the connector at: a ``k8s://NAME.NS:PORT`` or
    ``dns:///NAME.NS.svc…`` endpoint's Service and namespace; the subchart's Service and "" for any other."""
    endpoint = next((e for path in CONNECTOR_ENDPOINTS if isinstance(e := tree.get(values, path), str) and e), "")
    scheme, sep, rest = endpoint.partition("://")
    if sep and scheme in ("k8s", "dns"):
        name, _, namespace = rest.lstrip("/").partition(":")[0].partition(".")
        return endpoint, name or CONNECTOR, namespace.partition(".")[0]
    return endpoint, CONNECTOR, ""


@check("plugins.connector", "the connector Service has ready endpoints", "plugins")
def connector_service(snap: Snapshot) -> Outcome:
    """With the connector enabled, propeller calls its Service: in the release namespace, with a Ready pod behind
    it. Without one, connector tasks sit in QUEUED with no error (NEXT-CAPABILITIES §3.4)."""
    if (gone := unreadable(snap, "values", "services", "endpoints")) is not None:
        return gone
    if not connector_enabled(snap.values):
        return skip("the connector is not enabled (flyteconnector.enabled)")
    endpoint, name, namespace = connector_target(snap.values)
    looked = (f"Service {name}", f"Endpoints {name}", *((f"connector endpoint {endpoint}",) if endpoint else ()))
    k = kubectl_cmd(snap)
    if namespace and namespace != snap.namespace:
        return Outcome(
            "fail",
            f"propeller calls the connector in namespace {namespace}, but the release and its flyteconnector are in "
            f"{snap.namespace}: connector tasks stay QUEUED",
            looked,
            evidence=(f"defaultConnector.endpoint: {endpoint}",),
            fix=f"point defaultConnector.endpoint at k8s://{CONNECTOR}.{snap.namespace}:8000 (flyte-tui renders it "
            "from target.namespace: drop the override from extraValues)",
            answer="plugins",
        )
    commands = (f"{k} get service,endpoints {name}", f"{k} describe deployment {name}")
    if snap.named("services", name) is None:
        return Outcome(
            "fail",
            f"the connector is enabled but Service {name} does not exist: connector tasks stay QUEUED",
            looked,
            fix="check that the flyteconnector subchart was installed with the release (flyteconnector.enabled: true)",
            commands=commands,
            answer="plugins",
        )
    subsets = (snap.named("endpoints", name) or {}).get("subsets") or []
    ready = [a for s in subsets for a in s.get("addresses") or []]
    if not ready:
        waiting = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
        return Outcome(
            "fail",
            f"Service {name} has no ready endpoints: no connector pod is Ready, so connector tasks stay QUEUED",
            looked,
            evidence=(f"{waiting} address(es) not ready",) if waiting else ("no addresses",),
            fix="look at the flyteconnector pod: its readiness probe is gRPC health on port 8000",
            commands=commands,
            answer="plugins",
        )
    return ok(f"Service {name} has {len(ready)} ready endpoint(s)", *looked)
