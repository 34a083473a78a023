"""Detection in the wizard: helm, kubectl, the kube contexts and an existing release, found off the UI
thread once the first frame is on screen; the welcome screen shows what was found."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.message import Message

from flyte_tui.tui.screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from flyte_tui.tools.detect import Detection
    from flyte_tui.tui.state import WizardState


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

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def run_detection(self) -> None:
        """Detect helm, kubectl, contexts and an existing release off the UI thread."""
        if self.detector is not None:
            result = self.detector()
        else:
            from flyte_tui.tools.detect import detect

            result = detect(*self.state.where()[1:])
        self.post_message(Detected(result))

    @on(Detected)
    def _detected(self, message: Detected) -> None:
        self.state.detection = message.detection
        if not self.state.started and not self.state.get("target.context"):
            self.state.set("target.context", message.detection.current_context)
            self.state.dirty = False
        if isinstance(self.screen, WelcomeScreen):
            self.screen.detection = message.detection  # attributes down: the screen shows it
