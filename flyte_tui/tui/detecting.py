"""Detection in the wizard: helm, kubectl, the kube contexts and an existing release, found off the UI
thread once the first frame is on screen; the welcome screen shows what was found. The first screen's
controls mount then too: nothing the first frame does not need runs before it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App
from textual.message import Message

from flyte_tui.tui.screens.welcome import WelcomeScreen

AFTER_FIRST_FRAME = 0.03
"""Seconds from the first frame to the work it does not need (the detection, the first screen's controls)."""

if TYPE_CHECKING:
    from flyte_tui.doctor import DoctorTarget
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.state import WizardState


def looked_up(state: WizardState) -> tuple[str, str, str]:
    """The kube context, namespace and release the wizard looks for: the session's answers once it began;
    before that, the release and namespace of the answers file (``./flyte-tui.yaml`` or ``-f``) when there
    is one, in the context chosen on Welcome (else the answers file's)."""
    context, namespace, release = state.where()
    if state.started:
        return context, namespace, release
    saved = answers_file_target(state.answers_path)
    return (
        context or str(saved.get("context") or ""),
        str(saved.get("namespace") or namespace),
        str(saved.get("release") or release),
    )


def doctor_target(state: WizardState) -> DoctorTarget:
    """What the doctor examines: the release :func:`looked_up` names (the one Welcome found)."""
    from dataclasses import replace

    context, namespace, release = looked_up(state)
    return replace(state.doctor_target(), context=context, namespace=namespace, release=release)


def answers_file_target(path: Path) -> dict[str, Any]:
    """The ``target`` of an answers file ({} when there is no file or it cannot be read)."""
    if not path.is_file():
        return {}
    from flyte_tui.files.answers import load_answers

    try:
        target = load_answers(path).get("target")
    except Exception:  # an unreadable file: Open says why; detection looks for the defaults
        return {}
    return target if isinstance(target, dict) else {}


class Detected(Message):
    """The detection worker finished."""

    def __init__(self, detection: Detection) -> None:
        super().__init__()
        self.detection = detection


class Detecting(App[None]):
    """The app's detection: a worker, and its result put into the session and onto the welcome screen."""

    state: WizardState
    detector: Callable[[], Detection] | None
    """Stands in for :func:`~flyte_tui.tools.detect.detect` in tests."""
    first_screen: WelcomeScreen | None = None
    """The first screen painted, until what it left for after the first frame has started."""

    @on(events.Ready)
    def _first_frame_painted(self) -> None:
        # The first frame is composited and queued to Textual's writer thread: what it does not need starts a
        # moment later, so that the terminal gets the frame before the detection (it forks helm and kubectl)
        # and the first screen's controls take the interpreter.
        self.set_timer(AFTER_FIRST_FRAME, self._after_first_frame)

    def _after_first_frame(self) -> None:
        first, self.first_screen = self.first_screen, None
        if first is not None:
            first.first_frame_out()  # its context picker and file controls mount now
        self.run_detection()

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def run_detection(self) -> None:
        """Detect helm, kubectl, contexts and an existing release off the UI thread."""
        if self.detector is not None:
            result = self.detector()
        else:
            from flyte_tui.tools.detect import detect

            context, namespace, release = looked_up(self.state)
            result = detect(namespace, release, context=context)
        self.post_message(Detected(result))

    @on(WelcomeScreen.ContextChosen)
    def _context_chosen(self) -> None:
        self.run_detection()  # the release is looked for again, in the context now chosen

    @on(Detected)
    def _detected(self, message: Detected) -> None:
        self.state.detection = message.detection
        if not self.state.started and not self.state.get("target.context"):
            found = message.detection
            self.state.set("target.context", found.asked_context or found.current_context)
            self.state.dirty = False
        if isinstance(self.screen, WelcomeScreen):
            self.screen.detection = message.detection  # attributes down: the screen shows it
