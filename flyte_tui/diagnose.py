"""One failed-pod diagnosis for the installer and the doctor: the known failure signatures of Flyte
installs (FLYTE-CHART.md §6), what a log line or event means, what to do, and which answer to change.

:func:`diagnose_pod` turns what is known about a broken pod (its failure reason, Warning events, log tail)
into an :class:`Explanation`; the install's failure panel and the doctor's component findings both show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flyte_tui.charts.component import Component
from flyte_tui.model.images import PULL_REASONS, mirror_hint
from flyte_tui.readiness import FATAL_WAITING

EVENT_LINES = 5
"""How many of the pod's last Warning events an explanation keeps."""
LOG_LINES = 15
"""How many lines of the failing container's log an explanation keeps."""


@dataclass(frozen=True)
class Signature:
    """A recognisable failure."""

    id: str
    pattern: re.Pattern[str]
    cause: str
    fix: str
    answer: str | None
    """The answers-file path to change, when one answer fixes it."""


def _sig(id_: str, pattern: str, cause: str, fix: str, answer: str | None) -> Signature:
    return Signature(id_, re.compile(pattern, re.IGNORECASE), cause, fix, answer)


SIGNATURES: tuple[Signature, ...] = (
    _sig(
        "crd-owned-elsewhere",
        r"CustomResourceDefinition \"flyteworkflows\.flyte\.lyft\.com\".*"
        r"(exists and cannot be imported|already exists)",
        "the FlyteWorkflow CRD belongs to another release (an earlier or parallel Flyte install)",
        "uninstall the other release, or adopt the CRD: label it app.kubernetes.io/managed-by=Helm and annotate "
        "meta.helm.sh/release-name and meta.helm.sh/release-namespace with this release; "
        "or set extraValues.flytepropeller.createCRDs: false",
        None,
    ),
    _sig(
        "node-port-taken",
        r"provided port is already allocated",
        "a node port the dependency chart's Services take (minio 30084 and 30088, postgres 30089: fixed in "
        "flyte-deps) is held by another Service, most likely another sandbox on this cluster",
        "uninstall the other sandbox's dependency release, or set dependencies.storage and dependencies.database "
        "to false and point this one at the minio and PostgreSQL already there",
        "dependencies.storage",
    ),
    _sig(
        "dependency-exists",
        r"\"(minio|postgres)\" in namespace \S+ exists and cannot be imported",
        "a minio or postgres that flyte-tui did not install already runs in the namespace (an earlier sandbox, or "
        "one of yours), so the dependency release cannot take it over",
        "keep using it: set dependencies.storage (minio) or dependencies.database (postgres) to false; or remove "
        "it first",
        "dependencies.storage",
    ),
    _sig(
        "postgres-data",
        r"initdb: error|FATAL:\s+data directory|database files are incompatible with server",
        "the bundled PostgreSQL cannot set up its data directory",
        "read the postgres pod's log; delete the pod so that it starts on an empty directory, or set "
        "dependencies.database to false and use a PostgreSQL you run",
        "dependencies.database",
    ),
    _sig(
        "db-password",
        r"password authentication failed|SQLSTATE 28P01",
        "the database rejected the password",
        "put the right password in the database Secret (re-run install with the password), and check the user name",
        "database.passwordSecret",
    ),
    _sig(
        "db-password-path",
        r"missing database password at specified path",
        "the pod found no password file: the Secret's key does not match passwordPath",
        "make database.passwordSecret.key the key that holds the password in that Secret",
        "database.passwordSecret.key",
    ),
    _sig(
        "db-unreachable",
        r"dial tcp [^ ]*:5432.*(connection refused|i/o timeout)|lookup \S+ on .*no such host.*5432"
        r"|lookup postgres\b.*no such host",
        "the database host cannot be reached from the cluster",
        "check database.host and database.port, and that the database accepts connections from the cluster",
        "database.host",
    ),
    _sig(
        "db-ssl",
        r"no pg_hba\.conf entry.*no encryption|SSL is not enabled on the server|server does not support SSL",
        "the database and the client disagree about SSL",
        "set database.sslMode to what the server requires (require for RDS and Cloud SQL)",
        "database.sslMode",
    ),
    _sig(
        "db-missing",
        r'database "[^"]+" does not exist',
        "the database does not exist and the user may not create it",
        "create the database, or grant CREATEDB, or point adminDatabase/datacatalogDatabase at an existing one",
        "database.adminDatabase",
    ),
    _sig(
        "minio-missing",
        r"lookup minio[.\w-]*.*no such host|Failed to resolve 'minio",
        "storage is still the sandbox's minio, which this cluster does not have",
        "in the sandbox, let flyte-tui install minio (dependencies.storage: true); elsewhere choose storage type "
        "s3, gcs or custom with a real bucket",
        "storage.type",
    ),
    _sig(
        "s3-access-denied",
        r"AccessDenied|status code: 403|403 Forbidden",
        "the cloud denied access to the bucket",
        "give the control plane's IAM role (IRSA) access to the bucket, and check the bucket region",
        "identity.awsRoleArn",
    ),
    _sig(
        "gcs-identity",
        r"iam\.serviceAccounts\.getAccessToken|Unable to generate access token",
        "Workload Identity is not bound for the Kubernetes ServiceAccount",
        "bind the Google service account to the KSA (roles/iam.workloadIdentityUser); check identity.gcpServiceAccount",
        "identity.gcpServiceAccount",
    ),
    _sig(
        "no-such-bucket",
        r"NoSuchBucket|bucket does not exist|container .* not found",
        "the bucket does not exist",
        "create the bucket or fix its name",
        "storage.metadataBucket",
    ),
    _sig(
        "cluster-resource-template",
        r"failed to substitute parameterized value for (\w+)",
        "a cluster-resource template uses a variable missing from some domain's customData",
        "re-render with flyte-tui: it keeps domains, quotas and template variables in step",
        "projects.domains",
    ),
    _sig(
        "admin-unreachable",
        r"dial tcp [^ ]*:81: connect: connection refused|flyteadmin:81",
        "the scheduler cannot reach flyteadmin's gRPC port",
        "fix flyteadmin first; the scheduler retries on its own",
        None,
    ),
    _sig(
        "auth-invalid-audience",
        r"invalid audience",
        "a token's audience (aud) is neither the URL the request came in on (matched against authorizedUris, whose "
        "first entry must be the public https URL) nor in externalAuthServer.allowedAudience",
        "make the IdP's audience the public URL https://<ingress.host> or list it in auth.external.allowedAudience; "
        "flyte-tui puts the public URL first in authorizedUris (re-render and upgrade)",
        "auth.external.audience",
    ),
    _sig(
        "auth-missing-scope",
        r"(doesn't|does not) have required scope",
        "the token carries no 'all' in its 'scp' claim (flyteadmin reads scopes only from 'scp'; Keycloak writes "
        "'scope')",
        "at the IdP, add a client scope 'all' and a mapper that writes it into the token's 'scp' claim, and let "
        "propeller ask for it (auth.external.propellerScopes)",
        "auth.external.propellerScopes",
    ),
    _sig(
        "auth-cookie-too-long",
        r"securecookie: the value is too long",
        "the IdP's ID token is too big for flyteadmin's login cookie (many groups or claims: Entra ID, GitLab), so "
        "the login loops",
        "have the IdP send fewer claims in the ID token (no group claims, fewer optional claims), then log in again",
        "auth.idp",
    ),
    _sig(
        "auth-invalid-client",
        r"invalid_client|Unauthorized client|hashedPassword is not the hash of the given password",
        "propeller's client secret (Secret flyte-secret-auth, key client_secret; flyte-binary: "
        "<fullname>-propeller-auth) is not the one its hash in "
        "flyteadmin's config was made from (Self), or not the IdP's (External)",
        "remove auth.clients.propellerHash from the answers and run flyte-tui upgrade: it keeps the Secret's "
        "client_secret and writes its hash; External: put the IdP's client secret in FLYTE_TUI_PROPELLER_CLIENT_SECRET",
        "auth.clients.propellerHash",
    ),
    _sig(
        "plugin-fallback",
        r"No plugin found for Handler-type \[[^\]]+\], defaulting to",
        "a task type has no enabled plugin, so propeller runs it as one plain pod (Spark, Ray, PyTorch… lose their "
        "cluster)",
        "add the plugin to plugins (its operator installed first) and run flyte-tui upgrade",
        "plugins",
    ),
    _sig(
        "plugin-default-not-enabled",
        r"cannot set default plugin \[[^\]]+\] for task types|Multiple plugins registered to handle task type",
        "propeller's enabled_plugins config is inconsistent: a default-for-task-types plugin is not enabled, or two "
        "enabled plugins claim one task type",
        "remove enabled-plugins and default-for-task-types from extraValues and choose the plugins with plugins",
        "plugins",
    ),
    _sig(
        "image-not-found",
        r"not found|manifest unknown|pull access denied",
        "the image cannot be pulled (wrong tag, private registry, or no network to the registry)",
        "mirror the images and set imagePullSecrets, or fix the image tag in extraValues",
        None,
    ),
    _sig(
        "insufficient-resources",
        r"Insufficient (cpu|memory)|didn't match pod anti-affinity",
        "no node has room for the pod",
        "lower the component's requests or replicas, or add nodes",
        "resources.components",
    ),
)
"""Most specific first: the first match wins."""


def match(lines: Iterable[str]) -> tuple[Signature, str] | None:
    """The first known signature found in the lines, with the line that matched."""
    text = [line for line in lines if line]
    for signature in SIGNATURES:
        for line in text:
            if signature.pattern.search(line):
                return signature, line
    return None


@dataclass(frozen=True)
class Explanation:
    """Why something is stuck or broken, and which answer to change."""

    summary: str
    object: str = ""
    """The blocking object, e.g. ``pod/flyteadmin-7d9c…``."""
    component: str = ""
    container: str = ""
    cause: str = ""
    fix: str = ""
    answer: str | None = None
    """The answers-file path to change, when one answer fixes it."""
    events: tuple[str, ...] = ()
    """The object's last Warning events, ``Reason: message``."""
    log_tail: tuple[str, ...] = ()
    signature: str | None = None

    def lines(self) -> list[str]:
        """The explanation as readable lines (the runner's failure panel and headless output)."""
        lines = []
        if self.object:
            container = f" (container {self.container})" if self.container else ""
            lines.append(f"Blocking object: {self.object}{container}")
        if self.cause:
            lines.append(f"Likely cause: {self.cause}")
        if self.fix:
            lines.append(f"Fix: {self.fix}")
        if self.answer:
            lines.append(f"Answer to change: {self.answer}")
        if self.events:
            lines += ["Warning events:", *(f"  {e}" for e in self.events)]
        if self.log_tail:
            lines += ["Log tail:", *(f"  {line}" for line in self.log_tail)]
        return lines


def oom_killed(pod: Mapping[str, Any]) -> str | None:
    """The container of a pod that was (or last was) OOMKilled, if one was."""
    status = pod.get("status") or {}
    for kind in ("initContainerStatuses", "containerStatuses"):
        for cs in status.get(kind) or []:
            for state in (cs.get("state") or {}, cs.get("lastState") or {}):
                if (state.get("terminated") or {}).get("reason") == "OOMKilled":
                    return str(cs.get("name"))
    return None


def _mirror_hint(
    pod: Mapping[str, Any], container: str | None, reason: str, found: tuple[Signature, str] | None, registry: str
) -> tuple[str, str] | None:
    """The mirror's (cause, fix) when the failing container's image, on ``registry``, cannot be pulled."""
    if not registry or (reason not in PULL_REASONS and (found is None or found[0].id != "image-not-found")):
        return None
    spec = pod.get("spec") or {}
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        if container in (None, c.get("name")) and (hint := mirror_hint(str(c.get("image", "")), registry)):
            return hint
    return None


def diagnose_pod(
    component: Component,
    pod: Mapping[str, Any],
    container: str | None,
    reason: str,
    summary: str,
    events: Sequence[str],
    logs: Sequence[str],
    namespace: str,
    registry: str = "",
) -> Explanation:
    """Why a component's pod is broken and what to do.

    ``reason`` is the pod's failure reason (a container waiting reason such as CrashLoopBackOff,
    ``Unschedulable``, ``StuckInit``; "" when it is only restarting), ``summary`` the one line that says what
    is wrong, ``events`` its Warning events (``Reason: message``, oldest first), ``logs`` the failing
    container's log, ``registry`` the answers' ``images.registry`` (an image on it that cannot be pulled is
    named, with the copy to make). The lines are kept as given: the caller redacts them for its audience.
    """
    name = str((pod.get("metadata") or {}).get("name", "?"))
    oom = oom_killed(pod)
    found = match([*logs, *events, summary])
    cause = FATAL_WAITING.get(reason, reason)
    fix = "read the pod's events and the container's log"
    answer = None
    signature = None
    if oom:
        cause = f"container {oom} ran out of memory (OOMKilled)"
        fix = f"raise {component.name}'s memory limit"
        answer = f"resources.components.{component.values_key}"
    elif hint := _mirror_hint(pod, container, reason, found, registry):
        (cause, fix), answer, signature = hint, "images.registry", "image-not-in-mirror"
    elif found is not None:
        sig, _line = found
        cause, fix, answer, signature = sig.cause, sig.fix, sig.answer, sig.id
    elif reason == "Unschedulable":
        cause = "no node can run the pod"
        fix = "lower the component's requests or replicas, or add nodes"
        answer = f"resources.components.{component.values_key}"
    elif reason == "StuckInit":
        cause = f"init container {container} never finished"
        fix = (
            f"read its log (kubectl -n {namespace} logs {name} -c {container}); "
            f"{component.name} waits on what that init container checks"
        )
    return Explanation(
        summary=summary,
        object=f"pod/{name}",
        component=component.name,
        container=container or "",
        cause=cause,
        fix=fix,
        answer=answer,
        events=tuple(events[-EVENT_LINES:]),
        log_tail=tuple(logs[-LOG_LINES:]),
        signature=signature,
    )
