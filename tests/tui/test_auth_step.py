"""The Authentication step (issue 15): off by default, the IdP's fields once on, every answer checked as typed with
the model's rules, the client secrets typed masked and kept in memory only (never in the answers file or the
recovery file, both read from disk here), and an answers file's ``auth`` filling the step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from flyte_tui.files.answers import load_answers
from flyte_tui.files.autosave import FILE_NAME
from flyte_tui.model.auth import propeller_secret_matches
from flyte_tui.model.auth_rules import GOOGLE_PLACEHOLDER_ID
from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.screens.auth import IDPS, SERVERS
from flyte_tui.tui.widgets.field import FormField, field_id

from .conftest import fixed_detection
from .keys import SIZE, next_step, ready, tab_to, tab_to_id, type_into, type_text
from .test_behaviour import continue_from
from .test_snapshots import EKS_ANSWERS

EKS = EKS_ANSWERS
"""An EKS install with no errors before the Authentication step (host and TLS set, as auth needs)."""
OIDC_SECRET = "oidc-Secret-canary-7f3a"
PROPELLER_SECRET = "propeller-Secret-canary-91c2"
SECRET_NOTES = ("oidc-secret", "propeller-secret")

AUTH_FIELDS = ("auth.idp", "auth.issuer", "auth.authorizationServer", "auth.clients.web", "auth.clients.cli",
               "auth.clients.propeller")  # fmt: skip


async def to_auth(pilot: Pilot[None], answers: dict[str, Any] | None = None) -> WizardApp:
    """Welcome → Start fresh, the EKS answers, then Identity & ingress → Next → Authentication."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await ready(pilot)
    await pilot.press("enter")  # Start fresh
    await pilot.pause()
    app.state.choose_environment("eks")
    for path, value in {**EKS, **(answers or {})}.items():
        app.state.set(path, value)
    app.goto("identity")
    await pilot.pause()
    await next_step(pilot)
    assert app.current_step == "auth"
    return app


def field(app: WizardApp, path: str) -> FormField:
    return app.screen.query_one(f"#{field_id(path)}", FormField)


def shown(app: WizardApp) -> set[str]:
    return {f.path for f in app.screen.query(FormField) if f.display}


async def switch_on(pilot: Pilot[None]) -> None:
    await tab_to(pilot, "auth.enabled")
    await pilot.press("enter")
    await pilot.pause()


async def choose(pilot: Pilot[None], path: str, option: str, options: tuple[str, ...]) -> None:
    """Tab to a radio-button field and move to ``option`` with the arrow keys (from the chosen one), then Enter."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await tab_to(pilot, path)
    current = field(app, path).current_value()
    steps = options.index(option) - options.index(current)
    await pilot.press(*(["down" if steps > 0 else "up"] * abs(steps)), "enter")
    await pilot.pause()
    assert app.state.get(path) == option


def problem(app: WizardApp, path: str) -> str:
    """The line under the field, as the user reads it."""
    return field(app, path).problem_text


async def next_refused(pilot: Pilot[None], app: WizardApp) -> None:
    await next_step(pilot)
    assert app.current_step == "auth"
    assert app.screen.query_one("#nav-status").render()  # "n errors on this step"


async def test_auth_is_off_by_default_and_the_step_passes(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        assert field(app, "auth.enabled").current_value() is False
        assert shown(app) == {"auth.enabled"}
        assert not app.screen.query_one("#oidc-secret", Input).display
        assert app.state.errors_for("auth") == []
        await next_step(pilot)
        assert app.current_step == "plugins"
        assert "auth" not in app.state.raw or not app.state.get("auth.enabled")


async def test_turning_it_on_shows_the_fields_the_idp_and_server_need(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        assert app.state.get("auth.enabled") is True
        assert shown(app) == {"auth.enabled", *AUTH_FIELDS}  # Self: no External field
        assert app.screen.query_one("#oidc-secret", Input).display
        assert app.screen.query_one("#oidc-secret", Input).password  # masked
        await choose(pilot, "auth.authorizationServer", "External", tuple(SERVERS))
        external = {f"auth.external.{n}" for n in ("issuer", "metadataUrl", "audience", "allowedAudience", "scopes",
                                                    "propellerScopes")}  # fmt: skip
        assert external <= shown(app)  # any OIDC issuer: all of them
        await choose(pilot, "auth.idp", "okta", tuple(IDPS))
        assert "auth.external.metadataUrl" not in shown(app) and "auth.external.audience" in shown(app)
        await choose(pilot, "auth.idp", "google", tuple(IDPS))
        assert "auth.issuer" not in shown(app)  # google's issuer is fixed
        assert "google has no authorization server" in problem(app, "auth.authorizationServer")
        await choose(pilot, "auth.authorizationServer", "Self", tuple(SERVERS))
        assert not external & shown(app) and "auth.authorizationServer" not in shown(app)


async def test_a_bad_issuer_is_refused_as_typed_with_the_fields_message(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        await type_into(pilot, "auth.clients.web", "flyte-web")
        await type_into(pilot, "auth.issuer", "http://idp.example.com")
        line = problem(app, "auth.issuer")
        assert line.startswith("✗") and "must be an https:// URL" in line, line
        await next_refused(pilot, app)
        await type_into(pilot, "auth.issuer", "http://127.0.0.1:5556/dex")  # a test IdP on this machine
        warned = problem(app, "auth.issuer")  # accepted, with a warning (not an error)
        assert warned.startswith("⚠") and "testing only" in warned and app.state.errors_for("auth") == []
        await type_into(pilot, "auth.issuer", "https://idp.example.com")
        assert problem(app, "auth.issuer") == "" and app.state.errors_for("auth") == []
        await type_into(pilot, "auth.clients.cli", "my-cli")
        await type_into(pilot, "auth.clients.cli", "")  # cleared: the default id again, not a missing one
        assert app.state.get("auth.clients.cli") is None and app.state.errors_for("auth") == []
        await next_step(pilot)
        assert app.current_step == "plugins"


async def test_googles_placeholder_client_id_is_refused(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        await choose(pilot, "auth.idp", "google", tuple(IDPS))
        await type_into(pilot, "auth.clients.web", GOOGLE_PLACEHOLDER_ID)
        assert "flyte-core's example Google client id" in problem(app, "auth.clients.web")
        await next_refused(pilot, app)
        await type_into(pilot, "auth.clients.web", "123-abc.apps.googleusercontent.com")
        assert problem(app, "auth.clients.web") == "" and app.state.errors_for("auth") == []


async def test_external_without_the_audience_auth0_needs_is_refused(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        await choose(pilot, "auth.idp", "auth0", tuple(IDPS))
        await type_into(pilot, "auth.issuer", "https://acme.us.auth0.com/")
        await type_into(pilot, "auth.clients.web", "web-id")
        await choose(pilot, "auth.authorizationServer", "External", tuple(SERVERS))
        assert "auth0: required (the API identifier)" in problem(app, "auth.external.audience")
        await next_refused(pilot, app)
        await type_into(pilot, "auth.external.audience", "https://flyte.example.org")  # not the public URL
        assert "'invalid audience'" in problem(app, "auth.external.audience")
        await type_into(pilot, "auth.external.audience", "https://flyte.acme.com")
        assert problem(app, "auth.external.audience") == "" and app.state.errors_for("auth") == []


async def test_auth_needs_the_ingress_host_and_says_where(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot, {"ingress.host": None, "ingress.tls.certificateArn": None, "ingress.tls.enabled": False})
        await switch_on(pilot)
        note = str(app.screen.query_one("#auth-elsewhere").render())
        assert "ingress.host: auth needs an ingress with a host" in note and "(on Identity & ingress)" in note


async def test_a_good_setup_is_saved_with_camel_case_keys_and_no_secret_on_disk(
    wizard: Callable[..., WizardApp], answers_path: Path, recovery_dir: Path
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        await choose(pilot, "auth.idp", "okta", tuple(IDPS))
        await type_into(pilot, "auth.issuer", "https://acme.okta.com/oauth2/default")
        await choose(pilot, "auth.authorizationServer", "External", tuple(SERVERS))
        await type_into(pilot, "auth.external.audience", "https://flyte.acme.com")
        await type_into(pilot, "auth.external.scopes", "all, offline")
        await type_into(pilot, "auth.clients.web", "0oa-web")
        await type_into(pilot, "auth.clients.cli", "0oa-cli")
        await tab_to_id(pilot, "oidc-secret")
        await type_text(pilot, OIDC_SECRET)
        await tab_to_id(pilot, "propeller-secret")
        await type_text(pilot, PROPELLER_SECRET)
        assert app.state.errors_for("auth") == [], app.state.errors_for("auth")
        recovery = (recovery_dir / FILE_NAME).read_text(encoding="utf-8")  # autosaved after every change
        assert "0oa-web" in recovery
        assert OIDC_SECRET not in recovery and PROPELLER_SECRET not in recovery
        given = app.state.install_options().secrets  # what the installer gets: in memory
        assert (given.oidc_client_secret, given.propeller_client_secret) == (OIDC_SECRET, PROPELLER_SECRET)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.state.dirty
    text = answers_path.read_text(encoding="utf-8")
    assert OIDC_SECRET not in text and PROPELLER_SECRET not in text
    assert load_answers(answers_path)["auth"] == {
        "enabled": True,
        "idp": "okta",
        "issuer": "https://acme.okta.com/oauth2/default",
        "authorizationServer": "External",
        "external": {"audience": "https://flyte.acme.com", "scopes": ["all", "offline"]},
        "clients": {"web": "0oa-web", "cli": "0oa-cli"},
    }
    for name in ("flyte-values.yaml", FILE_NAME):
        path = answers_path.parent / name
        assert not path.exists() or (OIDC_SECRET not in path.read_text() and PROPELLER_SECRET not in path.read_text())


async def test_typed_secrets_survive_back_and_next_and_self_keeps_only_the_hash(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        await switch_on(pilot)
        await type_into(pilot, "auth.issuer", "https://idp.acme.com")
        await type_into(pilot, "auth.clients.web", "flyte-web")
        await tab_to_id(pilot, "oidc-secret")
        await type_text(pilot, OIDC_SECRET)
        await tab_to_id(pilot, "propeller-secret")
        await type_text(pilot, PROPELLER_SECRET)
        made = app.state.get("auth.clients.propellerHash")
        assert isinstance(made, str) and propeller_secret_matches(PROPELLER_SECRET, made)
        await pilot.press("escape")  # Back to Identity & ingress
        await pilot.pause()
        assert app.current_step == "identity"
        await next_step(pilot)
        assert app.current_step == "auth"
        assert app.screen.query_one("#oidc-secret", Input).value == OIDC_SECRET
        assert app.screen.query_one("#propeller-secret", Input).value == PROPELLER_SECRET
        assert app.state.get("auth.clients.propellerHash") == made  # the same secret: the same hash, not a new one
        await next_step(pilot)
        assert app.current_step == "plugins"
        await pilot.press("ctrl+s")
        await pilot.pause()
    text = answers_path.read_text(encoding="utf-8")
    assert OIDC_SECRET not in text and PROPELLER_SECRET not in text
    assert load_answers(answers_path)["auth"]["clients"]["propellerHash"] == made


async def test_an_answers_file_with_auth_fills_the_step(wizard: Callable[..., WizardApp], tmp_path: Path) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text(
        "environment: generic\n"
        "ingress: {host: flyte.acme.com, tls: {enabled: true}}\n"
        "auth:\n"
        "  enabled: true\n"
        "  idp: keycloak\n"
        "  issuer: https://sso.acme.com/realms/flyte\n"
        "  authorizationServer: External\n"
        "  external: {audience: 'https://flyte.acme.com', propellerScopes: [all]}\n"
        "  clients: {web: flyte-console, cli: flyte-cli}\n"
    )
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await continue_from(pilot, existing, "open")
        app.goto("auth")
        await pilot.pause()
        assert field(app, "auth.enabled").current_value() is True
        assert field(app, "auth.idp").current_value() == "keycloak"
        assert field(app, "auth.authorizationServer").current_value() == "External"
        assert field(app, "auth.issuer").current_value() == "https://sso.acme.com/realms/flyte"
        assert field(app, "auth.external.audience").current_value() == "https://flyte.acme.com"
        assert field(app, "auth.external.propellerScopes").current_value() == ["all"]
        assert field(app, "auth.clients.cli").current_value() == "flyte-cli"
        assert "auth.external.metadataUrl" in shown(app)  # keycloak's
        assert "'scp'" in problem(app, "auth.idp")  # the keycloak warning, under its field


def test_snapshot_okta_on(snap_compare: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("flyte-tui.yaml"), recovery_dir=tmp_path / "state", detector=fixed_detection,
                   deterministic=True)  # fmt: skip
    answers = {"auth.enabled": True, "auth.idp": "okta", "auth.issuer": "http://dev-1.okta.com/oauth2/default"}

    async def run_before(pilot: Pilot[None]) -> None:
        await to_auth(pilot, answers)
        await tab_to(pilot, "auth.issuer")  # its error line in view

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def test_the_propeller_hash_follows_the_secret_and_the_server_type(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot, {"auth.enabled": True, "auth.authorizationServer": "External"})
        await tab_to_id(pilot, "propeller-secret")
        await type_text(pilot, PROPELLER_SECRET)
        assert app.state.get("auth.clients.propellerHash") is None  # External: the IdP checks the secret
        await choose(pilot, "auth.authorizationServer", "Self", tuple(SERVERS))
        await pilot.pause()
        made = app.state.get("auth.clients.propellerHash")
        assert isinstance(made, str) and propeller_secret_matches(PROPELLER_SECRET, made)
        await tab_to_id(pilot, "propeller-secret")
        await pilot.press("end", "ctrl+u")  # the secret cleared: the hash made from it goes too
        await pilot.pause()
        assert app.state.propeller_client_secret == "" and app.state.get("auth.clients.propellerHash") is None


async def test_self_without_a_propeller_secret_is_made_at_install_and_make_one_fills_it(
    wizard: Callable[..., WizardApp], recovery_dir: Path
) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot, {"auth.enabled": True, "auth.issuer": "https://idp.acme.com", "auth.clients.web": "w"})
        warning = app.screen.query_one("#propeller-missing")  # none: Save and install settles it (reuse or make)
        assert not warning.display
        assert "reuses the cluster's Secret" in str(app.screen.query_one("#propeller-secret-note").render())
        await tab_to_id(pilot, "make-propeller-secret")
        await pilot.press("enter")
        await pilot.pause()
        made = app.state.propeller_client_secret
        assert len(made) >= 32 and app.screen.query_one("#propeller-secret", Input).value == made
        secret_hash = app.state.get("auth.clients.propellerHash")
        assert isinstance(secret_hash, str) and propeller_secret_matches(made, secret_hash)
        assert not warning.display
        assert made not in (recovery_dir / FILE_NAME).read_text(encoding="utf-8")
        await choose(pilot, "auth.authorizationServer", "External", tuple(SERVERS))
        assert not app.screen.query_one("#make-propeller-secret").display  # the IdP's secret: nothing to make


async def test_review_says_what_to_register_at_the_idp(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await to_auth(pilot)
        app.goto("review")
        await pilot.pause()
        assert not app.screen.query_one("#idp-label").display and not app.screen.query_one("#idp-register").display
        on = {"auth.enabled": True, "auth.idp": "okta", "auth.issuer": "https://acme.okta.com/oauth2/default",
              "auth.clients.web": "0oa-web"}  # fmt: skip
        for path, value in on.items():
            app.state.set(path, value)
        app.goto("auth")
        await pilot.pause()
        app.goto("review")
        await pilot.pause()
        assert app.screen.query_one("#idp-label").display
        text = str(app.screen.query_one("#idp-register").render())
        assert "0oa-web" in text and "https://flyte.acme.com/callback" in text, text


async def test_the_secrets_notes_name_the_charts_own_secrets(wizard: Callable[..., WizardApp]) -> None:
    from textual.widgets import Static

    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        binary = {"target.chart.name": "flyte-binary", "target.release": "flyte-backend", "auth.enabled": True}
        await to_auth(pilot, binary)
        app.screen.refresh_extras()  # type: ignore[attr-defined]
        await pilot.pause()
        notes = " ".join(str(app.screen.query_one(f"#{w}-note", Static).render()) for w in SECRET_NOTES)
        assert "flyte-backend-flyte-binary-propeller-auth" in notes
        assert "flyte-backend-flyte-binary-admin-auth" in notes
        assert "flyte-secret-auth" not in notes and "flyte-admin-secrets" not in notes
