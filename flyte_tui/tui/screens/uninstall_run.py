"""The runner screen for an uninstall: the install's runner (its steps panel, live log, failure panel, log
file and cancel), fed with the uninstaller's events, its title saying Uninstalling and its end Uninstalled."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from flyte_tui.events import Event, InstallFinished
from flyte_tui.install import InstallOptions
from flyte_tui.model.plan import InstallPlan, Target
from flyte_tui.tui.screens.runner import NARROW, CoreRunner, steps_text, write_end
from flyte_tui.tui.widgets.live_log import LiveLog
from flyte_tui.uninstall import Preview, Uninstaller, UninstallOptions

UninstallRun = Callable[[Preview, UninstallOptions, threading.Event], Iterator[Event]]
"""What produces an uninstall's events (the :class:`~flyte_tui.uninstall.Uninstaller` unless a test says)."""


def short_title(step: str) -> str:
    """A step's label in a narrow terminal: ``Keep``, the release's name, ``Pods gone``, ``Secrets``, ``Purge``."""
    if step.startswith("keep-"):
        return "Keep"
    if step.startswith("uninstall-"):
        return step.removeprefix("uninstall-")
    return {"pods": "Pods gone", "secrets": "Secrets", "purge": "Purge"}.get(step, step)


class UninstallRunner(CoreRunner):
    """Uninstall and watch the pods go."""

    def __init__(self, preview: Preview, options: UninstallOptions, log: Path, run: UninstallRun | None = None) -> None:
        """``run`` stands in for the uninstaller (tests)."""

        def events(cancel: threading.Event) -> Iterator[Event]:
            if run is not None:
                return run(preview, options, cancel)
            return Uninstaller(preview, options, cancel).run()

        # The runner screen speaks of a plan and install options: for an uninstall they carry only where it
        # runs and where the log goes.
        release = preview.releases[-1].name if preview.releases else "flyte"
        where = Target(release=release, namespace=preview.namespace, context=preview.context)
        super().__init__(
            InstallPlan.model_construct(environment="generic", target=where),
            InstallOptions(values_path=log),
            events,
            Uninstaller(preview, options).titles(),
            log,
        )
        self.preview = preview

    def title_text(self) -> str:
        """``Uninstalling: release flyte in namespace flyte (kind-dev)``."""
        p = self.preview
        names = " and ".join(r.name for r in p.releases) or "nothing but Secrets"
        return f"Uninstalling: release {names} in namespace {p.namespace}" + (f" ({p.context})" if p.context else "")

    def on_mount(self) -> None:
        # Textual runs RunnerScreen.on_mount too (each class's handler, base first): it starts the run
        self.query_one("#runner-components").display = False  # an uninstall has no readiness table

    def _steps_text(self) -> Text:
        """The steps panel, with an uninstall's short labels in a narrow terminal (the release's name for
        its ``helm uninstall``)."""
        narrow = self.is_mounted and self.size.width < NARROW
        return steps_text(self.step_titles, self.step_state, narrow, short_title)

    def _show_finished(self, event: InstallFinished) -> None:
        """The end, in an uninstall's words."""
        log = self.query_one("#runner-log", LiveLog)
        head = "Uninstalled." if event.ok else "The uninstall did not finish."
        write_end(log, head, event, self.log_path, self.install_log.error)
        self.call_after_refresh(log.scroll_end, animate=False)
        status = f"{head} ({event.elapsed:.1f}s) Esc closes."
        self.query_one("#runner-status", Static).update(status)
        if self.failure is None:
            self.query_one("#runner-failure").remove_class("shown")
