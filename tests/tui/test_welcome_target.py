"""Welcome looks where the answers point: the placeholder names the files flyte-tui writes, the release is
the answers file's (release and namespace), and picking another context looks again."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from flyte_tui.files.values import DEFAULT_NAME
from flyte_tui.tui.app import WizardApp

from .keys import SIZE, ready


async def test_the_file_placeholder_names_the_default_values_file(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        placeholder = app.screen.query_one("#path", Input).placeholder
        assert placeholder == f"path to flyte-tui.yaml or a {DEFAULT_NAME}"
