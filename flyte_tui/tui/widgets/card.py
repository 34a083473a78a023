"""A focusable card: a title and one line of explanation; Enter, Space or a click chooses it, and the arrow
keys move to the card beside, above or below it (stopping at the edges of the grid)."""

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

    DEFAULT_CSS: ClassVar[str] = """
    Card { border: round $foreground 30%; height: auto; padding: 0 1; }
    Card:focus { border: round $accent; }
    Card.-selected { border: double $success; }
    Card .card-title { text-style: bold; }
    Card .card-text { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "choose", "Choose", show=False),
        Binding("left", "move(0, -1)", "Card to the left", show=False),
        Binding("right", "move(0, 1)", "Card to the right", show=False),
        Binding("up", "move(-1, 0)", "Card above", show=False),
        Binding("down", "move(1, 0)", "Card below", show=False),
    ]

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

    def action_move(self, rows: int, columns: int) -> None:
        """Focus the card that many rows and columns away in the grid, if there is one."""
        parent = self.parent
        if parent is None:
            return
        cards = [c for c in parent.children if isinstance(c, Card) and c.display]
        width = max(1, parent.styles.grid_size_columns or 1)
        index = cards.index(self)
        row, column = divmod(index, width)
        row, column = row + rows, column + columns
        target = row * width + column
        if 0 <= column < width and 0 <= target < len(cards):
            cards[target].focus()

    def on_click(self, event: Click) -> None:
        event.stop()
        self.focus()
        self.action_choose()
