"""The doctor screen: every check's pass / warn / fail as it finishes, a detail pane with the evidence and
the fix commands (copyable), re-run, filter to problems, and a support-bundle button.

Open it with ``app.push_screen(DoctorScreen(DoctorTarget(namespace=…, release=…, context=…)))``; it dismisses
with the :class:`~flyte_tui.doctor.Report` of the last run (None when closed before one finished).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Static
from textual.worker import get_current_worker

from flyte_tui.doctor import DoctorTarget, Finding, Report, Snapshot, all_checks, gather, run_checks
from flyte_tui.tui.screens.base import WorkScreen
from flyte_tui.tui.screens.screen_keys import ScreenKey, bindings, buttons

Gather = Callable[[DoctorTarget, threading.Event], Snapshot]

MARKS = {
    "pass": ("✓ pass", "green"),
    "warn": ("! warn", "yellow"),
    "fail": ("✗ fail", "red"),
    "skip": ("- skip", "dim"),
}
PENDING = Text("… ", style="dim")


def finding_detail(finding: Finding) -> str:
    """The detail pane's text for one finding."""
    lines = [f"{finding.title}  [{finding.id}]", "", finding.summary]
    if finding.looked_at:
        lines += ["", "Looked at:", *(f"  {item}" for item in finding.looked_at)]
    if finding.evidence:
        lines += ["", "Evidence:", *(f"  {line}" for line in finding.evidence)]
    if finding.fix:
        lines += ["", f"Fix: {finding.fix}"]
    if finding.answer:
        lines += [f"Answer to change: {finding.answer}"]
    if finding.commands:
        lines += ["", "Commands (c copies them):", *(f"  $ {cmd}" for cmd in finding.commands)]
    return "\n".join(lines)


class DoctorScreen(WorkScreen[Report | None]):
    """What is wrong with a Flyte install, check by check."""

    DEFAULT_CSS = """
    DoctorScreen #doctor-title { text-style: bold; padding: 0 1; }
    DoctorScreen #doctor-status { color: $text-muted; padding: 0 1; }
    DoctorScreen #doctor-body { height: 1fr; }
    DoctorScreen #checks { height: 35%; min-height: 5; }
    DoctorScreen #doctor-side { height: 1fr; border-top: solid $primary; }
    DoctorScreen #doctor-detail-scroll { height: 1fr; padding: 0 1; }
    DoctorScreen .buttons { height: auto; }
    DoctorScreen .buttons Button { margin-right: 1; }
    """

    KEYS = (
        ScreenKey("r", "rerun", "Re-run", button="rerun"),
        ScreenKey("p", "toggle_problems", "Problems only", button="problems"),
        ScreenKey("c", "copy_commands", "Copy commands", button="copy"),
        ScreenKey("b", "bundle", "Support bundle", button="bundle"),
        ScreenKey("escape", "close", "Back"),
    )
    """The keys, and the buttons that do the same (the footer's order)."""
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    @dataclass
    class FindingReady(Message):
        """One check finished (posted from the worker thread)."""

        run: int
        finding: Finding

    @dataclass
    class Finished(Message):
        """Every check finished."""

        run: int
        report: Report

    @dataclass
    class Broken(Message):
        """The doctor itself could not run."""

        run: int
        error: str

    def __init__(self, target: DoctorTarget, gather_fn: Gather = gather, bundle_dir: Path | None = None) -> None:
        super().__init__()
        self.target = target
        self.gather_fn = gather_fn
        self.bundle_dir = bundle_dir or Path.cwd()
        self.findings: dict[str, Finding] = {}
        self.report: Report | None = None
        self.problems_only = False
        self._run = 0
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        where = f"release {self.target.release} in namespace {self.target.namespace}"
        context = f" ({self.target.context})" if self.target.context else ""
        yield Static(f"Doctor — {where}{context}", id="doctor-title", markup=False)
        yield Static("Reading the cluster…", id="doctor-status", markup=False)
        with Vertical(id="doctor-body"):
            yield DataTable(id="checks", cursor_type="row", zebra_stripes=False)
            with Vertical(id="doctor-side"):
                with VerticalScroll(id="doctor-detail-scroll"):
                    yield Static("Select a check to see what it looked at, what it saw and the fix.",
                                 id="doctor-detail", markup=False)  # fmt: skip
                with Horizontal(classes="buttons"):
                    yield from buttons(self.KEYS)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#checks", DataTable)
        table.add_column("state", key="state", width=7)
        table.add_column("check", key="check", width=26)
        table.add_column("finding", key="finding")
        self.action_rerun()

    # -- running -----------------------------------------------------------------------------------

    def action_rerun(self) -> None:
        """Start (again): every row back to pending, then the worker."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._run += 1
        self.findings = {}
        self.report = None
        self.query_one("#doctor-status", Static).update("Reading the cluster…")
        self._fill_table()
        self._doctor(self._run, self._cancel)

    @work(thread=True, exclusive=True, group="doctor", exit_on_error=False)
    def _doctor(self, run: int, cancel: threading.Event) -> None:
        try:
            snap = self.gather_fn(self.target, cancel)
        except Exception as exc:
            self.post_message(self.Broken(run, f"{type(exc).__name__}: {exc}"))
            return
        found = []
        for finding in run_checks(snap):
            if get_current_worker().is_cancelled or cancel.is_set():
                return
            found.append(finding)
            self.post_message(self.FindingReady(run, finding))
        order = {c.id: i for i, c in enumerate(all_checks())}
        self.post_message(self.Finished(run, Report(snap, sorted(found, key=lambda f: order.get(f.id, 0)))))

    @on(FindingReady)
    def _finding_ready(self, message: FindingReady) -> None:
        if message.run != self._run:
            return
        self.findings[message.finding.id] = message.finding
        self._show_row(message.finding)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        if message.run != self._run:
            return
        self.report = message.report
        r = message.report
        self.findings.update({f.id: f for f in r.findings})
        snap = r.snapshot
        self.query_one("#doctor-status", Static).update(
            f"{r.count('fail')} failed, {r.count('warn')} warnings, {r.count('pass')} passed, "
            f"{r.count('skip')} skipped — {snap.processes} kubectl/helm calls"
        )
        self._fill_table()
        self._go_to_first_problem()
        self._show_detail()

    def _go_to_first_problem(self) -> None:
        """Put the cursor on the first failing check (else the first warning): what the user came for."""
        table = self.query_one("#checks", DataTable)
        for severity in ("fail", "warn"):
            first = next((i for i, key in enumerate(table.rows) if self._severity(key.value) == severity), None)
            if first is not None:
                table.move_cursor(row=first)
                return

    def _severity(self, check_id: str | None) -> str:
        finding = self.findings.get(check_id or "")
        return finding.severity if finding is not None else ""

    @on(Broken)
    def _broken(self, message: Broken) -> None:
        if message.run == self._run:
            self.query_one("#doctor-status", Static).update(f"The doctor could not run: {message.error}")

    # -- the table and the detail ----------------------------------------------------------------------

    def _visible(self, finding: Finding | None) -> bool:
        return not self.problems_only or (finding is not None and finding.severity in ("warn", "fail"))

    def _fill_table(self) -> None:
        table = self.query_one("#checks", DataTable)
        table.clear()
        for item in all_checks():
            finding = self.findings.get(item.id)
            if self.report is not None and not self._visible(finding):
                continue
            if finding is None:
                table.add_row(PENDING, item.id, Text(item.title, style="dim"), key=item.id)
            else:
                table.add_row(*self._cells(finding), key=item.id)

    @staticmethod
    def _cells(finding: Finding) -> tuple[Text, str, str]:
        label, style = MARKS[finding.severity]
        return Text(label, style=style), finding.id, finding.summary

    def _show_row(self, finding: Finding) -> None:
        table = self.query_one("#checks", DataTable)
        if finding.id not in table.rows:
            return
        state, _check, summary = self._cells(finding)
        table.update_cell(finding.id, "state", state)
        table.update_cell(finding.id, "finding", summary)
        if table.cursor_row >= 0 and self._current_id() == finding.id:
            self._show_detail()

    def _current_id(self) -> str | None:
        table = self.query_one("#checks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(DataTable.RowHighlighted, "#checks")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        check_id = self._current_id()
        finding = self.findings.get(check_id or "")
        text = finding_detail(finding) if finding else "Still running…" if check_id else "No problems."
        self.query_one("#doctor-detail", Static).update(text)

    # -- actions -----------------------------------------------------------------------------------------

    def action_toggle_problems(self) -> None:
        """Show only the checks that warn or fail (again: show all)."""
        self.problems_only = not self.problems_only
        self.query_one("#problems", Button).label = "Show all" if self.problems_only else "Problems only"
        self._fill_table()
        self._show_detail()

    def action_copy_commands(self) -> None:
        """Copy the selected finding's commands to the clipboard."""
        finding = self.findings.get(self._current_id() or "")
        if finding is None or not finding.commands:
            self.notify("This check has no commands to copy.", severity="warning")
            return
        self.app.copy_to_clipboard("\n".join(finding.commands))
        self.notify(f"Copied {len(finding.commands)} command(s).")

    def action_bundle(self) -> None:
        """Write a redacted support bundle beside the working directory."""
        self.notify("Writing the support bundle…")
        self._write_bundle(self.bundle_dir / f"flyte-support-{self.target.namespace}.tar.gz")

    @work(thread=True, exclusive=True, group="bundle", exit_on_error=False)
    def _write_bundle(self, path: Path) -> None:
        from flyte_tui.doctor.bundle import write_bundle

        try:
            written = write_bundle(self.target, path)
        except Exception as exc:
            self.app.call_from_thread(self.notify, f"No bundle: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Support bundle written (secrets redacted): {written.path}")

    def action_close(self) -> None:
        """Back to where the doctor was opened from."""
        self._cancel.set()
        self.dismiss(self.report)
