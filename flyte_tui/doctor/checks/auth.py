"""Authentication: the auth Secrets and their keys, the propeller secret against its bcrypt hash (Self), the
public URL first in authorizedUris, and the auth failures flyteadmin and propeller log (NEXT-CAPABILITIES §1.8).

Every check skips with its reason when auth is off. The propeller secret's value never reaches a check: gathering
compared it with the hash (:mod:`flyte_tui.doctor.auth_setup`) and left only the outcome.
"""

from __future__ import annotations

from flyte_tui.diagnose import SIGNATURES, Explanation
from flyte_tui.doctor.auth_setup import ABSENT, LOG_CONTAINERS, MATCH, MISMATCH, AuthSetup, auth_setup
from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.checks.network import flyte_ingresses
from flyte_tui.doctor.snapshot import Snapshot
from flyte_tui.redact import OIDC_CLIENT_SECRET_ENV, PROPELLER_CLIENT_SECRET_ENV, redact_text

AUTH_SIGNATURES = tuple(s for s in SIGNATURES if s.id.startswith("auth-"))
"""The failure signatures of auth (:mod:`flyte_tui.diagnose`), looked for in flyteadmin's and propeller's logs."""


def _setup(snap: Snapshot) -> AuthSetup | Outcome:
    """The auth settings, or the skip every auth check gives when there is nothing to check."""
    if (gone := unreadable(snap, "configmaps")) is not None:
        return gone
    setup = auth_setup(snap)
    if setup.enabled:
        return setup
    return skip("auth is off (server.security.useAuth is not true)", setup.source or "values")


@check("auth.secrets", "auth Secrets hold the keys flyteadmin and propeller mount", "auth")
def auth_secrets(snap: Snapshot) -> Outcome:
    """flyte-admin-secrets has oidc_client_secret (the web login's) and flyte-secret-auth has client_secret
    (propeller's and the scheduler's): the chart mounts both at /etc/secrets."""
    setup = _setup(snap)
    if isinstance(setup, Outcome):
        return setup
    if (gone := unreadable(snap, "secrets")) is not None:
        return gone
    looked = tuple(f"Secret {name} (key names only)" for name, _ in setup.required_secrets)
    for name, key in setup.required_secrets:
        secret = snap.secrets.get(name)
        if secret is not None and key in secret.keys:
            continue
        variable = OIDC_CLIENT_SECRET_ENV if key.startswith("oidc") else PROPELLER_CLIENT_SECRET_ENV
        what = f"Secret {name} does not exist" if secret is None else f"Secret {name} has no key {key}"
        harm = "the login fails at /callback" if key.startswith("oidc") else "propeller gets no token (invalid_client)"
        return Outcome(
            "fail",
            f"{what}: {harm}",
            looked,
            evidence=(f"keys: {', '.join(secret.keys) or '(none)'}",) if secret is not None else (),
            fix=f"run flyte-tui install or upgrade again with {variable} (or {variable}_FILE) set: it creates the key",
            commands=(f"{kubectl_cmd(snap)} get secret {name} -o jsonpath='{{.data}}' | jq 'keys'",),
        )
    pairs = ", ".join(f"{name}/{key}" for name, key in setup.required_secrets)
    return ok(f"the auth Secrets hold their keys: {pairs}", *looked)


@check("auth.propeller-hash", "propeller's client secret matches the hash in flyteadmin's config", "auth")
def propeller_hash(snap: Snapshot) -> Outcome:
    """Self: the client_secret in flyte-secret-auth is the one the bcrypt hash in flyteadmin's static client was
    made from (a mismatch shows only later, as propeller's invalid_client)."""
    setup = _setup(snap)
    if isinstance(setup, Outcome):
        return setup
    if setup.server_type != "Self":
        return skip(f"authorization server {setup.server_type}: the IdP checks propeller's secret", setup.source)
    looked = (setup.hash_where, f"Secret {setup.propeller_secret} key {setup.propeller_key} "
              "(compared here with bcrypt, never shown)")  # fmt: skip
    if not setup.propeller_hash:
        return Outcome(
            "fail",
            f"flyteadmin's config has no hash for the propeller client {setup.propeller_id} ({setup.hash_path})",
            looked,
            fix="run flyte-tui upgrade: it writes the hash of the secret in " + setup.propeller_secret,
            answer="auth.clients.propellerHash",
        )
    if "propeller-secret" in snap.errors:
        return skip(f"not checked: cannot read Secret {setup.propeller_secret}: {snap.errors['propeller-secret']}")
    found = snap.propeller_secret
    if found == MATCH:
        return ok(f"Secret {setup.propeller_secret} client_secret matches the hash at {setup.hash_path}", *looked)
    if found == ABSENT:
        return skip(f"not checked: Secret {setup.propeller_secret} has no client_secret (see auth.secrets)", *looked)
    if found != MISMATCH:
        return skip("not checked: the propeller secret was not compared", *looked)
    return Outcome(
        "fail",
        f"Secret {setup.propeller_secret} client_secret does not match the propeller hash {setup.hash_where}: "
        "propeller and the scheduler get invalid_client",
        looked,
        fix=f"put back the secret the hash was made from, or remove auth.clients.propellerHash from the answers and "
        f"run flyte-tui upgrade: it keeps {setup.propeller_secret}'s client_secret and writes its hash",
        commands=(f"{kubectl_cmd(snap)} get secret {setup.propeller_secret} -o jsonpath='{{.data.client_secret}}'",),
        answer="auth.clients.propellerHash",
    )


def _public_host(snap: Snapshot) -> str:
    for ingress in flyte_ingresses(snap):
        for rule in (ingress.get("spec") or {}).get("rules") or []:
            if rule.get("host"):
                return str(rule["host"])
    return str(snap.value("common.ingress.host") or snap.value("ingress.host") or "")


@check("auth.authorized-uris", "authorizedUris start with the public https URL", "auth")
def authorized_uris(snap: Snapshot) -> Outcome:
    """flyteadmin matches each request against authorizedUris and falls back to the first entry: it must be the
    public https URL, or logins loop and tokens fail with 'invalid audience'."""
    setup = _setup(snap)
    if isinstance(setup, Outcome):
        return setup
    if (gone := unreadable(snap, "ingresses")) is not None:
        return gone
    host = _public_host(snap)
    looked = (f"{setup.source}: auth.authorizedUris", "Flyte's Ingress hosts, values common.ingress.host")
    if not host:
        return Outcome("fail", "auth is on but Flyte has no public host: the IdP cannot send the login back",
                       looked, fix="set ingress.host and turn TLS on", answer="ingress.host")  # fmt: skip
    wanted = f"https://{host}"
    first = setup.authorized_uris[0] if setup.authorized_uris else ""
    if first.rstrip("/") == wanted:
        return ok(f"authorizedUris[0] is the public URL {wanted}", *looked)
    return Outcome(
        "fail",
        f"authorizedUris[0] is {first or '(none)'}, not the public URL {wanted}: flyteadmin falls back to it, so "
        "logins loop and tokens fail with 'invalid audience'",
        looked,
        evidence=tuple(f"authorizedUris: {uri}" for uri in setup.authorized_uris),
        fix="re-render with flyte-tui (it puts https://<ingress.host> first) and upgrade",
        commands=(f"{kubectl_cmd(snap)} get configmap {snap.chart_objects.admin_config} -o yaml",),
        answer="ingress.host",
    )


@check("auth.logs", "no auth failures in flyteadmin's and propeller's logs", "auth")
def auth_logs(snap: Snapshot) -> Outcome:
    """The auth failure signatures (invalid audience, a missing scope, a cookie too long, invalid_client) in the
    log tails of flyteadmin and flytepropeller, with their fixes."""
    setup = _setup(snap)
    if isinstance(setup, Outcome):
        return setup
    tails = {key: lines for key, lines in snap.logs.items() if key[1] in LOG_CONTAINERS}
    looked = tuple(f"logs {pod}/{container} (last lines)" for pod, container in tails)
    if not any(tails.values()):
        return skip("not checked: no line of flyteadmin's or flytepropeller's log could be read", *looked)
    for signature in AUTH_SIGNATURES:
        for (pod, container), lines in tails.items():
            hits = [redact_text(line) for line in lines if signature.pattern.search(line)]
            if not hits:
                continue
            summary = f"{container} logs {signature.id.removeprefix('auth-').replace('-', ' ')}: {signature.cause}"
            diagnosis = Explanation(summary=hits[-1], object=f"pod/{pod}", component=container, container=container,
                                    cause=signature.cause, fix=signature.fix, answer=signature.answer,
                                    log_tail=tuple(hits[-3:]), signature=signature.id)  # fmt: skip
            return Outcome(
                "fail",
                summary,
                looked,
                evidence=tuple(f"log {line}" for line in hits[-3:]),
                fix=signature.fix,
                commands=(f"{kubectl_cmd(snap)} logs {pod} -c {container} --tail=200",),
                diagnosis=diagnosis,
                answer=signature.answer,
            )
    total = sum(len(lines) for lines in tails.values())
    return ok(f"no auth failure in the last {total} log lines of flyteadmin and flytepropeller", *looked)
