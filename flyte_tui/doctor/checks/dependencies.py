"""The sandbox's dependencies (the flyte-deps release beside Flyte's): minio and postgres run, their Services
are there, and the database Secret Flyte mounts fits what postgres expects.

Read from the same snapshot as every other check (no kubectl call of its own). Skipped where nothing is
bundled: the answers say so, or (without answers) no ``<release>-deps`` Deployment runs in the namespace.
"""

from __future__ import annotations

from typing import Any

from flyte_tui.charts.component import Component
from flyte_tui.charts.flyte_deps.chart import COMPONENTS, MINIO, POSTGRES
from flyte_tui.diagnose import EVENT_LINES, diagnose_pod
from flyte_tui.doctor.checks import REGISTRY, Check, Outcome, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.checks.components import warning_events
from flyte_tui.doctor.snapshot import Snapshot, meta
from flyte_tui.model.plan import DEPS_SUFFIX
from flyte_tui.readiness import component_status, matches

ANSWER = {MINIO.name: "dependencies.storage", POSTGRES.name: "dependencies.database"}
"""The answer that bundles each dependency."""


def deps_release(snap: Snapshot) -> str:
    """The dependency release's name: the answers' ``dependencies.release``, else ``<release>-deps``."""
    plan = snap.target.plan
    return plan.dependencies.release_for(snap.release) if plan is not None else snap.release + DEPS_SUFFIX


def _deployment(snap: Snapshot, component: Component) -> dict[str, Any] | None:
    """The dependency release's Deployment of a component (None when that release has none)."""
    found = snap.named("deployments", component.name)
    labels = (meta(found).get("labels") or {}) if found else {}
    return found if labels.get("app.kubernetes.io/instance") == deps_release(snap) else None


def bundled(snap: Snapshot, component: Component) -> bool:
    """Whether the install bundles this dependency: as the answers say, else as the namespace shows."""
    plan = snap.target.plan
    if plan is not None:
        return bool(getattr(plan.dependencies, ANSWER[component.name].split(".")[1]))
    return _deployment(snap, component) is not None


def dependency_outcome(component: Component, snap: Snapshot) -> Outcome:
    """One dependency's pods Ready and its Service there, or why not."""
    if (gone := unreadable(snap, "pods", "services")) is not None:
        return gone
    release = deps_release(snap)
    looked = (f"pods -l app.kubernetes.io/name={component.name},app.kubernetes.io/instance={release}",
              f"service {component.name}")  # fmt: skip
    if not bundled(snap, component):
        return skip(f"{component.name} is not bundled ({ANSWER[component.name]} is false or no {release} release)")
    k = kubectl_cmd(snap)
    pods = [p for p in snap.items("pods") if matches(p, component, release)]
    deployment = _deployment(snap, component)
    if not pods:
        return Outcome(
            "fail",
            f"no {component.name} pods of release {release} in {snap.namespace}: Flyte cannot reach its "
            + ("storage" if component is MINIO else "database"),
            looked,
            fix=f"install the dependencies again (flyte-tui install), or set {ANSWER[component.name]}: false "
            "and point Flyte at your own",
            commands=(f"helm status {release} -n {snap.namespace}", f"{k} get deployment {component.name}"),
            answer=ANSWER[component.name],
        )
    desired = int((deployment or {}).get("spec", {}).get("replicas", 1)) if deployment else None
    status = component_status(component, pods, release, desired, snap.now, snap.target.timing)
    if status.failure is not None:
        pod = next(p for p in pods if meta(p).get("name") == status.failure.pod)
        name = str(meta(pod).get("name"))
        found = diagnose_pod(component, pod, status.failure.container, status.failure.reason,
                             status.failure.message, warning_events(snap, name), [], snap.namespace,
                             registry=snap.target.plan.images.registry if snap.target.plan else "")  # fmt: skip
        return Outcome(
            "fail",
            f"dependency {status.summary} (release {release}): {status.failure.message} — {found.cause}",
            looked,
            tuple(f"event {e}" for e in found.events[-EVENT_LINES:]),
            found.fix,
            (f"{k} describe pod {name}", f"{k} logs {name} -c {component.name} --previous"),
            found,
            found.answer or ANSWER[component.name],
        )
    if status.state != "ready":
        return Outcome("warn", f"dependency {status.summary} (release {release}): not Ready yet", looked,
                       fix="wait a little and re-run", commands=(f"{k} get pods",))  # fmt: skip
    if snap.named("services", component.name) is None:
        return Outcome(
            "fail",
            f"no Service {component.name} in {snap.namespace}: Flyte finds {component.name} by that name",
            looked,
            fix=f"upgrade release {release} (its chart creates the Service)",
            commands=(f"{k} get services",),
            answer=ANSWER[component.name],
        )
    return ok(f"{status.ready}/{status.desired or status.pods} pods of release {release} Ready, Service there",
              *looked)  # fmt: skip


def db_auth(snap: Snapshot) -> Outcome:
    """The bundled postgres's authentication (its Deployment's env) against the Secret Flyte mounts."""
    if (gone := unreadable(snap, "deployments")) is not None:
        return gone
    if not bundled(snap, POSTGRES):
        return skip("postgres is not bundled: config.db-secret checks the database Secret")
    deployment = _deployment(snap, POSTGRES)
    looked = ("deployment postgres env (names and Secret references only)", "values common.databaseSecret.name")
    if deployment is None:
        return skip("not checked: no postgres Deployment (see dependency.postgres)", *looked)
    containers = deployment.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or [{}]
    env = {e.get("name"): e for e in containers[0].get("env") or []}
    secret = str(snap.value("common.databaseSecret.name") or "")
    method = (env.get("POSTGRES_HOST_AUTH_METHOD") or {}).get("value")
    if method == "trust":
        mounted = f"; Secret {secret} is mounted but not needed" if secret else ""
        return ok(f"postgres trusts connections from the cluster: no password is checked{mounted}", *looked)
    ref = ((env.get("POSTGRES_PASSWORD") or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
    path = str(snap.value("db.admin.database.passwordPath") or "")
    if ref and (ref.get("name") != secret or not path.endswith("/" + str(ref.get("key")))):
        return Outcome(
            "fail",
            f"postgres takes its password from Secret {ref.get('name')} key {ref.get('key')}, but Flyte reads "
            f"{secret or 'no Secret'} at {path or 'no passwordPath'}: the password will not match",
            looked,
            fix=f"make database.passwordSecret name {ref.get('name')} and key {ref.get('key')}",
            answer="database.passwordSecret",
        )
    if ref:
        return ok(f"postgres and Flyte read the same Secret {secret} and key", *looked)
    if "POSTGRES_PASSWORD" in env:
        return Outcome("warn", "postgres's password is written in its Deployment, where Flyte's Secret cannot "
                       "be compared with it", looked, fix="give postgres its password from a Secret")  # fmt: skip
    return Outcome("warn", "postgres sets neither trust nor a password: it may refuse every connection", looked)


def _register() -> None:
    for component in COMPONENTS:

        def run(snap: Snapshot, component: Component = component) -> Outcome:
            return dependency_outcome(component, snap)

        REGISTRY.append(Check(f"dependency.{component.name}", f"{component.name} (sandbox dependency)",
                              "dependencies", run))  # fmt: skip
    REGISTRY.append(
        Check("dependency.db-auth", "database Secret fits what the bundled postgres expects", "dependencies", db_auth)
    )


_register()
