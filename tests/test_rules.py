"""Cross-field rules (FLYTE-CHART §8 and friends): a passing and a failing case for each."""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

import pytest

from flyte_tui.charts import validate_answers
from tests.conftest import REALISTIC, set_path

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


# Rules the table above does not cover, each with its own valid case next to the invalid one: the valid
# answers are realistic[env] plus ``valid``; the invalid ones are realistic[env] plus ``invalid``.
class Pair(NamedTuple):
    """One rule: a valid and an invalid set of changes, where the problem lands and what it says."""

    name: str
    path: str
    words: str
    valid: tuple[str, dict[str, Any]]
    invalid: tuple[str, dict[str, Any]]
    severity: str = "error"


ALB_CERT = "arn:aws:acm:us-east-2:123456789012:certificate/abc-123"
GSA = "flyte-tasks@acme-prod-123.iam.gserviceaccount.com"
S3_ON_GKE = {"storage.type": "s3", "storage.projectId": "", "storage.region": "us-east-1"}
EMPTY_S3_FIELDS = {"storage.region": "", "storage.endpoint": "", "storage.auth": "iam", "storage.credentialsSecret": ""}
GCE_ON_GKE = {"ingress.controller": "gce", "ingress.tls.secretName": ""}

PAIRS: list[Pair] = [
    # storage
    Pair("s3-on-gke-needs-endpoint", "storage.type", "s3 storage on gke needs an endpoint",
         ("gke", {**S3_ON_GKE, "storage.endpoint": "https://storage.googleapis.com"}), ("gke", S3_ON_GKE)),
    Pair("s3-bucket-name", "storage.metadataBucket", "not a valid S3 bucket name",
         ("eks", {"storage.metadataBucket": "acme.flyte-meta"}), ("eks", {"storage.metadataBucket": "acme..meta"})),
    Pair("s3-user-data-bucket-name", "storage.userDataBucket", "not a valid S3 bucket name",
         ("eks", {"storage.userDataBucket": "acme-data"}), ("eks", {"storage.userDataBucket": "Acme_Data"})),
    Pair("gcs-bucket-name", "storage.metadataBucket", "not a valid GCS bucket name",
         ("gke", {"storage.metadataBucket": "acme_flyte.meta"}), ("gke", {"storage.metadataBucket": "goog-meta"})),
    Pair("sandbox-bucket-name", "storage.metadataBucket", "not a valid S3 bucket name",
         ("sandbox", {"storage.metadataBucket": "my-flyte-bucket", "dependencies.storage": False}),
         ("sandbox", {"storage.metadataBucket": "My_Bucket", "dependencies.storage": False})),
    Pair("sandbox-user-data-bucket-name", "storage.userDataBucket", "not a valid S3 bucket name",
         ("sandbox", {"storage.userDataBucket": "my-flyte-data", "dependencies.storage": False}),
         ("sandbox", {"storage.userDataBucket": "My_Data", "dependencies.storage": False})),
    Pair("endpoint-only-s3-with-region", "storage.endpoint", "only used with storage type s3, not gcs",
         ("generic", {"storage.endpoint": "https://s3.example.com", "storage.region": "us-east-1"}),
         ("gke", {"storage.endpoint": "https://s3.example.com", "storage.region": "us-east-1"}), "warning"),
    Pair("gcp-project-id-format", "storage.projectId", "not a GCP project id",
         ("gke", {"storage.projectId": "acme-prod-123"}), ("gke", {"storage.projectId": "Acme_Prod"})),
    Pair("accesskey-only-s3", "storage.auth", "accesskey applies to storage type s3 only",
         ("gke", {"storage.auth": "iam"}), ("gke", {"storage.auth": "accesskey"}), "warning"),
    Pair("custom-block-only-custom", "storage.custom", "only used with storage type custom",
         ("generic", {"storage.type": "custom", **EMPTY_S3_FIELDS, "storage.custom": {"type": "stow"}}),
         ("eks", {"storage.custom": {"type": "stow"}}), "warning"),
    Pair("region-only-s3", "storage.region", "only used with storage type s3, not gcs",
         ("eks", {"storage.region": "eu-west-1"}), ("gke", {"storage.region": "us-east-2"}), "warning"),
    Pair("endpoint-only-s3", "storage.endpoint", "only used with storage type s3, not gcs",
         ("generic", {"storage.endpoint": "https://s3.example.com"}),
         ("gke", {"storage.endpoint": "https://s3.example.com"}), "warning"),
    Pair("projectId-only-gcs", "storage.projectId", "only used with storage type gcs, not s3",
         ("gke", {"storage.projectId": "acme-prod-123"}), ("eks", {"storage.projectId": "acme-prod-123"}), "warning"),
    # database
    Pair("password-secret-outside-sandbox", "database.passwordSecret", "no password Secret",
         ("sandbox", {"database.passwordSecret": None}), ("eks", {"database.passwordSecret": None}), "warning"),
    Pair("postgres-host-only-sandbox", "database.host", "exists only with the sandbox charts",
         ("sandbox", {"database.host": "postgres"}), ("generic", {"database.host": "postgres"}), "warning"),
    Pair("managed-db-needs-ssl", "database.sslMode", "usually requires sslMode require",
         ("eks", {"database.sslMode": "verify-full"}), ("eks", {"database.sslMode": "disable"}), "warning"),
    # identity
    Pair("gsa-only-gke", "identity.gcpServiceAccount", "Workload Identity applies to environment gke only, not eks",
         ("gke", {"identity.gcpServiceAccount": GSA}), ("eks", {"identity.gcpServiceAccount": GSA})),
    # ingress
    Pair("alb-needs-separate-grpc", "ingress.separateGrpc", "alb needs a separate gRPC ingress",
         ("eks", {"ingress.separateGrpc": True}), ("eks", {"ingress.separateGrpc": False})),
    Pair("alb-takes-no-tls-secret", "ingress.tls.secretName", "not a Secret",
         ("eks", {"ingress.tls.secretName": ""}), ("eks", {"ingress.tls.secretName": "flyte-tls"})),
    Pair("certificateArn-only-alb", "ingress.tls.certificateArn", "only used with controller alb, not nginx",
         ("eks", {"ingress.tls.certificateArn": ALB_CERT}), ("gke", {"ingress.tls.certificateArn": ALB_CERT})),
    Pair("tls-secret-name-format", "ingress.tls.secretName", "not a valid Kubernetes object name",
         ("gke", {"ingress.tls.secretName": "flyte.tls-2"}), ("gke", {"ingress.tls.secretName": "Flyte_TLS"})),
    Pair("gce-not-on-eks", "ingress.controller", "gce ingress does not exist on eks",
         ("gke", GCE_ON_GKE), ("eks", {**GCE_ON_GKE, "ingress.tls.certificateArn": ""})),
    Pair("gce-grpc-needs-tls-in-flyteadmin", "ingress.controller", "gRPC through gce",
         ("gke", {"ingress.controller": "nginx"}), ("gke", GCE_ON_GKE), "warning"),
    # resources
    Pair("no-gpu-on-control-plane", "resources.components.flytepropeller.limits.gpu", "do not use GPUs",
         ("eks", {"resources.taskDefaults.limits.gpu": "2"}),
         ("eks", {"resources.components.flytepropeller.limits.gpu": "1"})),
    Pair("no-gpu-request-on-control-plane", "resources.components.flytepropeller.requests.gpu", "do not use GPUs",
         ("eks", {"resources.taskDefaults.requests.gpu": "1", "resources.taskDefaults.limits.gpu": "2"}),
         ("eks", {"resources.components.flytepropeller.requests.gpu": "1"})),
    # projects
    Pair("domains-not-empty", "projects.domains", "at least one domain is needed",
         ("generic", {"projects.domains": ["production"]}), ("generic", {"projects.domains": []})),
    Pair("namespace-fits-63-characters", "projects.domains.0", "<project>-development would exceed 63 characters",
         ("generic", {"projects.initialProjects": ["p" * 51]}),  # p…p-development: exactly 63
         ("generic", {"projects.initialProjects": ["flytesnacks", "p" * 52]})),
    Pair("task-gsa-only-gke", "projects.taskServiceAccount", "task Workload Identity applies to environment gke only",
         ("gke", {"projects.taskServiceAccount": GSA}), ("eks", {"projects.taskServiceAccount": GSA})),
    # an answer the install cannot do without is an error outside the sandbox (issue 11 item 1)
    Pair("eks-tasks-need-a-role", "projects.taskRoleArn", "task pods cannot reach the buckets",
         ("generic", {"projects.taskRoleArn": ""}), ("eks", {"projects.taskRoleArn": ""})),
    Pair("gke-tasks-need-a-gsa", "projects.taskServiceAccount", "task pods cannot reach the buckets",
         ("generic", {"projects.taskServiceAccount": ""}), ("gke", {"projects.taskServiceAccount": ""})),
    # extra values
    Pair("no-clusterRole", "extraValues.flyteadmin.serviceAccount.clusterRole", "must not be set",
         ("eks", {"extraValues.flyteadmin.serviceAccount.create": True}),
         ("eks", {"extraValues.flyteadmin.serviceAccount.clusterRole": {"apiGroups": []}})),
    Pair("webhook-rbacScope-values", "extraValues.webhook.serviceAccount.rbacScope", "cluster or namespace",
         ("eks", {"extraValues.webhook.serviceAccount.rbacScope": "namespace"}),
         ("eks", {"extraValues.webhook.serviceAccount.rbacScope": "global"})),
]  # fmt: skip


def _answers(realistic: dict[str, dict[str, Any]], case: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    env, changes = case
    answers = realistic[env]
    for dotted, value in changes.items():
        set_path(answers, dotted, value)
    return answers


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_rule_has_a_valid_and_an_invalid_case(realistic, pair: Pair) -> None:
    valid = validate_answers(_answers(realistic, pair.valid))
    assert valid.ok, [str(p) for p in valid.errors]
    assert not [p for p in valid.problems if p.path == pair.path and pair.words in p.message], [
        str(p) for p in valid.problems
    ]
    invalid = validate_answers(_answers(copy.deepcopy(REALISTIC), pair.invalid))
    matching = [p for p in invalid.problems if p.path == pair.path and pair.words in p.message]
    assert matching, f"expected {pair.words!r} at {pair.path}; got {[str(p) for p in invalid.problems]}"
    assert {p.severity for p in matching} == {pair.severity}
    assert invalid.ok == (pair.severity == "warning")


MERGED = [
    # (extraValues, path of the problem, phrase)
    ({"storage": {"type": "gcs"}}, "extraValues.storage.type", "needs a rawoutput-prefix starting with gs://"),
    (
        {"configmap": {"core": {"propeller": {"rawoutput-prefix": "gs://other/"}}}},
        "extraValues.configmap.core.propeller.rawoutput-prefix",
        "starting with s3://",
    ),
    (
        {"common": {"databaseSecret": {"name": ""}}},
        "extraValues.common.databaseSecret.name",
        "needs common.databaseSecret.name",
    ),
    ({"configmap": {"domain": {"domains": [{"id": "qa", "name": "qa"}]}}}, "extraValues.configmap.domain.domains",
     "differ"),
]


@pytest.mark.parametrize(("extra", "path", "phrase"), MERGED, ids=["type", "prefix", "secret-name", "domains"])
def test_extra_values_that_break_a_consistency_rule_are_reported(realistic, extra, path, phrase) -> None:
    """FLYTE-CHART.md §8 holds for the values as written, extraValues included."""
    answers = realistic["eks"]
    answers["extraValues"] = extra
    problems = validate_answers(answers).problems
    assert any(p.path == path and phrase in p.message for p in problems), [str(p) for p in problems]


def test_extra_values_that_keep_the_rules_are_fine(realistic) -> None:
    answers = realistic["eks"]
    answers["extraValues"] = {
        "configmap": {"core": {"propeller": {"rawoutput-prefix": "s3://another-bucket/raw/"}}},
        "flyteadmin": {"podLabels": {"team": "ml"}},
    }
    result = validate_answers(answers)
    assert result.ok and not [p for p in result.problems if p.path.startswith("extraValues")]


def test_another_storage_type_takes_nothing_from_the_presets_storage(realistic) -> None:
    """generic's preset is S3 with access keys: choosing gcs or custom must not bring back its region,
    auth or Secret as warnings the user never caused."""
    answers = realistic["generic"]
    answers["storage"] = {"type": "custom", "custom": {"type": "stow", "stow": {"kind": "azure"}}}
    result = validate_answers(answers)
    assert not [p for p in result.problems if p.path.startswith("storage.")], [str(p) for p in result.problems]
    assert result.plan is not None and result.plan.storage.region == "" and result.plan.storage.auth != "accesskey"


@pytest.mark.parametrize("component", ["flytescheduler", "webhook"])
def test_replicas_flyte_core_does_not_read_are_an_error_at_their_path(realistic, component: str) -> None:
    # flyte-core reads neither flytescheduler.replicaCount nor webhook.replicaCount: it runs exactly one.
    answers = realistic["eks"]
    set_path(answers, f"resources.components.{component}.replicas", 1)
    assert validate_answers(answers).ok
    set_path(answers, f"resources.components.{component}.replicas", 3)
    result = validate_answers(answers)
    path = f"resources.components.{component}.replicas"
    errors = [p for p in result.errors if p.path == path]
    assert errors and "exactly one" in errors[0].message, [str(p) for p in result.problems]
    if component == "webhook":
        assert "autoscaling" in errors[0].message
