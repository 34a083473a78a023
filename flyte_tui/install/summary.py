"""The end summary of an install that finished: where the console and the gRPC endpoint are.

With an ingress at a host, both are at that host (flyte-core routes gRPC through its own Ingress there, at
the same host); without one, the port-forwards that reach them, one command a line. Each line fits 80
columns (with the two spaces the headless output indents it by) for namespaces up to 20 characters.
"""

from __future__ import annotations

from flyte_tui.model.plan import InstallPlan


def ready_summary(plan: InstallPlan, namespace: str) -> list[str]:
    """What to do with a release that is deployed and ready: the console, the flytectl/pyflyte endpoint."""
    ing = plan.ingress
    lines: list[str] = []
    if ing.enabled and ing.controller != "none" and ing.host:
        secure = ing.tls.enabled
        lines.append(f"Flyte console: {'https' if secure else 'http'}://{ing.host}/console")
        lines.append(f"flytectl/pyflyte endpoint: dns:///{ing.host}" + ("" if secure else " (insecure)"))
    else:
        forward = f"  kubectl -n {namespace} port-forward svc/"
        lines += [
            "Flyte console: http://localhost:8080/console, with its API, after",
            f"{forward}flyteconsole 8080:80",
            f"{forward}flyteadmin 8088:80",
            "flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure), after",
            f"{forward}flyteadmin 8089:81",
        ]
    return lines
