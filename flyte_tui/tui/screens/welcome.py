"""Step 1: what will happen, what this machine has (helm, kubectl, contexts), and where to start from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.state import HELM_INSTALL, HELM_NAMES, WizardState, helm_problem
from flyte_tui.tui.widgets.field import FormField
from flyte_tui.tui.widgets.step_list import StepList

if TYPE_CHECKING:
    from textual.widgets import Select

    from flyte_tui.files.autosave import Autosave
    from flyte_tui.tools.detect import Detection, Tool
    from flyte_tui.tui.widgets.helm_picker import HelmPicker

StartMode = Literal["fresh", "open", "import", "restore", "upgrade", "doctor", "uninstall", "migrate"]
"""How to begin: answers (fresh, from a file, from the autosave) or the existing release (upgrade, doctor,
uninstall, move a flyte-binary release to flyte-core)."""

INTRO = (
    "This wizard writes two files: an answers file (what to install, reusable and reviewable) and the "
    "flyte-core Helm values rendered from it. It asks for the cluster, the environment, storage, the "
    "database, identities and ingress, and sizing, checking each answer as you type. Nothing is "
    "installed until you say so."
)


def describe_tool(tool: Tool) -> str:
    """One line about a tool: found with its version, or why not."""
    if not tool.found:
        return f"✗ {tool.name}: {tool.error or 'not found'}"
    if tool.error:
        return f"⚠ {tool.name}: {tool.path} ({tool.error})"
    major = f" (helm {tool.major})" if tool.name == "helm" and tool.major else ""
    return f"✓ {tool.name} {tool.version}{major}"


def helm_hint(problem: str) -> str:
    """What to do about an unusable helm (said under the tool lines)."""
    return (
        f"  flyte-tui needs helm 3 or 4 to install ({problem}): install it ({HELM_INSTALL}) "
        "or pick a helm binary below."
    )


class WelcomeScreen(StepScreen):
    """Detected tools and contexts; start fresh, open answers, import values, or restore a recovery."""

    STEP_ID = "welcome"
    NAV = False  # its own buttons say how to begin
    CSS_PATH = None  # the start-up styles are enough; the form styles load with the next step
    DEFAULT_CSS = """
    WelcomeScreen #release.-attention { color: $warning; text-style: bold; }
    """

    detection: reactive[Detection | None] = reactive(None, init=False)
    """What the detection found: the app sets it when its worker finishes (attributes down)."""

    class Start(Message):
        """The user chose how to begin. The screen begins the answers' modes itself, and opens the uninstall
        preview and the migration's review; ``upgrade`` and ``doctor`` go on to the app."""

        def __init__(self, mode: StartMode, path: Path | None = None) -> None:
            super().__init__()
            self.mode = mode
            self.path = path

    class ContextChosen(Message):
        """Another kube context was picked: the release is looked for again there."""

    class Begun(Message):
        """The session began: its answers are loaded (fresh, opened, imported or restored)."""

    def __init__(
        self,
        state: WizardState,
        focus: str | None = None,
        *,
        autosave: Autosave | None = None,
        open_at_start: Path | None = None,
        first: bool = False,
    ) -> None:
        """``first``: the app's first screen; its controls mount when the app says the first frame is out
        (:meth:`first_frame_out`), else right after this screen's first refresh."""
        super().__init__(state, focus)
        self.autosave = autosave
        """The autosave left by an unfinished session, offered for restoring (None: nothing to offer)."""
        self.recovery = autosave.path if autosave is not None else None
        self.open_at_start = open_at_start
        self.set_reactive(WelcomeScreen.detection, state.detection)
        self.first = first
        self.controls_ready = False

    def compose_form(self) -> ComposeResult:
        # The first frame holds text and the main buttons only; the context picker and the file
        # controls mount right after it (see _mount_controls), so the wizard paints at once.
        yield Static(INTRO, id="intro", markup=False)
        yield Static("Detecting helm, kubectl and kube contexts…", id="tools", markup=False)
        yield Vertical(id="helm-box")
        yield Vertical(id="context-box")
        yield Static("", id="release", markup=False)
        if self.recovery is not None:
            yield Static(f"Answers from an unfinished session were autosaved to {self.recovery}.", markup=False)
            yield Button("Restore them", id="restore", variant="warning", compact=True)
        with Horizontal(classes="buttons"):
            yield Button("Start fresh", id="fresh", variant="primary", compact=True)
            existing = self.existing_answers()
            if existing is not None:  # the documented default file is here: offer it
                shown = existing if existing.is_absolute() else f"./{existing}"
                yield Button(f"Open {shown}", id="open-existing", compact=True)
        yield Vertical(id="files-box")

    def existing_answers(self) -> Path | None:
        """The session's answers file when it exists and was not opened at start (``flyte-tui`` with no
        ``-f`` in a directory that has a ``flyte-tui.yaml``)."""
        path = self.state.answers_path
        return path if self.open_at_start is None and path.is_file() else None

    def on_mount(self) -> None:
        self.refresh_problems()
        self.query_one("#restore" if self.recovery is not None else "#fresh").focus()
        if not self.first:
            self.call_after_refresh(self._mount_controls)
        if self.open_at_start is not None:  # the answers file given on the command line
            self.call_after_refresh(self.begin, "open", self.open_at_start)

    def first_frame_out(self) -> None:
        """The app's first frame is on the terminal: the controls it left out mount now."""
        self.call_later(self._mount_controls)

    async def _mount_controls(self) -> None:
        from flyte_tui.tui.screens.welcome_controls import context_controls, file_controls

        if not self.is_attached:
            return  # the app is already closing
        await self.query_one("#context-box").mount_all(context_controls())
        await self.query_one("#files-box").mount_all(file_controls())
        if not self.is_attached:
            return
        self.query_one("#release-buttons").display = False
        if self.state.steady:
            self.stop_blinking()
        self.controls_ready = True
        if self.detection is not None:
            self.show_detection(self.detection)

    def refresh_problems(self) -> None:
        # The welcome screen has no fields to check; it must paint without loading the model.
        self.query_one(StepList).show(self.STEP_ID, self.state.visited, set())

    def watch_detection(self, detection: Detection | None) -> None:
        if detection is not None:
            self.show_detection(detection)

    def show_detection(self, detection: Detection) -> None:
        """Fill in what the detection worker found."""
        lines = [describe_tool(detection.helm), describe_tool(detection.kubectl), *detection.notes]
        problem = helm_problem(self.state.detection)
        if problem:
            lines.insert(1, helm_hint(problem))
        self.query_one("#tools", Static).update("\n".join(lines))
        if not self.controls_ready:
            return  # the controls mount in a moment and show the detection then
        if problem and not self.query("#helm-box HelmPicker"):
            self.offer_helm_binaries()
        from textual.widgets import Select

        select = self.query_one("#context", Select)
        contexts = list(detection.contexts)
        chosen = self.state.get("target.context") or detection.current_context
        with select.prevent(Select.Changed):
            select.set_options([(c + (" (current)" if c == detection.current_context else ""), c) for c in contexts])
            if chosen in contexts:
                select.value = chosen
        self.release_shown(detection)

    def release_shown(self, detection: Detection | str) -> None:
        """Say what was found about the release (or, while it is looked for, that it is)."""
        release = self.query_one("#release", Static)
        if isinstance(detection, str):
            release.update(detection)
            release.set_class(False, "-attention")
            self.query_one("#release-buttons").display = False
            return
        if detection.release_attention:
            release.update(f"⚠ {detection.release_note}\n{detection.release_attention}")
        elif detection.release_exists:
            release.update(f"A Flyte release already exists: {detection.release_note}. You can upgrade it.")
        else:
            release.update(detection.release_note)
        release.set_class(bool(detection.release_attention), "-attention")
        self.query_one("#release-buttons").display = bool(detection.release_exists)
        self.query_one("#migrate").display = "flyte-binary-" in (detection.release.chart if detection.release else "")

    def offer_helm_binaries(self) -> None:
        """Offer the helm binaries on PATH (helm, helm3, helm4) when the detected helm cannot be used."""
        from flyte_tui.tui.widgets.helm_picker import HelmPicker, helm_candidates

        paths = helm_candidates(HELM_NAMES)
        if paths:
            self.query_one("#helm-box").mount(HelmPicker(paths))

    def on_helm_picker_picked(self, message: HelmPicker.Picked) -> None:
        """A helm binary was picked: the session uses it from now on (a named handler: the picker is
        imported only when it is offered)."""
        from dataclasses import replace

        detection = self.state.detection
        if detection is None:
            return
        self.state.detection = replace(detection, helm=message.tool)
        self.detection = self.state.detection  # watch_detection shows it

    def on_select_changed(self, event: Select.Changed) -> None:
        """The context picker changed (a named handler keeps Select off the start-up imports)."""
        if event.select.id != "context":
            return
        value = event.value if isinstance(event.value, str) else ""
        if value == (self.state.get("target.context") or ""):
            return
        self.post_message(FormField.Changed("target.context", value))
        self.release_shown(f"Looking for the release in {value or 'the current context'}…")
        self.post_message(self.ContextChosen())

    @on(Button.Pressed, "#open-existing")
    def _open_existing(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Start("open", self.state.answers_path))

    @on(Button.Pressed, "#fresh, #restore, #upgrade, #doctor, #uninstall, #migrate, #open, #import")
    def _start(self, event: Button.Pressed) -> None:
        event.stop()
        mode: StartMode = "fresh"
        for candidate in ("restore", "upgrade", "doctor", "uninstall", "migrate", "open", "import"):
            if event.button.id == candidate:
                mode = candidate
        path: Path | None = None
        if mode in ("open", "import"):
            from textual.widgets import Input

            text = self.query_one("#path", Input).value.strip()
            if not text:
                self.notify("Type the path of the file first.", severity="warning")
                self.query_one("#path", Input).focus()
                return
            path = Path(text).expanduser()
        self.post_message(self.Start(mode, path))

    @on(Start)
    def _begin(self, message: Start) -> None:
        if message.mode in ("uninstall", "migrate"):  # their screens: :mod:`.release_actions`
            message.stop()
            from flyte_tui.tui.screens.release_actions import open_migration, open_uninstall

            (open_uninstall if message.mode == "uninstall" else open_migration)(self)
        elif message.mode not in ("upgrade", "doctor"):
            message.stop()
            self.begin(message.mode, message.path)

    def look_again(self) -> None:
        """After an uninstall or a migration ran: the release is looked for again (the app runs the detection)."""
        self.release_shown("Looking for the release again…")
        self.post_message(self.ContextChosen())

    def begin(self, mode: StartMode, path: Path | None = None) -> None:
        """Begin the session from answers (fresh, a file, the autosave); a file that cannot be read is
        reported and the user stays here."""
        from flyte_tui.tui.wizard_files import begin

        begun, notes = begin(self.state, mode, path, self.autosave)
        for message, title, severity in notes:
            self.notify(message, title=title, severity=severity)
        if begun:
            self.post_message(self.Begun())

    def action_next(self) -> None:
        """Ctrl+N before anything was chosen starts fresh."""
        if self.state.started:
            super().action_next()
        else:
            self.begin("fresh")

    def jump(self, step_id: str) -> None:
        if self.state.started:
            super().jump(step_id)
        else:
            self.begin("fresh")
