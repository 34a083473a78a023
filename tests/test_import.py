"""values → answers: what is understood becomes answers, the rest is kept under extraValues and reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.importer import import_values, import_values_file
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.cli.commands import main
from flyte_tui.files.yamlio import dump


def plan_of(answers):
    result = validate_answers(answers)
    assert result.plan is not None and result.ok, [str(p) for p in result.errors]
    return result.plan


def test_import_of_rendered_values_gives_the_same_values(realistic) -> None:
    for env, answers in realistic.items():
        values = render_values(plan_of(answers))
        result = import_values(values)
        assert result.answers["environment"] == env
        assert result.leftovers == [], (env, result.leftovers)
        assert render_values(plan_of(result.answers)) == values


def test_unknown_keys_are_kept_and_reported(realistic) -> None:
    values = render_values(plan_of(realistic["eks"]))
    values["flyteadmin"]["podLabels"] = {"team": "ml"}
    values["sparkoperator"] = {"enabled": True}
    result = import_values(values)
    assert result.answers["extraValues"] == {
        "flyteadmin": {"podLabels": {"team": "ml"}},
        "sparkoperator": {"enabled": True},
    }
    assert sorted(result.leftovers) == ["flyteadmin.podLabels.team", "sparkoperator.enabled"]
    assert render_values(plan_of(result.answers)) == values


def test_import_understands_a_hand_written_eks_file(tmp_path: Path) -> None:
    values = {
        "storage": {"type": "s3", "bucketName": "corp-flyte", "s3": {"region": "eu-central-1"}},
        "db": {
            "admin": {
                "database": {
                    "host": "db.corp",
                    "port": 5432,
                    "username": "flyte",
                    "dbname": "flyte",
                    "passwordPath": "/etc/db/pass.txt",
                    "options": "sslmode=require",
                }
            }
        },
        "common": {"databaseSecret": {"name": "db-pass"}, "ingress": {"ingressClassName": "alb", "host": "flyte.corp"}},
        "flyteadmin": {
            "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/flyte"}}
        },
    }
    path = tmp_path / "values.yaml"
    path.write_text(dump(values))
    result = import_values_file(path)
    a = result.answers
    assert a["environment"] == "eks"
    assert a["storage"]["metadataBucket"] == "corp-flyte" and a["storage"]["region"] == "eu-central-1"
    assert a["database"]["passwordSecret"] == {"name": "db-pass", "key": "pass.txt"}
    assert a["database"]["sslMode"] == "require"
    assert a["identity"]["awsRoleArn"] == "arn:aws:iam::111122223333:role/flyte"
    assert a["ingress"]["controller"] == "alb" and a["ingress"]["host"] == "flyte.corp"


def test_import_of_garbage_reports_instead_of_raising(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("storage: [unclosed\n")
    result = import_values_file(path)
    assert result.answers == {} and "not valid YAML" in result.problems[0].message
    assert import_values(["a", "list"]).problems
    assert import_values_file(tmp_path / "missing.yaml").problems[0].message.startswith("cannot read")


def test_task_resource_defaults_use_flyteadmins_names(realistic) -> None:
    """flyteadmin reads cpu, gpu, memory, storage and ephemeralStorage: the answers' ephemeral-storage is
    written as ephemeralStorage, and an official file's deprecated ``storage`` is kept as it is."""
    answers = realistic["eks"]
    answers["resources"] = {"taskDefaults": {"requests": {"cpu": "500m", "memory": "1Gi", "ephemeral-storage": "2Gi"}}}
    values = render_values(plan_of(answers))
    task = values["configmap"]["task_resource_defaults"]["task_resources"]
    assert task["defaults"]["ephemeralStorage"] == "2Gi" and "ephemeral-storage" not in task["defaults"]

    # as in the official values-eks.yaml
    official = {
        "storage": {"type": "s3", "bucketName": "corp-flyte", "s3": {"region": "eu-central-1"}},
        "configmap": {
            "task_resource_defaults": {
                "task_resources": {
                    "defaults": {"cpu": "1000m", "memory": "1000Mi", "storage": "1000Mi", "ephemeralStorage": "3Gi"},
                    "limits": {"storage": "2000Mi"},
                }
            }
        },
    }
    result = import_values(official, environment="eks")
    assert not [p for p in result.problems if p.path.startswith("resources")], result.problems
    requests = result.answers["resources"]["taskDefaults"]["requests"]
    assert requests["cpu"] == "1000m" and requests["ephemeral-storage"] == "3Gi"
    extra = result.answers["extraValues"]
    assert extra["configmap"]["task_resource_defaults"]["task_resources"]["defaults"] == {"storage": "1000Mi"}
    assert "storage" in extra["configmap"]["task_resource_defaults"]["task_resources"]["limits"]
    assert "storage" not in extra, "what was understood must not be dumped into extraValues as well"


WRONG_TYPES = [
    ("flyteadmin: {initialProjects: flytesnacks}\n", "flyteadmin.initialProjects", "a list"),
    ("flyteadmin: {replicaCount: two}\n", "flyteadmin.replicaCount", "a whole number"),
    ("flyteadmin: {replicaCount: [2]}\n", "flyteadmin.replicaCount", "a whole number"),
    ("db: {admin: {database: {port: five}}}\n", "db.admin.database.port", "a whole number"),
    ("db: {admin: {database: [a]}}\n", "db.admin.database", "a mapping"),
    ("common: {ingress: nginx}\n", "common.ingress", "a mapping"),
    ("common: {ingress: {tls: {enabled: 'false'}}}\n", "common.ingress.tls.enabled", "true or false"),
    ("common: {ingress: {separateGrpcIngress: 'no'}}\n", "common.ingress.separateGrpcIngress", "true or false"),
    ("storage: {bucketName: {a: 1}}\n", "storage.bucketName", "text"),
    ("storage: s3\n", "storage", "a mapping"),
    ("configmap: {domain: {domains: development}}\n", "configmap.domain.domains", "a list"),
    ("configmap: {domain: {domains: [development]}}\n", "configmap.domain.domains[0]", "a mapping with an id"),
    (
        "cluster_resource_manager: {config: {cluster_resources: {customData: [{production: cpu}]}}}\n",
        "cluster_resource_manager.config.cluster_resources.customData[0].production",
        "a list of variables",
    ),
    ("flyteadmin: {resources: {requests: 2}}\n", "flyteadmin.resources.requests", "a mapping of resources"),
]


@pytest.mark.parametrize(("text", "path", "expected"), WRONG_TYPES)
def test_wrong_typed_values_are_reported_at_their_path_never_iterated(
    tmp_path: Path, text: str, path: str, expected: str
) -> None:
    """Issue 12, item 13: ``initialProjects: flytesnacks`` became ``[f, l, y, t, …]``."""
    source = tmp_path / "values.yaml"
    source.write_text(text)
    result = import_values_file(source)
    assert result.answers, [str(p) for p in result.problems]
    found = [p for p in result.problems if p.path == path]
    assert found and expected in found[0].message, [str(p) for p in result.problems]
    assert result.answers["projects"]["initialProjects"] != list("flytesnacks")
    for project in result.answers["projects"]["initialProjects"]:
        assert len(project) > 1


def test_importing_an_answers_file_is_refused(tmp_path: Path, realistic) -> None:
    """Issue 11, item 8: it "succeeded" and put apiVersion, kind, … under extraValues."""
    source = tmp_path / "flyte-tui.yaml"
    source.write_text(dump(realistic["eks"]))
    result = import_values_file(source)
    assert result.answers == {}
    assert "answers file" in result.problems[0].message and "flyte-tui validate" in result.problems[0].message
    out = tmp_path / "y.yaml"
    cli = CliRunner().invoke(main, ["import", str(source), "-o", str(out)])
    assert cli.exit_code == 2 and "answers file" in cli.output and not out.exists()
