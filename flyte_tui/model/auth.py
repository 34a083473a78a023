"""The ``auth`` section of the answers file: OIDC login and the authorization server (flyteadmin's own or the
IdP's).

Secrets are never answers: the OIDC client secret and the propeller client secret come from the environment
(``FLYTE_TUI_OIDC_CLIENT_SECRET``, ``FLYTE_TUI_PROPELLER_CLIENT_SECRET``) or a file named by the same variable with
``_FILE`` (:mod:`flyte_tui.install.secrets`), or are typed in the wizard and kept in memory. For ``Self``,
flyte-tui generates the propeller secret and its hash together (:func:`propeller_secret_and_hash`); only the
hash, which flyteadmin's config carries anyway, may sit in the answers (``clients.propellerSecretHash``).
"""

from __future__ import annotations

import base64
import secrets
from typing import Annotated, Literal

import bcrypt
from pydantic import AfterValidator, Field

from flyte_tui.model.names import check_argument
from flyte_tui.model.section import Section

IdP = Literal["google", "okta", "keycloak", "entra", "auth0", "oidc"]
AuthServerType = Literal["Self", "External"]

GOOGLE_ISSUER = "https://accounts.google.com"
OPENID_METADATA = ".well-known/openid-configuration"
"""The metadata path Keycloak and Entra ID serve (flyteadmin's default is the OAuth2 one)."""
OAUTH_METADATA = ".well-known/oauth-authorization-server"
"""flyteadmin's default ``externalAuthServer.metadataUrl``."""
CLI_REDIRECT = "http://localhost:53593/callback"
"""Where flytectl and pyflyte receive the login (flyteadmin's ``flyteClient.redirectUri`` default)."""
REQUIRED_SCOPE = "all"
"""The scope flyteadmin requires on every request (read from the token's ``scp`` claim only)."""
BCRYPT_COST = 6
"""The cost of flyteadmin's own default propeller hash (``$2a$06$…``)."""


def _check_url(value: str) -> str:
    check_argument(value)
    if value and not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not a URL: it must start with https:// (e.g. https://idp.example.com)")
    if value and "@" in value.split("/")[2 if value.count("/") >= 2 else 0]:
        raise ValueError(f"{value!r} holds a user name or password: write the URL without them")
    return value


def _spaceless(what: str) -> AfterValidator:
    """A validator refusing spaces in a value, saying what it should be."""

    def check(value: str) -> str:
        check_argument(value)
        if any(c.isspace() for c in value):
            raise ValueError(f"{value!r} must not contain spaces: {what}")
        return value

    return AfterValidator(check)


def _check_hash(value: str) -> str:
    if not value:
        return value
    wanted = "the base64 of a bcrypt hash ($2a$… or $2b$…), as flyteadmin reads it"
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ValueError(f"is not {wanted}") from exc
    if not raw.startswith((b"$2a$", b"$2b$", b"$2y$")):
        raise ValueError(f"is not {wanted}")
    return value


Url = Annotated[str, AfterValidator(_check_url)]
"""An http(s) URL without user info."""
ClientId = Annotated[str, _spaceless("a client id as the IdP shows it")]
MetadataPath = Annotated[str, _spaceless(f"a path such as {OPENID_METADATA}")]
PropellerHash = Annotated[str, AfterValidator(_check_hash)]
"""base64 of a bcrypt hash, the form flyteadmin reads the propeller client's hash in."""


class ExternalAuthServer(Section):
    """``External`` authorization server: the IdP issues the tokens and flyteadmin only checks them."""

    issuer: Url = ""
    """Issuer of the IdP's authorization server, e.g. https://dev-1.okta.com/oauth2/aus1; empty: auth.issuer."""
    metadata_url: MetadataPath = ""
    """Metadata path under the issuer; empty: .well-known/openid-configuration for keycloak and entra, else
    flyteadmin's .well-known/oauth-authorization-server."""
    audience: str = ""
    """The audience the IdP puts in its tokens (aud); empty: the public URL https://<ingress.host>."""
    allowed_audience: list[str] = Field(default_factory=list)
    """More audiences flyteadmin accepts (entra: api://<client id>)."""
    scopes: list[str] = Field(default_factory=list)
    """Scopes flytectl and pyflyte ask for; empty: all and offline (entra: api://<client id>/<scope>)."""
    propeller_scopes: list[str] = Field(default_factory=list)
    """Scopes propeller and the scheduler ask for (entra: api://<client id>/.default); empty: the IdP's defaults."""


class AuthClients(Section):
    """The client ids registered at the IdP (or flyteadmin's own, for Self)."""

    web: ClientId = ""
    """The web login's OIDC client id (a confidential web app at the IdP); required when auth is on."""
    cli: ClientId = "flytectl"
    """The client flytectl and pyflyte log in with (External: a public/native app with PKCE at the IdP)."""
    propeller: ClientId = "flytepropeller"
    """The client propeller and the scheduler get tokens with (client credentials)."""
    propeller_hash: PropellerHash = ""
    """Self: base64 of the bcrypt hash of the propeller secret, written by flyte-tui with the secret (not a secret)."""


class Auth(Section):
    """Authentication: the web login through an OpenID Connect IdP and the tokens of the CLI and propeller."""

    enabled: bool = False
    """Require a login for the console, flytectl, pyflyte and every in-cluster call (needs ingress host and TLS)."""
    idp: IdP = "oidc"
    """The identity provider: google, okta, keycloak, entra, auth0 or oidc (any OpenID Connect issuer)."""
    issuer: Url = ""
    """The IdP's OIDC issuer, e.g. https://dev-1.okta.com/oauth2/default; empty for google."""
    authorization_server: AuthServerType = "Self"
    """Self (flyteadmin issues tokens; google needs it) or External (the IdP's authorization server)."""
    external: ExternalAuthServer = Field(default_factory=ExternalAuthServer)
    """External: the IdP's authorization server."""
    clients: AuthClients = Field(default_factory=AuthClients)
    """Client ids."""

    @property
    def login_issuer(self) -> str:
        """The OIDC issuer of the web login (google's is fixed)."""
        return self.issuer or (GOOGLE_ISSUER if self.idp == "google" else "")

    @property
    def external_issuer(self) -> str:
        """The External authorization server's issuer (the login issuer when none is given)."""
        return self.external.issuer or self.login_issuer

    @property
    def metadata_url(self) -> str:
        """The External authorization server's metadata path."""
        if self.external.metadata_url:
            return self.external.metadata_url
        return OPENID_METADATA if self.idp in ("keycloak", "entra") else OAUTH_METADATA


def propeller_secret_and_hash() -> tuple[str, str]:
    """A new propeller client secret and the form flyteadmin reads its hash in: base64 of the bcrypt hash
    (flytestdlib base64-decodes a string into the ``[]byte`` fosite compares with bcrypt)."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_propeller_secret(secret)


def hash_propeller_secret(secret: str) -> str:
    """base64(bcrypt(secret)), the value of ``selfAuthServer.staticClients.flytepropeller.client_secret``."""
    hashed = bcrypt.hashpw(secret.encode(), bcrypt.gensalt(BCRYPT_COST, prefix=b"2a"))
    return base64.b64encode(hashed).decode()


def propeller_secret_matches(secret: str, secret_hash: str) -> bool:
    """Whether ``secret`` is the one ``secret_hash`` (base64 of a bcrypt hash) was made from."""
    try:
        return bcrypt.checkpw(secret.encode(), base64.b64decode(secret_hash, validate=True))
    except ValueError:
        return False
