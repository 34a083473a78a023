"""Welcome looks where the answers point, on the real test bed: the answers file's release and namespace
(not only release ``flyte`` in namespace ``flyte``), and again when another kube context is picked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.files.answers import write_answers
from flyte_tui.tui.app import make_app
from tests.e2e.test_app_flows import install_release, user_shell  # noqa: F401 (a fixture)
from tests.e2e.test_app_upgrade import SIZE, saved_answers
from tests.e2e.ui import text, until
from tests.tui.keys import tab_to_id

pytestmark = pytest.mark.e2e


def kubeconfig_with_a_second_context(testbed: Any, folder: Path) -> Path:
    """The test bed's kubeconfig plus a context ``nowhere`` whose API server does not answer."""
    config = json.loads(Path(testbed.kubeconfig).read_text())
    user = config["contexts"][0]["context"]["user"]
    config["clusters"].append({"name": "nowhere", "cluster": {"server": "https://127.0.0.1:9"}})
    config["contexts"].append({"name": "nowhere", "context": {"cluster": "nowhere", "user": user}})
    path = folder / "kubeconfig"
    path.write_text(json.dumps(config))
    return path


async def pick_context(pilot: Any, name: str) -> None:
    """Choose a kube context in Welcome's picker with the keyboard."""
    app = pilot.app
    contexts = list(app.detection.contexts)
    now = contexts.index(app.screen.query_one("#context").value)
    await tab_to_id(pilot, "context")
    await pilot.press("enter")
    await pilot.pause()
    step = "down" if contexts.index(name) > now else "up"
    for _ in range(abs(contexts.index(name) - now)):
        await pilot.press(step)
    await pilot.press("enter")
    await pilot.pause()
    assert app.screen.query_one("#context").value == name


async def test_welcome_looks_for_the_answers_files_release_and_again_in_another_context(
    testbed, namespace, user_shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    install_release(testbed, namespace, tmp_path, "v1.16.8")  # not in namespace flyte: where the answers say
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    write_answers(saved_answers(testbed, namespace, "v1.16.8"), Path("flyte-tui.yaml"))
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig_with_a_second_context(testbed, tmp_path)))
    exists = f"A Flyte release already exists: release flyte in {namespace}: flyte-core-v1.16.8, revision 1"

    app = make_app(None, recovery_dir=tmp_path / "state", deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.detection is not None and getattr(app.screen, "controls_ready", False), 30)
        assert text(app, "#release").startswith(exists)
        assert app.screen.query_one("#release-buttons").display

        await pick_context(pilot, "nowhere")
        await until(pilot, lambda: app.detection.asked_context == "nowhere", 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not text(app, "#release").startswith("A Flyte release already exists"), text(app, "#release")
        assert not app.screen.query_one("#release-buttons").display

        await pick_context(pilot, testbed.context)
        await until(pilot, lambda: app.detection.asked_context == testbed.context, 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert text(app, "#release").startswith(exists)
