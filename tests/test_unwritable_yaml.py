"""YAML that would not read back is never written, and the user is told which file (issue 12, leftovers).

The inputs are those ruamel.yaml's emitter corrupts (tests/test_emitter_bugs.py): flyte-tui's emitter fixes
that bug, so these tests run ruamel's emitter as it ships (``shipped_emitter``), the real bug the read-back
check exists for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml.emitter import RoundTripEmitter

from flyte_tui.cli.commands import main
from flyte_tui.files import yaml_emit, yamlio

CORRUPTED = "# the user's values\nx:  # c\n  - {}\n  - a\n  - b\n"
"""A file ruamel.yaml 0.18.6 … 0.19.1 writes back as ``[{}, 'a   - b']``."""


@pytest.fixture
def shipped_emitter(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ruamel.yaml's round-trip emitter without flyte-tui's fix of its ``no_newline`` leak."""
    monkeypatch.setattr(yaml_emit.CheckedEmitter, "write_line_break", RoundTripEmitter.write_line_break)
    yield


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


def test_the_bug_is_real_without_the_fix(shipped_emitter: None) -> None:
    with pytest.raises(yamlio.UnwritableYAML, match="would not read back"):
        yamlio.dump(yamlio.load_document(CORRUPTED))


def test_render_names_the_values_file_and_writes_nothing(tmp_path: Path, shipped_emitter: None) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: sandbox\n")
    values = tmp_path / "flyte-values.yaml"
    values.write_text(CORRUPTED)
    code, out, err = invoke("render", answers)
    assert code == 2, out + err
    assert f"error: {values} was not written" in err
    assert "nothing was written" in err and "would not read back" in err
    assert "Traceback" not in out + err
    assert values.read_text() == CORRUPTED
    assert not values.with_name("flyte-values.yaml.bak").exists()


def test_a_large_values_file_merged_piece_by_piece_is_named_too(tmp_path: Path, shipped_emitter: None) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: sandbox\n")
    values = tmp_path / "v.yaml"
    text = CORRUPTED.replace("x:", "flyteadmin:\n  x:").replace("\n  -", "\n    -") + "".join(
        f"user{i}: {'y' * 60}\n" for i in range(1500)
    )
    values.write_text(text)
    assert len(text) >= 64 * 1024
    code, _out, err = invoke("render", answers, "-o", values)
    assert code == 2 and f"{values} was not written" in err, err
    assert values.read_text() == text


def test_import_names_the_answers_file_and_writes_nothing(tmp_path: Path, shipped_emitter: None) -> None:
    source = tmp_path / "values.yaml"
    source.write_text("storage: {type: gcs, bucketName: acme-meta, gcs: {projectId: acme-1}}\n")
    target = tmp_path / "flyte-tui.yaml"
    target.write_text(CORRUPTED)
    code, out, err = invoke("import", source, "-o", target)
    assert code == 2, out + err
    assert f"error: {target} was not written" in err and "nothing was written" in err
    assert target.read_text() == CORRUPTED
    assert not target.with_name("flyte-tui.yaml.bak").exists()
