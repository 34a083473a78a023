"""A focusable card: a title and one line of explanation; Enter, Space or a click chooses it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.widgets import Static


class Card(Vertical, can_focus=True):
    """One choice among several, shown as a bordered card."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,space", "choose", "Choose", show=False)]

    class Chosen(Message):
        """The user chose this card."""

        def __init__(self, card: Card) -> None:
            super().__init__()
            self.card = card

    def __init__(self, value: str, title: str, description: str, selected: bool = False) -> None:
        super().__init__(id=f"card-{value}", classes="card")
        self.value = value
        self.card_title = title
        self.description = description
        self.set_class(selected, "-selected")

    def compose(self) -> ComposeResult:
        yield Static(self.card_title, classes="card-title", markup=False)
        yield Static(self.description, classes="card-text", markup=False)

    def action_choose(self) -> None:
        """Choose this card."""
        self.post_message(self.Chosen(self))

    def on_click(self, event: Click) -> None:
        event.stop()
        self.focus()
        self.action_choose()
