"""The wizard's uninstall as a user drives it on the real test bed, with the keyboard only: Welcome (the real
detection finds release ``flyte``) → Uninstall it → the preview read from the cluster → the confirm dialog →
the runner, Uninstalled → back on Welcome, which no longer finds the release."""

from __future__ import annotations

from pathlib import Path

import k8s_helpers as kh
import pytest

from tests.e2e.test_app_flows import SIZE, install_release, user_shell, wizard
from tests.e2e.ui import shows, text, until
from tests.tui.keys import ready, tab_to_id

pytestmark = pytest.mark.e2e
__all__ = ["user_shell"]  # the fixture: the user's shell on the test bed


async def test_uninstall_from_the_welcome_screen(testbed, flyte_namespace, user_shell, tmp_path: Path) -> None:
    namespace = flyte_namespace
    install_release(testbed, namespace, tmp_path, "v1.16.8")
    app = wizard(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tab_to_id(pilot, "uninstall")
        await pilot.press("enter")
        await until(pilot, lambda: "Nothing is removed until you confirm." in text(app, "#uninstall-status"), 60)
        preview = text(app, "#uninstall-lines")
        assert "  flyte: flyte-core-v1.16.8, revision 1, deployed, 7 pod(s)" in preview
        assert "Secrets flyte-tui created: db-pass, flyte-storage (deleted)" in preview
        await tab_to_id(pilot, "uninstall")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "#confirm-uninstall"))
        await tab_to_id(pilot, "confirm-uninstall")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "#runner-title"))
        assert text(app, "#runner-title") == f"Uninstalling: release flyte in namespace {namespace} ({testbed.context})"
        await until(pilot, lambda: text(app, "#runner-status").startswith(("Uninstalled.", "The uninstall")), 180)
        assert text(app, "#runner-status").startswith("Uninstalled."), text(app, "#runner-status")
        assert kh.release_state(testbed, Path(testbed.helm4), namespace) == "not installed"
        assert kh.pods(testbed, namespace) == []
        secrets = testbed.kubectl_run("get", "secrets", "-n", namespace, "-l", "app.kubernetes.io/managed-by=flyte-tui",
                                      "-o", "name").stdout  # fmt: skip
        assert secrets.strip() == ""
        await pilot.press("escape")  # the runner closes; Welcome looks for the release again
        await until(pilot, lambda: shows(app, "#release") and not app.screen.query_one("#release-buttons").display)
    assert (tmp_path / "work" / "flyte-tui-uninstall.log").is_file()
