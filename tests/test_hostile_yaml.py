"""Hostile YAML (issue 12, items 1-3 and 6, and "Also"): every file flyte-tui reads goes through one bound.

Each case is refused with exit 2 and a message naming the file and the line, never a traceback, whether it
is an answers file (validate, render), an existing values file render merges into, or a values file to import.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyte_tui.cli.commands import main
from flyte_tui.files import yamlio

DEEP = "".join("  " * i + f"k{i}:\n" for i in range(250)) + "  " * 250 + "v: 1\n"
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
)
HOSTILE = {
    "deep": (DEEP, "nesting deeper than"),
    "huge-int": ("x: " + "1" * 5000 + "\n", "digits"),
    "int-beyond-64-bits": ("x: 18446744073709551616\n", "64 bits"),
    "inf": ("x: .inf\n", "finite"),
    "nan": ("x: .nan\n", "finite"),
    "float-overflow": ("x: 1e400\n", "too large"),
    "set": ("x: !!set {a, b}\n", "!!set"),
    "custom-tag": ("x: !vault secret/flyte\n", "!vault"),
    "complex-key": ("? [1, 2]\n: x\n", "as a key"),
    "recursive-alias": ("x: &r {self: *r}\n", "recursive"),
    "alias-bomb": (BOMB, "aliases expanding"),
    "duplicate-key": ("x: 1\nx: 2\n", "duplicate key"),
}


def indented(text: str, by: int) -> str:
    return "".join(" " * by + line if line.strip() else line for line in text.splitlines(keepends=True))


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_answers_file_with_hostile_extra_values_is_refused(tmp_path: Path, name: str) -> None:
    body, said = HOSTILE[name]
    answers = tmp_path / "a.yaml"
    answers.write_text("environment: sandbox\nextraValues:\n" + indented(body, 2))
    started = time.monotonic()
    code, out = invoke("validate", str(answers))
    assert time.monotonic() - started < 10  # the alias bomb took 100 s and 4.4 GB
    assert code == 2, out
    assert str(answers) in out and said in out and "line " in out
    code, out = invoke("render", str(answers), "-o", str(tmp_path / "v.yaml"))
    assert code == 2 and said in out
    assert not (tmp_path / "v.yaml").exists()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_existing_values_file_is_left_untouched(tmp_path: Path, name: str) -> None:
    body, said = HOSTILE[name]
    answers = tmp_path / "a.yaml"
    answers.write_text("environment: sandbox\n")
    existing = tmp_path / "v.yaml"
    existing.write_text(body)
    code, out = invoke("render", str(answers), "-o", str(existing))
    assert code == 2, out
    assert said in out and str(existing) in out
    assert existing.read_text() == body
    assert not (tmp_path / "v.yaml.bak").exists()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_import_of_hostile_values_file_is_refused(tmp_path: Path, name: str) -> None:
    body, said = HOSTILE[name]
    values = tmp_path / "v.yaml"
    values.write_text(body)
    code, out = invoke("import", str(values), "-o", str(tmp_path / "a.yaml"))
    assert code == 2, out
    assert said in out and str(values) in out
    assert not (tmp_path / "a.yaml").exists()


@pytest.mark.parametrize(
    "text",
    [
        "port: .inf\n",
        "db: {admin: {database: {port: .inf}}}\n",
        "flyteadmin: {replicaCount: .inf}\n",
        "flyteadmin: {replicaCount: -.Inf}\n",
    ],
)
def test_import_of_infinite_numbers_is_refused(tmp_path: Path, text: str) -> None:
    values = tmp_path / "v.yaml"
    values.write_text(text)
    code, out = invoke("import", str(values), "-o", str(tmp_path / "a.yaml"))
    assert code == 2 and "finite" in out


def test_oversize_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "a.yaml"
    big.write_text("environment: sandbox\nextraValues:\n  blob: '" + "x" * (yamlio.MAX_BYTES + 10) + "'\n")
    code, out = invoke("import", str(big), "-o", str(tmp_path / "out.yaml"))
    assert code == 2 and "MiB" in out


def test_what_helm_values_can_hold_still_loads() -> None:
    text = (
        "big: 9223372036854775807\nneg: -9223372036854775808\nfloat: 1.5e300\nquoted: '.inf'\nhex: 0x1F\n"
        "base: &b {x: 1}\nuse: {<<: *b, y: 2}\nlist: &l [1, 2]\nagain: *l\nd: 2024-01-01\n"
        + "deep:\n"
        + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(40))
        + "  " * 41
        + "v: 1\n"
    )
    data = yamlio.load_plain(text)
    assert data["big"] == 2**63 - 1 and data["quoted"] == ".inf" and data["use"] == {"x": 1, "y": 2}
    assert data["again"] == [1, 2]
