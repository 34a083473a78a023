"""Start-up (issue 10): the wizard paints its first frame without loading what the Welcome screen does not
need. The answers model (pydantic, bcrypt), the YAML libraries, the charts and the detection load after the
first frame: the steps, the detection worker; the detection and the welcome's controls start after it. Not a
timed test: each app runs in a fresh interpreter, and the test checks what was loaded and running when Textual
reported the first frame (``Ready``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFERRED = (
    "pydantic",
    "pydantic_core",
    "bcrypt",
    "ruamel",
    "yaml",
    "click",
    "flyte_tui.model",
    "flyte_tui.charts",
    "flyte_tui.files.answers",
    "flyte_tui.files.yamlio",
    "flyte_tui.tools.detect",
    "flyte_tui.tools.output",
    "flyte_tui.cli",
)
"""Packages and modules that must not be loaded when the first frame is painted."""

PROBE = r"""
import json, sys, tempfile
from pathlib import Path

kind = sys.argv[1]
if kind == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self):
            yield Static("hello")

        def on_ready(self) -> None:
            print(json.dumps({"modules": sorted(sys.modules), "screen": type(self.screen).__name__}))
            self.exit()

    Bare().run(headless=True, size=(120, 40))
else:
    from flyte_tui.tui.app import WizardApp

    class Probe(WizardApp):
        def on_ready(self) -> None:
            screen = self.screen
            print(json.dumps({"modules": sorted(sys.modules), "screen": type(screen).__name__,
                              "intro": str(screen.query_one("#intro").render()),
                              "workers": sorted(w.group for w in self.workers),
                              "controls": bool(screen.query("#context, #path"))}))
            self.exit()

    Probe(recovery_dir=Path(tempfile.mkdtemp())).run(headless=True, size=(120, 40))
"""


def first_frame(kind: str, cwd: Path) -> dict[str, object]:
    """What a fresh interpreter had loaded when the app (``bare`` or ``wizard``) reported its first frame."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd), "XDG_STATE_HOME": str(cwd)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def loaded(modules: object, name: str) -> bool:
    """``name`` or one of its submodules is among ``modules``."""
    assert isinstance(modules, list)
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_the_first_frame_is_painted_without_the_model_yaml_charts_or_detection(tmp_path: Path) -> None:
    wizard = first_frame("wizard", tmp_path)
    assert wizard["screen"] == "WelcomeScreen"
    assert str(wizard["intro"]).startswith("This wizard writes two files")
    assert [name for name in DEFERRED if loaded(wizard["modules"], name)] == []


def test_the_detection_and_the_welcome_controls_start_after_the_first_frame(tmp_path: Path) -> None:
    wizard = first_frame("wizard", tmp_path)
    assert wizard["workers"] == []  # no detection worker competing with the first frame for the interpreter
    assert wizard["controls"] is False  # the context picker and the file inputs mount after it


def test_the_first_frame_loads_nothing_beyond_a_bare_textual_app_but_the_wizards_own(tmp_path: Path) -> None:
    bare = first_frame("bare", tmp_path)
    wizard = first_frame("wizard", tmp_path)
    assert isinstance(bare["modules"], list) and isinstance(wizard["modules"], list)
    extra = sorted(set(wizard["modules"]) - set(bare["modules"]))
    own = ("flyte_tui", "textual", "rich")  # and the interpreter's built-in modules (gc), which cost nothing to load
    foreign = [m for m in extra if m.split(".")[0] not in own and m not in sys.builtin_module_names]
    assert foreign == [], f"loaded before the first frame, beyond what a bare Textual app loads: {foreign}"


def test_the_entry_point_freezes_the_start_up_objects_before_the_app_runs(tmp_path: Path) -> None:
    # A full collection right after the first frame walked every module's objects and held the frame back
    # (Textual writes it from another thread); frozen, collections skip them. The wizard's own run() freezes
    # them, so whatever runs it (the entry point, the start-up benchmark) starts the same way.
    code = (
        "import gc, sys\n"
        "import textual.app\n"
        "from flyte_tui.tui import app\n"
        "textual.app.App.run = lambda self, *a, **k: print(gc.get_freeze_count())\n"
        "app.run_app(None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.strip()) > 10_000  # the imported modules' objects, frozen
