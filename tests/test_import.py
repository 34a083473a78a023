"""values → answers: what is understood becomes answers, the rest is kept under extraValues and reported."""

from __future__ import annotations

from pathlib import Path

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.importer import import_values, import_values_file
from flyte_tui.charts.flyte_core.render import render_values
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
    answers["resources"] = {
        "taskDefaults": {"requests": {"cpu": "500m", "memory": "1Gi", "ephemeral-storage": "2Gi"}}
    }
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
