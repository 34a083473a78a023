"""The command palette's wizard commands: "Go to <step>" in the wizard's order (Textual's system commands
are listed alphabetically, which put Database before Target)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from flyte_tui.tui.steps import STEPS


class StepCommands(Provider):
    """Go to a step of the wizard, listed in the order of the steps (once the session has begun)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        state = getattr(self.screen, "state", None)
        if state is None or not state.started:
            return []
        return [(f"Go to {s.title}", f"Step {n} of {len(STEPS)}: open {s.title}", s.id) for n, s in
                enumerate(STEPS, 1)]

    def _go(self, step_id: str) -> None:
        from flyte_tui.tui.screens.base import StepScreen

        self.screen.post_message(StepScreen.Navigate(step_id))

    async def discover(self) -> Hits:
        for name, help_text, step_id in self._commands():
            yield DiscoveryHit(name, partial(self._go, step_id), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, step_id in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._go, step_id), text=name, help=help_text)


def system_commands(started: bool, save: Callable[[], object]) -> Iterator[SystemCommand]:
    """The wizard's own system commands (beside Textual's): Save, once the session has begun. "Go to
    <step>" comes from :class:`StepCommands`, in the wizard's order."""
    if started:
        yield SystemCommand("Save", "Save the answers and values files", save)
