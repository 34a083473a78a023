"""Objects Flyte creates at run time: the FlyteWorkflow CRD, the pod webhook, project namespaces; recent events."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.checks.config import project_namespaces
from flyte_tui.doctor.snapshot import Snapshot, meta
from flyte_tui.readiness import component_status

RECENT_EVENTS = timedelta(hours=1)


def _enabled(snap: Snapshot, name: str) -> bool:
    return any(c.name == name for c in snap.expected_components())


def _ready(snap: Snapshot, name: str) -> bool:
    """Whether the component's pods are all Ready (False when unknown: pods unreadable, none, not enabled)."""
    component = next((c for c in snap.expected_components() if c.name == name), None)
    if component is None or "pods" in snap.errors:
        return False
    deployment = snap.named("deployments", name)
    desired = int((deployment.get("spec") or {}).get("replicas", 1)) if deployment else None
    status = component_status(component, snap.items("pods"), snap.release, desired, snap.now, snap.target.timing)
    return status.state == "ready" and status.ready > 0


def _can_i(snap: Snapshot, verb: str, resource: str, service_account: str) -> str:
    """``kubectl auth can-i`` as the component's ServiceAccount."""
    who = f"system:serviceaccount:{snap.namespace}:{service_account}"
    return f"{kubectl_cmd(snap)} auth can-i {verb} {resource} --as={who}"


@check("runtime.crd", "FlyteWorkflow CRD present and owned", "runtime")
def crd(snap: Snapshot) -> Outcome:
    """``flyteworkflows.flyte.lyft.com`` exists; who owns it."""
    if (gone := unreadable(snap, "crd")) is not None:
        return gone
    objects = snap.chart_objects
    crd_name = objects.crd
    if not crd_name:
        return skip("the chart needs no workflow CRD")
    looked = (f"kubectl get crd {crd_name}",)
    if not _enabled(snap, objects.crd_user):
        return skip(f"{objects.crd_user} is not enabled", *looked)
    if snap.crd is None:
        return Outcome(
            "fail",
            f"CRD {crd_name} does not exist: launches fail with 'the server could not find the requested resource'",
            looked,
            fix="set flytepropeller.createCRDs: true and upgrade, or apply the CRD yourself",
            commands=(f"{kubectl_cmd(snap)} get crd {crd_name}",),
        )
    annotations = meta(snap.crd).get("annotations") or {}
    owner = annotations.get("meta.helm.sh/release-name")
    owner_ns = annotations.get("meta.helm.sh/release-namespace")
    if not owner:
        return ok(f"CRD {crd_name} present (not managed by helm: created by propeller or by hand)", *looked)
    if (owner, owner_ns) == (snap.release, snap.namespace):
        return ok(f"CRD {crd_name} present, owned by this release", *looked)
    return Outcome(
        "warn",
        f"CRD {crd_name} belongs to release {owner} in namespace {owner_ns}: uninstalling that release deletes the "
        "CRD and every FlyteWorkflow with it",
        looked,
        fix="keep that release, or adopt the CRD into this one (label app.kubernetes.io/managed-by=Helm, annotate "
        "meta.helm.sh/release-name and meta.helm.sh/release-namespace)",
        commands=(f"{kubectl_cmd(snap)} get crd {crd_name} -o jsonpath='{{.metadata.annotations}}'",),
    )


@check("runtime.webhook-config", "MutatingWebhookConfiguration flyte-pod-webhook with a CA bundle", "runtime")
def webhook_config(snap: Snapshot) -> Outcome:
    """The webhook pod registered itself, with a CA bundle, pointing at this namespace."""
    if (gone := unreadable(snap, "webhook-config")) is not None:
        return gone
    webhook = snap.chart_objects.webhook
    if not webhook:
        return skip("the chart has no pod webhook")
    looked = (f"kubectl get mutatingwebhookconfiguration {webhook}",)
    if not _enabled(snap, webhook):
        return skip("the pod webhook is not enabled", *looked)
    fix_cmds = (
        f"{kubectl_cmd(snap)} logs deploy/{webhook} -c generate-secrets",
        f"{kubectl_cmd(snap)} rollout restart deploy/{webhook}",
    )
    if snap.webhook_config is None:
        return _no_webhook_config(snap, webhook, looked, fix_cmds)
    hooks = snap.webhook_config.get("webhooks") or []
    without_ca = [h.get("name") for h in hooks if not (h.get("clientConfig") or {}).get("caBundle")]
    services = {((h.get("clientConfig") or {}).get("service") or {}).get("namespace") for h in hooks}
    if not hooks or without_ca:
        return Outcome(
            "fail",
            f"{webhook} has no CA bundle: the API server cannot call it (x509: certificate signed by unknown "
            "authority)",
            looked,
            fix=f"delete the Secret {webhook}'s contents and restart the webhook so it writes a fresh CA",
            commands=fix_cmds,
        )
    if snap.namespace not in services:
        where = ", ".join(sorted(str(s) for s in services))
        return Outcome(
            "warn",
            f"{webhook} points at the webhook in namespace {where}, not {snap.namespace}: another Flyte "
            "install owns it",
            looked,
            fix="run one Flyte per cluster, or give each its own webhook name/namespaceSelector",
        )
    return ok(f"{webhook} registered with a CA bundle, service in {snap.namespace}", *looked)


def _no_webhook_config(snap: Snapshot, webhook: str, looked: tuple[str, ...], fix_cmds: tuple[str, ...]) -> Outcome:
    """No MutatingWebhookConfiguration: the webhook pod creates it at start, so when it is Ready the cause is
    its configuration (creation turned off), its RBAC, or an error in its log."""
    summary = f"MutatingWebhookConfiguration {webhook} does not exist: tasks that request secrets get none"
    if snap.value("configmap.core.webhook.disableCreateMutatingWebhookConfig") is True:
        return Outcome(
            "fail",
            summary,
            (*looked, "values configmap.core.webhook.disableCreateMutatingWebhookConfig"),
            fix="configmap.core.webhook.disableCreateMutatingWebhookConfig is true, so the webhook does not create "
            "it: create it yourself, or set that key to false and upgrade",
        )
    if not _ready(snap, webhook):
        return Outcome(
            "fail",
            summary,
            looked,
            fix=f"the webhook pod creates it when it starts: make {webhook} Ready, then restart it",
            commands=fix_cmds,
        )
    k = kubectl_cmd(snap)
    return Outcome(
        "fail",
        f"{summary}, although {webhook} is Ready",
        (*looked, f"pods of {webhook}: Ready"),
        fix=f"{webhook} creates it once, when it starts: it was deleted since (a cleanup, another Flyte's "
        f"uninstall), or creating it failed: read the webhook's log (forbidden: its ServiceAccount {webhook} needs "
        "create/update on mutatingwebhookconfigurations, the chart's ClusterRole); check the Secret "
        f"{webhook} holds ca.crt, tls.crt and tls.key; then restart it so it creates the configuration again",
        commands=(
            f"{k} logs deploy/{webhook} --all-containers --prefix",
            _can_i(snap, "create", "mutatingwebhookconfigurations", webhook),
            f"{k} describe secret {webhook}",
            f"{k} rollout restart deploy/{webhook}",
        ),
    )


@check("runtime.webhook-secret", "webhook certificate Secret and Endpoints", "runtime")
def webhook_secret(snap: Snapshot) -> Outcome:
    """The Secret flyte-pod-webhook holds the certificates; the Service has endpoints."""
    if (gone := unreadable(snap, "secrets", "endpoints")) is not None:
        return gone
    webhook, keys = snap.chart_objects.webhook, snap.chart_objects.webhook_secret_keys
    if not webhook:
        return skip("the chart has no pod webhook")
    looked = (f"Secret {webhook} (key names only)", f"Endpoints {webhook}")
    if not _enabled(snap, webhook):
        return skip("the pod webhook is not enabled", *looked)
    secret = snap.secrets.get(webhook)
    endpoints = snap.named("endpoints", webhook)
    ready = [a for s in (endpoints or {}).get("subsets") or [] for a in s.get("addresses") or []]
    problems = []
    if secret is None:
        problems.append(f"Secret {webhook} does not exist")
    else:
        missing = [k for k in keys if k not in secret.keys]
        if missing:
            problems.append(f"Secret {webhook} lacks {', '.join(missing)} (the init container did not fill it)")
    if not ready:
        problems.append(f"Service {webhook} has no ready endpoints (no endpoints available for service)")
    if not problems:
        return ok(f"Secret {webhook} holds {', '.join(keys)}; {len(ready)} endpoint(s)", *looked)
    return Outcome(
        "fail",
        "; ".join(problems),
        looked,
        fix=(
            f"{webhook} is Ready, so its init container generate-secrets ran: read its log (forbidden: the "
            f"ServiceAccount {webhook} needs update on secrets); if the certificate is bad, empty the Secret and "
            "restart the webhook"
            if _ready(snap, webhook)
            else f"make {webhook} Ready; if the certificate is bad, empty the Secret and restart the webhook"
        ),
        commands=(
            f"{kubectl_cmd(snap)} get secret,endpoints {webhook}",
            f"{kubectl_cmd(snap)} logs deploy/{webhook} -c generate-secrets",
            f"{kubectl_cmd(snap)} rollout restart deploy/{webhook}",
        ),
    )


def _first_four(names: list[str]) -> str:
    """The first four names, and " …" when there are more."""
    return ", ".join(names[:4]) + (" …" if len(names) > 4 else "")


@check("runtime.projects", "project namespaces and quotas created by cluster-resource sync", "runtime")
def projects(snap: Snapshot) -> Outcome:
    """``<project>-<domain>`` namespaces exist, each with its ResourceQuota."""
    if (gone := unreadable(snap, "namespaces")) is not None:
        return gone
    if not snap.values:
        return skip("not checked: no release values (see release.status)")
    if not _enabled(snap, "syncresources") and not snap.value("cluster_resource_manager.enabled"):
        return skip("cluster_resource_manager is disabled: project namespaces are managed by hand")
    wanted = project_namespaces(snap)
    looked = ("kubectl get namespaces", "kubectl get resourcequota --all-namespaces")
    if not wanted:
        return skip("no initialProjects in the values", *looked)
    have = {str(meta(n).get("name")) for n in snap.namespaces}
    missing = [n for n in wanted if n not in have]
    if missing:
        return _missing_projects(snap, missing, wanted, looked)
    templates = " ".join(str(t.get("value", "")) for t in snap.value("cluster_resource_manager.templates") or [])
    if "ResourceQuota" in templates and "resourcequotas" not in snap.errors:
        with_quota = {str(meta(q).get("namespace")) for q in snap.quotas}
        bare = [n for n in wanted if n not in with_quota]
        if bare:
            return Outcome(
                "warn",
                f"no ResourceQuota in {_first_four(bare)} although the templates define one",
                looked,
                fix="read syncresources' log: it stops at the first template that fails",
                commands=(f"{kubectl_cmd(snap)} logs deploy/syncresources",),
            )
    return ok(f"all {len(wanted)} project namespaces exist", *looked)


def _missing_projects(snap: Snapshot, missing: list[str], wanted: list[str], looked: tuple[str, ...]) -> Outcome:
    """Project namespaces missing: syncresources creates them from its templates every refresh interval, so
    when it is Ready the cause is its RBAC, its templates, or the projects in flyteadmin's database."""
    k = kubectl_cmd(snap)
    summary = (
        f"{len(missing)} of {len(wanted)} project namespaces missing ({_first_four(missing)}): launches fail "
        f'with namespaces "{missing[0]}" not found'
    )
    if not _ready(snap, "syncresources"):
        return Outcome(
            "fail",
            summary,
            looked,
            fix="cluster-resource sync creates them: make syncresources Ready and read its log (a template "
            "variable missing from some domain's customData stops it)",
            commands=(f"{k} logs deploy/syncresources", f"{k} logs deploy/flyteadmin -c sync-cluster-resources"),
        )
    account = str(snap.value("cluster_resource_manager.service_account_name") or "flyteadmin")
    maps = " ".join(snap.chart_objects.configmaps.get("syncresources", ())) or "clusterresource-template"
    every = snap.value("cluster_resource_manager.config.cluster_resources.refreshInterval") or "5m"
    return Outcome(
        "fail",
        f"{summary}, although syncresources is Ready",
        (*looked, "pods of syncresources: Ready"),
        fix=f"syncresources creates them every {every}, logging what fails: read its log "
        f"(forbidden: its ServiceAccount {account} needs create on namespaces and resourcequotas; a template "
        "variable missing from some domain's customData; a bad template in ConfigMap clusterresource-template); "
        "if flyteadmin has no such projects (flytectl get project), its seed-projects init container failed",
        commands=(
            f"{k} logs deploy/syncresources",
            _can_i(snap, "create", "namespaces", account),
            f"{k} get configmap {maps} -o yaml",
            f"{k} logs deploy/flyteadmin -c seed-projects",
        ),
    )


def _event_time(event: dict[str, object]) -> datetime | None:
    for key in ("lastTimestamp", "eventTime"):
        text = event.get(key)
        if isinstance(text, str) and text:
            try:
                return datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                continue
    series = event.get("series")
    if isinstance(series, dict) and isinstance(series.get("lastObservedTime"), str):
        try:
            return datetime.fromisoformat(str(series["lastObservedTime"]).replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


SELF_REPAIRED = frozenset({"ClusterIPNotAllocated"})
"""Warning reasons the control plane emits while it repairs its own bookkeeping (the API server's
ClusterIP repair loop on a young cluster): nothing for the user to do, so not a finding."""


@check("events.warnings", "recent Warning events", "events")
def warnings(snap: Snapshot) -> Outcome:
    """Warning events of the last hour in the namespace, grouped by reason and object."""
    if (gone := unreadable(snap, "events")) is not None:
        return gone
    looked = (f"kubectl get events -n {snap.namespace} --field-selector type=Warning",)
    recent = []
    for event in snap.items("events"):
        if event.get("type") != "Warning" or event.get("reason") in SELF_REPAIRED:
            continue
        when = _event_time(event)
        if when is None or snap.now - when <= RECENT_EVENTS:
            recent.append(event)
    if not recent:
        return ok("no Warning event in the last hour", *looked)
    counts: Counter[tuple[str, str, str]] = Counter()
    messages: dict[tuple[str, str, str], str] = {}
    for event in recent:
        obj = event.get("involvedObject") or {}
        key = (str(event.get("reason")), f"{str(obj.get('kind', '')).lower()}/{obj.get('name')}", "")
        counts[key] += int(event.get("count") or 1)
        messages[key] = str(event.get("message", ""))
    lines = [f"{reason} {obj} (x{n}): {messages[(reason, obj, x)]}" for (reason, obj, x), n in counts.most_common(10)]
    return Outcome(
        "warn",
        f"{len(recent)} Warning event{'s' if len(recent) > 1 else ''} in the last hour: "
        + ", ".join(sorted({r for r, _o, _x in counts})),
        looked,
        evidence=tuple(lines),
        fix="the component checks explain the ones that block Flyte; the others are worth a look",
        commands=(f"{kubectl_cmd(snap)} get events --field-selector type=Warning --sort-by=.lastTimestamp",),
    )
