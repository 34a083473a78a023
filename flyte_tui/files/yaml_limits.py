"""The bound on every YAML document flyte-tui reads (:func:`check`), before anything recursive sees it.

A document larger than :data:`MAX_BYTES`, nested deeper than :data:`MAX_DEPTH`, whose aliases expand past
:data:`MAX_NODES`, or holding what Helm values cannot hold (non-finite floats, integers beyond 64 bits,
``!!set`` and other tags, non-scalar keys, recursive aliases, duplicate keys) is refused with
:class:`RefusedYAML`, naming the line and what is accepted. The check reads libyaml's event stream (C, fast
and iterative), so it costs little next to ruamel's round-trip parse.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

__all__ = ["ACCEPTED", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Outline", "RefusedYAML", "check"]

MAX_BYTES = 4 * 1024 * 1024
"""The largest YAML file read (4 MiB; Helm keeps a release's values in a Secret of at most 1 MiB)."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists accepted (aliases included)."""
MAX_NODES = 1_000_000
"""The most values a document may hold once its aliases are expanded (an alias bomb is refused)."""
ACCEPTED = "mappings with scalar keys, lists, strings, finite numbers, booleans and null"
"""What a YAML document read by flyte-tui may hold (what Helm values can hold)."""

_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")} | {"!"}
_MAP_TAGS = {_CORE + "map", "!"}
_SEQ_TAGS = {_CORE + "seq", "!"}
_RESOLVER = VersionedResolver(version=(1, 2))


class RefusedYAML(YAMLError):
    """A document that parses but holds what flyte-tui (and Helm) cannot take; the message says why."""


# -- the bound -----------------------------------------------------------------------------------------


@dataclass
class _Frame:
    mapping: bool
    anchor: str | None
    line: int
    size: int = 1
    height: int = 1
    expect_key: bool = True
    keys: set[str] = field(default_factory=set)
    key: str | None = None
    """The key whose value is being read (mappings)."""


@dataclass
class Outline:
    """What :func:`check` saw of a document's shape, for editing a large file without parsing all of it:
    its top-level keys with their lines, every key path, and whether it can be cut at those lines."""

    top: list[tuple[str, int]] = field(default_factory=list)
    """(key, line) of each top-level key, in order."""
    paths: set[tuple[str, ...]] = field(default_factory=set)
    """Every key path of every mapping."""
    cuttable: bool = True
    """One document, a block mapping at the top, each top-level key a one-line scalar at column 0, no anchor,
    alias or document marker: its text can be cut into one piece per top-level key, at the key's line."""


def _events(text: str) -> Iterator[Any]:
    """libyaml's events (ruamel's when libyaml refuses, so a syntax error reads as ruamel words it)."""
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        events = list(yaml.parse(text, Loader=loader))
    except Exception:
        parser = YAML(typ="rt")
        parser.max_depth = MAX_DEPTH + 2
        events = list(parser.parse(text))
    return iter(events)


def _tag(event: Any) -> str | None:
    tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
    return None if tag is None else str(tag)


def _number_problem(value: str, tag: str) -> str | None:
    """Why a scalar that YAML reads as a number cannot be a Helm value (None: it can)."""
    text = value.replace("_", "")
    if tag == _CORE + "float":
        low = text.lower().lstrip("+-")
        if low in (".inf", "inf", ".nan", "nan"):
            return f"{value!r} is not a finite number; quote it to keep it as text"
        try:
            number = float(text)
        except ValueError:
            return None
        return None if math.isfinite(number) else f"{value[:40]!r} is too large a number (a 64-bit float)"
    digits = text.lstrip("+-")
    if len(digits) > 22:
        return f"an integer of {len(digits)} digits is not accepted (integers fit in 64 bits); quote it as text"
    try:
        number_i = int(text, 0)
    except ValueError:
        try:
            number_i = int(text, 10)
        except ValueError:
            return None
    if not _INT_MIN <= number_i <= _INT_MAX:
        return f"{value!r} does not fit in 64 bits; quote it to keep it as text"
    return None


def check(text: str, source: str = "", outline: Outline | None = None) -> None:
    """Refuse (:class:`RefusedYAML`) a document flyte-tui will not read; a syntax error is ruamel's error.

    With ``outline``, also records the document's :class:`Outline` in it (the same pass over the events).
    """
    where = f"{source}: " if source else ""

    def refuse(line: int, what: str) -> RefusedYAML:
        return RefusedYAML(f"{where}line {line + 1}: {what}; accepted: {ACCEPTED}")

    if len(text) > MAX_BYTES:
        raise RefusedYAML(f"{where}{len(text) // 1024} KiB is larger than the {MAX_BYTES // 1024 // 1024} MiB accepted")
    events = _events(text)
    frames: list[_Frame] = []
    anchors: dict[str, tuple[int, int]] = {}
    open_anchors: set[str] = set()
    expanded = 0  # values in the document once every alias is expanded

    def count(size: int, line: int) -> None:
        nonlocal expanded
        expanded += size
        if expanded > MAX_NODES:
            raise refuse(line, f"aliases expanding to more than {MAX_NODES:,} values")

    def add(size: int, height: int, line: int, key_text: str | None) -> None:
        if not frames:
            return
        parent = frames[-1]
        if parent.mapping and parent.expect_key:
            if height:
                raise refuse(line, "a mapping or list as a key is not accepted")
            if key_text is not None:
                if key_text in parent.keys:
                    raise refuse(line, f"duplicate key {key_text[:60]!r}")
                parent.keys.add(key_text)
                parent.key = key_text
                if outline is not None:
                    outline.paths.add(tuple(str(f.key) for f in frames))
        if parent.mapping:
            parent.expect_key = not parent.expect_key
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if len(frames) + height > MAX_DEPTH:
            raise refuse(line, f"nesting deeper than {MAX_DEPTH} levels")

    for event in events:
        line = event.start_mark.line if event.start_mark is not None else 0
        kind = type(event).__name__
        anchor = getattr(event, "anchor", None)
        if outline is not None:
            _outline(outline, event, kind, frames, line)
        if kind == "DocumentStartEvent":
            anchors.clear()
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            mapping = kind == "MappingStartEvent"
            tag = _tag(event)
            if tag is not None and tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                raise refuse(line, f"the tag {tag.replace(_CORE, '!!')} is not accepted")
            if frames and frames[-1].mapping and frames[-1].expect_key:
                raise refuse(line, "a mapping or list as a key is not accepted")
            frames.append(_Frame(mapping, anchor, line))
            count(1, line)
            if len(frames) > MAX_DEPTH:
                raise refuse(line, f"nesting deeper than {MAX_DEPTH} levels")
            if anchor is not None:
                open_anchors.add(anchor)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            done = frames.pop()
            if done.anchor is not None:
                anchors[done.anchor] = (done.size, done.height)
                open_anchors.discard(done.anchor)
            add(done.size, done.height, done.line, None)
        elif kind == "ScalarEvent":
            tag = _tag(event)
            value = str(event.value)
            if tag is not None and tag not in _SCALAR_TAGS:
                raise refuse(line, f"the tag {tag.replace(_CORE, '!!')} is not accepted")
            plain = event.style in (None, "") and tag is None
            if plain and value[:1] in "0123456789+-.":
                tag = str(_RESOLVER.resolve(ScalarNode, value, (True, False)))
            if tag in (_CORE + "int", _CORE + "float"):
                problem = _number_problem(value, tag)
                if problem:
                    raise refuse(line, problem)
            if anchor is not None:
                anchors[anchor] = (1, 0)
            count(1, line)
            add(1, 0, line, value)
        elif kind == "AliasEvent":
            if anchor in open_anchors:
                raise refuse(line, f"the alias *{anchor} refers to a value that contains it (a recursive alias)")
            size, height = anchors.get(str(anchor), (1, 0))
            count(size, line)
            add(size, height, line, None if height else f"*{anchor}")


def _outline(outline: Outline, event: Any, kind: str, frames: list[_Frame], line: int) -> None:
    """Note what one event says about the document's :class:`Outline` (before :func:`check` handles it)."""
    if getattr(event, "anchor", None) is not None or kind == "AliasEvent":
        outline.cuttable = False
    elif kind in ("DocumentStartEvent", "DocumentEndEvent"):
        if getattr(event, "explicit", False) or (kind == "DocumentStartEvent" and outline.top):
            outline.cuttable = False  # a marker, or a second document
    elif kind in ("StreamStartEvent", "StreamEndEvent"):
        return
    elif not frames:
        if kind != "MappingStartEvent" or getattr(event, "flow_style", False):
            outline.cuttable = False  # the document is not a block mapping
    elif len(frames) == 1 and frames[0].mapping and frames[0].expect_key and kind == "ScalarEvent":
        column = event.start_mark.column if event.start_mark is not None else -1
        one_line = event.end_mark is not None and event.end_mark.line == line
        if column != 0 or not one_line or event.style not in (None, "", "'", '"'):
            outline.cuttable = False
        outline.top.append((str(event.value), line))
