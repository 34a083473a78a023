"""The sandbox's dependencies (issue 13): the `dependencies` answers, the flyte-deps release planned before
Flyte's, its values, and Flyte's values wired to the bundled minio and PostgreSQL."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import flyte_release, plan_releases, profile_named, validate_answers
from flyte_tui.charts.flyte_deps import FLYTE_DEPS
from flyte_tui.charts.values_file import write_release_files
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model import InstallPlan
from tests.conftest import REALISTIC, set_path
from tests.test_cli import no_traceback, run


def sandbox(**paths: Any) -> dict[str, Any]:
    answers = copy.deepcopy(REALISTIC["sandbox"])
    for dotted, value in paths.items():
        set_path(answers, dotted.replace("__", "."), value)
    return answers


def plan_of(answers: dict[str, Any]) -> InstallPlan:
    result = validate_answers(answers)
    assert result.ok and result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def errors(answers: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.message for p in validate_answers(answers).errors}


def test_the_sandbox_bundles_both_and_plans_the_dependency_release_first() -> None:
    plan = plan_of(sandbox())
    assert (plan.dependencies.storage, plan.dependencies.database) == (True, True)
    deps, flyte = plan_releases(plan)
    assert (deps.release, deps.namespace, deps.context, deps.serves) == ("flyte-deps", "flyte", "", "flyte")
    assert deps.profile is FLYTE_DEPS and profile_named("flyte-deps") is FLYTE_DEPS
    assert (deps.chart.repo, deps.chart.name, deps.chart.version) == (
        "https://flyteorg.github.io/flyte",
        "flyte-deps",
        "v1.16.8",
    )
    assert [c.name for c in deps.expected_components] == ["minio", "postgres"]
    assert flyte.release == "flyte" and flyte_release([deps, flyte]) is flyte
    # only what differs from the chart's defaults: its webhook Service (named like flyte-core's) and dashboard off
    assert deps.values == {"webhook": {"enabled": False}, "kubernetes-dashboard": {"enabled": False}}


def test_nothing_bundled_is_one_release_as_before(realistic) -> None:
    for env in ("eks", "gke", "generic"):
        [only] = plan_releases(plan_of(realistic[env]))
        assert only.profile.name == "flyte-core"
    answers = sandbox(dependencies={"storage": False, "database": False})
    [only] = plan_releases(plan_of(answers))
    assert only.release == "flyte"


def test_one_bundled_part_turns_the_other_off_in_the_chart() -> None:
    deps, _ = plan_releases(plan_of(sandbox(dependencies__database=False, database__host="pg.lab.internal")))
    assert deps.values["postgres"] == {"enabled": False}
    assert [c.name for c in deps.expected_components] == ["minio"]
    deps, _ = plan_releases(
        plan_of(sandbox(dependencies__storage=False, storage__metadataBucket="lab", database__adminDatabase="adm"))
    )
    assert deps.values["minio"] == {"enabled": False}
    assert deps.values["postgres"] == {"dbname": "adm"}  # the database the chart creates is flyteadmin's
    assert [c.name for c in deps.expected_components] == ["postgres"]


def test_release_name_and_a_local_chart_copy(tmp_path: Path) -> None:
    (tmp_path / "flyte-deps").mkdir()
    (tmp_path / "flyte-deps" / "Chart.yaml").write_text("name: flyte-deps\n")
    local = {"path": str(tmp_path / "flyte-deps")}
    plan = plan_of(sandbox(dependencies__release="lab-deps", dependencies__chart=local))
    deps, _ = plan_releases(plan)
    assert deps.release == "lab-deps"
    assert (deps.chart.path, deps.chart.name, deps.chart.repo) == (str(tmp_path / "flyte-deps"), "flyte-deps", "")
    # a repository without a name means flyte-deps there, never ChartSource's default flyte-core
    mirrored = plan_of(sandbox(dependencies__chart={"repo": "https://charts.lab.internal", "version": "v1.16.8"}))
    assert mirrored.dependencies.chart.name == "flyte-deps"
    assert "dependencies.chart.path" in errors(sandbox(dependencies__chart={"path": str(tmp_path / "nothing")}))


def test_release_name_conflicts_are_refused() -> None:
    same = errors(sandbox(dependencies__release="flyte"))
    assert "Flyte's own release" in same["dependencies.release"]
    long = "f" * 50
    too_long = errors(sandbox(target__release=long))
    assert "more than helm's 53: name the release" in too_long["dependencies.release"]
    assert "dependencies.release" not in errors(sandbox(target__release=long, dependencies__release="f-deps"))
    assert "dependencies.release" in errors(sandbox(dependencies__release="Not_A_Label"))


@pytest.mark.parametrize("env", ["eks", "gke", "generic"])
def test_bundling_outside_the_sandbox_is_refused_naming_the_answer(realistic, env: str) -> None:
    answers = realistic[env]
    answers["dependencies"] = {"storage": True, "database": True}
    found = errors(answers)
    for key, what in (("storage", "minio"), ("database", "PostgreSQL")):
        message = found[f"dependencies.{key}"]
        assert f"accepted only with environment sandbox: flyte-tui installs {what}" in message
        assert f"set dependencies.{key}: false" in message


def test_answers_that_contradict_the_bundled_parts_are_refused() -> None:
    found = errors(sandbox(storage__metadataBucket="flyte-meta", database__host="pg.lab", database__port=6432))
    assert "creates only my-s3-bucket" in found["storage.metadataBucket"]
    assert "dependencies.storage: false" in found["storage.metadataBucket"]
    assert "Service is postgres" in found["database.host"] and "dependencies.database: false" in found["database.host"]
    assert "port is 5432" in found["database.port"]
    s3 = errors(
        sandbox(storage={"type": "s3", "metadataBucket": "lab", "region": "us-east-1", "endpoint": "http://minio.lab:9000"})
    )
    assert "does not fit the bundled minio" in s3["storage.type"]
    assert "sslMode" in str(errors(sandbox(database__sslMode="require")))


def test_pointing_the_sandbox_at_a_minio_and_a_postgres_already_running() -> None:
    answers = sandbox(
        dependencies={"storage": False, "database": False},
        storage={"type": "s3", "metadataBucket": "lab", "region": "us-east-1", "endpoint": "http://minio.lab:9000",
                 "auth": "accesskey", "credentialsSecret": "lab-storage"},
        database={"host": "pg.lab.internal", "port": 6432, "passwordSecret": {"name": "db", "key": "pass"}},
    )
    [flyte] = plan_releases(plan_of(answers))
    admin = flyte.values["db"]["admin"]["database"]
    assert (admin["host"], admin["port"], admin["passwordPath"]) == ("pg.lab.internal", 6432, "/etc/db/pass")
    assert flyte.values["storage"]["s3"]["endpoint"] == "http://minio.lab:9000"


def test_flyte_values_are_wired_to_the_bundled_minio_and_postgres() -> None:
    plan = plan_of(sandbox(target__namespace="lab"))
    flyte = flyte_release(plan_releases(plan)).values
    env = flyte["configmap"]["k8s"]["plugins"]["k8s"]["default-env-vars"]
    assert env == [
        {"FLYTE_AWS_ENDPOINT": "http://minio.lab.svc.cluster.local:9000"},
        {"FLYTE_AWS_ACCESS_KEY_ID": "minio"},
        {"FLYTE_AWS_SECRET_ACCESS_KEY": "miniostorage"},
    ]
    # storage.type sandbox and bucket my-s3-bucket, host postgres:5432 user postgres are flyte-core's defaults
    assert "storage" not in flyte and "db" not in flyte
    # the bundled PostgreSQL trusts the cluster: no password, so no Secret and no passwordPath
    assert "common" not in flyte or "databaseSecret" not in flyte["common"]


def test_a_password_secret_named_for_the_bundled_postgres_is_mounted() -> None:
    plan = plan_of(sandbox(database__passwordSecret={"name": "flyte-db", "key": "pass.txt"}))
    flyte = flyte_release(plan_releases(plan)).values
    assert flyte["common"]["databaseSecret"]["name"] == "flyte-db"
    for component in ("admin", "datacatalog"):
        block = flyte["db"][component]["database"]
        assert (block["host"], block["port"], block["username"]) == ("postgres", 5432, "postgres")
        assert block["passwordPath"] == "/etc/db/pass.txt" and "password" not in block


def test_the_dependency_values_file_sits_beside_flytes(tmp_path: Path) -> None:
    values = tmp_path / "flyte-values.yaml"
    written = write_release_files(plan_of(sandbox()), values)
    assert [w.path for _r, w in written] == [tmp_path / "flyte-values-deps.yaml", values]
    assert load_plain((tmp_path / "flyte-values-deps.yaml").read_text())["webhook"] == {"enabled": False}
    assert "configmap" in load_plain(values.read_text())


def test_owned_keys_and_import_round_trip() -> None:
    plan = plan_of(sandbox(dependencies__storage=False, storage__metadataBucket="lab", database__adminDatabase="adm"))
    deps, _ = plan_releases(plan)
    for path in (("minio", "enabled"), ("postgres", "dbname"), ("webhook", "enabled")):
        assert FLYTE_DEPS.is_owned(path)
    assert not FLYTE_DEPS.is_owned(("postgres", "image", "tag"))
    back = FLYTE_DEPS.import_values(deps.values, environment="sandbox").answers
    assert back == {
        "dependencies": {"storage": False, "database": True},
        "environment": "sandbox",
        "database": {"adminDatabase": "adm"},
    }


def test_render_writes_both_files_and_prints_both_commands_in_install_order(tmp_path: Path) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(sandbox()))
    proc = run("render", str(answers))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"wrote {tmp_path / 'flyte-values-deps.yaml'}" in lines
    assert f"wrote {tmp_path / 'flyte-values.yaml'}" in lines
    commands = [line for line in lines if line.startswith("helm upgrade --install")]
    assert len(commands) == 2
    assert commands[0].startswith("helm upgrade --install flyte-deps flyte-deps --repo https://flyteorg.github.io/flyte")
    assert "--version v1.16.8" in commands[0] and str(tmp_path / "flyte-values-deps.yaml") in commands[0]
    assert commands[1].startswith("helm upgrade --install flyte flyte-core")
