"""The answers file (``flyte-tui.yaml``): one pydantic model per wizard section.

Every field carries a docstring; those docstrings are the help text in the wizard and the reference
table in the README. Field names in YAML are camelCase; Python attributes are snake_case. Checks that
involve more than one field live in :mod:`flyte_tui.model.rules`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from flyte_tui.model.auth import Auth as Auth
from flyte_tui.model.clusters import DataPlane as DataPlane
from flyte_tui.model.images import Images as Images
from flyte_tui.model.names import (
    AwsRegion,
    CertificateArn,
    DnsLabel,
    GcpProject,
    GoogleServiceAccount,
    ObjectName,
    RoleArn,
    SecretKey,
    check_argument,
    check_chart_version,
    check_dns_label,
    check_dns_subdomain,
    check_hostname,
    check_ingress_host,
)
from flyte_tui.model.section import Section as Section
from flyte_tui.model.sizing import ComponentResources as ComponentResources
from flyte_tui.model.sizing import Projects as Projects
from flyte_tui.model.sizing import Quota as Quota
from flyte_tui.model.sizing import ResourceList as ResourceList
from flyte_tui.model.sizing import Resources as Resources
from flyte_tui.model.sizing import TaskDefaults as TaskDefaults
from flyte_tui.redact import mask_userinfo, url_userinfo

API_VERSION = "flyte-tui/v1"
KIND = "InstallPlan"

DEFAULT_NAMESPACE = "flyte"
"""Where Flyte goes when the answers name no namespace (the one source of this default)."""
DEFAULT_RELEASE = "flyte"
"""The Helm release name when the answers name none."""
DEFAULT_CHART = "flyte-core"
"""The chart's name inside its repository."""
DEFAULT_REPO = "https://flyteorg.github.io/flyte"
"""The official Flyte chart repository."""
DEFAULT_VERSION = "v1.16.8"
"""The chart version flyte-tui is written for, when the answers name none."""
DEPS_CHART = "flyte-deps"
"""The chart of the sandbox's dependencies (minio and PostgreSQL) inside Flyte's repository."""
DEPS_VERSION = "v1.16.8"
"""The flyte-deps version published with Flyte v1.16.8 (Flyte's release stamps its version on every chart)."""
DEPS_SUFFIX = "-deps"
"""The dependency release's name is Flyte's release name and this, unless the answers name one."""

Environment = Literal["sandbox", "eks", "gke", "generic"]
StorageType = Literal["sandbox", "s3", "gcs", "custom"]
StorageAuth = Literal["iam", "accesskey"]
SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
IngressController = Literal["nginx", "alb", "gce", "contour", "traefik", "none"]


class ChartSource(Section):
    """Where the flyte-core chart comes from: exactly one of a repository, a local path or an OCI reference."""

    repo: str = ""
    """Helm repository URL, e.g. https://flyteorg.github.io/flyte."""
    name: str = DEFAULT_CHART
    """Chart name inside the repository: flyte-binary (one Deployment) or flyte-core (one per component)."""
    version: str = ""
    """Chart version, e.g. v1.16.8. Empty means the newest the repository offers (not recommended)."""
    path: str = ""
    """A chart directory or packaged .tgz on disk, instead of a repository."""
    oci: str = ""
    """An OCI chart reference, e.g. oci://ghcr.io/flyteorg/helm-charts/flyte-core."""

    @field_validator("repo")
    @classmethod
    def _repo_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(
                f"{mask_userinfo(value)!r} is not a repository URL: it must start with http:// or https://"
            )
        if url_userinfo(value):
            raise ValueError(
                f"{mask_userinfo(value)!r} holds a user name or password, which would be saved in the answers file: "
                "write the URL without them and log in once with "
                "`helm repo add --username USER --password-stdin NAME URL`"
            )
        return value

    @field_validator("oci")
    @classmethod
    def _oci_ref(cls, value: str) -> str:
        if value and not value.startswith("oci://"):
            raise ValueError(f"{mask_userinfo(value)!r} is not an OCI reference: it must start with oci://")
        if url_userinfo(value):
            raise ValueError(
                f"{mask_userinfo(value)!r} holds a user name or password, which would be saved in the answers file: "
                "write the reference without them and log in once with "
                "`helm registry login --username USER --password-stdin HOST`"
            )
        return value

    @field_validator("name")
    @classmethod
    def _chart_name(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("repo"):
            raise ValueError("required with repo: the chart's name inside the repository, e.g. flyte-core")
        check_argument(value)
        if value and any(c.isspace() or c == "/" for c in value):
            raise ValueError(f"{value!r} is not a chart name: no spaces or '/' (e.g. flyte-core)")
        return value

    @field_validator("version")
    @classmethod
    def _chart_version(cls, value: str) -> str:
        return check_chart_version(value)

    @field_validator("path")
    @classmethod
    def _chart_path(cls, value: str) -> str:
        if value.startswith("-"):
            raise ValueError(
                f"{value!r} must not start with '-': helm would read it as an option; write ./{value} for a "
                "directory of that name"
            )
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> ChartSource:
        chosen = [k for k in ("repo", "path", "oci") if getattr(self, k)]
        if len(chosen) != 1:
            raise ValueError(
                "exactly one of repo, path or oci must be set"
                + (f" (found {', '.join(chosen)})" if chosen else " (found none)")
            )
        return self

    def reference(self) -> str:
        """The chart argument for helm: a name with --repo, a path, or an OCI reference."""
        if self.path:
            return self.path
        if self.oci:
            return self.oci
        return self.name


class Target(Section):
    """Which cluster, namespace and Helm release to install into."""

    context: str = ""
    """Kubernetes context from your kubeconfig; empty means the current context."""

    @field_validator("context")
    @classmethod
    def _context(cls, value: str) -> str:
        if value and not value.strip():
            raise ValueError("must not be only spaces; leave it empty for the current context")
        return check_argument(value)

    namespace: DnsLabel = DEFAULT_NAMESPACE
    """Namespace for the Flyte control plane (a DNS-1123 label)."""
    release: str = DEFAULT_RELEASE
    """Helm release name (a DNS-1123 label of at most 53 characters)."""
    chart: ChartSource = Field(default_factory=lambda: ChartSource(repo=DEFAULT_REPO, version=DEFAULT_VERSION))
    """The chart to install (flyte-binary or flyte-core) and where it comes from."""

    @field_validator("release")
    @classmethod
    def _release(cls, value: str) -> str:
        return check_dns_label(value, max_len=53)


class SecretRef(Section):
    """A key inside an existing Kubernetes Secret in the release namespace."""

    name: ObjectName
    """Name of the Secret."""
    key: SecretKey
    """Key inside the Secret."""


class Storage(Section):
    """Blob storage for Flyte metadata and task outputs."""

    type: StorageType = "sandbox"
    """sandbox (the minio of the sandbox charts), s3 (or an S3-compatible store), gcs, or custom."""
    metadata_bucket: str = ""
    """Bucket for Flyte metadata (and outputs, unless userDataBucket is set)."""
    user_data_bucket: str = ""
    """Bucket for raw task output data; defaults to metadataBucket."""
    region: AwsRegion = ""
    """AWS region of the buckets (s3)."""
    endpoint: str = ""
    """Endpoint URL of an S3-compatible store (e.g. https://minio.example.com); empty for AWS S3."""
    auth: StorageAuth = "iam"
    """iam (IRSA / instance role) or accesskey (keys kept in a Kubernetes Secret, never in this file)."""
    credentials_secret: str = ""
    """accesskey: name of the Secret that holds the storage config with the keys (created by the installer)."""
    project_id: GcpProject = ""
    """Google Cloud project id of the buckets (gcs)."""
    custom: dict[str, Any] = Field(default_factory=dict)
    """Raw flytestdlib storage block, for type custom only."""

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"{mask_userinfo(value)!r} is not an endpoint URL: it must start with http:// or https://")
        if url_userinfo(value):
            raise ValueError(
                f"{mask_userinfo(value)!r} holds a user name or password: write the URL without them and keep the "
                "keys in the Secret named by storage.credentialsSecret (auth accesskey)"
            )
        return value

    @field_validator("credentials_secret")
    @classmethod
    def _secret_name(cls, value: str) -> str:
        return check_dns_subdomain(value) if value else value

    @property
    def raw_bucket(self) -> str:
        """The bucket that receives raw task outputs."""
        return self.user_data_bucket or self.metadata_bucket


class Database(Section):
    """The PostgreSQL database used by flyteadmin and datacatalog."""

    host: str = "postgres"
    """Database host name or IP (e.g. your RDS or Cloud SQL endpoint)."""
    port: int = Field(5432, ge=1, le=65535)
    """Database port (1-65535)."""
    username: str = "postgres"
    """Database user."""
    admin_database: str = "flyteadmin"
    """Database name for flyteadmin."""
    datacatalog_database: str = "datacatalog"
    """Database name for datacatalog; the same as adminDatabase shares one database."""
    password_secret: SecretRef | None = None
    """Existing Secret holding the password (the installer creates it from what you type; never stored here)."""
    ssl_mode: SslMode = "disable"
    """PostgreSQL sslmode: disable, allow, prefer, require, verify-ca or verify-full."""

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        return check_hostname(value)

    @field_validator("username", "admin_database", "datacatalog_database")
    @classmethod
    def _nonempty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        if any(c.isspace() for c in value):
            raise ValueError(f"{value!r} must not contain spaces")
        return value


class Identity(Section):
    """Cloud identities for the Flyte control plane."""

    aws_role_arn: RoleArn = ""
    """eks: IAM role (IRSA) for the flyteadmin, datacatalog and flytepropeller ServiceAccounts."""
    gcp_service_account: GoogleServiceAccount = ""
    """gke: Google service account (Workload Identity) for the control-plane ServiceAccounts."""


class Tls(Section):
    """TLS for the ingress."""

    enabled: bool = False
    """Serve HTTPS. gRPC through nginx needs it."""
    secret_name: str = ""
    """Secret with the certificate (nginx, contour, traefik); default <release>-flyte-tls."""
    certificate_arn: CertificateArn = ""
    """alb: ACM certificate ARN for the HTTPS listener."""

    @field_validator("secret_name")
    @classmethod
    def _secret_name(cls, value: str) -> str:
        return check_dns_subdomain(value) if value else value


class Ingress(Section):
    """How Flyte is reached from outside the cluster."""

    enabled: bool = True
    """Create the Ingress objects."""
    controller: IngressController = "nginx"
    """Ingress controller: nginx, alb, gce, contour, traefik, or none."""
    host: str = ""
    """Public host name, e.g. flyte.example.com; empty accepts any host."""
    separate_grpc: bool = True
    """Put gRPC routes in their own Ingress (flyte-core-grpc), as nginx and alb need."""
    tls: Tls = Field(default_factory=Tls)
    """TLS settings."""

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        return check_ingress_host(value)


def _deps_chart() -> ChartSource:
    return ChartSource(repo=DEFAULT_REPO, name=DEPS_CHART, version=DEPS_VERSION)


class Dependencies(Section):
    """What the sandbox installs before Flyte, as a Helm release of its own in the same namespace and context:
    minio and PostgreSQL from Flyte's flyte-deps chart."""

    storage: bool = False
    """sandbox: install minio (with its bucket my-s3-bucket) before Flyte; false: use a store you run."""
    database: bool = False
    """sandbox: install PostgreSQL (both Flyte databases) before Flyte; false: use the one at database.host."""
    release: str = ""
    """Helm release of the dependencies; empty means <target.release>-deps."""
    chart: ChartSource = Field(default_factory=_deps_chart)
    """The flyte-deps chart to install (repo, name, version, path or oci, as target.chart)."""

    @field_validator("chart", mode="before")
    @classmethod
    def _deps_name(cls, value: Any) -> Any:
        # a chart given by repository without a name is flyte-deps, never ChartSource's flyte-core
        if isinstance(value, dict) and "name" not in value:
            return {**value, "name": DEPS_CHART}
        return value

    @field_validator("release")
    @classmethod
    def _release(cls, value: str) -> str:
        return check_dns_label(value, max_len=53) if value else value

    @property
    def bundled(self) -> bool:
        """Whether anything is installed before Flyte."""
        return self.storage or self.database

    def release_for(self, flyte_release: str) -> str:
        """The dependency release's name beside Flyte's release ``flyte_release``."""
        return self.release or flyte_release + DEPS_SUFFIX


class InstallPlan(Section):
    """Everything flyte-tui needs to install Flyte: the answers file."""

    api_version: Literal["flyte-tui/v1"] = Field("flyte-tui/v1", alias="apiVersion")
    """Format version of this file: flyte-tui/v1."""
    kind: Literal["InstallPlan"] = "InstallPlan"
    """Always InstallPlan."""
    target: Target = Field(default_factory=Target)
    """Cluster, namespace, release and chart."""
    environment: Environment
    """sandbox, eks, gke or generic: picks a preset of defaults."""
    storage: Storage = Field(default_factory=Storage)
    """Blob storage."""
    database: Database = Field(default_factory=Database)
    """PostgreSQL."""
    identity: Identity = Field(default_factory=Identity)
    """Cloud identities of the control plane."""
    ingress: Ingress = Field(default_factory=Ingress)
    """Ingress."""
    resources: Resources = Field(default_factory=Resources)
    """Sizing and task defaults."""
    projects: Projects = Field(default_factory=Projects)
    """Domains, quotas and task identities."""
    dependencies: Dependencies = Field(default_factory=Dependencies)
    """sandbox: minio and PostgreSQL installed before Flyte (a release of their own)."""
    auth: Auth = Field(default_factory=Auth)
    """Authentication: OIDC login and the authorization server."""
    data_planes: list[DataPlane] = Field(default_factory=list)
    """flyte-core multi-cluster: the clusters executions go to (inCluster: the control plane itself too)."""
    default_execution_label: str = ""
    """flyte-core multi-cluster: the execution label used when an execution names none (one of dataPlanes' labels)."""
    images: Images = Field(default_factory=Images)
    """Air-gapped clusters: the registry mirror every image is pulled from, and its pull secret."""
    plugins: list[str] = Field(default_factory=list)
    """Task plugins to enable beside the chart's own: spark, ray, pytorch, tensorflow, mpi, dask, connector."""
    extra_values: dict[str, Any] = Field(default_factory=dict)
    """Raw flyte-core values merged last (escape hatch; kept verbatim)."""
