"""The keys, and the help of the field that has the focus (from the model's docstrings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from flyte_tui.tui.styles import FORMS_CSS

if TYPE_CHECKING:
    from textual.widget import Widget

KEYS = """\
Tab / Shift+Tab   move between fields
Enter             next field, or press the button
Ctrl+N / Esc      next / previous step
Ctrl+S            save the answers and the values
Ctrl+P            command palette: go to a step, theme
Ctrl+T            light / dark theme
F1 or ?           this help
Ctrl+Q            quit (asks when something is unsaved)"""


class HelpDialog(ModalScreen[None]):
    """Help: nothing to choose, one Close button (so not a :class:`~flyte_tui.tui.dialogs.choice.ChoiceDialog`)."""

    CSS_PATH = FORMS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark,enter", "close", "Close")]

    def __init__(self, field_label: str = "", field_help: str = "") -> None:
        super().__init__()
        self.field_label = field_label
        self.field_help = field_help

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            if self.field_label:
                yield Static(self.field_label, classes="dialog-title", markup=False)
                yield Static(self.field_help or "(no help for this field)", markup=False)
            yield Static("Keys", classes="dialog-title")
            yield Static(KEYS, id="keys", markup=False)
            yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


def help_for(focused: Widget | None) -> HelpDialog:
    """The help for the focused widget: the keys, and the help of the field it is in (if any)."""
    from flyte_tui.tui.widgets.field import FormField

    around = focused.ancestors_with_self if focused is not None else []
    field = next((node for node in around if isinstance(node, FormField)), None)
    return HelpDialog(field.label_text, field.help_text) if field else HelpDialog()
