"""Upgrading from the welcome screen on the real test bed, keys only, with a saved answers file and without:
the chart source is the saved one (helm does not record it), a saved answers file that disagrees with the
release (the chart version too) shows the drift dialog, and the answers saved keep only what the user set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.answers import load_answers, write_answers
from flyte_tui.model.plan import DEFAULT_REPO
from flyte_tui.release import find_release
from flyte_tui.tools.helm import Helm
from flyte_tui.tui.app import make_app
from flyte_tui.tui.steps import STEP_IDS
from tests.e2e.test_app_flows import install_release, user_shell  # noqa: F401 (a fixture)
from tests.e2e.test_install import answers
from tests.e2e.ui import field_value, shows, text, toasts, until
from tests.tui.keys import next_step, tab_to_id, type_into

pytestmark = pytest.mark.e2e

SIZE = (120, 40)


def saved_answers(testbed: Any, namespace: str, version: str) -> dict[str, Any]:
    """The answers file a user keeps beside the release: the test bed's repository, a chart version."""
    data = answers(testbed, namespace)
    data["target"]["chart"]["version"] = version
    return data


async def upgrade_from_welcome(pilot: Any) -> None:
    """Welcome (the real detection) → Upgrade the existing release."""
    app = pilot.app
    await until(pilot, lambda: app.detection is not None and getattr(app.screen, "controls_ready", False), 30)
    await until(pilot, lambda: bool(app.screen.query("#upgrade")) and app.screen.query_one("#upgrade").display, 30)
    await tab_to_id(pilot, "upgrade")
    await pilot.press("enter")


async def test_upgrade_keeps_the_saved_chart_source_and_shows_the_version_drift(
    testbed, flyte_namespace, user_shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    install_release(testbed, flyte_namespace, tmp_path, "v1.16.7")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    write_answers(saved_answers(testbed, flyte_namespace, "v1.16.8"), Path("flyte-tui.yaml"))

    app = make_app(None, recovery_dir=tmp_path / "state", deterministic=True)  # `flyte-tui` beside the file
    async with app.run_test(size=SIZE) as pilot:
        await upgrade_from_welcome(pilot)
        await until(pilot, lambda: shows(app, "#drift-lines"), 60)
        assert text(app, "#drift-lines").splitlines() == ["target.chart.version: 'v1.16.8' (file) → 'v1.16.7' (live)"]
        await pilot.press("enter")  # the live release (focused)
        await until(pilot, lambda: app.current_step == "target", 30)
        assert field_value(app, "target.chart.repo") == testbed.repo_url  # not the public repository
        assert field_value(app, "target.chart.version") == "v1.16.7"
        await pilot.press("ctrl+s")
        await pilot.pause()
    kept = load_answers(work / "flyte-tui.yaml")
    assert kept["target"]["chart"] == {"repo": testbed.repo_url, "name": "flyte-core", "version": "v1.16.7"}


async def test_upgrade_saves_only_what_the_user_set(
    testbed, flyte_namespace, user_shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    install_release(testbed, flyte_namespace, tmp_path, "v1.16.8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    saved = saved_answers(testbed, flyte_namespace, "v1.16.8")
    write_answers(saved, Path("flyte-tui.yaml"))
    size = Path("flyte-tui.yaml").stat().st_size

    app = make_app(None, recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await upgrade_from_welcome(pilot)
        await until(pilot, lambda: app.current_step == "target", 60)  # no drift: the saved answers, no dialog
        assert field_value(app, "target.chart.repo") == testbed.repo_url
        for _ in range(3):
            await next_step(pilot)
        await until(pilot, lambda: app.current_step == "database", 10)
        await type_into(pilot, "database.host", "db2.example.com")
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = load_answers(work / "flyte-tui.yaml")
    assert after["database"]["host"] == "db2.example.com"
    assert "resources" not in after and "projects" not in after  # replicas, requests, limits stay defaults
    assert {k: after[k] for k in ("target", "ingress", "extraValues")} == {
        k: saved[k] for k in ("target", "ingress", "extraValues")
    }
    assert Path(work / "flyte-tui.yaml").stat().st_size < size + 100


async def test_without_saved_answers_the_upgrade_says_the_chart_source_is_a_guess(
    testbed, flyte_namespace, user_shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    install_release(testbed, flyte_namespace, tmp_path, "v1.16.8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    app = make_app(None, recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await upgrade_from_welcome(pilot)
        await until(pilot, lambda: app.current_step == "target", 60)
        assert field_value(app, "target.chart.repo") == DEFAULT_REPO
        assert any("helm does not record where a release's chart came from" in t for t in toasts(app)), toasts(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    written = load_answers(work / "flyte-tui.yaml")
    assert written["target"]["chart"]["version"] == "v1.16.8"  # the release's own version
    assert "resources" not in written and "projects" not in written  # chart defaults stay defaults
    assert written["storage"]["metadataBucket"] == "acme-flyte-meta"


async def test_an_answers_file_for_a_deployed_release_goes_through_the_upgrade_review(
    testbed, flyte_namespace, user_shell, tmp_path: Path  # noqa: F811
) -> None:
    install_release(testbed, flyte_namespace, tmp_path, "v1.16.8")
    work = tmp_path / "work"
    work.mkdir()
    changed = saved_answers(testbed, flyte_namespace, "v1.16.8")
    changed["database"]["host"] = "db2.example.com"
    write_answers(changed, work / "flyte-tui.yaml")
    helm = Helm(str(testbed.helm4), testbed.context, flyte_namespace, testbed.env)

    app = make_app(work / "flyte-tui.yaml", recovery_dir=tmp_path / "state", deterministic=True)  # flyte-tui -f
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.current_step == "target", 30)
        await until(pilot, lambda: app.detection is not None, 30)
        for _ in range(STEP_IDS.index("review") - STEP_IDS.index("target")):
            await next_step(pilot)
        assert app.current_step == "review"
        await tab_to_id(pilot, "install")
        await pilot.press("enter")  # Save and install
        await until(pilot, lambda: shows(app, "#review-title") or shows(app, "#runner-title"), 60)
        assert shows(app, "#review-title"), "Save and install changed the release without the upgrade review"
        info = find_release(helm, "flyte")
        assert info is not None and info.revision == 1  # nothing applied yet
        assert text(app, "#layer-answers").splitlines() == ["~ database.host: 'db.example.com' → 'db2.example.com'"]
        await pilot.press("a")
        await until(pilot, lambda: shows(app, "#runner-title"))
        runner: Any = app.screen
        assert runner.options.rollback_on_failure
        await until(pilot, lambda: "Release state:" in text(app, "#runner-status"))
    info = find_release(helm, "flyte")
    assert info is not None and info.revision == 2

