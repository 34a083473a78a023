"""What flyte-tui writes means to the real helm what it means to flyte-tui (helm reads YAML 1.1 rules).

A tiny chart prints the Go type and value helm sees for every top-level value; the values file is written by
``flyte-tui render`` from answers (strings of flyte-tui's) merged into an existing values file (the user's
own booleans and timestamps, untouched keys).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flyte_tui.cli.commands import main
from flyte_tui.files import yamlio
from tests.conftest import helm_binaries

PROBE_TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata: {name: probe}
data:
{{- range $k, $v := .Values }}
  {{ $k }}: {{ printf "%T %v" $v $v | quote }}
{{- end }}
"""

ANSWERS = """environment: sandbox
extraValues:
  word_on: "on"
  word_y: y
  plain_off: off
  word_no: "NO"
  stamp: 2001-12-14t21:59:43.10-05:00
  day: 2001-12-14
"""

EXISTING = """users_on: on  # the user's boolean, kept
users_off: OFF
users_stamp: 2001-12-14t21:59:43.10-05:00
users_day: 2002-01-01
users_octal: 017
users_negative_octal: -017
"""


def _what_helm_sees(helm: Path, values: Path, tmp_path: Path) -> dict[str, str]:
    chart = tmp_path / "probe"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: probe\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text(PROBE_TEMPLATE)
    out = subprocess.run(
        [str(helm), "template", str(chart), f"--values={values}"], capture_output=True, text=True, timeout=60,
        check=True,
    )
    docs: Any = yamlio.load_plain(out.stdout.split("---", 1)[-1])
    return dict(docs["data"])


@pytest.mark.parametrize("helm", helm_binaries())
def test_helm_reads_every_value_as_flyte_tui_wrote_it(helm: Path, tmp_path: Path) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(ANSWERS)
    values = tmp_path / "values.yaml"
    values.write_text(EXISTING)
    done = CliRunner().invoke(main, ["render", str(answers), f"--output={values}"])
    assert done.exit_code == 0, done.output
    seen = _what_helm_sees(helm, values, tmp_path)
    # a quoted word stays a string, whatever YAML 1.1 would make of it; a plain one means what it means to helm
    assert seen["word_on"] == "string on"
    assert seen["word_no"] == "string NO"
    assert seen["word_y"] == "bool true"
    assert seen["plain_off"] == "bool false"
    assert seen["stamp"] == "string 2001-12-14t21:59:43.10-05:00"
    assert seen["day"] == "string 2001-12-14"
    # the user's own untouched keys mean what they meant: booleans stay booleans, timestamps keep their text
    assert seen["users_on"] == "bool true"
    assert seen["users_off"] == "bool false"
    assert seen["users_stamp"] == "string 2001-12-14t21:59:43.10-05:00"
    assert seen["users_day"] == "string 2002-01-01"
    # a leading-zero integer is octal to helm: flyte-tui reads the same number and keeps the spelling
    assert seen["users_octal"] == "float64 15"
    assert seen["users_negative_octal"] == "float64 -15"
    written = values.read_text()
    assert "users_on: on  # the user's boolean, kept" in written
    assert "users_stamp: 2001-12-14t21:59:43.10-05:00\n" in written
    assert "users_octal: 017\nusers_negative_octal: -017\n" in written
    assert yamlio.load_plain(written)["users_octal"] == 15


def test_plain_boolean_words_read_as_helm_reads_them() -> None:
    assert yamlio.load_plain("a: on\nb: 'on'\nc: N\nd: onward\n") == {"a": True, "b": "on", "c": False, "d": "onward"}


def test_a_timestamp_is_read_as_its_text() -> None:
    assert yamlio.load_plain("a: 2001-12-14t21:59:43.10-05:00\nb: !!timestamp 2002-01-01\n") == {
        "a": "2001-12-14t21:59:43.10-05:00",
        "b": "2002-01-01",
    }


def test_a_leading_zero_integer_is_the_octal_number_helm_reads() -> None:
    assert yamlio.load_plain("a: 017\nb: -017\nc: 0o17\nd: 08\ne: '017'\nf: 0\ng: 00\n") == {
        "a": 15, "b": -15, "c": 15, "d": 8, "e": "017", "f": 0, "g": 0,
    }
    assert yamlio.dump(yamlio.load_document("a: 017\nb: -017\n")) == "a: 017\nb: -017\n"
