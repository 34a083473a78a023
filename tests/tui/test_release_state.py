"""The release's state on the welcome screen (chart, revision, status, last deployed; failed and pending-*
explained) and the guided recovery of a release stuck in pending-* when the user chooses Upgrade.

A fake ``helm`` (a shell script answering the few commands the core runs) stands in for the cluster, so
the whole path — detection, the core's ``find_release`` / ``recovery``, the dialog, the recovery command,
the live release read again — runs as in real use. The real cluster version is tests/e2e/test_tui_pending.py.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Static

from flyte_tui.release import ReleaseFix, ReleaseInfo, describe_release, short_time
from flyte_tui.review.diff import manifest_diff
from flyte_tui.tools import detect
from flyte_tui.tools.detect import Detection, Tool
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.dialogs.recovery import RecoveryDialog
from flyte_tui.tui.screens.welcome import WelcomeScreen
from flyte_tui.tui.upgrade_flow import RecoveryNeeded

from .conftest import FIXED
from .keys import SIZE, ready
from .test_behaviour import spy_notifications

MANIFEST = """\
---
# Source: flyte-core/templates/admin/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: flyteadmin
  namespace: flyte
spec:
  template:
    metadata:
      labels:
        app: flyteadmin{extra}
"""
DEPLOYED = MANIFEST.format(extra="")
STUCK = MANIFEST.format(extra="\n        sim.kwok.test/fault: stuckinit")

HISTORY_STUCK = (
    '[{"revision": 1, "updated": "2026-11-28T09:00:00+01:00", "status": "deployed", "chart": "flyte-core-v1.16.8", '
    '"description": "Install complete"}, {"revision": 2, "updated": "2026-11-29T10:02:33.51+01:00", '
    '"status": "pending-upgrade", "chart": "flyte-core-v1.16.8", "description": "Preparing upgrade"}]'
)
HISTORY_RECOVERED = (
    '[{"revision": 3, "updated": "2026-11-29T10:05:00+01:00", "status": "deployed", "chart": "flyte-core-v1.16.8", '
    '"description": "Rollback to 1"}]'
)


def fake_helm(bin_dir: Path, rollback: str = "ok") -> tuple[Path, Path]:
    """A helm that reports flyte/flyte stuck in pending-upgrade until ``rollback flyte 1`` ran (a marker
    file), then deployed at revision 3. ``rollback="fail"`` makes the rollback fail. Returns (helm, log)."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    marker, log = bin_dir / "rolled-back", bin_dir / "calls.log"
    stuck_last = HISTORY_STUCK.split("}, ")[1].rstrip("]")
    rollback_action = f'touch "{marker}"' if rollback == "ok" else 'echo "Error: rollback is refused" >&2; exit 1'
    script = f"""#!/bin/sh
echo "$*" >> "{log}"
case "$*" in
  "version --short") echo "v3.17.3+gdeadbee";;
  "rollback flyte 1 --namespace flyte --kube-context kind-flyte") {rollback_action};;
  "get manifest flyte --revision 2 --namespace flyte --kube-context kind-flyte") cat <<'EOF'
{STUCK}EOF
;;
  "get manifest flyte --revision 1 --namespace flyte --kube-context kind-flyte") cat <<'EOF'
{DEPLOYED}EOF
;;
  "get values flyte -o json --namespace flyte --kube-context kind-flyte") echo '{{}}';;
  "history flyte --max 1 -o json --namespace flyte --kube-context kind-flyte")
    if [ -e "{marker}" ]; then echo '{HISTORY_RECOVERED}'; else echo '[{stuck_last}]'; fi;;
  "history flyte -o json --namespace flyte --kube-context kind-flyte")
    if [ -e "{marker}" ]; then echo '{HISTORY_RECOVERED}'; else echo '{HISTORY_STUCK}'; fi;;
  *) echo "Error: unexpected call: $*" >&2; exit 1;;
esac
"""
    helm = bin_dir / "helm"
    helm.write_text(script)
    helm.chmod(helm.stat().st_mode | stat.S_IEXEC)
    return helm, log


def info(status: str, revision: int = 3) -> ReleaseInfo:
    return ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.8", revision, status, "2026-11-29T10:02:33.604+01:00")


# -- the core of detection: one line and what a bad state means -------------------------------------


def test_a_deployed_release_is_one_line_with_chart_revision_status_and_time() -> None:
    line, meaning = describe_release(info("deployed"))
    assert line == "release flyte in flyte: flyte-core-v1.16.8, revision 3, deployed, last deployed 2026-11-29 10:02"
    assert meaning == ""


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("failed", ("failed", "doctor")),
        ("pending-upgrade", ("helm upgrade (revision 3) was interrupted", "Upgrade", "recovery")),
        ("pending-install", ("helm install (revision 3) was interrupted",)),
        ("pending-rollback", ("helm rollback (revision 3) was interrupted",)),
    ],
)
def test_failed_and_pending_states_are_explained(status: str, words: tuple[str, ...]) -> None:
    line, meaning = describe_release(info(status))
    assert line == f"release flyte in flyte: flyte-core-v1.16.8, revision 3, {status}, last operation 2026-11-29 10:02"
    assert all(w in meaning for w in words), meaning


def test_helm_times_are_shortened_and_odd_ones_kept() -> None:
    assert short_time("2026-11-29T10:02:33.123456789+01:00") == "2026-11-29 10:02"
    assert short_time("2026-11-29 10:02:33.1 +0100 CET") == "2026-11-29 10:02"
    assert short_time("yesterday") == "yesterday"


def test_detect_release_asks_helm_once_and_reads_a_pending_release(tmp_path: Path) -> None:
    helm, log = fake_helm(tmp_path)
    exists, note, found, meaning = detect.detect_release(
        Tool("kubectl"), "kind-flyte", "flyte", "flyte", Tool("helm", str(helm), "v3.17.3")
    )
    assert exists is True and found is not None
    assert (found.revision, found.status, found.chart) == (2, "pending-upgrade", "flyte-core-v1.16.8")
    assert note == (
        "release flyte in flyte: flyte-core-v1.16.8, revision 2, pending-upgrade, last operation 2026-11-29 10:02"
    )
    assert "interrupted" in meaning
    assert log.read_text().splitlines() == ["history flyte --max 1 -o json --namespace flyte --kube-context kind-flyte"]


def test_detect_release_without_the_release_or_with_a_hanging_helm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "missing-helm"
    missing.write_text('#!/bin/sh\necho "Error: release: not found" >&2\nexit 1\n')
    missing.chmod(0o755)
    assert detect.detect_release(Tool("kubectl"), "ctx", "flyte", "flyte", Tool("helm", str(missing)))[:3] == (
        False,
        "release flyte in flyte: not installed",
        None,
    )
    hanging = tmp_path / "hanging-helm"
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(detect, "TIMEOUT", 0.2)
    exists, note, found, _ = detect.detect_release(Tool("kubectl"), "ctx", "flyte", "flyte", Tool("helm", str(hanging)))
    assert exists is None and found is None and "did not answer" in note


def test_without_helm_the_release_secrets_still_say_installed(tmp_path: Path) -> None:
    kubectl = tmp_path / "kubectl"
    kubectl.write_text("#!/bin/sh\necho secret/sh.helm.release.v1.flyte.v3\n")
    kubectl.chmod(0o755)
    exists, note, found, meaning = detect.detect_release(
        Tool("kubectl", str(kubectl)), "ctx", "flyte", "flyte", Tool("helm")
    )
    assert (exists, note, found, meaning) == (True, "release flyte in flyte: installed", None, "")


# -- the welcome screen --------------------------------------------------------------------------------


def detection_of(release: ReleaseInfo, helm: Path | None = None) -> Detection:
    line, meaning = describe_release(release)
    tool = Tool("helm", str(helm), "v3.17.3") if helm else FIXED.helm
    return dataclasses.replace(
        FIXED, helm=tool, release_exists=True, release_note=line, release=release, release_attention=meaning
    )


async def test_welcome_shows_a_deployed_release_plainly(wizard: Callable[..., WizardApp]) -> None:
    app = wizard(detector=lambda: detection_of(info("deployed")))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        line = app.screen.query_one("#release", Static)
        assert str(line.render()) == (
            "A Flyte release already exists: release flyte in flyte: flyte-core-v1.16.8, revision 3, deployed, "
            "last deployed 2026-11-29 10:02. You can upgrade it."
        )
        assert not line.has_class("-attention")
        assert app.screen.query_one("#release-buttons").display


@pytest.mark.parametrize("status", ["failed", "pending-upgrade"])
async def test_welcome_highlights_a_failed_or_stuck_release(wizard: Callable[..., WizardApp], status: str) -> None:
    app = wizard(detector=lambda: detection_of(info(status)))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        line = app.screen.query_one("#release", Static)
        text = str(line.render())
        assert text.startswith(f"⚠ release flyte in flyte: flyte-core-v1.16.8, revision 3, {status}")
        assert describe_release(info(status))[1] in text.replace("\n", " ")
        assert line.has_class("-attention")
        assert app.screen.query_one("#release-buttons").display  # upgrade (and recover) or diagnose


# -- the guided recovery ---------------------------------------------------------------------------------


def stuck_recovery(argv: list[str]) -> ReleaseFix:
    return ReleaseFix(
        "pending-upgrade",
        "revision 2 (flyte-core-v1.16.8) has been pending-upgrade since 2026-11-29T10:02:33+01:00: Preparing upgrade",
        argv,
        manifest_diff(STUCK, DEPLOYED),
        1,
    )


async def choose_upgrade(pilot: Any, app: WizardApp) -> None:
    """From the welcome screen, Upgrade, and wait for the live release to be asked."""
    await ready(pilot)
    await pilot.click("#upgrade")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_upgrade_of_a_stuck_release_offers_the_recovery_runs_it_and_loads_the_release(
    wizard: Callable[..., WizardApp], tmp_path: Path
) -> None:
    helm, log = fake_helm(tmp_path / "bin")
    app = wizard(detector=lambda: detection_of(info("pending-upgrade", 2), helm))
    notes = spy_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_upgrade(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, RecoveryDialog)
        assert str(dialog.query_one("#recovery-description", Static).render()).startswith(
            "revision 2 (flyte-core-v1.16.8) has been pending-upgrade since 2026-11-29T10:02:33.51+01:00"
        )
        command = str(dialog.query_one("#recovery-command", Static).render())
        assert command == f"{helm} rollback flyte 1 --namespace flyte --kube-context kind-flyte"
        shown = str(dialog.query_one("#recovery-objects", Static).render())
        assert "~ Deployment/flyteadmin" in shown and "-        sim.kwok.test/fault: stuckinit" in shown
        assert app.focused is dialog.query_one("#back", Button)  # the safe choice has the focus

        await pilot.click("#run")
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.current_step == "target":
                break
        assert "rollback flyte 1 --namespace flyte --kube-context kind-flyte" in log.read_text()
        assert app.upgrading and app.current_step == "target"
        assert any("Recovered: rolled back to revision 1" in n for n in notes), notes
        assert any("loaded flyte (flyte-core-v1.16.8, revision 3)" in n for n in notes), notes


async def test_back_leaves_the_stuck_release_alone(wizard: Callable[..., WizardApp], tmp_path: Path) -> None:
    helm, log = fake_helm(tmp_path / "bin")
    app = wizard(detector=lambda: detection_of(info("pending-upgrade", 2), helm))
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_upgrade(pilot, app)
        assert isinstance(app.screen, RecoveryDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and not app.upgrading
    assert "rollback" not in log.read_text()


async def test_a_failed_recovery_is_reported_and_the_upgrade_does_not_start(
    wizard: Callable[..., WizardApp], tmp_path: Path
) -> None:
    helm, _ = fake_helm(tmp_path / "bin", rollback="fail")
    app = wizard(detector=lambda: detection_of(info("pending-upgrade", 2), helm))
    notes = spy_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await choose_upgrade(pilot, app)
        await pilot.click("#run")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and not app.upgrading
    assert any("The recovery failed: Error: rollback is refused" in n for n in notes), notes


async def test_the_recovery_stops_when_the_app_closes(wizard: Callable[..., WizardApp], tmp_path: Path) -> None:
    """The recovery command runs with the app's cancel flag: closing the app does not leave it running."""
    pid_file = tmp_path / "pid"
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        fix = stuck_recovery(["/bin/sh", "-c", f'echo $$ > "{pid_file}"; exec sleep 60'])
        app.post_message(RecoveryNeeded("flyte", fix))
        await pilot.pause()
        assert isinstance(app.screen, RecoveryDialog)
        await pilot.click("#run")
        for _ in range(100):
            if pid_file.exists() and pid_file.read_text().strip():
                break
            await pilot.pause(0.05)
        pid = int(pid_file.read_text())
        os.kill(pid, 0)  # running while the app is open
    assert app.stopping.is_set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("the recovery command outlived the app")


async def test_recovering_a_stuck_first_install_uninstalls_and_says_to_start_fresh(
    wizard: Callable[..., WizardApp],
) -> None:
    app = wizard()
    notes = spy_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        fix = dataclasses.replace(
            stuck_recovery(["/bin/sh", "-c", "exit 0"]), state="pending-install", target_revision=None
        )
        app.post_message(RecoveryNeeded("flyte", fix))
        await pilot.pause()
        assert isinstance(app.screen, RecoveryDialog)
        assert "uninstalls the release" in " ".join(str(s.render()) for s in app.screen.query(Static))
        await pilot.click("#run")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and not app.upgrading
    assert any("the interrupted install was uninstalled. Start fresh" in n for n in notes), notes
