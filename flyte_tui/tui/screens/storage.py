"""Step 4: blob storage; the fields shown follow the storage type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from flyte_tui.tui.screens.base import StepScreen

TYPES = ("sandbox", "s3", "gcs", "custom")
AUTHS = ("iam", "accesskey")

SHOWN_FOR: dict[str, tuple[str, ...]] = {
    "storage.metadataBucket": ("sandbox", "s3", "gcs"),
    "storage.userDataBucket": ("s3", "gcs"),
    "storage.region": ("s3",),
    "storage.endpoint": ("s3",),
    "storage.auth": ("s3",),
    "storage.credentialsSecret": ("s3",),
    "storage.projectId": ("gcs",),
    "storage.custom": ("custom",),
}
DEPENDENCY_FIELDS = (
    "dependencies.storage", "dependencies.database", "dependencies.release",
    "dependencies.chart.repo", "dependencies.chart.version", "dependencies.chart.path",
)  # fmt: skip
"""The sandbox's dependency release: shown for sandbox storage only."""
SHOWN_FOR.update(dict.fromkeys(DEPENDENCY_FIELDS, ("sandbox",)))

SANDBOX_NOTE = (
    "Sandbox storage is a minio in the release namespace: flyte-tui installs it first, with its bucket "
    "my-s3-bucket (dependencies.storage), or uses the one already there when dependencies.storage is false."
)


class StorageScreen(StepScreen):
    """Storage type, then buckets and access per type (s3, gcs, sandbox minio, or a custom block)."""

    STEP_ID = "storage"

    def compose_form(self) -> ComposeResult:
        yield self.field("storage.type", kind="select", choices=TYPES)
        yield Static(SANDBOX_NOTE, id="sandbox-note", classes="note", markup=False)
        # the sandbox's dependency release (minio and PostgreSQL from flyte-deps), installed before Flyte
        yield self.field("dependencies.storage", kind="switch", label="Install minio first (bundled storage)")
        yield self.field("dependencies.database", kind="switch", label="Install PostgreSQL first (bundled database)")
        yield self.field("dependencies.release", label="Dependency release (empty: <release>-deps)")
        yield self.field("dependencies.chart.repo", label="Dependency chart repository")
        yield self.field("dependencies.chart.version", label="Dependency chart version")
        yield self.field("dependencies.chart.path", label="Dependency chart: local directory or .tgz (offline)")
        yield self.field("storage.metadataBucket")
        yield self.field("storage.userDataBucket")
        yield self.field("storage.region")
        yield self.field("storage.endpoint")
        yield self.field("storage.auth", kind="select", choices=AUTHS)
        yield self.field("storage.credentialsSecret")
        yield Static("Access keys, kept in memory for the installer (it creates the Secret); never written to "
                     "any file. Leave empty when the Secret already exists.", id="keys-note", classes="field-help",
                     markup=False)
        for widget_id, value, hint, title in (
            ("access-key", self.state.s3_access_key, "access key id", "Access key ID"),
            ("secret-key", self.state.s3_secret_key, "secret access key", "Secret access key"),
        ):
            # a label of its own: once typed, the masked inputs would look alike without one
            yield Label(title, id=f"{widget_id}-label", classes="field-label")
            yield Input(value, password=True, placeholder=hint, id=widget_id, classes="secret-input", compact=True)
        yield self.field("storage.projectId")
        yield self.field("storage.custom", kind="yaml")

    def _type(self) -> str:
        return str(self.state.effective("storage.type") or "sandbox")

    def applies(self, path: str) -> bool:
        kinds = SHOWN_FOR.get(path)
        if kinds is None:
            return True
        if path == "storage.credentialsSecret" and self.state.effective("storage.auth") != "accesskey":
            return False
        return self._type() in kinds

    def refresh_extras(self) -> None:
        self.query_one("#sandbox-note").display = self._type() == "sandbox"
        keys = self.applies("storage.credentialsSecret")
        for widget_id in ("#keys-note", "#access-key-label", "#access-key", "#secret-key-label", "#secret-key"):
            self.query_one(widget_id).display = keys

    @on(Input.Changed, "#access-key, #secret-key")
    def _keys(self, event: Input.Changed) -> None:
        event.stop()
        # memory only, never in the answers
        self.state.s3_access_key = self.query_one("#access-key", Input).value
        self.state.s3_secret_key = self.query_one("#secret-key", Input).value
