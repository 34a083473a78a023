"""Importing flyte-binary values: what flyte-tui renders comes back as the same answers; a starter-shaped file
becomes answers with its placeholders reported at the answers to fill in, its secrets left out, and the rest
kept under extraValues (and nothing twice)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_binary import FLYTE_BINARY
from flyte_tui.files.yamlio import read_plain_file
from flyte_tui.presets import PRESET_NAMES
from tests.test_flyte_binary_choice import binary

STARTER = Path(__file__).parent / "data" / "flyte-binary-eks-starter-shaped.yaml"


@pytest.mark.parametrize("env", PRESET_NAMES)
def test_rendered_values_import_back_to_the_same_values(env: str) -> None:
    plan = validate_answers(binary(env)).plan
    assert plan is not None
    release = flyte_release(plan_releases(plan))
    imported = FLYTE_BINARY.import_values(copy.deepcopy(release.values), environment=env)
    assert not imported.leftovers, imported.leftovers
    assert imported.answers["extraValues"] == {}
    again = validate_answers(imported.answers)
    assert again.ok, [str(p) for p in again.errors]
    assert again.plan is not None and flyte_release(plan_releases(again.plan)).values == release.values


def test_a_starter_file_reports_its_placeholders_at_the_answers() -> None:
    imported = FLYTE_BINARY.import_values(read_plain_file(STARTER))
    answers = imported.answers
    assert answers["environment"] == "eks"
    assert answers["target"]["chart"]["name"] == "flyte-binary"
    placeholders = {p.path for p in imported.problems if "placeholder" in p.message}
    assert {
        "database.host",
        "storage.metadataBucket",
        "storage.userDataBucket",
        "storage.region",
        "identity.awsRoleArn",
        "ingress.tls.certificateArn",
        "projects.taskRoleArn",
    } <= placeholders
    assert not [p for p in placeholders if p.startswith("extraValues")], placeholders  # each one once
    left_out = {p.path for p in imported.problems if "secret" in p.message and p.severity == "warning"}
    assert left_out == {"configuration.database.password", "configuration.auth.oidc.clientSecret"}
    assert "<DB_PASSWORD>" not in str(answers) and "<IDP_CLIENT_SECRET>" not in str(answers)
    extra = answers["extraValues"]
    assert extra["configuration"]["logging"] == {"level": 5}
    assert extra["configuration"]["inline"] == {"plugins": {"k8s": {"inject-finalizer": True}}}
    assert "clusterResourceTemplates" not in extra  # flyte-tui renders the same two templates
    assert answers["ingress"]["controller"] == "alb" and answers["ingress"]["host"] == "flyte.mydomain.com"


def test_the_starter_filled_in_renders_what_it_said() -> None:
    imported = FLYTE_BINARY.import_values(read_plain_file(STARTER))
    answers = imported.answers
    answers["database"]["host"] = "flyte.abc.us-east-2.rds.amazonaws.com"
    answers["database"]["passwordSecret"] = {"name": "db-pass", "key": "pass.txt"}
    answers["storage"].update(metadataBucket="acme-meta", userDataBucket="acme-data", region="us-east-2")
    answers["identity"]["awsRoleArn"] = "arn:aws:iam::123456789012:role/flyte"
    answers["ingress"]["tls"]["certificateArn"] = "arn:aws:acm:us-east-2:123456789012:certificate/abc"
    answers["projects"]["taskRoleArn"] = "arn:aws:iam::123456789012:role/flyte-tasks"
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    assert result.plan is not None
    values = flyte_release(plan_releases(result.plan)).values
    assert values["configuration"]["database"]["host"] == "flyte.abc.us-east-2.rds.amazonaws.com"
    assert values["configuration"]["logging"] == {"level": 5}
    assert values["serviceAccount"]["annotations"]["eks.amazonaws.com/role-arn"].endswith(":role/flyte")
    custom = values["configuration"]["inline"]["cluster_resources"]["customData"]
    assert all(
        {"defaultIamRole": {"value": "arn:aws:iam::123456789012:role/flyte-tasks"}} in e[d] for e in custom for d in e
    )


def test_an_answers_file_is_not_imported() -> None:
    imported = FLYTE_BINARY.import_values({"apiVersion": "flyte-tui/v1", "kind": "InstallPlan"})
    assert imported.answers == {} and "answers file" in imported.problems[0].message


def test_the_import_command_recognises_a_flyte_binary_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main
    from flyte_tui.files.yamlio import load_plain

    out = tmp_path / "flyte-tui.yaml"
    cli = CliRunner().invoke(main, ["import", str(STARTER), "-o", str(out)])
    assert cli.exit_code == 0, cli.output
    answers = load_plain(out.read_text())
    assert answers["target"]["chart"]["name"] == "flyte-binary"
    assert "database.host: <RDS_HOST_DNS> is a placeholder" in cli.output
    assert "<DB_PASSWORD>" not in out.read_text() + cli.output
