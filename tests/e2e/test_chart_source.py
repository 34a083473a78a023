"""Where the chart comes from, on the real test bed (helm 3 and helm 4): the command the review shows is the
one the installer runs, helm reads the repository with ``--repo``, and the user's helm repositories are
left as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import plan_releases
from flyte_tui.events import InstallFinished, OutputLine, StepFailed
from flyte_tui.install import Installer
from flyte_tui.tools.helm import display, upgrade_install_argv
from tests.e2e.test_install import answers, collect, options, plan_of

pytestmark = pytest.mark.e2e


def helm_repositories(testbed: Any, helm_bin: Path) -> list[dict[str, str]]:
    """The user's helm repositories (``helm repo list``; [] when there are none)."""
    done = testbed.helm_run(helm_bin, "repo", "list", "-o", "json", check=False)
    return json.loads(done.stdout or "[]") if done.returncode == 0 else []


def test_the_command_shown_is_the_one_that_runs_and_no_repository_is_added(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    data = answers(testbed, namespace)
    plan = plan_of(data)
    before = helm_repositories(testbed, helm_bin)
    opts = options(testbed, helm_bin, tmp_path)
    release = plan_releases(plan)[0]
    shown = display(upgrade_install_argv(release, opts.values_path, str(helm_bin)))  # as the review shows it

    events, _ = collect(Installer(plan, opts, releases=[release]))

    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    ran = [e.text for e in events if isinstance(e, OutputLine) and e.step == "helm" and e.text.startswith("$ ")]
    assert ran == ["$ " + shown]
    assert f"--repo {testbed.repo_url}" in shown and " flyte-core " in shown
    assert helm_repositories(testbed, helm_bin) == before
