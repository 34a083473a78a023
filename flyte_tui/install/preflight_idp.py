"""Preflight against the IdP, when ``auth.enabled``: what flyteadmin and propeller would only say after the install
(a login loop, ``invalid audience``, ``doesn't have required scope``, ``invalid_client``) is found before it.

* the issuer's discovery document (``<auth.issuer>/.well-known/openid-configuration``): its ``issuer`` is the
  answer exactly (go-oidc compares them so), it names the authorization, token and JWKS endpoints, the JWKS answers;
* External: the authorization server's metadata (``auth.external.metadataUrl`` under the external issuer, as
  flyteadmin resolves it): its issuer, its token endpoint, and the scopes asked for in ``scopes_supported`` when
  it lists them;
* External with a propeller client secret given: the client-credentials token propeller would get (the same
  client, scopes and audience): its ``aud`` holds an audience flyteadmin accepts and its ``scp`` holds ``all``.
  The JWT payload is read without checking its signature (a diagnostic, not an authorization); an opaque token
  cannot be read (no introspection without more credentials): a warning says so.

Each problem names the answer to change. The secret goes only into the token request's Authorization header; the
token itself is never shown.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flyte_tui import tree
from flyte_tui.charts.flyte_core.render_auth import auth_values
from flyte_tui.events import Event, Explanation, OutputLine
from flyte_tui.install.context import ReleaseRun, StepError
from flyte_tui.install.idp_http import IdpHttp, IdpUnreachable
from flyte_tui.model.auth import OPENID_METADATA, REQUIRED_SCOPE
from flyte_tui.model.auth_rules import testing_only
from flyte_tui.model.plan import InstallPlan
from flyte_tui.redact import PROPELLER_CLIENT_SECRET_ENV

ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
"""What flyteadmin's login and token checks need from the discovery document."""
SECRET_ANSWER = f"{PROPELLER_CLIENT_SECRET_ENV} (or {PROPELLER_CLIENT_SECRET_ENV}_FILE)"


@dataclass(frozen=True)
class Finding:
    """One problem found at the IdP: the answer (or input) to change and what is wrong."""

    answer: str
    message: str
    warning: bool = False


@dataclass(frozen=True)
class Expected:
    """What the plan makes flyteadmin and propeller expect of the IdP (read from the rendered auth values)."""

    issuer: str
    """The login issuer, as the answers give it (the discovery document's ``issuer`` must be this)."""
    issuer_answer: str = "auth.issuer"
    scopes: tuple[str, ...] = ()
    """The scopes propeller asks for."""
    scopes_answer: str = "auth.external.scopes"
    cli_scopes: tuple[str, ...] = ()
    metadata_url: str = ""
    metadata_answer: str = ""
    """The answer that says where the metadata is (the path; the issuer it is under is named in the message)."""
    accepted: tuple[str, ...] = ()
    """The audiences flyteadmin accepts (``externalAuthServer.allowedAudience``)."""
    audience: str = ""
    """The audience propeller asks for ("" when it asks for none)."""
    propeller: str = ""
    external_issuer: str = ""
    """External: the authorization server's issuer, when it is not the login issuer (then checked on its own)."""


def metadata_url(issuer: str, path: str) -> str:
    """The metadata URL flyteadmin fetches: ``path`` resolved against the issuer with a trailing slash."""
    return urllib.parse.urljoin(issuer.rstrip("/") + "/", path)


def expected(plan: InstallPlan) -> Expected:
    """The plan's expectations (External: the metadata URL, scopes and audiences the chart is given)."""
    auth = plan.auth
    if auth.authorization_server != "External":
        return Expected(auth.login_issuer, "auth.issuer")
    values = auth_values(plan)
    app = tree.get(values, ("configmap", "adminServer", "auth", "appAuth")) or {}
    ext, client = app["externalAuthServer"], app["thirdPartyConfig"]["flyteClient"]
    admin = tree.get(values, ("configmap", "admin", "admin")) or {}
    audience = admin.get("audience") or (client.get("audience", "") if admin.get("useAudienceFromAdmin") else "")
    return Expected(
        issuer=auth.login_issuer,
        issuer_answer="auth.issuer",
        metadata_url=metadata_url(ext["baseUrl"], ext["metadataUrl"]),
        metadata_answer="auth.external.metadataUrl",
        scopes=tuple(admin.get("scopes") or client["scopes"]),
        scopes_answer="auth.external.propellerScopes" if auth.external.propeller_scopes else "auth.external.scopes",
        cli_scopes=tuple(client["scopes"]),
        audience=audience,
        accepted=tuple(ext["allowedAudience"]),
        propeller=auth.clients.propeller,
        external_issuer=ext["baseUrl"] if ext["baseUrl"] != auth.login_issuer else "",
    )


def discovery_findings(issuer: str, doc: Mapping[str, Any], answer: str = "auth.issuer") -> list[Finding]:
    """The discovery document against the issuer answer: the same issuer, the endpoints present."""
    found: list[Finding] = []
    said = doc.get("issuer")
    if said != issuer:
        hint = (
            " (they differ only in the trailing slash, which counts)"
            if str(said).rstrip("/") == issuer.rstrip("/")
            else ""
        )
        found.append(
            Finding(answer, f"the IdP says its issuer is {said!r}, not {issuer!r}{hint}: set {answer} to {said!r}")
        )
    missing = [key for key in ENDPOINTS if not isinstance(doc.get(key), str) or not doc.get(key)]
    if missing:
        found.append(
            Finding(
                answer,
                f"the IdP's discovery document names no {', '.join(missing)}: is {issuer!r} "
                "the issuer of an OpenID Connect provider?",
            )
        )
    return found


def scope_findings(exp: Expected, doc: Mapping[str, Any]) -> list[Finding]:
    """The scopes flytectl and propeller ask for against ``scopes_supported`` (nothing when the IdP lists none):
    warnings, as a server may leave scopes out of the list; propeller's token is the proof."""
    supported = doc.get("scopes_supported")
    if not isinstance(supported, list) or not supported:
        return []
    found = []
    for answer, scopes in (("auth.external.scopes", exp.cli_scopes), (exp.scopes_answer, exp.scopes)):
        unknown = [s for s in scopes if s not in supported]
        if unknown:
            found.append(
                Finding(
                    answer,
                    f"the authorization server does not list the scopes {unknown} (it lists {sorted(supported)}, and "
                    f"may leave some out): create them at the IdP or change {answer}",
                    warning=True,  # RFC 8414: a server may choose not to advertise some of its scopes
                )
            )
    return list({f.message: f for f in found}.values())


def jwt_payload(token: str) -> dict[str, Any] | None:
    """The claims of a JWT (signature not checked), None when the token is not a JWT (an opaque token)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def token_findings(exp: Expected, token: str) -> list[Finding]:
    """The client-credentials token against what flyteadmin checks: ``aud`` and the ``all`` scope in ``scp``."""
    claims = jwt_payload(token)
    if claims is None:
        return [
            Finding(
                "auth.external.audience",
                "the IdP's access token is opaque (not a JWT): flyte-tui cannot read "
                f"its aud and scp (introspection needs more credentials); flyteadmin needs a JWT with aud "
                f"in {list(exp.accepted)} and {REQUIRED_SCOPE!r} in scp",
                warning=True,
            )
        ]
    found = []
    aud = _as_list(claims.get("aud"))
    if not set(aud) & set(exp.accepted):
        asked = f"propeller asks for audience {exp.audience!r}" if exp.audience else "propeller asks for no audience"
        found.append(
            Finding(
                "auth.external.audience",
                f"the token's aud is {aud}, and flyteadmin accepts only "
                f"{list(exp.accepted)} ({asked}): flyteadmin would answer 'invalid audience'; set "
                "auth.external.audience to the audience the IdP gives client "
                f"{exp.propeller!r} (or allow that audience for it at the IdP)",
            )
        )
    scp = _as_list(claims.get("scp"))
    if REQUIRED_SCOPE not in scp and (scp or "client_id" in claims):
        scope = str(claims.get("scope", "")).split()
        why = (
            f"the token has {REQUIRED_SCOPE!r} only in 'scope', and flyteadmin reads 'scp' alone: add a mapper "
            "at the IdP that writes the scopes into an 'scp' claim"
            if REQUIRED_SCOPE in scope
            else f"propeller asked for {list(exp.scopes)}: add {REQUIRED_SCOPE!r} to {exp.scopes_answer} and allow it "
            f"for client {exp.propeller!r} at the IdP"
        )
        found.append(
            Finding(
                exp.scopes_answer,
                f"the token's scp is {scp}, without {REQUIRED_SCOPE!r}: flyteadmin "
                f'would answer "authenticated user doesn\'t have required scope"; {why}',
            )
        )
    return found


def token_error_findings(exp: Expected, status: int, answer: Mapping[str, Any]) -> list[Finding]:
    """Why the IdP refused the token request (status and its OAuth2 error), naming what to change."""
    error = _printable(answer.get("error", "")) or f"HTTP {status}"
    said = f"{error}: {_printable(answer.get('error_description', ''))}".rstrip(": ")
    if error in ("invalid_client", "unauthorized_client") or status == 401:
        return [
            Finding(
                SECRET_ANSWER,
                f"the IdP refused client {exp.propeller!r} with the secret given ({said}): give "
                f"the secret of that client in {SECRET_ANSWER}, or its id in auth.clients.propeller",
            )
        ]
    if error == "invalid_scope":
        return [
            Finding(
                exp.scopes_answer,
                f"the IdP refused the scopes {list(exp.scopes)} for client "
                f"{exp.propeller!r} ({said}): allow them for it at the IdP or change {exp.scopes_answer}",
            )
        ]
    if exp.audience and "audience" in said.lower():
        return [
            Finding(
                "auth.external.audience",
                f"the IdP refused audience {exp.audience!r} for client "
                f"{exp.propeller!r} ({said}): allow it for that client or change auth.external.audience",
            )
        ]
    return [Finding(SECRET_ANSWER, f"the IdP gave no token to client {exp.propeller!r} ({said})")]


class _Fetch:
    """The requests in order, each failure a Finding naming the answer that says where the IdP is."""

    def __init__(self, http: IdpHttp) -> None:
        self.http = http

    def json(self, url: str, answer: str, what: str) -> dict[str, Any] | Finding:
        try:
            return self.http.get_json(url)
        except IdpUnreachable as exc:
            if exc.not_reached:
                return Finding(answer, f"the IdP's {what} at {url} cannot be reached from this machine "
                               f"({exc.reason}); not checked: flyteadmin may still reach it from the cluster "
                               f"(if not, check {answer})", warning=True)  # fmt: skip
            hint = f" (Keycloak and Entra ID serve {OPENID_METADATA})" if answer.endswith("metadataUrl") else ""
            return Finding(answer, f"cannot read the IdP's {what} at {url}: {exc.reason}{hint}: check {answer}")


def idp_findings(plan: InstallPlan, http: IdpHttp, propeller_secret: str | None) -> Iterator[Finding | str]:
    """The checks in order: each problem a Finding, each pass a line. Stops where the next check needs what
    failed."""
    exp = expected(plan)
    fetch = _Fetch(http)
    url = metadata_url(exp.issuer, OPENID_METADATA)
    doc = fetch.json(url, exp.issuer_answer, "discovery document")
    if isinstance(doc, Finding):
        yield doc
        return
    problems = discovery_findings(exp.issuer, doc, exp.issuer_answer)
    yield from problems
    if not problems:
        keys = fetch.json(str(doc["jwks_uri"]), exp.issuer_answer, "signing keys (jwks_uri)")
        yield keys if isinstance(keys, Finding) else f"IdP {exp.issuer}: discovery document and signing keys ok"
    if not exp.metadata_url:
        return
    meta = fetch.json(exp.metadata_url, exp.metadata_answer, "authorization server metadata")
    if isinstance(meta, Finding):
        yield meta
        return
    if not meta.get("token_endpoint"):
        yield Finding(exp.metadata_answer, f"the metadata at {exp.metadata_url} names no token_endpoint")
        return
    if exp.external_issuer and meta.get("issuer") != exp.external_issuer:
        said = meta.get("issuer")
        yield Finding("auth.external.issuer", f"the authorization server says its issuer is {said!r}, not "
                      f"{exp.external_issuer!r}: set auth.external.issuer to {said!r}")  # fmt: skip
    yield from scope_findings(exp, meta)
    yield f"authorization server metadata {exp.metadata_url} ok"
    if not propeller_secret:
        yield f"propeller's token not tried: no {PROPELLER_CLIENT_SECRET_ENV} given"
        return
    form = {"scope": " ".join(exp.scopes)} | ({"audience": exp.audience} if exp.audience else {})
    try:
        status, answer = http.client_credentials(str(meta["token_endpoint"]), exp.propeller, propeller_secret, form)
    except IdpUnreachable as exc:
        yield Finding(exp.metadata_answer, f"cannot reach the token endpoint {exc.url}: {exc.reason}")
        return
    token = answer.get("access_token") if status == 200 else None
    if not isinstance(token, str) or not token:
        yield from token_error_findings(exp, status, answer)
        return
    problems = token_findings(exp, token)
    yield from problems
    if not [p for p in problems if not p.warning]:
        yield f"propeller's token (client {exp.propeller}): aud and scp as flyteadmin wants"


def check_idp(run: ReleaseRun, http: IdpHttp | None = None) -> Iterator[Event]:
    """The preflight's IdP checks (nothing when auth is off): lines and warnings as events; every error at once
    in a StepError naming the answers to change."""
    plan = run.plan
    if not plan.auth.enabled:
        return
    secret = run.options.secrets.propeller_client_secret
    for problem in testing_only(plan):
        yield OutputLine("preflight", f"warning: {problem}", "stderr")
    errors: list[Finding] = []
    for item in idp_findings(plan, http or IdpHttp(cancel=run.cancel), secret):
        if isinstance(item, str):
            yield OutputLine("preflight", item)
        elif item.warning:
            yield OutputLine("preflight", f"warning: {item.answer}: {_masked(item.message, secret)}", "stderr")
        else:
            errors.append(item)
    if not errors:
        return
    lines = [f"{e.answer}: {_masked(e.message, secret)}" for e in errors]
    raise StepError(
        "the IdP does not match the answers: " + "; ".join(lines),
        Explanation(
            summary=f"{len(errors)} problem(s) at the IdP {plan.auth.login_issuer}",
            object=f"IdP {plan.auth.login_issuer}",
            cause="\n".join(lines),
            fix=f"change {', '.join(dict.fromkeys(e.answer for e in errors))} (or the IdP's client), then run again",
            answer=errors[0].answer if errors[0].answer.startswith("auth.") else None,
        ),
    )


def _printable(value: Any, limit: int = 300) -> str:
    """A server's text as one short printable line."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def _masked(text: str, secret: str | None) -> str:
    return text.replace(secret, "****") if secret else text
