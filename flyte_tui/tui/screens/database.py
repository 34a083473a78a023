"""Step 5: PostgreSQL; the password is typed into a masked input kept in memory, or taken from a Secret."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Static, Switch

from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.state import WizardState
from flyte_tui.tui.widgets.choices import Choice, Choices, Toggle
from flyte_tui.tui.widgets.field import FormField, field_id

PasswordMode = Literal["type", "secret", "none"]
MODES: dict[PasswordMode, str] = {
    "type": "Type it now (stored in the Secret below)",
    "secret": "It is already in an existing Secret",
    "none": "No password",
}
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class DatabaseScreen(StepScreen):
    """Host, port, user, one shared database or two, SSL mode and the password."""

    STEP_ID = "database"

    def __init__(self, state: WizardState, focus: str | None = None) -> None:
        super().__init__(state, focus)
        has_secret = state.effective("database.passwordSecret") is not None
        self.mode: PasswordMode = "type" if state.password else ("secret" if has_secret else "none")
        self.shared = state.effective("database.adminDatabase") == state.effective("database.datacatalogDatabase")

    def compose_form(self) -> ComposeResult:
        yield self.field("database.host")
        yield self.field("database.port", kind="int")
        yield self.field("database.username")
        yield Label("One database shared by flyteadmin and datacatalog", classes="field-label")
        yield Toggle(self.shared, id="shared")
        yield self.field("database.adminDatabase")
        yield self.field("database.datacatalogDatabase")
        yield self.field("database.sslMode", kind="select", choices=SSL_MODES)
        yield Label("Password", classes="field-label")
        with Choices(id="password-mode"):
            for mode, label in MODES.items():
                yield Choice(label, value=mode == self.mode, name=mode)
        yield Input(
            self.state.password, password=True, placeholder="database password (never saved)", id="password",
            classes="secret-input", compact=True,
        )
        yield Static("Kept in memory for the installer only; never written to any file.", id="password-note",
                     classes="field-help", markup=False)
        yield self.field("database.passwordSecret.name", placeholder="db-pass", label="Secret name")
        yield self.field("database.passwordSecret.key", placeholder="pass.txt", label="Key in the Secret")

    def applies(self, path: str) -> bool:
        if path == "database.datacatalogDatabase":
            return not self.shared
        if path.startswith("database.passwordSecret."):
            return self.mode != "none"
        return True

    def refresh_extras(self) -> None:
        self.query_one("#password").display = self.mode == "type"
        self.query_one("#password-note").display = self.mode == "type"

    @on(Input.Changed, "#password")
    def _password(self, event: Input.Changed) -> None:
        event.stop()
        self.state.password = event.value  # memory only, never in the answers

    def widget_for(self, path: str) -> Widget | None:
        secret = path == "database.passwordSecret" or path.startswith("database.passwordSecret.")
        if secret and self.mode == "none":  # its fields are hidden: the choice that shows them
            return self.query_one("#password-mode")
        return super().widget_for(path)

    @on(RadioSet.Changed, "#password-mode")
    def _mode(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.mode = event.pressed.name  # type: ignore[assignment]
        if self.mode == "none":
            self.state.password = ""
            self.post_message(FormField.Changed("database.passwordSecret", None))
        else:
            if self.mode == "secret":
                self.state.password = ""
            for key, default in (("name", "db-pass"), ("key", "pass.txt")):
                path = f"database.passwordSecret.{key}"
                field = self.query_one(f"#{field_id(path)}", FormField)
                self.post_message(FormField.Changed(path, field.current_value() or default))
        self.refresh_problems()

    @on(Switch.Changed, "#shared")
    def _shared(self, event: Switch.Changed) -> None:
        event.stop()
        self.shared = event.value
        admin = self.state.effective("database.adminDatabase")
        other = self.query_one(f"#{field_id('database.datacatalogDatabase')}", FormField).current_value()
        self.post_message(FormField.Changed("database.datacatalogDatabase", admin if self.shared else other))
        self.refresh_problems()

    @on(FormField.Changed)
    def _admin_changed(self, event: FormField.Changed) -> None:
        # Keep the shared database in step; the event goes on to the app.
        if self.shared and event.path == "database.adminDatabase":
            self.post_message(FormField.Changed("database.datacatalogDatabase", event.value))

