"""The preflight step: helm and kubectl work, the cluster answers, the namespace allows what the install
creates, the chart is reachable, the release is not stuck, the Secrets' inputs and the values file are usable.
Nothing is created in the cluster before it passes."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from flyte_tui.events import Event, OutputLine
from flyte_tui.files.yamlio import read_existing
from flyte_tui.install.context import FAILED, ReleaseRun, Step, StepError
from flyte_tui.release import stuck_explanation
from flyte_tui.tools import process
from flyte_tui.tools.helm import chart_args
from flyte_tui.tools.kubectl import CREDENTIALS_REFUSED

CAN_I = (("create", "deployments"), ("create", "secrets"), ("create", "serviceaccounts"))
"""What the install creates in the namespace, asked with ``kubectl auth can-i``."""


def preflight(run: ReleaseRun) -> Step:
    """Run the checks side by side, then report them in a fixed order."""
    checks: dict[str, Callable[[], Any]] = {
        "helm": run.helm.version,
        "kubectl": lambda: run.kubectl.run("version", "-o", "json", namespaced=False, timeout=20),
        "chart": functools.partial(_check_chart, run),
        "status": lambda: run.helm.status(run.release.release),
        **{
            f"can-i {verb} {resource}": functools.partial(run.kubectl.can_i, verb, resource) for verb, resource in CAN_I
        },
    }
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = {name: pool.submit(check) for name, check in checks.items()}
    results: dict[str, Any] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except process.Cancelled:
            raise
        except FAILED as exc:
            results[name] = exc
    if isinstance(results["helm"], Exception):
        raise StepError(f"helm is not usable: {results['helm']}")
    run.helm_major, helm_version = results["helm"]
    yield OutputLine("preflight", f"helm {helm_version} (helm {run.helm_major})")
    server = results["kubectl"]
    if isinstance(server, Exception):
        raise StepError(f"kubectl is not usable: {server}")
    if not server.ok or "serverVersion" not in server.stdout:
        context = run.release.context or "the current context"
        reason = process.last_line(server.stderr, "no answer")
        if CREDENTIALS_REFUSED.search(reason):
            raise StepError(f"the cluster refused the credentials of {context}: {reason}")
        raise StepError(f"cannot reach the cluster of {context}: {reason}")
    yield OutputLine("preflight", "cluster reachable")
    for name, allowed in results.items():
        if name.startswith("can-i ") and allowed is not True:
            _, verb, resource = name.split()
            raise StepError(
                f"you may not {verb} {resource} in namespace {run.release.namespace} (kubectl auth can-i said no)"
            )
    yield OutputLine("preflight", "permissions to create in the namespace: yes")
    if isinstance(results["chart"], Exception):
        raise results["chart"]
    yield OutputLine("preflight", "chart reachable")
    if isinstance(results["status"], Exception):
        raise StepError(f"cannot read the release's state: {results['status']}")
    yield from _check_release(run, results["status"])
    _check_secret_inputs(run)
    _check_values_path(run)
    return f"helm {run.helm_major}"


def _check_chart(run: ReleaseRun) -> None:
    chart = run.release.chart
    done = run.helm.run("show", "chart", *chart_args(run.release), timeout=60, scoped=False)
    if not done.ok:
        where = chart.repo or chart.path or chart.oci
        reason = process.last_line(done.stderr, "no answer")
        raise StepError(f"chart {chart.name} {chart.version} not reachable at {where}: {reason}")


def _check_release(run: ReleaseRun, status: dict[str, Any] | None) -> Iterator[Event]:
    state = (status or {}).get("info", {}).get("status", "none") if status else "none"
    if state == "deployed" and status is not None:
        run.previous_revision = int(status.get("version", 0)) or None
    release = run.release.release
    yield OutputLine("preflight", f"release {release}: {state}")
    if state.startswith("pending-"):
        raise StepError(
            f"release {release} is {state}: an earlier helm operation did not finish",
            stuck_explanation(release, run.release.namespace, state),
        )


def _check_secret_inputs(run: ReleaseRun) -> None:
    given = run.options.secrets
    ref = run.plan.database.password_secret
    if ref is not None and not given.db_password and not _secret_exists(run, ref.name):
        raise StepError(
            f"database.passwordSecret: Secret {ref.name} does not exist in namespace "
            f"{run.release.namespace}; give the password (FLYTE_TUI_DB_PASSWORD or --db-password-file) "
            "so flyte-tui creates it"
        )
    s = run.plan.storage
    keys_given = given.s3_access_key and given.s3_secret_key
    if s.type == "s3" and s.auth == "accesskey" and not keys_given and not _secret_exists(run, s.credentials_secret):
        raise StepError(
            f"storage.credentialsSecret: Secret {s.credentials_secret} does not exist; give the keys "
            "(FLYTE_TUI_S3_ACCESS_KEY and FLYTE_TUI_S3_SECRET_KEY) so flyte-tui creates it"
        )


def _check_values_path(run: ReleaseRun) -> None:
    """The values file can be written (before anything is created in the cluster)."""
    path = Path(run.options.values_path)
    try:
        read_existing(path)
    except OSError as exc:
        raise StepError(f"cannot use {path} for the values file: {exc.strerror or exc}") from exc
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise StepError(f"cannot write the values file {path}: {folder} is not a writable folder")


def _secret_exists(run: ReleaseRun, name: str) -> bool:
    if not run.kubectl.namespace_exists(run.release.namespace):
        return False
    return run.kubectl.run("get", "secret", name, "-o", "name").ok
