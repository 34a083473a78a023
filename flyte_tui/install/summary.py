"""The end summary of an install that finished: where the console and the gRPC endpoint are.

With an ingress at a host, both are at that host (flyte-core routes gRPC through its own Ingress there, at
the same host); without one, the port-forwards that reach them, each with its ``--context`` and
``--namespace`` (the user's current context may change before they run it). "open
http://localhost:8080/console" is said only once the console's Service has ready endpoints (a forward to a
Service without any never answers); else which Service has none and how to look. Lines fit 80 columns with
the two spaces the headless output indents them by (for contexts and namespaces up to about 30 characters):
each command is two lines, joined by a backslash as a shell reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl, KubectlError

CONSOLE = "flyteconsole"
"""flyte-core's console Service (port 80, to the console's 8080)."""
ADMIN = "flyteadmin"
"""flyte-core's flyteadmin Service: HTTP on port 80 (the API the console calls), gRPC on 81 (flytectl, pyflyte)."""
FORWARDS = ((CONSOLE, ("8080:80",)), (ADMIN, ("8088:80", "8089:81")))
"""The Services to forward and their local:service ports."""
ENDPOINT_TRIES = 3
"""How many times the Services' endpoints are read, a second apart, before one is said to have none."""

Ready = Mapping[str, int | None]
"""Ready endpoints per Service (None: could not be read)."""


def ready_summary(plan: InstallPlan, namespace: str, kubectl: Kubectl | None = None) -> list[str]:
    """What to do with a release that is deployed and ready: the console, the flytectl/pyflyte endpoint.

    Without an ingress, ``kubectl`` (bound to the release's context and namespace) names the context in the
    commands and reads the Services' endpoints; without it the commands name the plan's context."""
    ing = plan.ingress
    if ing.enabled and ing.controller != "none" and ing.host:
        secure = ing.tls.enabled
        return [
            f"Flyte console: {'https' if secure else 'http'}://{ing.host}/console",
            f"flytectl/pyflyte endpoint: dns:///{ing.host}" + ("" if secure else " (insecure)"),
        ]
    if kubectl is None:
        return forward_lines(plan.target.context, namespace, dict.fromkeys((CONSOLE, ADMIN)))
    return forward_lines(kubectl.current_context(), namespace, read_ready(kubectl))


def read_ready(kubectl: Kubectl) -> dict[str, int | None]:
    """The ready endpoints of the forwarded Services, read again (a second apart) while one has none yet."""
    ready: dict[str, int | None] = {}
    for attempt in range(ENDPOINT_TRIES):
        for service, _ports in FORWARDS:
            try:
                ready[service] = kubectl.ready_endpoints(service)
            except (KubectlError, process.ProcessError):
                ready[service] = None
        if all(ready.values()) or attempt + 1 == ENDPOINT_TRIES or kubectl.cancel.wait(1.0):
            break
    return ready


def forward_lines(context: str, namespace: str, ready: Ready) -> list[str]:
    """The port-forward commands and where they lead, given each Service's ready endpoints."""
    scope = [f"--context={context}"] if context else []
    scope.append(f"--namespace={namespace}")
    lines = ["No ingress: reach Flyte through these port-forwards (each runs until stopped):"]
    for service, ports in FORWARDS:
        lines += _command(scope, ["port-forward", f"svc/{service}", *ports])
    lines += _reachable("Then open http://localhost:8080/console (the Flyte console)", CONSOLE, ready, scope)
    lines += _reachable("flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)", ADMIN, ready, scope)
    return lines


def _reachable(line: str, service: str, ready: Ready, scope: list[str]) -> list[str]:
    """``line`` when ``service`` has ready endpoints; else which Service has none and how to look."""
    count = ready.get(service)
    if count:
        return [line]
    if count is None:
        return [line, f"  (the endpoints of Service {service} could not be read: it may not answer)"]
    what = "the Flyte console" if service == CONSOLE else "flytectl/pyflyte"
    selector = f"--selector=kubernetes.io/service-name={service}"
    return [
        f"Not yet for {what}: Service {service} has no ready endpoint; see",
        *_command(scope, ["get", "endpointslices", selector]),
    ]


def _command(scope: list[str], words: list[str]) -> list[str]:
    """A kubectl command as two summary lines (its context and namespace, then what it does), so that each
    fits 80 columns: the first ends with a backslash, as a shell reads it."""
    return [f"  kubectl {' '.join(scope)} \\", f"    {' '.join(words)}"]
