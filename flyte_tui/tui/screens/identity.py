"""Step 6: cloud identities (control plane and task pods) and ingress, with the annotations shown live."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.note import Note

if TYPE_CHECKING:
    from flyte_tui.tui.state import WizardState

CONTROLLERS = ("nginx", "alb", "gce", "contour", "traefik", "none")

ENVIRONMENT_ONLY = {
    "identity.awsRoleArn": "eks",
    "projects.taskRoleArn": "eks",
    "identity.gcpServiceAccount": "gke",
    "projects.taskServiceAccount": "gke",
}


def annotations_text(main: dict[str, object], grpc: dict[str, object]) -> str:
    """The generated annotations as the values file will hold them (null removes a chart default)."""
    lines = []
    for title, block in (("common.ingress.annotations", main), ("separateGrpcIngressAnnotations", grpc)):
        if not block:
            continue
        lines.append(f"{title}:")
        lines.extend(f"  {key}: {'null  # removed' if value is None else value}" for key, value in block.items())
    return "\n".join(lines) or "(no annotations for this controller)"


def without_ingress_class(state: WizardState) -> str:
    """The cluster the answers target, when detection found it has no IngressClass ("" otherwise, or when that
    cluster was not asked)."""
    found = state.detection
    if found is None or found.ingress_classes is None or found.ingress_classes:
        return ""
    context = state.get("target.context") or found.current_context
    return context if context == found.asked_context else ""


def _preset_value(state: WizardState, path: str) -> object:
    """What the environment's preset answers at ``path`` (an answer equal to it came from the preset)."""
    from flyte_tui import tree
    from flyte_tui.presets import PRESET_NAMES, preset

    environment = state.get("environment")
    if environment not in PRESET_NAMES:
        return None
    return tree.get(preset(environment), tuple(path.split(".")))


class IdentityScreen(StepScreen):
    """IRSA role or Google service account for the control plane and task pods; ingress and TLS.

    On a cluster without an IngressClass (no ingress controller) the ingress is off unless the user chose,
    and the screen says why; switching it on stays the user's choice."""

    STEP_ID = "identity"

    def __init__(self, state: WizardState, focus: str | None = None) -> None:
        super().__init__(state, focus)
        self.no_class_cluster = without_ingress_class(state)
        self.ingress_defaulted = (
            bool(self.no_class_cluster)
            and not state.upgrading  # answers read from a live release are what it runs: never changed here
            and "ingress.enabled" not in state.detected_defaults
            and state.get("ingress.enabled") in (None, _preset_value(state, "ingress.enabled"))  # not the user's
        )
        if self.ingress_defaulted:
            state.detected_defaults.add("ingress.enabled")
            state.set("ingress.enabled", False)  # an answer like any other: the Review and the install agree

    def on_mount(self) -> None:
        super().on_mount()
        if self.ingress_defaulted:
            self.post_message(self.Edited())  # autosaved like a change the user made

    def compose_form(self) -> ComposeResult:
        yield Note(id="no-identity", classes="note")
        yield Note(id="no-ingress-class", classes="note")
        yield self.field("identity.awsRoleArn", placeholder="arn:aws:iam::123456789012:role/flyte-system")
        yield self.field("projects.taskRoleArn", placeholder="arn:aws:iam::123456789012:role/flyte-tasks")
        yield self.field("identity.gcpServiceAccount", placeholder="flyte@my-project.iam.gserviceaccount.com")
        yield self.field("projects.taskServiceAccount", placeholder="flyte-tasks@my-project.iam.gserviceaccount.com")
        yield self.field("ingress.enabled", kind="switch")
        yield self.field("ingress.controller", kind="select", choices=CONTROLLERS)
        yield self.field("ingress.host", placeholder="flyte.example.com")
        yield self.field("ingress.separateGrpc", kind="switch")
        yield self.field("ingress.tls.enabled", kind="switch", label="TLS")
        yield self.field("ingress.tls.secretName")
        yield self.field("ingress.tls.certificateArn", placeholder="arn:aws:acm:us-east-2:123456789012:certificate/…")
        yield Label("Annotations that will be generated", classes="field-label")
        yield Note(id="annotations", readable=True)

    def applies(self, path: str) -> bool:
        environment = self.state.effective("environment")
        if path in ENVIRONMENT_ONLY:
            return ENVIRONMENT_ONLY[path] == environment or bool(self.state.get(path))
        ingress_on = bool(self.state.effective("ingress.enabled", True))
        if path.startswith("ingress.") and path != "ingress.enabled" and not ingress_on:
            return False
        controller = self.state.effective("ingress.controller", "nginx")
        if path == "ingress.tls.certificateArn":
            return controller == "alb" or bool(self.state.get(path))
        if path == "ingress.tls.secretName":
            return controller != "alb" or bool(self.state.get(path))
        return True

    def refresh_extras(self) -> None:
        environment = self.state.effective("environment")
        note = "" if environment in ("eks", "gke") else f"Environment {environment}: no cloud identities to set."
        self.query_one("#no-identity", Note).show(note)
        self.query_one("#no-ingress-class", Note).show(self._no_class_note())
        preview = self.query_one("#annotations", Note)
        plan = self.state.validation.plan
        if not self.state.effective("ingress.enabled", True):
            preview.show("(ingress disabled)")
        elif plan is None:
            preview.show("Shown once the answers are valid field by field.")
        else:
            from flyte_tui.charts.flyte_core.render import ingress_annotations

            preview.show(annotations_text(*ingress_annotations(plan)))

    def _no_class_note(self) -> str:
        if not self.no_class_cluster:
            return ""
        found = f"Cluster {self.no_class_cluster} has no IngressClass (no ingress controller)"
        if not self.state.effective("ingress.enabled", True) or self.state.effective("ingress.controller") == "none":
            return f"{found}: the ingress is off; the install ends with the port-forwards that reach Flyte."
        return f"{found}: nothing would serve this Ingress until you install a controller (preflight warns)."
