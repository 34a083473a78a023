"""Step 9: the clusters. One by default (everything in the control plane's cluster, ``target.context``); switched
on, data planes to add, edit and remove, each with its kube context picked from the kubeconfig (checked reachable
as it is chosen), its name, the API endpoint the control plane reaches it at (prefilled from the kubeconfig),
execution labels, weight and inCluster. flyte-binary cannot run several clusters: the step says why."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from flyte_tui.model.names import BINARY_CHART
from flyte_tui.tools.reach import Reach
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note

SWITCH = "dataPlanes"
"""The path of the switch between one cluster and several (its problems, e.g. flyte-binary's, show under it)."""
ONE_CLUSTER = (
    "One cluster: Flyte runs everything in the control plane's cluster (target.context). Switch on to send "
    "executions to data planes, other clusters that run propeller and its webhook; flyteadmin stays here."
)
BINARY = (
    "Not available with flyte-binary: its one Deployment holds flyteadmin and propeller together, so it cannot "
    "split across clusters (Flyte's multi-cluster mode is flyte-core's). Choose chart flyte-core on Target to "
    "add data planes."
)
SEVERAL = (
    "Several clusters: flyteadmin, the console and datacatalog stay in the control plane's cluster ({context}); "
    "each data plane below runs propeller and its webhook, and flyteadmin sends it executions by label."
)
ENDPOINT_HELP = (
    "The data plane's API server as the CONTROL PLANE's pods reach it (https). Prefilled from your kubeconfig, "
    "which says how this machine reaches it: change it when the control plane sees another address."
)


class ClustersScreen(StepScreen):
    """One cluster, or data planes: each one's fields in its own box, with Remove; Add a data plane below."""

    DEFAULT_CSS = """
    ClustersScreen #planes { height: auto; }
    ClustersScreen .plane { height: auto; border: round $panel-lighten-2; padding: 0 1; margin-bottom: 1; }
    ClustersScreen .plane-title { text-style: bold; }
    ClustersScreen .plane .buttons { margin: 0; }
    ClustersScreen .reach { margin-bottom: 1; }
    """
    STEP_ID = "clusters"
    INTRO = "Where executions run: this cluster only, or data planes (flyte-core's multi-cluster mode)."

    class Reached(Message):
        """A context's reachability check finished."""

        def __init__(self, result: Reach) -> None:
            super().__init__()
            self.result = result

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reached: dict[str, Reach] = {}
        """The reachability of each context checked in this step (shown again when the boxes are rebuilt)."""
        self.checking: set[str] = set()
        self.cancel = threading.Event()
        self._kept: list[dict[str, Any]] = []
        """The data planes switched off in this visit (switching on again brings them back)."""

    # -- the answers -----------------------------------------------------------------------------

    def planes(self) -> list[dict[str, Any]]:
        """The data planes as the answers hold them (a copy)."""
        found = self.state.get(SWITCH)
        return [copy.deepcopy(p) if isinstance(p, dict) else {} for p in found] if isinstance(found, list) else []

    def binary(self) -> bool:
        """The chart is flyte-binary (no data planes possible)."""
        return bool(self.state.effective("target.chart.name") == BINARY_CHART)

    def control_context(self) -> str:
        """The control plane's kube context (the answer, else the current one)."""
        detection = self.state.detection
        return str(self.state.get("target.context") or (detection.current_context if detection else ""))

    def contexts(self, chosen: str) -> list[str]:
        """The kubeconfig's contexts a data plane may use: all but the control plane's (the chosen one kept)."""
        detection = self.state.detection
        found = [c for c in (detection.contexts if detection else ()) if c != self.control_context()]
        return found + [chosen] if chosen and chosen not in found else found

    # -- the form --------------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        planes = self.planes()
        yield FormField(SWITCH, bool(planes), kind="switch", label="Several clusters (data planes)", show_help=False)
        yield Note(self.note(), id="clusters-note", classes="field-help", readable=True)
        yield Vertical(*self.plane_boxes(planes), id="planes")
        yield Button("Add a data plane", id="add-plane", compact=True, disabled=self.binary())

    def plane_boxes(self, planes: list[dict[str, Any]]) -> list[Widget]:
        """One box per data plane: its fields, its reachability, Remove."""
        return [
            plane_box(index, plane, self.contexts(str(plane.get("context") or "")), self.reach_line, self.applies)
            for index, plane in enumerate(planes)
        ]

    def reach_line(self, context: str) -> str:
        """What the check of ``context`` found (or that it runs)."""
        if not context:
            return ""
        if context in self.checking:
            return f"… checking whether {context} is reachable"
        found = self.reached.get(context)
        return found.line() if found is not None else ""

    def applies(self, path: str) -> bool:
        if path.endswith((".context", ".endpoint")):
            index = int(path.split(".")[1])
            planes = self.planes()
            return not (index < len(planes) and planes[index].get("inCluster"))
        return True

    def widget_for(self, path: str) -> Widget | None:
        if path.startswith(SWITCH + ".") and not self.planes():
            return super().widget_for(SWITCH)
        return super().widget_for(path)

    def note(self) -> str:
        """What the switch means now (flyte-binary: why there are no data planes)."""
        if self.binary():
            return BINARY
        if not self.planes():
            return ONE_CLUSTER
        return SEVERAL.format(context=self.control_context() or "the current context")

    def refresh_extras(self) -> None:
        self.query_one("#clusters-note", Note).show(self.note())
        for index, plane in enumerate(self.planes()):
            found = self.query(f"#reach-{index}")
            if found:
                note = found.first(Note)
                note.show(
                    self.reach_line(str(plane.get("context") or ""))
                    if self.applies(f"{SWITCH}.{index}.context")
                    else ""
                )

    # -- changes ---------------------------------------------------------------------------------

    def put_planes(self, planes: list[dict[str, Any]]) -> None:
        """Keep the data planes in the answers (none: the key goes, one cluster again)."""
        if self.state.set(SWITCH, planes or None):
            self.answers_edited()

    async def rebuild(self) -> None:
        """The boxes again, from the answers (a data plane added or removed renumbers the ones after it)."""
        box = self.query_one("#planes", Vertical)
        await box.remove_children()
        await box.mount_all(self.plane_boxes(self.planes()))
        self.refresh_problems()

    @on(FormField.Changed)
    async def _plane_changed(self, event: FormField.Changed) -> None:
        if event.path != SWITCH and not event.path.startswith(SWITCH + "."):
            return  # another field: the base handler keeps it
        event.prevent_default()  # the answers' list items have no dotted path: set here, not by the base
        event.stop()
        if event.field is not None and not event.field.holds(event.value):
            return
        if event.path == SWITCH:
            await self.switch(bool(event.value))
            return
        _, number, key = event.path.split(".", 2)
        planes = self.planes()
        index = int(number)
        if index >= len(planes):
            return
        value = _weight(event.value) if key == "weight" else event.value
        before = planes[index].get(key)
        if value is None or value == "" or (key == "inCluster" and value is False):
            planes[index].pop(key, None)
        else:
            planes[index][key] = value
        self.put_planes(planes)
        if key == "context" and isinstance(value, str) and value and value != before:
            self.check(index, value)  # as it is chosen (not when the step shows a context already answered)
        if key == "inCluster":
            self.refresh_problems()  # context and endpoint show, or go

    async def switch(self, on_: bool) -> None:
        """Several clusters on (the ones switched off in this visit back, else a first data plane) or off."""
        planes = self.planes()
        if on_ and not planes:
            self.put_planes(self._kept or [_new_plane([])])
        elif not on_ and planes:
            self._kept = planes
            self.put_planes([])
        await self.rebuild()

    @on(Button.Pressed, "#add-plane")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        planes = self.planes()
        self.put_planes([*planes, _new_plane(planes)])
        self._sync_switch()
        await self.rebuild()
        self.focus_field(f"{SWITCH}.{len(planes)}.name")

    @on(Button.Pressed, ".remove-plane")
    async def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        index = int(str(event.button.id).rsplit("-", 1)[1])
        planes = self.planes()
        if index < len(planes):
            del planes[index]
            self.put_planes(planes)
        self._sync_switch()
        await self.rebuild()

    @on(Button.Pressed, ".check-plane")
    def _check_again(self, event: Button.Pressed) -> None:
        event.stop()
        index = int(str(event.button.id).rsplit("-", 1)[1])
        planes = self.planes()
        context = str(planes[index].get("context") or "") if index < len(planes) else ""
        if context:
            self.reached.pop(context, None)
            self.check(index, context)

    def _sync_switch(self) -> None:
        """The switch shows whether there are data planes (without sending a change)."""
        switch = self.query_one(f"#{field_id(SWITCH)}", FormField).input
        on_ = bool(self.planes())
        if getattr(switch, "value", on_) != on_:
            with switch.prevent(*_changed_messages()):
                switch.value = on_  # type: ignore[attr-defined]

    # -- reachability ----------------------------------------------------------------------------

    def check(self, index: int, context: str) -> None:
        """Check ``context``'s cluster off the UI thread (once per context in this visit)."""
        if context in self.reached or context in self.checking:
            self.refresh_extras()
            return
        self.checking.add(context)
        self.refresh_extras()
        _helm, kubectl = self.state.tools()
        self._reach(kubectl, context)

    @work(thread=True, group="reach", exit_on_error=False)
    def _reach(self, kubectl: str, context: str) -> None:
        from flyte_tui.tools.reach import reach

        self.post_message(self.Reached(reach(kubectl, context, self.cancel)))

    @on(Reached)
    def _reached(self, message: Reached) -> None:
        result = message.result
        self.checking.discard(result.context)
        self.reached[result.context] = result
        planes = self.planes()
        for index, plane in enumerate(planes):
            if plane.get("context") == result.context and not plane.get("endpoint") and result.server:
                endpoint = self.query_one(f"#{field_id(f'{SWITCH}.{index}.endpoint')} Input", Input)
                endpoint.value = result.server  # Input.Changed: kept in the answers like typing
        self.refresh_extras()

    def on_unmount(self) -> None:
        self.cancel.set()  # a check still running stops with the step


def plane_box(
    index: int,
    plane: dict[str, Any],
    choices: list[str],
    reach_line: Callable[[str], str],
    applies: Callable[[str], bool],
) -> Vertical:
    """A data plane's box: its fields (the context a choice of ``choices`` when there are any), what the check of
    its context found, Check again and Remove."""
    at = f"{SWITCH}.{index}"
    context = str(plane.get("context") or "")

    def field(key: str, value: Any, **options: Any) -> FormField:
        made = FormField(f"{at}.{key}", value, **options)  # list items have no dotted path: the screen sets them
        if key == "endpoint":
            made.help_text = ENDPOINT_HELP
        made.display = applies(made.path)
        return made

    kind = "select" if choices else "text"
    return Vertical(
        Label(f"Data plane {index + 1}", classes="plane-title"),
        field("name", plane.get("name")),
        field("context", plane.get("context") or None, kind=kind, choices=choices,
              placeholder="a context of your kubeconfig"),
        Note(reach_line(context), id=f"reach-{index}", classes="field-help reach"),
        field("endpoint", plane.get("endpoint"), placeholder="https://10.0.12.7:6443"),
        field("labels", plane.get("labels"), kind="list", empty=None, placeholder="gpu, eu (comma-separated)"),
        field("weight", plane.get("weight"), empty=None, placeholder="0 to 1"),
        field("inCluster", bool(plane.get("inCluster")), kind="switch", label="The control plane executes too"),
        Horizontal(
            Button("Check again", id=f"check-{index}", compact=True, classes="check-plane"),
            Button("Remove", id=f"remove-{index}", compact=True, variant="error", classes="remove-plane"),
            classes="buttons",
        ),
        id=f"plane-{index}",
        classes="plane",
    )


def _weight(value: Any) -> Any:
    """A typed weight as a number when it is one (else as typed: the model says what is accepted)."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _new_plane(planes: list[dict[str, Any]]) -> dict[str, Any]:
    """A new data plane's answers: a name no other one has."""
    names = {p.get("name") for p in planes}
    number = next(n for n in range(1, len(planes) + 2) if f"dataplane-{n}" not in names)
    return {"name": f"dataplane-{number}"}


def _changed_messages() -> tuple[type[Message], ...]:
    from textual.widgets import Switch

    return (Switch.Changed,)
