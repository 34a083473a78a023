"""What every wizard step shares: the step list, the form area, Back/Next, and problems mapped to fields."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from flyte_tui.tui.screens.state import STEPS, WizardState, step
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note
from flyte_tui.tui.widgets.step_list import StepList

FORMS_CSS = Path(__file__).parent.parent / "styles" / "forms.tcss"
"""Styles of the forms: loaded with the first form screen, not at start-up."""


class StepScreen(Screen[None]):
    """A wizard step: subclasses yield their fields from :meth:`compose_form`."""

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = FORMS_CSS
    AUTO_FOCUS = ""  # on_mount focuses the right field itself (one focus change, not two)
    STEP_ID: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""
    NAV: ClassVar[bool] = True
    """Whether the step has Back/Next buttons (Ctrl+N and Esc work everywhere). The welcome screen has
    neither them nor a VerticalScroll (its form scrolls by CSS alone): fewer widget kinds, faster first paint."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
    ]

    class Navigate(Message):
        """Ask the app to move: ``next``, ``back``, or a step id (optionally focusing a field path)."""

        def __init__(self, to: str, focus: str | None = None) -> None:
            super().__init__()
            self.to = to
            self.focus = focus

    def __init__(self, state: WizardState, focus: str | None = None) -> None:
        super().__init__(id=f"screen-{self.STEP_ID}")
        self.state = state
        self.focus_path = focus

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield StepList(id="steps")
            with Vertical(id="main"):
                yield Static(step(self.STEP_ID).title, id="step-title", markup=False)
                if self.INTRO:
                    yield Static(self.INTRO, id="step-intro", markup=False)
                with (VerticalScroll(id="form") if self.NAV else Vertical(id="form")):
                    yield from self.compose_form()
                    if self.NAV:
                        yield Note(id="step-problems")
                if self.NAV:
                    with Horizontal(id="nav"):
                        yield Button("← Back", id="back", compact=True)
                        yield Note(id="nav-status", keep_space=True)
                        yield Button("Next →", id="next", variant="primary", compact=True)
        yield Footer()

    def field(self, path: str, **options: Any) -> FormField:
        """A field for ``path`` showing the current answer; the preset's value shows where there is none."""
        value = self.state.get(path)
        effective = self.state.effective(path)
        if value is None and options.get("kind") in ("select", "switch"):
            value = effective
        elif value is None and effective is not None and not isinstance(effective, dict | list):
            options.setdefault("placeholder", str(effective))
        field = FormField(path, value, **options)
        field.display = self.applies(path)  # decided before mounting: no second layout pass
        return field

    def compose_form(self) -> ComposeResult:
        """The step's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        if getattr(self.app, "deterministic", False):
            self.stop_blinking()
        self.refresh_problems()
        if self.focus_path:
            self.focus_field(self.focus_path)
        else:
            first = next(iter(self.query(FormField)), None)
            if first is not None:
                first.focus_input()

    def stop_blinking(self) -> None:
        """Steady cursors, for snapshots that do not depend on when they are taken."""
        from textual.widgets import Input, TextArea

        for widget in self.query(Input):
            widget.cursor_blink = False
        for area in self.query(TextArea):
            area.cursor_blink = False

    def focus_field(self, path: str) -> bool:
        """Focus the field that edits ``path`` (or the nearest field above it); False when none does."""
        parts = path.split(".")
        while parts:
            found = self.query(f"#{field_id('.'.join(parts))}")
            if found:
                field = found.first(FormField)
                field.focus_input()
                field.scroll_visible()
                return True
            parts.pop()
        return False

    def applies(self, path: str) -> bool:
        """Whether the field for ``path`` applies to the current answers (subclasses decide)."""
        return True

    def refresh_problems(self) -> None:
        """Show each problem under its field, the rest in a list; update the step list and Next's status."""
        validation = self.state.validation
        shown: set[str] = set()
        for field in self.query(FormField):
            applies = self.applies(field.path)
            if field.display != applies:
                field.display = applies
            mine = [p for p in validation.problems if p.path == field.path]
            field.show_problems(mine)
            if field.display:
                shown.add(field.path)
        others = [p for p in self.state.problems_for(self.STEP_ID) if p.path not in shown]
        lines = [("✗ " if p.severity == "error" else "⚠ ") + str(p) for p in others]
        self.query_one("#step-problems", Note).show("\n".join(lines))
        errors = len(self.state.errors_for(self.STEP_ID))
        status = f"{errors} error{'s' * (errors != 1)} on this step" if errors else ""
        self.query_one("#nav-status", Note).show(status)
        with_errors = {s.id for s in STEPS if s.id != "review" and self.state.errors_for(s.id)}
        self.query_one(StepList).show(self.STEP_ID, self.state.visited, with_errors)
        self.refresh_extras()

    def refresh_extras(self) -> None:
        """Update whatever else the step derives from the answers (previews, notes)."""

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Go to the previous step."""
        self.post_message(self.Navigate("back"))

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        """Go to the next step (the app refuses while this step has errors)."""
        self.post_message(self.Navigate("next"))

    @on(StepList.Selected)
    def _jump(self, event: StepList.Selected) -> None:
        self.post_message(self.Navigate(event.step_id))

