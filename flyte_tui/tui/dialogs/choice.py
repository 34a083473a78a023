"""The one base of the wizard's dialogs: a question above a row of buttons, each of which dismisses the
dialog with its own typed value; Escape dismisses with the safe one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

T = TypeVar("T")


@dataclass(frozen=True)
class Choice(Generic[T]):
    """One button of a dialog and the value the dialog returns when it is pressed."""

    id: str
    label: str
    value: T
    variant: ButtonVariant = "default"


class ChoiceDialog(ModalScreen[T]):
    """Subclasses give the body (:meth:`compose_body`), the choices, the button that has the focus at first
    (the safe one) and the value Escape returns."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escape", "Close")]

    FRAME_CLASSES: ClassVar[str | None] = "dialog"
    """Classes of the frame around the body and the buttons."""
    BUTTON_ROW_CLASSES: ClassVar[str | None] = "dialog-buttons"
    """Classes of the row of buttons."""

    def __init__(self, choices: Sequence[Choice[T]], focus: str, escape: T) -> None:
        super().__init__()
        self.choices = tuple(choices)
        self.focus_id = focus
        self.escape_value = escape

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.FRAME_CLASSES):
            yield from self.compose_body()
            with Horizontal(classes=self.BUTTON_ROW_CLASSES):
                for choice in self.choices:
                    yield Button(choice.label, id=choice.id, variant=choice.variant)

    def compose_body(self) -> ComposeResult:
        """The question: everything above the buttons."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(f"#{self.focus_id}", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(next((c.value for c in self.choices if c.id == event.button.id), self.escape_value))

    def action_escape(self) -> None:
        """Close with the safe choice."""
        self.dismiss(self.escape_value)
