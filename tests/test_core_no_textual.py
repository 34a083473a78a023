"""The core never imports Textual: the headless CLI and the tests use it without a terminal UI."""

from __future__ import annotations

import json
import subprocess
import sys

CORE = [
    "flyte_tui.model",
    "flyte_tui.presets",
    "flyte_tui.charts.flyte_core.render",
    "flyte_tui.files.values",
    "flyte_tui.files.yamlio",
    "flyte_tui.files.answers",
    "flyte_tui.charts.flyte_core.importer",
    "flyte_tui.charts.flyte_core.components",
    "flyte_tui.files.autosave",
    "flyte_tui.tools.helm",
    "flyte_tui.tools.detect",
    "flyte_tui.tui.state",
    "flyte_tui.tui.wizard_files",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "from flyte_tui.tui.state import WizardState\n"
        "s = WizardState(); s.choose_environment('eks'); s.validation\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == []


def test_the_check_would_see_textual() -> None:
    """The probe itself works: importing the app does pull Textual in."""
    code = "import sys, flyte_tui.tui.app; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "True"
