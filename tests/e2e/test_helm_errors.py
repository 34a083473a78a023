"""helm's several errors at once (issue 12, item 27): helm 3 says "Error: 4 errors occurred:" with each error on a
``*`` line under it, helm 4 one error per line; the failed step quotes the first few and says how many there are."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers

pytestmark = pytest.mark.e2e

BAD_LABEL = {"podLabels": {"team": "not a label value!"}}
"""A label value the API server refuses: every Deployment carrying it is invalid."""
COMPONENTS = ("flyteadmin", "datacatalog", "flyteconsole", "flytepropeller")


def test_several_helm_errors_are_shown_with_a_count(testbed, namespace, helm_bin, tmp_path) -> None:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace, **{c: BAD_LABEL for c in COMPONENTS})))
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-helm-errors", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAHELMERRORS",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-helm-errors"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--json", "--helm", str(helm_bin),
         "--kubectl", str(testbed.kubectl), "--timeout", "1m", "-o", str(tmp_path / "values.yaml"), str(path)],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    assert done.returncode == 1, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    [failed] = [e for e in events if e["event"] == "StepFailed"]
    message = failed["message"]
    assert failed["step"] == "helm" and message.startswith("helm upgrade --install failed: Error"), message
    assert "4 errors" in message, message
    named = [c for c in COMPONENTS if c in message]
    assert len(named) == 3 and "; and 1 more" in message, message  # the first three, and how many more
    assert "not a label value!" in message
