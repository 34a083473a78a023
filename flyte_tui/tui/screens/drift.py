"""Where a saved answers file and the live release disagree: the user picks which to continue from."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from flyte_tui.review.diff import LeafChange

DriftChoice = Literal["live", "saved", "cancel"]


class DriftDialog(ModalScreen[DriftChoice]):
    """Lists each answer that differs (saved → live) and asks which side to continue from."""

    DEFAULT_CSS = """
    DriftDialog { align: center middle; }
    DriftDialog > Vertical { width: 100; max-height: 80%; height: auto; border: thick $warning; padding: 1 2;
                             background: $surface; }
    DriftDialog #drift-list { height: auto; max-height: 20; margin: 1 0; }
    DriftDialog Horizontal { height: auto; }
    DriftDialog Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, changes: list[LeafChange], saved_name: str) -> None:
        super().__init__()
        self.changes = changes
        self.saved_name = saved_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.saved_name} and the live release disagree on {len(self.changes)} answer(s):", markup=False
            )
            with VerticalScroll(id="drift-list"):
                yield Static(
                    "\n".join(f"{c.path}: {c.old!r} (file) → {c.new!r} (live)" for c in self.changes),
                    id="drift-lines",
                    markup=False,
                )
            yield Static("Continue from which?", markup=False)
            with Horizontal():
                yield Button("The live release", id="live", variant="primary")
                yield Button(f"My {self.saved_name}", id="saved")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#live", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        choice: DriftChoice = "cancel"
        if event.button.id == "live":
            choice = "live"
        elif event.button.id == "saved":
            choice = "saved"
        self.dismiss(choice)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss("cancel")
