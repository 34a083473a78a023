"""The core never imports Textual: the headless CLI and the tests use it without a terminal UI.

Which modules are the core, and the layers between them, is written once: the import-linter contracts in
pyproject.toml, checked here (and by ``lint-imports`` in .ci/run). The runtime probe below checks what the
static contracts cannot: the wizard's state really runs without Textual being imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    """Core never imports textual/click/tui/cli; tui and cli never import each other; the layers hold."""
    lint = shutil.which("lint-imports")
    if lint is None:
        if os.environ.get("CI"):
            pytest.fail("lint-imports not found: CI installs the test extras (pip install -e '.[test]')")
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import json, sys\n"
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
