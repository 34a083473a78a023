"""``flyte-tui uninstall``: the headless face of :mod:`flyte_tui.uninstall`.

First the preview (what goes, what stays), then, confirmed (``--yes``, or "y" on a terminal), the steps as
plain lines or one JSON event per line. Exit codes as elsewhere: 0 done, 1 failed, 2 invalid input or not
confirmed (nothing removed), 130 cancelled.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from flyte_tui import exit_codes

if TYPE_CHECKING:
    from flyte_tui.uninstall import Preview, UninstallOptions, UninstallTarget


def _refuse(message: str) -> int:
    click.echo(f"error: {message}", err=True)
    return exit_codes.INVALID


@click.command()
@click.argument("answers", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--release", default=None, help="Helm release to remove (instead of an answers file).")
@click.option("-n", "--namespace", default=None, help="Its namespace (with --release; default: flyte).")
@click.option("--context", default=None, help="Kubernetes context (default: the answers file's, else current).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required without a terminal).")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line (the preview goes to stderr).")
@click.option(
    "--purge",
    is_flag=True,
    help="Also delete the FlyteWorkflow CRD (with every FlyteWorkflow), project namespaces and PVCs.",
)
@click.option("--timeout", default="5m", show_default=True, help="How long to wait for the pods to be gone.")
@click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary.")
@click.option("--kubectl", "kubectl_bin", default="kubectl", show_default=True, help="The kubectl binary.")
def uninstall(
    answers: Path | None,
    release: str | None,
    namespace: str | None,
    context: str | None,
    yes: bool,
    as_json: bool,
    purge: bool,
    timeout: str,
    helm_bin: str,
    kubectl_bin: str,
) -> None:
    """Remove what flyte-tui installed (preview first): exit 0 done, 1 failed, 2 invalid or not confirmed,
    130 cancelled."""
    from flyte_tui.cli.commands import _parse_duration, _tool
    from flyte_tui.uninstall import UninstallOptions

    target = _target(answers, release, namespace, context)
    if isinstance(target, int):
        sys.exit(target)
    options = UninstallOptions(
        helm=_tool("--helm", helm_bin), kubectl=_tool("--kubectl", kubectl_bin), purge=purge,
        timeout=_parse_duration(timeout),
    )  # fmt: skip
    sys.exit(run_uninstall(target, options, yes=yes, as_json=as_json))


def _target(
    answers: Path | None, release: str | None, namespace: str | None, context: str | None
) -> UninstallTarget | int:
    """What to remove, or the exit code after saying why the options cannot name it."""
    from flyte_tui.model.names import check_dns_label
    from flyte_tui.uninstall import for_release, from_plan

    if answers is not None and (release is not None or namespace is not None):
        return _refuse("give an answers file or --release/-n, not both (the answers file names its release)")
    if answers is None and release is None:
        return _refuse(
            "say what to uninstall: an answers file (flyte-tui uninstall flyte-tui.yaml) or --release R -n NS"
        )
    if context is not None and context.startswith("-"):
        return _refuse(f"--context {context!r}: a context name cannot start with '-'")
    if answers is not None:
        from flyte_tui.charts import validate_file

        result = validate_file(answers)
        if result.plan is None:
            for problem in result.errors:
                click.echo(f"error: {problem}", err=True)
            return _refuse(f"{answers}: {len(result.errors)} error(s); nothing uninstalled")
        return from_plan(result.plan, context)
    for option, value in (("--release", release or ""), ("--namespace", namespace or "flyte")):
        try:
            check_dns_label(value, 53 if option == "--release" else 63)
        except ValueError as exc:
            return _refuse(f"{option} {value!r}: {exc}")
    return for_release(release or "", namespace or "flyte", context or "")


def run_uninstall(
    target: UninstallTarget, options: UninstallOptions, *, yes: bool, as_json: bool, out: TextIO = sys.stdout
) -> int:
    """Preview, confirm, uninstall; print the events; return the exit code."""
    from flyte_tui.cli.run import _cancel_on_signals
    from flyte_tui.tools.helm import HelmError
    from flyte_tui.tools.kubectl import KubectlError
    from flyte_tui.tools.process import Cancelled, ProcessError
    from flyte_tui.uninstall import read_preview

    cancel = threading.Event()
    text_out = sys.stderr if as_json else out  # with --json, stdout holds only the events
    with _cancel_on_signals(cancel):
        try:
            preview = read_preview(target, options, cancel)
        except Cancelled:
            print("cancelled: nothing uninstalled", file=sys.stderr)
            return exit_codes.CANCELLED
        except (HelmError, KubectlError, ProcessError, ValueError) as exc:
            print(f"error: cannot read what to uninstall: {exc}", file=sys.stderr)
            return exit_codes.FAILED
        for line in preview.lines(options.purge):
            print(line, file=text_out, flush=True)
        if preview.empty:
            print(f"nothing to uninstall in namespace {target.namespace}", file=sys.stderr)
            return exit_codes.INVALID
        if not _confirmed(preview, yes):
            return exit_codes.INVALID
        return _run(preview, options, cancel, as_json, out)


def _confirmed(preview: Preview, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print("refusing to uninstall without --yes when not on a terminal; nothing uninstalled", file=sys.stderr)
        return False
    names = ", ".join(r.name for r in preview.releases) or "nothing but Secrets"
    reply = input(f"Uninstall {names} from namespace {preview.namespace}? [y/N] ")
    if reply.strip().lower() in ("y", "yes"):
        return True
    print("nothing uninstalled", file=sys.stderr)
    return False


def _run(preview: Preview, options: UninstallOptions, cancel: threading.Event, as_json: bool, out: TextIO) -> int:
    from flyte_tui.events import InstallFinished, plain, to_json
    from flyte_tui.uninstall import Uninstaller

    ok = False
    for event in Uninstaller(preview, options, cancel).run():
        if as_json:
            print(json.dumps(to_json(event)), file=out, flush=True)
            ok = event.ok if isinstance(event, InstallFinished) else ok
            continue
        if isinstance(event, InstallFinished):
            ok = event.ok
            print("Uninstalled." if ok else "Uninstall did not finish.", file=out)
            for line in event.summary:
                print(f"  {line}", file=out, flush=True)
            continue
        for line in plain(event):
            print(line, file=out, flush=True)
    if ok:
        return exit_codes.OK
    return exit_codes.CANCELLED if cancel.is_set() else exit_codes.FAILED
