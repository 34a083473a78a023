"""Secrets never reach a values or answers file: extraValues and custom storage refuse them, import leaves them out."""

from __future__ import annotations

from pathlib import Path

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.importer import import_values
from flyte_tui.charts.values_file import render_text
from flyte_tui.files.yamlio import dump
from tests.test_cli import no_traceback, run

CANARY = "CANARY-s3cr3t-41"


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"storage": {"s3": {"secretKey": CANARY}}}, "extraValues.storage.s3.secretKey"),
        ({"db": {"admin": {"database": {"password": CANARY}}}}, "extraValues.db.admin.database.password"),
        (
            {"common": {"databaseSecret": {"secretManifest": {"stringData": {"pass.txt": CANARY}}}}},
            "extraValues.common.databaseSecret.secretManifest.stringData",
        ),
        (
            {"secrets": {"adminOauthClientCredentials": {"clientSecret": CANARY}}},
            "extraValues.secrets.adminOauthClientCredentials.clientSecret",
        ),
        ({"flyteadmin": {"env": [{"name": "API_TOKEN", "value": CANARY}]}}, "extraValues.flyteadmin.env[0].value"),
    ],
)
def test_a_secret_in_extra_values_is_an_error_at_its_path(realistic, extra: dict, path: str) -> None:
    answers = realistic["eks"]
    answers["extraValues"] = extra
    result = validate_answers(answers)
    assert not result.ok
    problem = next(p for p in result.errors if p.path == path)
    assert "looks like a secret" in problem.message and "database.passwordSecret" in problem.message


def test_names_of_secrets_are_not_secrets(realistic) -> None:
    answers = realistic["eks"]
    answers["extraValues"] = {
        "db": {"admin": {"database": {"passwordPath": "/etc/db/pass.txt"}}},
        "secrets": {"adminOauthClientCredentials": {"enabled": False, "secretName": "my-oauth"}},
        "flyteadmin": {"env": [{"name": "TOKEN_FILE", "value": "/etc/token"}, {"name": "LOG_LEVEL", "value": "5"}]},
    }
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    assert result.plan is not None
    assert "my-oauth" in render_text(result.plan)


def test_a_key_in_a_custom_storage_block_is_an_error(realistic) -> None:
    answers = realistic["generic"]
    answers["storage"] = {"type": "custom", "custom": {"type": "stow", "stow": {"config": {"secret-key": CANARY}}}}
    result = validate_answers(answers)
    assert any(p.path == "storage.custom.stow.config.secret-key" for p in result.errors)


def test_import_leaves_secrets_out_and_says_so() -> None:
    values = {
        "storage": {"type": "s3", "bucketName": "acme-meta", "s3": {"region": "us-east-2", "secretKey": CANARY}},
        "db": {"admin": {"database": {"host": "db.acme.com", "password": CANARY}}},
        "common": {"databaseSecret": {"name": "db-pass", "secretManifest": {"stringData": {"pass.txt": CANARY}}}},
        "flyteadmin": {"podLabels": {"team": "ml"}},
    }
    result = import_values(values, environment="generic")
    assert CANARY not in dump(result.answers)
    assert CANARY not in " ".join(result.leftovers)
    warned = {p.path for p in result.problems if p.severity == "warning" and "left out" in p.message}
    assert warned >= {
        "storage.s3.secretKey",
        "db.admin.database.password",
        "common.databaseSecret.secretManifest.stringData",
    }
    assert result.answers["extraValues"]["flyteadmin"] == {"podLabels": {"team": "ml"}}
    assert not [p for p in result.problems if "looks like a secret" in p.message]


def test_cli_import_and_validate(tmp_path: Path, realistic) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(dump({"storage": {"type": "s3", "bucketName": "acme-meta", "s3": {"secretKey": CANARY}}}))
    out = tmp_path / "flyte-tui.yaml"
    proc = run("import", str(values), "-o", str(out))
    no_traceback(proc)
    assert CANARY not in out.read_text() and CANARY not in proc.stdout + proc.stderr
    assert "storage.s3.secretKey" in proc.stderr and "left out" in proc.stderr

    answers = realistic["eks"]
    answers["extraValues"] = {"storage": {"s3": {"secretKey": CANARY}}}
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(answers))
    proc = run("validate", str(bad))
    assert proc.returncode == 2 and "extraValues.storage.s3.secretKey" in proc.stderr
    assert CANARY not in proc.stdout + proc.stderr
    proc = run("render", str(bad), "-o", str(tmp_path / "v.yaml"))
    assert proc.returncode == 2 and not (tmp_path / "v.yaml").exists()
