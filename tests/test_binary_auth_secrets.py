"""The auth Secrets flyte-tui creates for flyte-binary are the ones its values reference: propeller's client secret
in ``<fullname>-propeller-auth`` (``configuration.auth.clientSecretsExternalSecretRef``), the web login's in
``<fullname>-admin-auth`` (the chart's own, adopted by Helm); the values hold neither secret, only the hash."""

from __future__ import annotations

import json

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.files.yamlio import dump
from flyte_tui.install.secrets import admin_secret_manifest, propeller_secret_manifest
from flyte_tui.model.auth import propeller_secret_and_hash
from flyte_tui.model.plan import InstallPlan
from flyte_tui.review.auth import registration_lines
from tests.test_flyte_binary_choice import binary

FULL = "flyte-flyte-binary"
SECRET, HASH = propeller_secret_and_hash()


def plan() -> InstallPlan:
    answers = binary("eks")
    answers["auth"] = {"enabled": True, "idp": "okta", "issuer": "https://dev-1.okta.com/oauth2/default",
                       "clients": {"web": "0oaweb", "propellerHash": HASH}}  # fmt: skip
    validation = validate_answers(answers)
    assert validation.ok and validation.plan is not None, [str(p) for p in validation.errors]
    return validation.plan


def test_the_secrets_are_the_ones_the_values_reference() -> None:
    p = plan()
    values = plan_releases(p)[-1].values
    assert values["configuration"]["auth"]["clientSecretsExternalSecretRef"] == f"{FULL}-propeller-auth"
    propeller = json.loads(propeller_secret_manifest(p, SECRET) or "{}")
    assert propeller["metadata"]["name"] == f"{FULL}-propeller-auth"
    assert propeller["stringData"] == {"client_secret": SECRET}
    admin = json.loads(admin_secret_manifest(p, "oidc-canary") or "{}")
    assert admin["metadata"]["name"] == f"{FULL}-admin-auth"
    assert admin["metadata"]["annotations"]["meta.helm.sh/release-name"] == "flyte"  # Helm adopts it
    assert admin["stringData"] == {"oidc_client_secret": "oidc-canary"}
    text = dump(values)
    assert HASH in text and SECRET not in text and "oidc-canary" not in text


def test_the_review_names_flyte_binarys_secrets() -> None:
    lines = "\n".join(registration_lines(plan()))
    assert f"Secret {FULL}-admin-auth, key oidc_client_secret" in lines
    assert f"Secret {FULL}-propeller-auth, key client_secret" in lines
    assert "flyte-secret-auth" not in lines and "flyte-admin-secrets" not in lines
