"""The README's answers-file reference is the model's docstrings: it cannot drift."""

from __future__ import annotations

from pathlib import Path

from flyte_tui.model.reference import markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_reference_matches_the_model() -> None:
    assert markdown() in README.read_text(encoding="utf-8"), (
        "README answers reference is stale: regenerate with `python -m flyte_tui.model.reference`"
    )


def test_readme_has_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "python3 -m pip install . && flyte-tui" in text
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m pip install -q -e '.[test]'" in ci and "python3 -m pytest" in ci
