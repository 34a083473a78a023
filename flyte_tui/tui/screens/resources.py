"""Step 7: a table of component sizes, task defaults, and per-domain quotas of project namespaces."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Label, Static

from flyte_tui.charts import profile_for_chart
from flyte_tui.model.plan import DEFAULT_CHART
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note

COLUMNS = (
    ("replicas", "pods"),
    ("requests.cpu", "req cpu"),
    ("requests.memory", "req mem"),
    ("limits.cpu", "lim cpu"),
    ("limits.memory", "lim mem"),
)
TASK_COLUMNS = ("cpu", "memory", "gpu")


class ResourcesScreen(StepScreen):
    """Replicas, requests and limits per component; task defaults; quotas per domain.

    Empty cells keep the chart's default; the grey values are the environment's recommendations.
    """

    STEP_ID = "resources"
    INTRO = "Empty cells keep the chart default; grey values are the environment's recommendations."

    def compose_form(self) -> ComposeResult:
        yield Label("Control plane", classes="section")
        with Grid(id="components", classes="table"):
            yield Static("component", classes="th")
            for _key, title in COLUMNS:
                yield Static(title, classes="th")
            chart = self.state.get("target.chart.name") or DEFAULT_CHART
            for component in profile_for_chart(str(chart)).sizable_components:  # the chart's own components
                yield Static(component, classes="td", markup=False)
                for key, _title in COLUMNS:
                    path = f"resources.components.{component}.{key}"
                    yield self.cell(path, kind="int" if key == "replicas" else "text")
        yield Label("Task defaults", classes="section")
        with Grid(id="tasks", classes="table"):
            yield Static("", classes="th")
            for name in TASK_COLUMNS:
                yield Static(name, classes="th")
            for row in ("requests", "limits"):
                yield Static(row, classes="td")
                for name in TASK_COLUMNS:
                    if row == "requests" and name == "gpu":
                        yield Static("", classes="td")
                    else:
                        yield self.cell(f"resources.taskDefaults.{row}.{name}")
        yield Label("Project namespaces", classes="section")
        yield self.field("projects.domains", kind="list", empty=[])
        yield Grid(*self.quota_rows(), id="quotas", classes="table")
        yield Note(id="table-problems", classes="field-error", readable=True)

    def cell(self, path: str, kind: str = "text") -> FormField:
        """One compact table cell; empty removes the answer (chart default)."""
        field = self.field(path, kind=kind, compact=True, empty=None)
        if not field.placeholder:
            field.placeholder = "–"
        return field

    def quota_rows(self) -> list[Widget]:
        """Header and one row per domain (cpu, memory)."""
        rows: list[Widget] = [Static("domain quota", classes="th"), Static("cpu", classes="th"),
                              Static("memory", classes="th")]
        domains = self.state.effective("projects.domains") or []
        unique = dict.fromkeys(str(d) for d in domains) if isinstance(domains, list) else {}
        for domain in unique:  # a domain typed twice is an error the model reports, not a second row
            rows.append(Static(str(domain), classes="td", markup=False))
            rows.append(self.field(f"projects.quotas.{domain}.cpu", compact=True))
            rows.append(self.field(f"projects.quotas.{domain}.memory", compact=True))
        return rows

    @on(FormField.Changed, "#" + field_id("projects.domains"))
    def _domains_changed(self, _event: FormField.Changed) -> None:
        # The app updates the answers first; rebuild the quota rows from them afterwards.
        self.call_later(self.rebuild_quotas)

    async def rebuild_quotas(self) -> None:
        """Show one quota row per domain in the current list."""
        grid = self.query_one("#quotas", Grid)
        await grid.remove_children()
        await grid.mount_all(self.quota_rows())
        self.refresh_problems()

    def refresh_extras(self) -> None:
        # Compact cells have no room for an error line: list the table's errors below it.
        cells = {f.path for f in self.query(".-compact").results(FormField)}
        problems = [p for p in self.state.problems_for(self.STEP_ID) if p.path in cells]
        text = "\n".join(("✗ " if p.severity == "error" else "⚠ ") + str(p) for p in problems)
        self.query_one("#table-problems", Note).show(text)
