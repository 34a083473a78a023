"""Validators for names the cluster and the clouds accept: DNS labels, buckets, ARNs, service accounts."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import AfterValidator

from flyte_tui.redact import MASK

# Every pattern is used with ``fullmatch`` and ASCII classes only: Python's ``$`` matches before a trailing
# newline and ``\d`` / ``\w`` match any Unicode digit or letter, which Kubernetes and the clouds do not accept.
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_HOSTNAME_PART = re.compile(_DNS_LABEL.pattern, re.ASCII | re.IGNORECASE)
"""A DNS label in either case (ASCII letters only: ``re.ASCII`` keeps the Kelvin sign from matching ``k``)."""
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_PLACEHOLDER = re.compile(r"<[A-Za-z0-9_ .-]+>")
_ROLE_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}")
_CERT_ARN = re.compile(r"arn:aws(-[a-z]+)*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+")
_GCP_ID = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
"""A GCP project id, and a service account's id: 6-30 lower-case letters, digits and '-', a letter first."""
_GSA = re.compile(rf"{_GCP_ID}@{_GCP_ID}\.iam\.gserviceaccount\.com")
_GCP_PROJECT = re.compile(_GCP_ID)
_AWS_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]")
_IPV4_LIKE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_S3_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]*[a-z0-9]")
_GCS_BUCKET = re.compile(r"[a-z0-9][a-z0-9._-]*[a-z0-9]")

_URL_USERINFO = re.compile(r"(?<=://)[^/?#@\s]+(?=@)")
"""The user name and password of a URL (``https://USER:PW@host``), found in time linear in the text's length."""
SHOWN_LENGTH = 80
"""The most characters of a value a message quotes."""

BINARY_CHART = "flyte-binary"
"""The name of Flyte's single-binary chart (the second chart flyte-tui installs)."""


def find_placeholder(text: str) -> str | None:
    """Return a ``<PLACEHOLDER>`` left over from an example file, if ``text`` holds one."""
    match = _PLACEHOLDER.search(text)
    return match.group(0) if match else None


def without_userinfo(text: str) -> str:
    """``text`` with the user name and password of every URL in it masked, in time linear in its length."""
    return _URL_USERINFO.sub(MASK, text) if "@" in text else text


def shown(value: str, limit: int = SHOWN_LENGTH) -> str:
    """``value`` quoted as a message may show it: a URL's user name and password masked, and cut after ``limit``
    characters (a value of megabytes is not repeated back whole)."""
    text = without_userinfo(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def check_printable(value: str) -> str:
    """No control or invisible characters (a newline from a YAML block scalar, a tab, a zero-width space): they
    cannot be seen in the answers file and reach helm, kubectl and the cluster as they are."""
    bad = next((c for c in value if not c.isprintable()), None)
    if bad is not None:
        what = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}.get(bad, "an invisible character")
        raise ValueError(
            f"must not contain control or invisible characters: found {what} (U+{ord(bad):04X}) at position "
            f"{value.index(bad) + 1}; write the value on one line"
        )
    return value


def check_argument(value: str) -> str:
    """A value that helm or kubectl receive as a command-line argument: it must not start with '-', or it would
    be read as a flag (``--post-renderer=…``, ``--kubeconfig=…``)."""
    if value.startswith("-"):
        raise ValueError(f"{shown(value)} must not start with '-': helm would read it as an option, not a value")
    return value


_VERSION_CORE = (
    r"v?(?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*])){0,2}"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
_CONSTRAINT = re.compile(rf"(?:!=|>=|=>|<=|=<|~>|[=<>~^])?\s*{_VERSION_CORE}")
_HYPHEN_RANGE = re.compile(rf"{_VERSION_CORE} - {_VERSION_CORE}")


def check_chart_version(value: str) -> str:
    """A chart version helm's ``--version`` accepts: a SemVer (``v1.16.8``, ``1.16.8``) or a SemVer range
    (``~1.16.0``, ``>=1.16.0 <1.17.0``, ``1.16.x``); empty means the newest. ``latest`` is not one."""
    if not value:
        return value
    check_printable(value)
    check_argument(value)
    groups = [g.strip() for g in value.split("||")]
    ok = all(g and _constraint_group(g) for g in groups)
    if not ok:
        raise ValueError(
            f"{shown(value)} is not a chart version: write a version such as v1.16.8 or 1.16.8 (or a range such as "
            "~1.16.0); leave it empty for the newest"
        )
    return value


def _constraint_group(group: str) -> bool:
    if _HYPHEN_RANGE.fullmatch(group):
        return True
    terms = [t for t in re.split(r"\s*,\s*|\s+(?=[^\s])", _join_operators(group)) if t]
    return bool(terms) and all(_CONSTRAINT.fullmatch(t) for t in terms)


def _join_operators(group: str) -> str:
    """``>= 1.2`` as ``>=1.2``, so spaces separate terms only."""
    return re.sub(r"(!=|>=|=>|<=|=<|~>|[=<>~^])\s+", r"\1", group)


def check_dns_label(value: str, max_len: int = 63) -> str:
    """A DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric."""
    if not value:
        raise ValueError("must not be empty; use lower-case letters, digits and '-' (a DNS-1123 label)")
    if len(value) > max_len:
        raise ValueError(f"{shown(value)} is {len(value)} characters; at most {max_len} are accepted")
    if not _DNS_LABEL.fullmatch(value):
        raise ValueError(
            f"{shown(value)} is not a DNS-1123 label: use lower-case letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return value


def check_dns_subdomain(value: str) -> str:
    """A DNS-1123 subdomain (Secret names and the like): dot-separated labels, at most 253 characters."""
    if not value or len(value) > 253 or not all(_DNS_LABEL.fullmatch(p) for p in value.split(".")):
        raise ValueError(
            f"{shown(value)} is not a valid Kubernetes object name: lower-case letters, digits, '-' and '.', "
            "at most 253 characters"
        )
    return value


def check_hostname(value: str) -> str:
    """A DNS host name or an IP address."""
    if "@" in value or "://" in value:
        raise ValueError(
            "must be a host name or IP address only (e.g. flyte.abc.us-east-2.rds.amazonaws.com), not a URL or "
            "connection string: the password goes in database.passwordSecret"
        )
    try:
        ipaddress.ip_address(value)
        return value
    except ValueError:
        pass
    parts = value.rstrip(".").split(".")
    if not value or len(value) > 253 or not all(p and len(p) <= 63 and _HOSTNAME_PART.fullmatch(p) for p in parts):
        raise ValueError(f"{shown(value)} is not a host name or IP address (letters, digits, '-' and '.')")
    return value


def check_ingress_host(value: str) -> str:
    """An Ingress rule's host, as Kubernetes checks ``spec.rules[].host``: a lower-case DNS-1123 subdomain (each
    label at most 63 characters, as DNS allows), not an IP address and without a trailing dot."""
    if not value:
        return value
    if value.startswith(("http://", "https://")) or "/" in value:
        raise ValueError(f"{shown(value)} must be a host name only, without scheme or path (e.g. flyte.example.com)")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        raise ValueError(
            f"{shown(value)} is an IP address; an Ingress host must be a DNS name such as flyte.example.com"
        )
    problem = ""
    if value.endswith("."):
        problem = "must not end with '.'"
    elif value != value.lower():
        problem = "must be lower case (Kubernetes refuses upper-case Ingress hosts)"
    elif len(value) > 253:
        problem = f"is {len(value)} characters; at most 253 are accepted"
    elif not all(len(p) <= 63 and _DNS_LABEL.fullmatch(p) for p in value.split(".")):
        problem = (
            "is not a DNS name: dot-separated labels of lower-case letters, digits and '-' (at most 63 each), "
            "each starting and ending with a letter or digit"
        )
    if problem:
        raise ValueError(f"{shown(value)} {problem}")
    return value


def check_secret_key(value: str) -> str:
    """A key inside a Secret's data: letters, digits, '-', '_' and '.'."""
    if not _SECRET_KEY.fullmatch(value) or len(value) > 253:
        raise ValueError(f"{shown(value)} is not a valid Secret key: use letters, digits, '-', '_' and '.'")
    return value


def check_s3_bucket(value: str) -> str:
    """S3 bucket naming rules (general-purpose buckets)."""
    problem = None
    if not 3 <= len(value) <= 63:
        problem = "must be 3 to 63 characters long"
    elif not _S3_BUCKET.fullmatch(value):
        problem = "may hold only lower-case letters, digits, '.' and '-', and must start and end with a letter or digit"
    elif ".." in value or ".-" in value or "-." in value:
        problem = "must not contain '..', '.-' or '-.'"
    elif _IPV4_LIKE.fullmatch(value):
        problem = "must not look like an IP address"
    elif value.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or value.endswith(("-s3alias", "--ol-s3", "--x-s3")):
        problem = "uses a prefix or suffix that S3 reserves (xn--, sthree-, -s3alias, --ol-s3, --x-s3)"
    if problem:
        raise ValueError(f"{shown(value)} is not a valid S3 bucket name: it {problem}")
    return value


def check_gcs_bucket(value: str) -> str:
    """Google Cloud Storage bucket naming rules."""
    problem = None
    limit = 222 if "." in value else 63
    if not 3 <= len(value) <= limit:
        problem = f"must be 3 to {limit} characters long"
    elif not _GCS_BUCKET.fullmatch(value):
        problem = (
            "may hold only lower-case letters, digits, '-', '_' and '.', and must start and end with a letter or digit"
        )
    elif any(len(part) > 63 for part in value.split(".")):
        problem = "has a dot-separated part longer than 63 characters"
    elif value.startswith("goog") or "google" in value or "g00gle" in value:
        problem = "must not start with 'goog' or contain 'google'"
    elif _IPV4_LIKE.fullmatch(value):
        problem = "must not look like an IP address"
    if problem:
        raise ValueError(f"{shown(value)} is not a valid GCS bucket name: it {problem}")
    return value


def _matching(value: str, pattern: re.Pattern[str], what: str) -> str:
    """``value`` when it is empty or matches ``pattern``; otherwise ``ValueError`` saying it is not ``what``."""
    if value and not pattern.fullmatch(value):
        raise ValueError(f"{shown(value)} is not {what}")
    return value


def check_role_arn(value: str) -> str:
    """An IAM role ARN, e.g. arn:aws:iam::123456789012:role/flyte-system."""
    return _matching(value, _ROLE_ARN, "an IAM role ARN like arn:aws:iam::123456789012:role/flyte-system")


def check_certificate_arn(value: str) -> str:
    """An ACM certificate ARN."""
    return _matching(
        value, _CERT_ARN, "an ACM certificate ARN like arn:aws:acm:us-east-2:123456789012:certificate/<id>"
    )


def check_gsa(value: str) -> str:
    """A Google service account e-mail, e.g. flyte@my-project.iam.gserviceaccount.com."""
    return _matching(value, _GSA, "a Google service account e-mail like flyte-admin@my-project.iam.gserviceaccount.com")


def check_gcp_project(value: str) -> str:
    """A Google Cloud project id: 6 to 30 lower-case letters, digits and '-'."""
    return _matching(value, _GCP_PROJECT, "a GCP project id (6-30 lower-case letters, digits and '-')")


def check_aws_region(value: str) -> str:
    """An AWS region name such as us-east-2."""
    return _matching(value, _AWS_REGION, "an AWS region name like us-east-2 or eu-west-1")


DnsLabel = Annotated[str, AfterValidator(check_dns_label)]
ObjectName = Annotated[str, AfterValidator(check_dns_subdomain)]
SecretKey = Annotated[str, AfterValidator(check_secret_key)]
RoleArn = Annotated[str, AfterValidator(check_role_arn)]
CertificateArn = Annotated[str, AfterValidator(check_certificate_arn)]
GoogleServiceAccount = Annotated[str, AfterValidator(check_gsa)]
GcpProject = Annotated[str, AfterValidator(check_gcp_project)]
AwsRegion = Annotated[str, AfterValidator(check_aws_region)]
