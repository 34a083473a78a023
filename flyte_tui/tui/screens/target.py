"""Step 2: the cluster context, namespace, release name, which chart (flyte-binary or flyte-core) and where it
comes from."""

from __future__ import annotations

from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Label, RadioSet

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.state import WizardState
from flyte_tui.tui.widgets.choices import Choice, Choices
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note

SourceKind = Literal["repo", "path", "oci"]
SOURCE_FIELDS: dict[str, tuple[SourceKind, ...]] = {
    "target.chart.repo": ("repo",),
    "target.chart.name": ("repo",),
    "target.chart.version": ("repo", "oci"),
    "target.chart.path": ("path",),
    "target.chart.oci": ("oci",),
}
CHARTS: dict[str, str] = {
    "flyte-binary": "flyte-binary (one Deployment)",
    "flyte-core": "flyte-core (one per component)",
}
"""The charts offered, by name, with what sets them apart."""
SOURCE_LABELS: dict[SourceKind, str] = {
    "repo": "Helm repository + version",
    "path": "Local chart directory or .tgz",
    "oci": "OCI reference",
}


class TargetScreen(StepScreen):
    """Context, namespace, release name, the chart and its source (repository, local path or OCI)."""

    STEP_ID = "target"

    def __init__(self, state: WizardState, focus: str | None = None) -> None:
        super().__init__(state, focus)
        self.source: SourceKind = "repo"
        for kind in ("path", "oci"):
            if state.get(f"target.chart.{kind}"):
                self.source = kind

    def compose_form(self) -> ComposeResult:
        detection = self.state.detection
        contexts = list(detection.contexts) if detection else []
        current = self.state.get("target.context") or ""
        if contexts:
            if current and current not in contexts:
                contexts.append(current)
            yield self.field("target.context", kind="select", choices=contexts)
        else:
            yield self.field("target.context", placeholder="(current context)")
        yield self.field("target.namespace")
        yield self.field("target.release")
        from flyte_tui.charts.flyte_binary import GUIDANCE
        from flyte_tui.model.plan import DEFAULT_CHART

        chart = self.state.get("target.chart.name") or DEFAULT_CHART
        yield Label("Chart", classes="field-label")
        with Choices(id="chart"):
            for name, label in CHARTS.items():
                yield Choice(label, value=name == chart, name=name)
        yield Note(GUIDANCE, id="chart-guidance")
        yield Label("Chart source", classes="field-label")
        with Choices(id="source"):
            for kind, label in SOURCE_LABELS.items():
                yield Choice(label, value=kind == self.source, name=kind)
        for path in SOURCE_FIELDS:
            yield self.field(path)
        listing = Button("List the repository's versions", id="list-versions", compact=True)
        listing.display = self.source == "repo"  # only a repository can be asked (decided before mounting)
        yield listing
        yield Note(id="versions", readable=True)

    def on_descendant_focus(self) -> None:
        """A chart or source choice taking the focus is shown whole (the form is taller than 24 lines)."""
        super().on_descendant_focus()
        if isinstance(self.focused, Choices):
            self.focused.scroll_visible(animate=False, immediate=True)

    def applies(self, path: str) -> bool:
        kinds = SOURCE_FIELDS.get(path)
        return kinds is None or self.source in kinds

    def refresh_extras(self) -> None:
        repo = self.source == "repo"
        self.query_one("#list-versions").display = repo
        if not repo:
            self.query_one("#versions", Note).show("")

    @on(RadioSet.Changed, "#chart")
    def _chart_changed(self, event: RadioSet.Changed) -> None:
        """A chart chosen: its name is the answer (the name field shows it when the source is a repository)."""
        event.stop()
        from textual.widgets import Input

        name = str(event.pressed.name)
        self._field("target.chart.name").query_one(Input).value = name  # the field sends the change
        self.post_message(FormField.Changed("target.chart.name", name))

    @on(RadioSet.Changed, "#source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.source = event.pressed.name  # type: ignore[assignment]
        # Exactly one source may be set: send the visible fields' text, clear the others.
        for path, kinds in SOURCE_FIELDS.items():
            field = self._field(path)
            if path in ("target.chart.repo", "target.chart.path", "target.chart.oci"):
                value = field.current_value() if self.source in kinds else ""
                self.post_message(FormField.Changed(path, value))
        self.refresh_problems()

    class Versions(Message):
        """The repository's chart versions (or why they could not be listed)."""

        def __init__(self, versions: list[str], error: str = "") -> None:
            super().__init__()
            self.versions = versions
            self.error = error

    @on(Button.Pressed, "#list-versions")
    def _list_versions(self, event: Button.Pressed) -> None:
        event.stop()
        repo = self.state.get("target.chart.repo", "")
        if not repo:
            self._say("Set the repository URL first.")
            return
        self._say("Asking the repository…")
        self._fetch_versions(self.state.tools()[0], repo, self.state.get("target.chart.name", "flyte-core"))

    @work(thread=True, exclusive=True, group="versions", exit_on_error=False)
    def _fetch_versions(self, helm: str, repo: str, name: str) -> None:
        from flyte_tui.tools.helm import Helm, HelmError, repo_versions
        from flyte_tui.tools.process import ProcessError

        try:
            self.post_message(self.Versions(repo_versions(Helm(helm), repo, name)))
        except (HelmError, ProcessError, ValueError) as exc:
            self.post_message(self.Versions([], str(exc)))

    def _say(self, text: str) -> None:
        """Show what the listing found (or why not), scrolled into view: it is below the last field."""
        shown = self.query_one("#versions", Note)
        shown.show(text)
        self.reveal(shown)

    @on(Versions)
    def _versions(self, message: Versions) -> None:
        if self.source != "repo":
            return  # the user switched to a path or OCI reference meanwhile
        if message.error or not message.versions:
            self._say(f"Cannot list versions: {message.error or 'none found'}")
            return
        self._say("Available (newest first): " + ", ".join(message.versions[:12]))
        if not self.state.get("target.chart.version"):
            from textual.widgets import Input

            # typing it in for the user: the field sends the change like any keystroke would
            self._field("target.chart.version").query_one(Input).value = message.versions[0]

    def _field(self, path: str) -> FormField:
        return self.query_one(f"#{field_id(path)}", FormField)
