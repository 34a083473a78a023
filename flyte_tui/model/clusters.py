"""The data planes of a multi-cluster install (answers key ``dataPlanes``; NEXT-CAPABILITIES §2).

flyte-core's multi-cluster mode: the control plane (flyteadmin, console, datacatalog, scheduler) in the cluster of
``target.context``, and propeller with its webhook in each data plane; flyteadmin reaches every data plane's API
server with a ServiceAccount token and CA (``configmap.clusters``). Each entry here is one cluster flyteadmin may
send executions to; ``inCluster: true`` is the control plane itself executing too.

The rules spanning entries (and the chart and ``target.context``) are :func:`check_data_planes`; their findings
become :class:`~flyte_tui.model.rules.Problem` objects at the field in :mod:`flyte_tui.model.rules`."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from flyte_tui.model.names import BINARY_CHART as BINARY_CHART
from flyte_tui.model.names import DnsLabel, check_argument, check_hostname, shown
from flyte_tui.model.section import Section

_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?")
LABEL_LENGTH = 63
"""The longest execution label (a Kubernetes label value's limit, whose characters it takes)."""
LISTED = 20
"""The most accepted labels a message lists."""
ENDPOINT_LENGTH = 2048
"""The longest endpoint URL accepted."""
_ENDPOINT_EXAMPLE = "e.g. https://10.0.12.7:6443 or https://ABC123.gr7.us-east-2.eks.amazonaws.com"


def _check_endpoint(value: str) -> str:
    if not value:
        return value
    check_argument(value)
    if len(value) > ENDPOINT_LENGTH:
        raise ValueError(f"is {len(value)} characters; an API server's URL of at most {ENDPOINT_LENGTH} is accepted")
    try:
        parts = urlsplit(value)
    except ValueError:  # an unclosed '[' of an IPv6 address
        raise ValueError(
            f"{shown(value)} is not a URL: write https://HOST[:PORT][/PATH], {_ENDPOINT_EXAMPLE}"
        ) from None
    if parts.username or parts.password:
        raise ValueError(f"{shown(value)}: the URL holds a user name or password; write it without them")
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(
            f"{shown(value)} is not an https URL of a Kubernetes API server: write it as the control plane reaches "
            f"it, {_ENDPOINT_EXAMPLE}"
        )
    problem = _endpoint_problem(value, parts.hostname)
    if problem:
        raise ValueError(f"{shown(value)} {problem}: write https://HOST[:PORT][/PATH], {_ENDPOINT_EXAMPLE}")
    return value


def _endpoint_problem(value: str, hostname: str) -> str:
    """What is wrong with an https URL as a Kubernetes API server's address ("" when nothing)."""
    if any(c.isspace() for c in value):
        return "holds a space"
    if "?" in value or "#" in value:
        return "holds a query or fragment ('?' or '#'), which the API server's paths cannot follow"
    try:
        port = urlsplit(value).port
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if port == 0:
        return "has port 0: a port is a number from 1 to 65535"
    try:
        check_hostname(hostname)
    except ValueError:
        return "has a host that is not a host name or IP address"
    return ""


def _check_context(value: str) -> str:
    if value and not value.strip():
        raise ValueError("must not be only spaces: the data plane's context from your kubeconfig")
    return check_argument(value)


def _check_labels(value: list[str]) -> list[str]:
    for label in value:
        if len(label) > LABEL_LENGTH:
            raise ValueError(
                f"{shown(label)} is {len(label)} characters; an execution label of at most {LABEL_LENGTH} is accepted"
            )
        if not _LABEL.fullmatch(label):
            raise ValueError(
                f"{shown(label)} is not an execution label: letters, digits, '-', '_' and '.', starting and ending "
                "with a letter or digit"
            )
    repeated = sorted(label for label, count in Counter(value).items() if count > 1)
    if repeated:
        raise ValueError(f"{', '.join(repeated)} listed twice; list each label once")
    return value


class DataPlane(Section):
    """One cluster flyteadmin sends executions to: a data plane (propeller and its webhook), or, with inCluster,
    the control plane itself."""

    name: DnsLabel
    """Cluster name (a DNS-1123 label, unique) in flyteadmin's config and Secret keys <name>_token, <name>_cacert."""
    context: Annotated[str, AfterValidator(_check_context)] = ""
    """Kubernetes context of the data plane in your kubeconfig (not the control plane's); empty with inCluster."""
    endpoint: Annotated[str, AfterValidator(_check_endpoint)] = ""
    """The data plane's API server as the control plane reaches it (https URL); empty with inCluster."""
    labels: Annotated[list[str], AfterValidator(_check_labels)] = Field(default_factory=list)
    """Execution cluster labels that send work here (flytectl update execution-cluster-label)."""
    weight: float | None = Field(None, ge=0, le=1)
    """Share (0 to 1) of a label's executions this cluster gets; required when another cluster has a label of it."""
    in_cluster: bool = False
    """This entry is the control plane executing too (flyteadmin's in-cluster credentials; no context or endpoint)."""


CREDENTIALS_SECRET = "cluster-credentials"
"""The control plane's Secret of every data plane's token and CA (a name flyte-core's syncresources template
hard-codes, NEXT-CAPABILITIES §2.3)."""
CREDENTIALS_DIR = "/var/run/credentials"
"""Where that Secret is mounted (hard-coded too): every tokenPath and certPath lives under it."""


def token_key(plane: str) -> str:
    """The key of a data plane's token in :data:`CREDENTIALS_SECRET` (``<name>_token``; the file name under the
    mount)."""
    return f"{plane}_token"


def ca_key(plane: str) -> str:
    """The key of a data plane's CA certificate in :data:`CREDENTIALS_SECRET` (``<name>_cacert``)."""
    return f"{plane}_cacert"


def remote_planes(planes: Sequence[DataPlane]) -> list[DataPlane]:
    """The data planes that are clusters of their own, reached with a token (every entry but the ``inCluster``
    one), in answer order."""
    return [p for p in planes if not p.in_cluster]


Finding = tuple[str, str]
"""(field path, message): one broken rule of the data planes."""


def check_data_planes(planes: Sequence[DataPlane], chart_name: str, control_context: str) -> Iterator[Finding]:
    """Every rule the data planes break, at the field: flyte-binary refused, names unique, contexts neither the
    control plane's nor repeated, context and endpoint given (none with inCluster, which appears at most once),
    weights said for a label several clusters share."""
    if not planes:
        return
    if chart_name == BINARY_CHART:
        yield (
            "dataPlanes",
            "flyte-binary cannot run several clusters (its one Deployment holds flyteadmin and propeller "
            "together; Flyte's multi-cluster mode is flyte-core's): use chart flyte-core, or remove dataPlanes",
        )
    yield from _names_and_contexts(planes, control_context)
    yield from _in_cluster(planes)
    yield from _shared_labels(planes)


def execution_labels(planes: Sequence[DataPlane]) -> list[str]:
    """The labels executions may name: the planes' labels, or, when none has one, each plane's name (flyte-tui
    then labels every cluster with its own name)."""
    labels = [label for plane in planes for label in plane.labels]
    return list(dict.fromkeys(labels or [plane.name for plane in planes]))


def check_default_label(planes: Sequence[DataPlane], label: str) -> Iterator[Finding]:
    """``defaultExecutionLabel`` names one of :func:`execution_labels` (and needs data planes)."""
    if not label:
        return
    if not planes:
        yield "defaultExecutionLabel", "needs dataPlanes: it picks the clusters of executions that name no label"
        return
    known = execution_labels(planes)
    if label not in known:
        more = f" and {len(known) - LISTED} more" if len(known) > LISTED else ""
        accepted = ", ".join(known[:LISTED]) + more
        yield "defaultExecutionLabel", f"{shown(label)} is no data plane's label; accepted: {accepted}"


def _names_and_contexts(planes: Sequence[DataPlane], control_context: str) -> Iterator[Finding]:
    names: dict[str, int] = {}
    contexts: dict[str, int] = {}
    for i, plane in enumerate(planes):
        at = f"dataPlanes.{i}"
        if plane.name in names:
            yield f"{at}.name", f"{shown(plane.name)} is dataPlanes.{names[plane.name]}'s name too: each needs its own"
        names.setdefault(plane.name, i)
        if plane.in_cluster:
            continue
        if not plane.context:
            yield f"{at}.context", "required: the data plane's context from your kubeconfig"
        elif control_context and plane.context == control_context:
            yield (
                f"{at}.context",
                f"{shown(plane.context)} is the control plane's context (target.context): for the control plane "
                "executing too, write an entry with inCluster: true and no context",
            )
        elif plane.context in contexts:
            yield f"{at}.context", f"{shown(plane.context)} is dataPlanes.{contexts[plane.context]}'s context too"
        contexts.setdefault(plane.context, i)
        if not plane.endpoint:
            yield f"{at}.endpoint", "required: the data plane's API server as the control plane reaches it (https)"


def _in_cluster(planes: Sequence[DataPlane]) -> Iterator[Finding]:
    seen: int | None = None
    for i, plane in enumerate(planes):
        if not plane.in_cluster:
            continue
        if seen is not None:
            yield f"dataPlanes.{i}.inCluster", f"dataPlanes.{seen} is the control plane already; only one can be"
        seen = i if seen is None else seen
        for field, value in (("context", plane.context), ("endpoint", plane.endpoint)):
            if value:
                yield (
                    f"dataPlanes.{i}.{field}",
                    "must be empty with inCluster: this entry is the control plane (target.context), which "
                    "flyteadmin reaches with its in-cluster credentials",
                )


def _shared_labels(planes: Sequence[DataPlane]) -> Iterator[Finding]:
    holders: dict[str, list[int]] = defaultdict(list)
    for i, plane in enumerate(planes):
        for label in plane.labels:
            holders[label].append(i)
    unweighted: dict[int, list[str]] = defaultdict(list)
    for label, indices in holders.items():
        if len(indices) > 1:
            for i in indices:
                if planes[i].weight is None:
                    unweighted[i].append(label)
    for i, labels in sorted(unweighted.items()):
        others = sorted({planes[j].name for label in labels for j in holders[label] if j != i})
        yield (
            f"dataPlanes.{i}.weight",
            f"required: label {', '.join(labels)} also sends work to {', '.join(others)}; give each cluster "
            "its weight (0 to 1), its share of the label's executions",
        )
