"""Cross-field rules (FLYTE-CHART §8 and friends): a passing and a failing case for each."""

from __future__ import annotations

from typing import Any

import pytest

from flyte_tui.model import validate_answers
from tests.conftest import set_path

# (id, environment, changes making it INVALID, path of the expected error, words in the message)
RULES: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("gcs-needs-projectId", "gke", {"storage.projectId": ""}, "storage.projectId", "required for storage type gcs"),
    ("s3-needs-region", "eks", {"storage.region": ""}, "storage.region", "required for storage type s3"),
    ("s3-needs-bucket", "eks", {"storage.metadataBucket": ""}, "storage.metadataBucket", "required"),
    (
        "accesskey-needs-secret",
        "generic",
        {"storage.credentialsSecret": ""},
        "storage.credentialsSecret",
        "required with auth accesskey",
    ),
    (
        "custom-needs-block",
        "generic",
        {
            "storage.type": "custom",
            "storage.auth": "iam",
            "storage.region": "",
            "storage.endpoint": "",
            "storage.credentialsSecret": "",
        },
        "storage.custom",
        "required for storage type custom",
    ),
    (
        "gcs-on-eks",
        "eks",
        {"storage.type": "gcs", "storage.projectId": "acme-prod-123", "storage.region": ""},
        "storage.type",
        "does not fit environment eks",
    ),
    ("eks-needs-irsa", "eks", {"identity.awsRoleArn": ""}, "identity.awsRoleArn", "IRSA"),
    ("gke-needs-gsa", "gke", {"identity.gcpServiceAccount": ""}, "identity.gcpServiceAccount", "Workload Identity"),
    (
        "irsa-only-eks",
        "generic",
        {"identity.awsRoleArn": "arn:aws:iam::123456789012:role/x"},
        "identity.awsRoleArn",
        "eks only",
    ),
    ("nginx-grpc-needs-tls", "generic", {"ingress.tls.enabled": False}, "ingress.tls.enabled", "needs TLS"),
    (
        "nginx-needs-separate-grpc",
        "generic",
        {"ingress.separateGrpc": False},
        "ingress.separateGrpc",
        "separate gRPC ingress",
    ),
    (
        "alb-tls-needs-cert-arn",
        "eks",
        {"ingress.tls.certificateArn": ""},
        "ingress.tls.certificateArn",
        "ACM certificate ARN",
    ),
    (
        "alb-not-on-gke",
        "gke",
        {
            "ingress.controller": "alb",
            "ingress.tls.secretName": "",
            "ingress.tls.certificateArn": "arn:aws:acm:us-east-2:123456789012:certificate/abc",
        },
        "ingress.controller",
        "does not exist on gke",
    ),
    ("tls-needs-host", "generic", {"ingress.host": ""}, "ingress.host", "required when TLS is enabled"),
    (
        "enabled-ingress-needs-controller",
        "generic",
        {"ingress.controller": "none"},
        "ingress.controller",
        "choose a controller",
    ),
    (
        "requests-above-limits",
        "eks",
        {"resources.components.flytepropeller.requests.cpu": "2"},
        "resources.components.flytepropeller.requests.cpu",
        "above the limit",
    ),
    (
        "request-above-chart-default-limit",
        "generic",
        {"resources.components.flyteadmin": {"requests": {"cpu": "1"}}},
        "resources.components.flyteadmin.requests.cpu",
        "chart's default limit 250m",
    ),
    (
        "task-requests-above-limits",
        "eks",
        {"resources.taskDefaults.requests.memory": "8Gi"},
        "resources.taskDefaults.requests.memory",
        "above the limit",
    ),
    (
        "quota-below-task-defaults",
        "eks",
        {"projects.quotas.production.cpu": "1"},
        "projects.quotas.production.cpu",
        "below the task default limit",
    ),
    (
        "domain-without-quota",
        "generic",
        {"projects.domains": ["development", "staging", "production", "qa"]},
        "projects.quotas.qa",
        "no quota entry",
    ),
    (
        "quota-for-unknown-domain",
        "generic",
        {"projects.quotas.qa": {"cpu": "8", "memory": "16Gi"}},
        "projects.quotas.qa",
        "not in projects.domains",
    ),
    (
        "duplicate-domain",
        "generic",
        {"projects.domains": ["development", "development"]},
        "projects.domains.1",
        "listed twice",
    ),
    (
        "unknown-component",
        "generic",
        {"resources.components.flyteproxy": {"replicas": 1}},
        "resources.components",
        "unknown component",
    ),
    (
        "chart-needs-exactly-one-source",
        "eks",
        {"target.chart.path": "./flyte-core"},
        "target.chart",
        "exactly one of repo, path or oci",
    ),
    (
        "no-createClusterRole",
        "eks",
        {"extraValues.flyteadmin.serviceAccount.createClusterRole": False},
        "extraValues.flyteadmin.serviceAccount.createClusterRole",
        "must not be set",
    ),
    (
        "rbacScope-values",
        "eks",
        {"extraValues.flyteadmin.serviceAccount.rbacScope": "global"},
        "extraValues.flyteadmin.serviceAccount.rbacScope",
        "cluster or namespace",
    ),
    ("placeholder-left", "eks", {"database.host": "<RDS_HOST>"}, "database.host", "placeholder"),
    (
        "placeholder-in-extra-values",
        "eks",
        {"extraValues.userSettings.bucketName": "<BUCKET_NAME>"},
        "extraValues.userSettings.bucketName",
        "placeholder",
    ),
    (
        "task-role-only-eks",
        "gke",
        {"projects.taskRoleArn": "arn:aws:iam::123456789012:role/x"},
        "projects.taskRoleArn",
        "eks only",
    ),
]


@pytest.mark.parametrize(("env", "changes", "path", "words"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rule_passes_on_realistic_answers_and_fails_when_broken(realistic, env, changes, path, words) -> None:
    answers = realistic[env]
    before = validate_answers(answers)
    assert before.ok, [str(p) for p in before.errors]
    for dotted, value in changes.items():
        set_path(answers, dotted, value)
    after = validate_answers(answers)
    matching = [p for p in after.errors if p.path == path]
    assert matching, f"expected an error at {path}; got {[str(p) for p in after.problems]}"
    assert any(words in p.message for p in matching), [p.message for p in matching]


def test_every_realistic_answers_file_is_valid(realistic) -> None:
    for env, answers in realistic.items():
        result = validate_answers(answers)
        assert result.ok, (env, [str(p) for p in result.errors])


def test_presets_say_which_fields_they_filled(realistic) -> None:
    result = validate_answers(realistic["eks"])
    assert "ingress.controller" not in result.preset_filled  # the answers set it
    assert "database.sslMode" not in result.preset_filled
    assert "database.username" in result.preset_filled
    assert "resources.components.flyteadmin" in result.preset_filled or any(
        p.startswith("resources.components.flyteadmin") for p in result.preset_filled
    )


def test_answers_override_preset_and_shorter_domain_list_stays_valid(realistic) -> None:
    answers = realistic["generic"]
    set_path(answers, "projects.domains", ["development", "production"])
    result = validate_answers(answers)
    assert result.ok, [str(p) for p in result.errors]
    assert result.plan is not None
    assert set(result.plan.projects.quotas) == {"development", "production"}


def test_minio_storage_outside_sandbox_is_a_warning(realistic) -> None:
    answers = realistic["generic"]
    for dotted, value in {
        "storage.type": "sandbox",
        "storage.auth": "iam",
        "storage.credentialsSecret": "",
        "storage.endpoint": "",
        "storage.region": "",
    }.items():
        set_path(answers, dotted, value)
    result = validate_answers(answers)
    assert result.ok
    assert any(p.path == "storage.type" and "minio" in p.message for p in result.warnings)


@pytest.mark.parametrize("raw", [None, [], "text", 42, {"environment": None}, {"environment": "eks", "storage": []}])
def test_garbage_gives_problems_not_exceptions(raw) -> None:
    result = validate_answers(raw)
    assert not result.ok and result.errors
