"""A screen's keys and the buttons that do the same, written once: each :class:`ScreenKey` is a binding (the
footer's entry) and, when it names a button, the button that runs the same action with the same words.

The doctor and the upgrade review declare their keys as a table of these; ``BINDINGS`` and the button row
are both read from it, so a key and its button cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType
from textual.widgets import Button

ButtonVariant = Literal["default", "primary", "success", "warning", "error"]


@dataclass(frozen=True)
class ScreenKey:
    """One key of a screen (``keys`` → ``action``, ``description`` in the footer), and its button when
    ``button`` (the button's id) is given."""

    keys: str
    action: str
    description: str
    button: str = ""
    label: str = ""
    """The button's label when it says more than the footer's description ("" : the description)."""
    variant: ButtonVariant = "default"


def bindings(keys: Iterable[ScreenKey]) -> list[BindingType]:
    """The screen's ``BINDINGS``, in the table's order (the footer's)."""
    return [Binding(k.keys, k.action, k.description) for k in keys]


def buttons(keys: Iterable[ScreenKey]) -> Iterator[Button]:
    """The buttons of the keys that have one, in the table's order; each runs its key's screen action."""
    for k in keys:
        if k.button:
            yield Button(k.label or k.description, id=k.button, variant=k.variant, compact=True,
                         action=f"screen.{k.action}")  # fmt: skip
