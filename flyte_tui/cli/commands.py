"""The headless command line: ``flyte-tui [render|validate|presets|schema|import] …``.

Exit codes for the whole CLI: 0 ok, 1 the operation failed, 2 invalid input or usage, 130 cancelled (Ctrl-C).
Imports are deferred into each command so ``flyte-tui --help`` and the TUI start fast.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from flyte_tui import exit_codes
from flyte_tui.cli.preflight import SKIP_PREFLIGHT, preflight
from flyte_tui.presets import PRESET_NAMES

if TYPE_CHECKING:
    from flyte_tui.cli.run import InstallFlags
    from flyte_tui.model.rules import Problem


def _print_problems(problems: list[Problem], stream: Any = None) -> None:
    for problem in problems:
        label = "error" if problem.severity == "error" else "warning"
        click.echo(f"{label}: {problem}", err=stream is None)


STDOUT = "-"
"""``-o -``: write to stdout (as other tools do)."""


def _refuse(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(exit_codes.INVALID)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _output_path(raw: str, inputs: list[Path]) -> Path | None:
    """The file ``-o`` names (None: stdout), or exit 2 when it cannot be what the user meant."""
    if raw == STDOUT:
        return None
    if not raw or raw.endswith(("/", os.sep)):
        example = f"{raw or './'}flyte-values.yaml"
        _refuse(f"-o {raw!r} names a folder; give the file to write (e.g. {example}), or - for stdout")
    path = Path(raw)
    for given in inputs:
        for written in (path, path.with_name(path.name + ".bak")):
            if _same_file(given, written) or Path(os.path.abspath(given)) == Path(os.path.abspath(written)):
                _refuse(f"{written} is the input file {given}: writing there would replace it; choose another -o")
    if not os.path.lexists(path) and not path.parent.is_dir():
        what = "is not a folder" if os.path.lexists(path.parent) else "does not exist"
        _refuse(f"cannot write the values file {path}: {path.parent} {what}; create the folder, or choose another -o")
    from flyte_tui.files import yamlio

    try:
        yamlio.destination(path)
    except yamlio.UnmergeableFile as exc:
        _refuse(str(exc))
    return path


def _tool(option: str, value: str) -> str:
    """A --helm/--kubectl value, or exit 2 when it cannot name a program."""
    if not value.strip():
        _refuse(f"{option} is empty: give the program to run (a name on PATH or a path), or leave it out")
    return value


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flyte-tui")
@click.option(
    "-f",
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answers file to open and save (default: ./flyte-tui.yaml).",
)
@click.pass_context
def main(ctx: click.Context, answers: Path | None) -> None:
    """Install, upgrade and diagnose Flyte (flyte-core) on Kubernetes.

    With no command, opens the interactive wizard.
    """
    if ctx.invoked_subcommand is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            click.echo(
                "error: the wizard needs a terminal (stdin and stdout are not one here); without one, use the "
                "headless commands: flyte-tui presets, validate, render, import, install, diff, upgrade, doctor "
                "(flyte-tui --help lists them)",
                err=True,
            )
            sys.exit(exit_codes.INVALID)
        from flyte_tui.tui.app import run_app

        run_app(answers)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
def validate(answers: Path, as_json: bool) -> None:
    """Check an answers file: exit 0 when valid, 2 with every error (field path and message)."""
    from flyte_tui.charts import validate_file

    result = validate_file(answers)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "valid": result.ok,
                    "problems": [
                        {"path": p.path, "message": p.message, "severity": p.severity} for p in result.problems
                    ],
                },
                indent=2,
            )
        )
    else:
        _print_problems(result.problems)
        if result.ok:
            click.echo(f"{answers}: valid" + (f" ({len(result.warnings)} warning(s))" if result.warnings else ""))
        else:
            click.echo(f"{answers}: {len(result.errors)} error(s)", err=True)
    sys.exit(exit_codes.OK if result.ok else exit_codes.INVALID)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    help="Values file to write (default: flyte-values.yaml beside the answers file); - writes to stdout.",
)
def render(answers: Path, output: str | None) -> None:
    """Write the Helm values file for an answers file and print the exact helm command."""
    from flyte_tui.charts import validate_file
    from flyte_tui.charts.values_file import render_text, write_release_files
    from flyte_tui.files import yamlio
    from flyte_tui.files.values import default_path
    from flyte_tui.review.auth import registration_lines
    from flyte_tui.tools.helm import display, upgrade_install_argv

    target = _output_path(output if output is not None else str(default_path(answers)), [answers])
    result = validate_file(answers)
    _print_problems(result.problems)
    if not result.ok or result.plan is None:
        click.echo(f"{answers}: {len(result.errors)} error(s); nothing written", err=True)
        sys.exit(exit_codes.INVALID)
    if target is None:
        try:
            text = render_text(result.plan, source=answers.name)
        except yamlio.UnwritableYAML as exc:
            _refuse(str(exc.naming(yamlio.STDOUT_NAME)))
        click.echo(text, nl=False)
        if result.plan.dependencies.bundled:
            click.echo("note: the dependencies' values are written only with -o FILE (beside it)", err=True)
        click.echo(display(upgrade_install_argv(result.plan.target, STDOUT)), err=True)
        for line in registration_lines(result.plan):  # stdout is the values file
            click.echo(line, err=True)
        return
    try:
        written = write_release_files(result.plan, target, source=answers.name)
    except yamlio.UnmergeableFile as exc:
        _refuse(str(exc))
    except OSError as exc:
        click.echo(f"error: cannot write {target}: {exc.strerror or exc}", err=True)
        sys.exit(exit_codes.FAILED)
    for _release, file in written:
        click.echo(f"wrote {file.path}" + (f" (previous kept as {file.backup})" if file.backup else ""))
    for release, file in written:  # in install order: the dependencies first
        click.echo(display(upgrade_install_argv(release, file.path)))
    for line in registration_lines(result.plan):
        click.echo(line)


@main.command(name="import")
@click.argument("values", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, help="Answers file to write; - writes to stdout.")
@click.option(
    "--environment",
    type=click.Choice(PRESET_NAMES),
    help="Environment, when the values do not make it clear.",
)
def import_(values: Path, output: str, environment: str | None) -> None:
    """Turn an existing flyte-core or flyte-binary values file into an answers file."""
    from flyte_tui.charts.import_file import import_values_file
    from flyte_tui.files import yamlio
    from flyte_tui.files.answers import answers_text, write_answers

    target = _output_path(output, [values])
    result = import_values_file(values, environment=environment)
    if not result.answers:
        _print_problems(result.problems)
        sys.exit(exit_codes.INVALID)
    if target is None:
        try:
            text = answers_text(result.answers)
        except yamlio.UnwritableYAML as exc:
            _refuse(str(exc.naming(yamlio.STDOUT_NAME)))
        click.echo(text, nl=False)
    else:
        try:
            backup = write_answers(result.answers, target)
        except yamlio.UnmergeableFile as exc:
            _refuse(str(exc))
        except OSError as exc:
            click.echo(f"error: cannot write {target}: {exc.strerror or exc}", err=True)
            sys.exit(exit_codes.FAILED)
        click.echo(f"wrote {target}" + (f" (previous kept as {backup})" if backup else ""))
    if result.leftovers:
        click.echo(f"kept under extraValues ({len(result.leftovers)} not modelled by flyte-tui):", err=target is None)
        for path in result.leftovers:
            click.echo(f"  {path}", err=target is None)
    if result.problems:
        click.echo("the imported answers need attention:", err=True)
        _print_problems(result.problems)


MIN_TIMEOUT = 1.0
"""The shortest --timeout accepted (a second)."""
MAX_TIMEOUT = 24 * 3600.0
"""The longest --timeout accepted (a day)."""


def _parse_duration(text: str) -> float:
    """``15m``, ``900s``, ``1h`` or plain seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    problem = f"{text!r} is not a duration like 15m, 900s or 1h"
    try:
        seconds = float(text[:-1]) * units[text[-1]] if text and text[-1] in units else float(text)
    except ValueError as exc:
        raise click.BadParameter(problem, param_hint="'--timeout'") from exc
    if not math.isfinite(seconds) or seconds < MIN_TIMEOUT or seconds > MAX_TIMEOUT:
        raise click.BadParameter(f"{problem}, from 1s to 24h", param_hint="'--timeout'")
    return seconds


def _values_out(raw: str | None, answers: Path) -> Path:
    """The values file an install or upgrade writes (default: beside the answers), or exit 2."""
    from flyte_tui.files.values import default_path

    path = _output_path(raw if raw is not None else str(default_path(answers)), [answers])
    if path is None:
        _refuse("-o - (stdout) is for render; an install writes its values to a file")
    return path


def _run_options(command: Callable[..., None]) -> Callable[..., None]:
    """The answers file and the options every run (install, upgrade) takes."""
    for option in reversed(
        [
            click.argument("answers", type=click.Path(dir_okay=False, path_type=Path)),
            click.option("--yes", is_flag=True, help="Do not ask for confirmation (required without a terminal)."),
            click.option("--timeout", default="15m", show_default=True, help="How long to wait for every component."),
            click.option("--json", "as_json", is_flag=True, help="One JSON event per line instead of plain lines."),
            click.option(
                "-o",
                "--values-out",
                help="Values file to write (default: flyte-values.yaml beside the answers file).",
            ),
            click.option(
                "--db-password-file",
                type=click.Path(dir_okay=False, exists=True, path_type=Path),
                help="Read the database password from this file (or set FLYTE_TUI_DB_PASSWORD).",
            ),
            SKIP_PREFLIGHT,
        ]
    ):
        command = option(command)
    return command


def _tool_options(command: Callable[..., None]) -> Callable[..., None]:
    """Which helm and kubectl binaries to run."""
    command = click.option(
        "--kubectl", "kubectl_bin", default="kubectl", show_default=True, help="The kubectl binary."
    )(command)
    return click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary.")(command)


_RECOVER = click.option(
    "--recover", is_flag=True, help="If the release is stuck in pending-*, run the recovery first."
)
"""``--recover``, as ``install`` and ``upgrade`` both take it."""


@main.command()
@_run_options
@click.option(
    "--rollback-on-failure/--no-rollback",
    default=None,
    help="Roll back when it fails: a new install is removed, an existing release returns to its last deployed "
    "revision. Default: on for an existing release, off for a new install.",
)
@_RECOVER
@_tool_options
def install(answers: Path, rollback_on_failure: bool | None, recover: bool, **shared: Any) -> None:
    """Install Flyte from an answers file: exit 0 ready, 1 failed, 2 invalid input, 130 cancelled. When the
    release exists already, this is an upgrade, as flyte-tui upgrade does it: the review first, then the upgrade,
    rolled back on failure."""
    from flyte_tui.cli.run import run_install

    sys.exit(run_install(answers, _install_flags(answers, rollback_on_failure, recover, **shared)))


def _install_flags(
    answers: Path,
    rollback: bool | None,
    recover: bool,
    *,
    yes: bool,
    timeout: str,
    as_json: bool,
    values_out: str | None,
    db_password_file: Path | None,
    helm_bin: str,
    kubectl_bin: str,
    skip_preflight: tuple[str, ...],
) -> InstallFlags:
    """The flags ``install`` and ``upgrade`` share (:func:`_run_options`, :func:`_tool_options`), checked."""
    from flyte_tui.cli.run import InstallFlags

    return InstallFlags(
        yes=yes,
        timeout=_parse_duration(timeout),
        as_json=as_json,
        values_out=_values_out(values_out, answers),
        password_file=db_password_file,
        rollback=rollback,
        helm=_tool("--helm", helm_bin),
        kubectl=_tool("--kubectl", kubectl_bin),
        recover=recover,
        skip_preflight=skip_preflight,
    )


from flyte_tui.cli.doctor import bundle, doctor  # noqa: E402

main.add_command(doctor)
main.add_command(bundle)
from flyte_tui.cli.uninstall import uninstall  # noqa: E402

main.add_command(uninstall)
from flyte_tui.cli.migrate import migrate  # noqa: E402

main.add_command(migrate)
from flyte_tui.cli.images import images  # noqa: E402

main.add_command(images)
main.add_command(preflight)
from flyte_tui.cli.reference import presets, schema  # noqa: E402

main.add_command(presets)
main.add_command(schema)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The review as JSON.")
@click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary.")
def diff(answers: Path, as_json: bool, helm_bin: str) -> None:
    """Show what upgrading the live release to these answers changes: exit 0 none, 2 changes, 1 error."""
    from flyte_tui.cli.run import run_diff

    sys.exit(run_diff(answers, as_json=as_json, helm=_tool("--helm", helm_bin)))


@main.command()
@_run_options
@click.option(
    "--rollback-on-failure/--no-rollback",
    default=True,
    show_default=True,
    help="Roll back to the last deployed revision when the upgrade fails.",
)
@_RECOVER
@_tool_options
def upgrade(answers: Path, rollback_on_failure: bool, recover: bool, **shared: Any) -> None:
    """Review and apply an upgrade of the live release: exit 0 ready, 1 failed (rolled back), 2 invalid,
    130 cancelled."""
    from flyte_tui.cli.run import run_upgrade

    sys.exit(run_upgrade(answers, _install_flags(answers, rollback_on_failure, recover, **shared)))


if __name__ == "__main__":  # pragma: no cover
    main()
