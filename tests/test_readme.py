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


MAP_BEGIN = "<!-- module-map:begin (generated: python3 tests/test_readme.py) -->"
MAP_END = "<!-- module-map:end -->"


def module_map() -> str:
    """The README's module map: every folder of ``flyte_tui/`` with its modules (and the data files it ships: presets,
    style sheets), as the tree has them."""
    package = README.parent / "flyte_tui"
    rows = ["| folder | modules |", "|---|---|"]
    for folder in sorted({p.parent for p in package.rglob("*.py")}):
        modules = [f"`{p.stem}`" for p in sorted(folder.glob("*.py")) if p.name != "__init__.py"]
        data = [f"`{p.name}`" for p in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.tcss"))]
        name = "flyte_tui/" + "".join(f"{part}/" for part in folder.relative_to(package).parts)
        rows.append(f"| `{name}` | {', '.join(modules + data)} |")
    return "\n".join([MAP_BEGIN, *rows, MAP_END])


def test_readme_module_map_matches_the_tree() -> None:
    assert module_map() in README.read_text(encoding="utf-8"), (
        "README module map is stale: regenerate with `python3 tests/test_readme.py` and paste it over the old one"
    )


if __name__ == "__main__":
    print(module_map())
