"""ruamel.yaml's emitter corrupts some documents it round-trips (0.18.6 … 0.19.1): flyte-tui never writes
one. An end-of-line comment on a key whose block list starts with an empty flow map ``{}`` followed by two or
more scalars came back as ``- a   -\\n    b`` (the list ``[{}, 'a   - b']``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flyte_tui.files import yaml_pieces, yamlio

CORRUPTED = [
    "x:  # c\n  - {}\n  - a\n  - b\n",
    "x:  # c\n  - {}\n  - {}\n  - a\n  - b\n  - c\n",
    "top:\n  y:  # d\n    - {}\n    - a\n    - b\n",
]


@pytest.mark.parametrize("text", CORRUPTED)
def test_a_values_file_is_written_back_with_its_data_and_comment(tmp_path: Path, text: str) -> None:
    path = tmp_path / "values.yaml"
    path.write_text(text)
    merged = yaml_pieces.merge_existing(path, {"image": "cr.flyte.org/flyteadmin"}, lambda _p: False)
    assert merged is not None
    yamlio.write_atomic(path, merged)
    written = path.read_text()
    assert yamlio.load_plain(written) == {**yamlio.load_plain(text), "image": "cr.flyte.org/flyteadmin"}
    assert "# c" in written or "# d" in written


def test_a_comment_on_a_null_replaced_by_such_a_list_keeps_the_list(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("x: null  # c\n")
    merged = yaml_pieces.merge_existing(path, {"x": [{}, "a", "b"]}, lambda _p: False)
    assert merged is not None
    assert yamlio.load_plain(merged) == {"x": [{}, "a", "b"]}
    assert "# c" in merged


def test_a_dump_that_would_not_read_back_the_same_is_refused() -> None:
    """The safety net: every round-trip dump is read back and compared; a mismatch is never returned."""
    doc = yamlio.load_document("x: 1\n")
    original = yamlio._emit

    def corrupt(data: object) -> tuple[str, list[tuple[object, ...]]]:
        text, events = original(data)
        return text.replace("x: 1", "x: 2"), events

    yamlio._emit = corrupt  # type: ignore[assignment]
    try:
        with pytest.raises(yamlio.UnwritableYAML, match="would not read back"):
            yamlio.dump(doc)
    finally:
        yamlio._emit = original  # type: ignore[assignment]


def test_a_line_break_character_in_a_value_is_written_quoted_and_reads_back() -> None:
    """NEL and the Unicode line/paragraph separators end a plain scalar for libyaml: found by the fuzz test."""
    from flyte_tui.files import yamlio

    data = {"projects": {"initialProjects": "\x85"}, "a": "x\u2028y", "b": "z\u2029"}
    text = yamlio.dump(data)
    assert yamlio.load_plain(text) == data


# -- found by a long local fuzz run (issue 12, item 4 of the leftovers) -----------------------------------------

BLOCK_WITH_COMMENT = "# the user's values\nflyteadmin: |  # old notes\n  free text\nkept: 1\n"


@pytest.mark.parametrize("new", [{"k": 1}, [{}, "a"], 5, None, True])
def test_a_block_scalar_with_a_comment_replaced_by_anything_keeps_the_comment(new: object) -> None:
    """ruamel keeps a block scalar's comment as plain text: a map or list written there crashed its emitter
    (AttributeError: 'str' object has no attribute 'value'), and after a number the comment was lost."""
    doc = yamlio.load_document(BLOCK_WITH_COMMENT)
    yamlio.merge_into(doc, {"flyteadmin": new})
    text = yamlio.dump(doc)
    assert yamlio.load_plain(text) == {"flyteadmin": new, "kept": 1}
    assert "# old notes" in text and "# the user's values" in text


def test_a_block_scalar_replaced_by_a_string_keeps_its_style_and_comment() -> None:
    doc = yamlio.load_document(BLOCK_WITH_COMMENT)
    yamlio.merge_into(doc, {"flyteadmin": "new text"})
    text = yamlio.dump(doc)
    assert yamlio.load_plain(text)["flyteadmin"] == "new text" and "# old notes" in text


def test_render_over_a_values_file_whose_managed_key_is_a_commented_block_scalar(tmp_path: Path) -> None:
    """Through the real CLI: this was a traceback (render replaces flyteadmin with a map)."""
    from click.testing import CliRunner

    from flyte_tui.cli.commands import main

    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: sandbox\n")
    values = tmp_path / "flyte-values.yaml"
    values.write_text(BLOCK_WITH_COMMENT)
    result = CliRunner().invoke(main, ["render", str(answers)])
    assert result.exit_code == 0, (result.output, result.exc_info)
    written = values.read_text()
    assert isinstance(yamlio.load_plain(written)["flyteadmin"], dict)
    assert "# old notes" in written and "kept: 1" in written
    assert values.with_name("flyte-values.yaml.bak").read_text() == BLOCK_WITH_COMMENT


def test_a_document_dumped_twice_reads_back_both_times() -> None:
    """ruamel marked a comment line as written on the document's own token, so a second dump of the same
    document skipped it with the line break after ``a:`` (``a:   - {}``: refused as not reading back)."""
    doc = yamlio.load_document("# top\na:\n  # inside\n  a: 1\n")
    assert yamlio.dump(doc) == "# top\na:\n  # inside\n  a: 1\n"
    yamlio.merge_into(doc, {"a": [{}, "a", "b"]})
    first = yamlio.dump(doc)
    assert yamlio.dump(doc) == first
    assert yamlio.load_plain(first) == {"a": [{}, "a", "b"]} and "# inside" in first


@pytest.mark.parametrize("old", ["|  # c\n    lit", ">  # c\n    fold", "'single'  # c"])
@pytest.mark.parametrize("new", ["\x1f", "a\x1fb", "\x85", "\x7f", "plain text"])
def test_a_string_its_predecessors_style_cannot_hold_is_written_double_quoted(old: str, new: str) -> None:
    """ruamel wrote a string in the style of the one it replaced: a control character or NEL in a block or
    single-quoted scalar did not read back (refused as unwritable)."""
    doc = yamlio.load_document(f"y: {old}\nkept: 1\n")
    yamlio.merge_into(doc, {"y": new})
    text = yamlio.dump(doc)
    assert yamlio.load_plain(text) == {"y": new, "kept": 1}
    assert "# c" in text


def test_a_map_made_empty_under_a_commented_key_is_written_with_its_comment(tmp_path: Path) -> None:
    """Found by hypothesis (tests/test_yaml_pieces.py): ``z:  # c`` over a map whose only key flyte-tui removed
    was written ``z:  # c\\n{}`` (not YAML of the same data), and the merge was refused."""
    path = tmp_path / "values.yaml"
    path.write_text("keep: 1\nz:  # about z\n  a: null\n")
    merged = yaml_pieces.merge_existing(path, {"z": {}}, lambda p: tuple(p) == ("z", "a"))
    assert merged is not None
    assert yamlio.load_plain(merged) == {"keep": 1, "z": {}}
    assert "# about z" in merged
