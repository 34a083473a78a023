"""Checks that span several fields of the answers file (FLYTE-CHART §8 consistency rules and friends).

Each rule returns :class:`Problem` objects naming the field path (camelCase, as in the YAML file) and
what is accepted. Errors block rendering; warnings are shown but do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from flyte_tui.model.clusters import check_data_planes, check_default_label
from flyte_tui.model.images import images_warnings
from flyte_tui.model.names import check_gcs_bucket, check_s3_bucket, find_placeholder
from flyte_tui.model.plan import InstallPlan, ResourceList
from flyte_tui.model.quantity import parse_quantity

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the answers: where (dotted field path), what, and how bad."""

    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def _err(path: str, message: str) -> Problem:
    return Problem(path, message, "error")


def _warn(path: str, message: str) -> Problem:
    return Problem(path, message, "warning")


DefaultLimits = Callable[[str], Mapping[str, str]]
"""The chart's default resource limits of a component, by its values key (``{"cpu": "250m", …}``)."""


def check_plan(plan: InstallPlan, default_limits: DefaultLimits | None = None) -> list[Problem]:
    """Every cross-field problem of a plan whose fields are individually valid (the chart's own checks of the
    values it renders are the chart profile's: :meth:`flyte_tui.charts.ChartProfile.check`)."""
    limits = default_limits or (lambda _key: {})
    problems: list[Problem] = []
    for rule in (_target, _storage, _database, _identity, _ingress):
        problems.extend(rule(plan))
    problems.extend(_resources(plan, limits))
    for rule in (_projects, _extra_values):
        problems.extend(rule(plan))
    from flyte_tui.model.auth_rules import check_auth  # it builds on Problem, defined here

    problems.extend(check_auth(plan))
    found = check_data_planes(plan.data_planes, plan.target.chart.name, plan.target.context)
    problems.extend(_err(path, message) for path, message in found)
    found = check_default_label(plan.data_planes, plan.default_execution_label)
    problems.extend(_err(path, message) for path, message in found)
    problems.extend(_warn(path, message) for path, message in images_warnings(plan))
    from flyte_tui.model.plugins import check_plugins  # as auth_rules

    problems.extend(check_plugins(plan))
    return problems


def _target(plan: InstallPlan) -> Iterator[Problem]:
    """A chart path must exist when the answers are checked (the one rule that reads the file system): helm
    would fail only after the namespace and Secrets were created."""
    path = plan.target.chart.path
    if not path:
        return
    where = Path(path).expanduser()
    if not where.exists():
        yield _err("target.chart.path", f"{path!r} does not exist: give a chart directory or a packaged .tgz")
    elif where.is_dir() and not (where / "Chart.yaml").is_file():
        yield _err("target.chart.path", f"{path!r} is a directory without Chart.yaml, so not a Helm chart")
    elif not where.is_dir() and not where.is_file():
        yield _err("target.chart.path", f"{path!r} is neither a chart directory nor a packaged chart file")


def _storage(plan: InstallPlan) -> Iterator[Problem]:
    s = plan.storage
    env = plan.environment
    if s.type in ("s3", "gcs", "sandbox") and not s.metadata_bucket:
        yield _err(
            "storage.metadataBucket",
            f"required for storage type {s.type}"
            + (
                ": the minio bucket for Flyte metadata (the sandbox charts create my-s3-bucket)"
                if s.type == "sandbox"
                else ""
            ),
        )
    if s.type in ("s3", "gcs"):
        check = check_s3_bucket if s.type == "s3" else check_gcs_bucket
        for field, bucket in (("metadataBucket", s.metadata_bucket), ("userDataBucket", s.user_data_bucket)):
            if bucket:
                try:
                    check(bucket)
                except ValueError as exc:
                    yield _err(f"storage.{field}", str(exc))
    elif s.type == "sandbox":
        for field, bucket in (("metadataBucket", s.metadata_bucket), ("userDataBucket", s.user_data_bucket)):
            if bucket:
                try:
                    check_s3_bucket(bucket)  # minio follows the S3 naming rules
                except ValueError as exc:
                    yield _err(f"storage.{field}", str(exc))
    if s.type == "s3" and not s.region:
        yield _err("storage.region", "required for storage type s3 (the buckets' AWS region, e.g. us-east-2)")
    if s.type == "gcs" and not s.project_id:
        yield _err("storage.projectId", "required for storage type gcs (the chart fails to render without it)")
    if s.type == "s3" and s.auth == "accesskey" and not s.credentials_secret:
        yield _err(
            "storage.credentialsSecret",
            "required with auth accesskey: name the Secret the installer creates for the keys "
            "(keys are never written to the answers or values file)",
        )
    if s.type != "s3" and s.auth == "accesskey":
        yield _warn("storage.auth", f"accesskey applies to storage type s3 only, not {s.type}; it is ignored")
    if s.type == "custom" and not s.custom:
        yield _err("storage.custom", "required for storage type custom: a flytestdlib storage block")
    if s.type != "custom" and s.custom:
        yield _warn("storage.custom", f"only used with storage type custom, not {s.type}; it is ignored")
    if s.type == "gcs" and env == "eks":
        yield _err("storage.type", "gcs storage does not fit environment eks; use s3 (or environment generic)")
    if s.type == "s3" and env == "gke" and not s.endpoint:
        yield _err("storage.type", "s3 storage on gke needs an endpoint; use gcs (or environment generic)")
    if s.type == "sandbox" and env != "sandbox":
        yield _warn(
            "storage.type",
            f"sandbox storage expects a minio service in the namespace, which a {env} cluster rarely has; "
            "use s3, gcs or custom",
        )
    if s.type != "s3":
        for field, value in (("region", s.region), ("endpoint", s.endpoint)):
            if value:
                yield _warn(f"storage.{field}", f"only used with storage type s3, not {s.type}")
    if s.type != "gcs" and s.project_id:
        yield _warn("storage.projectId", f"only used with storage type gcs, not {s.type}; it is ignored")


def _database(plan: InstallPlan) -> Iterator[Problem]:
    db = plan.database
    if plan.environment != "sandbox" and db.password_secret is None:
        yield _warn(
            "database.passwordSecret",
            "no password Secret: flyteadmin and datacatalog will connect without a password",
        )
    if plan.environment != "sandbox" and db.host == "postgres":
        if "host" in db.model_fields_set:  # written on purpose: a service named postgres in the namespace
            yield _warn("database.host", "'postgres' exists only with the sandbox charts; check your database host")
        else:
            yield _err(
                "database.host",
                f"required on {plan.environment}: your database's host name or IP (the default 'postgres' "
                "exists only with the sandbox charts)",
            )
    if plan.environment in ("eks", "gke") and db.ssl_mode in ("disable", "allow"):
        yield _warn("database.sslMode", "managed PostgreSQL (RDS, Cloud SQL) usually requires sslMode require")


def _identity(plan: InstallPlan) -> Iterator[Problem]:
    ident = plan.identity
    yield from _cloud_identity(
        plan, ("identity.awsRoleArn", ident.aws_role_arn), ("identity.gcpServiceAccount", ident.gcp_service_account)
    )


_APPLIES = {
    "identity.awsRoleArn": "IRSA roles apply",
    "identity.gcpServiceAccount": "Workload Identity applies",
    "projects.taskRoleArn": "task IAM roles apply",
    "projects.taskServiceAccount": "task Workload Identity applies",
}
"""What each cloud identity answer applies to (its environment's only)."""
_NEEDED = {
    "identity.awsRoleArn": "the control plane needs an IAM role (IRSA) to reach the bucket",
    "identity.gcpServiceAccount": "the control plane needs a Google service account (Workload Identity)",
    "projects.taskRoleArn": "without an IAM role task pods cannot reach the buckets",
    "projects.taskServiceAccount": "without a Google service account task pods cannot reach the buckets",
}
"""Why the storage needs each cloud identity answer."""


def _cloud_identity(plan: InstallPlan, role: tuple[str, str], account: tuple[str, str]) -> Iterator[Problem]:
    """One identity's IAM role (eks) and Google service account (gke), each ``(path, value)``: each only on its
    environment, and the one the storage needs required (:data:`_APPLIES` and :data:`_NEEDED` say why)."""
    env = plan.environment
    (role_path, role_arn), (account_path, account_name) = role, account
    if role_arn and env != "eks":
        yield _err(role_path, f"{_APPLIES[role_path]} to environment eks only, not {env}")
    if account_name and env != "gke":
        yield _err(account_path, f"{_APPLIES[account_path]} to environment gke only, not {env}")
    if env == "eks" and plan.storage.type == "s3" and plan.storage.auth == "iam" and not role_arn:
        yield _err(role_path, f"required on eks with s3 auth iam: {_NEEDED[role_path]}")
    if env == "gke" and plan.storage.type == "gcs" and not account_name:
        yield _err(account_path, f"required on gke with gcs storage: {_NEEDED[account_path]}")


def _ingress(plan: InstallPlan) -> Iterator[Problem]:
    ing = plan.ingress
    if not ing.enabled:
        return
    if ing.controller == "none":
        yield _err(
            "ingress.controller", "choose a controller (nginx, alb, gce, contour, traefik) or set enabled: false"
        )
        return
    if ing.controller == "nginx":
        if not ing.separate_grpc:
            yield _err("ingress.separateGrpc", "nginx needs a separate gRPC ingress (flytectl and pyflyte use gRPC)")
        if not ing.tls.enabled:
            yield _err("ingress.tls.enabled", "gRPC through nginx needs TLS on port 443: enable tls")
    if ing.controller == "alb":
        if not ing.separate_grpc:
            yield _err("ingress.separateGrpc", "alb needs a separate gRPC ingress (a GRPC target group)")
        if ing.tls.enabled and not ing.tls.certificate_arn:
            yield _err("ingress.tls.certificateArn", "required for alb with TLS: the ACM certificate ARN")
        if ing.tls.secret_name:
            yield _err("ingress.tls.secretName", "alb takes its certificate from ACM (certificateArn), not a Secret")
    elif ing.tls.certificate_arn:
        yield _err("ingress.tls.certificateArn", f"only used with controller alb, not {ing.controller}")
    if ing.tls.enabled and not ing.host:
        yield _err("ingress.host", "required when TLS is enabled: the certificate is issued for a host name")
    if ing.controller == "gce" and plan.environment == "eks":
        yield _err("ingress.controller", "gce ingress does not exist on eks; use alb or nginx")
    if ing.controller == "alb" and plan.environment == "gke":
        yield _err("ingress.controller", "alb ingress does not exist on gke; use gce or nginx")
    if ing.controller == "gce":
        yield _warn(
            "ingress.controller", "gRPC through gce needs flyteadmin to serve TLS itself; check flytectl access"
        )


_RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage", "gpu")


def _compare(requests: ResourceList | None, limits: ResourceList | None, path: str) -> Iterator[Problem]:
    if requests is None or limits is None:
        return
    req, lim = requests.items(), limits.items()
    for name in _RESOURCE_NAMES:
        if name in req and name in lim and parse_quantity(req[name]) > parse_quantity(lim[name]):
            yield _err(f"{path}.requests.{name}", f"request {req[name]} is above the limit {lim[name]}")


def _resources(plan: InstallPlan, default_limits: DefaultLimits) -> Iterator[Problem]:
    for key, comp in plan.resources.components.items():
        yield from _compare(comp.requests, comp.limits, f"resources.components.{key}")
        own_limits = comp.limits.items() if comp.limits else {}
        chart_limits = default_limits(key)
        for name, value in (comp.requests.items() if comp.requests else {}).items():
            chart_limit = chart_limits.get(name)
            if name not in own_limits and chart_limit and parse_quantity(value) > parse_quantity(chart_limit):
                yield _err(
                    f"resources.components.{key}.requests.{name}",
                    f"request {value} is above the chart's default limit {chart_limit} for {key}; "
                    f"set resources.components.{key}.limits.{name} too",
                )
        for kind in ("requests", "limits"):
            if getattr(getattr(comp, kind), "gpu", None):
                yield _err(f"resources.components.{key}.{kind}.gpu", "control-plane components do not use GPUs")
    td = plan.resources.task_defaults
    yield from _compare(td.requests, td.limits, "resources.taskDefaults")


def _projects(plan: InstallPlan) -> Iterator[Problem]:
    proj = plan.projects
    if not proj.domains:
        yield _err("projects.domains", "at least one domain is needed (e.g. development)")
    seen: set[str] = set()
    for i, domain in enumerate(proj.domains):
        if domain in seen:
            yield _err(f"projects.domains.{i}", f"domain {domain!r} is listed twice")
        seen.add(domain)
        if domain not in proj.quotas:
            yield _err(f"projects.quotas.{domain}", f"domain {domain!r} has no quota entry; add cpu and memory")
        longest = max((len(p) for p in proj.initial_projects), default=0)
        if longest + 1 + len(domain) > 63:
            yield _err(f"projects.domains.{i}", f"namespace <project>-{domain} would exceed 63 characters")
    for domain in proj.quotas:
        if domain not in proj.domains:
            yield _err(
                f"projects.quotas.{domain}", f"{domain!r} is not in projects.domains ({', '.join(proj.domains)})"
            )
    limits = plan.resources.task_defaults.limits.items()
    for domain, quota in proj.quotas.items():
        for name, value in (("cpu", quota.cpu), ("memory", quota.memory)):
            floor = limits.get(name)
            if floor and parse_quantity(value) < parse_quantity(floor):
                yield _err(
                    f"projects.quotas.{domain}.{name}",
                    f"{value} is below the task default limit {floor} (resources.taskDefaults.limits.{name}): "
                    "a task with default resources could never start",
                )
    yield from _cloud_identity(
        plan, ("projects.taskRoleArn", proj.task_role_arn), ("projects.taskServiceAccount", proj.task_service_account)
    )


def _extra_values(plan: InstallPlan) -> Iterator[Problem]:
    from flyte_tui.model.secret_values import WHERE_INSTEAD, secret_paths

    extra = plan.extra_values
    for path in secret_paths(extra, "extraValues"):
        yield _err(path, f"looks like a secret; {WHERE_INSTEAD}")
    if plan.storage.type == "custom":
        for path in secret_paths(plan.storage.custom, "storage.custom"):
            yield _err(path, f"looks like a secret; {WHERE_INSTEAD}")


def string_leaves(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in raw data with its path as problems name it (``projects.domains.1``: list items by
    index, like pydantic's error locations)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from string_leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from string_leaves(value, f"{path}.{i}")
    elif isinstance(data, str):
        yield path, data


def find_placeholders(data: Any) -> Iterator[Problem]:
    """Every ``<PLACEHOLDER>`` string left in raw answers data (copied from an example file)."""
    for path, text in string_leaves(data):
        found = find_placeholder(text)
        if found:
            yield _err(path, f"{found} is a placeholder from an example file: replace it with the real value")
