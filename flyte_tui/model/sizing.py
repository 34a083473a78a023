"""The answers' sizing sections: control-plane replicas and resources, task defaults, project quotas."""

from __future__ import annotations

from pydantic import Field, ValidationInfo, field_validator

from flyte_tui.model.names import DnsLabel, GoogleServiceAccount, RoleArn
from flyte_tui.model.quantity import Quantity
from flyte_tui.model.section import Section

__all__ = ["ComponentResources", "Projects", "Quota", "ResourceList", "Resources", "TaskDefaults"]


class ResourceList(Section):
    """CPU, memory, ephemeral storage and GPUs."""

    cpu: Quantity | None = None
    """CPU, e.g. 500m or 2."""
    memory: Quantity | None = None
    """Memory, e.g. 512Mi or 2Gi."""
    ephemeral_storage: Quantity | None = Field(None, alias="ephemeral-storage")
    """Ephemeral storage, e.g. 1Gi."""
    gpu: Quantity | None = None
    """GPUs (task limits only)."""

    def items(self) -> dict[str, str]:
        """The set quantities, keyed by their Kubernetes names."""
        return {k: v for k, v in self.model_dump(by_alias=True, exclude_none=True).items()}


class ComponentResources(Section):
    """Replicas and resources of one control-plane component."""

    replicas: int | None = Field(None, ge=0, le=100)
    """Number of pods (0-100)."""
    requests: ResourceList | None = None
    """Resources the scheduler reserves for each pod."""
    limits: ResourceList | None = None
    """Upper bound per pod."""


class TaskDefaults(Section):
    """Default resources of task pods (flyteadmin task_resource_defaults)."""

    requests: ResourceList = Field(default_factory=lambda: ResourceList(cpu="100m", memory="500Mi"))
    """Default requests of a task that sets none."""
    limits: ResourceList = Field(default_factory=lambda: ResourceList(cpu="2", memory="1Gi", gpu="1"))
    """Largest resources a task may ask for."""


class Resources(Section):
    """Control-plane sizing and task defaults."""

    components: dict[str, ComponentResources] = Field(default_factory=dict)
    """Per component: flyteadmin, datacatalog, flytepropeller, flyteconsole, flytescheduler, webhook."""
    task_defaults: TaskDefaults = Field(default_factory=TaskDefaults)
    """Defaults and limits for task pods."""

    @field_validator("components")
    @classmethod
    def _known_components(
        cls, value: dict[str, ComponentResources], info: ValidationInfo
    ) -> dict[str, ComponentResources]:
        """The keys are the chart's sizable components: validation passes them as ``context["components"]``
        (the chart profile knows them; the model does not)."""
        known = (info.context or {}).get("components")
        if known is None:
            return value
        unknown = [k for k in value if k not in known]
        if unknown:
            raise ValueError(f"unknown component {', '.join(unknown)}; accepted: {', '.join(known)}")
        return value


class Quota(Section):
    """ResourceQuota of every project namespace in one domain."""

    cpu: Quantity
    """CPU limit for all tasks of a project in this domain, e.g. 8."""
    memory: Quantity
    """Memory limit for all tasks of a project in this domain, e.g. 16Gi."""


class Projects(Section):
    """Flyte domains and what every project namespace gets."""

    domains: list[DnsLabel] = Field(default_factory=lambda: ["development", "staging", "production"])
    """Domains of every project (each becomes <project>-<domain> namespaces)."""
    quotas: dict[str, Quota] = Field(default_factory=dict)
    """Per-domain ResourceQuota for project namespaces; every domain needs one."""
    task_role_arn: RoleArn = ""
    """eks: IAM role for task pods (annotated on the default ServiceAccount of every project namespace)."""
    task_service_account: GoogleServiceAccount = ""
    """gke: Google service account for task pods (Workload Identity on every project namespace)."""
    initial_projects: list[DnsLabel] = Field(default_factory=lambda: ["flytesnacks"])
    """Projects created at install time (flyteadmin seed-projects)."""
