"""What the wizard reads and writes, without Textual: import a values file, save answers and values.

The app calls these and reports the outcome; nothing here touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flyte_tui.tui.screens.state import WizardState, fresh_answers

if TYPE_CHECKING:
    from flyte_tui.secrets import SecretValues


@dataclass(frozen=True)
class Saved:
    """What a save wrote."""

    answers: Path
    values: Path | None
    """None when errors kept the values file from being written."""
    errors: int


def save(state: WizardState, answers_path: Path, values_path: Path) -> Saved:
    """Write the answers (always) and the values (when the answers are valid); both atomic, with .bak.

    Raises OSError when a file cannot be written. Marks the state saved.
    """
    from flyte_tui.files.answers import write_answers

    write_answers(state.raw, answers_path)
    validation = state.validation
    written: Path | None = None
    if validation.ok and validation.plan is not None:
        from flyte_tui.files.values import write_values_file

        write_values_file(validation.plan, values_path, source=answers_path.name)
        written = values_path
    state.dirty = False
    return Saved(answers_path, written, len(validation.errors))


@dataclass(frozen=True)
class Imported:
    """Answers made from an existing values file, or why there are none."""

    answers: dict[str, Any] | None
    message: str


def import_values(path: Path) -> Imported:
    """Answers from an existing flyte-core values file (the importer does the mapping)."""
    from flyte_tui.charts.flyte_core.importer import import_values_file

    result = import_values_file(path)
    if not result.answers:
        return Imported(None, "; ".join(str(p) for p in result.problems) or "nothing to import")
    answers = dict(result.answers)
    answers.setdefault("target", fresh_answers()["target"])
    leftovers = ", ".join(result.leftovers)
    return Imported(answers, f"Kept under extraValues: {leftovers}" if leftovers else "")


def secret_values(state: WizardState) -> SecretValues:
    """The typed password and keys as the installer takes them (memory only)."""
    from flyte_tui.secrets import SecretValues

    return SecretValues(
        db_password=state.password or None,
        s3_access_key=state.s3_access_key or None,
        s3_secret_key=state.s3_secret_key or None,
    )
