"""The Welcome screen's controls that mount right after its first frame: the context picker with the
existing release's buttons (upgrade, doctor, uninstall; move to flyte-core for a flyte-binary release), and the
file controls (open answers, import values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.widgets import Button

if TYPE_CHECKING:
    from textual.widget import Widget


def context_controls() -> list[Widget]:
    """The kube context picker and the buttons for a release found there (hidden until one is)."""
    from textual.widgets import Label, Select  # loaded after the first frame (start-up)

    return [
        Label("Kubernetes context"),
        Select[str]([], prompt="(no contexts found)", id="context", allow_blank=True),
        Horizontal(
            Button("Upgrade the existing release", id="upgrade", compact=True),
            Button("Diagnose it (doctor)", id="doctor", compact=True),
            Button("Uninstall it", id="uninstall", compact=True),
            Button("Move to flyte-core", id="migrate", compact=True),  # shown for a flyte-binary release
            classes="buttons",
            id="release-buttons",
        ),
    ]


def file_controls() -> list[Widget]:
    """The path input with its open (answers) and import (values) buttons."""
    from textual.widgets import Input, Label  # loaded after the first frame (start-up)

    return [
        Label("…or continue from a file"),
        # the values module's DEFAULT_NAME, written out: that module loads the renderer (start-up)
        Input(placeholder="path to flyte-tui.yaml or a flyte-values.yaml", id="path"),
        Horizontal(
            Button("Open answers file", id="open", compact=True),
            Button("Import values file", id="import", compact=True),
            classes="buttons",
        ),
    ]
