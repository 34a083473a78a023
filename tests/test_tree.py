"""One path syntax for answers and values: tuples in code, dotted text for people."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flyte_tui import tree
from flyte_tui.tools.process import last_line

keys = st.one_of(st.text(min_size=1, max_size=12), st.integers(min_value=0, max_value=99))


@given(st.lists(keys, min_size=1, max_size=6).filter(lambda p: isinstance(p[0], str)))
def test_dotted_text_reads_back_as_the_same_path(path: list[str | int]) -> None:
    assert tree.parse(tree.dotted(tuple(path))) == tuple(path)


def test_annotation_keys_keep_their_dots() -> None:
    path = ("flyteadmin", "serviceAccount", "annotations", "eks.amazonaws.com/role-arn")
    assert tree.dotted(path) == 'flyteadmin.serviceAccount.annotations."eks.amazonaws.com/role-arn"'
    assert tree.dotted(("configmap", "task_logs", "plugins", 0)) == "configmap.task_logs.plugins[0]"


def test_put_get_delete_prune_empty_maps() -> None:
    values: dict[str, object] = {"keep": 1}
    tree.put(values, ("a", "b", "c"), "x")
    assert tree.get(values, ("a", "b", "c")) == "x"
    assert tree.get(values, ("a", "missing"), "default") == "default"
    assert tree.has(values, ("a", "b")) and not tree.has(values, ("a", "c"))
    tree.delete(values, ("a", "b", "c"))
    assert values == {"keep": 1}


def test_put_replaces_a_scalar_in_the_way() -> None:
    values: dict[str, object] = {"a": "text"}
    tree.put(values, ("a", "b"), 1)
    assert values == {"a": {"b": 1}}


def test_leaves_keep_lists_whole_and_empty_maps_as_leaves() -> None:
    assert tree.leaves({"a": {"b": 1, "c": [1, 2]}, "d": {}}) == {("a", "b"): 1, ("a", "c"): [1, 2], ("d",): {}}


def test_deep_merge_does_not_touch_its_inputs() -> None:
    base = {"a": {"b": 1, "c": 2}}
    merged = tree.deep_merge(base, {"a": {"c": 3}, "d": [1]})
    assert merged == {"a": {"b": 1, "c": 3}, "d": [1]}
    assert base == {"a": {"b": 1, "c": 2}}


def test_last_line_is_what_the_program_said_last() -> None:
    assert last_line("warning: x\nError: release flyte not found\n\n") == "Error: release flyte not found"
    assert last_line("  \n", "no answer") == "no answer"
