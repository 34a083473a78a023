"""A live log for fast tools: writing a line costs a list append; only the lines on screen are drawn.

Textual's ``RichLog`` renders every line as it is written, which at thousands of lines a second keeps
the event loop busy. ``Log`` stores plain strings and renders lazily but shows ANSI escapes as text.
:class:`LiveLog` is ``Log`` with the colours of helm's and kubectl's output kept: a line's ANSI codes are
parsed when (and only when) the line is on screen.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.selection import Selection
from textual.strip import Strip
from textual.widgets import Log

ANSI_CODE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
"""CSI sequences (colours, cursor moves) and the two-byte escapes."""


def plain(line: str) -> str:
    """A line without its ANSI escape codes."""
    return ANSI_CODE.sub("", line)


def styled(text: str, style: str) -> str:
    """``text`` wrapped in the ANSI codes of a Rich style (``"bold green"``), to write as a log line."""
    return Style.parse(style).render(text)


class LiveLog(Log):
    """A bounded, lazily drawn log whose lines may carry ANSI colours.

    Relies on ``Log``'s line store and its ``_render_line_strip`` / ``_process_line`` hooks (Textual is
    pinned exactly; ``tests/tui/test_runner_stream.py`` shows the colours survive).
    """

    @classmethod
    def _process_line(cls, line: str) -> str:
        # Log measures widths (horizontal scrolling) on this: count only the visible characters.
        return str(super()._process_line(plain(line)))

    def _render_line_strip(self, y: int, rich_style: Style) -> Strip:
        text = Text.from_ansi(self._lines[y].expandtabs(), no_wrap=True, end="")
        text.stylize_before(rich_style)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y - self._clear_y)) is not None:
            start, end = span
            highlight = self.screen.get_component_rich_style("screen--selection")
            text.stylize(highlight, start, len(text) if end == -1 else end)
        return Strip(text.render(self.app.console), cell_len(text.plain))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, without escape codes."""
        return selection.extract("\n".join(plain(line) for line in self._lines)), "\n"
