"""Asked before cancelling a running install."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from flyte_tui.tui.dialogs.choice import Choice, ChoiceDialog


class ConfirmCancel(ChoiceDialog[bool]):
    """Cancel the install? Dismisses with True to cancel it."""

    DEFAULT_CSS = """
    ConfirmCancel { align: center middle; }
    ConfirmCancel > Vertical { width: 64; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    ConfirmCancel Horizontal { height: auto; margin-top: 1; }
    ConfirmCancel Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escape", "Keep going")]
    FRAME_CLASSES = None
    BUTTON_ROW_CLASSES = None

    def __init__(self) -> None:
        super().__init__(
            [Choice("yes", "Cancel the install", True, "error"), Choice("no", "Keep going", False, "primary")],
            focus="no",
            escape=False,
        )

    def compose_body(self) -> ComposeResult:
        yield Static("Cancel the install?", markup=False)
        yield Static("flyte-tui stops helm and kubectl and tells you what state the release is left in.", markup=False)
