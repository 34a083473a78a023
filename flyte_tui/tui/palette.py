"""The command palette's wizard system commands (Save). "Go to <step>" is the step screens' own provider,
:class:`flyte_tui.tui.screens.base.StepCommands`, beside the screen whose message it posts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.app import SystemCommand


def system_commands(started: bool, save: Callable[[], object]) -> Iterator[SystemCommand]:
    """The wizard's own system commands (beside Textual's): Save, once the session has begun. "Go to
    <step>" comes from :class:`~flyte_tui.tui.screens.base.StepCommands`, in the wizard's order."""
    if started:
        yield SystemCommand("Save", "Save the answers and values files", save)
