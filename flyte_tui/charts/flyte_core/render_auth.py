"""The ``auth`` answers → flyte-core values (``configmap.adminServer.auth``, ``secrets.adminOauthClientCredentials``,
``configmap.admin.admin``): derived, not typed, and never a secret.

``authorizedUris`` start with the public https URL (flyteadmin falls back to the first entry), then the in-cluster
ones for the release namespace. For ``Self`` all three static clients are listed (a map in flyteadmin's config
replaces the default map), the propeller one with the base64 of the bcrypt hash flyte-tui made with the secret.
The chart's gRPC Ingress already routes ``AuthMetadataService`` and ``IdentityService`` and its HTTP Ingress the
login paths, so nothing is added there. The propeller secret's Secret is flyte-tui's (``clientSecret: null``: the
chart must not make one from its ``foobar`` default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_core import defaults
from flyte_tui.model.auth import CLI_REDIRECT, REQUIRED_SCOPE, Auth
from flyte_tui.model.plan import InstallPlan

PROPELLER_SECRET = "flyte-secret-auth"
"""The propeller client secret's Secret (the scheduler and the propeller manager hard-code this name)."""
PROPELLER_SECRET_KEY = "client_secret"
ADMIN_SECRET = "flyte-admin-secrets"
"""flyteadmin's Secret (mounted at /etc/secrets), where the OIDC client secret goes."""
OIDC_SECRET_KEY = "oidc_client_secret"
LOGIN_SCOPES = ["openid", "profile"]
CLI_SCOPES = [REQUIRED_SCOPE, "offline"]
_SELF_CLIENT_REDIRECTS = [CLI_REDIRECT, "http://localhost:12345/callback"]
_SELF_SCOPES = [REQUIRED_SCOPE, "offline", "access_token"]


@dataclass(frozen=True)
class IdpClient:
    """One client to register at the IdP: its id, kind, redirect URIs, grant types and scopes (the review lists
    them)."""

    role: str
    client_id: str
    kind: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...] = ()


def public_url(plan: InstallPlan) -> str:
    """Flyte's public URL, https://<ingress.host>."""
    return f"https://{plan.ingress.host}"


def authorized_uris(plan: InstallPlan) -> list[str]:
    """``authorizedUris``: the public https URL first, then the in-cluster ones for the release namespace."""
    return [public_url(plan), *defaults.authorized_uris(plan.target.namespace)[1:]]


def allowed_audience(plan: InstallPlan) -> list[str]:
    """External: the audiences flyteadmin accepts, the IdP's audience first (in-cluster calls arrive at
    http://flyteadmin:80, so it must be listed, not matched against the URL), then the user's."""
    ext = plan.auth.external
    return list(dict.fromkeys([ext.audience or public_url(plan), *ext.allowed_audience]))


def login_scopes(auth: Auth) -> list[str]:
    """The scopes of the web login (keycloak also wants offline_access for a refresh token)."""
    return [*LOGIN_SCOPES, "offline_access"] if auth.idp == "keycloak" else list(LOGIN_SCOPES)


def cli_scopes(auth: Auth) -> list[str]:
    """The scopes flytectl and pyflyte ask for."""
    return (
        list(auth.external.scopes) if auth.authorization_server == "External" and auth.external.scopes else CLI_SCOPES
    )


def idp_clients(plan: InstallPlan) -> list[IdpClient]:
    """What to register at the IdP, per client: the web login always; with External also the CLI and propeller."""
    auth = plan.auth
    web = IdpClient(
        "web login (flyteadmin)",
        auth.clients.web,
        "confidential web application",
        (f"{public_url(plan)}/callback", f"{public_url(plan)}/logout"),
        tuple(login_scopes(auth)),
        ("authorization_code", "refresh_token"),
    )
    if auth.authorization_server == "Self":
        return [web]
    cli = IdpClient("flytectl / pyflyte", auth.clients.cli, "public (native) application with PKCE",
                    (CLI_REDIRECT,), tuple(cli_scopes(auth)), ("authorization_code", "refresh_token"))  # fmt: skip
    propeller = IdpClient("flytepropeller / scheduler", auth.clients.propeller, "confidential, client credentials",
                          (), tuple(auth.external.propeller_scopes or [REQUIRED_SCOPE]),
                          ("client_credentials",))  # fmt: skip
    return [web, cli, propeller]


SELF_CLIENTS = ("auth", "appAuth", "selfAuthServer", "staticClients")
"""Where flyteadmin's config (``server.yaml``; ``configmap.adminServer`` in the values) lists Self's clients."""


def propeller_hash_in_config(server: Mapping[str, Any], client_id: str) -> str:
    """The propeller client's hash (base64 of bcrypt) in flyteadmin's server config ("" when there is none)."""
    found = tree.get(server, (*SELF_CLIENTS, client_id, "client_secret"), "")
    return found if isinstance(found, str) else ""


def _static_clients(auth: Auth) -> dict[str, Any]:
    def public(client_id: str) -> dict[str, Any]:
        return {
            "id": client_id,
            "redirect_uris": list(_SELF_CLIENT_REDIRECTS),
            "response_types": ["code", "token"],
            "grant_types": ["refresh_token", "authorization_code"],
            "scopes": list(_SELF_SCOPES),
            "public": True,
        }

    clients = {"flyte-cli": public("flyte-cli"), "flytectl": public("flytectl")}
    clients[auth.clients.propeller] = {
        "id": auth.clients.propeller,
        "client_secret": auth.clients.propeller_hash,
        "redirect_uris": ["http://localhost:3846/callback"],
        "response_types": ["token"],
        "grant_types": ["refresh_token", "client_credentials"],
        "scopes": list(_SELF_SCOPES),
        "public": False,
    }
    return clients


def auth_values(plan: InstallPlan) -> dict[str, Any]:
    """The flyte-core values of the plan's auth section ({} when auth is off)."""
    auth = plan.auth
    if not auth.enabled:
        return {}
    values: dict[str, Any] = {}
    base = ("configmap", "adminServer")
    tree.put(values, (*base, "server", "security", "useAuth"), True)
    tree.put(values, (*base, "auth", "authorizedUris"), authorized_uris(plan))
    open_id = {"baseUrl": auth.login_issuer, "clientId": auth.clients.web, "scopes": login_scopes(auth)}
    tree.put(values, (*base, "auth", "userAuth", "openId"), open_id)
    app: dict[str, Any] = {"authServerType": auth.authorization_server}
    flyte_client: dict[str, Any] = {
        "clientId": auth.clients.cli,
        "redirectUri": CLI_REDIRECT,
        "scopes": cli_scopes(auth),
    }
    if auth.authorization_server == "Self":
        app["selfAuthServer"] = {"staticClients": _static_clients(auth)}
    else:
        app["externalAuthServer"] = {
            "baseUrl": auth.external_issuer,
            "metadataUrl": auth.metadata_url,
            "allowedAudience": allowed_audience(plan),
        }
        flyte_client["audience"] = auth.external.audience or public_url(plan)
    app["thirdPartyConfig"] = {"flyteClient": flyte_client}
    tree.put(values, (*base, "auth", "appAuth"), app)
    credentials = {"enabled": True, "clientSecret": None, "clientId": auth.clients.propeller,
                   "secretName": PROPELLER_SECRET}  # fmt: skip
    tree.put(values, ("secrets", "adminOauthClientCredentials"), credentials)
    if auth.authorization_server == "External":
        admin = ("configmap", "admin", "admin")
        if auth.external.propeller_scopes:
            tree.put(values, (*admin, "scopes"), list(auth.external.propeller_scopes))
        if auth.idp == "entra":
            tree.put(values, (*admin, "useAudienceFromAdmin"), True)
        elif auth.idp == "auth0" or auth.external.audience:
            tree.put(values, (*admin, "audience"), auth.external.audience or public_url(plan))
    return values
