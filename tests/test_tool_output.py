"""Reading helm's and kubectl's output (flyte_tui/tools/output.py, issue 12 items 4-5): any text, any JSON,
gives back what was printed when it has the expected shape and otherwise an error naming the command; never
another exception."""

from __future__ import annotations

import json
from typing import Any, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flyte_tui.tools import output
from flyte_tui.tools.process import ProcessError

KEYS = st.sampled_from(["revision", "status", "items", "kind", "type", "object", "name", "version", "manifest", "x"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=20,
)
SHAPES = [output.Shape, output.HelmRevision, output.HelmStatus, output.KubeList, output.HelmDryRun,
          output.HelmChartVersion, output.KubectlClientVersion, output.KubeWatchEvent]  # fmt: skip


def fits(item: Any, shape: type[output.Shape]) -> bool:
    """The shape written out by hand: an object whose named keys hold values of the declared JSON type."""
    if not isinstance(item, dict):
        return False
    for name, field in shape.model_fields.items():
        if name not in item:
            if field.is_required():
                return False
            continue
        value, kind = item[name], field.annotation
        if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            return False
        if kind is str and not isinstance(value, str):
            return False
        if get_origin(kind) is dict and not isinstance(value, dict):
            return False
        if kind == (list[dict[str, Any]] | None) and not (
            value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value))
        ):
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(data=JSON, shape=st.sampled_from(SHAPES))
def test_any_json_is_returned_as_printed_or_refused_naming_the_command(data: Any, shape: type[output.Shape]) -> None:
    text = json.dumps(data)
    try:
        got = output.json_object(text, "helm status", shape)
    except output.UnexpectedOutput as exc:
        assert not fits(data, shape), (data, shape)
        assert str(exc).startswith("`helm status` printed ") and shape.expected in str(exc)
    else:
        assert fits(data, shape) and got == data
    try:
        items = output.json_list(text, "helm history", shape)
    except output.UnexpectedOutput as exc:
        assert not (isinstance(data, list) and all(fits(i, shape) for i in data)), (data, shape)
        assert str(exc).startswith("`helm history` printed ")
    else:
        assert items == data


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_any_text_parses_or_is_refused(text: str) -> None:
    for read in (output.json_object, output.json_list):
        try:
            read(text, "kubectl get pods")
        except output.UnexpectedOutput as exc:
            assert isinstance(exc, ProcessError)  # every face reports it as a failed step
            assert "`kubectl get pods` printed" in str(exc)
    try:
        list(output.json_events(text.splitlines(), "kubectl get pods --watch"))
    except output.UnexpectedOutput as exc:
        assert "`kubectl get pods --watch` printed" in str(exc)


@settings(max_examples=200, deadline=None)
@given(events=st.lists(st.fixed_dictionaries({"type": st.sampled_from(["ADDED", "DELETED"]), "object": JSON}),
                       max_size=4), indent=st.sampled_from([None, 2, 4]))  # fmt: skip
def test_watch_events_split_over_lines_come_back_whole(events: list[dict[str, Any]], indent: int | None) -> None:
    lines = "\n".join(json.dumps(e, indent=indent) for e in events).splitlines()
    wanted = [e for e in events if isinstance(e["object"], dict)]
    if len(wanted) == len(events):
        assert list(output.json_events(lines, "kubectl get pods --watch")) == events
    else:
        with pytest.raises(output.UnexpectedOutput, match="printed JSON of another shape"):
            list(output.json_events(lines, "kubectl get pods --watch"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1]", "`helm history` printed JSON of another shape (a number at 0), not a JSON list of revisions"),
        ('{"a":1}', "`helm history` printed JSON of another shape (an object), not a JSON list of revisions"),
        ('[{"revision": "2"}]', "(input should be a valid integer at 0.revision)"),
        ("<html>502 Bad Gateway</html>", "printed text that is not JSON ('<html>502 Bad Gateway</html>')"),
        ("x" * 500, "printed text that is not JSON ('" + "x" * 60 + "…')"),
        ("password=hunter2-canary", "printed text that is not JSON ('password=******')"),
        ("[" * 100_000, "printed text that is not JSON"),
    ],
)
def test_messages_name_the_command_and_what_was_wrong(text: str, message: str) -> None:
    with pytest.raises(output.UnexpectedOutput) as caught:
        output.json_list(text, "helm history", output.HelmRevision)
    assert message in str(caught.value)


def test_blank_output_and_null_values() -> None:
    assert output.json_list("", "helm history", output.HelmRevision) == []
    assert output.json_object("null", "helm get values", nullable=True) == {}
    assert output.json_object("\n", "helm get values", empty="null", nullable=True) == {}
    with pytest.raises(output.UnexpectedOutput, match="null"):
        output.json_object("null", "helm status", output.HelmStatus)


def test_command_line_never_shows_a_flag_value() -> None:
    argv = ["/opt/bin/kubectl", "get", "pods", "--token=secret", "-o", "json"]
    assert output.command_line(argv) == "kubectl get pods"


def test_a_secrets_listing_line_the_template_cannot_print_is_refused() -> None:
    from flyte_tui.doctor.gather import parse_secrets

    found = parse_secrets("db-pass\tOpaque\tpass.txt\n\n")
    assert [(s.name, s.type, s.keys) for s in found.values()] == [("db-pass", "Opaque", ("pass.txt",))]
    refused = r"`kubectl get secrets` printed a line of another form \('<html>'\)"
    with pytest.raises(output.UnexpectedOutput, match=refused):
        parse_secrets("db-pass\tOpaque\tpass.txt\n<html>\n")
