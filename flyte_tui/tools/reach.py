"""Whether a kube context's cluster answers, and the API server its kubeconfig names: what the wizard's Clusters
step checks as a data plane's context is chosen (two short kubectl calls, each with its own timeout)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from flyte_tui.redact import redact_text
from flyte_tui.tools import process, retry
from flyte_tui.tools.kubectl import Kubectl

TIMEOUT = 5.0
"""Seconds each call may take: a cluster that does not answer by then is said to be unreachable."""


@dataclass(frozen=True)
class Reach:
    """What asking one context's cluster found."""

    context: str
    server: str = ""
    """The API server the kubeconfig names for the context (how this machine reaches it; "" when unknown)."""
    error: str = ""
    """Why the cluster did not answer ("" when it did)."""

    @property
    def reachable(self) -> bool:
        """The API server answered ``/readyz`` with ok."""
        return not self.error

    def line(self) -> str:
        """``✓ east answers (https://…)`` or ``✗ east is not reachable: why``."""
        at = f" ({self.server})" if self.server else ""
        if self.reachable:
            return f"✓ {self.context} is reachable: its API server{at} is ready"
        return f"✗ {self.context} is not reachable{at}: {self.error}"


def kubeconfig_server(kubectl: Kubectl) -> str:
    """The ``server`` of the kubeconfig's cluster for ``kubectl``'s context ("" when kubectl does not say).
    ``config view`` without ``--raw`` leaves credentials out of what it prints."""
    try:
        done = kubectl.run("config", "view", "--minify", "-o", "json", namespaced=False)
    except process.ProcessError:
        return ""
    if not done.ok:
        return ""
    try:
        clusters = json.loads(done.stdout).get("clusters") or []
        server = clusters[0]["cluster"]["server"] if clusters else ""
    except (ValueError, AttributeError, LookupError, TypeError):
        return ""
    return server if isinstance(server, str) else ""


def reach(binary: str, context: str, cancel: threading.Event | None = None, timeout: float = TIMEOUT) -> Reach:
    """Ask the cluster of ``context`` whether it is ready (``kubectl get --raw /readyz``), and read the API
    server its kubeconfig names; never raises (a failure is the :attr:`Reach.error`)."""
    kubectl = Kubectl(binary, context, timeout=timeout, retries=retry.ONCE, cancel=cancel or threading.Event())
    server = kubeconfig_server(kubectl)
    try:
        done = kubectl.run("get", "--raw", "/readyz", f"--request-timeout={timeout:g}s", namespaced=False)
    except process.TimedOut:
        return Reach(context, server, f"no answer within {timeout:g}s")
    except process.Cancelled:
        return Reach(context, server, "cancelled")
    except process.ProcessError as exc:
        return Reach(context, server, str(exc) or "kubectl could not run")
    if done.ok and done.stdout.strip() == "ok":
        return Reach(context, server)
    said = process.last_line(redact_text(done.stderr or done.stdout), f"kubectl exit code {done.returncode}")
    return Reach(context, server, said[:200])
