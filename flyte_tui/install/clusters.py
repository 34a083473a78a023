"""The steps a plan with data planes adds to an install (flyte-core multi-cluster, NEXT-CAPABILITIES §2).

Each data plane is a release of its own (:func:`flyte_tui.charts.plan_releases`: its context, the release's
namespace and name). The namespace and the Secrets propeller reads are made on every cluster; each data plane's
``helm upgrade --install`` is a visible step of its own, before the credentials step
(:func:`flyte_tui.install.cluster_links.link_data_planes`) and the control plane's helm; the readiness is
watched on every cluster at once (:mod:`flyte_tui.install.watch_clusters`); the links are verified last.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Sequence

from flyte_tui.charts import PlannedRelease
from flyte_tui.charts.flyte_core.render_clusters import control_plane_endpoints
from flyte_tui.events import Explanation, OutputLine
from flyte_tui.install.cluster_links import LINK_STEP, VERIFY_STEP
from flyte_tui.install.context import ReleaseRun, Step, StepError
from flyte_tui.install.preflight import check_values_path, preflight
from flyte_tui.install.steps import create_secrets, helm_upgrade, namespace
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process, retry

STEP_PREFIX = "data-plane:"
"""A data plane's helm step is ``data-plane:<name>`` (a name is a DNS label: it holds no colon)."""


def data_plane_step(name: str) -> str:
    """The id of data plane ``name``'s helm step."""
    return STEP_PREFIX + name


def data_plane_of(step: str) -> str:
    """The data plane a step id is the helm step of ("" for any other step)."""
    return step.removeprefix(STEP_PREFIX) if step.startswith(STEP_PREFIX) else ""


def has_data_planes(releases: Sequence[PlannedRelease]) -> bool:
    """Whether a plan's releases span several clusters."""
    return any(r.data_plane for r in releases)


def cluster_steps(plan: InstallPlan, releases: Sequence[PlannedRelease]) -> tuple[tuple[str, str], ...]:
    """(id, title) of the steps before the control plane's helm: one per data plane, then the credentials."""
    planes = [r.data_plane for r in releases if r.data_plane]
    if not planes:
        return ()
    return (*((data_plane_step(p), f"Data plane {p}") for p in planes), (LINK_STEP, "Data plane credentials"))


VERIFY = (VERIFY_STEP, "Verify data plane links")
"""The last step of a multi-cluster install."""


def data_plane_run(run: ReleaseRun, release: PlannedRelease) -> ReleaseRun:
    """A run of one data plane's release beside the control plane's ``run``: its own values file
    (``flyte-values-<name>.yaml`` beside Flyte's), the same options, cancel flag and what preflight learnt of
    helm."""
    options = dataclasses.replace(run.options, values_path=release.values_path(run.options.values_path))
    plane = ReleaseRun(run.plan, release, options, run.cancel)
    plane.helm_major = run.helm_major
    return plane


def data_plane_runs(run: ReleaseRun, releases: Sequence[PlannedRelease]) -> list[ReleaseRun]:
    """A run of every data plane's release, in install order."""
    return [data_plane_run(run, r) for r in releases if r.data_plane]


def preflight_every_cluster(
    run: ReleaseRun, dependencies: Sequence[PlannedRelease], releases: Sequence[PlannedRelease]
) -> Step:
    """The control plane's preflight, then each data plane's cluster: it answers, the user may create the
    release's objects in the namespace there, and its values file (``flyte-values-<name>.yaml``) can be written
    (before anything is created on any cluster)."""
    detail = yield from preflight(run, dependencies)
    for plane in data_plane_runs(run, releases):
        yield from _reachable(plane)
        try:
            check_values_path(plane)
        except StepError as exc:
            raise StepError(f"data plane {plane.release.data_plane}: {exc}", exc.explanation) from exc
    return detail


def _reachable(plane: ReleaseRun) -> Step:
    name, context = plane.release.data_plane, plane.release.context
    at = next((i for i, p in enumerate(plane.plan.data_planes) if p.name == name), 0)
    kubectl = dataclasses.replace(plane.kubectl, retries=retry.QUICK)
    server = kubectl.run("version", "-o", "json", namespaced=False, timeout=20)
    if not server.ok or "serverVersion" not in server.stdout:
        reason = process.last_line(server.stderr, "no answer")
        raise StepError(
            f"data plane {name}: cannot reach the cluster of context {context}: {reason}",
            Explanation(
                summary=f"the API server of data plane {name} (context {context}) does not answer",
                object="cluster",
                cause="the context's cluster is down, unreachable from here, or its credentials expired",
                fix=f"kubectl --context {shlex.quote(context)} cluster-info; or correct the data plane's context",
                answer=f"dataPlanes.{at}.context",
            ),
        )
    allowed = kubectl.can_i("create", "deployments")
    if allowed.allowed is False:
        ns = plane.release.namespace
        raise StepError(f"data plane {name}: you may not create deployments in namespace {ns} (context {context})")
    known = "yes" if allowed.allowed else "not known"
    yield OutputLine("preflight", f"data plane {name} ({context}): cluster reachable, permissions to create: {known}")
    return ""


def on_data_plane(plane: ReleaseRun, step: Step) -> Step:
    """A step run on a data plane: its lines and its detail begin with the data plane's name, and its failure
    names the data plane."""
    name = plane.release.data_plane
    try:
        while True:
            event = next(step)
            yield dataclasses.replace(event, text=f"{name}: {event.text}") if isinstance(event, OutputLine) else event
    except StopIteration as done:
        return f"{name}: {done.value}"
    except StepError as exc:
        raise StepError(f"data plane {name}: {exc}", exc.explanation) from exc


def namespaces(run: ReleaseRun, planes: Sequence[ReleaseRun]) -> Step:
    """The release's namespace on the control plane, then on every data plane."""
    details = [(yield from namespace(run))]
    for plane in planes:
        details.append((yield from on_data_plane(plane, namespace(plane))))
    return "; ".join(details)


def secrets(run: ReleaseRun, planes: Sequence[ReleaseRun]) -> Step:
    """The control plane's Secrets, then on each data plane the ones its propeller reads (the storage keys and
    propeller's client secret; never the database password nor flyteadmin's OIDC client secret)."""
    details = [(yield from create_secrets(run))]
    for plane in planes:
        given = dataclasses.replace(plane.options.secrets, db_password=None, oidc_client_secret=None)
        limited = dataclasses.replace(plane, options=dataclasses.replace(plane.options, secrets=given))
        try:
            details.append((yield from on_data_plane(plane, create_secrets(limited))))
        finally:
            plane.created_secrets = limited.created_secrets  # what a failure afterwards removes again
    return "; ".join(details)


def install_data_plane(plane: ReleaseRun) -> Step:
    """One data plane's ``helm upgrade --install`` on its context (its output streamed), after saying where its
    propeller reaches the control plane and why there. Its readiness is watched with every cluster's later."""
    step = data_plane_step(plane.release.data_plane)
    admin, catalog = control_plane_endpoints(plane.plan)
    yield OutputLine(step, f"propeller reports to flyteadmin at {admin.endpoint} ({admin.why})")
    yield OutputLine(step, f"propeller reads the cache at {catalog.endpoint} ({catalog.why})")
    try:
        yield from helm_upgrade(plane, step)
    except StepError as exc:
        raise StepError(f"data plane {plane.release.data_plane}: {exc}", exc.explanation) from exc
    return f"applied on {plane.release.context}"
