"""The preflight step: helm and kubectl work, the cluster answers, the namespace allows what the install
creates, the chart is reachable, what the answers assume of the cluster holds (:mod:`preflight_answers`: capacity,
quotas, versions, the CRD's owner, …), the release is not stuck, the Secrets' inputs and the values file are
usable. The checks run in one concurrent pass (:func:`gather`), each a line; nothing is created in the cluster
before it passes. ``flyte-tui preflight`` runs :func:`gather` alone."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyte_tui.charts import PlannedRelease
from flyte_tui.events import Event, Explanation, OutputLine
from flyte_tui.files.yaml_pieces import check_existing
from flyte_tui.files.yamlio import dump
from flyte_tui.install import ingress, preflight_answers, preflight_cluster, preflight_idp, preflight_plugins
from flyte_tui.install import preflight_checks as checks
from flyte_tui.install.context import ReleaseRun, Step, StepError, explanation_of
from flyte_tui.release import RECENT_OPERATION, last_good_revision, seconds_since, stuck_explanation
from flyte_tui.tools import output, process, retry
from flyte_tui.tools.helm import chart_args
from flyte_tui.tools.kubectl import CREDENTIALS_REFUSED, Permission

CAN_I = (("create", "deployments"), ("create", "secrets"), ("create", "serviceaccounts"))
"""What the install creates in the namespace, asked with ``kubectl auth can-i``."""


def preflight(run: ReleaseRun, dependencies: Sequence[PlannedRelease] = ()) -> Step:
    """Run the checks side by side (:func:`gather`), then report them, one line a check, in a fixed order; a
    failing check stops the install before anything is created, unless the user skipped it
    (``InstallOptions.skip_preflight``). Every release's chart is checked: Flyte's and those of the
    ``dependencies`` installed before it."""
    got = gather(run, dependencies)
    if isinstance(got.helm, Exception):
        raise StepError(f"helm is not usable: {got.helm}")
    run.helm_major, helm_version = got.helm
    yield OutputLine("preflight", f"helm {helm_version} (helm {run.helm_major})")
    unreachable = cluster_error(run, got.server)
    if unreachable:
        raise StepError(unreachable)
    results = checks.apply_skips(got.results, run.options.skip_preflight)
    for result in results:
        for text, stream in result.shown():
            yield OutputLine("preflight", text, stream)
    _stop_on(checks.failures(results))
    if isinstance(got.status, Exception):
        raise StepError(f"cannot read the release's state: {got.status}")
    yield from _check_release(run, got.status)
    _check_secret_inputs(run)
    check_values_path(run)
    return f"helm {run.helm_major}"


@dataclass
class Gathered:
    """What preflight's one concurrent pass found: every check's result, and the reads the install step goes on
    with (helm's version, the API server's answer, the release's status)."""

    results: list[checks.CheckResult]
    helm: tuple[int, str] | Exception
    server: process.Completed | Exception
    status: dict[str, Any] | Exception | None


def gather(run: ReleaseRun, dependencies: Sequence[PlannedRelease] = ()) -> Gathered:
    """Every check of the answers against the cluster in one thread pool (each call bounded by its timeout and
    the run's cancel flag), the results in :data:`~flyte_tui.install.preflight_checks.CHECK_IDS` order."""
    # the first questions to the cluster: one retry only, so that an unreachable cluster is said soon
    kubectl = dataclasses.replace(run.kubectl, retries=retry.QUICK)
    helm = dataclasses.replace(run.helm, retries=retry.QUICK)
    releases = (run.release, *dependencies)
    calls: dict[str, Callable[[], Any]] = {
        "helm": helm.version,
        "kubectl": lambda: kubectl.run("version", "-o", "json", namespaced=False, timeout=20),
        **{f"chart {r.release}": functools.partial(_check_chart, run, r) for r in releases},
        "status": lambda: helm.status(run.release.release),
        **{f"can-i {verb} {resource}": functools.partial(kubectl.can_i, verb, resource) for verb, resource in CAN_I},
        "ingress classes": functools.partial(ingress.read_classes, kubectl),
        "idp": functools.partial(_collected, "idp", "the IdP (auth.issuer)", preflight_idp.check_idp, run),
        "plugins": functools.partial(
            _collected, "plugins", "the chosen plugins' CRDs", preflight_plugins.check_plugins, run
        ),
        **preflight_answers.reads(run, dependencies),
    }
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
    got: dict[str, Any] = {}
    for name, future in futures.items():
        try:
            got[name] = future.result()
        except process.Cancelled:
            raise
        except Exception as exc:  # helm's, kubectl's or a check's own failure: each said as its check's result
            got[name] = exc
    server, status = got["kubectl"], got["status"]
    classes = got["ingress classes"]
    results = [
        _cluster_result(run, server),
        *(_chart_result(r, got[f"chart {r.release}"]) for r in releases),
        _permissions(run, {n: r for n, r in got.items() if n.startswith("can-i ")}),
        preflight_cluster.ingress_class(run.plan, None if isinstance(classes, Exception) else classes),
        _result("idp", "the IdP (auth.issuer)", got["idp"]),
        _result("plugins", "the chosen plugins' CRDs", got["plugins"]),
        *preflight_answers.evaluate(
            run,
            dependencies,
            got,
            existing=isinstance(status, dict) and bool(status),
            server=preflight_cluster.server_version(server.stdout if isinstance(server, process.Completed) else ""),
            chart_yaml=chart_yaml if isinstance(chart_yaml := got[f"chart {run.release.release}"], str) else "",
        ),
    ]
    helm_result = got["helm"]
    return Gathered(checks.ordered(results), helm_result, server, status)


def _result(check: str, looked: str, got: checks.CheckResult | Exception) -> checks.CheckResult:
    """A check's result from the pool: the one it gave, or the warning of the error it stopped with (a kubectl
    call that timed out, a bug): never an exception among the results."""
    return preflight_answers.broken(check, looked, got) if isinstance(got, Exception) else got


def cluster_error(run: ReleaseRun, server: process.Completed | Exception) -> str:
    """Why the cluster cannot be used ("" when the API server answered ``kubectl version``)."""
    if isinstance(server, Exception):
        return f"kubectl is not usable: {server}"
    if not server.ok or "serverVersion" not in server.stdout:
        context = run.release.context or "the current context"
        reason = process.last_line(server.stderr, "no answer")
        if CREDENTIALS_REFUSED.search(reason):
            return f"the cluster refused the credentials of {context}: {reason}"
        return f"cannot reach the cluster of {context}: {reason}"
    return ""


def _cluster_result(run: ReleaseRun, server: process.Completed | Exception) -> checks.CheckResult:
    looked = f"kubectl version against {run.release.context or 'the current context'}"
    error = cluster_error(run, server)
    if error:
        return checks.CheckResult("cluster", "fail", looked, error, "check the kube context (target.context)")
    return checks.CheckResult(
        "cluster", "ok", looked, "the API server answered", lines=(("cluster reachable", "stdout"),)
    )


def _chart_result(release: PlannedRelease, got: str | Exception) -> checks.CheckResult:
    chart = release.chart
    looked = f"helm show chart {chart.name} {chart.version}".rstrip()
    if isinstance(got, Exception):
        return checks.CheckResult(
            "chart",
            "fail",
            looked,
            str(got),
            "fix the chart's location in the answers",
            explanation=explanation_of(got),
        )
    line = f"chart {chart.name} of release {release.release} reachable"
    return checks.CheckResult("chart", "ok", looked, line, lines=((line, "stdout"),))


def _collected(
    check: str, looked: str, step: Callable[[ReleaseRun], Iterator[Event]], run: ReleaseRun
) -> checks.CheckResult:
    """A check written as a step part (lines as events, a StepError to stop) as one result: the lines kept as they
    were, a warning when one was said on stderr."""
    lines: list[tuple[str, str]] = []
    try:
        for event in step(run):
            if isinstance(event, OutputLine):
                lines.append((event.text, event.stream))
    except StepError as exc:
        fix = exc.explanation.fix if exc.explanation else ""
        return checks.CheckResult(check, "fail", looked, str(exc), fix, explanation=exc.explanation)
    level: checks.Level = "warn" if any(stream == "stderr" for _, stream in lines) else "ok"
    evidence = "; ".join(text for text, _ in lines) or "nothing asked for in the answers"
    return checks.CheckResult(check, level, looked, evidence, lines=tuple(lines))


def _stop_on(failed: Sequence[checks.CheckResult]) -> None:
    """Stop (:class:`StepError`) on the failing checks: their evidence, the first one's explanation."""
    if not failed:
        return
    first = failed[0]
    message = first.evidence if len(failed) == 1 else "; ".join(f"{r.id}: {r.evidence}" for r in failed)
    explanation = first.explanation or Explanation(
        summary=f"preflight {first.id}: {first.evidence}",
        cause=f"looked at {first.looked_at}",
        fix=f"{first.fix}; or, to go on anyway, --skip-preflight {first.id}"
        if first.fix
        else f"--skip-preflight {first.id} to go on anyway",
    )
    raise StepError(message, explanation)


def _permissions(run: ReleaseRun, answers: dict[str, Permission | Exception]) -> checks.CheckResult:
    """A "no" fails; an output that is not an answer is a warning (not a refusal: helm meets the API server's
    real answer and names what it may not create)."""
    looked = "kubectl auth can-i " + ", ".join(f"{verb} {resource}" for verb, resource in CAN_I)
    unclear = []
    for name, answer in answers.items():
        if isinstance(answer, Exception):
            answer = Permission(f"kubectl auth {name}", None, str(answer))
        if answer.allowed is False:
            _, verb, resource = name.split()
            message = f"you may not {verb} {resource} in namespace {run.release.namespace} (kubectl auth can-i said no)"
            return checks.CheckResult(
                "can-i", "fail", looked, message, "ask for the permission (a Role in the namespace)"
            )
        if answer.allowed is None:
            unclear.append(answer.unclear())
    lines = [(f"warning: {line}; going on (helm will say if it is refused)", "stderr") for line in unclear]
    summary = "permissions to create in the namespace: " + ("not all known" if unclear else "yes")
    lines.append((summary, "stdout"))
    return checks.CheckResult("can-i", "warn" if unclear else "ok", looked, summary, lines=tuple(lines))


def _check_chart(run: ReleaseRun, release: PlannedRelease) -> str:
    """``helm show chart`` of one release's chart (its Chart.yaml); StepError naming the answers field that says
    where it is (``target.chart.repo``, ``dependencies.chart.path``, …)."""
    chart = release.chart
    done = run.helm.run("show", "chart", *chart_args(release), timeout=60, scoped=False)
    if not done.ok:
        field, where = chart_field(release)
        reason = process.last_line(done.stderr, "no answer")
        raise StepError(f"{field}: chart {chart.name} {chart.version} not reachable at {where}: {reason}")
    return done.stdout


def chart_field(release: PlannedRelease) -> tuple[str, str]:
    """The answers field that says where ``release``'s chart is, and its value: ``target.chart.*`` for
    Flyte's release, ``dependencies.chart.*`` for a dependency release."""
    section = "dependencies.chart" if release.serves else "target.chart"
    chart = release.chart
    for key, value in (("repo", chart.repo), ("path", chart.path), ("oci", chart.oci)):
        if value:
            return f"{section}.{key}", value
    return section, chart.name


def _check_release(run: ReleaseRun, status: dict[str, Any] | None) -> Iterator[Event]:
    state = (status or {}).get("info", {}).get("status", "none") if status else "none"
    release = run.release.release
    if status is not None:
        run.last_revision = int(status.get("version", 0)) or None
        run.previous_revision = run.last_revision if state == "deployed" else None
        if state == "failed":  # a failed upgrade of it goes back to the last revision that was deployed
            run.previous_revision = _last_deployed(run, release)
    yield OutputLine("preflight", f"release {release}: {state}")
    live = run.live_operation()
    if live is not None:  # never a second helm beside one that still runs
        raise StepError(
            live.line(),
            Explanation(
                summary=f"release {release} is {state}: helm is still working on it",
                object=f"release/{release}",
                cause="an earlier flyte-tui was stopped while helm ran; helm goes on by itself",
                fix="wait until that helm has ended (the release is no longer pending-*), then run again",
            ),
        )
    if state.startswith("pending-"):
        revision = int((status or {}).get("version", 0)) or None
        age = seconds_since((status or {}).get("info", {}).get("last_deployed"))
        recent = (
            f"; it started {age:.0f}s ago, so a helm elsewhere may still be running it"
            if age is not None and age < RECENT_OPERATION
            else ""
        )
        raise StepError(
            f"release {release} is {state}: an earlier helm operation did not finish{recent}",
            stuck_explanation(release, run.release.namespace, state, revision),
        )


def _last_deployed(run: ReleaseRun, release: str) -> int | None:
    """The newest revision of a failed release that was deployed, None when it never had one. A history that
    cannot be read stops preflight: guessing "never" would make the rollback of a failed run an uninstall."""
    done = run.helm.run("history", release, "-o", "json")
    if not done.ok:
        raise StepError(f"cannot read the release's history: {process.last_line(done.stderr, 'helm history failed')}")
    return last_good_revision(output.json_list(done.stdout, "helm history", output.HelmRevision))


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


def check_values_path(run: ReleaseRun) -> None:
    """The run's values file can be written (before anything is created in the cluster; StepError naming the
    file when it cannot)."""
    path = Path(run.options.values_path)
    try:
        check_existing(path)  # a large file is checked without ruamel's round trip of all of it
    except OSError as exc:
        raise StepError(f"cannot use {path} for the values file: {exc.strerror or exc}") from exc
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise StepError(f"cannot write the values file {path}: {folder} is not a writable folder")
    try:
        stat = os.statvfs(folder)
        existing = path.stat().st_size if path.is_file() else 0
    except (OSError, AttributeError):  # no statvfs (not POSIX): the write itself will tell
        return
    problem = space_problem(existing, len(dump(run.release.values).encode()), stat.f_bavail * stat.f_frsize)
    if problem:
        raise StepError(f"cannot write the values file {path}: {folder} {problem}")


SPACE_MARGIN = 1 << 20
"""Bytes left free beyond the values file and its backup (other programs write there too)."""


def space_problem(existing: int, rendered: int, free: int) -> str:
    """What is wrong with ``free`` bytes for writing the values file ("" when enough): the backup of the
    ``existing`` file, the new file (about the larger of the two), and a margin."""
    need = existing + max(existing, rendered) + SPACE_MARGIN
    if free >= need:
        return ""
    return f"has {_size(free)} free, and writing the values file and its backup needs about {_size(need)}"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit}"


def _secret_exists(run: ReleaseRun, name: str) -> bool:
    if not run.kubectl.namespace_exists(run.release.namespace):
        return False
    return run.kubectl.run("get", "secret", name, "-o", "name").ok
