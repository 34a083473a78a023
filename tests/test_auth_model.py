"""The auth section: valid recipes per IdP pass; each rule fails at its field with words a user can act on."""

from __future__ import annotations

import base64
import copy
from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_and_hash, propeller_secret_matches
from flyte_tui.model.auth_rules import GOOGLE_PLACEHOLDER_ID
from tests.conftest import REALISTIC, set_path

# One valid auth section per IdP recipe (NEXT-CAPABILITIES §1.7), on the eks answers (host flyte.acme.com, TLS).
RECIPES: dict[str, dict[str, Any]] = {
    "google": {"enabled": True, "idp": "google", "clients": {"web": "123-abc.apps.googleusercontent.com"}},
    "okta-self": {"enabled": True, "idp": "okta", "issuer": "https://dev-1.okta.com/oauth2/default",
                  "clients": {"web": "0oaweb"}},
    "okta-external": {
        "enabled": True, "idp": "okta", "issuer": "https://dev-1.okta.com/oauth2/default",
        "authorizationServer": "External", "external": {"issuer": "https://dev-1.okta.com/oauth2/aus1"},
        "clients": {"web": "0oaweb", "cli": "0oanative", "propeller": "0oaprop"},
    },
    "keycloak": {
        "enabled": True, "idp": "keycloak", "issuer": "https://kc.acme.com/realms/flyte",
        "authorizationServer": "External", "clients": {"web": "flyte-web"},
    },
    "entra": {
        "enabled": True, "idp": "entra", "issuer": "https://login.microsoftonline.com/tenant-1/v2.0",
        "authorizationServer": "External",
        "external": {"allowedAudience": ["api://app-1"], "scopes": ["api://app-1/all"],
                     "propellerScopes": ["api://app-1/.default"]},
        "clients": {"web": "app-1", "cli": "app-1", "propeller": "app-1"},
    },
    "auth0": {
        "enabled": True, "idp": "auth0", "issuer": "https://acme.eu.auth0.com/",
        "authorizationServer": "External", "external": {"audience": "https://flyte.acme.com"},
        "clients": {"web": "a0web", "cli": "a0cli", "propeller": "a0prop"},
    },
    "oidc-loopback": {"enabled": True, "idp": "oidc", "issuer": "http://127.0.0.1:4444/", "clients": {"web": "w"}},
}  # fmt: skip


def answers(auth: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(REALISTIC["eks"])
    raw["auth"] = copy.deepcopy(auth)
    return raw


def errors(raw: dict[str, Any]) -> list[str]:
    result = validate_answers(raw)
    return [str(p) for p in result.problems if p.severity == "error"]


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_each_recipe_is_valid(recipe: str) -> None:
    assert errors(answers(RECIPES[recipe])) == []


FAILURES: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("http-issuer", "okta-self", {"auth.issuer": "http://dev-1.okta.com/oauth2/default"}, "auth.issuer", "https://"),
    ("http-external-issuer", "okta-external", {"auth.external.issuer": "http://idp.acme.com"},
     "auth.external.issuer", "https://"),
    ("no-issuer", "okta-self", {"auth.issuer": ""}, "auth.issuer", "required for idp okta"),
    ("placeholder-id", "google", {"auth.clients.web": GOOGLE_PLACEHOLDER_ID}, "auth.clients.web", "example Google"),
    ("no-web-id", "google", {"auth.clients.web": ""}, "auth.clients.web", "required"),
    ("no-host", "google", {"ingress.host": ""}, "ingress.host", "auth needs an ingress"),
    ("no-tls", "google", {"ingress.tls.enabled": False}, "ingress.tls.enabled", "auth needs TLS"),
    ("google-external", "google", {"auth.authorizationServer": "External"}, "auth.authorizationServer", "use Self"),
    ("audience-not-accepted", "okta-external", {"auth.external.audience": "api://other"},
     "auth.external.audience", "invalid audience"),
    ("entra-no-default-scope", "entra", {"auth.external.propellerScopes": []},
     "auth.external.propellerScopes", ".default"),
    ("entra-no-api-audience", "entra", {"auth.external.allowedAudience": []},
     "auth.external.allowedAudience", "api://"),
    ("entra-authorize-url", "entra", {"auth.issuer": "https://login.microsoftonline.com/t/oauth2/v2.0/authorize"},
     "auth.issuer", "/v2.0"),
    ("keycloak-no-realm", "keycloak", {"auth.issuer": "https://kc.acme.com/"}, "auth.issuer", "realm"),
    ("auth0-no-audience", "auth0", {"auth.external.audience": ""}, "auth.external.audience", "No audience"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recipe", "changes", "path", "words"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_each_rule_fails_at_its_field(recipe: str, changes: dict[str, Any], path: str, words: str) -> None:
    raw = answers(RECIPES[recipe])
    for dotted, value in changes.items():
        set_path(raw, dotted, value)
    found = [e for e in errors(raw) if e.startswith(path + ":")]
    assert found, errors(raw)
    assert any(words in e for e in found), found


def test_auth_on_flyte_binary_is_accepted_with_its_own_propeller_client() -> None:
    raw = answers(RECIPES["okta-self"])
    raw["target"]["chart"] = {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-binary", "version": "v1.16.8"}
    assert not [e for e in errors(raw) if e.startswith("auth.")]
    raw["auth"].setdefault("clients", {})["propeller"] = "my-propeller"
    found = errors(raw)
    assert any(e.startswith("auth.clients.propeller") and "'flytepropeller'" in e for e in found), found


def test_an_http_loopback_issuer_is_a_testing_only_warning() -> None:
    raw = answers({**RECIPES["okta-self"], "issuer": "http://127.0.0.1:4444/"})
    validation = validate_answers(raw)
    assert validation.ok
    warned = [p for p in validation.problems if p.path == "auth.issuer"]
    assert warned and warned[0].severity == "warning" and "testing only" in warned[0].message


def test_auth_off_has_no_rules() -> None:
    raw = answers({"enabled": False, "idp": "okta"})
    raw["ingress"]["host"] = ""
    assert not [e for e in errors(raw) if e.startswith(("auth.", "ingress.tls"))]


def test_keycloak_warns_about_the_scp_claim() -> None:
    result = validate_answers(answers(RECIPES["keycloak"]))
    warnings = [str(p) for p in result.problems if p.severity == "warning"]
    assert any(w.startswith("auth.idp:") and "'scp'" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("path", "value"),
    [("auth.issuer", "dev-1.okta.com"), ("auth.clients.web", "--kubeconfig=x"), ("auth.idp", "github"),
     ("auth.clients.propellerHash", "$2a$06$notbase64"), ("auth.clientSecret", "s3cret")],
)  # fmt: skip
def test_bad_values_are_refused_at_their_field(path: str, value: str) -> None:
    raw = answers(RECIPES["okta-self"])
    set_path(raw, path, value)
    result = validate_answers(raw)
    assert result.plan is None
    assert any(str(p).startswith(path) for p in result.problems), [str(p) for p in result.problems]


def test_propeller_hash_is_base64_of_bcrypt_and_matches_only_its_secret() -> None:
    secret, hashed = propeller_secret_and_hash()
    assert len(secret) >= 32
    assert base64.b64decode(hashed).startswith(b"$2a$06$")
    assert propeller_secret_matches(secret, hashed)
    assert not propeller_secret_matches(secret + "x", hashed)
    assert not propeller_secret_matches(secret, hash_propeller_secret("other"))
    assert propeller_secret_and_hash()[0] != secret
