"""Tools, cluster access and the Helm release."""

from __future__ import annotations

import re
import shlex

from flyte_tui.doctor.checks import Outcome, Severity, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Snapshot
from flyte_tui.release import RECENT_OPERATION, last_good_revision, seconds_since
from flyte_tui.tools.kubectl import CREDENTIALS_REFUSED as _UNAUTHORIZED

MIN_HELM = 3
MIN_KUBERNETES = (1, 19)


def _context(snap: Snapshot) -> str:
    return snap.target.context or "the current context"


def _helm_scope(snap: Snapshot) -> str:
    ctx = f" --kube-context {shlex.quote(snap.target.context)}" if snap.target.context else ""
    return f"-n {shlex.quote(snap.namespace)}{ctx}"


@check("tools.helm", "helm found (version 3 or newer)", "tools")
def helm_tool(snap: Snapshot) -> Outcome:
    """helm runs and is at least version 3."""
    if "helm" in snap.errors or not snap.helm_version:
        return Outcome(
            "fail",
            f"helm did not run: {snap.errors.get('helm', 'no version printed')}",
            (f"{snap.target.helm} version --short",),
            fix="install helm 3 or 4 (https://helm.sh/docs/intro/install/) or pass --helm PATH",
        )
    match = re.match(r"v?(\d+)\.", snap.helm_version)
    major = int(match.group(1)) if match else 0
    if major < MIN_HELM:
        return Outcome(
            "fail",
            f"helm {snap.helm_version} is too old: flyte-core needs helm 3 or newer",
            (f"{snap.target.helm} version --short",),
            fix="install helm 3 or 4",
        )
    return ok(f"helm {snap.helm_version}", f"{snap.target.helm} version --short")


@check("tools.kubectl", "kubectl found; Kubernetes 1.19 or newer", "tools")
def kubectl_tool(snap: Snapshot) -> Outcome:
    """kubectl runs; the server's version is supported by flyte-core."""
    looked = (f"{snap.target.kubectl} version -o json",)
    client = snap.kubectl_version.get("clientVersion") or {}
    if not client:
        return Outcome(
            "fail",
            f"kubectl did not run: {snap.errors.get('cluster', snap.errors.get('kubectl', 'no version printed'))}",
            looked,
            fix="install kubectl or pass --kubectl PATH",
        )
    server = snap.kubectl_version.get("serverVersion") or {}
    if not server:
        return skip(f"kubectl {client.get('gitVersion')}; server version unknown (see cluster.reachable)", *looked)
    major = int(re.sub(r"\D", "", str(server.get("major", "0"))) or 0)
    minor = int(re.sub(r"\D", "", str(server.get("minor", "0"))) or 0)
    text = f"kubectl {client.get('gitVersion')}, Kubernetes {server.get('gitVersion')}"
    if (major, minor) < MIN_KUBERNETES:
        return Outcome(
            "fail",
            f"{text}: flyte-core needs Kubernetes 1.19 or newer (networking.k8s.io/v1 Ingress, apiextensions v1)",
            looked,
            fix="upgrade the cluster",
        )
    return ok(text, *looked)


@check("cluster.reachable", "cluster reachable", "cluster")
def reachable(snap: Snapshot) -> Outcome:
    """The API server of the context answers."""
    looked = (f"kubectl version ({_context(snap)})",)
    if snap.cluster_reachable:
        return ok(f"the API server of {_context(snap)} answered", *looked)
    if (unusable := _no_context(snap)) is not None:
        return unusable
    if not snap.kubectl_version.get("clientVersion"):
        return skip("not checked: kubectl did not run (see tools.kubectl)", *looked)
    error = snap.errors.get("cluster") or snap.errors.get("kubectl") or "no answer"
    if _UNAUTHORIZED.search(error):
        return skip(f"the API server answered but refused the credentials (see cluster.credentials): {error}", *looked)
    return Outcome(
        "fail",
        f"cannot reach the cluster of {_context(snap)}: {error}",
        looked,
        fix="check the context (kubectl config get-contexts), the VPN or network, and the API server address",
        commands=("kubectl config current-context", "kubectl config get-contexts", f"{kubectl_cmd(snap)} cluster-info"),
    )


_LOGIN = {
    "eks": "aws eks update-kubeconfig --name CLUSTER --region REGION",
    "gke": "gcloud container clusters get-credentials CLUSTER --region REGION",
}


def _login(snap: Snapshot) -> str:
    """How to get credentials for the cluster: the cloud's command on eks/gke only, else the provider's."""
    env = snap.target.environment
    if env in _LOGIN:
        return _LOGIN[env]
    if env is None:
        return f"{_LOGIN['eks']} / {_LOGIN['gke']} / your provider's or SSO login"
    return "your provider's or SSO login"


def _no_context(snap: Snapshot) -> Outcome | None:
    """The kubeconfig has no context to use (kubectl then falls back to localhost:8080 and says "refused")."""
    looked = ("kubectl config view (contexts, current-context)",)
    fix = f"add your cluster to the kubeconfig ({_login(snap)}), or point KUBECONFIG at the file that has it"
    if snap.contexts is None:
        return None
    if not snap.contexts:
        return Outcome(
            "fail", "the kubeconfig has no contexts: there is no cluster to talk to", looked, fix=fix,
            commands=("kubectl config get-contexts",),
        )  # fmt: skip
    if snap.target.context and snap.target.context not in snap.contexts:
        return Outcome(
            "fail",
            f"the context {snap.target.context} is not in the kubeconfig (it has: {', '.join(snap.contexts[:10])})",
            looked,
            fix="pass one of those with --context, or add this one to the kubeconfig",
            commands=("kubectl config get-contexts",),
        )
    if not snap.context_used:
        return Outcome(
            "fail",
            f"the kubeconfig sets no current context (it has: {', '.join(snap.contexts[:10])})",
            looked,
            fix="choose one: kubectl config use-context NAME, or pass --context NAME",
            commands=("kubectl config get-contexts",),
        )
    return None


@check("cluster.credentials", "credentials valid", "cluster")
def credentials(snap: Snapshot) -> Outcome:
    """The cluster accepts the context's credentials."""
    looked = (f"kubectl version ({_context(snap)})",)
    error = snap.errors.get("cluster", "")
    if snap.cluster_reachable:
        return ok("the cluster accepted the credentials", *looked)
    if _UNAUTHORIZED.search(error):
        return Outcome(
            "fail",
            f"the cluster refused the credentials of {_context(snap)}: {error}",
            looked,
            fix=f"log in again ({_login(snap)})",
            commands=(f"{kubectl_cmd(snap)} auth whoami",),
        )
    return skip("not checked: the cluster did not answer (see cluster.reachable)", *looked)


@check("cluster.rbac", "permission to read the namespace", "cluster")
def rbac(snap: Snapshot) -> Outcome:
    """Every read the doctor needs was allowed."""
    if (gone := unreadable(snap)) is not None:
        return gone
    refused = {k: v for k, v in snap.errors.items() if "forbidden" in v.lower()}
    looked = (f"kubectl get … -n {snap.namespace}", "kubectl get namespaces,ingressclasses,crd,… (cluster scope)")
    if not refused:
        return ok(f"every object the doctor reads in {snap.namespace} and at cluster scope was readable", *looked)
    namespaced = [k for k in refused if k in ("secrets", *_NAMESPACED)]
    severity: Severity = "fail" if namespaced else "warn"
    return Outcome(
        severity,
        f"not allowed to read: {', '.join(sorted(refused))}",
        looked,
        evidence=tuple(f"{k}: {v}" for k, v in sorted(refused.items())),
        fix="ask for a Role with get/list on these kinds in the namespace (the view ClusterRole, plus secrets' "
        "metadata), and get on the cluster-scoped ones; checks that need them are skipped",
        commands=tuple(f"{kubectl_cmd(snap)} auth can-i list {k}" for k in sorted(refused)),
    )


_NAMESPACED = ("pods", "deployments", "services", "endpoints", "configmaps", "serviceaccounts", "ingresses", "events")


@check("cluster.namespace", "namespace exists", "cluster")
def namespace(snap: Snapshot) -> Outcome:
    """The release namespace exists."""
    if (gone := unreadable(snap, "namespaces")) is not None:
        return gone
    names = {str((n.get("metadata") or {}).get("name")) for n in snap.namespaces}
    if snap.namespace in names:
        return ok(f"namespace {snap.namespace} exists", "kubectl get namespaces")
    return Outcome(
        "fail",
        f"namespace {snap.namespace} does not exist",
        ("kubectl get namespaces",),
        fix="pass the namespace Flyte is installed in (--namespace), or install Flyte",
        commands=("helm list --all-namespaces",),
    )


@check("release.status", "Helm release deployed", "release")
def release_status(snap: Snapshot) -> Outcome:
    """The release exists and its last operation finished well."""
    if "release" in snap.errors:
        return skip(f"not checked: helm could not read the release: {snap.errors['release']}")
    if not snap.cluster_reachable:
        return skip("not checked: the cluster did not answer (see cluster.reachable)")
    looked = (f"helm history {snap.release} {_helm_scope(snap)}",)
    status = snap.release_status
    scope = _helm_scope(snap)
    if status is None:
        return Outcome(
            "fail",
            f"no release {snap.release} in namespace {snap.namespace}",
            looked,
            fix="pass the right --release/--namespace, or install Flyte (flyte-tui install ANSWERS)",
            commands=("helm list --all-namespaces",),
        )
    last = snap.history[-1] if snap.history else {}
    revision = last.get("revision")
    detail = f"revision {revision}: {last.get('description', '')}".strip()
    if status == "deployed":
        return ok(f"release {snap.release} is deployed ({detail})", *looked)
    if status.startswith("pending-"):
        return _stuck(snap, status, detail, looked)
    if status == "failed":
        good = [h for h in snap.history or [] if h.get("status") in ("deployed", "superseded")]
        commands = [f"helm history {snap.release} {scope}"]
        if good:
            commands.append(f"helm rollback {snap.release} {good[-1].get('revision')} {scope}")
        fix = "fix the cause shown by the other checks, then upgrade again"
        fix += " or roll back to the last good revision" if good else ""
        return _release_failed(
            f"release {snap.release}'s last operation failed ({detail})", detail, looked, fix, commands
        )
    return Outcome("warn", f"release {snap.release} is {status} ({detail})", looked)


def _stuck(snap: Snapshot, status: str, detail: str, looked: tuple[str, ...]) -> Outcome:
    """A release stuck in pending-*, with the recovery in its safe order (as :mod:`flyte_tui.release` runs it):
    wait while a helm may still be working on it; roll back (a pending-install to its own revision: nothing is
    deleted; else to the last deployed one); uninstall only as the last resort, destructive, and never as a
    command that runs when the commands are pasted."""
    history = snap.history or []
    last = history[-1] if history else {}
    scope = _helm_scope(snap)
    uninstall = f"helm uninstall {snap.release} {scope}"
    target = last.get("revision") if status == "pending-install" else last_good_revision(history)
    age = seconds_since(last.get("updated"), snap.now)
    steps: list[str] = []
    if age is not None and age < RECENT_OPERATION:
        steps.append(
            f"it started {age:.0f}s ago, so a helm (elsewhere, or one a stopped flyte-tui left running) may still "
            "be working on it: wait until it ends (helm history shows the revision no longer pending)"
        )
    else:
        steps.append("make sure no helm is still working on it (an earlier run may have been stopped mid-way)")
    commands = [f"helm history {snap.release} {scope}"]
    if target:
        what = (
            "re-applies what the interrupted install applied and marks it deployed; nothing is deleted"
            if status == "pending-install"
            else f"back to revision {target}, the last deployed one"
        )
        steps.append(f"then roll back ({what}) and run the install or upgrade again")
        commands.append(f"helm rollback {snap.release} {target} {scope}")
        steps.append("only if that fails, uninstall (destructive: deletes the release and everything it created)")
    else:
        steps.append(
            "then, as it never had a deployed revision, uninstall it (destructive: deletes the release and "
            "everything it created) and install again"
        )
    commands.append(f"# last resort, destructive (deletes the release and everything it created): {uninstall}")
    fix = "helm refuses any other operation until the release is recovered: " + "; ".join(steps)
    headline = f"release {snap.release} is stuck in {status}: an earlier helm operation did not finish"
    return _release_failed(headline, detail, looked, fix, commands)


def _release_failed(headline: str, detail: str, looked: tuple[str, ...], fix: str, commands: list[str]) -> Outcome:
    """A failing release status: helm's description of its last revision (``detail``) as the evidence, and the
    helm commands that recover it."""
    return Outcome("fail", headline, looked, evidence=(detail,), fix=fix, commands=tuple(commands))


@check("release.chart", "chart and version", "release")
def release_chart(snap: Snapshot) -> Outcome:
    """Which chart the release runs."""
    if not snap.history:
        return skip("no release (see release.status)")
    chart = str(snap.history[-1].get("chart", ""))
    looked = (f"helm history {snap.release} {_helm_scope(snap)}",)
    known = snap.target.profile.name
    if not chart.startswith(f"{known}-"):
        return Outcome(
            "warn",
            f"release {snap.release} runs chart {chart}, not {known}: these checks are written for {known}",
            looked,
        )
    return ok(f"chart {chart}", *looked)
