"""The recovery of a release stuck in pending-*: what was interrupted and when, the recovery command (from
:func:`flyte_tui.release.stuck_release_fix`), what it changes (its manifest diff), and Run / Back."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from flyte_tui.tui.dialogs.choice import Choice
from flyte_tui.tui.dialogs.confirm import ConfirmDialog
from flyte_tui.tui.styles import FORMS_CSS

if TYPE_CHECKING:
    from flyte_tui.release import ReleaseFix


def recovery_effect(fix: ReleaseFix) -> str:
    """What running the recovery does, in one sentence."""
    if fix.target_revision is None:
        return "uninstalls the release (its interrupted first install is removed; install again afterwards)"
    if fix.state == "pending-install":
        return f"re-applies revision {fix.target_revision} (what the interrupted install applied) and marks it deployed"
    return f"rolls the release back to revision {fix.target_revision}, the last one that was deployed"


def recovery_diff_text(fix: ReleaseFix) -> Text:
    """Every object the recovery changes, each with its unified diff (Secrets: changed keys, never values)."""
    from flyte_tui.tui.widgets.manifest_view import MARK, diff_text, object_title

    text = Text()
    for obj in fix.diff.objects:
        text.append(object_title(obj) + "\n", style=f"{MARK[obj.change][1]} bold")
        for key, state in obj.secret_keys:
            text.append(f"    secret key {key}: {state}\n")
        for line in diff_text(obj.lines).split("\n", allow_blank=True):
            text.append("    ").append_text(line).append("\n")
    text.rstrip()
    return text


class RecoveryDialog(ConfirmDialog):
    """A release stuck in pending-* and its recovery. Dismisses with True when the user chooses to run it."""

    DEFAULT_CSS = """
    RecoveryDialog > Vertical { width: 110; max-width: 100%; height: 90%;
                                border: thick $warning; padding: 0 2; background: $surface; }
    RecoveryDialog #recovery-body { height: 1fr; }
    RecoveryDialog #recovery-command { color: $accent; }
    RecoveryDialog #recovery-objects { margin-top: 1; }
    """
    CSS_PATH = FORMS_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "escape", "Back")]
    FRAME_CLASSES = None

    def __init__(self, release: str, fix: ReleaseFix) -> None:
        super().__init__(Choice("run", "Run the recovery", True, "warning"), Choice("back", "Back", False))
        self.release = release
        self.fix = fix

    def compose_body(self) -> ComposeResult:
        from flyte_tui.tools.helm import display

        fix = self.fix
        count = len(fix.diff.objects)
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
