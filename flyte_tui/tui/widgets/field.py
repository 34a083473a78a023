"""One answer on a form: a label, an input, help from the model's docstring, and its own error line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from flyte_tui.tui.labels import field_help
from flyte_tui.tui.widgets.note import Note

if TYPE_CHECKING:
    from textual.widgets import Input, Select, Switch, TextArea

    from flyte_tui.model import Problem

FieldKind = Literal["text", "int", "select", "switch", "list", "yaml"]


def field_id(path: str) -> str:
    """The DOM id of the field that edits a dotted path (any text a user typed, e.g. a domain, made safe)."""
    safe = re.sub(r"[^A-Za-z0-9-]", lambda m: "_" if m.group() == "." else f"-{ord(m.group()):x}-", path)
    return "f-" + safe.replace("_", "__")


class FormField(Vertical):
    """Edits the answer at one dotted path; shows the problems the model finds there.

    Its own styles (DEFAULT_CSS; the label, help and error classes it shares with the screens are in
    forms.tcss): a rule on one of Textual's widgets inside it names ``FormField`` too, so it outranks that
    widget's own DEFAULT_CSS as it did from the app's style sheet.
    """

    DEFAULT_CSS: ClassVar[str] = """
    FormField.field { height: auto; margin-bottom: 1; }
    FormField.field Input, FormField.field Select { width: 1fr; max-width: 72; }
    FormField.field Input { background: $boost; }
    FormField.field.-error Input, FormField.field.-error SelectCurrent { background: $error 20%; }
    FormField.field.-error TextArea { border: tall $error; }
    FormField.field TextArea { height: 8; }
    FormField.field.-compact { margin: 0; height: 1; layout: horizontal; }
    /* a bad cell: a glyph beside it and underlined bold text, readable without colour (NO_COLOR) */
    FormField.field.-compact .cell-mark { width: 1; display: none; }
    FormField.field.-compact.-error .cell-mark, FormField.field.-compact.-warning .cell-mark { display: block; }
    FormField.field.-compact.-error .cell-mark { color: $error; text-style: bold; }
    FormField.field.-compact.-warning .cell-mark { color: $warning; }
    FormField.field.-compact.-error Input { color: $error; text-style: bold underline; }
    """

    class Changed(Message):
        """The user changed the answer at ``path`` (``None`` removes it)."""

        def __init__(self, path: str, value: Any, field: FormField | None = None) -> None:
            super().__init__()
            self.path = path
            self.value = value
            self.field = field

        @property
        def control(self) -> FormField | None:
            """The field that changed (None when a screen sets an answer itself)."""
            return self.field

    def __init__(
        self,
        path: str,
        value: Any = None,
        *,
        kind: FieldKind = "text",
        choices: Iterable[str] = (),
        label: str | None = None,
        empty: Any = "",
        placeholder: str = "",
        compact: bool = False,
        show_help: bool = True,
    ) -> None:
        default_label, help_text = field_help(path)
        super().__init__(id=field_id(path), classes="field -compact" if compact else "field")
        self.path = path
        self.kind = kind
        self.choices = tuple(choices)
        self.initial = value
        self.empty = empty
        self.placeholder = placeholder
        self.compact = compact
        self.label_text = label if label is not None else default_label
        self.help_text = help_text
        self.show_help = show_help and not compact
        self.tooltip = help_text or None
        self._shown = ""
        self._echo: str | None = None
        """The text the input first shows for an answer it cannot hold as it is (a number in a text field, a
        mapping, a list of odd items): the input's echo of it is no change, until the user types."""

    def compose(self) -> ComposeResult:
        if not self.compact:
            yield Label(self.label_text, classes="field-label")
        yield self._make_input()
        if self.compact:  # a table cell: no room for an error line, so a glyph beside the value
            yield Static("", classes="cell-mark", markup=False)
        if self.show_help and self.help_text:
            yield Static(self.help_text, classes="field-help", markup=False)
        yield Note(classes="field-error")

    def _make_input(self) -> Widget:
        from textual.widgets import Input, Select

        value = self.initial
        if self.kind == "select":
            options = [(c, c) for c in self.choices]
            current = value if value in self.choices else Select.NULL
            return Select(options, value=current, allow_blank=True, classes="field-input", compact=True)
        if self.kind == "switch":
            from flyte_tui.tui.widgets.choices import Toggle

            return Toggle(bool(value), classes="field-input")
        if self.kind == "yaml":
            from textual.widgets import TextArea

            from flyte_tui.files import yamlio

            text = yamlio.dump(value) if value else ""
            return TextArea(text, classes="field-input", tab_behavior="indent", show_line_numbers=True)
        if self.kind == "list":
            text = ", ".join(str(v) for v in value) if isinstance(value, list) else ""
        else:
            text = "" if value is None else str(value)
        if value is not None and not self._sends(text, value):
            self._echo = text
        return Input(
            text,
            placeholder=self.placeholder,
            classes="field-input",
            compact=True,
            restrict=r"[0-9]*" if self.kind == "int" else None,
        )

    @property
    def input(self) -> Widget:
        """The input widget."""
        return self.query_one(".field-input")

    def focus_input(self) -> None:
        """Move the focus into this field."""
        self.input.focus()

    def current_value(self) -> Any:
        """The answer the input holds now, converted as it would be sent."""
        widget = self.input
        if self.kind == "yaml":
            return self.initial
        return self._convert(getattr(widget, "value", ""))

    def holds(self, value: Any) -> bool:
        """Whether ``value`` is what the input holds now (False for a change that newer typing overtook)."""
        return self.kind == "yaml" or not self.is_mounted or self.current_value() == value

    @property
    def problem_text(self) -> str:
        """The error (or warning) line the field shows, with its glyph; empty when there is none."""
        return self._shown

    def on_descendant_focus(self) -> None:
        """The focus came in: show the whole field (label, input, help, error), not only the input."""
        self.call_after_refresh(self.scroll_visible, animate=False)

    def show_problems(self, problems: list[Problem]) -> None:
        """Show the errors (else warnings) under the field; clear the line when there is none."""
        errors = [p for p in problems if p.severity == "error"]
        shown = errors or problems
        text = "; ".join(p.message for p in shown)
        line_text = ("✗ " if errors else "⚠ ") + text if text else ""
        if line_text == self._shown:
            return  # nothing changed: no repaint while typing
        self._shown = line_text
        if self.compact:
            self.input.tooltip = text or self.help_text or None
            self.query_one(".cell-mark", Static).update(line_text[:1])
        else:
            self.query_one(".field-error", Note).show(line_text)
            if text and self.has_focus_within:  # the new error line may be below the visible part
                self.call_after_refresh(self.scroll_visible, animate=False)
        self.set_class(bool(errors), "-error")
        self.set_class(bool(shown) and not errors, "-warning")

    def _sends(self, text: str, value: Any) -> bool:
        """Whether the input's ``text`` converts back to ``value`` exactly."""
        try:
            return bool(self._convert(text) == value)
        except ValueError:  # a text in a number field
            return False

    def _convert(self, raw: Any) -> Any:
        if self.kind == "switch":
            return bool(raw)
        if self.kind == "select":
            from textual.widgets import Select

            return None if raw in (Select.NULL, Select.BLANK) else raw
        text = str(raw).strip()
        if not text:
            return self.empty
        if self.kind == "int":
            return int(text)
        if self.kind == "list":
            return [part.strip() for part in text.split(",") if part.strip()]
        return text

    # Handlers by name, not @on(Input.Changed): the form widgets are imported when a form is built.

    def on_input_changed(self, event: Input.Changed) -> None:
        """Text typed: send the converted answer the input holds now (not the input's echo of an answer it cannot
        hold as it is: showing a step never changes what the file says)."""
        event.stop()
        if self._echo is not None and event.input.value == self._echo:
            return
        self._echo = None
        self.post_message(self.Changed(self.path, self._convert(event.input.value), self))

    def on_select_changed(self, event: Select.Changed) -> None:
        """An option chosen: send it (the blank line removes the answer)."""
        event.stop()
        self.post_message(self.Changed(self.path, self._convert(event.value), self))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        """A switch field changed (named handler: Switch is imported only when a form has one)."""
        event.stop()
        self.post_message(self.Changed(self.path, bool(event.value), self))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """The YAML editor changed: parse it, and send the mapping when it is valid."""
        event.stop()
        from flyte_tui.files import yamlio
        from flyte_tui.model import Problem

        try:
            data = yamlio.load_plain(event.text_area.text) if event.text_area.text.strip() else {}
        except yamlio.YAMLError as exc:
            self.show_problems([Problem(self.path, "not valid YAML: " + " ".join(str(exc).split())[:120])])
            return
        if not isinstance(data, dict):
            self.show_problems([Problem(self.path, "must be a YAML mapping")])
            return
        self.post_message(self.Changed(self.path, data, self))
