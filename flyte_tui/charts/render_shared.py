"""What flyte-core's and flyte-binary's values share: the cloud identity annotations, the ALB controller's
annotations, the task pods' identity and the per-domain customData of the namespace templates.

Each chart puts them under its own keys (``charts/flyte_core/render.py``, ``charts/flyte_binary/render.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan

IRSA_ANNOTATION = "eks.amazonaws.com/role-arn"
WI_ANNOTATION = "iam.gke.io/gcp-service-account"
NGINX = "nginx.ingress.kubernetes.io/"
ALB = "alb.ingress.kubernetes.io/"

Part = Callable[[dict[str, Any], "InstallPlan"], None]
"""One part of a chart's rendering: puts the keys of one section of the answers into the values."""


def put_parts(plan: InstallPlan, parts: Iterable[Part]) -> dict[str, Any]:
    """New values that each of ``parts`` has put its keys in, in order."""
    values: dict[str, Any] = {}
    for put in parts:
        put(values, plan)
    return values


def alb_annotations(plan: InstallPlan) -> dict[str, str]:
    """The ALB controller's annotations: internet-facing, to the pods' IPs, one load balancer group per release,
    HTTPS with the ACM certificate when TLS is on (each chart adds its own redirect to HTTPS)."""
    tls = plan.ingress.tls
    found = {ALB + "scheme": "internet-facing", ALB + "target-type": "ip", ALB + "group.name": plan.target.release}
    if tls.enabled:
        found[ALB + "listen-ports"] = '[{"HTTP": 80}, {"HTTPS": 443}]'
        found[ALB + "certificate-arn"] = tls.certificate_arn
    else:
        found[ALB + "listen-ports"] = '[{"HTTP": 80}]'
    return found


def task_identity(plan: InstallPlan, gcp_variable: str) -> tuple[str, str, str] | None:
    """(customData variable, annotation, value) giving task pods a cloud identity; ``gcp_variable`` is the
    variable the chart's templates name the GCP service account with."""
    if plan.environment == "eks" and plan.projects.task_role_arn:
        return "defaultIamRole", IRSA_ANNOTATION, plan.projects.task_role_arn
    if plan.environment == "gke" and plan.projects.task_service_account:
        return gcp_variable, WI_ANNOTATION, plan.projects.task_service_account
    return None


def domain_variables(plan: InstallPlan, identity: tuple[str, str, str] | None) -> dict[str, list[dict[str, Any]]]:
    """Each domain's customData entries: its quota's cpu and memory, the task identity's variable (a domain
    with neither has none)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for domain in plan.projects.domains:
        quota = plan.projects.quotas.get(domain)
        entries: list[dict[str, Any]] = []
        if quota is not None:
            entries += [{"projectQuotaCpu": {"value": quota.cpu}}, {"projectQuotaMemory": {"value": quota.memory}}]
        if identity:
            entries.append({identity[0]: {"value": identity[2]}})
        found[domain] = entries
    return found
