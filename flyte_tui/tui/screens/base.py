"""What every wizard step shares: the step list, the form area, Back/Next, and problems mapped to fields."""

from __future__ import annotations

from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Static
from textual.worker import Worker, WorkerState

from flyte_tui.tui.state import WizardState
from flyte_tui.tui.steps import STEP_IDS, STEPS, step
from flyte_tui.tui.styles import FORMS_CSS
from flyte_tui.tui.widgets.field import FormField
from flyte_tui.tui.widgets.note import Note
from flyte_tui.tui.widgets.step_list import StepList

if TYPE_CHECKING:
    from flyte_tui.model import Problem

R = TypeVar("R")


class WorkScreen(Screen[R]):
    """A screen that runs workers. ``Worker.StateChanged`` goes only to the worker's owner, so the screen
    passes a failure on to the app, whose one handler reports it (``WizardApp.on_worker_state_changed``)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.app.post_message(event)


class StepCommands(Provider):
    """Go to a step of the wizard, listed in the order of the steps (once the session has begun); Textual's
    system commands are listed alphabetically, which would put Database before Target."""

    def _commands(self) -> list[tuple[str, str, str]]:
        state = getattr(self.screen, "state", None)
        if state is None or not state.started:
            return []
        return [(f"Go to {s.title}", f"Step {n} of {len(STEPS)}: open {s.title}", s.id) for n, s in
                enumerate(STEPS, 1)]

    def _go(self, step_id: str) -> None:
        self.screen.post_message(StepScreen.Navigate(step_id))

    async def discover(self) -> Hits:
        for name, help_text, step_id in self._commands():
            yield DiscoveryHit(name, partial(self._go, step_id), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, step_id in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._go, step_id), text=name, help=help_text)


class StepScreen(WorkScreen[None]):
    """A wizard step: subclasses yield their fields from :meth:`compose_form`.

    The screen changes the answers in the :class:`WizardState` it is given (each field's change, as it
    comes) and says so with :class:`Edited`; it asks the app to move with :class:`Navigate`.
    """

    CSS_PATH: ClassVar[str | PurePath | list[str | PurePath] | None] = FORMS_CSS  # styles of the forms
    AUTO_FOCUS = ""  # on_mount focuses the right field itself (one focus change, not two)
    STEP_ID: ClassVar[str] = ""
    INTRO: ClassVar[str] = ""
    NAV: ClassVar[bool] = True
    """Whether the step has Back/Next buttons (Ctrl+N and Esc work everywhere). The welcome screen has
    neither them nor a VerticalScroll (its form scrolls by CSS alone): fewer widget kinds, faster first paint."""

    COMMANDS = Screen.COMMANDS | {StepCommands}  # "Go to <step>" in the wizard's order
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
    ]

    class Navigate(Message):
        """Ask the app to show a step (optionally focusing a field path)."""

        def __init__(self, to: str, focus: str | None = None) -> None:
            super().__init__()
            self.to = to
            self.focus = focus

    class Edited(Message):
        """The screen changed the answers (the app autosaves them)."""

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
                # The form scrolls to whatever has the focus; it takes none itself (an invisible Tab stop).
                with (VerticalScroll(id="form", can_focus=False) if self.NAV else Vertical(id="form")):
                    yield from self.compose_form()
                    if self.NAV:
                        yield Note(id="step-problems", readable=True)
                if self.NAV:
                    # the focused table cell's problem: always in view, readable without colour
                    yield Note(id="cell-problem", classes="field-error")
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
        if self.state.steady:
            self.stop_blinking()
        self.refresh_problems()
        if self.focus_path:  # after the first layout, so the field can be scrolled to
            self.call_after_refresh(self.focus_field, self.focus_path)
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
        """Focus the field that edits ``path`` and scroll it into view: the field itself, else the first
        shown field under it (``database.passwordSecret`` → its name), else the nearest field above it;
        False when none does."""
        widget = self.widget_for(path)
        if widget is None:
            return False
        if isinstance(widget, FormField):
            widget.focus_input()
        else:
            widget.focus()
        self.reveal(widget)
        return True

    def reveal(self, widget: Widget) -> None:
        """Scroll ``widget`` into view once its text has been laid out (it may just have changed)."""
        if isinstance(widget, Note):
            widget.reveal()
        else:
            self.call_after_refresh(widget.scroll_visible, animate=False)

    def widget_for(self, path: str) -> Widget | None:
        """The widget that edits ``path`` (see :meth:`focus_field`); screens add their own controls."""
        fields = [f for f in self.query(FormField) if f.display]
        exact = next((f for f in fields if f.path == path), None)
        if exact is not None:
            return exact
        below = next((f for f in fields if f.path.startswith(path + ".")), None)
        if below is not None:
            return below
        parts = path.split(".")[:-1]
        while parts:
            above = next((f for f in fields if f.path == ".".join(parts)), None)
            if above is not None:
                return above
            parts.pop()
        return None

    def on_input_submitted(self, event: Message) -> None:
        """Enter in a field moves on to the next one; after the last field, to Next (never to Back, so
        Enter, Enter does not leave the step backwards)."""
        event.stop()
        self.focus_next()
        for _ in range(8):  # past the readable notes: Enter moves between things to act on
            focused = self.focused
            if focused is None or not focused.has_class("-readable"):
                break
            self.focus_next()
        if self.NAV and self.focused is not None and self.focused.id == "back":
            self.query_one("#next", Button).focus()

    def on_descendant_focus(self) -> None:
        self.show_cell_problem()

    def show_cell_problem(self) -> None:
        """Under the form, the problem of the focused table cell (cells have no room for their own line)."""
        if not self.NAV:
            return
        node = self.focused
        while node is not None and not isinstance(node, FormField):
            node = node.parent  # type: ignore[assignment]
        text = ""
        if isinstance(node, FormField) and node.compact and node.problem_text:
            text = f"{node.problem_text[:1]} {node.path}: {node.problem_text[2:]}"
        self.query_one("#cell-problem", Note).show(text)

    def applies(self, path: str) -> bool:
        """Whether the field for ``path`` applies to the current answers (subclasses decide)."""
        return True

    def refresh_problems(self) -> None:
        """Show each problem under its field (a problem of a parent path under the first shown field in
        it, e.g. a missing chart source under the source field), the rest in a list; update the step list
        and Next's status."""
        validation = self.state.validation
        fields = list(self.query(FormField))
        for field in fields:
            applies = self.applies(field.path)
            if field.display != applies:
                field.display = applies
        shown_fields = [f for f in fields if f.display]
        owned: dict[str, list[Problem]] = {f.path: [] for f in fields}
        shown: set[str] = set()
        for problem in validation.problems:
            owner = next((f for f in shown_fields if f.path == problem.path), None) or next(
                (f for f in shown_fields if f.path.startswith(problem.path + ".")), None)
            if owner is None and problem.path in owned:
                owned[problem.path].append(problem)  # a hidden field keeps it (and the list shows it)
            elif owner is not None:
                owned[owner.path].append(problem)
                shown.add(problem.path)
        for field in fields:
            field.show_problems(owned[field.path])
        others = [p for p in self.state.problems_for(self.STEP_ID) if p.path not in shown]
        lines = [("✗ " if p.severity == "error" else "⚠ ") + str(p) for p in others]
        self.query_one("#step-problems", Note).show("\n".join(lines))
        self.show_cell_problem()
        errors = len(self.state.errors_for(self.STEP_ID))
        status = f"{errors} error{'s' * (errors != 1)} on this step" if errors else ""
        self.query_one("#nav-status", Note).show(status)
        self.query_one(StepList).show(self.STEP_ID, self.state.visited, self.state.steps_with_errors())
        self.refresh_extras()

    def refresh_extras(self) -> None:
        """Update whatever else the step derives from the answers (previews, notes)."""

    @on(FormField.Changed)
    def _field_changed(self, message: FormField.Changed) -> None:
        """A field (or the screen itself) changed an answer: keep it, check it, say so."""
        message.stop()
        if message.field is not None and not message.field.holds(message.value):
            return  # overtaken by newer typing (a paste): the change that follows carries the current value
        if self.state.set(message.path, message.value):
            self.refresh_problems()
            self.post_message(self.Edited())

    def answers_edited(self) -> None:
        """The screen changed the answers itself (not through a field): show what that means, say so."""
        self.refresh_problems()
        self.post_message(self.Edited())

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Go to the previous step."""
        index = STEP_IDS.index(self.STEP_ID)
        if index > 0:
            self.post_message(self.Navigate(STEP_IDS[index - 1]))

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        """Go to the next step; refused, with the list of what is wrong, while this step has errors."""
        index = STEP_IDS.index(self.STEP_ID)
        if index + 1 >= len(STEP_IDS):
            return
        errors = self.state.errors_for(self.STEP_ID)
        if not errors:
            self.post_message(self.Navigate(STEP_IDS[index + 1]))
            return
        self.notify(
            "\n".join(f"• {p}" for p in errors[:8]),
            title=f"Fix {len(errors)} error{'s' * (len(errors) != 1)} before going on",
            severity="error",
        )
        self.focus_field(errors[0].path)

    @on(StepList.Selected)
    def _jump(self, event: StepList.Selected) -> None:
        self.jump(event.step_id)

    def jump(self, step_id: str) -> None:
        """Go to the step the user picked in the step list."""
        self.post_message(self.Navigate(step_id))

