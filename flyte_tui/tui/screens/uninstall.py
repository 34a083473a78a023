"""The uninstall preview: what an uninstall removes and keeps, read from the cluster (off the UI thread), a
purge switch, and Uninstall → a confirm dialog showing the same preview → the runner
(:class:`~flyte_tui.tui.screens.uninstall_run.UninstallRunner`).

Open it with ``app.push_screen(UninstallScreen(target, options))``; it dismisses with True when an uninstall
ran (the release is then looked for again), False when the user went back.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Footer, Static

from flyte_tui.tui.dialogs.choice import Choice
from flyte_tui.tui.dialogs.confirm import ConfirmDialog
from flyte_tui.tui.screens.base import WorkScreen
from flyte_tui.tui.screens.uninstall_run import UninstallRun, UninstallRunner
from flyte_tui.uninstall import Preview, UninstallOptions, UninstallTarget, read_preview

PreviewRead = Callable[[UninstallTarget, UninstallOptions, threading.Event], Preview]
"""How the preview is read (:func:`~flyte_tui.uninstall.read_preview`)."""


def where(target: UninstallTarget) -> str:
    """``release flyte in namespace flyte (kind-dev)``."""
    names = " and ".join(target.releases) or "?"
    return f"release {names} in namespace {target.namespace}" + (f" ({target.context})" if target.context else "")


class ConfirmUninstall(ConfirmDialog):
    """Uninstall? The preview once more, above the buttons; the safe choice has the focus."""

    DEFAULT_CSS = """
    ConfirmUninstall { align: center middle; }
    ConfirmUninstall > Vertical { width: 90%; max-width: 110; height: auto; max-height: 90%;
                                  border: thick $error; padding: 1 2; background: $surface; }
    ConfirmUninstall #confirm-preview { height: auto; max-height: 20; }
    ConfirmUninstall Horizontal { height: auto; margin-top: 1; }
    ConfirmUninstall Button { margin-right: 2; }
    """
    FRAME_CLASSES = None
    BUTTON_ROW_CLASSES = None

    def __init__(self, lines: list[str], purge: bool) -> None:
        label = "Uninstall and purge" if purge else "Uninstall"
        super().__init__(Choice("confirm-uninstall", label, True, "error"), Choice("keep", "Keep it", False, "primary"))
        self.lines = lines

    def compose_body(self) -> ComposeResult:
        yield Static("Uninstall? This cannot be undone.", id="confirm-question", markup=False)
        with VerticalScroll(id="confirm-preview"):
            yield Static("\n".join(self.lines), markup=False)


class UninstallScreen(WorkScreen[bool]):
    """Preview an uninstall, confirm it, run it."""

    DEFAULT_CSS = """
    UninstallScreen #uninstall-title { text-style: bold; padding: 0 1; }
    UninstallScreen #uninstall-status { color: $text-muted; padding: 0 1; }
    UninstallScreen #uninstall-preview { height: 1fr; border: round $primary; padding: 0 1; }
    UninstallScreen #uninstall-buttons { height: auto; padding: 0 1; }
    UninstallScreen #uninstall-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    @dataclass
    class Read(Message):
        """The preview was read (``preview`` None: it could not be, ``error`` says why)."""

        preview: Preview | None
        error: str = ""

    def __init__(
        self,
        target: UninstallTarget,
        options: UninstallOptions,
        *,
        log_path: Path | None = None,
        read: PreviewRead | None = None,
        run: UninstallRun | None = None,
    ) -> None:
        """``read`` and ``run`` stand in for reading the preview and for the uninstaller (tests)."""
        super().__init__()
        self.target = target
        self.options = options
        self.log_path = log_path or Path("flyte-tui-uninstall.log")
        self.read_preview: PreviewRead = read or read_preview
        self.run_factory = run
        self.cancel = threading.Event()
        self.preview: Preview | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Uninstall {where(self.target)}", id="uninstall-title", markup=False)
        yield Static("Reading what an uninstall removes and keeps…", id="uninstall-status", markup=False)
        with VerticalScroll(id="uninstall-preview"):
            yield Static("", id="uninstall-lines", markup=False)
        yield Checkbox(
            "Purge: also the FlyteWorkflow CRD (every FlyteWorkflow with it), project namespaces and PVCs",
            self.options.purge,
            id="purge",
        )
        with Horizontal(id="uninstall-buttons"):
            yield Button("Uninstall…", id="uninstall", variant="error", disabled=True, compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()
        self._read()

    def on_unmount(self) -> None:
        self.cancel.set()  # a read still running stops its helm and kubectl

    @work(thread=True, exclusive=True, group="uninstall-preview", exit_on_error=False)
    def _read(self) -> None:
        try:
            preview = self.read_preview(self.target, self.options, self.cancel)
        except Exception as exc:  # helm's, kubectl's or their output's words (ProcessError…), shown, not raised
            self.post_message(self.Read(None, str(exc)))
            return
        self.post_message(self.Read(preview))

    @on(Read)
    def _shown(self, message: Read) -> None:
        status = self.query_one("#uninstall-status", Static)
        if message.preview is None:
            status.update(f"Cannot read what to uninstall: {message.error}")
            return
        self.preview = message.preview
        self._show_lines()
        if message.preview.empty:
            status.update("Nothing to uninstall here.")
            return
        status.update("Nothing is removed until you confirm.")
        self.query_one("#uninstall", Button).disabled = False

    def _show_lines(self) -> None:
        if self.preview is not None:
            self.query_one("#uninstall-lines", Static).update("\n".join(self.preview.lines(self.options.purge)))

    @on(Checkbox.Changed, "#purge")
    def _purge(self, event: Checkbox.Changed) -> None:
        self.options = dataclasses.replace(self.options, purge=event.value)
        self._show_lines()

    @on(Button.Pressed, "#uninstall")
    def _uninstall(self) -> None:
        preview = self.preview
        if preview is None:
            return

        def ran(_result: object) -> None:
            self.dismiss(True)  # not awaited: the runner's callback runs in this screen's handler

        def answered(yes: bool | None) -> None:
            if yes:
                runner = UninstallRunner(preview, self.options, self.log_path, self.run_factory)
                self.app.push_screen(runner, ran)

        self.app.push_screen(ConfirmUninstall(preview.lines(self.options.purge), self.options.purge), answered)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Back to where the uninstall was asked for; nothing removed."""
        self.dismiss(False)
