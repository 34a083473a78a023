"""Auth answers → flyte-core values, per IdP recipe with the real key paths; and real `helm template` (3 and 4)
showing flyteadmin's server.yaml carries them and that no Secret is made from a values file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_core.render_auth import idp_clients
from flyte_tui.model.auth import propeller_secret_and_hash, propeller_secret_matches
from flyte_tui.model.plan import InstallPlan
from tests.conftest import FIXTURE_CHART, helm_binaries
from tests.test_auth_model import RECIPES, answers
from tests.test_helm_template import objects, template

AUTH = ("configmap", "adminServer", "auth")
APP = (*AUTH, "appAuth")


def plan_for(recipe: str, **changes: Any) -> InstallPlan:
    raw = answers(RECIPES[recipe])
    raw["auth"].update(changes)
    result = validate_answers(raw)
    assert result.plan is not None and result.ok, [str(p) for p in result.errors]
    return result.plan


def values_for(plan: InstallPlan) -> dict[str, Any]:
    return flyte_release(plan_releases(plan)).values


def test_auth_off_renders_no_auth_key() -> None:
    values = values_for(plan_for("google", enabled=False))
    assert tree.get(values, ("configmap", "adminServer", "server", "security", "useAuth")) is None
    assert tree.get(values, (*AUTH, "appAuth")) is None
    assert tree.get(values, ("secrets", "adminOauthClientCredentials")) is None


def test_authorized_uris_start_with_the_public_url_then_the_release_namespace() -> None:
    raw = answers(RECIPES["google"])
    raw["target"]["namespace"] = "flyte-prod"
    result = validate_answers(raw)
    assert result.plan is not None
    assert tree.get(values_for(result.plan), (*AUTH, "authorizedUris")) == [
        "https://flyte.acme.com",
        "http://flyteadmin:80",
        "http://flyteadmin.flyte-prod.svc.cluster.local:80",
    ]


def test_google_self_lists_three_static_clients_with_the_propeller_hash() -> None:
    secret, hashed = propeller_secret_and_hash()
    plan = plan_for("google", clients={"web": "123-abc.apps.googleusercontent.com", "propellerHash": hashed})
    values = values_for(plan)
    assert tree.get(values, ("configmap", "adminServer", "server", "security", "useAuth")) is True
    assert tree.get(values, (*AUTH, "userAuth", "openId")) == {
        "baseUrl": "https://accounts.google.com",
        "clientId": "123-abc.apps.googleusercontent.com",
        "scopes": ["openid", "profile"],
    }
    assert tree.get(values, (*APP, "authServerType")) == "Self"
    clients = tree.get(values, (*APP, "selfAuthServer", "staticClients"))
    assert sorted(clients) == ["flyte-cli", "flytectl", "flytepropeller"]
    assert propeller_secret_matches(secret, clients["flytepropeller"]["client_secret"])
    assert clients["flytectl"]["public"] is True and "client_credentials" in clients["flytepropeller"]["grant_types"]
    # the chart must not make flyte-secret-auth from its "foobar" default: flyte-tui makes it
    assert tree.get(values, ("secrets", "adminOauthClientCredentials")) == {
        "enabled": True, "clientSecret": None, "clientId": "flytepropeller", "secretName": "flyte-secret-auth",
    }  # fmt: skip
    assert secret not in repr(values)


def test_okta_external_points_at_the_custom_authorization_server() -> None:
    values = values_for(plan_for("okta-external"))
    assert tree.get(values, (*APP, "authServerType")) == "External"
    assert tree.get(values, (*APP, "externalAuthServer")) == {
        "baseUrl": "https://dev-1.okta.com/oauth2/aus1",
        "metadataUrl": ".well-known/oauth-authorization-server",
        "allowedAudience": ["https://flyte.acme.com"],
    }
    assert tree.get(values, (*APP, "thirdPartyConfig", "flyteClient")) == {
        "clientId": "0oanative", "redirectUri": "http://localhost:53593/callback", "scopes": ["all", "offline"],
        "audience": "https://flyte.acme.com",
    }  # fmt: skip
    assert tree.get(values, (*APP, "selfAuthServer")) is None
    assert tree.get(values, ("secrets", "adminOauthClientCredentials", "clientId")) == "0oaprop"


def test_keycloak_reads_openid_metadata_and_asks_offline_access() -> None:
    values = values_for(plan_for("keycloak"))
    assert tree.get(values, (*APP, "externalAuthServer", "metadataUrl")) == ".well-known/openid-configuration"
    assert tree.get(values, (*APP, "externalAuthServer", "baseUrl")) == "https://kc.acme.com/realms/flyte"
    assert "offline_access" in tree.get(values, (*AUTH, "userAuth", "openId", "scopes"))


def test_entra_uses_the_api_audience_and_default_scope() -> None:
    values = values_for(plan_for("entra"))
    ext = tree.get(values, (*APP, "externalAuthServer"))
    assert ext["metadataUrl"] == ".well-known/openid-configuration"
    assert "api://app-1" in ext["allowedAudience"]
    assert tree.get(values, ("configmap", "admin", "admin", "scopes")) == ["api://app-1/.default"]
    assert tree.get(values, ("configmap", "admin", "admin", "useAudienceFromAdmin")) is True
    assert tree.get(values, (*APP, "thirdPartyConfig", "flyteClient", "scopes")) == ["api://app-1/all"]


def test_auth0_gives_propeller_an_audience() -> None:
    values = values_for(plan_for("auth0"))
    assert tree.get(values, ("configmap", "admin", "admin", "audience")) == "https://flyte.acme.com"


def test_clients_to_register_at_the_idp() -> None:
    self_clients = idp_clients(plan_for("google"))
    assert [c.redirect_uris for c in self_clients] == [
        ("https://flyte.acme.com/callback", "https://flyte.acme.com/logout")
    ]
    web, cli, propeller = idp_clients(plan_for("okta-external"))
    assert (
        web.client_id == "0oaweb"
        and cli.client_id == "0oanative"
        and cli.redirect_uris == ("http://localhost:53593/callback",)
    )
    assert propeller.redirect_uris == () and "all" in propeller.scopes


@pytest.mark.parametrize("helm", helm_binaries())
def test_helm_template_carries_auth_into_flyteadmin_config(helm: Path, tmp_path: Path) -> None:
    secret, hashed = propeller_secret_and_hash()
    raw = answers(RECIPES["okta-self"])
    raw["auth"]["clients"]["propellerHash"] = hashed
    code, err, docs = template(helm, FIXTURE_CHART, raw, tmp_path)
    assert code == 0, err
    base = objects(docs, "ConfigMap")["flyte-admin-base-config"]["data"]["server.yaml"]
    server = YAML(typ="safe").load(base)
    assert server["server"]["security"]["useAuth"] is True
    assert server["auth"]["authorizedUris"][0] == "https://flyte.acme.com"
    assert server["auth"]["userAuth"]["openId"]["clientId"] == "0oaweb"
    propeller = server["auth"]["appAuth"]["selfAuthServer"]["staticClients"]["flytepropeller"]
    assert base64.b64decode(propeller["client_secret"]).startswith(b"$2a$")
    assert propeller_secret_matches(secret, propeller["client_secret"])
    # flyte-tui creates flyte-secret-auth itself: the chart's foobar default is not rendered
    assert "flyte-secret-auth" not in objects(docs, "Secret")
    assert secret not in (tmp_path / "values.yaml").read_text()
