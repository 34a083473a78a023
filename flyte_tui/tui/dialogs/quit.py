"""Asked when quitting with unsaved changes: save, discard, or stay."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from flyte_tui.tui.dialogs.choice import Choice, ChoiceDialog
from flyte_tui.tui.styles import FORMS_CSS

QuitChoice = Literal["save", "discard", "cancel"]


class ConfirmQuit(ChoiceDialog[QuitChoice]):
    """Save the answers (and the values, when valid) before quitting? Dismisses with the choice."""

    CSS_PATH = FORMS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escape", "Stay")]

    def __init__(self) -> None:
        super().__init__(
            [
                Choice("save", "Save and quit", "save", "primary"),
                Choice("discard", "Quit without saving", "discard", "error"),
                Choice("cancel", "Stay", "cancel"),
            ],
            focus="cancel",
            escape="cancel",
        )

    def compose_body(self) -> ComposeResult:
        yield Static("You have unsaved changes.", classes="dialog-title")
        yield Static("Save the answers (and the values, when valid) before quitting?")
