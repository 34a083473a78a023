"""A line of derived text that repaints only when its text changes (the forms refresh on every key)."""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Static


class Note(Static):
    """Text derived from the answers: hidden when empty (unless ``keep_space``), repainted on change only.

    A ``readable`` note takes the focus (Tab reaches it and scrolls it into view, so text below the
    last field can be read with the keyboard at 80×24); the focus shows as a bar on its left.
    """

    DEFAULT_CSS: ClassVar[str] = """
    Note.-readable:focus { outline-left: thick $accent; text-style: bold; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None,
                 keep_space: bool = False, readable: bool = False) -> None:
        super().__init__(text, id=id, classes=classes, markup=False)
        self.text = text
        self.keep_space = keep_space
        if readable:
            self.can_focus = True
            self.add_class("-readable")
        if not keep_space:
            self.display = bool(text)  # decided before mounting: no second layout pass

    _reveal = False

    def reveal(self) -> None:
        """Scroll this note into view, now and whenever its size changes until its text does (new text may
        bring a scroll bar, which narrows it and wraps it onto one more line)."""
        self._reveal = True
        self.call_after_refresh(self.scroll_visible, animate=False)

    def on_resize(self) -> None:
        if self._reveal:  # after the container took in the new size (its scroll range grew)
            self.call_after_refresh(self.scroll_visible, animate=False)

    def show(self, text: str) -> None:
        """Set the text (no repaint when it is unchanged)."""
        if text != self.text:
            self.text = text
            self._reveal = False
            self.update(text)
        if not self.keep_space and self.display != bool(text):
            self.display = bool(text)
