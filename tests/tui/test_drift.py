"""The drift dialog: saved answers vs the live release, and the user's choice."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from flyte_tui.review.diff import answers_diff
from flyte_tui.tui.dialogs.drift import DriftDialog


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.choice: Any = None

    def on_mount(self) -> None:
        changes = answers_diff({"database": {"host": "db.old"}, "storage": {"region": "us-east-1"}},
                               {"database": {"host": "db.new"}, "storage": {"region": "us-east-1"}})
        self.push_screen(DriftDialog(changes, "flyte-tui.yaml"), lambda c: setattr(self, "choice", c))


@pytest.mark.parametrize(("button", "choice"), [("#live", "live"), ("#saved", "saved"), ("#cancel", "cancel")])
async def test_drift_lists_the_differences_and_returns_the_choice(button: str, choice: str) -> None:
    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        lines = str(app.screen.query_one("#drift-lines", Static).render())
        assert lines == "database.host: 'db.old' (file) → 'db.new' (live)"
        await pilot.click(button)
        await pilot.pause()
    assert app.choice == choice
