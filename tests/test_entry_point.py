"""The ``flyte-tui`` entry point: with no arguments in a terminal it opens the wizard without loading the
command line (click and the commands): the first screen paints sooner (issue 10, start-up)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import io, sys

class Terminal(io.StringIO):
    def isatty(self):
        return True

out = sys.stdout
sys.stdin, sys.stdout = Terminal(), Terminal()
import flyte_tui.tui.app as app

opened = []
app.run_app = opened.append  # the wizard itself is not run here: only which way the entry point goes
sys.argv = ["flyte-tui", *sys.argv[1:]]
from flyte_tui.cli import main

try:
    main()
except SystemExit:
    pass
out.write(f"{'click' in sys.modules} {opened}")
"""


def entry(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_no_arguments_in_a_terminal_open_the_wizard_without_the_command_line() -> None:
    assert entry() == "False [None]"


def test_an_answers_file_still_goes_through_the_command_line() -> None:
    assert entry("-f", "mine.yaml") == "True [PosixPath('mine.yaml')]"
