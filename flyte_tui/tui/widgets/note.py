"""A line of derived text that repaints only when its text changes (the forms refresh on every key)."""

from __future__ import annotations

from textual.widgets import Static


class Note(Static):
    """Text derived from the answers: hidden when empty (unless ``keep_space``), repainted on change only."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None,
                 keep_space: bool = False) -> None:
        super().__init__(text, id=id, classes=classes, markup=False)
        self.text = text
        self.keep_space = keep_space
        if not keep_space:
            self.display = bool(text)  # decided before mounting: no second layout pass

    def show(self, text: str) -> None:
        """Set the text (no repaint when it is unchanged)."""
        if text != self.text:
            self.text = text
            self.update(text)
        if not self.keep_space and self.display != bool(text):
            self.display = bool(text)
