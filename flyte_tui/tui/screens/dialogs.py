"""Small typed dialogs: confirm quitting with unsaved changes, help, and the recovery of a stuck release."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from flyte_tui.tui.screens.base import FORMS_CSS

if TYPE_CHECKING:
    from flyte_tui.upgrade import Recovery

QuitChoice = Literal["save", "discard", "cancel"]

KEYS = """\
Tab / Shift+Tab   move between fields
Enter             next field, or press the button
Ctrl+N / Esc      next / previous step
Ctrl+S            save the answers and the values
Ctrl+P            command palette: go to a step, theme
Ctrl+T            light / dark theme
F1 or ?           this help
Ctrl+Q            quit (asks when something is unsaved)"""


class ConfirmQuit(ModalScreen[QuitChoice]):
    """Asked when quitting with unsaved changes: save, discard, or stay."""

    CSS_PATH = FORMS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "Stay")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("You have unsaved changes.", classes="dialog-title")
            yield Static("Save the answers (and the values, when valid) before quitting?")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save and quit", id="save", variant="primary")
                yield Button("Quit without saving", id="discard", variant="error")
                yield Button("Stay", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        choice: QuitChoice = "cancel"
        if event.button.id == "save":
            choice = "save"
        elif event.button.id == "discard":
            choice = "discard"
        self.dismiss(choice)

    def action_stay(self) -> None:
        """Close the dialog and keep editing."""
        self.dismiss("cancel")


class HelpDialog(ModalScreen[None]):
    """The keys, and the help of the field that has the focus (from the model's docstrings)."""

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


def recovery_effect(fix: Recovery) -> str:
    """What running the recovery does, in one sentence."""
    if fix.target_revision is None:
        return "uninstalls the release (its interrupted first install is removed; install again afterwards)"
    return f"rolls the release back to revision {fix.target_revision}, the last one that was deployed"


def recovery_diff_text(fix: Recovery) -> Text:
    """Every object the recovery changes, each with its unified diff (Secrets: changed keys, never values)."""
    from flyte_tui.tui.screens.upgrade_review import MARK, diff_text, object_title

    text = Text()
    for obj in fix.diff.objects:
        text.append(object_title(obj) + "\n", style=f"{MARK[obj.change][1]} bold")
        for key, state in obj.secret_keys:
            text.append(f"    secret key {key}: {state}\n")
        for line in diff_text(obj.lines).split("\n", allow_blank=True):
            text.append("    ").append_text(line).append("\n")
    text.rstrip()
    return text


class RecoveryDialog(ModalScreen[bool]):
    """A release stuck in pending-*: what the interrupted operation was and when, the recovery command
    (from :func:`flyte_tui.upgrade.recovery`), what it changes (its manifest diff), and Run / Back.

    Dismisses with True when the user chooses to run the recovery."""

    DEFAULT_CSS = """
    RecoveryDialog > Vertical { width: 110; max-width: 100%; height: 90%;
                                border: thick $warning; padding: 0 2; background: $surface; }
    RecoveryDialog #recovery-body { height: 1fr; }
    RecoveryDialog #recovery-command { color: $accent; }
    RecoveryDialog #recovery-objects { margin-top: 1; }
    """
    CSS_PATH = FORMS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, release: str, fix: Recovery) -> None:
        super().__init__()
        self.release = release
        self.fix = fix

    def compose(self) -> ComposeResult:
        from flyte_tui.tools.helm import display

        fix = self.fix
        count = len(fix.diff.objects)
        with Vertical():
            # the text and the diff scroll; the buttons stay in view (also at 80×24)
            with VerticalScroll(id="recovery-body"):
                yield Static(f"Release {self.release} is stuck in {fix.state}", classes="dialog-title", markup=False)
                yield Static(fix.description, id="recovery-description", markup=False)
                yield Static(
                    f"Nothing can upgrade it until it is recovered. The recovery {recovery_effect(fix)}:",
                    markup=False,
                )
                yield Static(display(fix.argv), id="recovery-command", markup=False)
                yield Static(
                    f"What it changes: {count} object(s)" if count else "What it changes: no object changes",
                    classes="dialog-title",
                    markup=False,
                )
                if count:
                    yield Static(
                        "(- what the interrupted revision applied, + what the release holds after the recovery)",
                        markup=False,
                    )
                yield Static(recovery_diff_text(fix), id="recovery-objects")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Run the recovery", id="run", variant="warning")
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "run")

    def action_back(self) -> None:
        """Close without running the recovery."""
        self.dismiss(False)
