"""The propeller client secret of a Self authorization server, settled before rendering: made with its hash when
there is none, reused (never rotated) when flyte-secret-auth holds one, refused naming the answer when the secret
and auth.clients.propellerHash disagree; never in a note or a repr."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from flyte_tui import tree
from flyte_tui.charts import flyte_release, plan_releases
from flyte_tui.files.yamlio import dump
from flyte_tui.install.propeller_secret import settle
from flyte_tui.install.secrets import SecretValues
from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_matches
from tests.test_auth_model import RECIPES, answers
from tests.test_auth_render import plan_for

STATIC = ("configmap", "adminServer", "auth", "appAuth", "selfAuthServer", "staticClients", "flytepropeller")


def rendered_hash(plan) -> str:
    return tree.get(flyte_release(plan_releases(plan)).values, (*STATIC, "client_secret"))


def test_none_given_makes_the_secret_and_its_hash_together() -> None:
    settled = settle(plan_for("google"), None, None, "")
    assert settled.generated and propeller_secret_matches(settled.generated, rendered_hash(settled.plan))
    assert "flyte-secret-auth" in settled.note and "client_secret" in settled.note
    assert settled.generated not in settled.note and settled.generated not in repr(settled)
    given = settled.with_secret(SecretValues(db_password="pw"))
    assert given.propeller_client_secret == settled.generated and given.db_password == "pw"


def test_an_existing_secret_is_reused_with_the_hash_flyteadmin_has() -> None:
    live = hash_propeller_secret("kept-secret")
    settled = settle(plan_for("google"), None, "kept-secret", live)
    assert settled.generated is None  # nothing applied: flyte-secret-auth stays as it is
    assert rendered_hash(settled.plan) == live  # the same hash: the upgrade changes nothing
    assert "kept-secret" not in settled.note


def test_an_existing_secret_without_a_matching_live_hash_gets_a_new_hash_not_a_new_secret() -> None:
    settled = settle(plan_for("google"), None, "kept-secret", hash_propeller_secret("another"))
    assert settled.generated is None
    assert propeller_secret_matches("kept-secret", rendered_hash(settled.plan))


def test_the_users_hash_is_kept_when_the_secret_matches_it() -> None:
    wanted = hash_propeller_secret("mine")
    settled = settle(plan_for("google", clients={"web": "w", "propellerHash": wanted}), "mine", None, "")
    assert settled.plan.auth.clients.propeller_hash == wanted and settled.generated is None


@pytest.mark.parametrize(("given", "existing"), [("wrong", None), (None, "wrong")])
def test_a_secret_that_does_not_match_the_users_hash_is_refused_naming_it(given, existing) -> None:
    plan = plan_for("google", clients={"web": "w", "propellerHash": hash_propeller_secret("mine")})
    with pytest.raises(ValueError, match=r"auth\.clients\.propellerHash") as raised:
        settle(plan, given, existing, "")
    assert "wrong" not in str(raised.value)


def test_a_hash_without_any_secret_is_refused_naming_the_answer_and_the_variable() -> None:
    plan = plan_for("google", clients={"web": "w", "propellerHash": hash_propeller_secret("mine")})
    with pytest.raises(ValueError, match=r"auth\.clients\.propellerHash.*FLYTE_TUI_PROPELLER_CLIENT_SECRET"):
        settle(plan, None, None, "")


def test_external_and_auth_off_are_left_alone() -> None:
    for plan in (plan_for("okta-external"), plan_for("google", enabled=False)):
        settled = settle(plan, None, None, "")
        assert settled.plan == plan and settled.generated is None and not settled.note


def test_install_refuses_a_propeller_secret_not_matching_the_hash_naming_it_and_never_showing_it(tmp_path) -> None:
    raw = answers(RECIPES["google"])
    raw["auth"]["clients"]["propellerHash"] = hash_propeller_secret("the-old-secret")
    answers_file = tmp_path / "flyte-tui.yaml"
    answers_file.write_text(dump(raw))
    env = {**os.environ, "FLYTE_TUI_PROPELLER_CLIENT_SECRET": "CANARY-not-the-old-secret", "KUBECONFIG": "/nonexistent"}
    argv = [sys.executable, "-m", "flyte_tui.cli", "install", "--yes", "--helm", "/nonexistent/helm", str(answers_file)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "auth.clients.propellerHash" in proc.stderr and "nothing installed" in proc.stderr
    assert "CANARY" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
    assert "Register at the IdP (google" in proc.stdout
    assert not (tmp_path / "values.yaml").exists()
