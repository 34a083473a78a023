"""What to register at the IdP, as the review shows it: per client (the web login; with ``External`` also
flytectl/pyflyte and propeller) the exact redirect URIs, grant types and scopes, and where the propeller client
secret lives. Plain lines, shared by ``flyte-tui install`` / ``render`` / ``upgrade`` and the wizard's Review
screen, each saying where the secrets come from in its own words (``face``). No secret is ever in them: the
Secret's name and key, never a value."""

from __future__ import annotations

from typing import Literal

from flyte_tui.charts.auth_names import auth_objects
from flyte_tui.charts.flyte_core.render_auth import IdpClient, allowed_audience, idp_clients
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


Face = Literal["cli", "wizard"]
"""Who shows the lines: the headless command line (secrets from FLYTE_TUI_* variables) or the wizard (typed in
its Authentication step)."""

TYPED = "typed in the Authentication step"


def _secret_lines(plan: InstallPlan, face: Face) -> list[str]:
    auth = plan.auth
    cli = face == "cli"
    oidc_from = f"from {OIDC_CLIENT_SECRET_ENV} or {OIDC_CLIENT_SECRET_ENV}_FILE" if cli else TYPED
    names = auth_objects(plan)
    lines = [f"  the web login's client secret: Secret {names.oidc_secret}, key {names.oidc_key} ({oidc_from})"]
    where = f"Secret {names.propeller_secret}, key {names.propeller_key}"
    if auth.authorization_server == "External":
        prop_from = f"from {PROPELLER_CLIENT_SECRET_ENV}" if cli else TYPED
        lines.append(f"  propeller's client secret (the IdP's): {where} ({prop_from})")
    elif auth.clients.propeller_hash:
        lines.append(f"  propeller's client secret: {where}, the one auth.clients.propellerHash was made from")
    elif cli:
        lines.append(
            f"  propeller's client secret: {where}; flyte-tui install makes it with its hash "
            "(an existing one is kept), or give it in " + PROPELLER_CLIENT_SECRET_ENV
        )
    else:
        lines.append(
            f"  propeller's client secret: {where}; the one {TYPED}, or else Save and install makes it with "
            "its hash (an existing one is kept)"
        )
    return lines


def registration_lines(plan: InstallPlan, face: Face = "cli") -> list[str]:
    """What to register at the IdP for this plan, as review lines ([] when auth is off); ``face`` says who
    shows them, so the secrets' source reads in its words."""
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
    return lines + _secret_lines(plan, face)
