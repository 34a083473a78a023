"""Field-level validation: quantities, names, buckets, ARNs, e-mails — each with a valid and an invalid case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flyte_tui.charts import validate_answers
from flyte_tui.model.names import check_gcs_bucket, check_s3_bucket
from flyte_tui.model.quantity import parse_quantity
from tests.conftest import set_path


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("250m", Decimal("0.25")),
        ("2", Decimal(2)),
        ("1.5Gi", Decimal(1.5 * 2**30)),
        ("512Mi", Decimal(512 * 2**20)),
        ("1k", Decimal(1000)),
        ("1e3", Decimal(1000)),
    ],
)
def test_quantities_parse_like_the_api_server(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["2GB", "1.5 Gi", "abc", "-1", "", "1Gib"])
def test_bad_quantities_are_refused_with_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="Kubernetes quantity"):
        parse_quantity(text)


def test_gb_suffix_gets_a_hint() -> None:
    with pytest.raises(ValueError, match="write Gi/Mi, not GB/MB"):
        parse_quantity("2GB")


def _problems(answers: dict, path: str) -> list[str]:
    return [p.message for p in validate_answers(answers).problems if p.path == path]


FIELD_CASES = [
    # (dotted path, good value, bad value, words the message must contain)
    ("target.namespace", "flyte-prod", "Flyte_Prod", "DNS-1123 label"),
    ("target.release", "flyte", "f" * 54, "at most 53"),
    ("target.release", "flyte-2", "flyte.core", "DNS-1123 label"),
    ("database.port", 5433, 70000, "out of range: accepted is a number from 1 to 65535"),
    ("database.host", "db.example.com", "db host!", "host name"),
    ("database.sslMode", "verify-full", "strict", "accepted"),
    ("database.passwordSecret.name", "db-pass", "DB_PASS", "object name"),
    ("database.passwordSecret.key", "pass.txt", "pass/txt", "Secret key"),
    ("identity.awsRoleArn", "arn:aws:iam::123456789012:role/flyte", "arn:aws:iam::1234:role/x", "IAM role ARN"),
    ("storage.region", "eu-west-1", "europe", "AWS region"),
    ("storage.endpoint", "https://minio.example.com", "minio.example.com", "endpoint URL"),
    ("ingress.host", "flyte.acme.com", "https://flyte.acme.com", "host name only"),
    (
        "ingress.tls.certificateArn",
        "arn:aws:acm:us-east-2:123456789012:certificate/abc-123",
        "arn:nope",
        "ACM certificate ARN",
    ),
    ("resources.taskDefaults.requests.cpu", "250m", "2GB", "Kubernetes quantity"),
    ("resources.components.flyteadmin.replicas", 3, -1, "accepted is a number from 0 to 100"),
    ("environment", "eks", "aws", "accepted"),
    ("target.chart.repo", "https://charts.example.com", "ftp://charts", "repository URL"),
]


@pytest.mark.parametrize(
    ("path", "good", "bad", "words"), FIELD_CASES, ids=[c[0] + ":" + str(c[2])[:20] for c in FIELD_CASES]
)
def test_field_rule_accepts_good_and_names_the_field_for_bad(realistic, path, good, bad, words) -> None:
    good_answers = set_path(realistic["eks"], path, good)
    assert not [p for p in validate_answers(good_answers).errors if p.path == path]
    bad_answers = set_path(realistic["eks"], path, bad)
    messages = [p.message for p in validate_answers(bad_answers).errors if p.path == path]
    assert messages, f"no error at {path}"
    assert any(words in m for m in messages), messages


def test_gsa_email(realistic) -> None:
    gke = realistic["gke"]
    assert validate_answers(gke).ok
    set_path(gke, "identity.gcpServiceAccount", "flyte@gmail.com")
    assert _problems(gke, "identity.gcpServiceAccount")


def test_unknown_key_names_what_is_accepted(realistic) -> None:
    answers = set_path(realistic["eks"], "storage.metadatBucket", "x")
    (message,) = _problems(answers, "storage.metadatBucket")
    assert "unknown field" in message and "metadataBucket" in message


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("acme-flyte-meta", True),
        ("my.bucket.01", True),
        ("ab", False),
        ("Acme-Bucket", False),
        ("bucket..x", False),
        ("192.168.5.4", False),
        ("xn--bucket", False),
        ("bucket-s3alias", False),
        ("-bucket", False),
    ],
)
def test_s3_bucket_rules(name: str, ok: bool) -> None:
    if ok:
        assert check_s3_bucket(name) == name
    else:
        with pytest.raises(ValueError, match="not a valid S3 bucket name"):
            check_s3_bucket(name)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("acme_flyte_meta", True),
        ("acme-flyte", True),
        ("goog-bucket", False),
        ("my-google-bucket", False),
        ("UPPER", False),
        ("a", False),
    ],
)
def test_gcs_bucket_rules(name: str, ok: bool) -> None:
    if ok:
        assert check_gcs_bucket(name) == name
    else:
        with pytest.raises(ValueError, match="not a valid GCS bucket name"):
            check_gcs_bucket(name)


def test_bucket_rules_apply_per_storage_type(realistic) -> None:
    eks = set_path(realistic["eks"], "storage.metadataBucket", "acme_flyte")  # underscores: GCS yes, S3 no
    assert _problems(eks, "storage.metadataBucket")
    gke = set_path(realistic["gke"], "storage.metadataBucket", "acme_flyte")
    assert not _problems(gke, "storage.metadataBucket")


def test_field_help_comes_from_docstrings() -> None:
    from flyte_tui.model.plan import Storage

    assert "Bucket for Flyte metadata" in (Storage.model_fields["metadata_bucket"].description or "")


def test_one_walker_gives_the_help_of_every_reference_row() -> None:
    """The README reference and the wizard's help read the same field walk (model/fields.py)."""
    from flyte_tui.model import fields
    from flyte_tui.model.reference import rows

    for key, _kind, text in rows():
        assert fields.description(key.replace("<key>", "flyteadmin")) == text.replace("\\|", "|"), key
    assert fields.accepted_keys(("database", "passwordSecret")) == ["name", "key"]
    assert fields.accepted_keys(("resources", "components", "flyteadmin")) == []
