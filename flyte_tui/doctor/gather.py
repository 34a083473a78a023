"""Reading what the doctor looks at, once: one ``kubectl get`` per group of kinds, run side by side.

Nothing here interprets what it reads (the checks do). Secrets are listed through a go-template that
prints only their names, types and key names.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from flyte_tui.charts import profile_named
from flyte_tui.doctor.auth_setup import auth_reads
from flyte_tui.doctor.checks.clusters import cluster_reads
from flyte_tui.doctor.checks.plugins import plugin_reads
from flyte_tui.doctor.snapshot import DoctorTarget, Json, SecretInfo, Snapshot, meta
from flyte_tui.model.names import check_argument
from flyte_tui.readiness import matches, pod_ready
from flyte_tui.tools import output, process

NAMESPACED_KINDS = (
    "pods",
    "deployments",
    "services",
    "endpoints",
    "configmaps",
    "serviceaccounts",
    "ingresses",
    "events",
)
"""Kinds read from the release namespace, all in one ``kubectl get`` (per kind when that one is refused)."""

KIND_OF = {
    "Pod": "pods",
    "Deployment": "deployments",
    "Service": "services",
    "Endpoints": "endpoints",
    "ConfigMap": "configmaps",
    "ServiceAccount": "serviceaccounts",
    "Ingress": "ingresses",
    "Event": "events",
}

SECRETS_TEMPLATE = (
    '{{range .items}}{{.metadata.name}}{{"\\t"}}{{.type}}'
    '{{range $k, $v := .data}}{{"\\t"}}{{$k}}{{end}}{{"\\n"}}{{end}}'
)
"""Prints ``name<TAB>type<TAB>key…`` per Secret: key names only, never a value."""

LOG_TAIL = 40
MAX_LOGS = 8
"""At most this many container logs are read for the per-component checks."""


def parse_secrets(text: str) -> dict[str, SecretInfo]:
    """The go-template output of :data:`SECRETS_TEMPLATE` → Secrets by name; a line the template cannot have
    printed (no tab after the name) raises :class:`~flyte_tui.tools.output.UnexpectedOutput`."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0] or parts[0] != parts[0].strip():
            raise output.UnexpectedOutput("kubectl get secrets", "one Secret per line (name, type, keys)",
                                          output.not_a_list(line))  # fmt: skip
        out[parts[0]] = SecretInfo(parts[0], parts[1], tuple(p for p in parts[2:] if p))
    return out


def _list_items(done: process.Completed) -> list[Json]:
    """The objects ``kubectl get … -o json`` printed (a list's items, or the one object); raises
    :class:`~flyte_tui.tools.output.UnexpectedOutput` naming the command when it printed something else."""
    if not done.stdout.strip():
        return []
    command = output.command_line([a for a in done.argv if not a.startswith("--")])
    data = output.json_object(done.stdout, command, output.KubeList)
    return list(data.get("items") or []) if "items" in data else [data]


def _items(snap: Snapshot, done: process.Completed, *keys: str) -> list[Json] | None:
    """:func:`_list_items`, or None with kubectl's unexpected output recorded under ``keys`` (the names
    the checks look their read's error up by)."""
    try:
        return _list_items(done)
    except output.UnexpectedOutput as exc:
        for key in keys:
            snap.errors[key] = str(exc)
        return None


def _error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("Warning:")]
    return lines[-1] if lines else "no answer"


class Gatherer:
    """Runs the reads for one snapshot; counts the processes it starts."""

    def __init__(self, target: DoctorTarget, cancel: threading.Event | None = None) -> None:
        """Raises ValueError, before anything runs, when the release name would reach helm as an option (it goes
        to helm as a positional argument: ``--release=--kubeconfig=…`` would point helm at another cluster)."""
        try:
            check_argument(target.release)
        except ValueError as exc:
            raise ValueError(f"release {exc}; give the Helm release name (--release)") from None
        self.target = target
        self.cancel = cancel or threading.Event()
        self._lock = threading.Lock()
        self.processes = 0

    def kubectl(self, *args: str, namespaced: bool = True, timeout: float | None = None) -> process.Completed:
        """Run kubectl with the target's context (and namespace)."""
        t = self.target
        argv = [t.kubectl, f"--request-timeout={max(int(t.timeout) - 2, 1)}s"]
        if t.context:  # one argument each: a value is never read as a flag
            argv.append(f"--context={t.context}")
        if namespaced:
            argv.append(f"--namespace={t.namespace}")
        return self._run([*argv, *args], timeout)

    def helm(self, *args: str, timeout: float | None = None) -> process.Completed:
        """Run helm against the target's namespace and context."""
        t = self.target
        argv = [t.helm, *args, f"--namespace={t.namespace}"]
        if t.context:
            argv.append(f"--kube-context={t.context}")
        return self._run(argv, timeout)

    def _run(self, argv: list[str], timeout: float | None) -> process.Completed:
        with self._lock:
            self.processes += 1
        return process.run(argv, timeout or self.target.timeout, self.cancel, self.target.env)

    # -- the reads ---------------------------------------------------------------------------------

    def gather(self) -> Snapshot:
        """Read everything side by side, then the logs of failing containers."""
        started = datetime.now(UTC)
        self._recognise_chart()
        snap = Snapshot(self.target, now=started)
        reads: dict[str, Callable[[Snapshot], None]] = {
            "kubectl": self._versions,
            "contexts": self._contexts,
            "helm": self._helm_version,
            "namespaced": self._namespaced,
            "secrets": self._secrets,
            "cluster": self._cluster_lists,
            "runtime": self._runtime_objects,
            "quotas": self._quotas,
            "default-sa": self._default_service_accounts,
            "history": self._history,
            "values": self._values,
        }
        self._parallel(snap, reads)
        self._logs(snap)
        self._parallel(snap, auth_reads(snap, self.kubectl, self._log_reader))  # auth on: its secret, its logs
        self._parallel(snap, plugin_reads(snap, self.kubectl))  # plugins enabled: their CRDs
        self._parallel(snap, cluster_reads(snap, self.kubectl, self.cancel))  # data planes: each link asked
        snap.processes = self.processes
        snap.elapsed = (datetime.now(UTC) - started).total_seconds()
        return snap

    def _recognise_chart(self) -> None:
        """Without an answers file, the profile of the chart the live release runs (helm records its name), so
        that a flyte-binary release is not examined for flyte-core's objects; unknown: left as it is."""
        if self.target.chart is not None or self.target.plan is not None:
            return
        try:
            done = self.helm("history", self.target.release, "--max", "1", "-o", "json")
            revisions = output.json_list(done.stdout, "helm history", output.HelmRevision) if done.ok else []
        except process.Cancelled:
            raise
        except (process.ProcessError, output.UnexpectedOutput):
            return  # the history read says what went wrong
        if not revisions:
            return
        name = re.sub(r"-v?\d+\.\d+\.\d+.*$", "", str(revisions[-1].get("chart") or ""))
        try:
            self.target = dataclasses.replace(self.target, chart=profile_named(name))
        except KeyError:
            return

    def _parallel(self, snap: Snapshot, reads: Mapping[str, Callable[[Snapshot], None]]) -> None:
        with ThreadPoolExecutor(max_workers=max(len(reads), 1)) as pool:
            futures = {name: pool.submit(read, snap) for name, read in reads.items()}
        for name, future in futures.items():
            exc = future.exception()
            if isinstance(exc, process.Cancelled):
                raise exc
            if exc is not None:
                snap.errors.setdefault(name, str(exc) or type(exc).__name__)

    def _versions(self, snap: Snapshot) -> None:
        done = self.kubectl("version", "-o", "json", namespaced=False)
        try:  # kubectl prints its own version even when the cluster does not answer
            snap.kubectl_version = output.json_object(done.stdout, "kubectl version")
        except output.UnexpectedOutput as exc:
            snap.kubectl_version = {}
            snap.errors["kubectl"] = str(exc)
        if not done.ok:
            snap.errors["cluster"] = _error_line(done.stderr or done.stdout)

    def _contexts(self, snap: Snapshot) -> None:
        template = '{.current-context}{"\\n"}{range .contexts[*]}{.name}{"\\n"}{end}'
        done = self.kubectl("config", "view", "-o", f"jsonpath={template}", namespaced=False)
        if done.ok:
            lines = done.stdout.split("\n")
            snap.current_context = lines[0].strip()
            snap.contexts = [line.strip() for line in lines[1:] if line.strip()]

    def _helm_version(self, snap: Snapshot) -> None:
        argv = [self.target.helm, "version", "--short"]
        done = self._run(argv, None)
        if done.ok:
            snap.helm_version = done.stdout.strip().split("+")[0]
        else:
            snap.errors["helm"] = _error_line(done.stderr or done.stdout)

    def _namespaced(self, snap: Snapshot) -> None:
        done = self.kubectl("get", ",".join(NAMESPACED_KINDS), "-o", "json")
        if done.ok:
            items = _items(snap, done, *NAMESPACED_KINDS)
            for item in items or []:
                kind = KIND_OF.get(str(item.get("kind")))
                if kind:
                    snap.objects.setdefault(kind, []).append(item)
            for kind in NAMESPACED_KINDS:
                if items is not None:
                    snap.objects.setdefault(kind, [])
            return
        # one kind was refused (RBAC) or unknown: read them one by one to know which
        reads = {kind: self._one_kind(kind) for kind in NAMESPACED_KINDS}
        self._parallel(snap, reads)

    def _one_kind(self, kind: str) -> Callable[[Snapshot], None]:
        def read(snap: Snapshot) -> None:
            done = self.kubectl("get", kind, "-o", "json")
            if done.ok:
                if (items := _items(snap, done, kind)) is not None:
                    snap.objects[kind] = items
            else:
                snap.errors[kind] = _error_line(done.stderr)

        return read

    def _secrets(self, snap: Snapshot) -> None:
        done = self.kubectl("get", "secrets", "-o", f"go-template={SECRETS_TEMPLATE}")
        if done.ok:
            try:
                snap.secrets = parse_secrets(done.stdout)
            except output.UnexpectedOutput as exc:
                snap.errors["secrets"] = str(exc)
        else:
            snap.errors["secrets"] = _error_line(done.stderr)

    def _cluster_lists(self, snap: Snapshot) -> None:
        done = self.kubectl("get", "namespaces,ingressclasses", "-o", "json", namespaced=False)
        if not done.ok:
            snap.errors["namespaces"] = _error_line(done.stderr)
            return
        for item in _items(snap, done, "namespaces") or []:
            (snap.namespaces if item.get("kind") == "Namespace" else snap.ingress_classes).append(item)

    def _runtime_objects(self, snap: Snapshot) -> None:
        objects = snap.chart_objects
        names = [f"customresourcedefinitions/{objects.crd}"] if objects.crd else []
        names += [f"mutatingwebhookconfigurations/{objects.webhook}"] if objects.webhook else []
        if not names:
            return
        done = self.kubectl("get", *names, "-o", "json", "--ignore-not-found", namespaced=False)
        if not done.ok:
            snap.errors["crd"] = snap.errors["webhook-config"] = _error_line(done.stderr)
            return
        for item in _items(snap, done, "crd", "webhook-config") or []:
            if item.get("kind") == "CustomResourceDefinition":
                snap.crd = item
            elif item.get("kind") == "MutatingWebhookConfiguration":
                snap.webhook_config = item

    def _quotas(self, snap: Snapshot) -> None:
        done = self.kubectl("get", "resourcequotas", "--all-namespaces", "-o", "json", namespaced=False)
        if done.ok:
            snap.quotas = _items(snap, done, "resourcequotas") or []
        else:
            snap.errors["resourcequotas"] = _error_line(done.stderr)

    def _default_service_accounts(self, snap: Snapshot) -> None:
        done = self.kubectl(
            "get", "serviceaccounts", "--all-namespaces", "--field-selector", "metadata.name=default", "-o", "json",
            namespaced=False,
        )  # fmt: skip
        if done.ok:
            snap.default_service_accounts = _items(snap, done, "default-serviceaccounts") or []
        else:
            snap.errors["default-serviceaccounts"] = _error_line(done.stderr)

    def _history(self, snap: Snapshot) -> None:
        try:
            done = self.helm("history", self.target.release, "--max", "10", "-o", "json")
        except process.Cancelled:
            raise
        except process.ProcessError as exc:  # helm did not run: nothing is known about the release
            snap.errors["release"] = f"helm did not run ({exc}); see tools.helm"
            return
        if done.ok:
            try:
                snap.history = output.json_list(done.stdout, "helm history", output.HelmRevision) or None
            except output.UnexpectedOutput as exc:
                snap.errors["release"] = str(exc)
        elif "not found" in (done.stderr + done.stdout).lower():
            snap.history = None
        else:
            snap.errors["release"] = _error_line(done.stderr or done.stdout)

    def _values(self, snap: Snapshot) -> None:
        done = self.helm("get", "values", self.target.release, "--all", "-o", "json")
        if done.ok:
            try:
                snap.values = output.json_object(done.stdout, "helm get values", nullable=True)
            except output.UnexpectedOutput as exc:
                snap.errors["values"] = str(exc)
        elif "not found" not in (done.stderr + done.stdout).lower():
            snap.errors["values"] = _error_line(done.stderr or done.stdout)

    def _logs(self, snap: Snapshot) -> None:
        wanted = failing_containers(snap)[:MAX_LOGS]
        if not wanted:
            return
        reads = {f"logs {pod}/{c}": self._log_reader(pod, c, previous) for pod, c, previous in wanted}
        self._parallel(snap, reads)

    def _log_reader(self, pod: str, container: str, previous: bool) -> Callable[[Snapshot], None]:
        def read(snap: Snapshot) -> None:
            args = ["logs", pod, f"--container={container}", f"--tail={LOG_TAIL}"]
            done = self.kubectl(*args, "--previous") if previous else None
            if done is None or not done.ok or not done.stdout.strip():
                done = self.kubectl(*args)
            snap.logs[(pod, container)] = done.stdout.splitlines() if done.ok else []

        return read


def failing_containers(snap: Snapshot) -> list[tuple[str, str, bool]]:
    """(pod, container, read the previous run) for Flyte pods whose containers crashed or are stuck."""
    out: list[tuple[str, str, bool]] = []
    pods = [p for p in snap.items("pods") if any(matches(p, c, snap.release) for c in snap.target.profile.components)]
    for pod in pods:
        if pod_ready(pod) and not _restarted(pod):
            continue
        name = str(meta(pod).get("name"))
        status = pod.get("status") or {}
        for kind in ("initContainerStatuses", "containerStatuses"):
            for cs in status.get(kind) or []:
                state = cs.get("state") or {}
                waiting = (state.get("waiting") or {}).get("reason")
                crashed = int(cs.get("restartCount") or 0) > 0 or waiting == "CrashLoopBackOff"
                failed = "terminated" in state and (state["terminated"].get("exitCode") or 0) != 0
                running_init = kind == "initContainerStatuses" and "running" in state
                if crashed or failed or running_init:
                    out.append((name, str(cs.get("name")), crashed))
    return out


def _restarted(pod: Mapping[str, Any]) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return any(int(cs.get("restartCount") or 0) > 0 for cs in statuses)


def gather(target: DoctorTarget, cancel: threading.Event | None = None) -> Snapshot:
    """One snapshot of an install."""
    return Gatherer(target, cancel).gather()
