"""Task plugins: the catalog of the ``plugins`` answer and its rules (NEXT-CAPABILITIES §3).

Each :class:`Plugin` says which task types it serves, the operator it needs on the cluster, the CRDs and the
versions of them Flyte 1.16 talks to, the operator's install command and one line on what it is for. The
rules (:func:`check_plugins`) name the field (``plugins.1``) and what is accepted; rendering is the chart
profiles' (``charts/*/render_plugins.py``), the CRD checks are preflight's and the doctor's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flyte_tui import tree
from flyte_tui.model.names import BINARY_CHART, shown
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem

CHART_DEFAULT_PLUGINS = ("container", "sidecar", "k8s-array", "connector-service", "echo")
"""``enabled-plugins`` of both charts (v1.16): a list given in values replaces it, so these are repeated."""

WRITE_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete")
"""What propeller does with a plugin's objects (flyte-binary's ``rbac.extraRules``)."""


@dataclass(frozen=True)
class Crd:
    """A CustomResourceDefinition a plugin's operator installs, and the versions of it Flyte 1.16 creates."""

    name: str
    """``<plural>.<group>``, e.g. ``rayjobs.ray.io``."""
    versions: tuple[str, ...]
    """The served versions Flyte talks to (one must be served)."""

    @property
    def group(self) -> str:
        """The API group (``ray.io``)."""
        return self.name.partition(".")[2]

    @property
    def plural(self) -> str:
        """The resource (``rayjobs``)."""
        return self.name.partition(".")[0]


@dataclass(frozen=True)
class Plugin:
    """One task plugin a user can choose."""

    name: str
    """The answer (``plugins: [spark]``)."""
    plugin_id: str
    """The id in propeller's ``enabled-plugins``."""
    task_types: tuple[str, ...]
    """The task types mapped to it in ``default-for-task-types`` (none: discovered at run time)."""
    operator: str
    """What must run on the cluster for it."""
    crds: tuple[Crd, ...]
    """The CRDs that operator installs (checked before installing, and by the doctor)."""
    install: str
    """How to install the operator."""
    purpose: str
    """One line on what it is for."""
    rbac_resources: tuple[str, ...] = ()
    """flyte-binary: the resources of the CRDs' group propeller creates (``rbac.extraRules``)."""


_KUBEFLOW = "Kubeflow training-operator v1"
_KUBEFLOW_INSTALL = 'kubectl apply -k "github.com/kubeflow/training-operator/manifests/overlays/standalone?ref=v1.7.0"'

CATALOG: dict[str, Plugin] = {
    p.name: p
    for p in (
        Plugin(
            "spark",
            "spark",
            ("spark",),
            "Kubeflow spark-operator",
            (Crd("sparkapplications.sparkoperator.k8s.io", ("v1beta2",)),),
            "helm repo add spark-operator https://kubeflow.github.io/spark-operator && helm install spark-operator "
            "spark-operator/spark-operator -n spark-operator --create-namespace --set 'spark.jobNamespaces={}'",
            "Spark jobs (a driver and executors per task) through SparkApplications",
            ("sparkapplications",),
        ),
        Plugin(
            "ray",
            "ray",
            ("ray",),
            "KubeRay operator (1.1 or newer)",
            (Crd("rayjobs.ray.io", ("v1",)), Crd("rayclusters.ray.io", ("v1",))),
            "helm repo add kuberay https://ray-project.github.io/kuberay-helm && helm install kuberay-operator "
            "kuberay/kuberay-operator -n ray-system --create-namespace --version 1.1.0",
            "Ray clusters per task through RayJobs",
            ("rayjobs",),
        ),
        Plugin(
            "pytorch",
            "pytorch",
            ("pytorch",),
            _KUBEFLOW,
            (Crd("pytorchjobs.kubeflow.org", ("v1",)),),
            _KUBEFLOW_INSTALL,
            "distributed PyTorch training through PyTorchJobs",
            ("pytorchjobs",),
        ),
        Plugin(
            "tensorflow",
            "tensorflow",
            ("tensorflow",),
            _KUBEFLOW,
            (Crd("tfjobs.kubeflow.org", ("v1",)),),
            _KUBEFLOW_INSTALL,
            "distributed TensorFlow training through TFJobs",
            ("tfjobs",),
        ),
        Plugin(
            "mpi",
            "mpi",
            ("mpi",),
            _KUBEFLOW,
            (Crd("mpijobs.kubeflow.org", ("v1",)),),
            _KUBEFLOW_INSTALL,
            "MPI and Horovod jobs through MPIJobs",
            ("mpijobs",),
        ),
        Plugin(
            "dask",
            "dask",
            ("dask",),
            "dask-kubernetes-operator",
            (Crd("daskjobs.kubernetes.dask.org", ("v1",)),),
            "helm repo add dask https://helm.dask.org && helm install dask-kubernetes-operator "
            "dask/dask-kubernetes-operator -n dask-operator --create-namespace",
            "Dask clusters per task through DaskJobs",
            ("daskjobs",),
        ),
        Plugin(
            "connector",
            "connector-service",
            (),
            "the flyteconnector service (deployed by the chart: flyteconnector.enabled)",
            (),
            "nothing to install first: flyte-tui sets flyteconnector.enabled in the chart",
            "connector tasks (BigQuery, Databricks, Snowflake, OpenAI…) served by the flyteconnector gRPC service",
        ),
    )
}
"""Every plugin the ``plugins`` answer accepts, by its name."""

ACCEPTED = ", ".join(CATALOG)
"""The accepted names, for messages."""


def chosen(plan: InstallPlan) -> list[Plugin]:
    """The catalog entries of the plan's plugins, in order, unknown names and repeats left out."""
    seen: dict[str, Plugin] = {}
    for name in plan.plugins:
        if name in CATALOG:
            seen.setdefault(name, CATALOG[name])
    return list(seen.values())


def enabled_plugins(plan: InstallPlan) -> list[str]:
    """``enabled-plugins`` for the plan: the chart's defaults, then each chosen plugin's id once."""
    ids = list(CHART_DEFAULT_PLUGINS)
    ids.extend(p.plugin_id for p in chosen(plan) if p.plugin_id not in ids)
    return ids


def task_type_defaults(plan: InstallPlan) -> dict[str, str]:
    """The ``default-for-task-types`` entries the chosen plugins add (the chart's own are kept by helm)."""
    return {task_type: p.plugin_id for p in chosen(plan) for task_type in p.task_types}


def task_plugins(plan: InstallPlan) -> dict[str, Any]:
    """The ``task-plugins`` block the chosen plugins make (both charts): ``enabled-plugins`` when it differs from
    the chart's, the new ``default-for-task-types``; empty when nothing differs."""
    block: dict[str, Any] = {}
    enabled = enabled_plugins(plan)
    if enabled != list(CHART_DEFAULT_PLUGINS):
        block["enabled-plugins"] = enabled
    types = task_type_defaults(plan)
    if types:
        block["default-for-task-types"] = types
    return block


def put_task_plugins(values: dict[str, Any], plan: InstallPlan, where: tuple[str, ...]) -> None:
    """Write :func:`task_plugins` at ``where`` in ``values`` (nothing when it is empty)."""
    block = task_plugins(plan)
    if block:
        tree.put(values, where, block)


def task_plugins_owned(where: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The keys :func:`put_task_plugins` may write at ``where`` (re-rendering removes a stale one)."""
    types = (t for p in CATALOG.values() for t in p.task_types)
    return ((*where, "enabled-plugins"), *((*where, "default-for-task-types", t) for t in types))


SPARK_ACCOUNT = "spark"
"""The ServiceAccount Spark's driver runs as in a project namespace (unless the task names another)."""
SPARK_ROLE = "spark-role"
_NS = "'{{ namespace }}'"
"""The project namespace in a cluster-resource template (the cluster resource manager fills it in)."""


def wants_spark(plan: InstallPlan) -> bool:
    """Whether the plan chooses the Spark plugin."""
    return any(p.name == "spark" for p in chosen(plan))


def spark_templates(identity: tuple[str, str] | None = None) -> dict[str, str]:
    """The cluster-resource templates Spark's driver needs in every project namespace (NEXT-CAPABILITIES §3.3),
    by name: ServiceAccount ``spark`` (with ``identity``'s annotation, (customData variable, annotation), on
    EKS and GKE), Role ``spark-role`` on pods, services, configmaps and volume claims, and its RoleBinding."""

    def meta(name: str) -> str:
        return f"metadata:\n  name: {name}\n  namespace: {_NS}\n"

    annotated = f"  annotations:\n    {identity[1]}: '{{{{ {identity[0]} }}}}'\n" if identity else ""
    rbac = "apiVersion: rbac.authorization.k8s.io/v1\n"
    return {
        "service_account": "apiVersion: v1\nkind: ServiceAccount\n" + meta(SPARK_ACCOUNT) + annotated,
        "role": f"{rbac}kind: Role\n{meta(SPARK_ROLE)}rules:\n- apiGroups: ['']\n"
        f"  resources: [{', '.join(SPARK_RESOURCES)}]\n  verbs: ['*']\n",
        "role_binding": f"{rbac}kind: RoleBinding\n{meta(SPARK_ROLE + '-binding')}roleRef:\n"
        f"  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {SPARK_ROLE}\nsubjects:\n"
        f"- kind: ServiceAccount\n  name: {SPARK_ACCOUNT}\n  namespace: {_NS}\n",
    }


SPARK_RESOURCES = ("pods", "services", "configmaps", "persistentvolumeclaims")
"""What Spark's driver manages in its namespace (its executors, their Service, config and volumes)."""


def connector_endpoint(namespace: str) -> str:
    """The connector's gRPC endpoint in the release namespace (the charts' default names ``flyte``)."""
    return f"k8s://flyteconnector.{namespace}:8000"


def is_binary(plan: InstallPlan) -> bool:
    """Whether the plan installs the flyte-binary chart."""
    return plan.target.chart.name == BINARY_CHART


ENABLED_PATHS = {
    True: ("enabled_plugins", "tasks", "task-plugins", "enabled-plugins"),
    False: ("configmap", "enabled_plugins", "tasks", "task-plugins", "enabled-plugins"),
}
"""Where each chart (flyte-binary: True) takes ``enabled-plugins``."""


def check_plugins(plan: InstallPlan) -> Iterator[Problem]:
    """Every problem of the ``plugins`` answer, each at its field."""
    seen: set[str] = set()
    for i, name in enumerate(plan.plugins):
        if name not in CATALOG:
            hint = f" (names are lower case: {name.lower()})" if name.lower() in CATALOG else ""
            known = f"is not a task plugin flyte-tui knows{hint}; accepted: {ACCEPTED}"
            yield Problem(f"plugins.{i}", f"{shown(name)} {known}")
        elif name in seen:
            yield Problem(f"plugins.{i}", f"{shown(name)} is listed twice")
        seen.add(name)
    if not plan.plugins:
        return
    yield from _extra_values(plan)
    templates = ("clusterResourceTemplates", "inline") if is_binary(plan) else ("cluster_resource_manager", "templates")
    if wants_spark(plan) and isinstance(tree.get(plan.extra_values, templates), list):
        yield Problem(
            "extraValues." + ".".join(templates),
            f"this list replaces the templates flyte-tui writes, Spark's too (ServiceAccount {SPARK_ACCOUNT}, Role "
            f"{SPARK_ROLE} and its RoleBinding in every project namespace): repeat them or remove the list",
            "warning",
        )


def _extra_values(plan: InstallPlan) -> Iterator[Problem]:
    """``extraValues`` that would undo the plugins: a replacing ``enabled-plugins`` list; flyte-binary without
    its ClusterRole (the plugins' rules live in it)."""
    binary = is_binary(plan)
    path = ENABLED_PATHS[binary]
    given: Any = tree.get(plan.extra_values, path)
    if isinstance(given, list):
        names = {str(n).strip().lower() for n in given}
        missing = [n for n in enabled_plugins(plan) if n not in names]
        if missing:
            yield Problem(
                "extraValues." + ".".join(path),
                f"this list replaces the chart's and leaves out {', '.join(missing)}: a task type whose plugin is "
                "not enabled silently runs as a plain pod; remove the list (plugins adds to the defaults) or "
                "repeat them",
            )
    if binary and tree.get(plan.extra_values, ("rbac", "create")) is False and chosen(plan):
        yield Problem(
            "extraValues.rbac.create",
            "flyte-binary with rbac.create false has no ClusterRole, so none of the rules the plugins need "
            "(rbac.extraRules); remove it or grant them yourself",
            "warning",
        )
    if binary and tree.get(plan.extra_values, ("rbac", "extraRules")) is not None:
        yield Problem(
            "extraValues.rbac.extraRules",
            "this list replaces the rules flyte-tui writes for the plugins; repeat them or remove it",
            "warning",
        )


@dataclass(frozen=True)
class CrdProblem:
    """A chosen plugin's CRD that is not on the cluster, or not served at a version Flyte talks to."""

    plugin: Plugin
    crd: Crd
    served: tuple[str, ...]
    """The versions the cluster serves (empty: the CRD is absent)."""

    def __str__(self) -> str:
        p, crd = self.plugin, self.crd
        if not self.served:
            found = "is not on the cluster"
        else:
            found = f"is served at {', '.join(self.served)}, not {' or '.join(crd.versions)} (what Flyte 1.16 creates)"
        return f"plugin {p.name} needs CRD {crd.name}, which {found}: install the {p.operator}: {p.install}"


def crd_problems(plugins: list[Plugin], crds: list[dict[str, Any]]) -> list[CrdProblem]:
    """What is wrong with the CRDs the ``plugins`` need, given the cluster's CRD objects (``kubectl get crd``)."""
    served: dict[str, tuple[str, ...]] = {}
    for item in crds:
        name = tree.get(item, ("metadata", "name"))
        versions = tree.get(item, ("spec", "versions"))
        if isinstance(name, str) and isinstance(versions, list):
            served[name] = tuple(
                str(v.get("name")) for v in versions if isinstance(v, dict) and v.get("served") is not False
            )
    return [
        CrdProblem(p, crd, served.get(crd.name, ()))
        for p in plugins
        for crd in p.crds
        if not set(crd.versions) & set(served.get(crd.name, ()))
    ]
