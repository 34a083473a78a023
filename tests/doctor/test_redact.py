"""Secrets are masked in values, manifests, logs and describe output; names of things are kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flyte_tui.redact import MASK, holds_secret, redact_data, redact_text

CANARY = "c4nary-S3cret-9f2e"


def test_secret_keys_hold_secrets_while_names_and_paths_do_not() -> None:
    for key in ("password", "clientSecret", "secretKey", "access-key", "api_key", "token", "oidc_client_secret"):
        assert holds_secret(key), key
    for key in ("passwordPath", "secretName", "tokenFile", "clientSecretLocation", "name"):
        assert not holds_secret(key), key


def test_values_lose_passwords_and_keep_structure() -> None:
    values = {
        "db": {"admin": {"database": {"password": CANARY, "passwordPath": "/etc/db/pass.txt", "port": 5432}}},
        "storage": {"s3": {"accessKey": CANARY, "secretKey": CANARY, "authType": "accesskey"}},
        "common": {"databaseSecret": {"secretManifest": {"kind": "Secret", "stringData": {"pass.txt": CANARY}}}},
        "flyteadmin": {"env": [{"name": "DB_PASSWORD", "value": CANARY}, {"name": "LOG_LEVEL", "value": "5"}]},
        "configmap": {"text": f"storage:\n  secret-key: {CANARY}\n  endpoint: http://minio:9000\n"},
    }
    out = redact_data(values)
    assert CANARY not in repr(out)
    assert out["db"]["admin"]["database"]["passwordPath"] == "/etc/db/pass.txt"
    assert out["db"]["admin"]["database"]["port"] == 5432
    assert out["common"]["databaseSecret"]["secretManifest"]["stringData"] == {"pass.txt": MASK}
    assert out["flyteadmin"]["env"][1]["value"] == "5"
    assert "endpoint: http://minio:9000" in out["configmap"]["text"]


def test_secret_objects_keep_key_names_only() -> None:
    secret = {"kind": "Secret", "metadata": {"name": "db-pass"}, "data": {"pass.txt": "c2VjcmV0"}}
    assert redact_data(secret) == {"kind": "Secret", "metadata": {"name": "db-pass"}, "data": {"pass.txt": MASK}}


def test_log_and_describe_lines_are_masked() -> None:
    lines = [
        f"connecting with password={CANARY} host=db",
        f'{{"msg":"auth","token":"{CANARY}"}}',
        f"postgres://flyte:{CANARY}@db.example.com:5432/flyte",
        f"Authorization: Bearer {CANARY}",
        f"      DB_PASSWORD:  {CANARY}",
        f"flyteadmin --client-secret {CANARY} serve",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow" + CANARY + "\n-----END RSA PRIVATE KEY-----",
        "aws key AKIAABCDEFGHIJKLMNOP used",
    ]
    for line in lines:
        out = redact_text(line)
        assert CANARY not in out and "AKIAABCDEFGHIJKLMNOP" not in out, out
    assert redact_text("passwordPath: /etc/db/pass.txt") == "passwordPath: /etc/db/pass.txt"
    assert redact_text("password authentication failed for user") == "password authentication failed for user"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=8, max_size=40).filter(str.strip))
def test_any_password_value_is_masked(secret: str) -> None:
    value = secret.strip().replace('"', "").replace("'", "")
    out = redact_data({"password": value, "nested": [{"token": value}]})
    assert out == {"password": MASK, "nested": [{"token": MASK}]}
