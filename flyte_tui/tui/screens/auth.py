"""Step 7: authentication (off / on), the IdP, the authorization server, the client ids, and the two client secrets
typed into masked inputs kept in memory (as the database password is)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.events import Mount
from textual.widget import Widget
from textual.widgets import Button, Input, Label, RadioSet, Static

from flyte_tui.charts.component import AuthObjects
from flyte_tui.tui.screens.base import StepScreen
from flyte_tui.tui.steps import step
from flyte_tui.tui.widgets.choices import Choice, Choices
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.note import Note

IDPS: dict[str, str] = {
    "google": "Google: a client id and secret; Self only",
    "okta": "Okta: https://<org>.okta.com/oauth2/<id>",
    "keycloak": "Keycloak: https://<host>/realms/<realm>",
    "entra": "Entra ID: …microsoftonline.com/<tenant>/v2.0",
    "auth0": "Auth0: https://<tenant>.auth0.com/, an API",
    "oidc": "Any OpenID Connect issuer: its https URL",
}
"""The identity providers, each with what it needs (one line: it fits beside the step list at 80 columns)."""
SERVERS: dict[str, str] = {
    "Self": "Self: flyteadmin issues the tokens",
    "External": "External: the IdP's (issuer, audience, scopes)",
}
"""The authorization servers, each with what it means."""
ISSUER_EXAMPLES = {
    "okta": "https://dev-1.okta.com/oauth2/default",
    "keycloak": "https://keycloak.example.com/realms/flyte",
    "entra": "https://login.microsoftonline.com/<tenant id>/v2.0",
    "auth0": "https://example.us.auth0.com/",
    "oidc": "https://idp.example.com",
}
EXTERNAL_FIELDS: dict[str, tuple[str, ...]] = {
    "okta": ("issuer", "audience", "scopes", "propellerScopes"),
    "keycloak": ("issuer", "metadataUrl", "audience", "scopes", "propellerScopes"),
    "entra": ("issuer", "metadataUrl", "audience", "allowedAudience", "scopes", "propellerScopes"),
    "auth0": ("issuer", "audience", "scopes", "propellerScopes"),
    "oidc": ("issuer", "metadataUrl", "audience", "allowedAudience", "scopes", "propellerScopes"),
}
"""The External authorization server's fields each IdP needs (a field with an answer shows anyway)."""
LISTS = ("allowedAudience", "scopes", "propellerScopes")
"""The External fields that take a comma-separated list."""
AUTH_NEEDS = "auth needs"
"""How the model's rules begin the problems auth makes on another step (the ingress host and TLS)."""
SECRETS = ("oidc-secret", "propeller-secret")
SECRET_WIDGETS = tuple(f"#{w}{part}" for w in SECRETS for part in ("-label", "", "-note"))
def oidc_note(auth: AuthObjects) -> str:
    """The help under the web login's secret: where the installer puts it."""
    return (
        f"Kept in memory for the installer (it puts it in {auth.oidc_secret}); never written to any file. "
        "Leave empty when that Secret already holds it."
    )


def propeller_note(server: str, auth: AuthObjects) -> str:
    """The help under propeller's secret, for the authorization server chosen."""
    if server == "Self":
        return (
            "Type it, Make one, or leave it empty: Save and install then reuses the cluster's Secret "
            f"{auth.propeller_secret}, or makes one. Kept in memory for the installer; only its hash goes in the "
            "answers (auth.clients.propellerHash, not a secret)."
        )
    if server == "External":
        return (
            "Optional: the propeller client's secret at the IdP. Kept in memory for the installer (Secret "
            f"{auth.propeller_secret}); never written to any file."
        )
    return ""


MAKE_TIP = "A new random propeller client secret, kept in memory; its hash goes in the answers"


class ChosenChoices(Choices):
    """Choices whose highlight starts on the chosen button (not the first), so arrows move from the answer."""

    def _on_mount(self, event: Mount) -> None:
        super()._on_mount(event)
        if self.pressed_index >= 0:
            self._selected = self.pressed_index


class ChoiceField(FormField):
    """A field of a few choices as radio buttons, each with a line on what it means; its label, help and error
    line are every field's."""

    def __init__(self, path: str, value: Any, options: dict[str, str], **kwargs: Any) -> None:
        super().__init__(path, value, kind="select", choices=options, **kwargs)
        self.options = options

    def _make_input(self) -> Widget:
        buttons = [Choice(text, value=name == self.initial, name=name) for name, text in self.options.items()]
        return ChosenChoices(*buttons, classes="field-input")

    def current_value(self) -> Any:
        """The chosen option (None before one is)."""
        choices = self.input
        pressed = choices.pressed_button if isinstance(choices, RadioSet) else None
        return pressed.name if pressed is not None else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """An option chosen: send it."""
        event.stop()
        self.post_message(self.Changed(self.path, event.pressed.name, self))


class AuthScreen(StepScreen):
    """Off, or on with an IdP: the fields shown are those the IdP and the server type need."""

    STEP_ID = "auth"
    INTRO = "Off: anyone who reaches Flyte can use it. On: a login at your identity provider (IdP) for all."

    def compose_form(self) -> ComposeResult:
        yield self.field("auth.enabled", kind="switch", label="Require a login")
        yield Note(id="auth-elsewhere", classes="field-error")
        yield self.choice("auth.idp", IDPS, "Identity provider")
        yield self.field("auth.issuer", placeholder=ISSUER_EXAMPLES["oidc"])
        yield self.choice("auth.authorizationServer", SERVERS, "Authorization server")
        for name in EXTERNAL_FIELDS["oidc"]:
            if name in LISTS:
                yield self.field(f"auth.external.{name}", kind="list", empty=[])
            else:
                yield self.field(f"auth.external.{name}")
        yield self.field("auth.clients.web", label="Web login client ID")
        # empty: the model's default id (an empty answer would be refused as a missing id)
        yield self.field("auth.clients.cli", label="flytectl / pyflyte client ID", empty=None,
                         placeholder=_default("auth.clients.cli"))  # fmt: skip
        yield self.field("auth.clients.propeller", label="Propeller client ID", empty=None,
                         placeholder=_default("auth.clients.propeller"))  # fmt: skip
        secrets = (
            ("oidc-secret", self.state.oidc_client_secret, "Web login client secret (OIDC)", oidc_note(self._auth())),
            ("propeller-secret", self.state.propeller_client_secret, "Propeller client secret", ""),
        )
        for widget_id, value, title, note in secrets:
            yield Label(title, id=f"{widget_id}-label", classes="field-label")
            yield Input(
                value, password=True, placeholder="never saved", id=widget_id, classes="secret-input", compact=True
            )
            yield Static(note, id=f"{widget_id}-note", classes="field-help", markup=False)
        yield Button("Make one", id="make-propeller-secret", compact=True, tooltip=MAKE_TIP)
        yield Note(id="propeller-missing", classes="field-error")

    def choice(self, path: str, options: dict[str, str], label: str) -> ChoiceField:
        """A radio-button field for ``path``: the answer chosen, else the model's default."""
        field = ChoiceField(path, self.state.get(path) or _default(path), options, label=label)
        field.display = self.applies(path)
        return field

    def _on(self) -> bool:
        return bool(self.state.effective("auth.enabled", False))

    def _idp(self) -> str:
        return str(self.state.effective("auth.idp") or _default("auth.idp"))

    def _server(self) -> str:
        return str(self.state.effective("auth.authorizationServer") or _default("auth.authorizationServer"))

    def applies(self, path: str) -> bool:
        if path == "auth.enabled":
            return True
        if not self._on():
            return False
        given = self.state.get(path) not in (None, "", [])
        idp = self._idp()
        if path == "auth.issuer":
            return idp != "google" or given
        if path == "auth.authorizationServer":
            return idp != "google" or self._server() == "External"
        if path.startswith("auth.external."):
            wanted = path.rsplit(".", 1)[-1] in EXTERNAL_FIELDS.get(idp, ())
            return self._server() == "External" and (wanted or given)
        return True

    def refresh_extras(self) -> None:
        on_ = self._on()
        for selector in SECRET_WIDGETS:
            self.query_one(selector).display = on_
        auth = self._auth()
        self.query_one("#oidc-secret-note", Static).update(oidc_note(auth))
        self.query_one("#propeller-secret-note", Static).update(propeller_note(self._server(), auth))
        issuer = self.query_one(f"#{field_id('auth.issuer')} .field-input", Input)
        issuer.placeholder = ISSUER_EXAMPLES.get(self._idp(), ISSUER_EXAMPLES["oidc"])
        host = self.state.effective("ingress.host")
        audience = self.query_one(f"#{field_id('auth.external.audience')} .field-input", Input)
        audience.placeholder = f"https://{host}" if host else "https://<ingress host>"
        self.query_one("#auth-elsewhere", Note).show(self._elsewhere() if on_ else "")
        self_server = on_ and self._server() == "Self"
        self.query_one("#make-propeller-secret").display = self_server
        self.query_one("#propeller-missing", Note).show(self._propeller_missing() if self_server else "")

    def _auth(self) -> AuthObjects:
        """Where the chart being installed keeps its auth Secrets (flyte-core's or flyte-binary's names)."""
        from flyte_tui.charts import profile_for_chart

        chart = self.state.effective("target.chart.name") or "flyte-core"
        return profile_for_chart(chart).objects(self.state.effective("target.release") or "flyte").auth

    def _propeller_missing(self) -> str:
        """Self with a hash but no typed propeller secret: Save and install needs the secret the hash was made
        from (typed, or in the cluster's flyte-secret-auth); with neither, it makes both itself."""
        if self.state.propeller_client_secret or not self.state.get("auth.clients.propellerHash"):
            return ""
        return (
            "⚠ auth.clients.propellerHash is set: type the secret it was made from (or keep it in the cluster's "
            f"Secret {self._auth().propeller_secret}), or Make one (a new hash)"
        )

    def _elsewhere(self) -> str:
        """What auth needs that another step answers (the ingress host and TLS), with where to change it."""
        where = step("identity")
        return "\n".join(
            f"✗ {p} (on {where.title})"
            for p in self.state.validation.problems
            if where.owns(p.path) and p.severity == "error" and p.message.startswith(AUTH_NEEDS)
        )

    def widget_for(self, path: str) -> Widget | None:
        if not self._on() and path.startswith("auth.") and path != "auth.enabled":
            return super().widget_for("auth.enabled")  # its fields are hidden: the switch that shows them
        if path == "auth.clients.propellerHash":
            return self.query_one("#propeller-secret")  # the hash is made from the secret typed there
        return super().widget_for(path)

    @on(FormField.Changed, f"#{field_id('auth.authorizationServer')}")
    def _server_changed(self, event: FormField.Changed) -> None:
        # the event goes on to the state first (the base handler), then the hash follows the server type
        self.call_after_refresh(self._sync_hash)

    def _sync_hash(self) -> None:
        if self.state.sync_propeller_hash():
            self.answers_edited()

    @on(Button.Pressed, "#make-propeller-secret")
    def _make_propeller_secret(self, event: Button.Pressed) -> None:
        event.stop()
        from flyte_tui.model.auth import propeller_secret_and_hash

        secret, _hash = propeller_secret_and_hash()
        self.query_one("#propeller-secret", Input).value = secret  # Input.Changed: kept, and its hash made

    @on(Input.Changed, "#oidc-secret")
    def _oidc_secret(self, event: Input.Changed) -> None:
        event.stop()
        self.state.oidc_client_secret = event.value  # memory only, never in the answers

    @on(Input.Changed, "#propeller-secret")
    def _propeller_secret(self, event: Input.Changed) -> None:
        event.stop()
        if self.state.set_propeller_secret(event.value):  # memory only; for Self its hash in the answers
            self.answers_edited()
        else:
            self.refresh_extras()


def _default(path: str) -> str:
    """The model's default for an auth answer (what an answers file without it means)."""
    from flyte_tui.model.auth import Auth

    defaults = Auth()
    return {
        "auth.idp": defaults.idp,
        "auth.authorizationServer": defaults.authorization_server,
        "auth.clients.cli": defaults.clients.cli,
        "auth.clients.propeller": defaults.clients.propeller,
    }[path]
