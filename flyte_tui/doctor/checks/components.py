"""One check per Flyte component: its pods are Ready, or why not, with the log tail and the known signature."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from flyte_tui.charts.component import Component
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.charts.flyte_core import FLYTE_CORE
from flyte_tui.diagnose import EVENT_LINES, diagnose_pod, oom_killed
from flyte_tui.doctor.checks import REGISTRY, Check, Outcome, Severity, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Json, Snapshot, meta
from flyte_tui.readiness import component_status, matches, pod_ready
from flyte_tui.redact import redact_text

_BACK_OFF = re.compile(r": back-off \S+ restarting failed container.*$")


def warning_events(snap: Snapshot, name: str) -> list[str]:
    """``Reason: message`` of the Warning events about one object, oldest first."""
    found = [
        e
        for e in snap.items("events")
        if e.get("type") == "Warning" and (e.get("involvedObject") or {}).get("name") == name
    ]
    found.sort(key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""))
    return [f"{e.get('reason')}: {e.get('message')}" for e in found]


def _unscheduled(pod: Mapping[str, Any]) -> str:
    """The scheduler's reason a pod is not placed yet ("" when it is scheduled)."""
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
            return str(cond.get("message") or cond.get("reason") or "not scheduled")
    return ""


def _restarted_container(pod: Mapping[str, Any]) -> str | None:
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        if int(cs.get("restartCount") or 0) > 0:
            return str(cs.get("name"))
    return None


def _commands_for(snap: Snapshot, signature: str | None) -> list[str]:
    k = kubectl_cmd(snap)
    objects = snap.chart_objects
    secret = snap.value("common.databaseSecret.name") or "<database secret>"
    host = snap.value("db.admin.database.host") or "<db host>"
    port = snap.value("db.admin.database.port") or 5432
    keys = '{{range $k, $v := .data}}{{$k}}{{"\\n"}}{{end}}'
    extra = {
        "db-password": [f"{k} get secret {secret} -o go-template='{keys}'"],
        "db-password-path": [f"{k} get secret {secret} -o go-template='{keys}'"],
        "db-unreachable": [f"{k} run pg-check --rm -it --image=postgres:15-alpine -- pg_isready -h {host} -p {port}"],
        "db-ssl": [f"{k} get configmap {objects.admin_config} -o jsonpath='{{.data.db\\.yaml}}'"],
        "minio-missing": [
            f"{k} get configmap {objects.admin_config} -o jsonpath='{{.data.storage\\.yaml}}'",
            f"{k} get service minio",
        ],
        "s3-access-denied": [
            f"{k} get serviceaccounts {' '.join(objects.storage_service_accounts)} -o jsonpath='{{..annotations}}'"
        ],
        "admin-unreachable": [f"{k} get endpoints flyteadmin"],
    }
    return extra.get(signature or "", [])


def _selector(component: Component, release: str) -> str:
    return ",".join(f"{k}={v}" for k, v in component.pod_selector(release).items())


def _of_release(component: Component, snap: Snapshot) -> Component | None:
    """The component as the release's chart names it (flyte-binary names its Deployment after the release);
    None when the release's chart has no such component."""
    if component.values_key not in {c.values_key for c in snap.target.profile.components}:
        return None
    return next((c for c in snap.expected_components() if c.values_key == component.values_key), component)


def component_outcome(component: Component, snap: Snapshot) -> Outcome:
    """The state of one component's pods and, when broken, why."""
    if (gone := unreadable(snap, "pods")) is not None:
        return gone
    named = _of_release(component, snap)
    if named is None:
        return skip(f"release {snap.release}'s chart {snap.target.profile.name} has no {component.name}")
    component = named
    k = kubectl_cmd(snap)
    looked = [f"pods -l {_selector(component, snap.release)}", f"deployment {component.name}"]
    pods = [p for p in snap.items("pods") if matches(p, component, snap.release)]
    expected = snap.expected_components()
    if component not in expected and not pods:
        return skip(f"{component.name} is not enabled in release {snap.release}'s values", *looked)
    deployment = snap.named("deployments", component.name)
    desired = int((deployment or {}).get("spec", {}).get("replicas", 1)) if deployment else None
    if not pods:
        return _no_pods(component, snap, deployment, tuple(looked))
    status = component_status(component, pods, snap.release, desired, snap.now, snap.target.timing)
    oom_pod = next((p for p in pods if oom_killed(p)), None)
    failure = status.failure
    if failure is None and oom_pod is None:
        if status.state == "ready":
            restarted = next((p for p in pods if _restarted_container(p)), None)
            if restarted is None:
                return ok(f"{status.ready}/{status.desired or status.pods} pods Ready", *looked)
            return _diagnose(
                component, snap, restarted, _restarted_container(restarted), looked, "warn",
                f"{status.ready} pods Ready but restarted {status.restarts} times",
            )  # fmt: skip
        unready = next((p for p in pods if not pod_ready(p)), pods[0])
        name = str(meta(unready).get("name"))
        events = warning_events(snap, name)
        return Outcome(
            "warn",
            f"{status.summary}: not Ready yet ({_unscheduled(unready) or status.state})",
            tuple(looked),
            evidence=tuple(events[-EVENT_LINES:]),
            fix="wait a little and re-run; if it stays, describe the pod",
            commands=(f"{k} describe pod {name}",),
        )
    if oom_pod is not None and failure is None:
        severity: Severity = "warn" if status.state == "ready" else "fail"
        summary = f"{status.summary}: a container was OOMKilled"
        return _diagnose(component, snap, oom_pod, oom_killed(oom_pod), looked, severity, summary)
    assert failure is not None
    pod = next(p for p in pods if meta(p).get("name") == failure.pod)
    message = _BACK_OFF.sub("", failure.message)
    summary = f"{status.summary}: {message}"
    return _diagnose(component, snap, pod, failure.container, looked, "fail", summary, failure.reason)


def _diagnose(
    component: Component,
    snap: Snapshot,
    pod: Json,
    container: str | None,
    looked: list[str],
    severity: Severity,
    summary: str,
    reason: str = "",
) -> Outcome:
    """The one failed-pod diagnosis (:func:`flyte_tui.diagnose.diagnose_pod`) as a finding, with commands."""
    k = kubectl_cmd(snap)
    name = str(meta(pod).get("name"))
    logs = snap.logs.get((name, container or ""), [])
    if not logs:
        logs = next((lines for (p, _c), lines in snap.logs.items() if p == name and lines), [])
    registry = snap.target.plan.images.registry if snap.target.plan is not None else ""
    found = diagnose_pod(component, pod, container, reason, summary, warning_events(snap, name), logs, snap.namespace,
                         registry=registry)  # fmt: skip
    commands = [f"{k} describe pod {name}"]
    if container:
        looked.append(f"logs {name} -c {container}")
        commands.append(f"{k} logs {name} -c {container} --previous")
    answer = found.answer
    if found.signature is not None:
        if answer == "resources.components":  # the doctor knows which component: name its sizing
            answer = f"resources.components.{component.values_key}"
        commands += _commands_for(snap, found.signature)
    return Outcome(
        severity,
        summary + (f" — {found.cause}" if found.cause else ""),
        tuple(looked),
        (*(f"event {redact_text(e)}" for e in found.events), *(f"log {redact_text(e)}" for e in found.log_tail)),
        found.fix,
        tuple(commands),
        dataclasses.replace(found, answer=answer),
        answer,
    )


def _no_pods(component: Component, snap: Snapshot, deployment: Json | None, looked: tuple[str, ...]) -> Outcome:
    k = kubectl_cmd(snap)
    if deployment is None:
        return Outcome(
            "fail",
            f"no Deployment {component.name} and no pods in {snap.namespace}",
            looked,
            fix=f"the release should create it: upgrade the release, and check that {component.values_key} is enabled",
            commands=(f"helm get manifest {snap.release} -n {snap.namespace}",),
        )
    conditions = (deployment.get("status") or {}).get("conditions") or []
    problems = [
        f"{c.get('type')}: {c.get('message')}"
        for c in conditions
        if (c.get("type") == "ReplicaFailure" and c.get("status") == "True")
        or (c.get("type") == "Available" and c.get("status") == "False")
    ]
    replicas = int((deployment.get("spec") or {}).get("replicas", 1))
    if replicas == 0:
        return Outcome("warn", f"Deployment {component.name} is scaled to 0", looked,
                       commands=(f"{k} scale deployment {component.name} --replicas=1",))  # fmt: skip
    return Outcome(
        "fail",
        f"Deployment {component.name} has no pods",
        looked,
        evidence=tuple(problems + warning_events(snap, component.name)[-EVENT_LINES:]),
        fix="read the Deployment's and ReplicaSet's events (quota exceeded? ServiceAccount missing?)",
        commands=(f"{k} describe deployment {component.name}", f"{k} get replicasets,events"),
    )


def _register() -> None:
    for component in (*FLYTE_CORE.components, *FLYTE_BINARY.components):

        def run(snap: Snapshot, component: Component = component) -> Outcome:
            return component_outcome(component, snap)

        REGISTRY.append(Check(f"component.{component.name}", f"{component.name} pods", "components", run))


_register()
