"""Rules of the ``auth`` section (each a :class:`~flyte_tui.model.rules.Problem` at its field): where an
authentication setup goes wrong most (NEXT-CAPABILITIES §1.8) is refused before anything is installed."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from flyte_tui.model.auth import OPENID_METADATA, REQUIRED_SCOPE
from flyte_tui.model.names import BINARY_CHART
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem

GOOGLE_PLACEHOLDER_ID = "657465813211-6eog7ek7li5k7i7fvgv2921075063hpe.apps.googleusercontent.com"
"""The example client id flyte-core's values.yaml ships in ``userAuth.openId.clientId``."""
BINARY_SELF_PROPELLER = "flytepropeller"
"""The id of flyte-binary's static propeller client (fixed in the chart's template)."""
LOOPBACK = ("127.0.0.1", "localhost", "::1")
"""Hosts an http issuer is accepted on (a test IdP on this machine)."""


def public_url(plan: InstallPlan) -> str:
    """The public https URL of Flyte (``https://<ingress.host>``), "" without a host."""
    return f"https://{plan.ingress.host}" if plan.ingress.host else ""


def check_auth(plan: InstallPlan) -> Iterator[Problem]:
    """Every problem of the ``auth`` section (none when auth is off)."""
    auth = plan.auth
    if not auth.enabled:
        return
    yield from _needs_ingress(plan)
    yield from _issuers(plan)
    yield from testing_only(plan)
    yield from _client_ids(plan)
    if auth.authorization_server == "External":
        yield from _external(plan)
    elif plan.target.chart.name == BINARY_CHART and auth.clients.propeller != BINARY_SELF_PROPELLER:
        yield Problem(
            "auth.clients.propeller",
            f"{auth.clients.propeller!r}: flyte-binary's own authorization server (Self) knows propeller only as "
            f"{BINARY_SELF_PROPELLER!r} (its static client): use that, or authorizationServer External",
        )


def _needs_ingress(plan: InstallPlan) -> Iterator[Problem]:
    ing = plan.ingress
    if not ing.enabled or ing.controller == "none" or not ing.host:
        yield Problem(
            "ingress.host",
            "auth needs an ingress with a host: the IdP sends the login back to https://<host>/callback",
        )
    if not ing.tls.enabled:
        yield Problem("ingress.tls.enabled", "auth needs TLS on the ingress: the login cookies and tokens need https")


def _loopback_http(issuer: str) -> bool:
    parts = urlsplit(issuer)
    return parts.scheme == "http" and parts.hostname in LOOPBACK


def testing_only(plan: InstallPlan) -> Iterator[Problem]:
    """The warnings for an issuer that is plain http on a loopback address (a test IdP on this machine), which
    preflight repeats before it talks to it."""
    auth = plan.auth
    for path, issuer in (("auth.issuer", auth.login_issuer), ("auth.external.issuer", auth.external.issuer)):
        if auth.enabled and _loopback_http(issuer):
            yield Problem(path, f"{issuer!r} is plain http on a loopback address: accepted for testing only",
                          "warning")  # fmt: skip


def _issuer_problem(path: str, issuer: str) -> Iterator[Problem]:
    if urlsplit(issuer).scheme == "https" or _loopback_http(issuer):
        return  # a loopback http issuer: a warning (testing_only)
    yield Problem(path, f"{issuer!r} must be an https:// URL (http only for a test IdP on 127.0.0.1 or localhost)")


def _issuers(plan: InstallPlan) -> Iterator[Problem]:
    auth = plan.auth
    if not auth.login_issuer:
        yield Problem("auth.issuer", f"required for idp {auth.idp}: the IdP's OIDC issuer URL (https://…)")
    else:
        yield from _issuer_problem("auth.issuer", auth.login_issuer)
    if auth.external.issuer:
        yield from _issuer_problem("auth.external.issuer", auth.external.issuer)
    if auth.idp == "entra" and auth.login_issuer and not auth.login_issuer.rstrip("/").endswith("/v2.0"):
        yield Problem(
            "auth.issuer",
            f"{auth.login_issuer!r} is not an Entra ID issuer: use https://login.microsoftonline.com/<tenant>/v2.0 "
            "(not the .../oauth2/v2.0/authorize endpoint)",
        )
    if auth.idp == "keycloak" and auth.login_issuer and "/realms/" not in auth.login_issuer:
        yield Problem(
            "auth.issuer",
            f"{auth.login_issuer!r} names no Keycloak realm: use https://<keycloak>/realms/<realm> "
            "(https://<keycloak>/auth/realms/<realm> on old Keycloak)",
        )


def _client_ids(plan: InstallPlan) -> Iterator[Problem]:
    clients = plan.auth.clients
    if not clients.web:
        yield Problem("auth.clients.web", "required: the client id of the web login registered at the IdP")
    elif clients.web == GOOGLE_PLACEHOLDER_ID:
        yield Problem(
            "auth.clients.web",
            "is flyte-core's example Google client id, not yours: register a web client at your IdP and give its id",
        )
    for name in ("cli", "propeller"):
        if not getattr(clients, name):
            yield Problem(f"auth.clients.{name}", "required: a client id")


def _external(plan: InstallPlan) -> Iterator[Problem]:
    auth = plan.auth
    ext = auth.external
    if auth.idp == "google":
        yield Problem(
            "auth.authorizationServer",
            "google has no authorization server of its own for Flyte: use Self (flyteadmin issues the tokens)",
        )
    audience = ext.audience or public_url(plan)
    accepted = [public_url(plan), *ext.allowed_audience]
    if ext.audience and ext.audience not in accepted:
        yield Problem(
            "auth.external.audience",
            f"{ext.audience!r} is neither the public URL {public_url(plan)!r} nor in auth.external.allowedAudience: "
            "flyteadmin would reject every token with 'invalid audience'",
        )
    if auth.idp in ("keycloak", "entra") and ext.metadata_url and ext.metadata_url != OPENID_METADATA:
        yield Problem(
            "auth.external.metadataUrl",
            f"{auth.idp} serves its metadata at {OPENID_METADATA}, not {ext.metadata_url!r}",
            "warning",
        )
    if auth.idp == "keycloak":
        yield Problem(
            "auth.idp",
            f"Keycloak: add a client scope '{REQUIRED_SCOPE}' and a mapper that writes it into the token's 'scp' "
            "claim (flyteadmin ignores 'scope'), and an audience mapper for " + repr(audience),
            "warning",
        )
    if auth.idp == "entra":
        if not any(s.endswith("/.default") for s in ext.propeller_scopes):
            yield Problem(
                "auth.external.propellerScopes",
                "entra: propeller's client-credentials token needs the scope api://<client id>/.default",
            )
        if not any(a.startswith("api://") for a in ext.allowed_audience):
            yield Problem(
                "auth.external.allowedAudience",
                "entra: list the app's Application ID URI (api://<client id>), the aud of its tokens",
            )
    if auth.idp == "auth0" and not ext.audience:
        yield Problem(
            "auth.external.audience",
            "auth0: required (the API identifier): without it Auth0 answers 'No audience parameter was provided'",
        )
