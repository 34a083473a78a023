"""The review of a sandbox shows both releases: the dependencies' helm command first, then Flyte's, and each
release's values; Save writes both values files. Another environment shows Flyte's alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flyte_tui.files.yamlio import load_plain
from flyte_tui.tui.app import WizardApp

from .keys import shown_text
from .test_snapshots import EKS_ANSWERS, go


def _text(app: WizardApp, selector: str) -> str:
    """What the widget shows, its wrapped lines joined again."""
    return "".join(shown_text(app.screen.query_one(selector)).splitlines())


async def test_sandbox_review_has_both_releases_and_save_writes_both(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await go("review", environment="sandbox")(pilot)
        helm = _text(app, "#helm")
        values_dir = answers_path.parent
        deps_command = "helm upgrade --install flyte-deps flyte-deps --repo https://flyteorg.github.io/flyte"
        assert helm.count("helm upgrade --install") == 2
        assert 0 <= helm.index(deps_command) < helm.index("helm upgrade --install flyte flyte-core")
        assert "flyte-values-deps.yaml" in helm
        assert app.screen.query_one("#deps-values").display
        deps = _text(app, "#deps-values")
        assert "kubernetes-dashboard:" in deps and "webhook:" in deps
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = load_plain((values_dir / "flyte-values-deps.yaml").read_text())
        assert written["webhook"] == {"enabled": False}
        assert (values_dir / "flyte-values.yaml").is_file()


async def test_other_environments_review_flyte_alone(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=(120, 60)) as pilot:
        await go("review", answers=EKS_ANSWERS)(pilot)
        assert _text(app, "#helm").count("helm upgrade --install") == 1
        assert not app.screen.query_one("#deps-values").display
        assert not app.screen.query_one("#deps-label").display
