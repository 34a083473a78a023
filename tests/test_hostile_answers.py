"""Answers that look valid to a loose check but that helm or Kubernetes would refuse, or read the wrong way
(issue 12 items 19-23, issue 11 items 1-4 and 12): each class with its examples, at the field's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.charts.flyte_core.render import render_values
from tests.conftest import FIXTURE_CHART, set_path


def _errors(answers: dict[str, Any], path: str) -> list[str]:
    return [p.message for p in validate_answers(answers).errors if p.path == path]


# -- item 19: a trailing newline or any control character ------------------------------------------------------

NAME_LIKE = {
    "target.namespace": "flyte",
    "target.release": "flyte",
    "target.context": "prod",
    "target.chart.name": "flyte-core",
    "target.chart.version": "v1.16.8",
    "target.chart.repo": "https://flyteorg.github.io/flyte",
    "storage.region": "us-east-2",
    "storage.metadataBucket": "acme-flyte-meta",
    "storage.userDataBucket": "acme-flyte-data",
    "database.host": "flyte.abc.us-east-2.rds.amazonaws.com",
    "database.username": "flyteadmin",
    "database.passwordSecret.name": "db-pass",
    "database.passwordSecret.key": "pass.txt",
    "identity.awsRoleArn": "arn:aws:iam::123456789012:role/flyte-system",
    "ingress.host": "flyte.acme.com",
    "ingress.tls.certificateArn": "arn:aws:acm:us-east-2:123456789012:certificate/abc-123",
    "projects.taskRoleArn": "arn:aws:iam::123456789012:role/flyte-tasks",
}


@pytest.mark.parametrize("path", sorted(NAME_LIKE))
@pytest.mark.parametrize("junk", ["\n", "\r\n", "\t", "\x00", "\u200b"], ids=["lf", "crlf", "tab", "nul", "zwsp"])
def test_a_control_character_is_refused_in_every_name_like_field(realistic, path: str, junk: str) -> None:
    good = set_path(realistic["eks"], path, NAME_LIKE[path])
    assert validate_answers(good).ok, [str(p) for p in validate_answers(good).errors]
    bad = set_path(realistic["eks"], path, NAME_LIKE[path] + junk)
    messages = _errors(bad, path)
    assert messages, f"{path} accepted {NAME_LIKE[path] + junk!r}"


def test_the_message_says_what_was_found_and_what_to_do(realistic) -> None:
    (message,) = _errors(set_path(realistic["eks"], "target.namespace", "flyte\n"), "target.namespace")
    assert "line break" in message and "one line" in message


def test_gcs_project_and_service_accounts_take_no_trailing_newline(realistic) -> None:
    gke = realistic["gke"]
    for path, value in (
        ("storage.projectId", "acme-prod-123"),
        ("identity.gcpServiceAccount", "flyte-admin@acme-prod-123.iam.gserviceaccount.com"),
        ("storage.metadataBucket", "acme-flyte-meta"),
        ("ingress.tls.secretName", "flyte-tls"),
    ):
        assert _errors(set_path(gke, path, value + "\n"), path), path
        set_path(gke, path, value)


# -- item 20: quantities with non-ASCII digits --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["٢", "２", "1٠0m", "٢Gi", "2e٣", "2\n"])
def test_quantities_take_ascii_digits_only(realistic, text: str) -> None:
    path = "resources.taskDefaults.limits.cpu"
    messages = _errors(set_path(realistic["eks"], path, text), path)
    assert messages and any("Kubernetes quantity" in m or "control" in m for m in messages), messages


# -- item 21 / issue 11 item 2: Ingress hosts as Kubernetes checks them ------------------------------------------


@pytest.mark.parametrize(
    ("host", "words"),
    [
        ("Flyte.ACME.com", "lower case"),
        ("Flyte.Acme.COM", "lower case"),
        ("flyte.acme.com.", "must not end with '.'"),
        ("10.0.0.1", "IP address"),
        ("::1", "IP address"),
        ("flyte_acme.com", "not a DNS name"),
        ("-flyte.acme.com", "not a DNS name"),
        ("a" * 64 + ".com", "at most 63"),
    ],
)
def test_ingress_host_is_a_lower_case_dns_name(realistic, host: str, words: str) -> None:
    messages = _errors(set_path(realistic["eks"], "ingress.host", host), "ingress.host")
    assert any(words in m for m in messages), messages


def test_a_good_ingress_host_is_rendered(realistic) -> None:
    result = validate_answers(set_path(realistic["eks"], "ingress.host", "flyte-1.acme.example.com"))
    assert result.ok and result.plan is not None
    assert render_values(result.plan)["common"]["ingress"]["host"] == "flyte-1.acme.example.com"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("target.namespace", "Flyte"),
        ("target.release", "Flyte"),
        ("database.passwordSecret.name", "DB-Pass"),
        ("ingress.tls.secretName", "Flyte-TLS"),
        ("projects.domains", ["Development"]),
        ("projects.initialProjects", ["FlyteSnacks"]),
    ],
)
def test_object_names_are_lower_case(realistic, path: str, value: Any) -> None:
    answers = set_path(realistic["generic"], path, value)
    assert not validate_answers(answers).ok


# -- item 22: strict types where YAML is loose -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        ("database.port", True, "whole number from 1 to 65535, not true"),
        ("database.port", "5432", "write it without quotes"),
        ("database.port", 5432.5, "whole number"),
        ("resources.components.flyteadmin.replicas", True, "whole number from 0 to 100, not true"),
        ("resources.components.flyteadmin.replicas", "2", "whole number"),
        ("ingress.enabled", "yes", "true or false"),
        ("ingress.tls.enabled", 1, "true or false"),
        ("resources.taskDefaults.limits.cpu", True, "must be text"),
        ("target.chart.version", 1.16, "must be text"),
    ],
)
def test_strict_types_with_messages_in_our_words(realistic, path: str, value: Any, words: str) -> None:
    messages = _errors(set_path(realistic["eks"], path, value), path)
    assert any(words in m for m in messages), messages
    assert not any("Input should" in m or "unable to parse" in m for m in messages), messages


def test_port_true_is_never_rendered_as_1(realistic) -> None:
    result = validate_answers(set_path(realistic["eks"], "database.port", True))
    assert result.plan is None and not result.ok


# -- item 23: nothing that reaches an argv value may be read as a flag -----------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("target.chart.name", "--post-renderer=./evil"),
        ("target.chart.version", "--post-renderer=./evil"),
        ("target.context", "--kubeconfig=/tmp/evil"),
        ("target.context", "-n"),
    ],
)
def test_an_answer_passed_to_helm_may_not_start_with_a_dash(realistic, path: str, value: str) -> None:
    messages = _errors(set_path(realistic["eks"], path, value), path)
    assert any("must not start with '-'" in m for m in messages), messages


def test_a_chart_path_starting_with_a_dash_is_refused_with_the_way_out(realistic) -> None:
    answers = set_path(realistic["eks"], "target.chart", {"path": "--post-renderer=./evil"})
    messages = _errors(answers, "target.chart.path")
    assert any("./--post-renderer=./evil" in m for m in messages), messages


# -- issue 11 item 1: outside the sandbox, an answer the install cannot do without is an error ----------------


@pytest.mark.parametrize("env", ["eks", "gke", "generic"])
def test_a_database_host_left_to_the_default_is_an_error_outside_the_sandbox(realistic, env: str) -> None:
    answers = realistic[env]
    del answers["database"]["host"]
    messages = _errors(answers, "database.host")
    assert any(f"required on {env}" in m for m in messages), messages
    assert validate_answers(realistic["sandbox"]).ok


def test_a_postgres_host_written_on_purpose_is_only_a_warning(realistic) -> None:
    result = validate_answers(set_path(realistic["generic"], "database.host", "postgres"))
    assert result.ok and any(p.path == "database.host" for p in result.warnings)


# -- issue 11 item 3: blank where an answer is required ------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "path"),
    [
        ("sandbox", "storage.metadataBucket"),
        ("eks", "storage.metadataBucket"),
        ("gke", "storage.metadataBucket"),
        ("eks", "target.chart.name"),
        ("eks", "target.namespace"),
        ("eks", "target.release"),
        ("eks", "database.host"),
        ("eks", "database.username"),
        ("eks", "database.passwordSecret.name"),
    ],
)
def test_a_blank_required_answer_is_an_error_naming_the_field(realistic, env: str, path: str) -> None:
    messages = _errors(set_path(realistic[env], path, ""), path)
    assert messages, f"{path} accepted ''"


def test_a_cleared_sandbox_bucket_is_not_silently_the_chart_default(realistic) -> None:
    messages = _errors(set_path(realistic["sandbox"], "storage.metadataBucket", ""), "storage.metadataBucket")
    assert any("required" in m for m in messages), messages


# -- issue 11 item 4: a chart that cannot be installed --------------------------------------------------------


@pytest.mark.parametrize("version", ["latest", "stable", "1.16.8.1", "v", "=>"])
def test_chart_version_is_what_helm_accepts(realistic, version: str) -> None:
    messages = _errors(set_path(realistic["eks"], "target.chart.version", version), "target.chart.version")
    assert any("not a chart version" in m and "v1.16.8" in m for m in messages), messages


@pytest.mark.parametrize(
    "version", ["v1.16.8", "1.16.8", "v1.16", "~1.16.0", ">=1.16.0 <1.17.0", "1.16.x", "^1.16", "0.0-1a2b3c", ""]
)
def test_chart_versions_and_ranges_helm_accepts_pass(realistic, version: str) -> None:
    assert validate_answers(set_path(realistic["eks"], "target.chart.version", version)).ok


def test_a_chart_path_must_exist(realistic, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-chart"
    answers = set_path(realistic["eks"], "target.chart", {"path": str(missing)})
    messages = _errors(answers, "target.chart.path")
    assert any("does not exist" in m for m in messages), messages
    (tmp_path / "empty").mkdir()
    answers = set_path(realistic["eks"], "target.chart", {"path": str(tmp_path / "empty")})
    assert any("without Chart.yaml" in m for m in _errors(answers, "target.chart.path"))
    answers = set_path(realistic["eks"], "target.chart", {"path": str(FIXTURE_CHART)})
    assert validate_answers(answers).ok


# -- issue 11 item 12: every message in our words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("database.port", 70000),
        ("database.port", "abc"),
        ("database.port", None),
        ("resources.components.flyteadmin.replicas", 101),
        ("resources.components.flyteadmin", "big"),
        ("projects.initialProjects", "flytesnacks"),
        ("projects.domains", {"a": 1}),
        ("storage", ["s3"]),
        ("storage.type", "azure"),
        ("database.sslMode", None),
        ("ingress.enabled", None),
        ("storage.custom", "x"),
        ("extraValues", [1]),
        ("database", "flyte.example.com"),
        ("environment", 5),
    ],
)
def test_no_message_is_raw_pydantic_text(realistic, path: str, value: Any) -> None:
    result = validate_answers(set_path(realistic["eks"], path, value))
    assert result.errors
    for problem in result.problems:
        for raw in ("Input should", "unable to parse", "Field required", "valid dictionary", "instance of"):
            assert raw not in problem.message, str(problem)


def test_a_missing_answer_says_what_it_is(realistic) -> None:
    answers = realistic["eks"]
    del answers["environment"]
    (problem,) = [p for p in validate_answers(answers).errors if p.path == "environment"]
    assert problem.message.startswith("required: sandbox, eks, gke or generic")


def test_helm_argv_never_reads_a_value_as_a_flag(realistic) -> None:
    """Validation refuses such answers; the argv builders hold even for a plan that skipped it."""
    from flyte_tui.model.plan import InstallPlan
    from flyte_tui.tools.helm import Helm, template_argv, upgrade_install_argv

    plan = InstallPlan.model_validate(realistic["eks"])
    target = plan.target
    chart = target.chart.model_copy(update={"version": "--post-renderer=./evil"})
    hostile_target = target.model_copy(update={"chart": chart, "context": "--kubeconfig=x"})
    hostile = plan.model_copy(update={"target": hostile_target})
    argv = upgrade_install_argv(plan_releases(hostile)[0], "values.yaml")
    assert "--version=--post-renderer=./evil" in argv and "--kube-context=--kubeconfig=x" in argv
    assert "--post-renderer=./evil" not in argv and "--kubeconfig=x" not in argv
    by_path = plan.model_copy(
        update={"target": target.model_copy(update={"chart": chart.model_copy(update={"path": "-chart", "repo": ""})})}
    )
    assert template_argv(plan_releases(by_path)[0], "v.yaml")[3] == "./-chart"
    bad_release = plan.model_copy(update={"target": target.model_copy(update={"release": "--debug"})})
    with pytest.raises(ValueError, match="read by helm as an option"):
        upgrade_install_argv(plan_releases(bad_release)[0], "v.yaml")
    assert Helm(namespace="-n", context="--x").argv("status", "flyte")[-2:] == ["--namespace=-n", "--kube-context=--x"]


def test_kubectl_passes_context_and_namespace_as_one_argument_each() -> None:
    # `--context -n` would read "-n" as kubectl's namespace flag; `--context=-n` cannot be misread.
    from flyte_tui.tools.kubectl import Kubectl

    argv = Kubectl(binary="kubectl", context="-n", namespace="--all-namespaces").argv("get", "pods")
    assert argv == ["kubectl", "--context=-n", "--namespace=--all-namespaces", "get", "pods"]
    assert Kubectl(context="-n", namespace="x").argv("get", "nodes", namespaced=False) == [
        "kubectl",
        "--context=-n",
        "get",
        "nodes",
    ]
