"""The review's "register at the IdP" lines: per client the exact redirect URIs, grant types and scopes; the
Secrets by name and key, never a value; `flyte-tui render` prints them. And the upgrade review masks auth changes:
a changed hash or secret reads "changed", never its value."""

from __future__ import annotations

from pathlib import Path

from flyte_tui.files.yamlio import dump
from flyte_tui.model.auth import hash_propeller_secret
from flyte_tui.review.auth import registration_lines
from flyte_tui.review.diff import answers_diff, values_diff
from flyte_tui.review.mask import CHANGED, REDACTED
from tests.test_auth_model import RECIPES, answers
from tests.test_auth_render import plan_for
from tests.test_cli import no_traceback, run


def test_self_registers_only_the_web_login_with_its_exact_redirects() -> None:
    lines = registration_lines(plan_for("google"))
    text = "\n".join(lines)
    assert lines[0].startswith("Register at the IdP (google, issuer https://accounts.google.com)")
    assert "client id 123-abc.apps.googleusercontent.com, confidential web application" in text
    assert "redirect URIs: https://flyte.acme.com/callback, https://flyte.acme.com/logout" in text
    assert "grant types: authorization_code, refresh_token" in text and "scopes: openid, profile" in text
    assert "nothing to register" in text  # flytectl and propeller are flyteadmin's own clients
    assert "Secret flyte-secret-auth, key client_secret; flyte-tui install makes it" in text
    assert "Secret flyte-admin-secrets, key oidc_client_secret" in text


def test_the_wizard_says_the_secrets_are_typed_or_made_at_install() -> None:
    text = "\n".join(registration_lines(plan_for("google"), "wizard"))
    assert "Secret flyte-admin-secrets, key oidc_client_secret (typed in the Authentication step)" in text
    assert (
        "Secret flyte-secret-auth, key client_secret; the one typed in the Authentication step, or else "
        "Save and install makes it" in text
    )
    assert "FLYTE_TUI_" not in text and "flyte-tui install" not in text
    external = "\n".join(registration_lines(plan_for("okta-external"), "wizard"))
    assert (
        "propeller's client secret (the IdP's): Secret flyte-secret-auth, key client_secret (typed in the "
        "Authentication step)" in external
    )
    assert "FLYTE_TUI_" not in external


def test_the_command_line_names_the_variables() -> None:
    text = "\n".join(registration_lines(plan_for("okta-external"), "cli"))
    assert "(from FLYTE_TUI_OIDC_CLIENT_SECRET or FLYTE_TUI_OIDC_CLIENT_SECRET_FILE)" in text
    assert "(from FLYTE_TUI_PROPELLER_CLIENT_SECRET)" in text


def test_external_registers_three_clients_and_the_audience() -> None:
    text = "\n".join(registration_lines(plan_for("okta-external")))
    assert "flytectl / pyflyte: client id 0oanative, public (native) application with PKCE" in text
    assert "redirect URIs: http://localhost:53593/callback" in text
    assert "flytepropeller / scheduler: client id 0oaprop" in text and "grant types: client_credentials" in text
    assert "scopes: all, offline" in text
    assert "audience (aud) one of https://flyte.acme.com" in text and "'scp'" in text


def test_entra_lists_the_api_audience_and_default_scope() -> None:
    text = "\n".join(registration_lines(plan_for("entra")))
    assert "api://app-1" in text and "scopes: api://app-1/.default" in text


def test_auth_off_has_no_lines() -> None:
    assert registration_lines(plan_for("google", enabled=False)) == []


def test_render_prints_what_to_register(tmp_path: Path) -> None:
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(answers(RECIPES["okta-external"])))
    proc = run("render", str(answers_file), "-o", str(tmp_path / "values.yaml"))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "Register at the IdP (okta" in proc.stdout and "http://localhost:53593/callback" in proc.stdout
    proc = run("render", str(answers_file), "-o", "-")
    assert "Register at the IdP" in proc.stderr and "Register at the IdP" not in proc.stdout


STATIC = ("configmap", "adminServer", "auth", "appAuth", "selfAuthServer", "staticClients", "flytepropeller")


def _nested(path: tuple[str, ...], leaf: object) -> dict[str, object]:
    node: dict[str, object] = {path[-1]: leaf}
    for key in reversed(path[:-1]):
        node = {key: node}
    return node


def test_a_changed_propeller_hash_reads_changed_in_values_and_answers() -> None:
    old, new = hash_propeller_secret("one"), hash_propeller_secret("two")
    change = values_diff(_nested((*STATIC, "client_secret"), old), _nested((*STATIC, "client_secret"), new))
    assert [c.new for c in change.changes] == [CHANGED] and old not in str(change) and new not in str(change)
    answered = answers_diff(
        {"auth": {"clients": {"propellerHash": old}}}, {"auth": {"clients": {"propellerHash": new}}}
    )
    assert [(c.path, c.old, c.new) for c in answered] == [("auth.clients.propellerHash", REDACTED, CHANGED)]
    added = answers_diff({}, {"auth": {"clients": {"propellerHash": new}}})
    assert [c.new for c in added] == [REDACTED]


def test_a_changed_oidc_secret_in_flyteadmin_secrets_reads_changed() -> None:
    change = values_diff(
        {"flyteadmin": {"secrets": {"oidc_client_secret": "s3cr3t-one"}}},
        {"flyteadmin": {"secrets": {"oidc_client_secret": "s3cr3t-two"}}},
    )
    assert [c.line() for c in change.changes] == [f"~ flyteadmin.secrets.oidc_client_secret: {REDACTED} → {CHANGED}"]
