"""The runner screen: the install pipeline's steps, its live log, the component readiness table, and,
when something breaks, a failure panel (scrollable, focused) that names the object, the cause and the answer
to change. Every event also goes to the run's log file as plain lines (:mod:`flyte_tui.tui.install_log`).

Open it with ``app.push_screen(RunnerScreen(plan, options))``; it dismisses with a :class:`RunnerResult`
(the final event, and the answers path the user chose to go back to, if any). The work runs in a thread
worker over the Textual-free :class:`~flyte_tui.install.Installer`; it talks to the screen only through
messages, and fast output is batched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Static

from flyte_tui.events import (
    ComponentsChanged,
    Event,
    Explanation,
    InstallFinished,
    OutputLine,
    StepFailed,
    StepFinished,
    StepStarted,
    masked,
)
from flyte_tui.install import Installer, InstallOptions, install_steps
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tui.dialogs.cancel import ConfirmCancel
from flyte_tui.tui.install_log import InstallLog
from flyte_tui.tui.screens.base import WorkScreen
from flyte_tui.tui.widgets.live_log import LiveLog, styled

if TYPE_CHECKING:
    from flyte_tui.charts import PlannedRelease

RunFactory = Callable[[InstallPlan, InstallOptions, threading.Event], Iterator[Event]]
CoreEvents = Callable[[threading.Event], Iterator[Event]]
"""Another core's run (an uninstall's, a migration's), given only the cancel flag."""
Steps = Iterable[tuple[str, str]]
"""(step, title) in order."""
LOG_LINES = 2000
"""Lines kept on screen; the whole log is in the log file."""
FLUSH_SECONDS = 0.05
"""Output lines are sent to the screen in batches at most this often."""

NARROW = 110
"""Below this many columns the steps panel shows short labels, so the readiness table fits whole."""
SHORT_TITLES = {"preflight": "Preflight", "repo": "Chart repo", "namespace": "Namespace", "secrets": "Secrets",
                "dependencies": "Deps", "helm": "helm", "readiness": "Readiness",
                "rollback": "Rollback"}  # fmt: skip
"""The steps' labels in a narrow terminal (at most 10 characters)."""
STATE_MARKS = {"ready": ("✓", "green"), "progressing": ("…", "yellow"), "waiting": ("·", "dim"), "failed": ("✗", "red")}


def _default_run(
    plan: InstallPlan,
    options: InstallOptions,
    cancel: threading.Event,
    releases: Sequence[PlannedRelease] | None = None,
) -> Iterator[Event]:
    return Installer(plan, options, cancel, releases).run()


@dataclass(frozen=True)
class RunnerResult:
    """How the runner ended."""

    finished: InstallFinished | None
    change_answer: str | None = None
    """The answers path the user wants to fix (from the failure panel)."""
    open_doctor: bool = False


def explanation_text(message: str, explanation: Explanation | None) -> str:
    """The failure panel's text."""
    return "\n".join([message, *(explanation.lines() if explanation is not None else [])])


def steps_text(
    titles: dict[str, str], states: dict[str, tuple[str, str]], narrow: bool, short_label: Callable[[str], str]
) -> Text:
    """The steps panel: each step's mark, its title (in a narrow terminal its short label, at most 10
    characters) and its elapsed time."""
    text = Text()
    for step, title in titles.items():
        mark, elapsed = states.get(step, ("·", ""))
        text.append(f" {mark} ", style={"✓": "green", "✗": "red", "▶": "yellow"}.get(mark, "dim"))
        text.append(f"{short_label(step)[:10]:<10}" if narrow else f"{title:<30}")
        text.append(f"{elapsed:>{6 if narrow else 7}}\n", style="dim")
    return text


def write_end(log: LiveLog, head: str, event: InstallFinished, log_path: Path, log_error: str | None) -> None:
    """A run's end in the live log: the head line, the summary, and where the full log is (or why it is not)."""
    log.write_line(styled(head, "bold green" if event.ok else "bold red"))
    log.write_lines(f"  {line}" for line in event.summary)
    if log_error is None:
        log.write_line(styled(f"  full log: {log_path}", "dim"))
    else:
        log.write_line(styled(f"  {log_error}", "yellow"))


class RunnerScreen(WorkScreen[RunnerResult]):
    """Install (or upgrade) Flyte and watch it come up."""

    DEFAULT_CSS = """
    RunnerScreen #runner-title { text-style: bold; padding: 0 1; }
    RunnerScreen #runner-status { color: $text-muted; padding: 0 1; }
    RunnerScreen #runner-top { height: 10; }
    RunnerScreen #runner-steps { width: 44; border: round $primary; }
    RunnerScreen.-narrow #runner-steps { width: 21; }
    RunnerScreen #runner-components { border: round $primary; }
    RunnerScreen #runner-log { height: 1fr; min-height: 3; border: round $primary-darken-2; }
    RunnerScreen #runner-failure { display: none; height: 2fr; border: thick $error; padding: 0 1; }
    RunnerScreen #runner-failure:focus { border: thick $error-lighten-2; }
    RunnerScreen #runner-failure.shown { display: block; }
    RunnerScreen #runner-failure-buttons { height: auto; margin-top: 1; }
    RunnerScreen #runner-failure-buttons Button { margin-right: 1; }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]  # noqa: RUF012 (typed by Screen)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+c", "cancel", "Cancel / close", priority=True),
        Binding("d", "doctor", "Doctor", show=False),
    ]

    @dataclass
    class Batch(Message):
        """Events from the worker, in order (output lines are batched)."""

        events: list[Event]

    def __init__(
        self,
        plan: InstallPlan,
        options: InstallOptions,
        run: RunFactory | None = None,
        log_path: Path | None = None,
        releases: Sequence[PlannedRelease] | None = None,
        upgrade: bool = False,
    ) -> None:
        """``releases``: the plan's releases when already rendered (an upgrade's review), so the installer
        does not render them again. ``upgrade``: the run upgrades a deployed release (the title says so)."""
        super().__init__()
        self.plan = plan
        self.options = options
        self.upgrade = upgrade
        self.run_factory: RunFactory = run if run is not None else partial(_default_run, releases=releases)
        self.log_path = log_path or options.values_path.with_name("flyte-tui-install.log")
        """This run's log (the previous run's is kept under a numbered name, see :mod:`flyte_tui.tui.install_log`)."""
        self.install_log = InstallLog(self.log_path)
        self.cancel_event = threading.Event()
        self.finished: InstallFinished | None = None
        self.failure: StepFailed | None = None
        steps = install_steps(plan)  # a sandbox's dependencies step among them, in its place
        self.step_state: dict[str, tuple[str, str]] = {s: ("·", "") for s, _ in steps}
        self.step_titles = dict(steps)
        self.step_started: dict[str, float] = {}
        self.lines_seen = 0

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="runner-title", markup=False)
        yield Static("Starting…", id="runner-status", markup=False)
        with Horizontal(id="runner-top"):
            yield Static(self._steps_text(), id="runner-steps")
            yield DataTable(id="runner-components", cursor_type="none", zebra_stripes=False)
        with VerticalScroll(id="runner-failure"):
            yield Static("", id="runner-failure-text", markup=False)
            with Horizontal(id="runner-failure-buttons"):
                yield Button("Change the answer", id="change-answer", variant="primary", compact=True)
                yield Button("Open the doctor", id="open-doctor", compact=True)
                yield Button("Close", id="close", compact=True)
        yield LiveLog(id="runner-log", max_lines=LOG_LINES)
        yield Footer()

    def title_text(self) -> str:
        """The title: what runs (an install or an upgrade), on which release, namespace and context."""
        t = self.plan.target
        verb = "Upgrading" if self.upgrade else "Installing"
        where = f"release {t.release} in namespace {t.namespace}" + (f" ({t.context})" if t.context else "")
        return f"{verb} Flyte: {where}"

    def on_mount(self) -> None:
        table = self.query_one("#runner-components", DataTable)
        # widths follow the content (names and statuses whole); at 80 columns the four fit beside the steps
        for label in ("component", "ready", "status", "restarts"):
            table.add_column(label, key=label)
        self._install()

    def on_unmount(self) -> None:
        # However the screen goes (the app closing included), an unfinished install stops its processes.
        if self.finished is None:
            self.cancel_event.set()

    def on_resize(self) -> None:
        """The steps' labels follow the width (short below :data:`NARROW` columns)."""
        self.query_one("#runner-steps", Static).update(self._steps_text())

    # -- the worker --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="install", exit_on_error=False)
    def _install(self) -> None:
        pending: list[Event] = []
        last_flush = time.monotonic()
        self.install_log.open(self.title_text())
        try:
            for event in self.run_factory(self.plan, self.options, self.cancel_event):
                self.install_log.write(event)
                pending.append(event)
                now = time.monotonic()
                if not isinstance(event, OutputLine) or now - last_flush >= FLUSH_SECONDS:
                    self.post_message(self.Batch(pending))
                    pending, last_flush = [], now
        except Exception as exc:  # the core reports failures as events; this is a bug, shown, not raised
            secrets = self.options.secrets.all()
            for event in (
                masked(StepFailed("runner", f"internal error: {type(exc).__name__}: {exc}"), secrets),
                InstallFinished(False, "unknown", 0.0),
            ):
                self.install_log.write(event)
                pending.append(event)
        finally:
            if pending:
                self.post_message(self.Batch(pending))
            self.install_log.close()

    # -- showing events ------------------------------------------------------------------------------

    @on(Batch)
    def _batch(self, message: Batch) -> None:
        log = self.query_one("#runner-log", LiveLog)
        steps_changed = False
        output: list[str] = []

        def flush() -> None:
            # one write per run of lines; the log draws only what is on screen
            if output:
                log.write_lines(output[-LOG_LINES:])
                output.clear()

        for event in message.events:
            if isinstance(event, OutputLine):
                output.append(event.text)
                self.lines_seen += 1
                continue
            flush()
            if isinstance(event, StepStarted):
                self.step_titles.setdefault(event.step, event.title)
                self.step_state[event.step] = ("▶", "")
                self.step_started[event.step] = time.monotonic()
                self.query_one("#runner-status", Static).update(event.title + "…")
                log.write_line(styled(f"==> {event.title}", "bold"))
                steps_changed = True
            elif isinstance(event, StepFinished):
                self.step_state[event.step] = ("✓", f"{event.elapsed:.1f}s")
                steps_changed = True
            elif isinstance(event, StepFailed):
                self.step_state[event.step] = ("✗", "")
                self.failure = event
                self._show_failure(event)
                steps_changed = True
            elif isinstance(event, ComponentsChanged):
                self._show_components(event)
            elif isinstance(event, InstallFinished):
                self.finished = event
                self._show_finished(event)
        flush()
        if steps_changed:
            self.query_one("#runner-steps", Static).update(self._steps_text())

    def _steps_text(self) -> Text:
        narrow = self.is_mounted and self.size.width < NARROW
        return steps_text(self.step_titles, self.step_state, narrow, lambda step: SHORT_TITLES.get(step, step))

    def _show_components(self, event: ComponentsChanged) -> None:
        table = self.query_one("#runner-components", DataTable)
        for status in event.components:
            mark, style = STATE_MARKS[status.state]
            want = status.desired if status.desired is not None else "?"
            row = (
                Text(f"{mark} {status.name}", style=style),
                f"{status.ready}/{want}",
                status.status,
                str(status.restarts),
            )
            if status.name in table.rows:
                for column, value in zip(("component", "ready", "status", "restarts"), row, strict=True):
                    table.update_cell(status.name, column, value, update_width=True)
            else:
                table.add_row(*row, key=status.name)

    def _show_failure(self, event: StepFailed) -> None:
        panel = self.query_one("#runner-failure")
        self.query_one("#runner-failure-text", Static).update(explanation_text(event.message, event.explanation))
        self.query_one("#change-answer", Button).display = bool(event.explanation and event.explanation.answer)
        panel.add_class("shown")
        # the panel scrolls (arrows, Page Up/Down) and Tab reaches its buttons, whatever the screen's height
        panel.scroll_home(animate=False)
        panel.focus()

    def _show_finished(self, event: InstallFinished) -> None:
        log = self.query_one("#runner-log", LiveLog)
        head = "Flyte is ready." if event.ok else "The install did not finish."
        write_end(log, head, event, self.log_path, self.install_log.error)
        self.call_after_refresh(log.scroll_end, animate=False)  # the failure panel shrank the log: keep its end
        status = f"{head} Release state: {event.release_state}. ({event.elapsed:.1f}s) Esc closes."
        self.query_one("#runner-status", Static).update(status)
        if self.failure is None:
            self.query_one("#runner-failure").remove_class("shown")

    # -- actions ----------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Cancel a running install (after asking), or close a finished one."""
        if self.finished is not None:
            self.dismiss(RunnerResult(self.finished))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.cancel_event.set()
                self.query_one("#runner-status", Static).update("Cancelling: stopping helm and kubectl…")

        self.app.push_screen(ConfirmCancel(), answered)

    def action_doctor(self) -> None:
        """Leave for the doctor (once the run is over)."""
        if self.finished is not None:
            self.dismiss(RunnerResult(self.finished, open_doctor=True))

    @on(Button.Pressed, "#change-answer")
    def _change_answer(self) -> None:
        answer = self.failure.explanation.answer if self.failure and self.failure.explanation else None
        if self.finished is not None:
            self.dismiss(RunnerResult(self.finished, change_answer=answer))

    @on(Button.Pressed, "#open-doctor")
    def _open_doctor(self) -> None:
        self.action_doctor()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        if self.finished is not None:
            self.dismiss(RunnerResult(self.finished))


class CoreRunner(RunnerScreen):
    """The runner fed with another core's events (an uninstall's, a migration's) instead of the installer's,
    that core's steps listed from the start. The plan and install options say where it runs, which secrets
    to mask and where the log goes."""

    def __init__(self, plan: InstallPlan, options: InstallOptions, events: CoreEvents, steps: Steps, log: Path) -> None:
        super().__init__(plan, options, run=lambda _plan, _options, cancel: events(cancel), log_path=log)
        self.step_titles = dict(steps)
        self.step_state = {step: ("·", "") for step in self.step_titles}
