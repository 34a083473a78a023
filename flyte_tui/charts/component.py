"""A workload a chart creates, and how its pods are found (chart-neutral)."""

from __future__ import annotations

from dataclasses import dataclass


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
