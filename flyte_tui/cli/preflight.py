"""``flyte-tui preflight ANSWERS [--json]``: the install's preflight checks alone, nothing created.

One line per check (level, what was looked at, the evidence, the fix), or JSON. Exit codes (the doctor's):
0 every check ok, 3 a check failed, 4 warnings only, 2 invalid input (the answers file, an unknown
``--skip-preflight`` id), 1 helm or the cluster could not be used at all, 130 cancelled.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import click

from flyte_tui import exit_codes

SCHEMA_VERSION = 1


def _known_checks(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """The ``--skip-preflight`` ids, or a usage error (exit 2) naming the unknown ones and the accepted ones."""
    from flyte_tui.install.preflight_checks import CHECK_IDS, unknown_ids

    unknown = unknown_ids(value)
    if unknown:
        raise click.BadParameter(f"unknown check {', '.join(unknown)}; accepted: {', '.join(CHECK_IDS)}")
    return value


def _context(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--context``, held to the rules of ``target.context`` (no blank one, none read as a flag), or a usage error."""
    from pydantic import ValidationError

    from flyte_tui.model.plan import Target
    from flyte_tui.model.validate import pydantic_problems

    if value is None:
        return value
    try:
        Target.model_validate({"context": value})
    except ValidationError as exc:
        raise click.BadParameter("; ".join(p.message for p in pydantic_problems(exc))) from None
    return value


def _program(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``--helm`` / ``--kubectl``: a program to run, or a usage error when it is empty."""
    if not value.strip():
        raise click.BadParameter("it is empty: give the program to run (a name on PATH or a path)")
    return value


SKIP_PREFLIGHT = click.option(
    "--skip-preflight",
    "skip_preflight",
    multiple=True,
    metavar="CHECK",
    callback=_known_checks,
    help="Let this preflight check's failure go on as a warning (repeatable; a check id such as capacity).",
)
"""``--skip-preflight CHECK``, as ``install``, ``upgrade`` and ``preflight`` take it."""


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option(
    "--context",
    default=None,
    callback=_context,
    help="Kubernetes context (default: the answers file's, else current).",
)
@SKIP_PREFLIGHT
@click.option("--helm", "helm_bin", default="helm", show_default=True, callback=_program, help="The helm binary.")
@click.option(
    "--kubectl", "kubectl_bin", default="kubectl", show_default=True, callback=_program, help="The kubectl binary."
)
def preflight(
    answers: Path, as_json: bool, context: str | None, skip_preflight: tuple[str, ...], helm_bin: str, kubectl_bin: str
) -> None:
    """Check what the answers assume about the cluster, creating nothing: exit 0 all ok, 3 a check failed,
    4 warnings only."""
    sys.exit(run_preflight(answers, as_json, context, skip_preflight, helm_bin, kubectl_bin))


def run_preflight(
    answers: Path, as_json: bool, context: str | None, skip: tuple[str, ...], helm_bin: str, kubectl_bin: str
) -> int:
    """Validate the answers, run the checks (:func:`flyte_tui.install.preflight.gather`), print them; the exit
    code."""
    from flyte_tui.charts import flyte_release, plan_releases, validate_file
    from flyte_tui.cli.run import _cancel_on_signals
    from flyte_tui.files.values import default_path
    from flyte_tui.install import InstallOptions
    from flyte_tui.install.context import ReleaseRun
    from flyte_tui.install.ingress import fit_for_install
    from flyte_tui.install.preflight import cluster_error, gather
    from flyte_tui.install.preflight_checks import apply_skips, exit_code
    from flyte_tui.install.secrets import SecretValues
    from flyte_tui.tools.process import Cancelled

    result = validate_file(answers)
    for problem in result.problems:
        click.echo(f"{problem.severity}: {problem}", err=True)
    if not result.ok or result.plan is None:
        click.echo(f"{answers}: {len(result.errors)} error(s); nothing checked", err=True)
        return exit_codes.INVALID
    plan = result.plan
    if context is not None:
        plan = plan.model_copy(update={"target": plan.target.model_copy(update={"context": context})})
    plan = fit_for_install(plan, kubectl_bin).plan  # the plan as install would render it on this cluster
    releases = plan_releases(plan)
    options = InstallOptions(
        values_path=default_path(answers),
        helm=helm_bin,
        kubectl=kubectl_bin,
        secrets=SecretValues.from_environment(None),
        source=answers.name,
        skip_preflight=skip,
    )
    cancel = threading.Event()
    run = ReleaseRun(plan, flyte_release(releases), options, cancel)
    with _cancel_on_signals(cancel):
        try:
            got = gather(run, [r for r in releases if r.serves])
        except Cancelled:
            click.echo("cancelled: nothing was checked to the end", err=True)
            return exit_codes.CANCELLED
    results = apply_skips(got.results, skip)
    unusable = f"helm is not usable: {got.helm}" if isinstance(got.helm, Exception) else cluster_error(run, got.server)
    code = exit_codes.FAILED if unusable else exit_code(results)
    if as_json:
        target = {"context": plan.target.context, "namespace": plan.target.namespace, "release": plan.target.release}
        summary = {level: sum(1 for r in results if r.level == level) for level in ("ok", "warn", "fail")}
        document: dict[str, Any] = {"schemaVersion": SCHEMA_VERSION, "target": target, "summary": summary}
        document.update(exitCode=code, checks=[r.to_json() for r in results])
        click.echo(json.dumps(document, indent=2))
    else:
        for line in (r.line() for r in results):
            click.echo(line)
    if unusable:
        click.echo(f"error: {unusable}", err=True)
    return code
