"""Step 8: the values YAML, every remaining problem (each jumps to its field), the helm command, Save."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.state import HELM_INSTALL, helm_problem
from flyte_tui.tui.steps import step_of
from flyte_tui.tui.widgets.note import Note

if TYPE_CHECKING:
    from flyte_tui.charts import PlannedRelease


class ReviewScreen(StepScreen):
    """Everything that will be written, checked one last time."""

    DEFAULT_CSS = "ReviewScreen #planes-values { height: auto; }"
    STEP_ID = "review"

    class SaveRequested(Message):
        """Save the answers and values to the files chosen here (and install, when ``install``)."""

        def __init__(self, install: bool = False) -> None:
            super().__init__()
            self.install = install

    def compose_form(self) -> ComposeResult:
        yield Label("Remaining problems (Enter jumps to the field)", classes="section")
        yield OptionList(id="problems")
        yield Label("Helm command", classes="section")
        yield Static("", id="helm", markup=False)
        yield Label("Answers file", classes="field-label")
        yield Input(str(self.state.answers_path), id="answers-path")
        yield Label("Values file", classes="field-label")
        yield Input(str(self.state.values_path), id="values-path")
        helm = helm_problem(self.state.detection)
        yield Note(self.helm_warning(helm) if helm else "", id="helm-missing", classes="warning", readable=True)
        with Horizontal(classes="buttons"):
            yield Button("Save", id="save", variant="primary", compact=True)
            yield Button("Save and install", id="install", compact=True,
                         tooltip="Save, then run helm and watch Flyte come up")
        # auth on: the redirect URIs, grant types and scopes to register at the IdP, per client
        idp_label = Label("What to register at the IdP", id="idp-label", classes="section")
        idp_label.display = False
        yield idp_label
        yield Note(id="idp-register", readable=True)
        yield Label("Values (flyte-core)", id="values-label", classes="section")
        yield Note(id="values", readable=True, keep_space=True)
        yield Vertical(id="planes-values")  # with data planes: each one's values file, in install order
        # a sandbox's dependency release (minio, PostgreSQL) goes first: its own values, shown only then
        yield Label("Values of the dependencies (flyte-deps, installed first)", id="deps-label", classes="section")
        yield Note(id="deps-values", readable=True, keep_space=True)

    @staticmethod
    def helm_warning(problem: str) -> str:
        """Said above Save and install while the installer could not run helm."""
        return (f"⚠ {problem}. Save and install needs helm 3 or 4: install it ({HELM_INSTALL}) or pick "
                "the binary on the Welcome screen. Save works without it.")

    _planes_shown: list[tuple[str, str]] = []  # noqa: RUF012 - replaced, never changed in place
    _planes_notes: list[Note] = []  # noqa: RUF012

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#problems" if self.state.validation.problems else "#save").focus()

    def _paths(self) -> tuple[Path, Path]:
        answers = Path(self.query_one("#answers-path", Input).value.strip() or str(self.state.answers_path))
        values = Path(self.query_one("#values-path", Input).value.strip() or str(self.state.values_path))
        return answers, values

    def refresh_extras(self) -> None:
        validation = self.state.validation
        problems = self.query_one("#problems", OptionList)
        problems.clear_options()
        for index, problem in enumerate(validation.problems):
            mark = "✗" if problem.severity == "error" else "⚠"
            where = step_of(problem.path).title
            problems.add_option(Option(f"{mark} {problem}  [{where}]", id=str(index)))
        if validation.problems:
            problems.highlighted = 0
        else:
            problems.add_option(Option("No problems: ready to save.", disabled=True))
        helm = self.query_one("#helm", Static)
        values = self.query_one("#values", Note)
        _answers, values_path = self._paths()
        releases = self.state.releases()  # rendered once: the save and the installer take the same
        deps = [r for r in releases or [] if r.serves]
        for widget in ("#deps-label", "#deps-values"):
            self.query_one(widget).display = bool(deps)
        if validation.plan is not None:
            from flyte_tui.review.auth import registration_lines

            self.show_registration(registration_lines(validation.plan, "wizard"))
        else:
            self.show_registration([])
        if releases and validation.plan is not None:
            from flyte_tui.charts import flyte_release
            from flyte_tui.tools.helm import display, upgrade_install_argv

            # every release's command, in install order (the dependencies first)
            helm.update("\n".join(display(upgrade_install_argv(r, r.values_path(values_path))) for r in releases))
            if self._show_values(values, flyte_release(releases), values_path) and deps:
                self._show_values(self.query_one("#deps-values", Note), deps[0], values_path)
        else:
            helm.update("(shown once the errors above are fixed)")
            values.update("The values file is rendered once every error above is fixed.")
        self._show_planes([r for r in releases or [] if r.data_plane], values_path)

    def _show_planes(self, planes: Sequence[PlannedRelease], values_path: Path) -> None:
        """Each data plane's values file under its own title (the control plane's is the one above); the section
        is hidden for one cluster."""
        box = self.query_one("#planes-values", Vertical)
        box.display = bool(planes)
        control = "Values of the control plane (flyte-core, installed after the data planes)"
        self.query_one("#values-label", Label).update(control if planes else "Values (flyte-core)")
        shown = [(r.data_plane, r.context) for r in planes]
        if shown != self._planes_shown:
            self._planes_shown, self._planes_notes = shown, []
            box.remove_children()
            widgets: list[Label | Note] = []
            for release in planes:
                file = release.values_path(values_path).name
                title = f"Values of data plane {release.data_plane} ({file}, context {release.context}): "
                title += "installed before the control plane"
                widgets.append(Label(title, classes="section", markup=False))
                self._planes_notes.append(Note(readable=True, keep_space=True, classes="plane-values"))
                widgets.append(self._planes_notes[-1])
            box.mount_all(widgets)
        for release, note in zip(planes, self._planes_notes, strict=True):
            self._show_values(note, release, values_path)

    def show_registration(self, lines: Sequence[str]) -> None:
        """Show what to register at the IdP, one line each (the section is hidden without lines: auth off)."""
        self.query_one("#idp-register", Note).show("\n".join(lines))
        self.query_one("#idp-label").display = bool(lines)

    def _show_values(self, note: Note, release: PlannedRelease, values_path: Path) -> bool:
        """A release's values file as it will be written (merged into the one there); False when it cannot be."""
        from rich.syntax import Syntax

        from flyte_tui.charts.values_file import rendered
        from flyte_tui.files.values import preview_text
        from flyte_tui.files.yamlio import UnmergeableFile

        path = release.values_path(values_path)
        try:
            text = preview_text(rendered(release), path, self._paths()[0].name)
        except OSError as exc:  # UnmergeableFile, or a file that cannot be read
            message = str(exc) if isinstance(exc, UnmergeableFile) else f"cannot read {path}: {exc}"
            note.update(Text(message, style="bold red"))
            return False
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        note.update(Syntax(text, "yaml", theme=theme, background_color="default", word_wrap=False))
        return True

    @on(OptionList.OptionSelected, "#problems")
    def _jump_to_problem(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        problem = self.state.validation.problems[int(event.option.id)]
        self.post_message(self.Navigate(step_of(problem.path).id, problem.path))

    @on(Input.Changed, "#values-path")
    def _values_path(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_extras()

    @on(Button.Pressed, "#save, #install")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        self.state.answers_path, self.state.values_path = self._paths()
        install = event.button.id == "install"
        problem = helm_problem(self.state.detection)
        if install and problem:
            self.notify(self.helm_warning(problem), title="Saved, not installed", severity="error")
            install = False
        self.post_message(self.SaveRequested(install=install))
