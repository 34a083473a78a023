"""The answers' ingress against the cluster's ingress controllers (issue 13): an Ingress that no controller
serves is never reached.

A cluster without an IngressClass (a fresh kind, minikube or k3d cluster) has no controller to serve one.
For ``environment: sandbox`` the plan is then installed with the ingress off (:func:`fit_to_cluster`, before
anything is rendered, so the values shown, written and installed are the same); for any other environment
preflight warns (:func:`preflight_warnings`) naming the answer. Either way the end summary gives the
port-forwards (:mod:`flyte_tui.install.summary`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flyte_tui.events import Event, OutputLine
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tools import process, retry
from flyte_tui.tools.kubectl import Kubectl, KubectlError


def wants_ingress(plan: InstallPlan) -> bool:
    """Whether the answers ask for Ingress objects."""
    return plan.ingress.enabled and plan.ingress.controller != "none"


def read_classes(kubectl: Kubectl) -> tuple[str, ...] | None:
    """The cluster's IngressClass names; None when they cannot be read (nothing is concluded then)."""
    try:
        return kubectl.ingress_classes()
    except (KubectlError, process.ProcessError):  # UnexpectedOutput is a ProcessError
        return None


@dataclass(frozen=True)
class Fitted:
    """A plan as it will be installed on this cluster, and what was changed (empty: nothing)."""

    plan: InstallPlan
    note: str = ""


NO_CLASS = "the cluster has no IngressClass (no ingress controller)"


def fit_to_cluster(plan: InstallPlan, classes: tuple[str, ...] | None) -> Fitted:
    """A sandbox plan that asks for an ingress on a cluster with no IngressClass, with the ingress off (said in
    the note); any other plan as it is."""
    if plan.environment != "sandbox" or not wants_ingress(plan) or classes is None or classes:
        return Fitted(plan)
    ingress = plan.ingress.model_copy(update={"enabled": False})
    note = (
        f"{NO_CLASS}: environment sandbox installs with the ingress off (ingress.enabled: false instead of "
        f"controller {plan.ingress.controller}); the end shows the port-forwards to reach Flyte"
    )
    return Fitted(plan.model_copy(update={"ingress": ingress}), note)


def fit_for_install(plan: InstallPlan, kubectl: str = "kubectl") -> Fitted:
    """:func:`fit_to_cluster` with the classes read from the plan's cluster (only for a plan it may change;
    one quick read: an unreachable cluster changes nothing, preflight then says why)."""
    if plan.environment != "sandbox" or not wants_ingress(plan):
        return Fitted(plan)
    adapter = Kubectl(kubectl, plan.target.context, plan.target.namespace, timeout=10, retries=retry.QUICK)
    return fit_to_cluster(plan, read_classes(adapter))


def ingress_warning(plan: InstallPlan, classes: tuple[str, ...] | None) -> str:
    """Why the plan's Ingress would never be served on a cluster with these IngressClasses ("" when it would,
    or when they are unknown)."""
    if not wants_ingress(plan) or classes is None:
        return ""
    controller = plan.ingress.controller
    if not classes:
        found = NO_CLASS
    elif controller != "gce" and controller not in classes:  # gce is chosen by annotation, not class name
        found = f"the cluster's IngressClasses are {', '.join(classes)}, none named {controller}"
    else:
        return ""
    return (
        f"ingress.controller: {controller} asks for an Ingress, but {found}: nothing would serve it, so Flyte "
        "would never be reached through it; install that controller first, or set ingress.enabled: false and "
        "use the port-forwards shown at the end"
    )


def preflight_warnings(plan: InstallPlan, classes: tuple[str, ...] | None) -> Iterator[Event]:
    """The preflight line for :func:`ingress_warning` (a warning: the install goes on)."""
    warning = ingress_warning(plan, classes)
    if warning:
        yield OutputLine("preflight", f"warning: {warning}", "stderr")
