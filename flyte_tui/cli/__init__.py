"""The headless command line: ``flyte-tui COMMAND …`` (entry point ``main``)."""

from __future__ import annotations

import sys


def main() -> None:
    """``flyte-tui``: with no arguments in a terminal, the wizard at once (its first screen paints without
    loading click and the commands); otherwise the command line, :func:`flyte_tui.cli.commands.main`."""
    if len(sys.argv) <= 1 and sys.stdin.isatty() and sys.stdout.isatty():
        from flyte_tui.tui.app import run_app

        run_app(None)
        return
    from flyte_tui.cli.commands import main as command_line

    command_line()


__all__ = ["main"]
