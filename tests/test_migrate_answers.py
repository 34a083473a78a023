"""The flyte-binary → flyte-core answers mapping: what carries over unchanged, what changes (the release, the
chart, one database for both), and what is listed as left behind (never silently dropped)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.migrate import MigrationError, migrate_answers


def binary_answers() -> dict[str, Any]:
    return {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {
            "namespace": "flyte",
            "release": "flyte",
            "chart": {"repo": "https://charts.example.com", "name": "flyte-binary", "version": "v1.16.8"},
        },
        "storage": {"type": "s3", "metadataBucket": "meta", "userDataBucket": "raw", "region": "eu-west-1"},
        "database": {
            "host": "db.example.com",
            "adminDatabase": "flyte",
            "passwordSecret": {"name": "db-pass", "key": "pass.txt"},
        },
        "ingress": {"host": "flyte.example.com"},
        "resources": {
            "components": {"flyte-binary": {"requests": {"cpu": "1", "memory": "2Gi"}}},
            "taskDefaults": {"requests": {"cpu": "200m", "memory": "1Gi"}},
        },
        "extraValues": {"deployment": {"annotations": {"a": "b"}}, "configuration": {"inline": {"x": 1}}},
    }


def test_storage_database_ingress_and_task_defaults_carry_over_to_a_valid_flyte_core_plan() -> None:
    raw = binary_answers()
    before = copy.deepcopy(raw)
    migrated = migrate_answers(raw)
    assert raw == before, "the user's answers are not changed in place"
    result = validate_answers(migrated.answers)
    assert result.ok, [str(p) for p in result.errors]
    plan = result.plan
    assert plan is not None
    assert plan.target.chart.name == "flyte-core" and plan.target.chart.version == "v1.16.8"
    assert plan.target.chart.repo == "https://charts.example.com"
    assert (plan.target.release, plan.target.namespace) == ("flyte-core", "flyte")
    assert (plan.storage.metadata_bucket, plan.storage.user_data_bucket) == ("meta", "raw")
    assert plan.database.password_secret is not None and plan.database.password_secret.name == "db-pass"
    # flyte-binary kept datacatalog's tables in the admin database: flyte-core reads them from there
    assert plan.database.admin_database == plan.database.datacatalog_database == "flyte"
    assert plan.ingress.host == "flyte.example.com"
    assert plan.resources.task_defaults.requests.cpu == "200m"


def test_what_does_not_map_is_listed_and_not_in_the_new_answers() -> None:
    migrated = migrate_answers(binary_answers())
    left = "\n".join(migrated.left_behind)
    assert "resources.components.flyte-binary" in left
    assert "extraValues.deployment" in left and "extraValues.configuration" in left
    assert "extraValues" not in migrated.answers
    assert "components" not in migrated.answers["resources"]


def test_release_name_from_the_option_and_refused_when_it_is_the_old_one() -> None:
    assert migrate_answers(binary_answers(), "flyte2").new_release == "flyte2"
    with pytest.raises(MigrationError, match=r"--release 'flyte'.*another name"):
        migrate_answers(binary_answers(), "flyte")
    with pytest.raises(MigrationError, match="--release 'Bad_Name'"):
        migrate_answers(binary_answers(), "Bad_Name")


def test_flyte_core_answers_are_refused_naming_the_field() -> None:
    raw = binary_answers()
    raw["target"]["chart"]["name"] = "flyte-core"
    with pytest.raises(MigrationError, match=r"target\.chart\.name is 'flyte-core'.*flyte-binary"):
        migrate_answers(raw)


def test_sandbox_dependencies_keep_their_release_and_a_chart_path_is_listed() -> None:
    raw = binary_answers()
    raw["dependencies"] = {"storage": True, "database": True}
    raw["target"]["chart"] = {"path": "./charts/flyte-binary", "name": "flyte-binary"}
    migrated = migrate_answers(raw)
    assert migrated.answers["dependencies"]["release"] == "flyte-deps"
    assert any(line.startswith("target.chart.path") for line in migrated.left_behind)
    assert "path" not in migrated.answers["target"]["chart"]


def test_headless_migrate_refuses_flyte_core_answers_with_exit_2_and_no_traceback(tmp_path) -> None:
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main
    from flyte_tui.files.yamlio import dump

    raw = binary_answers()
    raw["target"]["chart"]["name"] = "flyte-core"
    raw.pop("extraValues")
    raw["resources"].pop("components")
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(raw))
    result = CliRunner().invoke(main, ["migrate", str(answers)])
    assert result.exit_code == 2, result.output
    assert "target.chart.name is 'flyte-core'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "flyte-tui-core.yaml").exists()


def test_the_review_shows_both_releases_and_moves_the_ingress_after_the_old_release_is_gone() -> None:
    from flyte_tui.migrate import MigrationPlan, review_lines

    migrated = migrate_answers(binary_answers())
    plan = validate_answers(migrated.answers).plan
    assert plan is not None
    migration = MigrationPlan(plan, migrated.old_release)
    text = "\n".join(review_lines(migrated, migration))
    assert "Old release: flyte (flyte-binary)" in text and "New release: flyte-core (flyte-core v1.16.8)" in text
    assert "Left behind (3)" in text and "bucketName: meta" in text  # the new release's values
    order = migration.order()
    assert "Ingress off" in order[1] and "helm uninstall flyte" in order[3] and "Ingress on" in order[4]
    assert migration.without_ingress().ingress.enabled is False and migration.plan.ingress.enabled is True


def _binary_file(tmp_path: Any) -> Any:
    from flyte_tui.files.yamlio import dump

    raw = binary_answers()
    raw.pop("extraValues")
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("# my flyte-binary install\n" + dump(raw))
    return answers


def test_headless_migrate_never_writes_over_the_input_and_backs_up_an_existing_output(tmp_path) -> None:
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main

    answers = _binary_file(tmp_path)
    original = answers.read_text()
    same = CliRunner().invoke(main, ["migrate", str(answers), f"--output={answers}"])
    assert same.exit_code == 2 and "is the input file" in same.output and answers.read_text() == original
    out = tmp_path / "core.yaml"
    out.write_text("# kept comment\nenvironment: generic\n")
    # no helm to ask: the answers are written and reviewed first, then reading the release fails (exit 1)
    done = CliRunner().invoke(main, ["migrate", str(answers), f"--output={out}", "--helm=/nonexistent/helm"])
    assert done.exit_code == 1, done.output
    assert "cannot read release flyte" in done.output and "Traceback" not in done.output
    assert (tmp_path / "core.yaml.bak").read_text() == "# kept comment\nenvironment: generic\n"
    assert "# kept comment" in out.read_text() and "name: flyte-core" in out.read_text()
    assert "Old release: flyte (flyte-binary)" in done.output and answers.read_text() == original
