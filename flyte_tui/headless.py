"""The headless face of the install pipeline: plain lines or JSON events on stdout, an exit code."""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

from flyte_tui.events import (
    ComponentsChanged,
    Event,
    InstallFinished,
    OutputLine,
    StepFailed,
    StepFinished,
    StepStarted,
    to_json,
)
from flyte_tui.install import Installer, InstallOptions
from flyte_tui.model import validate_file
from flyte_tui.secrets import SecretValues

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def plain(event: Event) -> list[str]:
    """An event as plain lines (ANSI stripped)."""
    if isinstance(event, StepStarted):
        return [f"==> {event.title}"]
    if isinstance(event, OutputLine):
        return [f"    {ANSI.sub('', event.text)}"]
    if isinstance(event, StepFinished):
        return [f"    ok ({event.elapsed:.1f}s)" + (f": {event.detail}" if event.detail else "")]
    if isinstance(event, ComponentsChanged):
        return ["    " + ", ".join(f"{c.summary}" for c in event.components)]
    if isinstance(event, StepFailed):
        lines = [f"FAILED: {event.message}"]
        exp = event.explanation
        if exp is not None:
            if exp.object:
                lines.append(
                    f"  blocking object: {exp.object}" + (f" (container {exp.container})" if exp.container else "")
                )
            if exp.cause:
                lines.append(f"  likely cause: {exp.cause}")
            if exp.fix:
                lines.append(f"  fix: {exp.fix}")
            if exp.answer:
                lines.append(f"  answer to change: {exp.answer}")
            lines += [f"  event: {e}" for e in exp.events]
            lines += [f"  log: {ln}" for ln in exp.log_tail]
        return lines
    if isinstance(event, InstallFinished):
        head = "Flyte is ready." if event.ok else "Install did not finish."
        return [head, *[f"  {line}" for line in event.summary]]
    return []  # pragma: no cover


def run_install(
    answers: Path,
    *,
    yes: bool,
    timeout: float,
    as_json: bool,
    values_out: Path | None,
    password_file: Path | None,
    rollback: bool,
    helm: str = "helm",
    kubectl: str = "kubectl",
    out: TextIO = sys.stdout,
) -> int:
    """Validate, confirm, install; print events; return the exit code (0 ok, 1 failed, 2 invalid)."""
    result = validate_file(answers)
    for problem in result.problems:
        print(f"{problem.severity}: {problem}", file=sys.stderr)
    if not result.ok or result.plan is None:
        print(f"{answers}: {len(result.errors)} error(s); nothing installed", file=sys.stderr)
        return 2
    if not yes:
        if not sys.stdin.isatty():
            print("refusing to install without --yes when not on a terminal", file=sys.stderr)
            return 2
        t = result.plan.target
        reply = input(f"Install release {t.release} into namespace {t.namespace}? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("nothing installed", file=sys.stderr)
            return 2
    try:
        secrets = SecretValues.from_environment(password_file)
    except OSError as exc:
        print(f"cannot read the password file: {exc.strerror or exc}", file=sys.stderr)
        return 2
    options = InstallOptions(
        values_path=values_out or answers.with_name("values.yaml"),
        helm=helm,
        kubectl=kubectl,
        timeout=timeout,
        rollback_on_failure=rollback,
        secrets=secrets,
        source=answers.name,
    )
    cancel = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_signal)
    previous_term = signal.signal(signal.SIGTERM, on_signal)
    ok = False
    try:
        for event in Installer(result.plan, options, cancel).run():
            if as_json:
                print(json.dumps(to_json(event)), file=out, flush=True)
            else:
                for line in plain(event):
                    print(line, file=out, flush=True)
            if isinstance(event, InstallFinished):
                ok = event.ok
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
    return 0 if ok else 1
