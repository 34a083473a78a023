"""The wizard's upgrade review with auth on, on the real test bed: a release installed with an External
authorization server (the test IdP), its answers file changed to another audience; Save and install shows the
upgrade review (nothing applied yet) with the audience change in the answers and in the values flyteadmin and
propeller read, and no client secret anywhere on the screen or in the files the wizard wrote."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from test_install import collect, options, plan_of
from test_preflight_idp import PUBLIC, given, idp_answers

from flyte_tui.files.answers import write_answers
from flyte_tui.install import Installer
from flyte_tui.release import find_release
from flyte_tui.tools.helm import Helm
from flyte_tui.tui.app import make_app
from tests.e2e.test_app_flows import SIZE, files_holding, user_shell
from tests.e2e.ui import shows, text, until
from tests.tui.keys import next_step, tab_to_id

pytestmark = pytest.mark.e2e
__all__ = ["user_shell"]  # the fixture, used by name

NEW_AUDIENCE = "api://flyte"


async def test_upgrade_review_shows_the_audience_change_and_no_secret(
    testbed: Any, flyte_namespace: str, user_shell: None, idp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(idp.ca_file))
    tag = secrets.token_hex(3)
    clients = {"web": f"flyte-web-{tag}", "propeller": f"flytepropeller-{tag}"}
    clients["oidc_secret"] = idp.web_client(clients["web"], [f"{PUBLIC}/callback"])
    clients["propeller_secret"] = idp.propeller_client(clients["propeller"], [PUBLIC, NEW_AUDIENCE])
    data = idp_answers(testbed, flyte_namespace, idp, clients)
    events, _ = collect(Installer(plan_of(data), options(testbed, Path(testbed.helm4), tmp_path / "setup",
                                                         secrets=given(clients))))  # fmt: skip
    assert events[-1].ok, events[-3:]

    data["auth"]["external"].update({"audience": NEW_AUDIENCE, "allowedAudience": [NEW_AUDIENCE]})
    answers_path = tmp_path / "work" / "flyte-tui.yaml"
    write_answers(data, answers_path)
    helm = Helm(str(testbed.helm4), testbed.context, flyte_namespace, testbed.env)
    app = make_app(answers_path, recovery_dir=tmp_path / "state", deterministic=True)  # flyte-tui -f
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.current_step == "target", 30)
        await until(pilot, lambda: app.detection is not None, 30)
        for _ in range(10):
            if app.current_step == "review":
                break
            await next_step(pilot)
        assert app.current_step == "review"
        await tab_to_id(pilot, "install")
        await pilot.press("enter")  # Save and install: an existing release goes through the upgrade review
        await until(pilot, lambda: shows(app, "#review-title") or shows(app, "#runner-title"), 90)
        assert shows(app, "#review-title"), "Save and install changed the release without the upgrade review"
        info = find_release(helm, "flyte")
        assert info is not None and info.revision == 1  # nothing applied yet
        changed = f"'{PUBLIC}' → '{NEW_AUDIENCE}'"
        answers = text(app, "#layer-answers").splitlines()
        assert any("audience" in line and changed in line for line in answers), answers
        values = text(app, "#layer-values").splitlines()
        assert values == [  # the audience flyteadmin accepts, the one flytectl and propeller ask the IdP for
            f"~ configmap.admin.admin.audience: {changed}",
            f"~ configmap.adminServer.auth.appAuth.externalAuthServer.allowedAudience: ['{PUBLIC}'] → "
            f"['{NEW_AUDIENCE}']",
            f"~ configmap.adminServer.auth.appAuth.thirdPartyConfig.flyteClient.audience: {changed}",
        ], values
        objects = app.screen.review.manifests.objects
        assert ("ConfigMap", "flyte-admin-base-config") in {(o.key.kind, o.key.name) for o in objects}
        assert all(not o.lines for o in objects if o.key.kind == "Secret")  # Secrets: key names only
        shown = [text(app, f"#{i}") for i in ("layer-answers", "layer-values", "review-summary")]
        screen = "\n".join([*shown, *(line for o in objects for line in o.lines)])
        for secret in (clients["oidc_secret"], clients["propeller_secret"]):
            assert secret not in screen
    assert files_holding(tmp_path / "work", clients["oidc_secret"], clients["propeller_secret"]) == []
    assert files_holding(tmp_path / "state", clients["oidc_secret"], clients["propeller_secret"]) == []
