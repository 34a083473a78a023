"""The headless face of install, upgrade and diff: plain lines or JSON on stdout, an exit code."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO, TypeVar

from flyte_tui import exit_codes
from flyte_tui.charts import validate_file
from flyte_tui.events import Event, InstallFinished, plain, to_json
from flyte_tui.install import InstallOptions
from flyte_tui.install.ingress import fit_for_install
from flyte_tui.install.propeller_secret import SettledSecret, failure_code, settle_for_install
from flyte_tui.install.secrets import SecretValues
from flyte_tui.model import InstallPlan
from flyte_tui.redact import known_secrets, mask_values
from flyte_tui.release import release_helm
from flyte_tui.review.auth import registration_lines
from flyte_tui.review.review import Review
from flyte_tui.tools.helm import Helm, HelmError
from flyte_tui.tools.process import Cancelled, ProcessError
from flyte_tui.upgrade import (
    FixDone,
    LiveRelease,
    NoRelease,
    Reviewed,
    StuckRelease,
    apply_upgrade,
    find_live,
    review_upgrade,
    upgrade_until_review,
)

T = TypeVar("T")


@dataclass(frozen=True)
class InstallFlags:
    """The flags ``install`` and ``upgrade`` share."""

    yes: bool
    timeout: float
    as_json: bool
    values_out: Path | None
    password_file: Path | None
    rollback: bool | None
    """Roll back on failure; None: as the release needs (on for an existing release, off for a first install)."""
    helm: str = "helm"
    kubectl: str = "kubectl"
    recover: bool = False
    """A release stuck in pending-* is recovered first (else the run stops with the recovery advice)."""
    skip_preflight: tuple[str, ...] = ()


def run_install(answers: Path, flags: InstallFlags, out: TextIO = sys.stdout) -> int:
    """``flyte-tui install``: validate, confirm, install; print events; return the exit code (0 ok, 1 failed,
    2 invalid, 130 cancelled).

    When the release exists already, the install is the upgrade of ``flyte-tui upgrade`` (:func:`run_upgrade`):
    the review, ``--yes``, rollback on failure (unless ``--no-rollback``), ``--recover`` for a stuck release.
    """
    loaded = _load(answers, flags.helm)
    if isinstance(loaded, str):
        print(f"{loaded}; nothing installed", file=sys.stderr)
        return exit_codes.INVALID
    plan, adapter = loaded
    with _cancel_on_signals(adapter.cancel):
        try:
            found = _existing(plan, adapter)
        except Cancelled:
            from flyte_tui.cli.early_end import Stop

            return Stop(flags.as_json, out)("cancelled: nothing was installed", "unchanged", exit_codes.CANCELLED)
    if found is not None:
        return _upgrade(answers, plan, adapter, flags, out, found)
    fitted = fit_for_install(plan, flags.kubectl)  # before anything is rendered: one set of values
    if fitted.note:
        print(f"note: {fitted.note}", file=sys.stderr if flags.as_json else out, flush=True)
    return _install(answers, fitted.plan, flags, out)


def _existing(plan: InstallPlan, adapter: Helm) -> LiveRelease | StuckRelease | None:
    """The release an install would change, when it exists (after an uninstall that kept its history, it does
    not); None also when the cluster could not be asked: the installer's preflight then says why."""
    try:
        found = find_live(adapter, plan.target.release)
    except Cancelled:
        raise
    except (HelmError, ProcessError, ValueError):
        return None
    if isinstance(found, NoRelease) or found.info.status == "uninstalled":
        return None
    return found


def _install(
    answers: Path,
    plan: InstallPlan,
    flags: InstallFlags,
    out: TextIO,
    reviewed: Reviewed | None = None,
    settled: SettledSecret | None = None,
) -> int:
    """Confirm, read the secrets, run the installer (of the reviewed releases, for an upgrade); print its events."""
    verb = "install" if reviewed is None else "upgrade"
    for line in registration_lines(plan):  # part of the review: what the IdP must know
        print(line, file=sys.stderr if flags.as_json else out, flush=True)
    if not flags.yes:
        if not sys.stdin.isatty():
            print(f"refusing to {verb} without --yes when not on a terminal", file=sys.stderr)
            return exit_codes.INVALID
        t = plan.target
        where = "into" if reviewed is None else "in"
        reply = input(f"{verb.capitalize()} release {t.release} {where} namespace {t.namespace}? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("nothing installed" if reviewed is None else "nothing changed", file=sys.stderr)
            return exit_codes.INVALID
    try:
        secrets = SecretValues.from_environment(flags.password_file)
    except OSError as exc:
        print(f"cannot read the password file: {exc.strerror or exc}", file=sys.stderr)
        return exit_codes.INVALID
    except UnicodeDecodeError:
        print(f"cannot read the password file {flags.password_file}: it is not UTF-8 text", file=sys.stderr)
        return exit_codes.INVALID
    try:  # an upgrade settled it before its review
        with _cancel_on_signals(stop_settling := threading.Event()):
            settled = settled or settle_for_install(plan, flags.kubectl, stop_settling)
    except (ValueError, ProcessError) as exc:
        print(f"error: {exc or 'cancelled'}; nothing {'installed' if reviewed is None else 'changed'}", file=sys.stderr)
        return failure_code(exc)
    if settled.note:
        print(f"note: {settled.note}", file=sys.stderr if flags.as_json else out, flush=True)
    plan, secrets = settled.plan, settled.with_secret(secrets)
    options = InstallOptions(
        values_path=flags.values_out or answers.with_name("values.yaml"),
        helm=flags.helm,
        kubectl=flags.kubectl,
        timeout=flags.timeout,
        rollback_on_failure=bool(flags.rollback),
        secrets=secrets,
        source=answers.name,
        skip_preflight=flags.skip_preflight,
    )
    cancel = threading.Event()
    with _cancel_on_signals(cancel):
        ok = print_events(apply_upgrade(plan, options, cancel, reviewed).run(), flags.as_json, out)
    return finished_code(ok, cancel)


def print_events(events: Iterable[Event], as_json: bool, out: TextIO, ended: tuple[str, str] | None = None) -> bool:
    """Print a run's events as they come, one JSON object a line with ``as_json``, else as plain lines (with
    ``ended``, the end is its line for ok or not, then the summary indented); whether the run ended ok."""
    ok = False
    shown: dict[str, str] = {}
    for event in events:
        if as_json:
            lines = [json.dumps(to_json(event))]
        elif isinstance(event, InstallFinished) and ended is not None:
            lines = [ended[0] if event.ok else ended[1], *(f"  {line}" for line in event.summary)]
        else:
            lines = plain(event, shown)
        for line in lines:
            print(line, file=out, flush=True)
        if isinstance(event, InstallFinished):
            ok = event.ok
    return ok


def finished_code(ok: bool, cancel: threading.Event) -> int:
    """The exit code of a run that ended ``ok`` or not: cancelled when ``cancel`` was set."""
    if ok:
        return exit_codes.OK
    return exit_codes.CANCELLED if cancel.is_set() else exit_codes.FAILED


def guarded(read: Callable[[], T], cancelled: str, failed: str) -> T | Exit:
    """``read()``, or the exit code after saying on stderr why it did not finish: ``cancelled`` when it was
    cancelled, ``failed`` and the error when helm, a process or what it read failed."""
    try:
        return read()
    except Cancelled:
        print(cancelled, file=sys.stderr)
        return Exit(exit_codes.CANCELLED)
    except (HelmError, ProcessError, ValueError) as exc:
        print(f"{failed}{exc}", file=sys.stderr)
        return Exit(exit_codes.FAILED)


@dataclass(frozen=True)
class Exit:
    """The exit code of a run that stopped early (what stopped it is said already)."""

    code: int


@contextlib.contextmanager
def _cancel_on_signals(cancel: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM set ``cancel`` (the running helm/kubectl is then stopped and reported) instead of
    raising KeyboardInterrupt; the previous handlers come back afterwards."""

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_signal)
    previous_term = signal.signal(signal.SIGTERM, on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)


def review_lines(review: Review) -> list[str]:
    """The three-layer review as plain lines."""
    lines: list[str] = []
    info = review.release
    if info is None:
        lines.append("No release yet: everything below is new.")
    else:
        lines.append(f"Release {info.name} in {info.namespace}: {info.chart}, revision {info.revision}, {info.status}")
    lines.append(f"Answers ({len(review.answers)} changed):")
    lines += [f"  {c.line()}" for c in review.answers] or ["  (none)"]
    lines.append(f"Values ({len(review.values.changes)} changed):")
    lines += [f"  {c.line()}" for c in review.values.changes] or ["  (none)"]
    counts = ", ".join(
        f"{kind} " + " ".join(f"{n} {what}" for what, n in per.items() if n)
        for kind, per in review.manifests.counts.items()
    )
    lines.append(f"Manifests ({len(review.manifests.objects)} objects): {counts or 'no changes'}")
    for obj in review.manifests.objects:
        lines.append(f"  {obj.change} {obj.key}")
        lines += [f"    secret key {key}: {state}" for key, state in obj.secret_keys]
        lines += [f"    {line}" for line in obj.lines]  # Secret values are already redacted
    if review.warnings:
        lines.append("Chart version warnings:")
        lines += [f"  {w.path}: {w.message}" for w in review.warnings]
    check = review.helm_diff_check()
    if check is not None and review.helm_diff is not None:
        reported = len(review.helm_diff)
        lines.append(f"helm-diff: {reported} objects reported; {check.summary(limit=reported)}")
    return lines


def reviewed_lines(reviewed: Reviewed) -> list[str]:
    """The review of every cluster, each under its title (data planes first), then what the data planes added or
    removed mean; one cluster's is :func:`review_lines` alone."""
    if not reviewed.clusters:
        return review_lines(reviewed.review) + list(reviewed.notes)
    lines: list[str] = []
    for cluster in reviewed.clusters:
        lines.append(f"== {cluster.title} ==")
        lines += review_lines(cluster.review)
    return lines + (["== data planes added / removed ==", *reviewed.notes] if reviewed.notes else [])


def _load(answers: Path, helm_bin: str) -> tuple[InstallPlan, Helm] | str:
    """The validated plan and the helm of its release (:func:`~flyte_tui.release.release_helm`, as every face
    builds it), or an error message (problems go to stderr)."""
    result = validate_file(answers)
    for problem in result.problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    if not result.ok or result.plan is None:
        return f"{answers}: {len(result.errors)} error(s)"
    t = result.plan.target
    return result.plan, release_helm(helm_bin, t.context, t.namespace)


def run_diff(answers: Path, *, as_json: bool, helm: str = "helm", out: TextIO = sys.stdout) -> int:
    """``flyte-tui diff``: 0 no changes, 2 changes, 1 error (helm-diff's --detailed-exitcode), 130 cancelled."""
    loaded = _load(answers, helm)
    if isinstance(loaded, str):
        print(f"error: {loaded}", file=sys.stderr)
        return exit_codes.FAILED
    plan, adapter = loaded
    with _cancel_on_signals(adapter.cancel):  # the propeller hash as the upgrade would settle it (none applied)
        result = guarded(
            lambda: review_upgrade(settle_for_install(plan, cancel=adapter.cancel).plan, adapter),
            "cancelled",
            "error: ",
        )
    if isinstance(result, Exit):
        return result.code
    if as_json:
        print(json.dumps(result.to_json(), indent=2, default=str), file=out)
    else:
        for line in reviewed_lines(result):
            print(line, file=out)
    return exit_codes.CHANGES if result.has_changes else exit_codes.OK


def run_upgrade(answers: Path, flags: InstallFlags, out: TextIO = sys.stdout) -> int:
    """``flyte-tui upgrade``: review, then apply with rollback on failure; 0 ready, 1 failed, 2 invalid, 130
    cancelled.

    A release stuck in pending-* is explained with its recovery and what the recovery changes; with
    ``flags.recover`` the recovery runs first. The steps are :func:`flyte_tui.upgrade.upgrade_until_review`'s.
    """
    loaded = _load(answers, flags.helm)
    if isinstance(loaded, str):
        print(f"error: {loaded}", file=sys.stderr)
        return exit_codes.INVALID
    plan, adapter = loaded
    return _upgrade(answers, plan, adapter, flags, out)


def _upgrade(
    answers: Path,
    plan: InstallPlan,
    adapter: Helm,
    flags: InstallFlags,
    out: TextIO,
    found: LiveRelease | StuckRelease | None = None,
) -> int:
    """The upgrade sequence up to the review (the live release as ``found`` when it is known already), then the
    install of the reviewed releases, with rollback on failure unless the flags turn it off."""
    fitted = fit_for_install(plan, flags.kubectl)  # as install did: the review shows what is applied
    if fitted.note:
        print(f"note: {fitted.note}", file=sys.stderr if flags.as_json else out, flush=True)
    plan = fitted.plan
    from flyte_tui.cli.early_end import Stop, helm_message

    known = known_secrets(os.environ)

    def say(*lines: str) -> None:
        """Human lines, every secret the environment gives masked; on stderr with --json, so that stdout stays
        one JSON event per line."""
        for line in lines:
            print(mask_values(line, known), file=sys.stderr if flags.as_json else out)

    stop = Stop(flags.as_json, out)
    reviewed: Reviewed | None = None
    with _cancel_on_signals(adapter.cancel):
        try:  # the propeller secret before the review: it shows the values the upgrade applies
            settled = settle_for_install(plan, flags.kubectl, adapter.cancel)
        except (ValueError, ProcessError) as exc:
            return stop(str(exc) or "cancelled", "unchanged", failure_code(exc))
        plan = settled.plan
        try:
            for step in upgrade_until_review(plan, adapter, flags.recover, found):
                if isinstance(step, NoRelease):
                    first = f"{step.message}; use `flyte-tui install` for a first install"
                    return stop(first, "not installed", exit_codes.INVALID)
                if isinstance(step, FixDone):
                    if not step.ok:
                        return stop(f"recovery failed: {step.error}", "unknown", exit_codes.FAILED)
                    say(f"recovered: release {plan.target.release} {step.fix.outcome}")
                elif isinstance(step, Reviewed):
                    reviewed = step
                    say(*reviewed_lines(step))
                else:
                    say(*step.lines())
                    if isinstance(step, StuckRelease):
                        say(*step.fix_lines())
                        if not flags.recover:
                            message = f"release {step.info.name} is {step.info.status}: run again with --recover"
                            return stop(message, step.info.status, exit_codes.FAILED)
        except Cancelled:
            return stop("cancelled: the upgrade did not start", "unchanged", exit_codes.CANCELLED)
        except HelmError as exc:
            return stop(helm_message(exc), "unknown", exit_codes.FAILED)
        except (ProcessError, ValueError) as exc:
            return stop(str(exc), "unknown", exit_codes.FAILED)
    rollback = flags.rollback if flags.rollback is not None else True  # an existing release: back on failure
    return _install(answers, plan, dataclasses.replace(flags, rollback=rollback), out, reviewed, settled)
