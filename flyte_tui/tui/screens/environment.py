"""Step 3: sandbox, EKS, GKE or generic, as cards; choosing one applies its preset and says what it filled. Below
them, the private registry: a mirror every image is pulled from, and the pull secret."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Label, Static

from flyte_tui.presets import DESCRIPTIONS, PRESET_NAMES
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.card import Card
from flyte_tui.tui.widgets.note import Note

REGISTRY_INTRO = (
    "Air-gapped cluster? Every image is pulled from this mirror instead (`flyte-tui images` lists what to copy). "
    "Leave both empty for the public registries."
)
TITLES = {"sandbox": "Sandbox", "eks": "AWS EKS", "gke": "Google GKE", "generic": "Generic Kubernetes"}


def summarize_filled(paths: list[str]) -> str:
    """``storage (type, auth); database (port, …)``: the filled leaf names grouped by section."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        section, _, rest = path.partition(".")
        groups.setdefault(section, []).append(rest or section)
    parts = []
    for section, names in groups.items():
        shown = sorted({n.split(".")[0] for n in names})
        parts.append(f"{section} ({', '.join(shown)})")
    return "; ".join(parts)


class EnvironmentScreen(StepScreen):
    """Pick the environment; its preset fills the answers you have not typed yourself."""

    STEP_ID = "environment"
    INTRO = "Where does Flyte run? The choice fills recommended answers; you can change each one later."

    def compose_form(self) -> ComposeResult:
        current = self.state.get("environment")
        with Grid(id="cards"):
            for name in PRESET_NAMES:
                yield Card(name, TITLES.get(name, name), DESCRIPTIONS[name], selected=name == current)
        yield Note(id="filled", readable=True)
        yield Label("Private registry", classes="section")
        yield Static(REGISTRY_INTRO, id="registry-intro", classes="field-help", markup=False)
        yield self.field("images.registry", label="Registry mirror", placeholder="registry.corp.example:5000")
        yield self.field("images.pullSecret", label="Pull secret name", placeholder="regcred")

    def on_mount(self) -> None:
        self.focus_path = self.focus_path or "environment"  # the chosen card, not the registry fields below
        super().on_mount()

    def widget_for(self, path: str) -> Widget | None:
        if path in ("environment", "apiVersion", "kind"):
            current = self.state.get("environment")
            return self.query_one(f"#card-{current}" if current in PRESET_NAMES else "#card-sandbox")
        return super().widget_for(path)

    @on(Card.Chosen)
    def _chosen(self, event: Card.Chosen) -> None:
        event.stop()
        for card in self.query(Card):
            card.set_class(card is event.card, "-selected")
        environment = event.card.value
        filled = self.state.choose_environment(environment)
        self.show_filled(environment, filled)
        self.post_message(self.Edited())

    def show_filled(self, environment: str, paths: list[str]) -> None:
        """Say which answers the preset filled (and what that means for every field)."""
        note = self.query_one("#filled", Note)
        if paths:
            note.show(f"The {environment} preset filled {len(paths)} answers: {summarize_filled(paths)}.")
        else:
            note.show(f"Environment {environment}: your own answers were kept; the preset filled nothing new.")
        self.refresh_problems()
        self.reveal(note)  # below the cards: bring it into view
