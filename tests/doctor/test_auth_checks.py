"""The doctor's auth checks on the captured test-bed snapshot, with flyteadmin's config as flyte-tui renders it
for auth on: the Secrets and keys, the propeller secret against its hash, authorizedUris[0], the log signatures;
every one skips when auth is off. The propeller secret's value never reaches a finding."""

from __future__ import annotations

import json
from typing import Any

import pytest
from doctor_scenarios import load, run

from flyte_tui import tree
from flyte_tui.doctor.auth_setup import MATCH, MISMATCH, auth_setup, compare_propeller_secret
from flyte_tui.doctor.snapshot import SecretInfo, Snapshot
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model.auth import hash_propeller_secret
from tests.test_auth_render import plan_for, values_for

AUTH_CHECKS = ("auth.secrets", "auth.propeller-hash", "auth.authorized-uris", "auth.logs")
SECRET = "propeller-canary-secret-value"


def with_auth(recipe: str = "google", **changes: Any) -> Snapshot:
    """The deployed snapshot with flyteadmin's server.yaml and the values as an auth-on install has them."""
    snap = load("deployed")
    plan = plan_for(recipe, **changes)
    if plan.auth.authorization_server == "Self":
        clients = plan.auth.clients.model_copy(update={"propeller_hash": hash_propeller_secret(SECRET)})
        plan = plan.model_copy(update={"auth": plan.auth.model_copy(update={"clients": clients})})
    values = values_for(plan)
    config_map = snap.named("configmaps", "flyte-admin-base-config")
    assert config_map is not None
    server = load_plain(config_map["data"]["server.yaml"])
    config_map["data"]["server.yaml"] = dump(tree.deep_merge(server, values["configmap"]["adminServer"]))
    snap.values = tree.deep_merge(snap.values, values)
    snap.secrets["flyte-admin-secrets"] = SecretInfo("flyte-admin-secrets", "Opaque", ("oidc_client_secret",))
    snap.secrets["flyte-secret-auth"] = SecretInfo("flyte-secret-auth", "Opaque", ("client_secret",))
    snap.propeller_secret = MATCH if plan.auth.authorization_server == "Self" else ""
    snap.logs[("flyteadmin-5d56b9db69-f75c5", "flyteadmin")] = ["server started", "GET /healthcheck 200"]
    return snap


def shown(finding: Any) -> str:
    return json.dumps(finding.__dict__, default=str)


def test_every_auth_check_skips_when_auth_is_off() -> None:
    snap = load("deployed")
    for check_id in AUTH_CHECKS:
        finding = run(snap, check_id)
        assert finding.severity == "skip" and "auth is off" in finding.summary, check_id


def test_every_auth_check_passes_on_a_good_self_setup() -> None:
    snap = with_auth()
    assert auth_setup(snap).enabled
    for check_id in AUTH_CHECKS:
        finding = run(snap, check_id)
        assert finding.severity == "pass", (check_id, finding.summary)
    assert "flyte-admin-secrets/oidc_client_secret" in run(snap, "auth.secrets").summary


@pytest.mark.parametrize(
    ("name", "keys", "wanted"),
    [
        ("flyte-admin-secrets", (), "Secret flyte-admin-secrets has no key oidc_client_secret"),
        ("flyte-secret-auth", None, "Secret flyte-secret-auth does not exist"),
    ],
)
def test_a_missing_auth_secret_or_key_fails_naming_it(name: str, keys: Any, wanted: str) -> None:
    snap = with_auth()
    if keys is None:
        del snap.secrets[name]
    else:
        snap.secrets[name] = SecretInfo(name, "Opaque", keys)
    finding = run(snap, "auth.secrets")
    assert finding.severity == "fail" and wanted in finding.summary
    assert "FLYTE_TUI_" in finding.fix


def test_a_propeller_secret_that_does_not_match_the_hash_fails_naming_the_secret_and_the_hash() -> None:
    snap = with_auth()
    snap.propeller_secret = MISMATCH
    finding = run(snap, "auth.propeller-hash")
    assert finding.severity == "fail"
    assert "flyte-secret-auth" in finding.summary
    assert "staticClients.flytepropeller.client_secret" in finding.summary
    assert finding.answer == "auth.clients.propellerHash"
    assert hash_propeller_secret(SECRET)[:20] not in shown(finding) and SECRET not in shown(finding)


def test_external_skips_the_hash_check() -> None:
    finding = run(with_auth("okta-external"), "auth.propeller-hash")
    assert finding.severity == "skip" and "External" in finding.summary


def test_comparing_the_secret_with_its_hash() -> None:
    import base64

    secret_hash = hash_propeller_secret(SECRET)
    assert compare_propeller_secret(base64.b64encode(SECRET.encode()).decode(), secret_hash) == MATCH
    assert compare_propeller_secret(base64.b64encode(b"other").decode(), secret_hash) == MISMATCH
    assert compare_propeller_secret("", secret_hash) == "absent"


def test_authorized_uris_not_starting_with_the_public_url_fail() -> None:
    snap = with_auth()
    config_map = snap.named("configmaps", "flyte-admin-base-config")
    assert config_map is not None
    server = load_plain(config_map["data"]["server.yaml"])
    server["auth"]["authorizedUris"] = ["https://localhost:30081", "http://flyteadmin:80"]
    config_map["data"]["server.yaml"] = dump(server)
    finding = run(snap, "auth.authorized-uris")
    assert finding.severity == "fail" and "https://localhost:30081" in finding.summary
    assert "https://flyte.acme.com" in finding.summary and finding.answer == "ingress.host"


@pytest.mark.parametrize(
    ("line", "signature", "answer"),
    [
        ('token validation failed: invalid audience ["http://flyteadmin:80"], wanted [...]', "auth-invalid-audience",
         "auth.external.audience"),
        ("EventSinkError: authenticated user doesn't have required scope", "auth-missing-scope",
         "auth.external.propellerScopes"),
        ("failed to set cookie: securecookie: the value is too long", "auth-cookie-too-long", "auth.idp"),
    ],
)  # fmt: skip
def test_auth_failures_in_the_logs_fail_with_their_fix(line: str, signature: str, answer: str) -> None:
    snap = with_auth()
    snap.logs[("flyteadmin-5d56b9db69-f75c5", "flyteadmin")] = ["server started", f"level=error msg={line}"]
    finding = run(snap, "auth.logs")
    assert finding.severity == "fail" and finding.signature == signature and finding.answer == answer
    assert finding.fix and any(line[:20] in e for e in finding.evidence)


def test_the_log_check_masks_tokens_in_the_lines_it_shows() -> None:
    snap = with_auth()
    snap.logs[("flyteadmin-5d56b9db69-f75c5", "flyteadmin")] = [
        "invalid audience for Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature"
    ]
    finding = run(snap, "auth.logs")
    assert finding.severity == "fail" and "eyJhbGciOiJSUzI1NiJ9" not in shown(finding)


def test_the_log_check_skips_when_no_log_line_was_read() -> None:
    snap = with_auth()
    snap.logs[("flyteadmin-5d56b9db69-f75c5", "flyteadmin")] = []
    finding = run(snap, "auth.logs")
    assert finding.severity == "skip" and "no line" in finding.summary


def test_an_unreadable_server_yaml_falls_back_to_the_values() -> None:
    snap = with_auth()
    config_map = snap.named("configmaps", "flyte-admin-base-config")
    assert config_map is not None
    config_map["data"]["server.yaml"] = "auth: [unclosed"
    setup = auth_setup(snap)
    assert setup.enabled and setup.source == "values configmap.adminServer" and setup.propeller_hash
