"""Several clusters (NEXT-CAPABILITIES §2): the control plane's credentials Secret holds a token and CA for every
enabled data plane, each link works as flyteadmin will use it, the Secret is mounted where flyteadmin and its
cluster-sync init container read it, the project namespaces exist on every data plane, and every label in
``labelClusterMap`` names an enabled cluster.

The data planes are the answers file's ``dataPlanes`` (with ``--answers``), else the release's
``configmap.clusters.clusterConfigs``. Every check skips with its reason when there are none. The tokens never reach
a check: gathering (:func:`cluster_reads`) asked each data plane's API server with them and kept only what it
answered (a problem, the namespace names) in :attr:`Snapshot.objects` under :data:`DATA_PLANES`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.checks.config import project_namespaces
from flyte_tui.doctor.snapshot import Json, Snapshot
from flyte_tui.install.cluster_links import credentials_of, link_problem
from flyte_tui.install.kube_http import Credentials, KubeHttp, LinkRefused
from flyte_tui.model.clusters import CREDENTIALS_DIR, CREDENTIALS_SECRET, ca_key, token_key
from flyte_tui.tools import output, process

DATA_PLANES = "data-planes"
"""Where gathering keeps what each data plane answered (:attr:`Snapshot.objects`; its read's error too)."""
ADMIN = "flyteadmin"
CLUSTERS_CONFIG = "flyte-admin-clusters-config"
"""The ConfigMap flyte-core renders ``configmap.clusters`` into (``clusters.yaml``)."""
SYNC_INIT = "sync-cluster-resources"
"""flyteadmin's init container that runs the cluster-resource sync (flyte-core's admin deployment)."""


def data_planes(snap: Snapshot) -> list[tuple[str, str]]:
    """(name, endpoint) of every enabled cluster flyteadmin reaches with a token: the answers' data planes, else
    the release's ``clusterConfigs`` (the ``inCluster`` entry is the control plane itself: no token)."""
    plan = snap.target.plan
    if plan is not None and plan.data_planes:
        return [(p.name, p.endpoint) for p in plan.data_planes if not p.in_cluster]
    configs = snap.value("configmap.clusters.clusterConfigs") or []
    return [
        (str(c.get("name")), str(c.get("endpoint") or ""))
        for c in configs
        if isinstance(c, dict) and c.get("name") and c.get("enabled") is True and not c.get("inCluster")
    ]


def cluster_reads(
    snap: Snapshot, kubectl: Callable[..., process.Completed], cancel: threading.Event | None = None
) -> dict[str, Callable[[Snapshot], None]]:
    """The read the cluster checks need once the values are known (none without data planes): the credentials
    Secret, then each data plane asked with its token and CA, side by side (``cancel`` looked at before each
    request)."""
    planes = data_planes(snap)
    if not planes:
        return {}

    def read(snap: Snapshot) -> None:
        done = kubectl("get", "secret", CREDENTIALS_SECRET, "--ignore-not-found", "-o", "json")
        if not done.ok:
            snap.errors[DATA_PLANES] = process.last_line(done.stderr or done.stdout) or "no answer"
            return
        try:
            secret = output.json_object(done.stdout, "kubectl get secret", nullable=True) if done.stdout else {}
        except output.UnexpectedOutput as exc:
            snap.errors[DATA_PLANES] = str(exc)
            return
        data = {str(k): str(v) for k, v in (secret.get("data") or {}).items()}
        with ThreadPoolExecutor(max_workers=min(len(planes), 8)) as pool:
            http = KubeHttp(cancel or threading.Event())
            found = list(pool.map(lambda plane: _ask(http, plane[0], plane[1], data), planes))
        snap.objects[DATA_PLANES] = found

    return {DATA_PLANES: read}


def _ask(http: KubeHttp, name: str, endpoint: str, data: dict[str, str]) -> Json:
    """What data plane ``name`` answered: its link's problem (None: none) and its namespaces (None: not listed)."""
    problem = link_problem(http, name, endpoint, data)
    found: Json = {"name": name, "endpoint": endpoint, "problem": None, "namespaces": None}
    if problem is not None:
        found["problem"] = {"key": problem.key, "summary": problem.summary, "fix": problem.fix}
        return found
    creds = credentials_of(name, endpoint, data)
    if isinstance(creds, Credentials):
        try:
            found["namespaces"] = http.namespaces(creds)
        except LinkRefused as exc:
            found["namespaces_error"] = exc.reason
    return found


def _no_planes(snap: Snapshot) -> Outcome | None:
    if data_planes(snap):
        return None
    return skip("one cluster: no dataPlanes in the answers and no clusterConfigs in the release's values")


def _answers(snap: Snapshot) -> list[Json] | Outcome:
    if (gone := _no_planes(snap) or unreadable(snap, DATA_PLANES)) is not None:
        return gone
    if DATA_PLANES not in snap.objects:
        return skip("not checked: the data planes were not asked")
    return snap.items(DATA_PLANES)


@check("clusters.credentials", f"Secret {CREDENTIALS_SECRET} has a token and CA for every data plane", "clusters")
def credentials(snap: Snapshot) -> Outcome:
    """flyteadmin reads ``<name>_token`` and ``<name>_cacert`` of every enabled cluster from the Secret mounted at
    /var/run/credentials; one missing and flyteadmin panics at start."""
    if (gone := _no_planes(snap) or unreadable(snap, "secrets")) is not None:
        return gone
    wanted = [key for name, _ in data_planes(snap) for key in (token_key(name), ca_key(name))]
    looked = (f"Secret {CREDENTIALS_SECRET} (key names only)",)
    secret = snap.secrets.get(CREDENTIALS_SECRET)
    have = secret.keys if secret is not None else ()
    missing = [k for k in wanted if k not in have]
    if not missing:
        return ok(f"Secret {CREDENTIALS_SECRET} holds {', '.join(wanted)}", *looked)
    what = f"Secret {CREDENTIALS_SECRET} does not exist" if secret is None else f"Secret {CREDENTIALS_SECRET} lacks"
    return Outcome(
        "fail",
        f"{what} {', '.join(missing)}: flyteadmin cannot read those files and panics at start"
        if secret is not None
        else f"{what}: flyteadmin cannot reach any data plane ({', '.join(missing)} missing)",
        looked,
        evidence=(f"keys: {', '.join(have) or '(none)'}",) if secret is not None else (),
        fix="run flyte-tui upgrade with the answers file: its data plane credentials step writes every key",
        commands=(f"{kubectl_cmd(snap)} get secret {CREDENTIALS_SECRET} -o jsonpath='{{.data}}' | jq 'keys'",),
    )


@check("clusters.links", "flyteadmin's credentials work on every data plane", "clusters")
def links(snap: Snapshot) -> Outcome:
    """With each data plane's token and CA from the Secret, exactly as flyteadmin uses them: its API server answers
    (TLS verified with that CA) and the token may create FlyteWorkflows and namespaces there."""
    answers = _answers(snap)
    if isinstance(answers, Outcome):
        return answers
    looked = tuple(f"{a['name']}: {a['endpoint']} (SelfSubjectAccessReviews with its token)" for a in answers)
    broken = [a["problem"] for a in answers if a.get("problem")]
    if not broken:
        names = ", ".join(str(a["name"]) for a in answers)
        return ok(f"flyteadmin may create FlyteWorkflows and namespaces on {names}", *looked)
    return Outcome(
        "fail",
        "; ".join(str(p["summary"]) for p in broken),
        looked,
        evidence=tuple(f"Secret {CREDENTIALS_SECRET} key {p['key']}" for p in broken),
        fix=str(broken[0]["fix"]),
        commands=(f"{kubectl_cmd(snap)} get secret {CREDENTIALS_SECRET} -o jsonpath='{{.data}}' | jq 'keys'",),
    )


def _mounts(pod_spec: Json, volume: str, kind: str, name: str) -> bool:
    for container in pod_spec.get(kind) or []:
        if isinstance(container, dict) and container.get("name") == name:
            mounts = container.get("volumeMounts") or []
            return any(m.get("name") == volume and m.get("mountPath") == CREDENTIALS_DIR for m in mounts)
    return False


def _pod_spec(deployment: Json) -> Json:
    spec: Any = ((deployment.get("spec") or {}).get("template") or {}).get("spec")
    return spec if isinstance(spec, dict) else {}


@check("clusters.mounts", "flyteadmin and its cluster-sync init container mount the credentials", "clusters")
def mounts(snap: Snapshot) -> Outcome:
    """Secret cluster-credentials is mounted at /var/run/credentials in flyteadmin's container and in its
    sync-cluster-resources init container; without it flyteadmin panics (no such file) and project namespaces are
    never made on the data planes."""
    if (gone := _no_planes(snap) or unreadable(snap, "deployments")) is not None:
        return gone
    deployment = snap.named("deployments", ADMIN)
    looked = (f"Deployment {ADMIN}: volumes, containers {ADMIN} and {SYNC_INIT} (init)",)
    if deployment is None:
        return skip(f"not checked: there is no Deployment {ADMIN} (see the component checks)", *looked)
    spec = _pod_spec(deployment)
    volumes = [v.get("name") for v in spec.get("volumes") or [] if (v.get("secret") or {}).get("secretName")
               == CREDENTIALS_SECRET]  # fmt: skip
    places = ((ADMIN, "containers", "container"), (SYNC_INIT, "initContainers", "init container"))
    missing = [f"{what} {c}" for c, kind, what in places if not any(_mounts(spec, v, kind, c) for v in volumes)]
    if not missing:
        return ok(f"Secret {CREDENTIALS_SECRET} is mounted at {CREDENTIALS_DIR} in {ADMIN} and {SYNC_INIT}", *looked)
    why = f"no volume of Secret {CREDENTIALS_SECRET}" if not volumes else f"not mounted at {CREDENTIALS_DIR}"
    return Outcome(
        "fail",
        f"{', '.join(missing)} of Deployment {ADMIN}: {why}: flyteadmin panics reading the token files, and the "
        "sync never makes project namespaces on the data planes",
        looked,
        fix="run flyte-tui upgrade with the answers file: it renders the volume and both mounts "
        "(flyteadmin.additionalVolumes / additionalVolumeMounts; the init container's needs a non-empty "
        "labelClusterMap)",
        commands=(f"{kubectl_cmd(snap)} get deployment {ADMIN} -o jsonpath='{{.spec.template.spec}}'",),
    )


def _wanted_namespaces(snap: Snapshot) -> list[str]:
    plan = snap.target.plan
    if snap.values or plan is None:
        return project_namespaces(snap)
    return [f"{p}-{d}" for p in plan.projects.initial_projects for d in plan.projects.domains]


@check("clusters.namespaces", "the project namespaces exist on every data plane", "clusters")
def namespaces(snap: Snapshot) -> Outcome:
    """flyteadmin's cluster-resource sync makes ``<project>-<domain>`` on every data plane; a missing one fails
    launches there with ``namespaces "<p>-<d>" not found``."""
    answers = _answers(snap)
    if isinstance(answers, Outcome):
        return answers
    wanted = _wanted_namespaces(snap)
    looked = tuple(f"namespaces on {a['name']} (listed with its token)" for a in answers)
    if not wanted:
        return skip("not checked: no project and domain known (no values, no answers)", *looked)
    listed = [a for a in answers if isinstance(a.get("namespaces"), list)]
    gaps = {str(a["name"]): [n for n in wanted if n not in a["namespaces"]] for a in listed}
    gaps = {name: missing for name, missing in gaps.items() if missing}
    unlisted = [str(a["name"]) for a in answers if a not in listed]
    if not gaps:
        if not listed:
            return skip("not checked: no data plane's namespaces could be listed (see clusters.links)", *looked)
        extra = f" ({', '.join(unlisted)} not listed: see clusters.links)" if unlisted else ""
        return ok(f"{len(wanted)} project namespaces on {', '.join(str(a['name']) for a in listed)}{extra}", *looked)
    return Outcome(
        "warn",
        "project namespaces missing: " + "; ".join(f"{name}: {', '.join(m)}" for name, m in gaps.items()),
        looked,
        evidence=tuple(f"{name}: {len(m)} of {len(wanted)} missing" for name, m in gaps.items()),
        fix="the sync makes them within a minute once flyteadmin has the credentials (see clusters.mounts, "
        f"clusters.links); look at the {SYNC_INIT} init container's and the syncresources log",
        commands=(f"{kubectl_cmd(snap)} logs deployment/syncresources --tail=100",),
    )


@check("clusters.labels", "every label in labelClusterMap names an enabled cluster", "clusters")
def labels(snap: Snapshot) -> Outcome:
    """A label whose cluster is unknown or disabled makes flyteadmin panic ('entries is empty') or send the
    work nowhere; every id in ``configmap.clusters.labelClusterMap`` must be an enabled clusterConfigs name."""
    if (gone := _no_planes(snap)) is not None:
        return gone
    clusters = snap.value("configmap.clusters")
    looked = ("values configmap.clusters (labelClusterMap, clusterConfigs)",)
    if not isinstance(clusters, dict):
        return skip("not checked: the release's values have no configmap.clusters", *looked)
    configs = [c for c in clusters.get("clusterConfigs") or [] if isinstance(c, dict)]
    enabled = {str(c.get("name")) for c in configs if c.get("enabled") is True}
    label_map = clusters.get("labelClusterMap") or {}
    wrong = [
        f"{label} → {entry.get('id')}"
        for label, entries in (label_map.items() if isinstance(label_map, dict) else [])
        for entry in entries or []
        if isinstance(entry, dict) and str(entry.get("id")) not in enabled
    ]
    default = clusters.get("defaultExecutionLabel")
    if default and default not in label_map:
        wrong.append(f"defaultExecutionLabel {default} (not a label of labelClusterMap)")
    if not wrong:
        return ok(f"{len(label_map)} label(s), each naming enabled clusters ({', '.join(sorted(enabled))})", *looked)
    fail = "labelClusterMap names clusters that are not enabled: " + ", ".join(wrong)
    command = f"{kubectl_cmd(snap)} get configmap {CLUSTERS_CONFIG} -o yaml"
    return Outcome("fail", fail, looked, evidence=(f"enabled clusters: {', '.join(sorted(enabled)) or '(none)'}",),
                   fix=_LABELS_FIX, commands=(command,), answer="dataPlanes")  # fmt: skip


_LABELS_FIX = (
    "give each data plane its labels in the answers (dataPlanes[].labels) and run flyte-tui upgrade: it writes "
    "labelClusterMap from them"
)
