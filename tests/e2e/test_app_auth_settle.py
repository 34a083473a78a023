"""The wizard's Save and install settles the propeller secret (``authorizationServer: Self``) on the real test
bed, as headless ``flyte-tui install`` does: with no secret typed and no ``flyte-secret-auth`` in the
namespace, it makes one; once the namespace holds that Secret (an upgrade, a reinstall), it reuses it (never
rotated); a hash in the answers that Secret does not match sends the user to the secret's field. The plan
handed to the installer carries the hash, and the values file is written only then, with it; a made secret
travels in the install options only, never in the answers file or the recovery file."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.events import Event, InstallFinished
from flyte_tui.files.answers import write_answers
from flyte_tui.install import InstallOptions
from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_matches
from flyte_tui.model.plan import InstallPlan
from flyte_tui.tui.app import make_app
from tests.e2e.test_app_flows import SIZE, files_holding, user_shell
from tests.e2e.test_install import answers, plan_of
from tests.e2e.ui import until
from tests.tui.keys import next_step, ready, tab_to_id

pytestmark = pytest.mark.e2e
__all__ = ["user_shell"]  # the fixture, used by name


async def test_save_and_install_makes_or_reuses_the_propeller_secret_and_hands_over_its_hash(
    testbed: Any, namespace: str, user_shell: None, tmp_path: Path
) -> None:
    data = answers(testbed, namespace)
    data["ingress"] = {"host": "flyte.example.com", "tls": {"enabled": True}}
    data["auth"] = {"enabled": True, "idp": "google", "clients": {"web": "123-abc.apps.googleusercontent.com"}}
    plan_of(data)  # valid as they are: Self, no propellerHash, no secret typed
    answers_path = tmp_path / "work" / "flyte-tui.yaml"
    write_answers(data, answers_path)
    seen: list[tuple[InstallPlan, InstallOptions]] = []
    values_path = answers_path.with_name("flyte-values.yaml")
    on_disk: list[str] = []  # the values file as it is when the installer gets the plan

    def run(plan: InstallPlan, options: InstallOptions, _cancel: threading.Event) -> Iterator[Event]:
        seen.append((plan, options))
        on_disk.append(values_path.read_text())
        yield InstallFinished(True, "deployed", 0.1, ())

    app = make_app(answers_path, recovery_dir=tmp_path / "state", deterministic=True, install_run=run)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.state.detection is not None, 30)
        for _ in range(10):
            if app.current_step == "review":
                break
            await next_step(pilot)
        assert app.current_step == "review"
        assert app.state.propeller_client_secret == ""
        await tab_to_id(pilot, "install")
        await pilot.press("enter")  # Save and install
        await until(pilot, lambda: bool(seen), 60)
        assert app.state.propeller_client_secret == ""  # the made secret is the installer's, not an answer
        plan, options = seen[0]
        made = options.secrets.propeller_client_secret
        assert made and len(made) >= 32
        assert plan.auth.clients.propeller_hash and propeller_secret_matches(made, plan.auth.clients.propeller_hash)
        # the values file was written once, after settling: it holds the hash, and no earlier copy without it
        assert plan.auth.clients.propeller_hash in on_disk[0]
        assert not values_path.with_name(values_path.name + ".bak").exists()

        kept = "CANARY-kept-" + secrets.token_hex(8)  # the Secret an earlier install left in the namespace
        manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "flyte-secret-auth"},
                    "stringData": {"client_secret": kept}}  # fmt: skip
        testbed.kubectl_run("apply", "-n", namespace, "-f", "-", input_text=json.dumps(manifest))
        app.install()  # what Save and install does after saving (the answers are saved)
        await until(pilot, lambda: len(seen) == 2, 60)

        app.state.set("auth.clients.propellerHash", hash_propeller_secret("not-the-kept-one"))
        app.action_save()
        app.install()  # the kept Secret does not match the answers' hash: said at the secret's field
        await until(pilot, lambda: app.current_step == "auth", 60)
        await until(pilot, lambda: app.focused is not None and app.focused.id == "propeller-secret", 10)
        assert len(seen) == 2  # nothing handed to the installer
    plan, options = seen[1]
    assert options.secrets.propeller_client_secret is None  # nothing to apply: the Secret there is kept
    assert plan.auth.clients.propeller_hash and propeller_secret_matches(kept, plan.auth.clients.propeller_hash)
    assert files_holding(tmp_path, made, kept) == []  # the answers file, the recovery file, the values file, the log
    assert answers_path.exists()
