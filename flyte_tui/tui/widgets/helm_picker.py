"""Pick the helm binary when ``helm`` is not usable: a select of the helm, helm3 and helm4 found on PATH
(the test bed and some distributions install those names only). The chosen binary's version is read off
the UI thread and sent up as :class:`HelmPicker.Picked`."""

from __future__ import annotations

import shutil
from collections.abc import Iterable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Select

from flyte_tui.tools.detect import Tool

VERSION_TIMEOUT = 5.0
"""Seconds ``helm version`` may take."""


def helm_candidates(names: Iterable[str]) -> list[str]:
    """The paths of the helm binaries on PATH under these names (each path once)."""
    found = (shutil.which(name) for name in names)
    return list(dict.fromkeys(path for path in found if path))


def probe_helm(path: str) -> Tool:
    """The helm at ``path`` and its version (``helm version --short``), or why it cannot be used."""
    from flyte_tui.tools import process

    try:
        done = process.run([path, "version", "--short"], VERSION_TIMEOUT)
    except process.ProcessError as exc:
        return Tool("helm", path, error=str(exc))
    lines = (done.stdout if done.ok else done.stderr).strip().splitlines()
    if not done.ok:
        return Tool("helm", path, error=lines[0] if lines else f"exit code {done.returncode}")
    return Tool("helm", path, (lines[0] if lines else "").split("+")[0])


class HelmPicker(Vertical):
    """A label and a select of the helm binaries found on PATH."""

    DEFAULT_CSS = """
    HelmPicker { height: auto; margin-top: 1; }
    HelmPicker Select { max-width: 72; }
    """

    class Picked(Message):
        """The user picked a helm binary; ``tool`` says its version (or why it cannot be used)."""

        def __init__(self, tool: Tool) -> None:
            super().__init__()
            self.tool = tool

    def __init__(self, paths: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paths = paths

    def compose(self) -> ComposeResult:
        yield Label("Helm binary to use (found on PATH)")
        yield Select([(p, p) for p in self.paths], prompt="(choose helm, helm3 or helm4)", id="helm-binary")

    @on(Select.Changed, "#helm-binary")
    def _chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self._probe(event.value)

    @work(thread=True, exclusive=True, group="detect", exit_on_error=False)
    def _probe(self, path: str) -> None:
        self.post_message(self.Picked(probe_helm(path)))
