"""What a user checks on the wizard: errors under fields, Next refused, Back keeps input, quitting, recovery."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from flyte_tui.files.autosave import Autosave
from flyte_tui.tui.app import WizardApp
from flyte_tui.tui.dialogs.help import HelpDialog
from flyte_tui.tui.dialogs.quit import ConfirmQuit
from flyte_tui.tui.widgets.field import FormField, field_id
from flyte_tui.tui.widgets.step_list import StepList

from .keys import SIZE, next_step, ready, tab_to, tab_to_id, type_into, type_text
from .test_walk import start_and_pick


def field(app: WizardApp, path: str) -> FormField:
    return app.screen.query_one(f"#{field_id(path)}", FormField)


def error_under(app: WizardApp, path: str) -> str:
    line = field(app, path).query_one(".field-error", Static)
    return str(line.render()) if line.display else ""


def input_value(app: WizardApp, path: str) -> str:
    return field(app, path).query_one(Input).value


def spy_notifications(app: WizardApp) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message: str, **options: Any) -> None:
        seen.append(f"{options.get('title', '')}: {message}")
        original(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return seen


async def test_invalid_field_blocks_next_and_fixing_it_clears_the_error(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    notes = spy_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "target.namespace", "Flyte_NS")
        assert "Flyte_NS" in error_under(app, "target.namespace")
        assert field(app, "target.namespace").has_class("-error")
        assert not error_under(app, "target.release")

        await next_step(pilot)
        assert app.current_step == "target"
        assert any("target.namespace" in n and "Fix 1 error" in n for n in notes)
        assert "1 error" in str(app.screen.query_one("#nav-status", Static).render())

        await type_into(pilot, "target.namespace", "flyte-prod")
        assert error_under(app, "target.namespace") == ""
        assert not field(app, "target.namespace").has_class("-error")
        await next_step(pilot)
        assert app.current_step == "environment"
        assert app.state.get("target.namespace") == "flyte-prod"


async def test_cross_field_error_lands_under_the_field_it_names(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "eks")
        assert "required for storage type s3" in error_under(app, "storage.metadataBucket")
        assert "region" in error_under(app, "storage.region")
        await type_into(pilot, "storage.metadataBucket", "Bad_Bucket")
        assert "Bad_Bucket" in error_under(app, "storage.metadataBucket")
        await next_step(pilot)
        assert app.current_step == "storage"
        # the step list marks the step as having errors once you leave it
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(StepList).state_of("storage") == "error"


async def test_back_keeps_every_value(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "eks")
        await type_into(pilot, "storage.metadataBucket", "acme-flyte-meta")
        await type_into(pilot, "storage.region", "eu-west-1")
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_step == "environment"
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_step == "target"
        await next_step(pilot)
        await next_step(pilot)
        assert app.current_step == "storage"
        assert input_value(app, "storage.metadataBucket") == "acme-flyte-meta"
        assert input_value(app, "storage.region") == "eu-west-1"


async def test_choosing_an_environment_says_what_it_filled(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await next_step(pilot)
        await tab_to_id(pilot, "card-gke")
        await pilot.press("enter")
        await pilot.pause()
        filled = str(app.screen.query_one("#filled", Static).render())
        assert "gke preset filled" in filled and "storage (type)" in filled and "ingress" in filled
        assert app.state.get("ingress.controller") == "nginx"
        # switching replaces what the old preset filled, keeps what you typed
        app.state.set("storage.metadataBucket", "mine")
        await tab_to_id(pilot, "card-eks")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.get("ingress.controller") == "alb"
        assert app.state.get("storage.type") == "s3"
        assert app.state.get("storage.metadataBucket") == "mine"


async def test_storage_fields_follow_the_type(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "gke")
        assert field(app, "storage.projectId").display
        assert not field(app, "storage.region").display
        assert not app.screen.query_one("#sandbox-note").display
        await tab_to(pilot, "storage.type")
        await pilot.press("enter", "home", "down", "enter")  # below the blank line: sandbox
        await pilot.pause()
        assert app.state.get("storage.type") == "sandbox"
        assert app.screen.query_one("#sandbox-note").display
        assert not field(app, "storage.projectId").display


async def test_typed_password_never_reaches_any_file(
    wizard: Callable[..., WizardApp], tmp_path: Path, recovery_dir: Path
) -> None:
    canary = "CANARY-pw-7f3a9"
    # an earlier values file, so the save makes a .bak too (a save that changes nothing makes none)
    (tmp_path / "work").mkdir(exist_ok=True)
    (tmp_path / "work" / "flyte-values.yaml").write_text("# written before\nflyteadmin: {}\n", encoding="utf-8")
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "sandbox")
        await next_step(pilot)
        assert app.current_step == "database"
        await tab_to_id(pilot, "password-mode")
        await pilot.press("enter")  # the highlight starts on the first choice, "Type it now"
        await pilot.pause()
        await tab_to_id(pilot, "password")
        await type_text(pilot, canary)
        assert app.state.password == canary
        assert app.screen.query_one("#password", Input).password  # masked on screen
        assert (recovery_dir / "recovery.json").exists()
        assert canary not in (recovery_dir / "recovery.json").read_text()
        for _ in range(6):  # identity, auth, plugins, resources, clusters, review
            await next_step(pilot)
        assert app.current_step == "review"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")  # a second save changes nothing
        await pilot.pause()
        assert app.state.password == canary  # kept in memory for the installer
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "flyte-tui.yaml" for p in written)
    assert any(p.name == "flyte-values.yaml.bak" for p in written)
    for path in written:
        assert canary not in path.read_text(encoding="utf-8", errors="replace"), path
    assert app.state.get("database.passwordSecret") == {"name": "db-pass", "key": "pass.txt"}


async def test_quit_with_unsaved_changes_asks_first(wizard: Callable[..., WizardApp], recovery_dir: Path) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "target.release", "flyte2")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.current_step == "target" and app.is_running
        assert input_value(app, "target.release") == "flyte2"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("shift+tab", "enter")  # "Quit without saving"
        await pilot.pause()
    assert app.return_code == 0
    assert not (recovery_dir / "recovery.json").exists()


async def test_quit_and_save_writes_the_answers(wizard: Callable[..., WizardApp], answers_path: Path) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "target.release", "flyte2")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("shift+tab", "shift+tab", "enter")  # "Save and quit"
        await pilot.pause()
    assert "release: flyte2" in answers_path.read_text()


async def test_quit_without_changes_does_not_ask(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_answers_are_autosaved_and_restored_after_a_crash(
    wizard: Callable[..., WizardApp], recovery_dir: Path
) -> None:
    first = wizard()
    async with first.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "eks")
        await type_into(pilot, "storage.metadataBucket", "saved-by-autosave")
        # the process dies here: no save, no quit
        saved = json.loads((recovery_dir / "recovery.json").read_text())
        assert saved["storage"]["metadataBucket"] == "saved-by-autosave"

    second = wizard()
    async with second.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert second.focused is not None and second.focused.id == "restore"
        await pilot.press("enter")
        await pilot.pause()
        assert second.state.get("storage.metadataBucket") == "saved-by-autosave"
        assert second.state.get("environment") == "eks"
        await next_step(pilot)
        await next_step(pilot)
        assert input_value(second, "storage.metadataBucket") == "saved-by-autosave"


async def test_a_recovery_file_is_not_overwritten_before_the_user_chooses(
    wizard: Callable[..., WizardApp], recovery_dir: Path
) -> None:
    Autosave(recovery_dir).save({"environment": "gke", "storage": {"metadataBucket": "keep-me"}})
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert Autosave(recovery_dir).load() == {"environment": "gke", "storage": {"metadataBucket": "keep-me"}}


async def test_review_lists_problems_and_each_jumps_to_its_field(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await start_and_pick(pilot, "eks")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Go to Review")
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_step == "review"
        await pilot.press("enter")  # the first problem has the highlight
        await pilot.pause()
        first = app.state.validation.problems[0]
        assert app.current_step == "storage"
        assert first.path == "storage.metadataBucket"
        focused = app.focused
        assert focused is not None and focused.parent is field(app, first.path)


async def test_help_shows_the_focused_fields_docstring(wizard: Callable[..., WizardApp]) -> None:
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await tab_to(pilot, "target.release")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        assert "Helm release name" in app.screen.field_help
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_step == "target"
        await next_step(pilot)  # the environment cards: "?" is not typed anywhere, so it opens help
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog) and "Ctrl+S" in str(app.screen.query_one("#keys").render())


async def continue_from(pilot: Pilot[None], path: Path, button: str) -> None:
    """On the welcome screen: type a path, press Open or Import, land on the target step."""
    await ready(pilot)
    await tab_to_id(pilot, "path")
    await type_text(pilot, str(path))
    await tab_to_id(pilot, button)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app, WizardApp) and pilot.app.current_step == "target"


async def test_open_an_answers_file_from_the_welcome_screen(
    wizard: Callable[..., WizardApp], tmp_path: Path
) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text("# my notes\nenvironment: gke\nstorage:\n  metadataBucket: from-file\n")
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await continue_from(pilot, existing, "open")
        assert app.state.get("storage.metadataBucket") == "from-file"
        assert app.answers_path == existing
        await pilot.press("ctrl+s")
        await pilot.pause()
    text = existing.read_text()
    assert "# my notes" in text and "metadataBucket: from-file" in text


async def test_import_a_values_file_from_the_welcome_screen(
    wizard: Callable[..., WizardApp], tmp_path: Path
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("storage:\n  type: s3\n  bucketName: imported-bucket\n  s3:\n    region: us-west-2\n")
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        await continue_from(pilot, values, "import")
        assert app.state.get("storage.metadataBucket") == "imported-bucket"
        assert app.state.get("storage.region") == "us-west-2"


async def test_an_unwritable_state_dir_does_not_stop_the_wizard(
    wizard: Callable[..., WizardApp], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the state directory should be")
    app = wizard(recovery_dir=blocker / "state")
    notes = spy_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_into(pilot, "target.release", "flyte2")
        assert app.is_running and app.state.get("target.release") == "flyte2"
        assert sum("Autosave" in n for n in notes) == 1


async def test_saving_over_a_file_that_is_not_yaml_says_so_and_keeps_it(
    wizard: Callable[..., WizardApp], answers_path: Path
) -> None:
    broken = "# the user's notes\nstorage: [unclosed\n"
    answers_path.parent.mkdir(parents=True, exist_ok=True)
    answers_path.write_text(broken)
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        seen = spy_notifications(app)
        await ready(pilot)
        await pilot.press("enter")  # start fresh
        await pilot.pause()
        await type_into(pilot, "target.release", "flyte2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert any("exists but is not valid YAML (line " in note and "left as it is" in note for note in seen), seen
        assert input_value(app, "target.release") == "flyte2"
    assert answers_path.read_text() == broken


async def test_a_save_that_would_not_read_back_names_the_file_and_writes_neither(
    wizard: Callable[..., WizardApp], answers_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ruamel's emitter as shipped corrupts this values file (tests/test_unwritable_yaml.py): neither the answers
    nor the values are written, and the notification says which file and that nothing was written."""
    from ruamel.yaml.emitter import RoundTripEmitter

    from flyte_tui.files import yaml_emit
    from flyte_tui.files.values import default_path

    monkeypatch.setattr(yaml_emit.CheckedEmitter, "write_line_break", RoundTripEmitter.write_line_break)
    values = default_path(answers_path)
    values.parent.mkdir(parents=True, exist_ok=True)
    corrupted = "x:  # c\n  - {}\n  - a\n  - b\n"
    values.write_text(corrupted)
    app = wizard()
    async with app.run_test(size=SIZE) as pilot:
        seen = spy_notifications(app)
        await start_and_pick(pilot, "sandbox")  # valid answers: the values file is written too
        assert app.state.validation.ok
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert any(f"{values} was not written" in n and "nothing was written" in n for n in seen), seen
    assert values.read_text() == corrupted
    assert not answers_path.exists()
