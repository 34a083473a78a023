"""The sizes the redesign promised (issue #10): no module in flyte_tui/ over 400 lines, no class over 250."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "flyte_tui"
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 250


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these modules (lines): {long}"


def test_no_class_is_over_250_lines() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ClassDef)
                and (n := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_CLASS_LINES
            ):
                long[f"{path.relative_to(PACKAGE)}:{node.name}"] = n
    assert long == {}, f"split these classes (lines): {long}"


def test_the_app_module_only_wires() -> None:
    # issue #10: app.py wires the screens to the session; its parts live in its bases' modules
    lines = len((PACKAGE / "tui" / "app.py").read_text().splitlines())
    assert lines < 200, f"flyte_tui/tui/app.py has {lines} lines: move a part into a base of WizardApp"
