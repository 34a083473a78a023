"""Preflight of the chosen task plugins: each one's CRDs are on the cluster and served at a version Flyte 1.16
creates. Without them propeller's informer for the plugin fails, and tasks of that type fail at run time; so
the install stops before helm, naming the CRD and the operator's install command (NEXT-CAPABILITIES §3.2)."""

from __future__ import annotations

from collections.abc import Iterator

from flyte_tui.events import Event, Explanation, OutputLine
from flyte_tui.install.context import ReleaseRun, StepError
from flyte_tui.model.plugins import chosen, crd_problems
from flyte_tui.tools import output
from flyte_tui.tools.kubectl import KubectlError


def check_plugins(run: ReleaseRun) -> Iterator[Event]:
    """Stop (:class:`StepError`) when a chosen plugin's CRD is missing or not served at Flyte's version; a CRD list
    that cannot be read is a warning (the RBAC of the installer may not allow it)."""
    plugins = [p for p in chosen(run.plan) if p.crds]
    if not plugins:
        return
    try:
        items = run.kubectl.get_json("crd", namespaced=False).get("items", [])
    except (KubectlError, output.UnexpectedOutput) as exc:
        yield OutputLine(
            "preflight",
            f"warning: cannot read the cluster's CRDs ({exc}); the plugins' operators are not checked; going on",
            "stderr",
        )
        return
    problems = crd_problems(plugins, items if isinstance(items, list) else [])
    if problems:
        first = problems[0]
        raise StepError(
            "plugins: " + "; ".join(str(p) for p in problems),
            Explanation(
                summary=f"plugin {first.plugin.name}: CRD {first.crd.name} is missing or at another version",
                object=f"customresourcedefinition/{first.crd.name}",
                cause="propeller would watch objects the cluster cannot serve, and the plugin's tasks would fail",
                fix=f"install the {first.plugin.operator} ({first.plugin.install}), or remove "
                f"{first.plugin.name} from plugins",
                answer="plugins",
            ),
        )
    names = ", ".join(crd.name for p in plugins for crd in p.crds)
    yield OutputLine("preflight", f"plugins' CRDs served: {names}")
