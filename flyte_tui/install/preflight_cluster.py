"""What the answers assume about the cluster's objects: the Kubernetes version the chart supports
(``kubernetes-version``), the FlyteWorkflow CRD absent or this release's (``crd-owner``), the named TLS Secret
(``tls-secret``), a default StorageClass when a dependency needs volumes (``storage-class``) and the ingress
class (``ingress-class``, :func:`flyte_tui.install.ingress.ingress_warning`). Pure functions over what kubectl
and helm printed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from flyte_tui.charts import PlannedRelease
from flyte_tui.install import ingress
from flyte_tui.install.preflight_checks import CheckResult
from flyte_tui.model.plan import InstallPlan

FLOOR = (1, 19)
"""flyte-tui's floor when the chart names no ``kubeVersion`` (Flyte's own flyte-core and flyte-binary 1.16 name
none): Kubernetes 1.19, the first to serve ``networking.k8s.io/v1`` Ingress, which the values rely on."""
_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")
_COMPARISON = re.compile(r"(>=|<=|!=|=|>|<)?\s*(v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)")
RELEASE_NAME = "meta.helm.sh/release-name"
RELEASE_NAMESPACE = "meta.helm.sh/release-namespace"


def parse_version(text: str) -> tuple[int, int, int] | None:
    """``v1.36.3`` (or ``1.25.0-0``, ``1.30+``) as numbers; None when it is no version."""
    match = _VERSION.match(text.strip())
    if not match:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)


def satisfies(version: tuple[int, int, int], constraint: str) -> bool | None:
    """Whether ``version`` meets a semver constraint as Chart.yaml's ``kubeVersion`` writes it (comparisons
    joined by spaces or commas, alternatives by ``||``; a pre-release suffix such as ``-0`` is ignored); None
    when the constraint uses a form not read here (``~``, ``^``, wildcards)."""
    alternatives = []
    for alternative in constraint.split("||"):
        joined = re.sub(r"(>=|<=|!=|=|>|<)\s+", r"\1", alternative.strip())  # ">= 1.25" is one comparison
        parts = [p for p in re.split(r"[\s,]+", joined) if p]
        ok = True
        for part in parts:
            match = _COMPARISON.fullmatch(part.replace(" ", ""))
            bound = parse_version(match[2]) if match else None
            if not match or bound is None:
                return None
            op = match[1] or "="
            ok = (
                ok
                and {
                    ">=": version >= bound,
                    "<=": version <= bound,
                    ">": version > bound,
                    "<": version < bound,
                    "=": version == bound,
                    "!=": version != bound,
                }[op]
            )
        alternatives.append(ok)
    return any(alternatives)


def server_version(kubectl_version: str) -> str:
    """The API server's gitVersion from ``kubectl version -o json`` ("" when it is not there)."""
    match = re.search(r'"serverVersion"\s*:\s*\{[^}]*?"gitVersion"\s*:\s*"([^"]+)"', kubectl_version, re.S)
    return match[1] if match else ""


def kube_version_constraint(chart_yaml: str) -> str:
    """The ``kubeVersion`` of a Chart.yaml as ``helm show chart`` prints it ("" when it names none)."""
    match = re.search(r"^kubeVersion:\s*['\"]?([^'\"\n]+)['\"]?\s*$", chart_yaml, re.M)
    return match[1].strip() if match else ""


def kubernetes_version(server: str, chart: str, chart_yaml: str) -> CheckResult:
    """The API server's version against the chart's ``kubeVersion`` (from ``helm show chart``), else against
    flyte-tui's :data:`FLOOR`."""
    constraint = kube_version_constraint(chart_yaml)
    source = (
        f"chart {chart}'s kubeVersion {constraint!r}"
        if constraint
        else (
            f"flyte-tui's floor >= {FLOOR[0]}.{FLOOR[1]} (chart {chart} names no kubeVersion; networking.k8s.io/v1 "
            "Ingress is served from 1.19)"
        )
    )
    looked = f"the API server's version against {source}"
    version = parse_version(server)
    if version is None:
        unknown = f"the API server's version is unknown ({server!r})"
        return CheckResult("kubernetes-version", "warn", looked, unknown, "check that `kubectl version` names one")
    ok = satisfies(version, constraint) if constraint else version[:2] >= FLOOR
    if ok is None:
        unread = f"Kubernetes {server}; the constraint is not one flyte-tui reads, helm will check it"
        return CheckResult("kubernetes-version", "warn", looked, unread)
    if ok:
        return CheckResult("kubernetes-version", "ok", looked, f"Kubernetes {server} is within it")
    other = "upgrade the cluster, or choose a chart version (target.chart.version) that supports it"
    return CheckResult("kubernetes-version", "fail", looked, f"Kubernetes {server} is outside it", other)


def creates_crd(release: PlannedRelease) -> bool:
    """Whether the release's chart creates the FlyteWorkflow CRD as one of its objects (flyte-core unless
    ``flytepropeller.createCRDs: false``; flyte-binary's propeller creates it itself when missing)."""
    if not release.objects.crd or release.profile.name != "flyte-core":
        return False
    propeller = release.values.get("flytepropeller")
    return not (isinstance(propeller, Mapping) and propeller.get("createCRDs") is False)


def crd_owner(release: PlannedRelease, crds: Sequence[Mapping[str, Any]]) -> CheckResult:
    """The FlyteWorkflow CRD is absent, or helm's annotations say this release owns it (else helm refuses to
    install: "invalid ownership metadata")."""
    name = release.objects.crd or "flyteworkflows.flyte.lyft.com"
    looked = f"CustomResourceDefinition {name} and its {RELEASE_NAME} annotation"
    found = [c for c in crds if (c.get("metadata") or {}).get("name") == name]
    if not found:
        return CheckResult("crd-owner", "ok", looked, "absent: the install creates it")
    annotations = (found[0].get("metadata") or {}).get("annotations") or {}
    owner, owner_ns = annotations.get(RELEASE_NAME, ""), annotations.get(RELEASE_NAMESPACE, "")
    if not creates_crd(release):
        why = "flytepropeller.createCRDs is false" if release.profile.name == "flyte-core" else "propeller makes it"
        return CheckResult("crd-owner", "ok", looked, f"present; this release does not create it ({why})")
    if owner == release.release and owner_ns == release.namespace:
        return CheckResult("crd-owner", "ok", looked, f"owned by this release ({owner} in {owner_ns})")
    held = f"release {owner} in namespace {owner_ns}" if owner else "no helm release (made by hand or another tool)"
    fix = "install into that release's namespace, or set extraValues.flytepropeller.createCRDs: false to use the "
    fix += "CRD as it is (deleting it deletes every FlyteWorkflow)"
    held = f"present and owned by {held}: helm would refuse to take it over"
    return CheckResult("crd-owner", "fail", looked, held, fix)


def tls_secret(plan: InstallPlan, secrets: Sequence[Mapping[str, Any]] | None) -> CheckResult:
    """The TLS Secret the answers name exists in the namespace (a warning: the controller serves its default
    certificate without it)."""
    tls = plan.ingress.tls
    ns = plan.target.namespace
    looked = f"Secret {tls.secret_name} in namespace {ns} (ingress.tls.secretName)"
    if not (ingress.wants_ingress(plan) and tls.enabled and tls.secret_name):
        return CheckResult("tls-secret", "ok", "ingress.tls.secretName", "no TLS Secret named")
    if secrets is None:
        return CheckResult("tls-secret", "warn", looked, "the Secrets could not be read", "")
    if any((s.get("metadata") or {}).get("name") == tls.secret_name for s in secrets):
        return CheckResult("tls-secret", "ok", looked, "exists")
    create = (
        f"kubectl create secret tls {tls.secret_name} --cert=FILE --key=FILE -n {ns} (or let cert-manager issue it)"
    )
    missing = "does not exist: HTTPS would serve the ingress controller's default certificate"
    return CheckResult("tls-secret", "warn", looked, missing, create)


def storage_class(needs: Sequence[str], classes: Sequence[Mapping[str, Any]] | None) -> CheckResult:
    """A default StorageClass exists when ``needs`` (the components that claim volumes) is not empty."""
    looked = "the cluster's default StorageClass"
    default = [
        str((c.get("metadata") or {}).get("name"))
        for c in classes or []
        if ((c.get("metadata") or {}).get("annotations") or {}).get("storageclass.kubernetes.io/is-default-class")
        == "true"
    ]
    found = f"default: {', '.join(default)}" if default else "no default StorageClass"
    if not needs:
        return CheckResult("storage-class", "ok", looked, f"no chosen dependency claims a volume ({found})")
    if classes is None:
        return CheckResult("storage-class", "warn", looked, "the StorageClasses could not be read", "")
    if default:
        return CheckResult("storage-class", "ok", looked, f"{', '.join(needs)} claim volumes; {found}")
    pending = f"{', '.join(needs)} claim volumes, and the cluster has no default StorageClass: their "
    pending += "PersistentVolumeClaims would stay Pending"
    mark = (
        'install a provisioner and mark its StorageClass default (storageclass.kubernetes.io/is-default-class: "true")'
    )
    return CheckResult("storage-class", "fail", looked, pending, mark)


VOLUME_USERS: Mapping[str, tuple[str, ...]] = {"flyte-deps": ()}
"""The components of each dependency chart that claim PersistentVolumes: none (flyte-deps v0.1.10's minio and
PostgreSQL keep their data in emptyDir volumes)."""


def volume_needs(releases: Sequence[PlannedRelease]) -> list[str]:
    """The dependency components among ``releases`` that claim volumes."""
    return [
        c.name
        for r in releases
        if r.serves
        for c in r.profile.expected_components(r.values, r.release)
        if c.name in VOLUME_USERS.get(r.profile.name, ())
    ]


def ingress_class(plan: InstallPlan, classes: tuple[str, ...] | None) -> CheckResult:
    """The ingress controller the answers name has an IngressClass (:func:`ingress.ingress_warning`)."""
    looked = f"the cluster's ingress classes for ingress.controller {plan.ingress.controller}"
    if not ingress.wants_ingress(plan):
        return CheckResult("ingress-class", "ok", looked, "no Ingress asked for")
    if classes is None:
        return CheckResult("ingress-class", "warn", looked, "the ingress classes could not be read", "")
    warning = ingress.ingress_warning(plan, classes)
    if warning:
        return CheckResult("ingress-class", "warn", looked, warning, lines=((f"warning: {warning}", "stderr"),))
    return CheckResult("ingress-class", "ok", looked, f"classes: {', '.join(classes)}")
