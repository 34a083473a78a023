"""Validators for names the cluster and the clouds accept: DNS labels, buckets, ARNs, service accounts."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN_PART = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_HOSTNAME_PART = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$")
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
_PLACEHOLDER = re.compile(r"<[A-Za-z0-9_ .-]+>")
_ROLE_ARN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_CERT_ARN = re.compile(r"^arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
_GSA = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$")
_GCP_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")


def find_placeholder(text: str) -> str | None:
    """Return a ``<PLACEHOLDER>`` left over from an example file, if ``text`` holds one."""
    match = _PLACEHOLDER.search(text)
    return match.group(0) if match else None


def check_dns_label(value: str, max_len: int = 63) -> str:
    """A DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric."""
    if not value:
        raise ValueError("must not be empty; use lower-case letters, digits and '-' (a DNS-1123 label)")
    if len(value) > max_len:
        raise ValueError(f"{value!r} is {len(value)} characters; at most {max_len} are accepted")
    if not _DNS_LABEL.match(value):
        raise ValueError(
            f"{value!r} is not a DNS-1123 label: use lower-case letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return value


def check_dns_subdomain(value: str) -> str:
    """A DNS-1123 subdomain (Secret names and the like): dot-separated labels, at most 253 characters."""
    if not value or len(value) > 253 or not all(_DNS_SUBDOMAIN_PART.match(p) for p in value.split(".")):
        raise ValueError(
            f"{value!r} is not a valid Kubernetes object name: lower-case letters, digits, '-' and '.', "
            "at most 253 characters"
        )
    return value


def check_hostname(value: str) -> str:
    """A DNS host name or an IP address."""
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    parts = value.rstrip(".").split(".")
    if not value or len(value) > 253 or not all(p and len(p) <= 63 and _HOSTNAME_PART.match(p) for p in parts):
        raise ValueError(f"{value!r} is not a host name or IP address (letters, digits, '-' and '.')")
    return value


def check_secret_key(value: str) -> str:
    """A key inside a Secret's data: letters, digits, '-', '_' and '.'."""
    if not _SECRET_KEY.match(value) or len(value) > 253:
        raise ValueError(f"{value!r} is not a valid Secret key: use letters, digits, '-', '_' and '.'")
    return value


def check_s3_bucket(value: str) -> str:
    """S3 bucket naming rules (general-purpose buckets)."""
    problem = None
    if not 3 <= len(value) <= 63:
        problem = "must be 3 to 63 characters long"
    elif not re.match(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$", value):
        problem = "may hold only lower-case letters, digits, '.' and '-', and must start and end with a letter or digit"
    elif ".." in value or ".-" in value or "-." in value:
        problem = "must not contain '..', '.-' or '-.'"
    elif re.match(r"^\d+\.\d+\.\d+\.\d+$", value):
        problem = "must not look like an IP address"
    elif value.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or value.endswith(("-s3alias", "--ol-s3", "--x-s3")):
        problem = "uses a prefix or suffix that S3 reserves (xn--, sthree-, -s3alias, --ol-s3, --x-s3)"
    if problem:
        raise ValueError(f"{value!r} is not a valid S3 bucket name: it {problem}")
    return value


def check_gcs_bucket(value: str) -> str:
    """Google Cloud Storage bucket naming rules."""
    problem = None
    limit = 222 if "." in value else 63
    if not 3 <= len(value) <= limit:
        problem = f"must be 3 to {limit} characters long"
    elif not re.match(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$", value):
        problem = (
            "may hold only lower-case letters, digits, '-', '_' and '.', and must start and end with a letter or digit"
        )
    elif any(len(part) > 63 for part in value.split(".")):
        problem = "has a dot-separated part longer than 63 characters"
    elif value.startswith("goog") or "google" in value or "g00gle" in value:
        problem = "must not start with 'goog' or contain 'google'"
    elif re.match(r"^\d+\.\d+\.\d+\.\d+$", value):
        problem = "must not look like an IP address"
    if problem:
        raise ValueError(f"{value!r} is not a valid GCS bucket name: it {problem}")
    return value


def check_role_arn(value: str) -> str:
    """An IAM role ARN, e.g. arn:aws:iam::123456789012:role/flyte-system."""
    if value and not _ROLE_ARN.match(value):
        raise ValueError(f"{value!r} is not an IAM role ARN like arn:aws:iam::123456789012:role/flyte-system")
    return value


def check_certificate_arn(value: str) -> str:
    """An ACM certificate ARN."""
    if value and not _CERT_ARN.match(value):
        raise ValueError(
            f"{value!r} is not an ACM certificate ARN like arn:aws:acm:us-east-2:123456789012:certificate/<id>"
        )
    return value


def check_gsa(value: str) -> str:
    """A Google service account e-mail, e.g. flyte@my-project.iam.gserviceaccount.com."""
    if value and not _GSA.match(value):
        raise ValueError(
            f"{value!r} is not a Google service account e-mail like flyte-admin@my-project.iam.gserviceaccount.com"
        )
    return value


def check_gcp_project(value: str) -> str:
    """A Google Cloud project id: 6 to 30 lower-case letters, digits and '-'."""
    if value and not _GCP_PROJECT.match(value):
        raise ValueError(f"{value!r} is not a GCP project id (6-30 lower-case letters, digits and '-')")
    return value


def check_aws_region(value: str) -> str:
    """An AWS region name such as us-east-2."""
    if value and not _AWS_REGION.match(value):
        raise ValueError(f"{value!r} is not an AWS region name like us-east-2 or eu-west-1")
    return value


DnsLabel = Annotated[str, AfterValidator(check_dns_label)]
ObjectName = Annotated[str, AfterValidator(check_dns_subdomain)]
SecretKey = Annotated[str, AfterValidator(check_secret_key)]
RoleArn = Annotated[str, AfterValidator(check_role_arn)]
CertificateArn = Annotated[str, AfterValidator(check_certificate_arn)]
GoogleServiceAccount = Annotated[str, AfterValidator(check_gsa)]
GcpProject = Annotated[str, AfterValidator(check_gcp_project)]
AwsRegion = Annotated[str, AfterValidator(check_aws_region)]
