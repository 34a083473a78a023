"""Saving and quitting in the wizard: the autosave after each edit, Ctrl+S (answers always, values when
valid), and quitting (asking first when something is unsaved, never with an install still running).
What is written and how is :mod:`flyte_tui.tui.wizard_files`; this reports it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from flyte_tui.tui.screens.base import StepScreen

if TYPE_CHECKING:
    from flyte_tui.files.autosave import Autosave
    from flyte_tui.tui.dialogs.quit import QuitChoice
    from flyte_tui.tui.state import WizardState


class Saving(App[None]):
    """The app's autosave, save and quit."""

    state: WizardState
    autosave: Autosave
    _autosave_failed: bool = False

    def _autosave(self) -> None:
        if not (self.state.started and self.state.dirty):
            return
        try:
            self.autosave.save(self.state.raw)
        except OSError as exc:
            if not self._autosave_failed:  # say it once, keep working
                self._autosave_failed = True
                self.notify(f"Autosave to {self.autosave.path} failed: {exc}", severity="warning")

    def action_save(self, values: bool = True) -> bool:
        """Save the answers (always) and the values (when the answers are valid and ``values``: Save and install
        writes them once the propeller secret is settled); both atomic, with .bak. Whether it saved."""
        from flyte_tui.tui.wizard_files import save

        if not self.state.started:
            self.notify("Choose how to start first.", severity="warning")
            return False
        try:
            saved = save(self.state, values)
        except OSError as exc:
            self.notify(f"Saving failed: {exc}", severity="error")
            return False
        self.autosave.clear()
        message, title, severity = saved.note()
        self.notify(message, title=title, severity=severity)
        if isinstance(self.screen, StepScreen):
            self.screen.refresh_problems()
        return True

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit; with unsaved changes, ask first. A running install is cancelled (after asking) first, so
        quitting never leaves helm or kubectl running with nobody watching."""
        from flyte_tui.tui.screens.runner import RunnerScreen

        running = next((s for s in self.screen_stack if isinstance(s, RunnerScreen) and s.finished is None), None)
        if running is not None:
            self.notify("An install is running: cancel it first, then quit.", severity="warning")
            if self.screen is running:
                running.action_cancel()
        elif self.state.started and self.state.dirty:
            from flyte_tui.tui.dialogs.quit import ConfirmQuit

            self.push_screen(ConfirmQuit(), self._quit_chosen)
        else:
            self.autosave.clear() if self.state.started else None
            self.exit()

    def _quit_chosen(self, choice: QuitChoice | None) -> None:
        if choice == "save":
            self.action_save()
            if not self.state.dirty:
                self.exit()
        elif choice == "discard":
            self.autosave.clear()
            self.exit()
