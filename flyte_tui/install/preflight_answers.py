"""The checks derived from the answers, as callables for preflight's one thread pool: each reads what it needs
from the cluster (one kubectl call, bounded by its timeout and the run's cancel flag) and says a
:class:`~flyte_tui.install.preflight_checks.CheckResult`. What cannot be read is a warning, never a failure:
the installer's RBAC may not allow the read, and helm meets the API server's real answer."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flyte_tui.charts import PlannedRelease
from flyte_tui.install import preflight_capacity as capacity
from flyte_tui.install import preflight_cluster as cluster
from flyte_tui.install import preflight_reach as reach
from flyte_tui.install.context import ReleaseRun
from flyte_tui.install.preflight_checks import CheckResult
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl, KubectlError

READ_TIMEOUT = 20.0
"""Seconds one read of the cluster may take."""

Items = list[Mapping[str, Any]] | None
"""A list's items, None when it could not be read."""


def read_items(kubectl: Kubectl, kind: str, *args: str, namespaced: bool = True) -> Items:
    """The items of ``kubectl get KIND ARGS -o json``; None when they cannot be read."""
    try:
        items = kubectl.get_json(kind, *args, namespaced=namespaced).get("items") or []
    except process.Cancelled:
        raise
    except (KubectlError, process.ProcessError):  # UnexpectedOutput is a ProcessError
        return None
    return [i for i in items if isinstance(i, Mapping)]


def read_names(kubectl: Kubectl, kind: str, *args: str) -> Items:
    """The names of ``kubectl get KIND ARGS -o name``, as items holding only ``metadata.name``; None when they
    cannot be read. For what must not be read whole (a Secret's data)."""
    try:
        done = kubectl.run("get", kind, *args, "-o", "name")
    except process.Cancelled:
        raise
    except process.ProcessError:
        return None
    if not done.ok:
        return None
    names = [line.strip().rpartition("/")[2] for line in done.stdout.splitlines() if line.strip()]
    return [{"metadata": {"name": name}} for name in names]


def unread(check: str, looked: str) -> CheckResult:
    """The warning of a check whose input could not be read."""
    return CheckResult(check, "warn", looked, "could not be read (not allowed, or no answer): not checked", "")


def reads(run: ReleaseRun, dependencies: Sequence[PlannedRelease]) -> dict[str, Callable[[], Any]]:
    """What the answers' checks read, by name, for preflight's pool: kubectl lists (None when unreadable) and the
    two reach checks' results (a TCP connect each)."""
    kubectl = dataclasses.replace(run.kubectl, timeout=READ_TIMEOUT)
    crd, tls = run.release.objects.crd, run.plan.ingress.tls.secret_name
    needs = cluster.volume_needs((*dependencies, run.release))
    lists: dict[str, tuple[Any, ...]] = {
        "nodes": ("nodes", False),
        "resourcequotas": ("resourcequotas", True),
        "limitranges": ("limitranges", True),
        "crds": ("crd", False, f"--field-selector=metadata.name={crd}") if crd else (),
        "storageclasses": ("storageclasses", False) if needs else (),
    }
    calls: dict[str, Callable[[], Any]] = {
        f"read {name}": functools.partial(_read, kubectl, *args) for name, args in lists.items()
    }
    # the TLS Secret: only whether it exists; its data (the private key) is never read
    by_name = f"--field-selector=metadata.name={tls}"
    calls["read tls secrets"] = functools.partial(read_names, kubectl, "secrets", by_name) if tls else list
    calls["database-reach"] = functools.partial(reach.database_reach, run.plan, run.cancel)
    calls["bucket-reach"] = functools.partial(reach.bucket_reach, run.plan, run.cancel)
    return calls


def _read(kubectl: Kubectl, kind: str = "", namespaced: bool = True, *args: str) -> Items:
    return read_items(kubectl, kind, *args, namespaced=namespaced) if kind else []


def evaluate(
    run: ReleaseRun,
    dependencies: Sequence[PlannedRelease],
    read: Mapping[str, Any],
    *,
    existing: bool,
    server: str,
    chart_yaml: str,
) -> list[CheckResult]:
    """The answers' checks over what :func:`reads` read (``read`` by the same names; a read that raised counts as
    not read), the release's existence, the API server's version and the Flyte chart's Chart.yaml. A check that
    breaks over what it was given is a warning of its own (:func:`guarded`), never the end of preflight."""
    got = {name: None if isinstance(value, Exception) else value for name, value in read.items()}
    releases = (*dependencies, run.release)
    pods = [p for r in releases for p in capacity.release_pods(r)]
    ns = run.release.namespace
    nodes, quotas, ranges = got["read nodes"], got["read resourcequotas"], got["read limitranges"]
    crds = got["read crds"]
    listed: list[tuple[str, str, Items, Callable[[], CheckResult]]] = [  # (check, what it reads, the read, the check)
        ("capacity", "the nodes' allocatable", nodes, lambda: capacity.capacity(pods, nodes or [])),
        ("gpu", "the nodes' nvidia.com/gpu", nodes, lambda: capacity.gpu(run.plan, nodes or [])),
        ("quota", f"ResourceQuota in namespace {ns}", quotas, lambda: capacity.quota(pods, quotas or [], ns, existing)),
        ("limit-range", f"LimitRange in namespace {ns}", ranges, lambda: capacity.limit_range(pods, ranges or [], ns)),
        ("crd-owner", "the FlyteWorkflow CRD", crds, lambda: cluster.crd_owner(run.release, crds or [])),
    ]
    results = [unread(c, looked) if items is None else guarded(c, looked, call) for c, looked, items, call in listed]
    return [
        *results,
        guarded("tls-secret", "the TLS Secret", lambda: cluster.tls_secret(run.plan, got["read tls secrets"])),
        guarded(
            "storage-class",
            "the cluster's default StorageClass",
            lambda: cluster.storage_class(cluster.volume_needs(releases), got["read storageclasses"]),
        ),
        guarded(
            "kubernetes-version",
            "the API server's version",
            lambda: cluster.kubernetes_version(server, run.release.chart.name, chart_yaml),
        ),
        _reached("database-reach", "the database host", read["database-reach"]),
        _reached("bucket-reach", "the bucket's endpoint", read["bucket-reach"]),
    ]


def guarded(check: str, looked: str, call: Callable[[], CheckResult]) -> CheckResult:
    """``call``'s result, or, when it breaks over what it was given (kubectl's objects of a shape no API server
    sends, a bug), a warning naming the check and the error: never a traceback, never silent."""
    try:
        return call()
    except process.Cancelled:
        raise
    except Exception as exc:
        return broken(check, looked, exc)


def broken(check: str, looked: str, exc: BaseException) -> CheckResult:
    """The warning of a check that could not decide because of ``exc``."""
    said = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return CheckResult(check, "warn", looked, f"could not be checked ({said}); going on", "")


def _reached(check: str, looked: str, got: CheckResult | Exception) -> CheckResult:
    return broken(check, looked, got) if isinstance(got, Exception) else got
