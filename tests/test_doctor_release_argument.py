"""``flyte-tui doctor`` and ``bundle`` with a release name that helm would read as an option (the release is helm's
positional argument: ``--release=--kubeconfig=…`` would point helm at another cluster): refused by name before
anything runs, never handed to helm."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _recorder(folder: Path) -> tuple[Path, Path]:
    """A program that writes its arguments to a file (which then exists) and fails: it stands in for helm and
    kubectl, to see whether either was run."""
    log = folder / "ran.txt"
    program = folder / "tool"
    program.write_text(f"#!{sys.executable}\nimport sys\nopen({str(log)!r}, 'a').write(repr(sys.argv) + '\\n')\n"
                       "sys.exit(1)\n")  # fmt: skip
    program.chmod(0o755)
    return program, log


@pytest.mark.parametrize("command", [["doctor", "--json"], ["bundle", "-o", "bundle.tar.gz"]])
def test_a_release_that_reads_as_an_option_is_refused_before_helm_runs(tmp_path: Path, command: list[str]) -> None:
    tool, ran = _recorder(tmp_path)
    argv = [sys.executable, "-m", "flyte_tui.cli", *command, "--release=--kubeconfig=/tmp/elsewhere",
            "--helm", str(tool), "--kubectl", str(tool)]  # fmt: skip
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "release '--kubeconfig=/tmp/elsewhere' must not start with '-'" in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not ran.exists(), ran.read_text()
