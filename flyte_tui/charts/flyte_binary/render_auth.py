"""The ``auth`` answers → flyte-binary values (``configuration.auth``, and ``configuration.inline`` for what the
chart has no key for): derived, not typed, and never a secret (flyte-binary v1.16.8, ``templates/configmap.yaml``,
``config-secret.yaml``, ``auth-client-secret.yaml``, ``deployment.yaml``).

The chart mounts at ``/etc/secrets`` (one projected volume) its ``<fullname>-admin-auth`` Secret and the Secret
``configuration.auth.clientSecretsExternalSecretRef`` names. flyte-tui sets that reference, so the chart makes no
Secret from ``clientSecret`` values (none is written): propeller's ``client_secret`` goes into the Secret
``<fullname>-propeller-auth`` flyte-tui creates, and the web login's ``oidc_client_secret`` into
``<fullname>-admin-auth``, which the chart renders empty and its init container fills with the keys it lacks
(flyte-tui's key is kept, as with flyte-core's ``flyte-admin-secrets``).

``authorizedUris`` holds the public https URL only: the chart appends its four in-cluster URLs. For ``Self`` the
chart lists the three static clients itself (propeller's is ``flytepropeller``) and writes
``internal.clientSecretHash`` (base64 of bcrypt, as flyte-core) into its config Secret. For ``External``:
``enableAuthServer: false`` and ``configuration.inline.auth.appAuth`` (``authServerType``,
``externalAuthServer``), since the chart writes no ``authServerType``.
"""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.charts.component import AuthObjects
from flyte_tui.charts.flyte_core.render_auth import allowed_audience, cli_scopes, login_scopes, public_url
from flyte_tui.model.auth import CLI_REDIRECT
from flyte_tui.model.plan import InstallPlan

AUTH = ("configuration", "auth")
INLINE = ("configuration", "inline")
CONFIG_FILES = ("000-core.yaml", "004-auth.yaml", "100-inline-config.yaml")
"""The files of ``<fullname>-config`` that carry auth settings, in the order flyte reads them."""
HASH_FILE = "014-auth-secrets.yaml"
"""The file of ``<fullname>-config-secret`` the chart writes the propeller hash into."""


def auth_objects(full: str) -> AuthObjects:
    """The auth Secrets and config files of a release whose fullname is ``full``."""
    return AuthObjects(
        propeller_secret=f"{full}-propeller-auth",
        oidc_secret=f"{full}-admin-auth",
        config_keys=CONFIG_FILES,
        hash_source=("secret", f"{full}-config-secret", HASH_FILE),
        hash_value="configuration.auth.internal.clientSecretHash",
    )


def auth_values(plan: InstallPlan, full: str) -> dict[str, Any]:
    """The flyte-binary values of the plan's auth section ({} when auth is off); ``full`` is the release's
    fullname (the Secret's name)."""
    auth = plan.auth
    if not auth.enabled:
        return {}
    external = auth.authorization_server == "External"
    internal: dict[str, Any] = {"clientId": auth.clients.propeller}
    if not external:
        internal["clientSecretHash"] = auth.clients.propeller_hash
    flyte_client: dict[str, Any] = {"clientId": auth.clients.cli, "redirectUri": CLI_REDIRECT,
                                    "scopes": cli_scopes(auth)}  # fmt: skip
    if external:
        flyte_client["audience"] = auth.external.audience or public_url(plan)
        if auth.idp == "auth0" or auth.external.audience:
            internal["audience"] = auth.external.audience or public_url(plan)
    block: dict[str, Any] = {
        "enabled": True,
        "oidc": {"baseUrl": auth.login_issuer, "clientId": auth.clients.web},
        "internal": internal,
        "flyteClient": flyte_client,
        "authorizedUris": [public_url(plan)],
        "clientSecretsExternalSecretRef": auth_objects(full).propeller_secret,
    }
    if external:
        block["enableAuthServer"] = False
    values: dict[str, Any] = {}
    tree.put(values, AUTH, block)
    if login_scopes(auth) != ["openid", "profile"]:  # the chart writes profile and openid only
        tree.put(values, (*INLINE, "auth", "userAuth", "openId", "scopes"), login_scopes(auth))
    if external:
        server = {"baseUrl": auth.external_issuer, "metadataUrl": auth.metadata_url,
                  "allowedAudience": allowed_audience(plan)}  # fmt: skip
        tree.put(values, (*INLINE, "auth", "appAuth"), {"authServerType": "External", "externalAuthServer": server})
        if auth.external.propeller_scopes:
            tree.put(values, (*INLINE, "admin", "scopes"), list(auth.external.propeller_scopes))
        if auth.idp == "entra":
            tree.put(values, (*INLINE, "admin", "useAudienceFromAdmin"), True)
    return values


OWNED: tuple[tuple[str, ...], ...] = (
    (*AUTH, "enabled"),
    (*AUTH, "enableAuthServer"),
    (*AUTH, "oidc"),
    (*AUTH, "internal"),
    (*AUTH, "internal", "audience"),
    (*AUTH, "internal", "clientSecretHash"),
    (*AUTH, "flyteClient"),
    (*AUTH, "flyteClient", "audience"),
    (*AUTH, "authorizedUris"),
    (*AUTH, "clientSecretsExternalSecretRef"),
    (*INLINE, "auth", "userAuth", "openId", "scopes"),
    (*INLINE, "auth", "appAuth"),
    (*INLINE, "admin", "scopes"),
    (*INLINE, "admin", "useAudienceFromAdmin"),
)
"""The values paths the auth answers write (a stale one is removed on re-render)."""
