"""Keyboard helpers for Pilot tests: everything goes through key presses, as a user would type."""

from __future__ import annotations

import time

from textual import events
from textual.errors import NoWidget
from textual.geometry import Region
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widget import Widget

from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.widgets.field import FormField, field_id

SIZE = (80, 24)


async def ready(pilot: Pilot[None], seconds: float = 10) -> None:
    """Wait until the welcome screen shows the detection and all its controls (the real detection runs
    helm and kubectl, a few seconds on a busy machine)."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    deadline = time.monotonic() + seconds
    while True:
        screen = app.screen
        controls = getattr(screen, "controls_ready", True)
        if app.detection is not None and controls:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"the welcome screen did not finish detection within {seconds:g}s")
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()


def focused_path(app: WizardApp) -> str | None:
    """The answer path of the field that has the focus."""
    node = app.focused
    while node is not None and not isinstance(node, FormField):
        node = node.parent  # type: ignore[assignment]
    return node.path if isinstance(node, FormField) else None


async def tab_to(pilot: Pilot[None], path: str, limit: int = 60) -> None:
    """Press Tab until the field for ``path`` has the focus."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    for _ in range(limit):
        if focused_path(app) == path:
            return
        await tab(pilot)
    raise AssertionError(f"Tab never reached {path} (focus: {app.focused})")


async def tab_to_id(pilot: Pilot[None], widget_id: str, limit: int = 60) -> None:
    """Press Tab until the widget with this id has the focus."""
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await tab(pilot)
    raise AssertionError(f"Tab never reached #{widget_id} (focus: {pilot.app.focused})")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Send one key event per character through the driver, as a fast typist would, then settle.

    ``Pilot.press`` waits for the app to go idle after every key (about 60 ms each); the events here
    take the same path (driver → app → focused widget) without the wait between them.
    """
    for char in text:
        if char == "\n":
            send_key(pilot, "enter", "\r")
            continue
        key = char if char.isalnum() else _character_to_key(char)
        send_key(pilot, key, char)
    # key → app → focused input → Input.Changed → FormField.Changed → app: let each hop run
    await pilot.pause()
    await pilot.pause()


def send_key(pilot: Pilot[None], key: str, char: str | None = None) -> None:
    """Put one key event on the driver's queue."""
    driver = pilot.app._driver
    assert driver is not None
    event = events.Key(key, char)
    event.set_sender(pilot.app)
    driver.send_message(event)


async def tab(pilot: Pilot[None]) -> None:
    """One Tab, settled: the focus moved and the scroll that brings it into view done (on a loaded machine
    that scroll lands a refresh after the focus)."""
    send_key(pilot, "tab")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def type_into(pilot: Pilot[None], path: str, text: str) -> None:
    """Tab to a text field, clear it and type ``text``."""
    await tab_to(pilot, path)
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


async def choose(pilot: Pilot[None], path: str, option: str, options: tuple[str, ...]) -> None:
    """Tab to a select field and pick ``option`` with the arrow keys."""
    await tab_to(pilot, path)
    await pilot.press("enter")
    await pilot.pause()
    # The overlay opens on the current value; Home goes to the blank line at the top.
    await pilot.press("home", *(["down"] * (options.index(option) + 1)), "enter")
    await pilot.pause()


async def next_step(pilot: Pilot[None]) -> None:
    """Ctrl+N: the next step."""
    send_key(pilot, "ctrl+n")
    await pilot.pause()
    await pilot.pause()


async def click_into(pilot: Pilot[None], path: str, text: str) -> None:
    """Click the field's input (the mouse way in), clear it and type ``text``."""
    await pilot.click(f"#{field_id(path)} .field-input")
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


def on_screen(app: WizardApp, widget: Widget) -> bool:
    """Whether the whole widget is on screen now (not scrolled away, not cut off by its container)."""
    if not widget.display:
        return False
    try:
        geometry = app.screen.find_widget(widget)
    except NoWidget:
        return False
    return geometry.region.area > 0 and geometry.visible_region == geometry.region


def shown_text(widget: Widget) -> str:
    """The text the widget paints (its lines joined), as a user reads it."""
    width, height = widget.size
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height)))
