"""The headless command line: ``flyte-tui COMMAND …`` (entry point ``main``)."""

from flyte_tui.cli.commands import main

__all__ = ["main"]
