"""The steps between preflight and the wait: the chart repository, the namespace, the Secrets, and
``helm upgrade --install`` with its output streamed."""

from __future__ import annotations

from collections.abc import Iterator

from flyte_tui.diagnose import match
from flyte_tui.events import Explanation, OutputLine
from flyte_tui.files.values import write_values
from flyte_tui.install.context import ReleaseRun, Step, StepError
from flyte_tui.install.secrets import (
    admin_secret_manifest,
    db_secret_manifest,
    propeller_secret_manifest,
    secret_name,
    storage_secret_manifest,
)
from flyte_tui.tools import process
from flyte_tui.tools.helm import display, upgrade_install_argv


def repo(run: ReleaseRun) -> Step:
    """Where the chart comes from. helm reads a repository chart with ``--repo URL`` (preflight checked it is
    reachable): no ``helm repo add``, so the user's helm repositories are never changed."""
    chart = run.release.chart
    if not chart.repo:
        yield from ()
        return "skipped: the chart is a local path" if chart.path else "skipped: OCI chart"
    yield OutputLine(
        "repo", f"helm reads {chart.name} from {display([chart.repo])} (--repo); your helm repositories are not changed"
    )
    return f"--repo {display([chart.repo])}"


def namespace(run: ReleaseRun) -> Step:
    """The release's namespace (there already is fine)."""
    ns = run.release.namespace
    done = run.kubectl.run("create", "namespace", ns, namespaced=False)
    if not done.ok:
        if "AlreadyExists" in done.stderr:
            return f"{ns} exists"
        raise StepError(f"cannot create namespace {ns}: {process.last_line(done.stderr)}")
    run.created_namespace = True
    yield OutputLine("namespace", done.stdout.strip())
    return f"{ns} created"


def create_secrets(run: ReleaseRun) -> Step:
    """The database, storage and auth Secrets from what the user gave, on kubectl's stdin only."""
    given = run.options.secrets
    try:
        auth = [
            propeller_secret_manifest(run.plan, given.propeller_client_secret)
            if given.propeller_client_secret
            else None,
            admin_secret_manifest(run.plan, given.oidc_client_secret) if given.oidc_client_secret else None,
        ]
    except ValueError as exc:
        raise StepError(str(exc)) from exc
    manifests = [
        db_secret_manifest(run.plan, given.db_password) if given.db_password else None,
        storage_secret_manifest(run.plan, given.s3_access_key, given.s3_secret_key)
        if given.s3_access_key and given.s3_secret_key
        else None,
        *auth,
    ]
    wanted = [m for m in manifests if m]
    if not wanted:
        yield from ()
        return "skipped: using existing Secrets"
    run.note_new_secrets([n for n in (secret_name(m) for m in wanted) if n])
    # One apply for all of them (a multi-document stream on stdin): one process, one round of discovery.
    out = run.kubectl.apply_stdin("\n---\n".join(wanted)).strip()
    made = [line.split()[0] for line in out.splitlines() if line.split()]
    for line in out.splitlines():
        yield OutputLine("secrets", run.clean(line))
    return ", ".join(made) if made else "secret"


def helm_upgrade(run: ReleaseRun, step: str = "helm") -> Step:
    """Write the values file, then ``helm upgrade --install`` with its output streamed (its lines labelled
    ``step``).

    No --atomic / --rollback-on-failure: a failed run is undone by flyte-tui as soon as the failure is
    clear (:mod:`flyte_tui.install.undo`), not after helm's whole --wait timeout.
    """
    options = run.options
    try:
        rendered = (run.release.values, run.release.profile.is_owned)  # rendered once, by plan_releases
        written = write_values(rendered, options.values_path, options.source)
    except OSError as exc:  # an unwritable path, or a file there that is not YAML (left untouched)
        raise StepError(f"cannot write the values file: {exc.strerror or exc}") from exc
    kept = f" (previous kept as {written.backup})" if written.backup else ""
    yield OutputLine(step, f"values written to {written.path}{kept}")
    argv = upgrade_install_argv(run.release, written.path, options.helm)
    yield OutputLine(step, "$ " + display(argv))
    lines: list[str] = []
    exit_code: list[int] = []

    def relay() -> Iterator[process.Line]:
        with run.recorded("upgrade --install") as started:  # found by the next run if flyte-tui is killed
            exit_code.append(
                (yield from process.stream(argv, options.timeout + 60, run.cancel, options.env, None, started))
            )

    for line in relay():
        lines.append(line.text)
        yield OutputLine(step, run.clean(line.text), line.stream)
    if exit_code[0] != 0:
        error = process.error_summary("\n".join(lines))  # several errors: the first few and how many
        raise StepError(f"helm upgrade --install failed: {run.clean(error)}", _explain_helm(lines))
    return "applied"


def _explain_helm(lines: list[str]) -> Explanation | None:
    found = match(lines)
    if found is None:
        return None
    signature, line = found
    return Explanation(
        summary=line, cause=signature.cause, fix=signature.fix, answer=signature.answer, signature=signature.id
    )


def output_lines(run: ReleaseRun, step: str, done: process.Completed) -> Iterator[OutputLine]:
    """What a finished command printed, line by line (secrets the user gave masked)."""
    for line in (done.stdout + "\n" + done.stderr).splitlines():
        if line.strip():
            yield OutputLine(step, run.clean(line))
