"""SVG snapshots of every step (and one error state) at a fixed size, with a fixed detection and no clock.

Update after a deliberate visual change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/tui/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from flyte_tui.tui.app import WizardApp, make_app

from .conftest import fixed_detection
from .keys import ready

EKS_ANSWERS = {
    "storage.metadataBucket": "acme-flyte-meta",
    "storage.region": "us-east-2",
    "database.host": "flyte.abc.us-east-2.rds.amazonaws.com",
    "identity.awsRoleArn": "arn:aws:iam::123456789012:role/flyte-system",
    "projects.taskRoleArn": "arn:aws:iam::123456789012:role/flyte-tasks",
    "ingress.host": "flyte.acme.com",
    "ingress.tls.certificateArn": "arn:aws:acm:us-east-2:123456789012:certificate/abc-123",
}


@pytest.fixture
def snapshot_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WizardApp:
    monkeypatch.chdir(tmp_path)  # relative file names on the review screen, same on every machine
    return make_app(Path("flyte-tui.yaml"), recovery_dir=tmp_path / "state", detector=fixed_detection,
                    deterministic=True)


def go(step: str, environment: str | None = "eks", answers: dict[str, Any] | None = None) -> Callable[..., Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, WizardApp)
        await ready(pilot)
        if step == "welcome":
            return
        await pilot.press("enter")  # Start fresh
        await pilot.pause()
        if environment:
            app.state.choose_environment(environment)
        for path, value in (answers or {}).items():
            app.state.set(path, value)
        app.goto(step)
        await pilot.pause()
        await pilot.pause()

    return run_before


SMALL = (80, 24)
LARGE = (120, 40)


def test_welcome(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("welcome"), terminal_size=SMALL)


def test_target(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("target", None), terminal_size=SMALL)


def test_environment(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("environment"), terminal_size=SMALL)


def test_storage(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("storage", answers=EKS_ANSWERS), terminal_size=SMALL)


def test_database(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("database", answers=EKS_ANSWERS), terminal_size=SMALL)


def test_identity_and_ingress(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("identity", answers=EKS_ANSWERS), terminal_size=LARGE)


def test_resources(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("resources", answers=EKS_ANSWERS), terminal_size=LARGE)


def test_review(snap_compare: Any, snapshot_app: WizardApp) -> None:
    assert snap_compare(snapshot_app, run_before=go("review", answers=EKS_ANSWERS), terminal_size=LARGE)


def test_error_state_next_refused(snap_compare: Any, snapshot_app: WizardApp) -> None:
    """EKS storage with no bucket and no region: Next refused, the errors under both fields."""
    assert snap_compare(snapshot_app, run_before=go("storage"), press=["ctrl+n"], terminal_size=SMALL)
