"""The links from the control plane's flyteadmin to each data plane (NEXT-CAPABILITIES §2.3, §2.4): made, then proved.

:func:`link_data_planes`, on each data plane (not the ``inCluster`` entry) in the release's namespace: the
ServiceAccount ``flyteadmin`` (the data-plane release makes it; created here when missing), the RBAC flyteadmin
needs there when the ServiceAccount does not have it yet, and a long-lived token Secret for it; waits until the
token controller has filled the token and ``ca.crt``, reads both (``kubectl -o json`` on a pipe, never printed),
and applies the control plane's Secret ``cluster-credentials`` with ``<name>_token`` and ``<name>_cacert`` on
kubectl's stdin, server-side (the values as they came, base64 under ``data``: ``stringData`` would encode them
twice). Every token joins the run's masked secrets.

:func:`verify_links` reads ``cluster-credentials`` back and, with each data plane's token and CA exactly as
flyteadmin will use them, asks that data plane's API server (the answers' ``endpoint``, over HTTPS from Python:
:mod:`flyte_tui.install.kube_http`) whether the token may create FlyteWorkflows and namespaces there. A failure
names the data plane, the Secret key and the fix. The doctor asks the same through :func:`link_problem`.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flyte_tui.events import Event, Explanation, OutputLine
from flyte_tui.install.context import ReleaseRun, Step, StepError
from flyte_tui.install.kube_http import FLYTEADMIN_NEEDS, Credentials, KubeHttp, LinkRefused, read_review, resource_name
from flyte_tui.install.secrets import MANAGED_BY
from flyte_tui.model.clusters import CREDENTIALS_SECRET, DataPlane, ca_key, remote_planes, token_key
from flyte_tui.tools import output, process, retry
from flyte_tui.tools.kubectl import Kubectl, KubectlError

LINK_STEP = "data-plane-credentials"
"""The id of the step that makes the links (its output lines carry it)."""
VERIFY_STEP = "verify-links"
"""The id of the step that proves them."""
SERVICE_ACCOUNT = "flyteadmin"
"""The ServiceAccount flyteadmin acts as on a data plane (the data-plane release makes it: alwaysCreate)."""
TOKEN_SECRET = "flyteadmin-token"
"""The data plane's long-lived token Secret of :data:`SERVICE_ACCOUNT`."""
CLUSTER_ROLE = "flyte-tui-flyteadmin"
"""The ClusterRole (and binding) made on a data plane whose flyteadmin ServiceAccount lacks the rights."""
TOKEN_WAIT = 60.0
"""Seconds to wait for the token controller to fill the token Secret."""
ADMIN_RULES = {
    "apiGroups": ["", "flyte.lyft.com", "rbac.authorization.k8s.io"],
    "resources": ["configmaps", "flyteworkflows", "namespaces", "pods", "resourcequotas", "roles", "rolebindings",
                  "secrets", "services", "serviceaccounts", "spark-role", "limitranges"],
    "verbs": ["*"],
}  # fmt: skip
"""flyte-core's ``flyteadmin.serviceAccount.rbacRules`` (§2.4): what flyteadmin may do on a data plane."""


def data_plane_kubectl(run: ReleaseRun, plane: DataPlane) -> Kubectl:
    """kubectl bound to ``plane``'s context and the release's namespace, with the run's options and cancel flag."""
    o = run.options
    return Kubectl(o.kubectl, plane.context, run.release.namespace, o.env, run.cancel, retries=retry.READS)


def _manifest(*items: dict[str, Any]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": list(items)})


def token_secret_manifest(namespace: str) -> str:
    """The long-lived token Secret of ``namespace``/flyteadmin (Kubernetes ≥ 1.24 makes none by itself)."""
    metadata = {"name": TOKEN_SECRET, "namespace": namespace, "labels": dict(MANAGED_BY),
                "annotations": {"kubernetes.io/service-account.name": SERVICE_ACCOUNT}}  # fmt: skip
    return _manifest({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                      "metadata": metadata})  # fmt: skip


def service_account_manifest(namespace: str) -> str:
    """The ServiceAccount ``namespace``/flyteadmin, for a data plane whose release did not make it."""
    metadata = {"name": SERVICE_ACCOUNT, "namespace": namespace, "labels": dict(MANAGED_BY)}
    return _manifest({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata})


def rbac_manifest(namespace: str) -> str:
    """A ClusterRole with flyte-core's flyteadmin rules, bound to ``namespace``/flyteadmin."""
    rbac = "rbac.authorization.k8s.io"
    binding = f"{CLUSTER_ROLE}-{namespace}"
    role = {"apiVersion": f"{rbac}/v1", "kind": "ClusterRole", "rules": [ADMIN_RULES],
            "metadata": {"name": CLUSTER_ROLE, "labels": dict(MANAGED_BY)}}  # fmt: skip
    bound = {"apiVersion": f"{rbac}/v1", "kind": "ClusterRoleBinding",
             "metadata": {"name": binding, "labels": dict(MANAGED_BY)},
             "roleRef": {"apiGroup": rbac, "kind": "ClusterRole", "name": CLUSTER_ROLE},
             "subjects": [{"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": namespace}]}  # fmt: skip
    return _manifest(role, bound)


def credentials_manifest(namespace: str, data: Mapping[str, str]) -> str:
    """Secret :data:`CREDENTIALS_SECRET` with ``data`` (``<name>_token`` / ``<name>_cacert``, base64 as the
    data planes' token Secrets hold them). Goes only to kubectl's stdin."""
    metadata = {"name": CREDENTIALS_SECRET, "namespace": namespace, "labels": dict(MANAGED_BY)}
    return json.dumps({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": metadata,
                       "data": dict(data)})  # fmt: skip


def subject_access_review(namespace: str, verb: str, group: str, resource: str) -> str:
    """A SubjectAccessReview: may ``namespace``/flyteadmin ``verb`` ``resource`` cluster-wide?"""
    user = f"system:serviceaccount:{namespace}:{SERVICE_ACCOUNT}"
    groups = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"]
    attributes = {"verb": verb, "group": group, "resource": resource}
    spec = {"resourceAttributes": attributes, "user": user, "groups": groups}
    return json.dumps({"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec})


def _note_secrets(run: ReleaseRun, data: Mapping[str, str], planes: Sequence[DataPlane]) -> None:
    """Every token (as read, and decoded) joins the run's masked secrets."""
    values: list[str] = []
    for plane in planes:
        raw = data.get(token_key(plane.name), "")
        values += [raw, _decoded(raw)]
    secrets = run.options.secrets
    known = [t for t in values if t and t not in secrets.cluster_tokens]
    run.options.secrets = dataclasses.replace(secrets, cluster_tokens=(*secrets.cluster_tokens, *known))


def _decoded(raw: str) -> str:
    try:
        return base64.b64decode(raw, validate=True).decode()
    except (binascii.Error, ValueError):
        return ""


def link_data_planes(run: ReleaseRun, planes: Sequence[DataPlane]) -> Step:
    """On each data plane the flyteadmin ServiceAccount, its rights and its token; then ``cluster-credentials`` on
    the control plane with every data plane's token and CA. StepError naming the data plane when one fails."""
    remote = remote_planes(planes)
    data: dict[str, str] = {}
    for plane in remote:
        token, ca = yield from _link(run, plane)
        data[token_key(plane.name)], data[ca_key(plane.name)] = token, ca
        _note_secrets(run, data, [plane])
    ns = run.release.namespace
    there = run.kubectl.run("get", "secret", CREDENTIALS_SECRET, "--ignore-not-found", "-o", "name")
    if there.ok and not there.stdout.strip() and CREDENTIALS_SECRET not in run.created_secrets:
        run.created_secrets.append(CREDENTIALS_SECRET)  # unknown is not "new": never remove what may have been there
    try:
        run.kubectl.apply_stdin(credentials_manifest(ns, data))
    except KubectlError as exc:
        raise StepError(f"Secret {ns}/{CREDENTIALS_SECRET} on the control plane: {exc}") from exc
    if not remote:  # flyte-core's cluster sync mounts the Secret whenever labelClusterMap is set: it must exist
        yield OutputLine(LINK_STEP, f"Secret {CREDENTIALS_SECRET} on the control plane: empty (the cluster sync "
                                    "mounts it; no data plane outside the control plane)")  # fmt: skip
        return f"{CREDENTIALS_SECRET}: empty, only the control plane executes"
    keys = ", ".join(sorted(data))
    yield OutputLine(LINK_STEP, f"Secret {CREDENTIALS_SECRET} on the control plane: {keys}")
    return f"{CREDENTIALS_SECRET}: {len(remote)} data plane(s) ({', '.join(p.name for p in remote)})"


def _link(run: ReleaseRun, plane: DataPlane) -> Generator[Event, None, tuple[str, str]]:
    """One data plane's ServiceAccount, rights and token: (token, ca.crt) as its token Secret holds them."""
    kubectl = data_plane_kubectl(run, plane)
    ns, where = run.release.namespace, f"data plane {plane.name} (context {plane.context})"
    try:
        if not kubectl.check("get", "serviceaccount", SERVICE_ACCOUNT, "--ignore-not-found", "-o", "name").strip():
            kubectl.apply_stdin(service_account_manifest(ns))
            yield OutputLine(LINK_STEP, f"{plane.name}: created ServiceAccount {ns}/{SERVICE_ACCOUNT}")
        missing = [resource_name(g, r) for v, g, r in FLYTEADMIN_NEEDS if not _may(kubectl, ns, v, g, r)]
        if missing:
            kubectl.apply_stdin(rbac_manifest(ns))
            yield OutputLine(LINK_STEP, f"{plane.name}: {SERVICE_ACCOUNT} could not create {', '.join(missing)}: "
                                        f"bound it to ClusterRole {CLUSTER_ROLE}")  # fmt: skip
        kubectl.apply_stdin(token_secret_manifest(ns))
        token, ca = _wait_for_token(run, kubectl, where)
    except (KubectlError, output.UnexpectedOutput) as exc:
        raise StepError(f"{where}: {exc}") from exc
    yield OutputLine(LINK_STEP, f"{plane.name}: token and CA read from Secret {ns}/{TOKEN_SECRET}")
    return token, ca


def _may(kubectl: Kubectl, namespace: str, verb: str, group: str, resource: str) -> bool:
    """Whether the data plane's flyteadmin ServiceAccount may ``verb`` ``resource`` there (a SubjectAccessReview
    on kubectl's stdin; an answer that is not one counts as no: the rights are then made)."""
    review = subject_access_review(namespace, verb, group, resource)
    answer = kubectl.check("create", "-f", "-", "-o", "json", input_text=review)
    try:
        return read_review(json.loads(answer)).allowed
    except ValueError:
        return False


def _wait_for_token(run: ReleaseRun, kubectl: Kubectl, where: str) -> tuple[str, str]:
    """The token Secret's ``token`` and ``ca.crt`` (base64) once the token controller has filled them."""
    deadline = time.monotonic() + TOKEN_WAIT
    while True:
        data = kubectl.get_json("secret", TOKEN_SECRET).get("data") or {}
        token, ca = str(data.get("token") or ""), str(data.get("ca.crt") or "")
        if token and ca:
            return token, ca
        if time.monotonic() >= deadline:
            raise StepError(
                f"{where}: the token controller did not fill Secret {kubectl.namespace}/{TOKEN_SECRET} within "
                f"{TOKEN_WAIT:.0f} s (is kube-controller-manager running, with its ServiceAccount signing key?)"
            )
        if run.cancel.wait(1.0):
            raise process.Cancelled(f"cancelled while waiting for {where}'s token")


@dataclass(frozen=True)
class LinkProblem:
    """Why flyteadmin cannot use one data plane: what is wrong, the Secret key (or answer) at fault, the fix."""

    plane: str
    key: str
    """``<name>_token``, ``<name>_cacert``, or ``endpoint`` (the answer)."""
    summary: str
    fix: str


def credentials_of(name: str, endpoint: str, data: Mapping[str, str]) -> Credentials | LinkProblem:
    """Data plane ``name``'s credentials as flyteadmin reads them from ``cluster-credentials``'s ``data``
    (base64), to reach its API server at ``endpoint``."""
    decoded: dict[str, str] = {}
    for key in (token_key(name), ca_key(name)):
        raw = data.get(key)
        value = _decoded(raw) if raw else ""
        if not value.strip():
            what = "has no key" if raw is None else "holds no base64 text in key"
            return LinkProblem(name, key, f"data plane {name}: Secret {CREDENTIALS_SECRET} {what} {key}", _FIX_RELINK)
        decoded[key] = value
    return Credentials(endpoint, decoded[token_key(name)], decoded[ca_key(name)])


_FIX_RELINK = (
    f"run flyte-tui upgrade with the same answers: its data plane credentials step makes the token Secret again and "
    f"writes it into {CREDENTIALS_SECRET}; then restart flyteadmin (it reads the files at start)"
)


def link_problem(http: KubeHttp, name: str, endpoint: str, data: Mapping[str, str]) -> LinkProblem | None:
    """What stops flyteadmin from creating FlyteWorkflows and namespaces on data plane ``name`` (its API server at
    ``endpoint``) with the credentials in ``data`` (``cluster-credentials``'s base64 data); None when nothing."""
    creds = credentials_of(name, endpoint, data)
    if isinstance(creds, LinkProblem):
        return creds
    for verb, group, resource in FLYTEADMIN_NEEDS:
        try:
            review = http.review(creds, verb, group, resource)
        except LinkRefused as exc:
            return _refused(name, endpoint, exc)
        if not review.allowed:
            what = resource_name(group, resource)
            because = f" ({review.reason})" if review.reason else ""
            return LinkProblem(
                name,
                token_key(name),
                f"data plane {name}: the token in Secret {CREDENTIALS_SECRET} key {token_key(name)} may not {verb} "
                f"{what} at {endpoint}{because}",
                f"give ServiceAccount flyteadmin on {name} flyte-core's flyteadmin ClusterRole (the data-plane release "
                f"makes it; flyte-tui upgrade binds {CLUSTER_ROLE} when it is missing)",
            )
    return None


def _refused(name: str, endpoint: str, exc: LinkRefused) -> LinkProblem:
    if exc.part == "token":
        return LinkProblem(name, token_key(name), f"data plane {name}: the API server at {endpoint} refuses the "
                           f"token in Secret {CREDENTIALS_SECRET} key {token_key(name)} (revoked, expired, or "
                           f"another cluster's): {exc.reason}", _FIX_RELINK)  # fmt: skip
    if exc.part == "cacert":
        return LinkProblem(name, ca_key(name), f"data plane {name}: the CA in Secret {CREDENTIALS_SECRET} key "
                           f"{ca_key(name)} does not verify the API server at {endpoint}: {exc.reason}",
                           f"check that data plane {name}'s endpoint is that cluster's API server; then "
                           + _FIX_RELINK)  # fmt: skip
    return LinkProblem(name, "endpoint", f"data plane {name}: the API server at {endpoint} did not answer "
                       f"({token_key(name)} / {ca_key(name)} not tried): {exc.reason}",
                       f"write data plane {name}'s endpoint as the control plane reaches its API server (https, its "
                       "port), and make sure the control plane's network reaches it")  # fmt: skip


def read_credentials(kubectl: Kubectl) -> dict[str, str]:
    """``cluster-credentials``'s data (base64 values) on the control plane (KubectlError when unreadable)."""
    data = kubectl.get_json("secret", CREDENTIALS_SECRET).get("data") or {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def verify_links(run: ReleaseRun, planes: Sequence[DataPlane]) -> Step:
    """With each data plane's token and CA read back from ``cluster-credentials``: its API server answers (TLS
    verified with that CA) and the token may create FlyteWorkflows and namespaces there. StepError naming every
    data plane that fails, its Secret key and the fix."""
    remote = remote_planes(planes)
    if not remote:
        return "no data plane outside the control plane: nothing to verify"
    try:
        data = read_credentials(run.kubectl)
    except (KubectlError, output.UnexpectedOutput) as exc:
        raise StepError(f"Secret {run.release.namespace}/{CREDENTIALS_SECRET} on the control plane: {exc}") from exc
    _note_secrets(run, data, remote)
    http = KubeHttp(run.cancel)
    problems: list[LinkProblem] = []
    for plane in remote:
        problem = link_problem(http, plane.name, plane.endpoint, data)
        if problem is None:
            yield OutputLine(VERIFY_STEP, f"{plane.name}: {plane.endpoint} lets flyteadmin create FlyteWorkflows "
                                          "and namespaces")  # fmt: skip
        else:
            problems.append(problem)
            yield OutputLine(VERIFY_STEP, problem.summary, "stderr")
    if problems:
        first = problems[0]
        explanation = Explanation(summary=first.summary, object=f"secret/{CREDENTIALS_SECRET}", fix=first.fix)
        raise StepError("; ".join(p.summary for p in problems), explanation)
    return f"{len(remote)} data plane link(s) verified: {', '.join(p.name for p in remote)}"
