"""``flyte-tui diff`` before anything is installed: the review of a new release, not helm's refusal.

``helm upgrade --dry-run=server`` without ``--install`` refuses a release that does not exist yet
("has no deployed releases"); the review must still show every object the install would create.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.yamlio import dump
from flyte_tui.review.review import review_plan
from flyte_tui.tools.helm import Helm
from tests.e2e.test_install import answers, plan_of

pytestmark = pytest.mark.e2e


def test_review_of_a_release_that_does_not_exist_yet(testbed: Any, namespace: str, helm_bin: Path) -> None:
    plan = plan_of(answers(testbed, namespace))
    result = review_plan(plan, Helm(str(helm_bin), testbed.context, namespace, testbed.env))
    assert result.release is None and result.has_changes
    assert result.manifests.objects and all(o.change == "added" for o in result.manifests.objects)
    assert {"Deployment/flyteadmin", "ConfigMap/flyte-admin-base-config"} <= {
        str(o.key) for o in result.manifests.objects
    }
    assert not testbed.helm_run(helm_bin, "list", "-q", "-n", namespace).stdout.strip()  # a dry run only


def test_headless_diff_without_a_release_exits_2_with_the_new_objects(
    testbed: Any, namespace: str, helm_bin: Path, tmp_path: Path
) -> None:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))
    argv = [sys.executable, "-m", "flyte_tui.cli", "diff", "--json", "--helm", str(helm_bin), str(path)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=testbed.env, timeout=300, check=False)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["release"] is None and data["changes"] is True
    assert any(m["kind"] == "Deployment" and m["name"] == "flyteadmin" for m in data["manifests"])
    assert "no deployed releases" not in proc.stderr
