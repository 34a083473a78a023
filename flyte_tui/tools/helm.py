"""Helm argv building. Every command is an argument list; nothing goes through a shell."""

from __future__ import annotations

import shlex
from pathlib import Path

from flyte_tui.model.plan import InstallPlan


def upgrade_install_argv(
    plan: InstallPlan,
    values_file: Path | str,
    helm: str = "helm",
    extra: list[str] | None = None,
) -> list[str]:
    """``helm upgrade --install`` for the plan: release, chart (repo, path or OCI), version, namespace, values."""
    t = plan.target
    argv = [helm, "upgrade", "--install", t.release, t.chart.reference()]
    if t.chart.repo:
        argv += ["--repo", t.chart.repo]
    if t.chart.version and not t.chart.path:
        argv += ["--version", t.chart.version]
    argv += ["--namespace", t.namespace, "--create-namespace", "--values", str(values_file)]
    if t.context:
        argv += ["--kube-context", t.context]
    return argv + list(extra or [])


def template_argv(plan: InstallPlan, values_file: Path | str, helm: str = "helm") -> list[str]:
    """``helm template`` for the plan, rendering offline exactly what an install would apply."""
    t = plan.target
    argv = [helm, "template", t.release, t.chart.reference()]
    if t.chart.repo:
        argv += ["--repo", t.chart.repo]
    if t.chart.version and not t.chart.path:
        argv += ["--version", t.chart.version]
    return [*argv, "--namespace", t.namespace, "--values", str(values_file)]


def display(argv: list[str]) -> str:
    """An argv as a line a user can paste into a POSIX shell."""
    return shlex.join(argv)
