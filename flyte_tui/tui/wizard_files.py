"""What the wizard reads and writes, without Textual: open an answers file, import a values file, restore
the autosave, save answers and values.

The app calls these and reports the outcome; nothing here touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flyte_tui.tui.state import WizardState, fresh_answers

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flyte_tui.charts import PlannedRelease
    from flyte_tui.files.autosave import Autosave


@dataclass(frozen=True)
class Saved:
    """What a save wrote."""

    answers: Path
    values: Path | None
    """None when errors kept the values file from being written."""
    errors: int
    backups: tuple[Path, ...] = ()
    """The previous files kept as ``.bak`` (none for a file that did not exist before)."""
    values_later: bool = False
    """The values file is written later, once the install's propeller secret is settled."""

    def note(self) -> Note:
        """What to tell the user: the message, its title and its severity."""
        kept = f" Previous kept as {', '.join(str(b) for b in self.backups)}." if self.backups else ""
        if self.values is not None:
            return f"Saved {self.answers} and {self.values}.{kept}", "Saved", "information"
        if self.values_later:
            later = "The values file follows once the propeller client secret is settled."
            return f"Saved {self.answers}.{kept} {later}", "Saved", "information"
        return (
            f"Saved {self.answers}.{kept} The values file was not written: {self.errors} error(s) remain.",
            "Saved answers only",
            "warning",
        )


def save(state: WizardState, values: bool = True) -> Saved:
    """Write the answers (always) and the values (when the answers are valid and ``values``) to the session's
    files; all atomic, with .bak. The values are the state's releases, rendered once for the preview, the save
    and an install: Flyte's at the values path, a dependency release's beside it. Without ``values`` (Save and
    install: the propeller secret is settled first) :func:`save_values` writes them later.

    Every text is made before any file is written, so a file that cannot be merged into (or YAML that would
    not read back) leaves every file as it was. Raises OSError when a file cannot be written (the message
    names it). Marks the state saved.
    """
    from flyte_tui.files.answers import answers_file_text
    from flyte_tui.files.yamlio import write_atomic

    answers_path, values_path = state.answers_path, state.values_path
    texts: list[tuple[Path, str]] = [(answers_path, answers_file_text(state.raw, answers_path))]
    releases = state.releases()
    written: Path | None = None
    if releases and values:
        texts += _values_texts(state, releases)
        written = values_path
    backups = [write_atomic(path, text) for path, text in texts]
    state.dirty = False
    later = bool(releases) and not values
    return Saved(answers_path, written, len(state.validation.errors), tuple(b for b in backups if b is not None),
                 later)  # fmt: skip


def _values_texts(state: WizardState, releases: Sequence[PlannedRelease]) -> list[tuple[Path, str]]:
    """Each release's values file and its text (Flyte's first, a dependency's beside it)."""
    from flyte_tui.charts.values_file import rendered
    from flyte_tui.files.values import preview_text

    out = []
    for release in sorted(releases, key=lambda r: bool(r.serves)):
        path = release.values_path(state.values_path)
        out.append((path, preview_text(rendered(release), path, source=state.answers_path.name)))
    return out


def save_values(state: WizardState, releases: Sequence[PlannedRelease]) -> Saved:
    """Write the values of ``releases`` (the plan as it will be installed: its propeller secret settled) to the
    session's values files, atomic, with .bak; the answers file was saved already. OSError as :func:`save`."""
    from flyte_tui.files.yamlio import write_atomic

    backups = [write_atomic(path, text) for path, text in _values_texts(state, releases)]
    return Saved(state.answers_path, state.values_path, 0, tuple(b for b in backups if b is not None))


@dataclass(frozen=True)
class Imported:
    """Answers made from an existing values file, or why there are none."""

    answers: dict[str, Any] | None
    message: str


def open_answers(state: WizardState, path: Path) -> None:
    """Continue from an answers file: its answers, and it (with the values file beside it) to save to.

    Raises (and leaves the state as it was) when the file cannot be read or is not an answers file.
    """
    from flyte_tui.files.answers import load_answers
    from flyte_tui.files.values import default_path

    answers = load_answers(path)
    state.replace(answers, dirty=False)
    if answers.get("ingress"):  # the file's own ingress answers: detection never switches the ingress off
        state.detected_defaults.add("ingress.enabled")
    state.answers_path = path
    state.values_path = default_path(path)


def import_values(path: Path) -> Imported:
    """Answers from an existing flyte-core or flyte-binary values file (its chart's importer does the mapping)."""
    from flyte_tui.charts.import_file import import_values_file

    result = import_values_file(path)
    if not result.answers:
        return Imported(None, "; ".join(str(p) for p in result.problems) or "nothing to import")
    answers = dict(result.answers)
    answers.setdefault("target", fresh_answers()["target"])
    leftovers = ", ".join(result.leftovers)
    return Imported(answers, f"Kept under extraValues: {leftovers}" if leftovers else "")


Severity = Literal["information", "warning", "error"]
Note = tuple[str, str, Severity]
"""A message for the user: its text, its title and its severity."""


def begin(state: WizardState, mode: str, path: Path | None, autosave: Autosave | None) -> tuple[bool, list[Note]]:
    """Load the answers a session begins from: ``fresh`` (the model's defaults, unless already begun),
    ``open`` an answers file, ``import`` a values file, or ``restore`` the autosave; mark the session begun.

    Returns whether it began, and what to tell the user. When it did not, the state is as it was.
    """
    if mode == "restore":
        restored = autosave.load() if autosave is not None else None
        if restored is None:
            return False, [("The recovery file could not be read.", "", "error")]
        state.replace(restored, dirty=True)
    elif mode == "open" and path is not None:
        try:
            open_answers(state, path)
        except Exception as exc:  # unreadable or malformed file: say so, stay here
            return False, [(f"Cannot open {path}: {exc}", "", "error")]
    elif mode == "import" and path is not None:
        imported = import_values(path)
        if imported.answers is None:
            return False, [(imported.message, f"Cannot import {path}", "error")]
        state.replace(imported.answers, dirty=True)
        state.values_path = path
        if imported.message:
            notes: list[Note] = [(imported.message, "Imported", "information")]
            state.started = True
            return True, notes
    elif mode == "fresh" and not state.started:
        state.replace(fresh_answers(state.get("target.context", "")), dirty=False)
    state.started = True
    return True, []
