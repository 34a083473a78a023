"""The list of wizard steps on the side: where you are, what is complete, what has errors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from flyte_tui.screens.state import STEPS


class StepItem(Static):
    """One step's line; a click asks to go there."""

    def __init__(self, step_id: str, title: str) -> None:
        super().__init__(title, id=f"step-{step_id}", classes="step-item", markup=False)
        self.step_id = step_id
        self.step_title = title
        self._state = ""

    def mark(self, symbol: str, state: str) -> None:
        """Show the step's state: ``current``, ``done``, ``error`` or ``todo``."""
        if self._state == state:
            return
        self._state = state
        self.update(f"{symbol} {self.step_title}")
        for name in ("current", "done", "error", "todo"):
            self.set_class(name == state, f"-{name}")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(StepList.Selected(self.step_id))


class StepList(Vertical):
    """Every step with a mark: ▶ current, ✓ complete, ✗ has errors, · not visited yet."""

    class Selected(Message):
        """The user clicked a step."""

        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    def compose(self) -> ComposeResult:
        for step in STEPS:
            yield StepItem(step.id, step.title)

    def show(self, current: str, visited: set[str], with_errors: set[str]) -> None:
        """Mark every step."""
        for item in self.query(StepItem):
            if item.step_id == current:
                item.mark("▶", "current")
            elif item.step_id in with_errors and item.step_id in visited:
                item.mark("✗", "error")
            elif item.step_id in visited:
                item.mark("✓", "done")
            else:
                item.mark("·", "todo")
