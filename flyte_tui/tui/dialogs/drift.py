"""Where a saved answers file and the live release disagree: the user picks which to continue from."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from flyte_tui.review.diff import LeafChange
from flyte_tui.tui.dialogs.choice import Choice, ChoiceDialog

DriftChoice = Literal["live", "saved", "cancel"]


class DriftDialog(ChoiceDialog[DriftChoice]):
    """Lists each answer that differs (saved → live) and asks which side to continue from."""

    DEFAULT_CSS = """
    DriftDialog { align: center middle; }
    DriftDialog > Vertical { width: 100; max-height: 80%; height: auto; border: thick $warning; padding: 1 2;
                             background: $surface; }
    DriftDialog #drift-list { height: auto; max-height: 20; margin: 1 0; }
    DriftDialog Horizontal { height: auto; }
    DriftDialog Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escape", "Cancel")]
    FRAME_CLASSES = None
    BUTTON_ROW_CLASSES = None

    def __init__(self, changes: list[LeafChange], saved_name: str) -> None:
        super().__init__(
            [
                Choice("live", "The live release", "live", "primary"),
                Choice("saved", f"My {saved_name}", "saved"),
                Choice("cancel", "Cancel", "cancel"),
            ],
            focus="live",
            escape="cancel",
        )
        self.changes = changes
        self.saved_name = saved_name

    def compose_body(self) -> ComposeResult:
        yield Static(f"{self.saved_name} and the live release disagree on {len(self.changes)} answer(s):", markup=False)
        with VerticalScroll(id="drift-list"):
            yield Static(
                "\n".join(f"{c.path}: {c.old!r} (file) → {c.new!r} (live)" for c in self.changes),
                id="drift-lines",
                markup=False,
            )
        yield Static("Continue from which?", markup=False)
