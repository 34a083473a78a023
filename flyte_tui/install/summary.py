"""The end summary of an install that finished: where the console and the gRPC endpoint are.

With an ingress at a host, both are at that host (flyte-core routes gRPC through its own Ingress there, at
the same host); without one, the port-forwards that reach them, each with its ``--context`` and
``--namespace`` (the user's current context may change before they run it). Which Services and ports to
forward is the chart's (:meth:`flyte_tui.charts.ChartProfile.endpoints`: flyte-core's flyteconsole and
flyteadmin, flyte-binary's ``<fullname>-http`` and ``-grpc``). "open http://localhost:…/console" is said only
once the console's Service has ready endpoints (a forward to a Service without any never answers); else
which Service has none and how to look. Lines fit 80 columns with the two spaces the headless output indents
them by (for contexts and namespaces up to about 30 characters): each command is two or three lines, joined
by a backslash as a shell reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from flyte_tui.charts import Endpoints, PlannedRelease, flyte_release, plan_releases
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl, KubectlError

ENDPOINT_TRIES = 3
"""How many times the Services' endpoints are read, a second apart, before one is said to have none."""

WIDTH = 78
"""The widest summary line: 80 columns less the headless output's indent."""

Ready = Mapping[str, int | None]
"""Ready endpoints per Service (None: could not be read)."""


def ready_summary(
    plan: InstallPlan, namespace: str, kubectl: Kubectl | None = None, release: PlannedRelease | None = None
) -> list[str]:
    """What to do with a release that is deployed and ready: the console, the flytectl/pyflyte endpoint.

    Without an ingress, ``kubectl`` (bound to the release's context and namespace) names the context in the
    commands and reads the Services' endpoints; without it the commands name the plan's context. ``release``
    is Flyte's release of the plan with its rendered values (rendered here when not given)."""
    ing = plan.ingress
    if ing.enabled and ing.controller != "none" and ing.host:
        secure = ing.tls.enabled
        return [
            f"Flyte console: {'https' if secure else 'http'}://{ing.host}/console",
            f"flytectl/pyflyte endpoint: dns:///{ing.host}" + ("" if secure else " (insecure)"),
        ]
    flyte = release if release is not None else flyte_release(plan_releases(plan))
    reach = flyte.profile.endpoints(flyte.values, flyte.release)
    if kubectl is None:
        return forward_lines(plan.target.context, namespace, dict.fromkeys(reach.services), reach)
    return forward_lines(kubectl.current_context(), namespace, read_ready(kubectl, reach), reach)


def read_ready(kubectl: Kubectl, reach: Endpoints) -> dict[str, int | None]:
    """The ready endpoints of the forwarded Services, read again (a second apart) while one has none yet."""
    ready: dict[str, int | None] = {}
    for attempt in range(ENDPOINT_TRIES):
        for service in reach.services:
            try:
                ready[service] = kubectl.ready_endpoints(service)
            except (KubectlError, process.ProcessError):
                ready[service] = None
        if all(ready.values()) or attempt + 1 == ENDPOINT_TRIES or kubectl.cancel.wait(1.0):
            break
    return ready


def forward_lines(context: str, namespace: str, ready: Ready, reach: Endpoints) -> list[str]:
    """The port-forward commands and where they lead, given each Service's ready endpoints."""
    scope = [f"--context={context}"] if context else []
    scope.append(f"--namespace={namespace}")
    lines = ["No ingress: reach Flyte through these port-forwards (each runs until stopped):"]
    for forward in reach.forwards:
        lines += _command(scope, f"port-forward svc/{forward.service} {' '.join(forward.ports)}")
    console = f"Then open {reach.console_url} (the Flyte console)"
    lines += _reachable(console, "the Flyte console", reach.console_service, ready, scope)
    grpc = f"flytectl/pyflyte endpoint: {reach.grpc_address} (insecure)"
    lines += _reachable(grpc, "flytectl/pyflyte", reach.grpc_service, ready, scope)
    return lines


def _reachable(line: str, what: str, service: str, ready: Ready, scope: list[str]) -> list[str]:
    """``line`` when ``service`` has ready endpoints; else which Service has none and how to look."""
    count = ready.get(service)
    if count:
        return [line]
    if count is None:
        return [line, f"  (the endpoints of Service {service} could not be read: it may not answer)"]
    selector = f"--selector=kubernetes.io/service-name={service}"
    look = [f"get endpointslices {selector}"]
    if len(f"    {look[0]}") > WIDTH:
        look = ["get endpointslices", selector]
    said = f"Not yet for {what}: Service {service} has no ready endpoint; see"
    if len(said) > WIDTH:  # a chart that names its Services after the release: two lines
        said, rest = said.split(": ", 1)
        return [f"{said}:", f"  {rest}", *_command(scope, *look)]
    return [said, *_command(scope, *look)]


def _command(scope: list[str], *parts: str) -> list[str]:
    """A kubectl command as summary lines (its context and namespace, then what it does, a line per part), so
    that each fits 80 columns: every line but the last ends with a backslash, as a shell reads it."""
    lines = [f"  kubectl {' '.join(scope)}", *(f"    {p}" for p in parts)]
    return [line + " \\" for line in lines[:-1]] + lines[-1:]
