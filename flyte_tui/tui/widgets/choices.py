"""Choices readable without colour: radio buttons and switches that show their state with a glyph, and a
radio set whose arrow keys stop at the ends instead of wrapping round to the other end."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import RadioButton, RadioSet, Switch

CHOSEN, NOT_CHOSEN = "●", "○"


class Choice(RadioButton):
    """A radio button: ● when chosen, ○ when not (the colour says it too, but not only the colour)."""

    BUTTON_INNER = NOT_CHOSEN

    def __init__(self, label: str, value: bool = False, *, name: str | None = None) -> None:
        super().__init__(label, value, name=name)
        self.BUTTON_INNER = CHOSEN if value else NOT_CHOSEN

    def watch_value(self) -> None:
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
        super().watch_value()


class Choices(RadioSet):
    """A radio set: Up/Down (and Left/Right) move between its buttons and stop at the first and the last."""

    def action_previous_button(self) -> None:
        """The button above, if any (no wrapping to the last)."""
        self._step(-1)

    def action_next_button(self) -> None:
        """The button below, if any (no wrapping to the first)."""
        self._step(1)

    def _step(self, direction: int) -> None:
        buttons = list(self.query(RadioButton))
        current = self._selected if self._selected is not None else self.pressed_index
        index = current + direction if current is not None and current >= 0 else 0
        while 0 <= index < len(buttons):
            if not buttons[index].disabled:
                self._selected = index
                return
            index += direction


class Toggle(Switch):
    """A switch that also says its state in words: ``● on`` or ``○ off``."""

    DEFAULT_CSS: ClassVar[str] = """
    Toggle { width: 8; height: 1; border: none; padding: 0; background: $surface; }
    Toggle:focus { text-style: bold reverse; }
    """

    def render(self) -> Text:
        return Text(f" {CHOSEN} on " if self.value else f" {NOT_CHOSEN} off", style="bold" if self.value else "")
