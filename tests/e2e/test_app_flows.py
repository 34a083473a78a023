"""The wizard as a user drives it on the real test bed, with the keyboard only: welcome (the real detection
finds helm, kubectl, the context and the release) → steps → review → upgrade review → runner → Ready; the
doctor from the welcome screen; the chart versions listed on the target step.

The process's environment is a user's shell on the test bed: its kubeconfig and helm homes, its kubectl on
PATH and its helm 4 installed as ``helm``. The welcome screen looks for release ``flyte`` in namespace
``flyte``, so the releases of these tests live there (the ``flyte_namespace`` fixture); the test without a
release runs between the two that have one, while the first one's namespace is being deleted.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import testbed as tb

from flyte_tui.files.answers import load_answers
from flyte_tui.install import Installer
from flyte_tui.release import find_release
from flyte_tui.tools.helm import Helm
from flyte_tui.tui.app import WizardApp, make_app
from flyte_tui.tui.steps import STEP_IDS
from tests.e2e.test_install import answers, collect, options, plan_of
from tests.e2e.ui import field_value, shows, table_rows, text, until
from tests.tui.keys import next_step, ready, tab_to_id, type_into, type_text

pytestmark = pytest.mark.e2e

SIZE = (120, 40)
COMPONENTS = {
    "flyteadmin", "datacatalog", "flytepropeller", "flyteconsole", "flytescheduler", "syncresources",
    "flyte-pod-webhook",
}  # fmt: skip


@pytest.fixture
def user_shell(testbed: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The environment of a user's shell on the test bed: its kubeconfig, helm homes (the chart repository
    added) and PATH, with the test bed's helm 4 installed as ``helm``, so the welcome screen's detection
    finds the tools and the cluster as it would on a user's machine."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "helm").symlink_to(testbed.helm4)
    for key, value in testbed.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), testbed.env["PATH"]]))


def wizard(tmp_path: Path) -> WizardApp:
    """``flyte-tui -f work/flyte-tui.yaml`` (a file not written yet), with a private recovery dir."""
    return make_app(tmp_path / "work" / "flyte-tui.yaml", recovery_dir=tmp_path / "state", deterministic=True)


def install_release(testbed: Any, namespace: str, tmp_path: Path, version: str) -> None:
    """The release a user already has (installed headless, as ``flyte-tui install`` would)."""
    data = answers(testbed, namespace)
    data["target"]["chart"]["version"] = version
    events, _ = collect(Installer(plan_of(data), options(testbed, Path(testbed.helm4), tmp_path / "setup")))
    assert events[-1].ok, events[-3:]


def files_holding(root: Path, *values: str) -> list[Path]:
    """Files under ``root`` (the helm symlink left out) that contain any of ``values``."""
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
        and any(v in path.read_text(encoding="utf-8", errors="replace") for v in values)
    ]  # fmt: skip


def secret_data(testbed: Any, namespace: str, name: str, key: str) -> str:
    jsonpath = "{.data." + key.replace(".", "\\.") + "}"
    out = testbed.kubectl_run("get", "secret", name, "-n", namespace, "-o", f"jsonpath={jsonpath}").stdout
    return base64.b64decode(out).decode()


async def test_upgrade_from_the_welcome_screen(testbed, flyte_namespace, user_shell, tmp_path: Path) -> None:
    namespace = flyte_namespace
    install_release(testbed, namespace, tmp_path, "v1.16.7")
    password, access, secret = (f"CANARY-{what}-{secrets.token_hex(4)}" for what in ("pw", "ak", "sk"))

    app = wizard(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        helm_line, kubectl_line = text(app, "#tools").splitlines()
        assert re.fullmatch(r"✓ helm v4\.\d+\.\d+ \(helm 4\)", helm_line), helm_line
        assert kubectl_line == f"✓ kubectl {tb.KUBE_VERSION}"
        assert text(app, "#release").startswith(
            f"A Flyte release already exists: release flyte in {namespace}: flyte-core-v1.16.7, revision 1, deployed"
        )
        await tab_to_id(pilot, "upgrade")
        await pilot.press("enter")
        await until(pilot, lambda: app.current_step == "target")
        await type_into(pilot, "target.chart.repo", testbed.repo_url)
        await type_into(pilot, "target.chart.version", "v1.16.8")
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "storage"
        assert field_value(app, "storage.metadataBucket") == "acme-flyte-meta"  # read from the live release
        await tab_to_id(pilot, "access-key")
        await type_text(pilot, access)
        await tab_to_id(pilot, "secret-key")
        await type_text(pilot, secret)
        await next_step(pilot)
        assert app.current_step == "database"
        await type_into(pilot, "database.host", "db2.example.com")
        await tab_to_id(pilot, "password-mode")
        await pilot.press("enter")  # "Type it now"
        await tab_to_id(pilot, "password")
        await type_text(pilot, password)
        for _ in range(STEP_IDS.index("review") - STEP_IDS.index("database")):
            await next_step(pilot)
        assert app.current_step == "review"
        await tab_to_id(pilot, "install")
        await pilot.press("enter")  # Save and install

        await until(pilot, lambda: shows(app, "#review-title"), 60)  # the upgrade review
        assert text(app, "#layer-answers").splitlines() == ["~ database.host: 'db.example.com' → 'db2.example.com'"]
        assert "▶ ~ ConfigMap/flyte-admin-base-config" in text(app, "#manifests").splitlines()  # collapsed
        await pilot.press("a")
        await until(pilot, lambda: shows(app, "#runner-title"))
        assert text(app, "#runner-title").startswith("Upgrading Flyte: release flyte"), text(app, "#runner-title")
        runner: Any = app.screen
        assert runner.options.rollback_on_failure
        await until(pilot, lambda: "Release state:" in text(app, "#runner-status"))
        status = text(app, "#runner-status")
        assert status.startswith("Flyte is ready. Release state: deployed."), status
        rows = table_rows(app, "#runner-components")
        assert set(rows) == COMPONENTS and all(row[0].startswith("✓") for row in rows.values()), rows

    info = find_release(Helm(str(testbed.helm4), testbed.context, namespace, testbed.env), "flyte")
    assert info is not None and info.revision == 2 and info.chart == "flyte-core-v1.16.8"
    # the typed password and keys went to the cluster's Secrets, through the installer
    assert secret_data(testbed, namespace, "db-pass", "pass.txt") == password
    storage = secret_data(testbed, namespace, "flyte-storage", "storage.yaml")
    assert f"access-key: {access}" in storage and f"secret-key: {secret}" in storage
    # Save and install wrote both files; neither they nor the log, the autosave or helm's values hold a secret
    work = tmp_path / "work"
    saved = load_answers(work / "flyte-tui.yaml")
    assert saved["database"]["host"] == "db2.example.com" and saved["target"]["chart"]["version"] == "v1.16.8"
    assert "db2.example.com" in (work / "flyte-values.yaml").read_text()
    assert "STATUS: deployed" in (work / "flyte-tui-install.log").read_text()  # helm's own output
    assert files_holding(tmp_path, password, access, secret) == []
    values = testbed.helm_run(testbed.helm4, "get", "values", "flyte", "-n", namespace, "--all").stdout
    assert password not in values and access not in values and secret not in values


async def test_target_screen_lists_the_repository_versions(testbed, user_shell, tmp_path: Path) -> None:
    app = wizard(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # Start fresh
        await until(pilot, lambda: app.current_step == "target")
        await type_into(pilot, "target.chart.repo", testbed.repo_url)
        await type_into(pilot, "target.chart.version", "")
        await tab_to_id(pilot, "list-versions")
        await pilot.press("enter")
        await until(pilot, lambda: text(app, "#versions").startswith(("Available", "Cannot")), 60)
        newest_first = sorted(tb.FIXTURE_CHART_VERSIONS, key=lambda v: [int(n) for n in v[1:].split(".")])[::-1]
        assert text(app, "#versions") == "Available (newest first): " + ", ".join(newest_first)
        newest = newest_first[0]
        await until(pilot, lambda: field_value(app, "target.chart.version") == newest, 10)  # filled in for the user
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load_answers(tmp_path / "work" / "flyte-tui.yaml")["target"]["chart"]["version"] == newest


async def test_doctor_from_the_welcome_screen(testbed, flyte_namespace, user_shell, tmp_path: Path) -> None:
    namespace = flyte_namespace
    install_release(testbed, namespace, tmp_path, "v1.16.8")
    app = wizard(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tab_to_id(pilot, "doctor")
        await pilot.press("enter")
        await until(pilot, lambda: shows(app, "#doctor-title"))
        assert text(app, "#doctor-title") == f"Doctor — release flyte in namespace {namespace} ({testbed.context})"
        await until(pilot, lambda: re.match(r"\d+ failed, \d+ warnings", text(app, "#doctor-status")), 60)
        rows = table_rows(app, "#checks")
        # the components are healthy; what KWOK cannot provide (ingress addresses, the webhook's own
        # objects) is the doctor's business and is tested with its own e2e scenarios
        components = {key: row for key, row in rows.items() if key.startswith("component.")}
        # flyte-binary's own check does not apply to a flyte-core release, and says so
        other_chart = components.pop("component.flyte-binary")
        assert other_chart[0] == "- skip", other_chart
        assert set(components) == {f"component.{name}" for name in COMPONENTS}
        assert all(row[0] == "✓ pass" for row in components.values()), components
