"""What to register at the IdP, as the review shows it: per client (the web login; with ``External`` also
flytectl/pyflyte and propeller) the exact redirect URIs, grant types and scopes, and where the propeller client
secret lives. Plain lines, shared by ``flyte-tui install`` / ``render`` / ``upgrade`` and the wizard's Review
screen. No secret is ever in them: the Secret's name and key, never a value."""

from __future__ import annotations

from flyte_tui.charts.flyte_core.render_auth import (
    ADMIN_SECRET,
    OIDC_SECRET_KEY,
    PROPELLER_SECRET,
    PROPELLER_SECRET_KEY,
    IdpClient,
    allowed_audience,
    idp_clients,
)
from flyte_tui.model.auth import REQUIRED_SCOPE
from flyte_tui.model.plan import InstallPlan
from flyte_tui.redact import OIDC_CLIENT_SECRET_ENV, PROPELLER_CLIENT_SECRET_ENV


def _client_lines(client: IdpClient) -> list[str]:
    lines = [f"  {client.role}: client id {client.client_id or '(not set)'}, {client.kind}"]
    if client.redirect_uris:
        lines.append(f"    redirect URIs: {', '.join(client.redirect_uris)}")
    else:
        lines.append("    redirect URIs: none (no browser)")
    lines.append(f"    grant types: {', '.join(client.grant_types)}")
    lines.append(f"    scopes: {', '.join(client.scopes)}")
    return lines


def _secret_lines(plan: InstallPlan) -> list[str]:
    auth = plan.auth
    lines = [
        f"  the web login's client secret: Secret {ADMIN_SECRET}, key {OIDC_SECRET_KEY} "
        f"(from {OIDC_CLIENT_SECRET_ENV} or {OIDC_CLIENT_SECRET_ENV}_FILE)"
    ]
    where = f"Secret {PROPELLER_SECRET}, key {PROPELLER_SECRET_KEY}"
    if auth.authorization_server == "External":
        lines.append(f"  propeller's client secret (the IdP's): {where} (from {PROPELLER_CLIENT_SECRET_ENV})")
    elif auth.clients.propeller_hash:
        lines.append(f"  propeller's client secret: {where}, the one auth.clients.propellerHash was made from")
    else:
        lines.append(
            f"  propeller's client secret: {where}; flyte-tui install makes it with its hash "
            "(an existing one is kept), or give it in " + PROPELLER_CLIENT_SECRET_ENV
        )
    return lines


def registration_lines(plan: InstallPlan) -> list[str]:
    """What to register at the IdP for this plan, as review lines ([] when auth is off)."""
    auth = plan.auth
    if not auth.enabled:
        return []
    lines = [f"Register at the IdP ({auth.idp}, issuer {auth.login_issuer or '(not set)'}):"]
    for client in idp_clients(plan):
        lines += _client_lines(client)
    if auth.authorization_server == "Self":
        lines.append(
            f"  flytectl / pyflyte ({auth.clients.cli}) and propeller ({auth.clients.propeller}): flyteadmin's own "
            "clients (authorizationServer: Self), nothing to register"
        )
    else:
        audiences = allowed_audience(plan)
        lines.append(
            f"  the authorization server {auth.external_issuer or '(not set)'}: its tokens' audience (aud) one of "
            f"{', '.join(audiences)}, and the scope {REQUIRED_SCOPE!r} in their 'scp' claim"
        )
    return lines + _secret_lines(plan)
