"""Step 6: cloud identities (control plane and task pods) and ingress, with the annotations shown live."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.widgets.note import Note

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


class IdentityScreen(StepScreen):
    """IRSA role or Google service account for the control plane and task pods; ingress and TLS."""

    STEP_ID = "identity"

    def compose_form(self) -> ComposeResult:
        yield Note(id="no-identity", classes="note")
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
        preview = self.query_one("#annotations", Note)
        plan = self.state.validation.plan
        if not self.state.effective("ingress.enabled", True):
            preview.show("(ingress disabled)")
        elif plan is None:
            preview.show("Shown once the answers are valid field by field.")
        else:
            from flyte_tui.charts.flyte_core.render import ingress_annotations

            preview.show(annotations_text(*ingress_annotations(plan)))
