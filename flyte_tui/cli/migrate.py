"""``flyte-tui migrate``: the headless face of :mod:`flyte_tui.migrate`.

The flyte-core answers are written first (atomically, an existing file backed up, never over the input), the
review printed; then, confirmed (``--yes``, or "y" on a terminal), the steps as plain lines or one JSON event
per line. Exit codes as elsewhere: 0 migrated, 1 failed, 2 invalid input or not confirmed (nothing changed on
the cluster), 130 cancelled.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from flyte_tui import exit_codes

if TYPE_CHECKING:
    from flyte_tui.migrate import MigrationOptions, MigrationPlan


def _refuse(message: str) -> int:
    click.echo(f"error: {message}", err=True)
    return exit_codes.INVALID


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--release", "new_release", default=None, help="The flyte-core release (default: <old>-core).")
@click.option("-o", "--output", default=None, help="flyte-core answers to write (default: <answers>-core.yaml).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required without a terminal).")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line (the review goes to stderr).")
@click.option("--timeout", default="15m", show_default=True, help="How long to wait for every component.")
@click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary.")
@click.option("--kubectl", "kubectl_bin", default="kubectl", show_default=True, help="The kubectl binary.")
def migrate(
    answers: Path,
    new_release: str | None,
    output: str | None,
    yes: bool,
    as_json: bool,
    timeout: str,
    helm_bin: str,
    kubectl_bin: str,
) -> None:
    """Move a flyte-binary install to flyte-core on the same database and buckets: exit 0 migrated, 1 failed
    (the flyte-binary release untouched when the new one failed), 2 invalid or not confirmed, 130 cancelled."""
    from flyte_tui.cli.commands import _output_path, _parse_duration, _tool
    from flyte_tui.files.values import default_path
    from flyte_tui.install import InstallOptions
    from flyte_tui.migrate import MigrationOptions
    from flyte_tui.uninstall import UninstallOptions

    helm, kubectl = _tool("--helm", helm_bin), _tool("--kubectl", kubectl_bin)
    seconds = _parse_duration(timeout)
    written = _output_path(output or str(answers.with_name(f"{answers.stem}-core.yaml")), [answers])
    if written is None:
        sys.exit(_refuse("-o - (stdout): migrate writes the flyte-core answers to a file"))
    prepared = _prepare(answers, new_release, written, kubectl)
    if isinstance(prepared, int):
        sys.exit(prepared)
    values = default_path(written).with_name(f"flyte-values-{prepared.new_release}.yaml")
    options = MigrationOptions(
        InstallOptions(values_path=values, helm=helm, kubectl=kubectl, timeout=seconds, source=written.name),
        UninstallOptions(helm=helm, kubectl=kubectl, timeout=min(seconds, 600.0)),
    )
    sys.exit(run_migration(prepared, options, yes=yes, as_json=as_json))


def _prepare(answers: Path, new_release: str | None, written: Path, kubectl: str) -> MigrationPlan | int:
    """Read, map and validate the answers, write the flyte-core answers, print the review; the plan, or the
    exit code after saying why not."""
    from flyte_tui.charts import validate_answers, validate_file
    from flyte_tui.files import yamlio
    from flyte_tui.files.answers import load_answers, write_answers
    from flyte_tui.install.ingress import fit_for_install
    from flyte_tui.migrate import MigrationError, MigrationPlan, migrate_answers, review_lines

    old = validate_file(answers)
    if old.plan is None or old.errors:
        for problem in old.errors:
            click.echo(f"error: {problem}", err=True)
        return _refuse(f"{answers}: {len(old.errors)} error(s); nothing migrated")
    try:
        migrated = migrate_answers(load_answers(answers), new_release)
    except MigrationError as exc:
        return _refuse(f"{answers}: {exc}")
    new = validate_answers(migrated.answers)
    if new.plan is None or new.errors:
        for problem in new.errors:
            click.echo(f"error: {problem}", err=True)
        return _refuse(f"the flyte-core answers made from {answers} are not valid; nothing migrated")
    try:
        backup = write_answers(migrated.answers, written)
    except yamlio.UnmergeableFile as exc:
        return _refuse(str(exc))
    except OSError as exc:
        click.echo(f"error: cannot write {written}: {exc.strerror or exc}", err=True)
        return exit_codes.FAILED
    click.echo(f"wrote {written}" + (f" (previous kept as {backup})" if backup else ""), err=True)
    fitted = fit_for_install(new.plan, kubectl)  # as install does: the review shows what is applied
    if fitted.note:
        click.echo(f"note: {fitted.note}", err=True)
    migration = MigrationPlan(fitted.plan, migrated.old_release)
    for line in review_lines(migrated, migration):
        click.echo(line, err=True)
    return migration


def run_migration(
    migration: MigrationPlan, options: MigrationOptions, *, yes: bool, as_json: bool, out: TextIO = sys.stdout
) -> int:
    """Check the old release, confirm, migrate; print the events; return the exit code."""
    from flyte_tui.cli.run import Exit, _cancel_on_signals, finished_code, guarded, print_events
    from flyte_tui.migrate import Migrator
    from flyte_tui.release import find_release, release_helm

    t = migration.plan.target
    cancel = threading.Event()
    helm = release_helm(options.install.helm, t.context, t.namespace, None, cancel)
    with _cancel_on_signals(cancel):
        failed = f"error: cannot read release {migration.old_release}: "
        info = guarded(lambda: find_release(helm, migration.old_release), "cancelled: nothing migrated", failed)
        if isinstance(info, Exit):
            return info.code
        if info is None or info.status != "deployed" or not info.chart.startswith("flyte-binary"):
            found = "not found" if info is None else f"{info.chart}, {info.status}"
            return _refuse(f"release {migration.old_release} in namespace {t.namespace}: {found}; migrate needs a "
                           "deployed flyte-binary release (the answers' target.release); nothing migrated")  # fmt: skip
        if not _confirmed(migration, yes):
            return exit_codes.INVALID
        ended = ("Migrated to flyte-core.", "Migration did not finish.")
        ok = print_events(Migrator(migration, options, cancel).run(), as_json, out, ended)
    return finished_code(ok, cancel)


def _confirmed(migration: MigrationPlan, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print("refusing to migrate without --yes when not on a terminal; the answers are written, nothing else "
              "changed", file=sys.stderr)  # fmt: skip
        return False
    reply = input(f"Install {migration.new_release} (flyte-core), then uninstall {migration.old_release}? [y/N] ")
    if reply.strip().lower() in ("y", "yes"):
        return True
    print("nothing migrated", file=sys.stderr)
    return False
