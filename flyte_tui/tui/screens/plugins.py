"""Step 8: task plugins beyond plain containers, one line each: a switch, what the plugin is for and what it needs
on the cluster (its operator and CRDs); a problem of a chosen plugin shows under its line."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static, Switch

from flyte_tui.model.plugins import CATALOG, Plugin
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.choices import Toggle
from flyte_tui.tui.widgets.note import Note

TITLES = {
    "spark": "Spark",
    "ray": "Ray",
    "pytorch": "PyTorch",
    "tensorflow": "TensorFlow",
    "mpi": "MPI",
    "dask": "Dask",
    "connector": "Connectors",
}
"""How each plugin is named on its line."""


def needs(plugin: Plugin) -> str:
    """What the plugin needs on the cluster, in one line: the operator and the CRDs it installs."""
    crds = ", ".join(f"{c.name} ({'/'.join(c.versions)})" for c in plugin.crds)
    return f"Needs: {plugin.operator}" + (f"; CRD {crds}" if crds else "")


def switch_id(name: str) -> str:
    """The DOM id of a plugin's switch."""
    return f"plugin-{name}"


class PluginLine(Horizontal):
    """One plugin: its switch, then its name and purpose, what it needs, and its problem line."""

    DEFAULT_CSS: ClassVar[str] = """
    PluginLine { height: auto; margin-bottom: 1; }
    PluginLine > Vertical { height: auto; width: 1fr; padding-left: 1; }
    """

    def __init__(self, plugin: Plugin, chosen: bool) -> None:
        super().__init__(id=f"line-{plugin.name}", classes="plugin-line")
        self.plugin = plugin
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        p = self.plugin
        yield Toggle(self.chosen, id=switch_id(p.name), classes="plugin-switch", tooltip=p.install)
        with Vertical():
            yield Static(f"{TITLES.get(p.name, p.name)} ({p.name}): {p.purpose}", classes="field-label", markup=False)
            yield Static(needs(p), classes="field-help", markup=False)
            yield Note(id=f"{switch_id(p.name)}-problem", classes="field-error")


class PluginsScreen(StepScreen):
    """Each plugin a switch; the ``plugins`` answer is the list of those switched on (kept in the answers' order)."""

    STEP_ID = "plugins"
    INTRO = "Containers and map tasks always run. Each plugin needs its operator on the cluster (checked at install)."

    def compose_form(self) -> ComposeResult:
        chosen = self._chosen()
        for plugin in CATALOG.values():
            yield PluginLine(plugin, plugin.name in chosen)

    def _chosen(self) -> list[str]:
        given = self.state.get("plugins")
        return [str(n) for n in given] if isinstance(given, list) else []

    def on_mount(self) -> None:
        super().on_mount()
        if not self.focus_path:
            self.query_one(".plugin-switch").focus()

    @on(Switch.Changed, ".plugin-switch")
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        name = str(event.switch.id).removeprefix("plugin-")
        names = [n for n in self._chosen() if n != name] + ([name] if event.value else [])
        if self.state.set("plugins", names or None):  # none chosen: no answer (the chart's plugins alone)
            self.answers_edited()

    def refresh_extras(self) -> None:
        """Each problem of a chosen plugin under its line; the rest (e.g. an unknown name) in the step's list."""
        chosen = self._chosen()
        placed: dict[str, list[str]] = {name: [] for name in CATALOG}
        rest: list[str] = []
        for problem in self.state.problems_for(self.STEP_ID):
            name = self._plugin_at(problem.path, chosen)
            glyph = "✗ " if problem.severity == "error" else "⚠ "
            if name is not None:
                placed[name].append(glyph + problem.message)
            else:
                rest.append(glyph + str(problem))
        for name, lines in placed.items():
            self.query_one(f"#{switch_id(name)}-problem", Note).show("\n".join(lines))
        self.query_one("#step-problems", Note).show("\n".join(rest))

    @staticmethod
    def _plugin_at(path: str, chosen: list[str]) -> str | None:
        """The catalog plugin a problem at ``plugins.<i>`` is about (None for another path or an unknown name)."""
        head, _, index = path.partition(".")
        if head != "plugins" or not index.isdigit() or int(index) >= len(chosen):
            return None
        name = chosen[int(index)]
        return name if name in CATALOG else None

    def widget_for(self, path: str) -> Widget | None:
        name = self._plugin_at(path, self._chosen())
        if name is not None:
            return self.query_one(f"#{switch_id(name)}")
        if path == "plugins" or path.startswith("plugins."):
            return self.query_one(".plugin-switch")
        return super().widget_for(path)
