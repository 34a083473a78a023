"""flyte-binary's one workload: a single Deployment running flyteadmin, flytepropeller, datacatalog, the
console, the scheduler, the cluster resource sync and the pod webhook in one process. Its name is the
release's ``fullname``, so the component is made per release."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flyte_tui.charts.component import Component
from flyte_tui.charts.flyte_binary.defaults import CHART

SIZING_KEY = CHART
"""The key of its one Deployment under ``resources.components`` in the answers file."""

BINARY = Component(
    CHART,
    SIZING_KEY,
    (("app.kubernetes.io/name", CHART), ("app.kubernetes.io/component", CHART)),
    init_containers=("wait-for-db",),
)
"""The Deployment, named as for a release whose name contains ``flyte-binary`` (see :func:`for_release`)."""

COMPONENTS: tuple[Component, ...] = (BINARY,)
"""Every workload flyte-binary creates (the flyteconnector sub-chart is not modelled)."""


def fullname(release: str, values: Mapping[str, Any] | None = None) -> str:
    """The chart's ``flyte-binary.fullname``: ``fullnameOverride``, else the release when its name contains the
    chart's name, else ``<release>-flyte-binary`` (63 characters at most, no trailing dash)."""
    values = values or {}
    override = values.get("fullnameOverride")
    if isinstance(override, str) and override:
        return override[:63].rstrip("-")
    name = values.get("nameOverride") or CHART
    name = name if isinstance(name, str) else CHART
    full = release if name in release else f"{release}-{name}"
    return full[:63].rstrip("-")


def for_release(release: str, values: Mapping[str, Any] | None = None) -> Component:
    """The Deployment of one release: named by its fullname, pods selected by the chart's labels."""
    values = values or {}
    name = values.get("nameOverride") or CHART
    selector = (("app.kubernetes.io/name", str(name)), ("app.kubernetes.io/component", CHART))
    return replace(BINARY, name=fullname(release, values), selector=selector)


def expected_components(values: Mapping[str, Any], release: str = "") -> list[Component]:
    """The components a values file makes flyte-binary create: always its one Deployment (named for
    ``release`` when given; the webhook and cluster resource sync run inside it)."""
    return [for_release(release, values) if release else BINARY]
