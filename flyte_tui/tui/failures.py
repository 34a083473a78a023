"""A worker that fails is never silent: the one handler that turns an unexpected worker error (the app's
and the screens' workers, see :class:`~flyte_tui.tui.screens.base.WorkScreen`) into a notification in our
words and a log line."""

from __future__ import annotations

import logging

from textual.app import App
from textual.worker import Worker, WorkerState

WORK = {
    "detect": "detecting helm, kubectl and the kube contexts", "versions": "listing the chart's versions",
    "live": "reading the live release", "recover": "recovering the release", "review": "computing the upgrade",
    "install": "installing", "doctor": "running the doctor", "bundle": "writing the support bundle",
}
"""What each worker group does, for the message when one fails unexpectedly."""
log = logging.getLogger("flyte_tui.tui.app")


class ReportsFailures(App[None]):
    """The app's report of unexpected worker errors."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place an unexpected worker error is reported: a notification in our words and a log line.
        The screens' workers reach it too (:class:`~flyte_tui.tui.screens.base.WorkScreen`)."""
        if event.state is not WorkerState.ERROR:
            return
        worker, error = event.worker, event.worker.error
        doing = WORK.get(worker.group, f"running {worker.name}")
        log.error("worker %s (%s) failed while %s", worker.name, worker.group, doing, exc_info=error)
        self.notify(
            f"Something went wrong while {doing}: {type(error).__name__}: {error}. "
            "The wizard goes on; what you typed is kept.",
            title="Internal error",
            severity="error",
        )
