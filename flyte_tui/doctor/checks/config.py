"""Configuration: the database Secret, storage, cloud identities, ConfigMaps, placeholders, namespace keys."""

from __future__ import annotations

from flyte_tui.charts.flyte_core.render import IRSA_ANNOTATION, WI_ANNOTATION
from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Snapshot, meta
from flyte_tui.model.rules import find_placeholders, string_leaves


def _no_values(snap: Snapshot) -> Outcome | None:
    if "values" in snap.errors:
        return skip(f"not checked: cannot read the release's values: {snap.errors['values']}")
    if not snap.values:
        return skip("not checked: no release values (see release.status)")
    return None


@check("config.db-secret", "database password Secret holds the key the pods read", "config")
def db_secret(snap: Snapshot) -> Outcome:
    """The Secret the release's values read the database password from exists and holds the key they name
    (where the values point it is the chart's: :meth:`flyte_tui.charts.ChartProfile.database_secret`)."""
    if (gone := _no_values(snap) or unreadable(snap, "secrets")) is not None:
        return gone
    found = snap.target.profile.database_secret(snap.values)
    looked = list(found.looked_at)
    if found.problem:
        return Outcome("fail", found.problem, tuple(looked), fix=found.fix, answer=found.answer)
    if not found.name:
        return ok(f"no database password Secret is used ({found.without})", *looked)
    name = found.name
    looked.append(f"Secret {name} (key names only)")
    secret = snap.secrets.get(name)
    wanted = list(found.keys)
    if secret is None:
        return Outcome(
            "fail",
            f"Secret {name} does not exist in {snap.namespace}: {found.users} cannot start",
            tuple(looked),
            fix=f"create it with the key {wanted[0]}, or re-run flyte-tui install with the password",
            commands=(f"{kubectl_cmd(snap)} create secret generic {name} --from-file={wanted[0]}=./db-password.txt",),
            answer="database.passwordSecret",
        )
    absent = [key for key in wanted if key not in secret.keys]
    if absent:
        return Outcome(
            "fail",
            f"Secret {name} has keys {', '.join(secret.keys) or '(none)'} but passwordPath expects {absent[0]}",
            tuple(looked),
            fix=f"point passwordPath at the key holding the password (answers: database.passwordSecret.key), or "
            f"add the key {absent[0]}",
            answer="database.passwordSecret.key",
        )
    return ok(f"Secret {name} has the key {', '.join(wanted)} that passwordPath expects", *looked)


def _storage_type(snap: Snapshot) -> str:
    return str(snap.value("storage.type") or "sandbox")


@check("config.storage", "storage type fits the environment", "config")
def storage(snap: Snapshot) -> Outcome:
    """Storage left as the sandbox's minio where there is no minio."""
    if (gone := _no_values(snap)) is not None:
        return gone
    kind = _storage_type(snap)
    looked = ("values storage.type", f"service minio in {snap.namespace}")
    env = snap.target.environment
    minio = snap.named("services", "minio") is not None
    if kind in ("sandbox", "minio"):
        if env not in (None, "sandbox"):
            return Outcome(
                "fail",
                f"storage.type is {kind} (the sandbox's minio) on an {env} install",
                looked,
                fix="choose storage type s3, gcs or custom with a real bucket",
                commands=(
                    f"{kubectl_cmd(snap)} get configmap {snap.chart_objects.admin_config} "
                    "-o jsonpath='{.data.storage\\.yaml}'",
                ),
                answer="storage.type",
            )
        if not minio:
            return Outcome(
                "fail",
                f"storage.type is {kind} but there is no minio Service in {snap.namespace}: admin, datacatalog and "
                "propeller cannot reach storage (lookup minio: no such host)",
                looked,
                fix="use the flyte sandbox chart (which runs minio), or set storage type s3, gcs or custom",
                commands=(f"{kubectl_cmd(snap)} get service minio",),
                answer="storage.type",
            )
        return ok(f"storage.type is {kind} and a minio Service runs in {snap.namespace}", *looked)
    bucket = str(snap.value("storage.bucketName") or "")
    if not bucket:
        return Outcome("fail", f"storage.type is {kind} but storage.bucketName is empty", looked,
                       answer="storage.metadataBucket")  # fmt: skip
    return ok(f"storage.type is {kind}, bucket {bucket}", *looked)


def cloud(snap: Snapshot) -> tuple[str | None, bool]:
    """The cloud the release runs on and whether that is certain: the answers' environment (certain), else
    what the API server's version says (``v1.30.4-eks-…``, ``v1.30.5-gke.…``; not certain), else None."""
    env = snap.target.environment
    if env is not None:
        return env, True
    version = str((snap.kubectl_version.get("serverVersion") or {}).get("gitVersion") or "")
    for marker, name in (("-eks-", "eks"), ("-gke.", "gke")):
        if marker in version:
            return name, False
    return None, False


def _identity_needed(snap: Snapshot) -> tuple[str, str, bool] | None:
    """(annotation, what, required) the control plane needs for its bucket, None when no cloud identity is.

    Only on that cloud: IRSA on eks, Workload Identity on gke (a generic install with s3 auth iam takes
    its credentials some other way, such as node roles or environment variables)."""
    env, certain = cloud(snap)
    kind = _storage_type(snap)
    if env == "eks":
        if kind == "s3" and snap.value("storage.s3.authType", "iam") != "iam":
            return None
        return IRSA_ANNOTATION, "IRSA role", certain
    if env == "gke":
        return WI_ANNOTATION, "Workload Identity", certain
    return None


def _no_identity(snap: Snapshot) -> str:
    env, _certain = cloud(snap)
    if env not in ("eks", "gke"):
        return f"no cloud identity to check: the environment is {env or 'not eks or gke'}"
    return "no cloud identity needed (storage does not use IAM)"


@check("config.cloud-identity", "IRSA / Workload Identity on the control-plane ServiceAccounts", "config")
def cloud_identity(snap: Snapshot) -> Outcome:
    """flyteadmin, datacatalog and flytepropeller carry the cloud identity annotation their storage needs."""
    if (gone := _no_values(snap) or unreadable(snap, "serviceaccounts")) is not None:
        return gone
    needed = _identity_needed(snap)
    names = list(snap.chart_objects.storage_service_accounts)
    looked = tuple(f"ServiceAccount {n} annotations" for n in names)
    if needed is None:
        return skip(_no_identity(snap), *looked)
    annotation, what, required = needed
    missing = []
    values = {}
    for name in names:
        sa = snap.named("serviceaccounts", name)
        value = str(((sa or {}).get("metadata") or {}).get("annotations", {}).get(annotation, ""))
        if sa is None or not value or "<" in value:
            missing.append(name)
        values[name] = value
    if not missing:
        distinct = sorted(set(values.values()))
        return ok(f"{annotation} set on {', '.join(names)} ({', '.join(distinct)})", *looked)
    plan = snap.target.plan
    answer = "identity.awsRoleArn" if annotation == IRSA_ANNOTATION else "identity.gcpServiceAccount"
    given = ""
    if plan is not None:
        given = plan.identity.aws_role_arn if annotation == IRSA_ANNOTATION else plan.identity.gcp_service_account
    cmd = (
        f"{kubectl_cmd(snap)} annotate serviceaccount {' '.join(missing)} {annotation}={given or '<value>'} --overwrite"
    )
    return Outcome(
        "fail" if required else "warn",
        f"{', '.join(missing)} lack{'s' if len(missing) == 1 else ''} the {what} annotation {annotation}: "
        "storage calls will be denied (AccessDenied / 403)",
        looked,
        fix=f"set {answer} and upgrade (it annotates all three ServiceAccounts); make the trust policy allow "
        f"system:serviceaccount:{snap.namespace}:<sa>",
        commands=(cmd,),
        answer=answer,
    )


def project_namespaces(snap: Snapshot) -> list[str]:
    """``<project>-<domain>`` for the seeded projects and the configured domains."""
    projects = snap.value("flyteadmin.initialProjects") or []
    domains = [d.get("id") for d in snap.value("configmap.domain.domains") or [] if isinstance(d, dict)]
    return [f"{p}-{d}" for p in projects for d in domains if p and d]


@check("config.task-identity", "cloud identity on task namespaces' default ServiceAccount", "config")
def task_identity(snap: Snapshot) -> Outcome:
    """Task pods run as each project namespace's ``default`` SA; it needs the same kind of identity."""
    if (gone := _no_values(snap) or unreadable(snap, "default-serviceaccounts")) is not None:
        return gone
    needed = _identity_needed(snap)
    namespaces = project_namespaces(snap)
    looked = tuple(f"ServiceAccount default in {n}" for n in namespaces[:3]) + (("…",) if len(namespaces) > 3 else ())
    if needed is None:
        return skip(_no_identity(snap), *looked)
    annotation, _what, _required = needed
    by_ns = {str(meta(sa).get("namespace")): sa for sa in snap.default_service_accounts}
    present = [n for n in namespaces if n in by_ns]
    if not present:
        return skip("no project namespace exists yet (see runtime.projects)", *looked)
    bare = [n for n in present if not (meta(by_ns[n]).get("annotations") or {}).get(annotation)]
    if not bare:
        return ok(f"{annotation} set on the default ServiceAccount of {len(present)} project namespaces", *looked)
    return Outcome(
        "warn",
        f"the default ServiceAccount of {', '.join(bare[:4])}{' …' if len(bare) > 4 else ''} has no {annotation}: "
        "tasks there cannot read or write the bucket (AccessDenied when calling PutObject)",
        looked,
        fix="set the task identity for every domain (projects.taskIdentity / customData defaultIamRole) so the "
        "cluster-resource templates annotate each namespace's default ServiceAccount",
        commands=tuple(f"{kubectl_cmd(snap, n)} get serviceaccount default -o yaml" for n in bare[:3]),
        answer="projects",
    )


@check("config.configmaps", "ConfigMaps present", "config")
def configmaps(snap: Snapshot) -> Outcome:
    """Every ConfigMap the enabled components mount exists."""
    if (gone := _no_values(snap) or unreadable(snap, "configmaps")) is not None:
        return gone
    mounted = snap.chart_objects.configmaps
    wanted = [cm for comp in snap.expected_components() for cm in mounted.get(comp.name, ())]
    have = {str(meta(cm).get("name")) for cm in snap.items("configmaps")}
    missing = [cm for cm in wanted if cm not in have]
    looked = (f"configmaps in {snap.namespace}",)
    if not missing:
        return ok(f"all {len(wanted)} ConfigMaps present", *looked)
    return Outcome(
        "fail",
        f"missing ConfigMap{'s' if len(missing) > 1 else ''}: {', '.join(missing)} (pods mounting them stay in "
        "ContainerCreating)",
        looked,
        fix="upgrade the release so helm re-creates them",
        commands=(f"helm upgrade {snap.release} <chart> -n {snap.namespace} --reuse-values",),
    )


@check("config.placeholders", "no <PLACEHOLDER> values left", "config")
def placeholders(snap: Snapshot) -> Outcome:
    """Values copied from an example file still hold ``<RDS_HOST>``-style placeholders."""
    if (gone := _no_values(snap)) is not None:
        return gone
    found = list(find_placeholders(snap.values))
    looked = (f"helm get values {snap.release} --all",)
    if not found:
        return ok("no placeholder left in the release's values", *looked)
    return Outcome(
        "fail",
        f"{len(found)} placeholder value{'s' if len(found) > 1 else ''} left from an example file: "
        + ", ".join(p.path for p in found[:5])
        + (" …" if len(found) > 5 else ""),
        looked,
        evidence=tuple(f"{p.path}: {p.message}" for p in found[:10]),
        fix="replace every placeholder with the real value and upgrade",
    )


@check("config.namespace-keys", "hard-coded 'flyte' namespace keys rewritten", "config")
def namespace_keys(snap: Snapshot) -> Outcome:
    """With a namespace other than ``flyte``, the keys flyte-core hard-codes to ``flyte`` must follow it."""
    if (gone := _no_values(snap)) is not None:
        return gone
    looked = ("values configmap.core.propeller.leader-election.lock-config-map.namespace", "values (all strings)")
    default_namespace = snap.chart_objects.hardcoded_namespace
    if not default_namespace:
        return skip("the chart hard-codes no namespace", *looked)
    if snap.namespace == default_namespace:
        return skip(f"the namespace is {default_namespace}: nothing to rewrite", *looked)
    lock = snap.value("configmap.core.propeller.leader-election.lock-config-map.namespace")
    stale = [
        path
        for path, text in string_leaves(snap.values)
        if f".{default_namespace}.svc" in text or text.endswith(f".{default_namespace}:8000")
    ]
    if lock == default_namespace:
        stale.insert(0, "configmap.core.propeller.leader-election.lock-config-map.namespace")
    if not stale:
        return ok(f"no value still points at namespace {default_namespace}", *looked)
    return Outcome(
        "fail" if lock == default_namespace else "warn",
        f"{len(stale)} value{'s' if len(stale) > 1 else ''} still point at namespace {default_namespace} while "
        f"Flyte runs in {snap.namespace}: " + ", ".join(stale[:4]) + (" …" if len(stale) > 4 else ""),
        looked,
        evidence=tuple(stale[:10]),
        fix=f"rewrite them to {snap.namespace} (flyte-tui render does it for you) and upgrade; propeller's leader "
        f'election fails with configmaps "propeller-leader" … namespaces "{default_namespace}" not found',
        commands=(f"{kubectl_cmd(snap)} get configmap {snap.chart_objects.propeller_config} -o yaml",),
    )
