"""A release stuck in pending-upgrade, in the wizard on the real test bed (helm 3 and helm 4): the welcome
screen shows it (chart, revision, status, when) and what it means; Upgrade opens the guided recovery with
its diff; running it rolls the release back (helm says deployed again) and the upgrade continues from the
live release."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
from textual.widgets import Static

from flyte_tui.tools import detect
from flyte_tui.tools.detect import Detection, Tool
from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.dialogs.recovery import RecoveryDialog
from flyte_tui.tui.screens.welcome import WelcomeScreen
from tests.e2e.test_upgrade import installed_then_stuck
from tests.e2e.ui import toasts, until

pytestmark = pytest.mark.e2e


@pytest.fixture
def cluster_env(testbed: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's helm reaches the test bed as a user's would: through the environment."""
    for key, value in testbed.env.items():
        monkeypatch.setenv(key, value)


def real_detection(testbed: Any, helm_bin: Path, namespace: str) -> Detection:
    """The detection the welcome screen gets, with the release asked of the test bed by the real code
    (the tools and the context are fixed: the machine's own PATH and kubeconfig are not the test bed's)."""
    helm = Tool("helm", str(helm_bin), "v4" if helm_bin.name == "helm4" else "v3")
    kubectl = Tool("kubectl", str(testbed.kubectl), "v1.36.3")
    exists, note, info, attention = detect.detect_release(kubectl, testbed.context, namespace, "flyte", helm)
    return Detection(
        helm, kubectl, (testbed.context,), testbed.context, exists, note, release=info, release_attention=attention
    )


def history(testbed: Any, helm_bin: Path, namespace: str) -> list[dict[str, Any]]:
    out = testbed.helm_run(helm_bin, "history", "flyte", "-n", namespace, "-o", "json").stdout
    data: list[dict[str, Any]] = json.loads(out)
    return data


async def test_pending_upgrade_is_shown_recovered_and_upgraded_from_the_app(
    testbed, namespace, helm_bin, cluster_env, tmp_path: Path
) -> None:
    installed_then_stuck(testbed, helm_bin, namespace, tmp_path)
    assert kh.release_state(testbed, helm_bin, namespace) == "pending-upgrade"

    app: WizardApp = make_app(
        tmp_path / "work" / "flyte-tui.yaml",
        recovery_dir=tmp_path / "state",
        detector=lambda: real_detection(testbed, helm_bin, namespace),
        deterministic=True,
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.detection is not None and getattr(app.screen, "controls_ready", False))
        welcome = app.screen
        assert isinstance(welcome, WelcomeScreen)
        line = welcome.query_one("#release", Static)
        text = str(line.render())
        assert text.startswith(
            f"⚠ release flyte in {namespace}: flyte-core-v1.16.8, revision 2, pending-upgrade, last operation 20"
        ), text
        assert "helm upgrade (revision 2) was interrupted" in text.replace("\n", " ")
        assert line.has_class("-attention")

        app.state.set("target.namespace", namespace)
        await pilot.click("#upgrade")
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        dialog = app.screen
        assert isinstance(dialog, RecoveryDialog)
        assert dialog.fix.state == "pending-upgrade" and dialog.fix.target_revision == 1
        assert "revision 2 (flyte-core-v1.16.8) has been pending-upgrade since" in str(
            dialog.query_one("#recovery-description", Static).render()
        )
        command = str(dialog.query_one("#recovery-command", Static).render())
        assert f"{helm_bin} rollback flyte 1 --namespace {namespace}" in command
        shown = str(dialog.query_one("#recovery-objects", Static).render())
        assert "~ Deployment/flyteadmin" in shown and "sim.kwok.test/fault: stuckinit" in shown  # the label goes
        assert {str(o.key) for o in dialog.fix.diff.objects} == {"Deployment/flyteadmin"}

        await pilot.click("#run")
        await until(pilot, lambda: app.upgrading and app.current_step == "target")
        assert app.state.get("storage.metadataBucket") == "acme-flyte-meta"  # read from the recovered release
        # the app read the release as the rollback left it: revision 3, the chart of revision 1
        assert any("loaded flyte (flyte-core-v1.16.8, revision 3)" in t for t in toasts(app)), toasts(app)

    assert kh.release_state(testbed, helm_bin, namespace) == "deployed"
    last = history(testbed, helm_bin, namespace)[-1]
    assert last["revision"] == 3 and last["status"] == "deployed" and "Rollback to 1" in last["description"]
