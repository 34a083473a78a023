"""The wizard's move of a flyte-binary release to flyte-core on the real test bed (issue 14), with the keyboard
only: Welcome offers Move to flyte-core for the detected flyte-binary release; the review shows both releases,
what is left behind and the order; confirmed, the runner installs flyte-core, waits until it is Ready, then
uninstalls flyte-binary, and the flyte-core answers are written beside the user's.

The user starts ``flyte-tui`` with no arguments in the folder of the answers file they installed flyte-binary
with (the welcome screen then stays, offering to open it); the release is ``flyte`` in namespace ``flyte``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flyte_tui.charts import validate_file
from flyte_tui.tui.app import WizardApp
from tests.e2e import k8s_helpers as kh
from tests.e2e.test_app_flows import SIZE, user_shell
from tests.e2e.test_migrate import crd_removed_after, install_binary
from tests.e2e.ui import shows, table_rows, text, until
from tests.tui.keys import ready, tab_to_id

pytestmark = pytest.mark.e2e
__all__ = ["crd_removed_after", "user_shell"]  # fixtures used below

CORE_COMPONENTS = {"flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler", "syncresources",
                   "flyte-pod-webhook"}  # fmt: skip


async def test_move_to_flyte_core_from_the_welcome_screen(
    testbed, flyte_namespace, user_shell, crd_removed_after, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    namespace, helm = flyte_namespace, testbed.helm4
    work = tmp_path / "work"
    work.mkdir()
    install_binary(testbed, helm, namespace, work)  # work/flyte-tui.yaml, as the user installed it
    monkeypatch.chdir(work)
    app = WizardApp(recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, 30)
        assert "flyte-binary-v1.16.8" in text(app, "#release")
        assert app.screen.query_one("#migrate").display
        await tab_to_id(pilot, "migrate")
        await pilot.press("enter")
        await until(pilot, lambda: "Nothing changes until you confirm." in text(app, "#migrate-status"), 60)
        review = text(app, "#migrate-lines").splitlines()
        assert review[0] == "Answers from flyte-tui.yaml"
        assert any(line.startswith("Old release: flyte (flyte-binary): kept, serving") for line in review), review
        assert any(line.startswith("New release: flyte-core (flyte-core v1.16.8): same database") for line in review)
        assert "Order:" in review and any(line.startswith("Left behind (") for line in review)
        assert kh.release_state(testbed, helm, namespace, "flyte-core") == "not installed"  # nothing yet
        await tab_to_id(pilot, "migrate-start")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "#confirm-migrate"))
        await tab_to_id(pilot, "confirm-migrate")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "#runner-title"))
        assert text(app, "#runner-title") == (
            f"Migrating to flyte-core: release flyte → flyte-core in namespace {namespace} ({testbed.context})"
        )
        await until(pilot, lambda: "Esc closes" in text(app, "#runner-status"), 300)
        status = text(app, "#runner-status")
        assert status.startswith("Migrated to flyte-core. The flyte-core answers: flyte-tui-core.yaml."), status
        rows = table_rows(app, "#runner-components")
        assert set(rows) == CORE_COMPONENTS and all(row[0].startswith("✓") for row in rows.values()), rows
        await pilot.press("escape")  # closes the runner: back on Welcome, the release looked for again
        await until(pilot, lambda: shows(app, "#release") and not app.screen.query_one("#release-buttons").display)

    assert kh.release_state(testbed, helm, namespace, "flyte-core") == "deployed"
    assert kh.release_state(testbed, helm, namespace, "flyte") == "not installed"
    result = validate_file(work / "flyte-tui-core.yaml")
    assert result.ok and result.plan is not None, [str(p) for p in result.problems]
    assert (result.plan.target.chart.name, result.plan.target.release) == ("flyte-core", "flyte-core")
