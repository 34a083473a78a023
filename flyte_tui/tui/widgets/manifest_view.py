"""Changed Kubernetes objects as coloured text: a unified diff, an object's title, and the collapsible list
of every changed object (used by the upgrade review and the recovery of a stuck release)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from flyte_tui.review.diff import ObjectDiff

MARK = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}


def diff_text(lines: tuple[str, ...] | list[str]) -> Text:
    """A unified diff coloured line by line."""
    text = Text()
    for line in lines:
        style = ""
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        text.append(line + "\n", style=style)
    return text


def object_title(obj: ObjectDiff) -> str:
    """``~ Deployment/flyteadmin``."""
    return f"{MARK[obj.change][0]} {obj.key}"


class ManifestView(Static):
    """Every changed object as one line (▶ collapsed / ▼ expanded with its diff), in one widget: a
    release with hundreds of changed objects opens at once."""

    def __init__(self, objects: list[ObjectDiff], id: str | None = None) -> None:
        super().__init__(id=id)
        self.objects = objects
        self.expanded: set[int] = set()
        self.current = -1

    def on_mount(self) -> None:
        self.refresh_view()

    def _lines_of(self, index: int) -> list[Text]:
        obj = self.objects[index]
        selected = index == self.current
        open_ = index in self.expanded
        mark, colour = MARK[obj.change]
        head = Text(("▼ " if open_ else "▶ ") + f"{mark} {obj.key}", style=f"{colour} bold" if selected else colour)
        if selected:
            head.stylize("reverse")
        lines = [head]
        if open_:
            lines += [Text(f"    secret key {k}: {state}") for k, state in obj.secret_keys]
            for line in diff_text(obj.lines).split("\n", allow_blank=False):
                line.pad_left(4)  # every line of the diff sits under its object, not only the first
                lines.append(line)
        return lines

    def line_of(self, index: int) -> int:
        """The line where an object starts."""
        return sum(len(self._lines_of(i)) for i in range(index))

    def refresh_view(self) -> None:
        """Render again after the selection or expansion changed."""
        if not self.objects:
            self.update(Text("(no changes)"))
            return
        text = Text("\n").join(line for i in range(len(self.objects)) for line in self._lines_of(i))
        self.update(text)
