"""Merging into a large values file piece by piece (files/yaml_pieces.py, issue 12 item 7): the same data as the
whole-document merge, the pieces the merge leaves alone kept byte for byte, and the same refusals."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.owned import is_owned
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.charts.values_file import write_values_file
from flyte_tui.files import yaml_pieces, yamlio
from flyte_tui.files.yaml_limits import Outline
from tests.conftest import REALISTIC

KEYS = st.sampled_from(["a", "b", "c", "x", "y", "z", "image", "podLabels"])
SCALARS = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text("abc xyz#:-", max_size=6)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=12
)
DOCS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=6)
OWNED = {("a",), ("b", "x"), ("c", "y", "z"), ("z", "a")}


def owned(path: tuple[str, ...]) -> bool:
    return tuple(path) in OWNED


def commented(doc: dict[str, Any]) -> str:
    """The document as a user might keep it: a header, a comment before and inside each top-level key."""
    text = "# my values\n\n"
    for key, value in doc.items():
        body = yamlio.dump({key: value})
        first, _, rest = body.partition("\n")
        text += f"# about {key}\n{first}  # {key} here\n{rest}"
    return text


def whole(text: str, new: dict[str, Any]) -> Any:
    doc = yamlio.load_document(text)
    yamlio.merge_into(doc, copy.deepcopy(new), owned=owned)
    return yamlio.dump(doc)


def in_pieces(text: str, new: dict[str, Any]) -> str:
    outline = Outline()
    yamlio.check(text, outline=outline)
    assert outline.cuttable
    return yaml_pieces.merge_pieces(text, outline, copy.deepcopy(new), owned)


@settings(max_examples=300, deadline=None)
@given(doc=DOCS, new=DOCS)
def test_pieces_hold_the_same_data_as_the_whole_merge(doc: dict[str, Any], new: dict[str, Any]) -> None:
    text = commented(doc)
    merged = in_pieces(text, new)
    assert yamlio.load_plain(merged) == yamlio.load_plain(whole(text, new))
    for key in doc:  # a piece the merge does not touch is kept as it was, comments and all
        if key not in new and not any(p[0] == key for p in OWNED):
            written_key = yamlio.dump({key: None}).partition(":")[0]  # 'y' is quoted: helm reads y as true
            assert f"# about {key}\n{written_key}:" in merged or f"{written_key}: " in merged
            first = yamlio.dump({key: doc[key]}).partition("\n")[0]
            assert f"{first}  # {key} here\n" in merged


def test_untouched_pieces_are_kept_byte_for_byte(tmp_path: Path) -> None:
    piece = "component{i}:\n    # tuned by hand {i}\n    resources: {{requests: {{cpu: 100m}}}}  # keep\n"
    user = "".join(piece.format(i=i) for i in range(3000))
    path = tmp_path / "values.yaml"
    path.write_text("# my big values file\n" + user + "flyteadmin:\n  replicaCount: 7\n  podLabels: {team: ml}\n")
    assert path.stat().st_size > yaml_pieces.PIECES_FROM
    plan = validate_answers(copy.deepcopy(REALISTIC["eks"])).plan
    assert plan is not None
    written = write_values_file(plan, path)
    assert written.text.startswith("# my big values file\n" + user)  # 4-space indents, flow maps, comments
    merged = yamlio.load_plain(written.text)
    expected = render_values(plan)
    assert merged["flyteadmin"]["podLabels"] == {"team": "ml", **expected["flyteadmin"].get("podLabels", {})}
    for key, value in expected.items():
        if isinstance(value, dict):
            assert {k: merged[key][k] for k in value} == value, key
        else:
            assert merged[key] == value, key
    doc = yamlio.load_document("# my big values file\n" + user + "flyteadmin:\n  replicaCount: 7\n")
    yamlio.merge_into(doc, expected, owned=is_owned)
    assert merged == yamlio.to_plain(doc) | {"flyteadmin": merged["flyteadmin"]}


@pytest.mark.parametrize(
    ("text", "cuttable"),
    [
        ("a: 1\nb:\n  c: 2\n", True),
        ("a: &x {c: 1}\nb: *x\n", False),  # anchors: the whole document, so no write goes through an alias
        ("{a: 1, b: 2}\n", False),
        ("---\na: 1\n", False),
        ("? a\n: 1\n", False),
        ("'y': 1\n\"n\": 2\n", True),  # quoted one-line keys (y and n are written quoted: helm reads them as booleans)
        ("a: 1\n...\n", False),
    ],
)
def test_only_plain_block_mappings_are_cut(text: str, cuttable: bool) -> None:
    outline = Outline()
    yamlio.check(text, outline=outline)
    assert outline.cuttable is cuttable


def test_a_big_file_that_is_not_yaml_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    bad = "".join(f"k{i}: {i}\n" for i in range(20_000)) + "broken: [\n"
    path.write_text(bad)
    with pytest.raises(yamlio.UnmergeableFile, match="not valid YAML"):
        yaml_pieces.merge_existing(path, {"a": 1}, owned)
    path.write_text("".join(f"k{i}: {i}\n" for i in range(20_000)) + "k5: again\n")
    with pytest.raises(yamlio.UnmergeableFile, match="duplicate key"):
        yaml_pieces.merge_existing(path, {"a": 1}, owned)


def test_a_big_file_is_checked_without_building_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What preflight asks before an install: can the values file be merged into? A large one is answered
    from the bounded check alone (ruamel's round trip of a 1 MB file takes seconds)."""
    path = tmp_path / "values.yaml"
    path.write_text("".join(f"k{i}:\n  v: {i}\n" for i in range(20_000)))

    def no_round_trip(text: str, source: str = "") -> Any:
        raise AssertionError("the whole file went through ruamel")

    monkeypatch.setattr(yamlio, "load_checked", no_round_trip)
    yaml_pieces.check_existing(path)
    path.write_text(path.read_text() + "k7: twice\n")
    with pytest.raises(yamlio.UnmergeableFile, match="duplicate key"):
        yaml_pieces.check_existing(path)
