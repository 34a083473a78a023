"""What every chart profile speaks in (chart-neutral): a workload it creates, the names of the objects a
release of it creates, and the answers imported from its values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flyte_tui.model.rules import Problem


@dataclass(frozen=True)
class Component:
    """One workload of a chart (a Flyte control-plane component of flyte-core, say)."""

    name: str
    """Name shown to users and used for the Deployment (e.g. ``flyteadmin``)."""
    values_key: str
    """Top-level values key holding its replicas/resources/service account."""
    selector: tuple[tuple[str, str], ...]
    """Pod labels that select its pods (the release instance label is added where ``instance_label``)."""
    instance_label: bool = True
    """Whether pods carry ``app.kubernetes.io/instance: <release>`` (the webhook does not)."""
    init_containers: tuple[str, ...] = ()
    """Init containers, in order."""
    sizable: bool = True
    """Whether the answers file may set replicas and resources for it."""
    has_service_account: bool = True
    """Whether the chart creates a ServiceAccount for it (flyteconsole has none)."""

    def pod_selector(self, release: str) -> dict[str, str]:
        """Labels selecting this component's pods for a given release."""
        labels = dict(self.selector)
        if self.instance_label:
            labels["app.kubernetes.io/instance"] = release
        return labels


@dataclass(frozen=True)
class AuthObjects:
    """Where a release keeps what auth needs (flyte-core's names by default): the Secrets mounted at
    /etc/secrets and their keys, the config files flyteadmin reads its auth settings from, and where the
    propeller client's bcrypt hash sits."""

    propeller_secret: str = "flyte-secret-auth"
    """The Secret holding propeller's client secret (flyte-tui creates it)."""
    oidc_secret: str = "flyte-admin-secrets"
    """The Secret holding the web login's client secret (the chart renders it; flyte-tui adds the key)."""
    config_keys: tuple[str, ...] = ("server.yaml",)
    """The files of ``admin_config`` that hold flyteadmin's auth settings, merged in this order."""
    hash_source: tuple[str, str, str] = ("configmap", "flyte-admin-base-config", "server.yaml")
    """(kind, name, key) of the config file whose ``auth.appAuth.selfAuthServer.staticClients`` carries the hash."""
    hash_value: str = ""
    """The values path of the hash when the chart takes it from there ("" when it is in the config as is)."""
    propeller_key: str = "client_secret"
    oidc_key: str = "oidc_client_secret"


@dataclass(frozen=True)
class ChartObjects:
    """The names of the objects one release of a chart creates: what the doctor looks up (and names in the
    commands it suggests). A chart that names its objects after the release computes them from it."""

    configmaps: Mapping[str, tuple[str, ...]]
    """The ConfigMaps each component mounts, by component name."""
    admin_config: str
    """The ConfigMap holding flyteadmin's ``db.yaml`` and ``storage.yaml``."""
    propeller_config: str
    """The ConfigMap holding flytepropeller's configuration."""
    storage_service_accounts: tuple[str, ...]
    """ServiceAccounts of the components that read and write the buckets (they need the cloud identity)."""
    ingress_backends: frozenset[str]
    """Services the chart's Ingresses route to: an Ingress with one of them as a backend is Flyte's."""
    crd: str = ""
    """The FlyteWorkflow CustomResourceDefinition ("" when the chart's release does not need one)."""
    crd_user: str = ""
    """The component that needs the CRD (its check is skipped when that component is not enabled)."""
    webhook: str = ""
    """The pod webhook: its MutatingWebhookConfiguration, Secret, Service and Deployment ("" for none)."""
    webhook_secret_keys: tuple[str, ...] = ()
    """Keys the webhook's Secret holds once its init container has run."""
    hardcoded_namespace: str = ""
    """The namespace the chart's defaults write into values (to be rewritten for any other namespace)."""
    not_applicable: Mapping[str, str] = field(default_factory=dict)
    """Doctor checks (by id) that do not apply to this chart, each with the reason the report shows."""
    auth: AuthObjects = field(default_factory=AuthObjects)
    """The auth Secrets and config (flyte-core's unless the chart names them otherwise)."""


@dataclass
class ImportResult:
    """The answers made from a values file, what stayed raw, and any problems with the result."""

    answers: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    """Dotted values paths kept under extraValues because flyte-tui does not model them."""
