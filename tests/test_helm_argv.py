"""The helm argv builders take one planned release: each release of a plan (several for a control plane and
its data planes) gets its own command, with its own kube context, namespace and chart."""

from __future__ import annotations

import dataclasses

from flyte_tui.charts import plan_releases, validate_answers
from flyte_tui.tools.helm import chart_args, display, template_argv, upgrade_install_argv
from tests.conftest import REALISTIC


def test_each_planned_release_gets_its_own_command() -> None:
    plan = validate_answers(REALISTIC["generic"]).plan
    assert plan is not None
    control = plan_releases(plan)[0]
    data_plane = dataclasses.replace(
        control, context="data-plane-1", namespace="flyte-dp", release="flyte-dp",
        chart=control.chart.model_copy(update={"repo": "https://charts.mirror.example.com/flyte"}),
    )  # fmt: skip

    argv = upgrade_install_argv(data_plane, "dp.yaml", "helm")

    assert argv[:4] == ["helm", "upgrade", "--install", "flyte-dp"]
    assert argv[4:8] == ["flyte-core", "--repo", "https://charts.mirror.example.com/flyte", "--version"]
    assert argv[argv.index("--namespace") : argv.index("--namespace") + 2] == ["--namespace", "flyte-dp"]
    assert argv[-2:] == ["--kube-context", "data-plane-1"]
    assert display(upgrade_install_argv(control, "v.yaml")) != display(argv)
    assert template_argv(data_plane, "dp.yaml")[2:4] == ["flyte-dp", "flyte-core"]
    assert chart_args(data_plane, "v1.16.7")[-2:] == ["--version", "v1.16.7"]
