"""What a user of the wizard sees, for Pilot tests on the test bed: waiting on it and reading it by widget id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.widgets import DataTable, Input

from flyte_tui.tui.widgets.field import field_id


async def until(pilot: Any, check: Callable[[], object], seconds: float = 120) -> None:
    """Let the app run until ``check()`` is true (helm, kubectl and the watch run in worker threads)."""
    for _ in range(int(seconds * 10)):
        if check():
            await pilot.pause()
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out after {seconds:g}s waiting in the app (screen: {pilot.app.screen!r})")


def shows(app: App[Any], selector: str) -> bool:
    """Whether the screen on top has a widget matching ``selector`` (``#runner-title``…)."""
    return bool(app.screen.query(selector))


def text(app: App[Any], selector: str) -> str:
    """The text of the widget ``selector`` on the screen on top, as rendered ("" when it is not there)."""
    found = app.screen.query(selector)
    return str(found.first().render()) if found else ""


def field_value(app: App[Any], path: str) -> str:
    """What the text field for an answer path shows on the current step."""
    return app.screen.query_one(f"#{field_id(path)} .field-input", Input).value


def table_rows(app: App[Any], selector: str) -> dict[str, list[str]]:
    """The rows of a DataTable on the screen on top, by row key, each cell as its text."""
    table = app.screen.query_one(selector, DataTable)
    return {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}


def toasts(app: App[Any]) -> list[str]:
    """The notifications on screen (title and message of each); the app must run with
    ``run_test(notifications=True)``, as Pilot hides them by default."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]
