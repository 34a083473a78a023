"""The list of wizard steps on the side: where you are, what is complete, what has errors."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from flyte_tui.tui.steps import STEPS

MARKS = {"current": "▶", "done": "✓", "error": "✗", "todo": "·"}
STYLES = {"current": "bold", "done": "green", "error": "bold red", "todo": "dim"}


class StepList(Static):
    """Every step on its own line: ▶ current, ✓ complete, ✗ has errors, · not visited yet.

    One widget rather than one per step: it is on every screen, including the first one painted.
    """

    DEFAULT_CSS: ClassVar[str] = """
    StepList { width: 23; height: 1fr; padding: 1 0 0 1; border-right: vkey $foreground 20%; }
    """

    class Selected(Message):
        """The user clicked a step."""

        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.states: dict[str, str] = {}

    def show(self, current: str, visited: set[str], with_errors: set[str]) -> None:
        """Mark every step (repaints only when a mark changes)."""
        states = {}
        for step in STEPS:
            if step.id == current:
                states[step.id] = "current"
            elif step.id in with_errors and step.id in visited:
                states[step.id] = "error"
            elif step.id in visited:
                states[step.id] = "done"
            else:
                states[step.id] = "todo"
        if states == self.states:
            return
        self.states = states
        text = Text()
        for step in STEPS:
            state = states[step.id]
            text.append(f"{MARKS[state]} {step.title}\n", style=STYLES[state])
        self.update(text)

    def state_of(self, step_id: str) -> str:
        """``current``, ``done``, ``error`` or ``todo``."""
        return self.states.get(step_id, "todo")

    def on_click(self, event: Click) -> None:
        event.stop()
        line = event.y - self.styles.padding.top
        if 0 <= line < len(STEPS):
            self.post_message(self.Selected(STEPS[line].id))
