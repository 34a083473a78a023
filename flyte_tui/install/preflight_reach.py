"""From the machine running flyte-tui: the database host answers on its port (``database-reach``) and the bucket's
endpoint answers (``bucket-reach``), each a TCP connect with a short timeout. Flyte reaches them from inside the
cluster, so an endpoint that does not answer here is a warning saying it may be private to the cluster, never a
failure; an address that only exists inside the cluster (a Service name) is not tried."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Callable

from flyte_tui.install.preflight_checks import CheckResult
from flyte_tui.model.plan import InstallPlan

CONNECT_TIMEOUT = 3.0
"""Seconds a TCP connect may take."""
PRIVATE = "it may be private to the cluster (Flyte connects from inside it); going on"

Connect = Callable[[str, int, float], None]
"""Open and close a TCP connection (raises OSError when nothing answers)."""


def tcp_connect(host: str, port: int, timeout: float) -> None:
    """Open a TCP connection to ``host:port`` within ``timeout`` seconds, and close it."""
    with socket.create_connection((host, port), timeout=timeout):
        pass


def in_cluster(host: str) -> bool:
    """Whether ``host`` names a Service inside the cluster (no dot, or ending in ``.svc`` / ``.cluster.local``)."""
    host = host.rstrip(".").lower()
    return "." not in host or host.endswith((".svc", ".svc.cluster.local", ".cluster.local"))


def bucket_endpoint(plan: InstallPlan) -> tuple[str, int, str] | None:
    """The bucket's endpoint host, port and where it comes from; None when the bucket is the sandbox's minio."""
    s = plan.storage
    if s.type == "sandbox" or plan.dependencies.storage:
        return None
    if s.endpoint:
        parsed = urllib.parse.urlsplit(s.endpoint if "//" in s.endpoint else f"https://{s.endpoint}")
        default = 80 if parsed.scheme == "http" else 443
        try:
            port = parsed.port or default
        except ValueError:
            port = default
        return parsed.hostname or "", port, "storage.endpoint"
    if s.type == "gcs":
        return "storage.googleapis.com", 443, "storage.type gcs"
    if s.type == "s3":
        region = s.region or "us-east-1"
        return f"s3.{region}.amazonaws.com", 443, "storage.region"
    return None


def reach(
    check: str, what: str, host: str, port: int, answer: str, cancel: threading.Event, connect: Connect = tcp_connect
) -> CheckResult:
    """One TCP connect to ``host:port`` (``what`` for the user, ``answer`` the field that names it)."""
    looked = f"a TCP connect from this machine to {what} {host}:{port} ({answer})"
    if in_cluster(host):
        return CheckResult(check, "ok", looked, f"{host} is a name inside the cluster: not tried from here")
    if cancel.is_set():
        return CheckResult(check, "warn", looked, "cancelled before it was tried", "")
    try:
        connect(host, port, CONNECT_TIMEOUT)
    except UnicodeError:  # the resolver's IDNA encoding: a label over 63 characters, or an empty one
        fix = f"write {answer} with a host name of labels of 1 to 63 characters"
        return CheckResult(
            check, "warn", looked, "not a host name that can be looked up (a label is empty or too long)", fix
        )
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or type(exc).__name__)
        fix = f"if Flyte cannot reach it either, fix {answer} or the network between them"
        return CheckResult(check, "warn", looked, f"no answer ({reason}): {PRIVATE}", fix)
    return CheckResult(check, "ok", looked, "answered")


def database_reach(plan: InstallPlan, cancel: threading.Event, connect: Connect = tcp_connect) -> CheckResult:
    """The database host answers on its port (the sandbox's PostgreSQL is inside the cluster: not tried)."""
    db = plan.database
    if plan.dependencies.database:
        return CheckResult("database-reach", "ok", "database.host", "the sandbox's PostgreSQL, inside the cluster")
    return reach("database-reach", "the database", db.host, db.port, "database.host", cancel, connect)


def bucket_reach(plan: InstallPlan, cancel: threading.Event, connect: Connect = tcp_connect) -> CheckResult:
    """The bucket's endpoint answers (the sandbox's minio is inside the cluster: not tried)."""
    endpoint = bucket_endpoint(plan)
    if endpoint is None or not endpoint[0]:
        return CheckResult("bucket-reach", "ok", "storage", "the sandbox's minio (or a custom store): not tried")
    host, port, answer = endpoint
    return reach("bucket-reach", "the bucket's endpoint", host, port, answer, cancel, connect)
