"""The one secret predicate (issue 12 items 14, 16, 18): settings about a secret are not secrets, credentials
inside values are, and a chart repository URL never shows or stores its user info."""

from __future__ import annotations

from typing import Any

import pytest

from flyte_tui import tree
from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.charts.flyte_core.importer import import_values
from flyte_tui.files.yamlio import dump
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.secret_values import secret_paths, without_secrets
from flyte_tui.redact import holds_secret, redact_text
from flyte_tui.tools.helm import display, template_argv, upgrade_install_argv
from tests.conftest import set_path

CANARY = "CANARY-s3cr3t-77"

# -- item 14: settings taken for secrets ----------------------------------------------------------------------

SETTINGS: dict[str, Any] = {
    "sparkConfig": {
        "spark.hadoop.fs.s3a.aws.credentials.provider": "com.amazonaws.auth.DefaultAWSCredentialsProviderChain"
    },
    "auth": {
        "appAuth": {
            "selfAuthServer": {"accessTokenLifespan": "30m", "refreshTokenLifespan": "1h", "passwordMinLength": 12},
            "thirdPartyConfig": {"flyteClient": {"tokenAudience": "https://flyte.example.com"}},
        },
        "tokenEndpoint": "https://idp.example.com/token",
        "useAudienceFromAdmin": True,
        "credentialsProvider": "env",
        "secretsPath": "/etc/secrets",
    },
}


@pytest.mark.parametrize(
    "key",
    [
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "tokenAudience",
        "passwordMinLength",
        "accessTokenLifespan",
        "refreshTokenLifespan",
        "tokenEndpoint",
        "credentialsProvider",
        "secretsPath",
        "passwordSecret",
        "tokenFile",
    ],
)
def test_a_setting_about_a_secret_is_not_a_secret(key: str) -> None:
    assert not holds_secret(key)


@pytest.mark.parametrize(
    "key",
    ["password", "DB_PASSWORD", "PGPASS", "PGPASSWORD", "clientSecret", "oidc_client_secret", "secretKey",
     "AWS_SECRET_ACCESS_KEY", "access_key_id", "apiKey", "API_TOKEN", "accessToken", "credentials", "privateKey",
     "clientSecretHash", "passwordValue", "MYSQL_PWD", "storageAccountKey"],
)  # fmt: skip
def test_secrets_are_still_secrets(key: str) -> None:
    assert holds_secret(key)


def test_settings_validate_and_import_keeps_them(realistic) -> None:
    answers = realistic["eks"]
    answers["extraValues"] = SETTINGS
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    imported = import_values({"storage": {"type": "s3", "bucketName": "acme-meta"}, **SETTINGS}, environment="generic")
    assert imported.answers["extraValues"]["sparkConfig"] == SETTINGS["sparkConfig"]
    assert imported.answers["extraValues"]["auth"] == SETTINGS["auth"]
    assert not [p for p in imported.problems if "left out" in p.message]


def test_redacted_text_keeps_settings() -> None:
    line = "tokenAudience: https://flyte.example.com passwordMinLength=12 --token-endpoint https://idp/token"
    assert redact_text(line) == line


# -- item 16: credentials inside values ---------------------------------------------------------------------------

CREDENTIALS: list[tuple[dict[str, Any], str]] = [
    ({"flyteadmin": {"extraConfig": {"dsn": f"postgres://flyte:{CANARY}@db.example.com:5432/flyte"}}},
     "extraValues.flyteadmin.extraConfig.dsn"),
    ({"configmap": {"db": {"connection": f"host=db user=flyte password={CANARY} dbname=flyte"}}},
     "extraValues.configmap.db.connection"),
    ({"flyteadmin": {"env": [{"name": "PGPASS", "value": CANARY}]}}, "extraValues.flyteadmin.env[0].value"),
    ({"flyteadmin": {"env": [{"name": "PGPASSWORD", "value": CANARY}]}}, "extraValues.flyteadmin.env[0].value"),
    ({"flyteadmin": {"env": [{"name": "DATABASE_URL", "value": f"postgres://u:{CANARY}@db/x"}]}},
     "extraValues.flyteadmin.env[0].value"),
    ({"datacatalog": {"args": ["serve", "--db-password", CANARY]}}, "extraValues.datacatalog.args[2]"),
    ({"datacatalog": {"args": ["serve", f"--db-password={CANARY}"]}}, "extraValues.datacatalog.args[1]"),
    ({"flyteadmin": {"extraConfig": {"repo": f"https://{CANARY}@git.example.com/acme/x"}}},
     "extraValues.flyteadmin.extraConfig.repo"),
    ({"storage": {"s3": {"endpoint": f"https://AKIAKEY:{CANARY}@minio.example.com"}}},
     "extraValues.storage.s3.endpoint"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "path"), CREDENTIALS, ids=[c[1].split("extraValues.")[1] for c in CREDENTIALS])
def test_a_credential_inside_a_value_is_an_error_at_its_path(realistic, extra: dict[str, Any], path: str) -> None:
    answers = realistic["eks"]
    answers["extraValues"] = extra
    result = validate_answers(answers)
    assert any(p.path == path and "looks like a secret" in p.message for p in result.errors), [
        str(p) for p in result.problems
    ]
    assert CANARY not in " ".join(str(p) for p in result.problems)


IMPORTED = [
pytest.param(*case, id=case[1].split("extraValues.")[1])
    for case in CREDENTIALS
]


@pytest.mark.parametrize(("extra", "path"), IMPORTED)
def test_import_leaves_credentials_inside_values_out(extra: dict[str, Any], path: str) -> None:
    base = {"storage": {"type": "s3", "bucketName": "acme-meta", "s3": {"region": "us-east-2"}}}
    values = tree.deep_merge(base, extra)
    result = import_values(values, environment="generic")
    assert CANARY not in dump(result.answers)
    assert any(p.path == path.removeprefix("extraValues.") and "left out" in p.message for p in result.problems)


def test_a_secret_flag_goes_with_its_value() -> None:
    args = ["serve", "--db-password", CANARY, "--port", "8088"]
    assert list(secret_paths({"args": args})) == ["args[2]"]
    assert without_secrets({"args": args}) == {"args": ["serve", "--port", "8088"]}


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("storage.endpoint", f"https://AKIAKEY:{CANARY}@minio.example.com"),
        ("storage.endpoint", f"https://{CANARY}@minio.example.com"),
        ("target.chart.repo", f"https://user:{CANARY}@charts.example.com"),
        ("target.chart.repo", f"https://{CANARY}@charts.example.com"),
    ],
)
def test_user_info_in_a_url_field_is_refused_without_echoing_it(realistic, path: str, url: str) -> None:
    answers = realistic["generic"]
    if path.startswith("target.chart"):
        answers["target"]["chart"] = {"repo": url, "name": "flyte-core", "version": "v1.16.8"}
    else:
        set_path(answers, path, url)
    result = validate_answers(answers)
    messages = [p.message for p in result.errors if p.path == path]
    assert any("user name or password" in m for m in messages), [str(p) for p in result.problems]
    assert CANARY not in " ".join(str(p) for p in result.problems)


def test_a_repo_url_with_credentials_points_at_helm_repo_add(realistic) -> None:
    answers = realistic["eks"]
    answers["target"]["chart"]["repo"] = f"https://robot:{CANARY}@charts.example.com"
    (message,) = [p.message for p in validate_answers(answers).errors if p.path == "target.chart.repo"]
    assert "helm repo add --username" in message and "--password-stdin" in message


def test_a_database_connection_string_as_host_is_refused_without_echoing_it(realistic) -> None:
    answers = set_path(realistic["eks"], "database.host", f"postgres://flyte:{CANARY}@db.example.com")
    messages = [p.message for p in validate_answers(answers).errors if p.path == "database.host"]
    assert messages and CANARY not in " ".join(messages) and "database.passwordSecret" in messages[0]


# -- item 18: a repository URL's user info is never shown -------------------------------------------------------


def test_display_masks_user_info_in_a_repository_url(realistic) -> None:
    plan = InstallPlan.model_validate(realistic["eks"])
    chart = plan.target.chart.model_copy(update={"repo": f"https://robot:{CANARY}@charts.example.com/flyte"})
    plan = plan.model_copy(update={"target": plan.target.model_copy(update={"chart": chart})})
    release = plan_releases(plan)[0]
    for argv in (upgrade_install_argv(release, "v.yaml"), template_argv(release, "v.yaml")):
        assert f"https://robot:{CANARY}@" in " ".join(argv)  # helm itself gets the URL as written
        shown = display(argv)
        assert CANARY not in shown and "https://******@charts.example.com/flyte" in shown
