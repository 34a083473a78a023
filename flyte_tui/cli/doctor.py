"""``flyte-tui doctor`` and ``flyte-tui bundle``: the headless face of :mod:`flyte_tui.doctor`.

Exit codes (troubleshoot's convention): 0 every check passed, 3 a check failed, 4 warnings only,
2 invalid input (an unreadable answers file), 1 the doctor itself could not run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from flyte_tui import exit_codes
from flyte_tui.tools.kubectl import MAX_LOG_LINES

if TYPE_CHECKING:
    from flyte_tui.doctor.snapshot import DoctorTarget


def _target_options(fn: Any) -> Any:
    options = [
        click.option("--context", default=None, help="Kubernetes context (default: the answers file's, else current)."),
        click.option(
            "-n", "--namespace", default=None, help="Flyte's namespace (default: the answers file's, or flyte)."
        ),
        click.option("--release", default=None, help="Helm release name (default: the answers file's, or flyte)."),
        click.option(
            "--answers",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The answers file the install came from: tells the environment (eks, gke…) to check against.",
        ),
        click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary."),
        click.option("--kubectl", "kubectl_bin", default="kubectl", show_default=True, help="The kubectl binary."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def make_target(
    context: str | None,
    namespace: str | None,
    release: str | None,
    answers: Path | None,
    helm_bin: str,
    kubectl_bin: str,
) -> DoctorTarget:
    """The doctor's target from the options; exits 2 when the answers file cannot be used."""
    from flyte_tui.charts import validate_file
    from flyte_tui.doctor.snapshot import DoctorTarget
    from flyte_tui.model.plan import DEFAULT_NAMESPACE, DEFAULT_RELEASE

    plan = None
    if answers is not None:
        result = validate_file(answers)
        if result.plan is None:
            for problem in result.errors:
                click.echo(f"error: {problem}", err=True)
            click.echo(f"{answers}: cannot be used as the answers file", err=True)
            sys.exit(exit_codes.INVALID)
        plan = result.plan
    t = plan.target if plan is not None else None
    return DoctorTarget(
        namespace=namespace or (t.namespace if t else DEFAULT_NAMESPACE),
        release=release or (t.release if t else DEFAULT_RELEASE),
        context=context if context is not None else (t.context if t else ""),
        kubectl=kubectl_bin,
        helm=helm_bin,
        env=dict(os.environ),
        plan=plan,
    )


@click.command()
@_target_options
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--problems", "only_problems", is_flag=True, help="List only the checks that warn or fail.")
def doctor(as_json: bool, only_problems: bool, **target_options: Any) -> None:
    """Find what is wrong with a Flyte install: exit 0 all pass, 3 a check failed, 4 warnings only."""
    from flyte_tui.doctor import Report, gather

    target = make_target(**target_options)
    try:
        report = Report.build(gather(target))
    except Exception as exc:  # the doctor itself broke: say so, exit 1
        click.echo(f"error: the doctor could not run: {type(exc).__name__}: {exc}", err=True)
        sys.exit(exit_codes.FAILED)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(report.to_text(only_problems))
    sys.exit(report.exit_code)


@click.command()
@_target_options
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .tar.gz to write."
)
@click.option(
    "--log-lines",
    type=click.IntRange(1, MAX_LOG_LINES),
    default=200,
    show_default=True,
    help=f"Lines of log kept per container (1 to {MAX_LOG_LINES}).",
)
def bundle(output: Path, log_lines: int, **target_options: Any) -> None:
    """Write a support bundle (pods, describes, events, logs, release values and manifest, doctor report),
    with secrets redacted: Secret data is never collected; passwords, tokens and keys are masked."""
    from flyte_tui.doctor.bundle import write_bundle

    target = make_target(**target_options)
    try:
        written = write_bundle(target, output, log_lines=log_lines)
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(exit_codes.FAILED)
    except Exception as exc:
        click.echo(f"error: the bundle could not be made: {type(exc).__name__}: {exc}", err=True)
        sys.exit(exit_codes.FAILED)
    click.echo(f"wrote {written.path} ({len(written.files)} files, {written.size // 1024} KiB); secrets redacted")
    if written.missing:
        click.echo("could not be collected:", err=True)
        by_reason: dict[str, list[str]] = {}
        for what, why in written.missing.items():
            by_reason.setdefault(why, []).append(what)
        for why, kinds in by_reason.items():
            click.echo(f"  {', '.join(kinds)}: {why}", err=True)
    if not written.cluster:
        click.echo(
            "error: nothing of the cluster was collected (it did not answer); the bundle holds only the doctor's "
            "report of why: see flyte-tui doctor",
            err=True,
        )
        sys.exit(exit_codes.FAILED)
