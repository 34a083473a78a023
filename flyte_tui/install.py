"""The install pipeline: preflight → repo → namespace → secrets → helm → readiness → done, as events.

Textual-free: :meth:`Installer.run` is a generator of :mod:`flyte_tui.events`; the runner screen and
the headless CLI both consume it. Every subprocess has a timeout and shares one cancel flag.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flyte_tui.charts.flyte_core.components import by_name
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.events import (
    ComponentsChanged,
    Event,
    Explanation,
    InstallFinished,
    OutputLine,
    StepFailed,
    StepFinished,
    StepStarted,
)
from flyte_tui.files.values import write_values_file
from flyte_tui.files.yamlio import read_existing
from flyte_tui.model.plan import InstallPlan
from flyte_tui.readiness import (
    FATAL_WAITING,
    ComponentStatus,
    Readiness,
    Timing,
    desired_replicas,
    expected_components,
    readiness,
    rollout_pending,
)
from flyte_tui.secrets import SecretValues, db_secret_manifest, redact, storage_secret_manifest
from flyte_tui.signatures import match
from flyte_tui.tools import process
from flyte_tui.tools.helm import Helm, HelmError, chart_args, display, repo_alias, upgrade_install_argv
from flyte_tui.tools.kubectl import CREDENTIALS_REFUSED, Kubectl, KubectlError

Step = Generator[Event, None, str]
"""A step yields events and returns a one-line detail for its StepFinished."""

STEPS = (
    ("preflight", "Preflight checks"),
    ("repo", "Chart repository"),
    ("namespace", "Namespace"),
    ("secrets", "Secrets"),
    ("helm", "helm upgrade --install"),
    ("readiness", "Waiting for Flyte components"),
)
"""Every step, in order, with its title."""


class StepError(Exception):
    """A step failed; carries what to tell the user."""

    def __init__(self, message: str, explanation: Explanation | None = None) -> None:
        super().__init__(message)
        self.explanation = explanation


@dataclass
class InstallOptions:
    """How to run an install."""

    values_path: Path
    helm: str = "helm"
    kubectl: str = "kubectl"
    env: Mapping[str, str] | None = None
    timeout: float = 900.0
    """Seconds to wait for every component to be ready."""
    rollback_on_failure: bool = False
    secrets: SecretValues = field(default_factory=SecretValues)
    timing: Timing = field(default_factory=Timing)
    source: str = "flyte-tui.yaml"


class Installer:
    """Runs one install or upgrade of a plan and yields what happens."""

    def __init__(self, plan: InstallPlan, options: InstallOptions, cancel: threading.Event | None = None) -> None:
        self.plan = plan
        self.options = options
        self.cancel = cancel or threading.Event()
        t = plan.target
        self.kubectl = Kubectl(options.kubectl, t.context, t.namespace, options.env, self.cancel)
        self.helm = Helm(options.helm, t.context, t.namespace, options.env, self.cancel)
        self.helm_major = 3
        self.previous_revision: int | None = None
        """The deployed revision an upgrade replaces (None for a fresh install)."""
        self.started = time.monotonic()
        self._secrets = options.secrets.all()

    # -- the pipeline ------------------------------------------------------------------------

    def run(self) -> Iterator[Event]:
        """Yield the install's events; the last one is always :class:`InstallFinished`."""
        self.started = time.monotonic()
        steps = {
            "preflight": self._preflight,
            "repo": self._repo,
            "namespace": self._namespace,
            "secrets": self._create_secrets,
            "helm": self._helm,
            "readiness": self._readiness,
        }
        for step, title in STEPS:
            yield StepStarted(step, title)
            began = time.monotonic()
            try:
                detail = yield from steps[step]()
            except (process.Cancelled, _CancelledError):
                yield StepFailed(step, "cancelled by the user")
                yield self._finish(False, cancelled=True)
                return
            except (StepError, KubectlError, HelmError, process.ProcessError) as exc:
                explanation = exc.explanation if isinstance(exc, StepError) else None
                yield StepFailed(step, self._clean(str(exc)), explanation)
                if step in ("helm", "readiness") and self._needs_undo(step):
                    yield from (self._roll_back() if self.previous_revision is not None else self._remove())
                    return
                finished = self._finish(False)
                if step in ("helm", "readiness") and self.previous_revision is not None:
                    finished = dataclasses.replace(finished, summary=(*finished.summary, *self._rollback_offer()))
                yield finished
                return
            yield StepFinished(step, True, time.monotonic() - began, detail or "")
        yield self._finish(True)

    # -- rollback on failure ---------------------------------------------------------------------
    # flyte-tui undoes a failed run itself instead of passing helm --atomic / --rollback-on-failure:
    # helm would wait for its whole timeout before undoing, while the readiness watch knows within
    # seconds that a pod crash-loops, and keeps the explanation of why.

    def _needs_undo(self, step: str) -> bool:
        """Rollback on failure is on and the failed step left a new revision behind."""
        if not self.options.rollback_on_failure:
            return False
        if step == "readiness":
            return True
        # helm itself failed: undo only what it recorded (a render error records nothing)
        try:
            status = self.helm.status(self.plan.target.release)
        except (HelmError, process.ProcessError, ValueError):
            return False
        if status is None:
            return False
        return self.previous_revision is None or int(status.get("version", 0)) > self.previous_revision

    def _rollback_offer(self) -> tuple[str, ...]:
        """For a failed upgrade left as it is: the rollback command and what it would change."""
        from flyte_tui.upgrade import rollback_offer

        try:
            offer = rollback_offer(self._probe(), self.plan.target.release)
        except (HelmError, process.ProcessError, ValueError):
            return ()
        if offer is None or offer.target_revision != self.previous_revision:
            return ()  # no new revision was recorded: there is nothing to go back from
        changes = ", ".join(f"{o.change} {o.key}" for o in offer.diff.objects) or "no object"
        return (
            f"to return to revision {offer.target_revision}: {display(offer.argv)}",
            f"  that changes: {changes}",
        )

    def _helm_for_rollback(self, verb: str, *args: str) -> Iterator[Event]:
        """Run ``helm <verb> …`` as part of the rollback step, its output shown; StepError when it fails."""
        argv = self.helm.argv(verb, *args)
        yield OutputLine("rollback", "$ " + display(argv))
        done = process.run(argv, 300, self.cancel, self.options.env)
        for line in (done.stdout + "\n" + done.stderr).splitlines():
            if line.strip():
                yield OutputLine("rollback", self._clean(line))
        if not done.ok:
            raise StepError(f"helm {verb} failed: {(done.stderr.strip().splitlines() or [''])[-1]}")

    def _probe(self) -> Helm:
        """helm for questions asked after the run, with a fresh cancel flag (the user's may be set)."""
        return Helm(self.helm.binary, self.helm.context, self.helm.namespace, self.helm.env)

    def _remove(self) -> Iterator[Event]:
        """Uninstall a failed first install (what helm's --atomic does for an install)."""
        release = self.plan.target.release
        yield StepStarted("rollback", f"Removing the failed install of {release}")
        began = time.monotonic()
        try:
            yield from self._helm_for_rollback("uninstall", release)
        except (process.Cancelled, _CancelledError):
            yield StepFailed("rollback", "cancelled by the user")
            yield self._finish(False, cancelled=True)
            return
        except (StepError, process.ProcessError) as exc:
            yield StepFailed("rollback", self._clean(str(exc)))
            yield self._finish(False)
            return
        yield StepFinished("rollback", True, time.monotonic() - began, "release removed")
        finished = self._finish(False)
        yield InstallFinished(
            False,
            finished.release_state,
            finished.elapsed,
            ("the install failed and was removed (rollback on failure); the reason is above", *finished.summary),
        )

    def _roll_back(self) -> Iterator[Event]:
        """Return a failed upgrade to the revision that was deployed before it, and wait for it."""
        revision = self.previous_revision
        yield StepStarted("rollback", f"Rolling back to revision {revision}")
        began = time.monotonic()
        release = self.plan.target.release
        try:
            yield from self._helm_for_rollback("rollback", release, str(revision))
            detail = yield from self._readiness()
        except (process.Cancelled, _CancelledError):
            yield StepFailed("rollback", "cancelled by the user")
            yield self._finish(False, cancelled=True)
            return
        except (StepError, KubectlError, HelmError, process.ProcessError) as exc:
            yield StepFailed("rollback", self._clean(str(exc)), exc.explanation if isinstance(exc, StepError) else None)
            yield self._finish(False)
            return
        yield StepFinished("rollback", True, time.monotonic() - began, f"revision {revision}: {detail}")
        finished = self._finish(False)
        yield InstallFinished(
            False,
            finished.release_state,
            finished.elapsed,
            (f"the upgrade failed and was rolled back to revision {revision}, which is ready again", *finished.summary),
        )

    def _clean(self, text: str) -> str:
        return redact(text, self._secrets)

    # -- steps -------------------------------------------------------------------------------

    def _preflight(self) -> Step:
        # The checks are independent: run them side by side, then report in a fixed order.
        checks: dict[str, Callable[[], Any]] = {
            "helm": self.helm.version,
            "kubectl": lambda: self.kubectl.run("version", "-o", "json", namespaced=False, timeout=20),
            "chart": self._check_chart,
            "status": lambda: self.helm.status(self.plan.target.release),
            **{
                f"can-i {verb} {resource}": functools.partial(self.kubectl.can_i, verb, resource)
                for verb, resource in (("create", "deployments"), ("create", "secrets"), ("create", "serviceaccounts"))
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
            except (HelmError, KubectlError, process.ProcessError, StepError) as exc:
                results[name] = exc
        if isinstance(results["helm"], Exception):
            raise StepError(f"helm is not usable: {results['helm']}")
        self.helm_major, helm_version = results["helm"]
        yield OutputLine("preflight", f"helm {helm_version} (helm {self.helm_major})")
        server = results["kubectl"]
        if isinstance(server, Exception):
            raise StepError(f"kubectl is not usable: {server}")
        if not server.ok or "serverVersion" not in server.stdout:
            context = self.plan.target.context or "the current context"
            reason = (server.stderr.strip().splitlines() or ["no answer"])[-1]
            if CREDENTIALS_REFUSED.search(reason):
                raise StepError(f"the cluster refused the credentials of {context}: {reason}")
            raise StepError(f"cannot reach the cluster of {context}: {reason}")
        yield OutputLine("preflight", "cluster reachable")
        for name, allowed in results.items():
            if name.startswith("can-i ") and allowed is not True:
                _, verb, resource = name.split()
                raise StepError(
                    f"you may not {verb} {resource} in namespace {self.plan.target.namespace} "
                    "(kubectl auth can-i said no)"
                )
        yield OutputLine("preflight", "permissions to create in the namespace: yes")
        if isinstance(results["chart"], Exception):
            raise results["chart"]
        yield OutputLine("preflight", "chart reachable")
        if isinstance(results["status"], Exception):
            raise StepError(f"cannot read the release's state: {results['status']}")
        yield from self._check_release(results["status"])
        self._check_secret_inputs()
        self._check_values_path()
        return f"helm {self.helm_major}"

    def _check_chart(self) -> None:
        chart = self.plan.target.chart
        done = self.helm.run("show", "chart", *chart_args(self.plan), timeout=60, scoped=False)
        if not done.ok:
            where = chart.repo or chart.path or chart.oci
            raise StepError(
                f"chart {chart.name} {chart.version} not reachable at {where}: "
                f"{(done.stderr.strip().splitlines() or ['no answer'])[-1]}"
            )

    def _check_release(self, status: dict[str, Any] | None) -> Iterator[Event]:
        state = (status or {}).get("info", {}).get("status", "none") if status else "none"
        if state == "deployed" and status is not None:
            self.previous_revision = int(status.get("version", 0)) or None
        yield OutputLine("preflight", f"release {self.plan.target.release}: {state}")
        if state.startswith("pending-"):
            release = self.plan.target.release
            ns = self.plan.target.namespace
            recovery = (
                f"helm uninstall {release} -n {ns}"
                if state == "pending-install"
                else f"helm rollback {release} -n {ns}"
            )
            raise StepError(
                f"release {release} is {state}: an earlier helm operation did not finish",
                Explanation(
                    summary=f"release {release} is stuck in {state}",
                    object=f"release/{release}",
                    cause="a helm install/upgrade/rollback was interrupted, so helm refuses another one",
                    fix=f"recover with `{recovery}`, then install again",
                ),
            )

    def _check_secret_inputs(self) -> None:
        ref = self.plan.database.password_secret
        if ref is not None and not self.options.secrets.db_password and not self._secret_exists(ref.name):
            raise StepError(
                f"database.passwordSecret: Secret {ref.name} does not exist in namespace "
                f"{self.plan.target.namespace}; give the password (FLYTE_TUI_DB_PASSWORD or --db-password-file) "
                "so flyte-tui creates it"
            )
        s = self.plan.storage
        if s.type == "s3" and s.auth == "accesskey":
            given = self.options.secrets.s3_access_key and self.options.secrets.s3_secret_key
            if not given and not self._secret_exists(s.credentials_secret):
                raise StepError(
                    f"storage.credentialsSecret: Secret {s.credentials_secret} does not exist; give the keys "
                    "(FLYTE_TUI_S3_ACCESS_KEY and FLYTE_TUI_S3_SECRET_KEY) so flyte-tui creates it"
                )

    def _check_values_path(self) -> None:
        """The values file can be written (before anything is created in the cluster)."""
        path = Path(self.options.values_path)
        try:
            read_existing(path)
        except OSError as exc:
            raise StepError(f"cannot use {path} for the values file: {exc.strerror or exc}") from exc
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise StepError(f"cannot write the values file {path}: {folder} is not a writable folder")

    def _secret_exists(self, name: str) -> bool:
        if not self.kubectl.namespace_exists(self.plan.target.namespace):
            return False
        return self.kubectl.run("get", "secret", name, "-o", "name").ok

    def _repo(self) -> Step:
        chart = self.plan.target.chart
        if not chart.repo:
            yield from ()
            return "skipped: the chart is a local path" if chart.path else "skipped: OCI chart"
        alias = repo_alias(chart.repo)
        # --force-update downloads a fresh index even when the repository is already known
        for args in (("repo", "add", alias, chart.repo, "--force-update"),):
            done = self.helm.run(*args, timeout=120, scoped=False)
            for line in (done.stdout + "\n" + done.stderr).splitlines():
                if line.strip():
                    yield OutputLine("repo", line)
            if not done.ok:
                raise StepError(f"helm {' '.join(args[:2])} failed: {(done.stderr.strip().splitlines() or [''])[-1]}")
        return alias

    def _namespace(self) -> Step:
        ns = self.plan.target.namespace
        done = self.kubectl.run("create", "namespace", ns, namespaced=False)
        if not done.ok:
            if "AlreadyExists" in done.stderr:
                return f"{ns} exists"
            raise StepError(f"cannot create namespace {ns}: {(done.stderr.strip().splitlines() or [''])[-1]}")
        yield OutputLine("namespace", done.stdout.strip())
        return f"{ns} created"

    def _create_secrets(self) -> Step:
        given = self.options.secrets
        manifests = [
            db_secret_manifest(self.plan, given.db_password) if given.db_password else None,
            storage_secret_manifest(self.plan, given.s3_access_key, given.s3_secret_key)
            if given.s3_access_key and given.s3_secret_key
            else None,
        ]
        wanted = [m for m in manifests if m]
        if not wanted:
            yield from ()
            return "skipped: using existing Secrets"
        # One apply for all of them (a multi-document stream on stdin): one process, one round of discovery.
        out = self.kubectl.apply_stdin("\n---\n".join(wanted)).strip()
        made = [line.split()[0] for line in out.splitlines() if line.split()]
        for line in out.splitlines():
            yield OutputLine("secrets", self._clean(line))
        return ", ".join(made) if made else "secret"

    def _helm(self) -> Step:
        try:
            written = write_values_file(self.plan, self.options.values_path, self.options.source)
        except OSError as exc:  # an unwritable path, or a file there that is not YAML (left untouched)
            raise StepError(f"cannot write the values file: {exc.strerror or exc}") from exc
        yield OutputLine(
            "helm",
            f"values written to {written.path}" + (f" (previous kept as {written.backup})" if written.backup else ""),
        )
        # No --atomic / --rollback-on-failure: a failed run is undone by us as soon as the failure is clear
        # (see _needs_undo), not after helm's whole --wait timeout.
        argv = upgrade_install_argv(
            self.plan, written.path, self.options.helm, [], via_repo_alias=bool(self.plan.target.chart.repo)
        )
        yield OutputLine("helm", "$ " + display(argv))
        gen = process.stream(argv, self.options.timeout + 60, self.cancel, self.options.env)
        lines: list[str] = []
        while True:
            try:
                line = next(gen)
            except StopIteration as stop:
                code = int(stop.value)
                break
            lines.append(line.text)
            yield OutputLine("helm", self._clean(line.text), line.stream)
        if code != 0:
            error = next((ln for ln in reversed(lines) if ln.lower().startswith("error")), lines[-1] if lines else "")
            raise StepError(f"helm upgrade --install failed: {self._clean(error)}", self._explain_helm(lines))
        return "applied"

    def _explain_helm(self, lines: list[str]) -> Explanation | None:
        found = match(lines)
        if found is None:
            return None
        signature, line = found
        return Explanation(
            summary=line, cause=signature.cause, fix=signature.fix, answer=signature.answer, signature=signature.id
        )

    # -- readiness -----------------------------------------------------------------------------

    def _readiness(self) -> Step:
        values = render_values(self.plan)
        expected = expected_components(values)
        release = self.plan.target.release
        deployments = self.kubectl.items("deployments")
        desired = desired_replicas(deployments)
        pods: dict[str, dict[str, Any]] = {}
        events: queue.Queue[tuple[str, dict[str, Any]] | BaseException | None] = queue.Queue()
        deadline = time.monotonic() + self.options.timeout
        stop_watch = threading.Event()
        watcher_kubectl = dataclasses.replace(self.kubectl, cancel=stop_watch)

        def watch() -> None:
            # The API server closes watches now and then; start again (a fresh list) until told to stop.
            try:
                while not stop_watch.is_set() and time.monotonic() < deadline:
                    for item in watcher_kubectl.watch("pods", max(deadline - time.monotonic(), 1) + 5):
                        events.put(item)
            except process.Cancelled:
                pass
            except BaseException as exc:  # handed to the main loop
                events.put(exc)
            events.put(None)

        watcher = threading.Thread(target=watch, name="pod-watch", daemon=True)
        watcher.start()
        last: tuple[str, ...] = ()
        state = Readiness()
        next_rollout_check = 0.0
        try:
            while True:
                if self.cancel.is_set():
                    raise _CancelledError()
                item: Any
                try:
                    item = events.get(timeout=0.25)
                except queue.Empty:
                    item = _NOTHING
                if isinstance(item, BaseException):
                    if not isinstance(item, process.TimedOut | process.Cancelled):
                        raise StepError(f"watching pods failed: {item}")
                elif isinstance(item, tuple):
                    kind, pod = item
                    uid = str(pod.get("metadata", {}).get("uid") or pod.get("metadata", {}).get("name"))
                    if kind == "DELETED":
                        pods.pop(uid, None)
                    else:
                        pods[uid] = pod
                state = readiness(pods.values(), release, expected, desired, datetime.now(UTC), self.options.timing)
                summary = tuple(c.summary + c.state for c in state.components)
                if summary != last:
                    last = summary
                    yield ComponentsChanged(tuple(state.components))
                if state.done and time.monotonic() >= next_rollout_check:
                    # pods say done; the Deployments confirm that the pods are the new ones
                    deployments = self.kubectl.items("deployments")
                    desired = desired_replicas(deployments)
                    if not rollout_pending(deployments, (c.name for c in state.components)):
                        return f"all {len(state.components)} components ready"
                    next_rollout_check = time.monotonic() + 0.5
                if state.failed:
                    failed = state.failed[0]
                    raise StepError(self._failure_message(failed), self._explain(failed))
                if time.monotonic() >= deadline:
                    blocking = next((c for c in state.components if c.state != "ready"), None)
                    raise StepError(
                        f"timed out after {self.options.timeout:.0f}s waiting for "
                        + ", ".join(c.summary for c in state.components if c.state != "ready"),
                        self._explain_timeout(blocking) if blocking else None,
                    )
        finally:
            stop_watch.set()
            watcher.join(timeout=5)

    def _failure_message(self, failed: ComponentStatus) -> str:
        assert failed.failure is not None
        return f"{failed.name} will not become ready: {failed.failure.message}"

    def _explain(self, failed: ComponentStatus) -> Explanation:
        failure = failed.failure
        assert failure is not None
        warnings = [e for e in self.kubectl.events_for(failure.pod) if e.get("type") == "Warning"]
        event_lines = tuple(f"{e.get('reason')}: {e.get('message')}" for e in warnings[-5:])
        log_tail: list[str] = []
        if failure.container and failure.reason not in ("ErrImagePull", "ImagePullBackOff", "InvalidImageName"):
            log_tail = self.kubectl.logs(failure.pod, failure.container, previous=True) or self.kubectl.logs(
                failure.pod, failure.container
            )
        found = match([*log_tail, *event_lines, failure.message])
        cause = FATAL_WAITING.get(failure.reason, failure.reason)
        fix = ""
        answer = None
        signature = None
        if found:
            sig, _line = found
            cause, fix, answer, signature = sig.cause, sig.fix, sig.answer, sig.id
        elif failure.reason == "Unschedulable":
            cause, fix, answer = (
                "no node can run the pod",
                "lower the component's requests or replicas, or add nodes",
                f"resources.components.{by_name(failed.name).values_key}",
            )
        elif failure.reason == "StuckInit":
            cause = f"init container {failure.container} never finished"
            fix = f"read its log: kubectl -n {self.plan.target.namespace} logs {failure.pod} -c {failure.container}"
        return Explanation(
            summary=failure.message,
            object=f"pod/{failure.pod}",
            component=failed.name,
            container=failure.container or "",
            cause=cause,
            fix=fix,
            answer=answer,
            events=tuple(self._clean(e) for e in event_lines),
            log_tail=tuple(self._clean(line) for line in log_tail[-15:]),
            signature=signature,
        )

    def _explain_timeout(self, blocking: ComponentStatus) -> Explanation:
        waiting_on = ""
        if blocking.name == "flytescheduler":
            waiting_on = "flytescheduler waits for flyteadmin's gRPC port before it starts"
        return Explanation(
            summary=f"{blocking.summary} ({blocking.state})",
            object=f"deployment/{blocking.name}",
            component=blocking.name,
            cause=waiting_on or "the component did not become ready in time",
            fix=f"kubectl -n {self.plan.target.namespace} describe deployment {blocking.name}",
        )

    # -- the end -------------------------------------------------------------------------------

    def _release_state(self) -> str:
        """The release's state now, asked with a fresh cancel flag (the user's may be set)."""
        try:
            status = self._probe().status(self.plan.target.release)
        except (HelmError, process.ProcessError, ValueError):
            return "unknown"
        return str((status or {}).get("info", {}).get("status", "unknown")) if status else "not installed"

    def _finish(self, ok: bool, cancelled: bool = False) -> InstallFinished:
        elapsed = time.monotonic() - self.started
        state = "deployed" if ok else self._release_state()
        summary: list[str] = []
        t = self.plan.target
        if ok:
            ing = self.plan.ingress
            if ing.enabled and ing.controller != "none" and ing.host:
                scheme = "https" if ing.tls.enabled else "http"
                summary.append(f"Flyte console: {scheme}://{ing.host}/console")
            else:
                summary.append(
                    f"Flyte console: kubectl -n {t.namespace} port-forward svc/flyteconsole 8080:80 "
                    "(and svc/flyteadmin 8088:80 for the API)"
                )
            summary.append(
                f"flytectl/pyflyte endpoint: kubectl -n {t.namespace} port-forward svc/flyteadmin 8089:81 "
                "then dns:///localhost:8089 (insecure)"
            )
            summary.append(f"values file: {self.options.values_path}")
        elif cancelled:
            summary.append(
                f"cancelled; release {t.release} is {state}"
                + (" — recover with helm rollback or uninstall" if state.startswith("pending") else "")
            )
        else:
            summary.append(f"release {t.release} is {state}")
        return InstallFinished(ok, state, elapsed, tuple(summary))


_NOTHING = object()


class _CancelledError(Exception):
    """The readiness loop saw the cancel flag."""
